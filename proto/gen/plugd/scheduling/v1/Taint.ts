// Original file: proto/plugd/scheduling/v1/scheduling.proto


/**
 * Taint is one of a node's spec.taints.
 */
export interface Taint {
  'key'?: (string);
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
  'key': (string);
  'value': (string);
  /**
   * "NoSchedule", "PreferNoSchedule" or "NoExecute".
   */
  'effect': (string);
}
