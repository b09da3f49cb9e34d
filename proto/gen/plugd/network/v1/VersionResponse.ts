// Original file: proto/plugd/network/v1/network.proto

import type { Error as _plugd_network_v1_Error, Error__Output as _plugd_network_v1_Error__Output } from '../../../plugd/network/v1/Error.js';

export interface VersionResponse {
  'error'?: (_plugd_network_v1_Error | null);
  /**
   * The version of this answer's format.
   */
  'cniVersion'?: (string);
  /**
   * Every CNI version the plugin supports, e.g. ["0.4.0", "1.0.0", "1.1.0"].
   */
  'supportedVersions'?: (string)[];
}

export interface VersionResponse__Output {
  'error': (_plugd_network_v1_Error__Output | null);
  /**
   * The version of this answer's format.
   */
  'cniVersion': (string);
  /**
   * Every CNI version the plugin supports, e.g. ["0.4.0", "1.0.0", "1.1.0"].
   */
  'supportedVersions': (string)[];
}
