// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Status as _plugd_scheduling_v1_Status, Status__Output as _plugd_scheduling_v1_Status__Output } from '../../../plugd/scheduling/v1/Status.js';

/**
 * ReserveResponse: whether the plugin reserved.
 */
export interface ReserveResponse {
  /**
   * SUCCESS: the plugin reserved what it tracks for the pod on the node.
   * Anything else: the host calls Unreserve on every Reserve plugin, in
   * reverse order, and the cycle fails (UNSCHEDULABLE: the pod is
   * unschedulable; ERROR: retried with backoff).
   */
  'status'?: (_plugd_scheduling_v1_Status | null);
}

/**
 * ReserveResponse: whether the plugin reserved.
 */
export interface ReserveResponse__Output {
  /**
   * SUCCESS: the plugin reserved what it tracks for the pod on the node.
   * Anything else: the host calls Unreserve on every Reserve plugin, in
   * reverse order, and the cycle fails (UNSCHEDULABLE: the pod is
   * unschedulable; ERROR: retried with backoff).
   */
  'status': (_plugd_scheduling_v1_Status__Output | null);
}
