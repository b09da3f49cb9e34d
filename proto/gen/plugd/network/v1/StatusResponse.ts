// Original file: proto/plugd/network/v1/network.proto

import type { Error as _plugd_network_v1_Error, Error__Output as _plugd_network_v1_Error__Output } from '../../../plugd/network/v1/Error.js';

/**
 * StatusResponse: ready, or a CNI error saying why not.
 */
export interface StatusResponse {
  /**
   * Unset: ready for ADD. Code 50: not available, the runtime should not send
   * ADD. Code 51: not available, and existing containers may have limited
   * connectivity. Other codes (e.g. 7) as usual.
   */
  'error'?: (_plugd_network_v1_Error | null);
}

/**
 * StatusResponse: ready, or a CNI error saying why not.
 */
export interface StatusResponse__Output {
  /**
   * Unset: ready for ADD. Code 50: not available, the runtime should not send
   * ADD. Code 51: not available, and existing containers may have limited
   * connectivity. Other codes (e.g. 7) as usual.
   */
  'error': (_plugd_network_v1_Error__Output | null);
}
