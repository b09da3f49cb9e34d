// Original file: proto/plugd/admission/v1/admission.proto


/**
 * GroupVersionKind names a kind, e.g. {"", "v1", "Pod"}. The core group is "".
 */
export interface GroupVersionKind {
  /**
   * The API group; "" for the core group.
   */
  'group'?: (string);
  /**
   * The API version, e.g. "v1".
   */
  'version'?: (string);
  /**
   * The kind, e.g. "Pod".
   */
  'kind'?: (string);
}

/**
 * GroupVersionKind names a kind, e.g. {"", "v1", "Pod"}. The core group is "".
 */
export interface GroupVersionKind__Output {
  /**
   * The API group; "" for the core group.
   */
  'group': (string);
  /**
   * The API version, e.g. "v1".
   */
  'version': (string);
  /**
   * The kind, e.g. "Pod".
   */
  'kind': (string);
}
