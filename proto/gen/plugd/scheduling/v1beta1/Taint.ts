// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto


/**
 * Taint is one of a node's spec.taints.
 */
export interface Taint {
  /**
   * The taint's key, e.g. "node.kubernetes.io/unreachable".
   */
  'key'?: (string);
  /**
   * The taint's value; may be empty.
   */
  'value'?: (string);
  /**
   * "NoSchedule", "PreferNoSchedule" or "NoExecute".
   */
  'effect'?: (string);
}

/**
 * Taint is one of a node's spec.taints.
 */
export interface Taint__Output {
  /**
   * The taint's key, e.g. "node.kubernetes.io/unreachable".
   */
  'key': (string);
  /**
   * The taint's value; may be empty.
   */
  'value': (string);
  /**
   * "NoSchedule", "PreferNoSchedule" or "NoExecute".
   */
  'effect': (string);
}
