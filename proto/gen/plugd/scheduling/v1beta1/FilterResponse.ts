// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto

import type { Verdict as _plugd_scheduling_v1beta1_Verdict, Verdict__Output as _plugd_scheduling_v1beta1_Verdict__Output } from '../../../plugd/scheduling/v1beta1/Verdict.js';

/**
 * FilterResponse: one verdict per node of the request.
 */
export interface FilterResponse {
  /**
   * Exactly one verdict per entry of FilterRequest.nodes, in the same order.
   * Any other count is a malformed answer.
   */
  'verdicts'?: (_plugd_scheduling_v1beta1_Verdict)[];
}

/**
 * FilterResponse: one verdict per node of the request.
 */
export interface FilterResponse__Output {
  /**
   * Exactly one verdict per entry of FilterRequest.nodes, in the same order.
   * Any other count is a malformed answer.
   */
  'verdicts': (_plugd_scheduling_v1beta1_Verdict__Output)[];
}
