// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Status as _plugd_scheduling_v1_Status, Status__Output as _plugd_scheduling_v1_Status__Output } from '../../../plugd/scheduling/v1/Status.js';

/**
 * PreScoreResponse: go on, skip Score, or fail the cycle.
 */
export interface PreScoreResponse {
  /**
   * SUCCESS: go on. SKIP: the host does not call this plugin's Score this
   * cycle. ERROR (or anything else): the cycle fails.
   */
  'status'?: (_plugd_scheduling_v1_Status | null);
}

/**
 * PreScoreResponse: go on, skip Score, or fail the cycle.
 */
export interface PreScoreResponse__Output {
  /**
   * SUCCESS: go on. SKIP: the host does not call this plugin's Score this
   * cycle. ERROR (or anything else): the cycle fails.
   */
  'status': (_plugd_scheduling_v1_Status__Output | null);
}
