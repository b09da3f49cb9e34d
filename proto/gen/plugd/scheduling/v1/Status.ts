// Original file: proto/plugd/scheduling/v1/scheduling.proto


// Original file: proto/plugd/scheduling/v1/scheduling.proto

/**
 * The codes and their values are exactly kube-scheduler's.
 */
export const _plugd_scheduling_v1_Status_Code = {
  /**
   * The call succeeded; for Filter, the node fits.
   */
  SUCCESS: 'SUCCESS',
  /**
   * Something went wrong inside the plugin; the cycle fails and the pod is
   * retried with backoff. Never a verdict about a node.
   */
  ERROR: 'ERROR',
  /**
   * The pod does not fit now; preemption (PostFilter) may make it fit.
   */
  UNSCHEDULABLE: 'UNSCHEDULABLE',
  /**
   * The pod does not fit and preemption cannot help (e.g. a node selector
   * mismatch); PostFilter does not consider such nodes.
   */
  UNSCHEDULABLE_AND_UNRESOLVABLE: 'UNSCHEDULABLE_AND_UNRESOLVABLE',
  /**
   * Permit only: hold the pod before binding (see PermitResponse.wait_ms).
   */
  WAIT: 'WAIT',
  /**
   * PreFilter / PreScore: skip this plugin's Filter / Score for this cycle.
   * Bind: this pod is not mine; the next binder tries.
   */
  SKIP: 'SKIP',
  /**
   * The plugin stops the cycle to wait for something outside the scheduler
   * (kube-scheduler 1.27+): the pod goes back to the queue without backoff
   * until a cluster change may make it schedulable.
   */
  PENDING: 'PENDING',
} as const;

/**
 * The codes and their values are exactly kube-scheduler's.
 */
export type _plugd_scheduling_v1_Status_Code =
  /**
   * The call succeeded; for Filter, the node fits.
   */
  | 'SUCCESS'
  | 0
  /**
   * Something went wrong inside the plugin; the cycle fails and the pod is
   * retried with backoff. Never a verdict about a node.
   */
  | 'ERROR'
  | 1
  /**
   * The pod does not fit now; preemption (PostFilter) may make it fit.
   */
  | 'UNSCHEDULABLE'
  | 2
  /**
   * The pod does not fit and preemption cannot help (e.g. a node selector
   * mismatch); PostFilter does not consider such nodes.
   */
  | 'UNSCHEDULABLE_AND_UNRESOLVABLE'
  | 3
  /**
   * Permit only: hold the pod before binding (see PermitResponse.wait_ms).
   */
  | 'WAIT'
  | 4
  /**
   * PreFilter / PreScore: skip this plugin's Filter / Score for this cycle.
   * Bind: this pod is not mine; the next binder tries.
   */
  | 'SKIP'
  | 5
  /**
   * The plugin stops the cycle to wait for something outside the scheduler
   * (kube-scheduler 1.27+): the pod goes back to the queue without backoff
   * until a cluster change may make it schedulable.
   */
  | 'PENDING'
  | 6

/**
 * The codes and their values are exactly kube-scheduler's.
 */
export type _plugd_scheduling_v1_Status_Code__Output = typeof _plugd_scheduling_v1_Status_Code[keyof typeof _plugd_scheduling_v1_Status_Code]

/**
 * Status is the outcome of a call, as kube-scheduler's framework.Status. An
 * unset Status in a response means SUCCESS.
 */
export interface Status {
  /**
   * The outcome; unset (0) is SUCCESS.
   */
  'code'?: (_plugd_scheduling_v1_Status_Code);
  /**
   * Human-readable reasons, shown in the pod's events and conditions.
   */
  'reasons'?: (string)[];
  /**
   * The plugin that produced the status. Plugins may leave it empty: the host
   * fills it with the plugin's registered name when it folds statuses.
   */
  'plugin'?: (string);
}

/**
 * Status is the outcome of a call, as kube-scheduler's framework.Status. An
 * unset Status in a response means SUCCESS.
 */
export interface Status__Output {
  /**
   * The outcome; unset (0) is SUCCESS.
   */
  'code': (_plugd_scheduling_v1_Status_Code__Output);
  /**
   * Human-readable reasons, shown in the pod's events and conditions.
   */
  'reasons': (string)[];
  /**
   * The plugin that produced the status. Plugins may leave it empty: the host
   * fills it with the plugin's registered name when it folds statuses.
   */
  'plugin': (string);
}
