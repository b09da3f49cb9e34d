// Original file: proto/plugd/network/v1/network.proto

import type { Error as _plugd_network_v1_Error, Error__Output as _plugd_network_v1_Error__Output } from '../../../plugd/network/v1/Error.js';

/**
 * CheckResponse: success, or a CNI error.
 */
export interface CheckResponse {
  /**
   * Set: the container's networking is not as prev_result says.
   */
  'error'?: (_plugd_network_v1_Error | null);
}

/**
 * CheckResponse: success, or a CNI error.
 */
export interface CheckResponse__Output {
  /**
   * Set: the container's networking is not as prev_result says.
   */
  'error': (_plugd_network_v1_Error__Output | null);
}
