// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Status as _plugd_scheduling_v1_Status, Status__Output as _plugd_scheduling_v1_Status__Output } from '../../../plugd/scheduling/v1/Status.js';

/**
 * PostFilterResponse: whether the plugin made room, and where.
 */
export interface PostFilterResponse {
  /**
   * SUCCESS: the plugin made room (e.g. preempted pods) and nominates a node;
   * later PostFilter plugins are not called. UNSCHEDULABLE: it could not
   * help; the next PostFilter plugin tries. ERROR: the cycle fails. The pod
   * goes back to the queue in every case: it is scheduled on a later attempt.
   */
  'status'?: (_plugd_scheduling_v1_Status | null);
  /**
   * With SUCCESS: the node nominated for the pod (status.nominatedNodeName).
   */
  'nominatedNodeName'?: (string);
}

/**
 * PostFilterResponse: whether the plugin made room, and where.
 */
export interface PostFilterResponse__Output {
  /**
   * SUCCESS: the plugin made room (e.g. preempted pods) and nominates a node;
   * later PostFilter plugins are not called. UNSCHEDULABLE: it could not
   * help; the next PostFilter plugin tries. ERROR: the cycle fails. The pod
   * goes back to the queue in every case: it is scheduled on a later attempt.
   */
  'status': (_plugd_scheduling_v1_Status__Output | null);
  /**
   * With SUCCESS: the node nominated for the pod (status.nominatedNodeName).
   */
  'nominatedNodeName': (string);
}
