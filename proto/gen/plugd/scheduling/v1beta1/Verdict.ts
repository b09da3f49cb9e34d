// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto

import type { Code as _plugd_scheduling_v1beta1_Code, Code__Output as _plugd_scheduling_v1beta1_Code__Output } from '../../../plugd/scheduling/v1beta1/Code.js';

/**
 * Verdict is the Filter answer for one node.
 */
export interface Verdict {
  /**
   * SUCCESS (fits), UNSCHEDULABLE or UNSCHEDULABLE_AND_UNRESOLVABLE.
   */
  'code'?: (_plugd_scheduling_v1beta1_Code);
  /**
   * Why the node was rejected; optional, shown in the pod's FailedScheduling
   * event. Ignored with SUCCESS.
   */
  'reason'?: (string);
}

/**
 * Verdict is the Filter answer for one node.
 */
export interface Verdict__Output {
  /**
   * SUCCESS (fits), UNSCHEDULABLE or UNSCHEDULABLE_AND_UNRESOLVABLE.
   */
  'code': (_plugd_scheduling_v1beta1_Code__Output);
  /**
   * Why the node was rejected; optional, shown in the pod's FailedScheduling
   * event. Ignored with SUCCESS.
   */
  'reason': (string);
}
