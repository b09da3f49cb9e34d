// Original file: proto/plugd/network/v1/network.proto


/**
 * VersionRequest is CNI VERSION on this plugin.
 */
export interface VersionRequest {
  /**
   * The version of the caller (VERSION's stdin `cniVersion`).
   */
  'cniVersion'?: (string);
}

/**
 * VersionRequest is CNI VERSION on this plugin.
 */
export interface VersionRequest__Output {
  /**
   * The version of the caller (VERSION's stdin `cniVersion`).
   */
  'cniVersion': (string);
}
