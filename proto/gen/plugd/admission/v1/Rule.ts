// Original file: proto/plugd/admission/v1/admission.proto


/**
 * Rule is a webhook's RuleWithOperations: the request matches when each list
 * contains its value or "*".
 */
export interface Rule {
  /**
   * "CREATE", "UPDATE", "DELETE", "CONNECT" or "*".
   */
  'operations'?: (string)[];
  /**
   * API groups; "" is the core group.
   */
  'apiGroups'?: (string)[];
  /**
   * API versions, e.g. "v1", or "*".
   */
  'apiVersions'?: (string)[];
  /**
   * Resources, e.g. "pods", "pods/status", "* /scale", "*" (all resources, no
   * subresources) or "* /*" (everything).
   */
  'resources'?: (string)[];
  /**
   * "Cluster", "Namespaced" or "*"; empty = "*".
   */
  'scope'?: (string);
}

/**
 * Rule is a webhook's RuleWithOperations: the request matches when each list
 * contains its value or "*".
 */
export interface Rule__Output {
  /**
   * "CREATE", "UPDATE", "DELETE", "CONNECT" or "*".
   */
  'operations': (string)[];
  /**
   * API groups; "" is the core group.
   */
  'apiGroups': (string)[];
  /**
   * API versions, e.g. "v1", or "*".
   */
  'apiVersions': (string)[];
  /**
   * Resources, e.g. "pods", "pods/status", "* /scale", "*" (all resources, no
   * subresources) or "* /*" (everything).
   */
  'resources': (string)[];
  /**
   * "Cluster", "Namespaced" or "*"; empty = "*".
   */
  'scope': (string);
}
