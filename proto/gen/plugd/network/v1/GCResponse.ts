// Original file: proto/plugd/network/v1/network.proto

import type { Error as _plugd_network_v1_Error, Error__Output as _plugd_network_v1_Error__Output } from '../../../plugd/network/v1/Error.js';

/**
 * GCResponse: success, or a CNI error.
 */
export interface GCResponse {
  /**
   * Set: GC failed (it is repeated at the next GC).
   */
  'error'?: (_plugd_network_v1_Error | null);
}

/**
 * GCResponse: success, or a CNI error.
 */
export interface GCResponse__Output {
  /**
   * Set: GC failed (it is repeated at the next GC).
   */
  'error': (_plugd_network_v1_Error__Output | null);
}
