// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Status as _plugd_scheduling_v1_Status, Status__Output as _plugd_scheduling_v1_Status__Output } from '../../../plugd/scheduling/v1/Status.js';

/**
 * PreBindResponse: whether the preparation succeeded.
 */
export interface PreBindResponse {
  /**
   * SUCCESS: go on. Anything else: the host calls Unreserve and the cycle
   * fails.
   */
  'status'?: (_plugd_scheduling_v1_Status | null);
}

/**
 * PreBindResponse: whether the preparation succeeded.
 */
export interface PreBindResponse__Output {
  /**
   * SUCCESS: go on. Anything else: the host calls Unreserve and the cycle
   * fails.
   */
  'status': (_plugd_scheduling_v1_Status__Output | null);
}
