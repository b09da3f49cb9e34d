// Original file: proto/plugd/network/v1/network.proto

import type { Result as _plugd_network_v1_Result, Result__Output as _plugd_network_v1_Result__Output } from '../../../plugd/network/v1/Result.js';
import type { Error as _plugd_network_v1_Error, Error__Output as _plugd_network_v1_Error__Output } from '../../../plugd/network/v1/Error.js';

/**
 * AddResponse: the result, or a CNI error.
 */
export interface AddResponse {
  /**
   * The plugin's result: prev_result with what it added. Unset (without an
   * error) = prev_result passed on unchanged, as a chained plugin that adds
   * nothing must do.
   */
  'result'?: (_plugd_network_v1_Result | null);
  /**
   * Set: ADD failed (the runtime is expected to run DEL on the list next).
   */
  'error'?: (_plugd_network_v1_Error | null);
}

/**
 * AddResponse: the result, or a CNI error.
 */
export interface AddResponse__Output {
  /**
   * The plugin's result: prev_result with what it added. Unset (without an
   * error) = prev_result passed on unchanged, as a chained plugin that adds
   * nothing must do.
   */
  'result': (_plugd_network_v1_Result__Output | null);
  /**
   * Set: ADD failed (the runtime is expected to run DEL on the list next).
   */
  'error': (_plugd_network_v1_Error__Output | null);
}
