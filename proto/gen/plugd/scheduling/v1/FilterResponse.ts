// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Status as _plugd_scheduling_v1_Status, Status__Output as _plugd_scheduling_v1_Status__Output } from '../../../plugd/scheduling/v1/Status.js';

/**
 * FilterResponse: one verdict per candidate.
 */
export interface FilterResponse {
  /**
   * SUCCESS: `codes` holds the verdicts. UNSCHEDULABLE /
   * UNSCHEDULABLE_AND_UNRESOLVABLE: that code applies to every candidate with
   * these reasons, and `codes` is ignored. ERROR: the cycle fails.
   */
  'status'?: (_plugd_scheduling_v1_Status | null);
  /**
   * One byte per candidate, in candidate order: a Status.Code value, one of
   * SUCCESS (fits), UNSCHEDULABLE or UNSCHEDULABLE_AND_UNRESOLVABLE. Its length
   * must equal the candidate count; any other code or length is a malformed
   * answer.
   */
  'codes'?: (Buffer | Uint8Array | string);
  /**
   * Reasons for non-SUCCESS candidates, keyed by candidate position (not node
   * index). Optional; shown in the pod's FailedScheduling event.
   */
  'reasons'?: ({[key: number]: string});
}

/**
 * FilterResponse: one verdict per candidate.
 */
export interface FilterResponse__Output {
  /**
   * SUCCESS: `codes` holds the verdicts. UNSCHEDULABLE /
   * UNSCHEDULABLE_AND_UNRESOLVABLE: that code applies to every candidate with
   * these reasons, and `codes` is ignored. ERROR: the cycle fails.
   */
  'status': (_plugd_scheduling_v1_Status__Output | null);
  /**
   * One byte per candidate, in candidate order: a Status.Code value, one of
   * SUCCESS (fits), UNSCHEDULABLE or UNSCHEDULABLE_AND_UNRESOLVABLE. Its length
   * must equal the candidate count; any other code or length is a malformed
   * answer.
   */
  'codes': (Buffer);
  /**
   * Reasons for non-SUCCESS candidates, keyed by candidate position (not node
   * index). Optional; shown in the pod's FailedScheduling event.
   */
  'reasons': ({[key: number]: string});
}
