// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Status as _plugd_scheduling_v1_Status, Status__Output as _plugd_scheduling_v1_Status__Output } from '../../../plugd/scheduling/v1/Status.js';

/**
 * WaitOnPermitResponse: the plugin's final Permit decision.
 */
export interface WaitOnPermitResponse {
  /**
   * SUCCESS: allowed. UNSCHEDULABLE (or anything else): rejected; the host
   * calls Unreserve and the cycle fails.
   */
  'status'?: (_plugd_scheduling_v1_Status | null);
}

/**
 * WaitOnPermitResponse: the plugin's final Permit decision.
 */
export interface WaitOnPermitResponse__Output {
  /**
   * SUCCESS: allowed. UNSCHEDULABLE (or anything else): rejected; the host
   * calls Unreserve and the cycle fails.
   */
  'status': (_plugd_scheduling_v1_Status__Output | null);
}
