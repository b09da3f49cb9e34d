// Original file: proto/plugd/network/v1/network.proto


export interface VersionRequest {
  /**
   * The version of the caller (VERSION's stdin `cniVersion`).
   */
  'cniVersion'?: (string);
}

export interface VersionRequest__Output {
  /**
   * The version of the caller (VERSION's stdin `cniVersion`).
   */
  'cniVersion': (string);
}
