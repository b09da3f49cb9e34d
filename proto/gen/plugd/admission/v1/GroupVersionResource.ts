// Original file: proto/plugd/admission/v1/admission.proto


/**
 * GroupVersionResource names a resource, e.g. {"apps", "v1", "deployments"}.
 */
export interface GroupVersionResource {
  /**
   * The API group; "" for the core group.
   */
  'group'?: (string);
  /**
   * The API version, e.g. "v1".
   */
  'version'?: (string);
  /**
   * The resource (plural, lower case), e.g. "deployments".
   */
  'resource'?: (string);
}

/**
 * GroupVersionResource names a resource, e.g. {"apps", "v1", "deployments"}.
 */
export interface GroupVersionResource__Output {
  /**
   * The API group; "" for the core group.
   */
  'group': (string);
  /**
   * The API version, e.g. "v1".
   */
  'version': (string);
  /**
   * The resource (plural, lower case), e.g. "deployments".
   */
  'resource': (string);
}
