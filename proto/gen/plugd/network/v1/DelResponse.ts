// Original file: proto/plugd/network/v1/network.proto

import type { Error as _plugd_network_v1_Error, Error__Output as _plugd_network_v1_Error__Output } from '../../../plugd/network/v1/Error.js';

/**
 * DelResponse: success, or a CNI error.
 */
export interface DelResponse {
  /**
   * Set: DEL failed. A plugin should answer success when the thing to delete
   * is already gone.
   */
  'error'?: (_plugd_network_v1_Error | null);
}

/**
 * DelResponse: success, or a CNI error.
 */
export interface DelResponse__Output {
  /**
   * Set: DEL failed. A plugin should answer success when the thing to delete
   * is already gone.
   */
  'error': (_plugd_network_v1_Error__Output | null);
}
