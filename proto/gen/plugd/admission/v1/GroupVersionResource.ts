// Original file: proto/plugd/admission/v1/admission.proto


/**
 * GroupVersionResource names a resource, e.g. {"apps", "v1", "deployments"}.
 */
export interface GroupVersionResource {
  'group'?: (string);
  'version'?: (string);
  'resource'?: (string);
}

/**
 * GroupVersionResource names a resource, e.g. {"apps", "v1", "deployments"}.
 */
export interface GroupVersionResource__Output {
  'group': (string);
  'version': (string);
  'resource': (string);
}
