// Original file: proto/plugd/admission/v1/admission.proto


/**
 * GroupVersionKind names a kind, e.g. {"", "v1", "Pod"}. The core group is "".
 */
export interface GroupVersionKind {
  'group'?: (string);
  'version'?: (string);
  'kind'?: (string);
}

/**
 * GroupVersionKind names a kind, e.g. {"", "v1", "Pod"}. The core group is "".
 */
export interface GroupVersionKind__Output {
  'group': (string);
  'version': (string);
  'kind': (string);
}
