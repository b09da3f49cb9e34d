// Original file: proto/plugd/network/v1/network.proto

import type { Error as _plugd_network_v1_Error, Error__Output as _plugd_network_v1_Error__Output } from '../../../plugd/network/v1/Error.js';

/**
 * VersionResponse: the CNI versions the plugin supports, or a CNI error.
 */
export interface VersionResponse {
  /**
   * Set: VERSION failed.
   */
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

/**
 * VersionResponse: the CNI versions the plugin supports, or a CNI error.
 */
export interface VersionResponse__Output {
  /**
   * Set: VERSION failed.
   */
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
