// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto

/**
 * Code is a Filter verdict for one node; the values are kube-scheduler's
 * framework.Code values (1, ERROR, has no place in a per-node verdict).
 */
export const Code = {
  /**
   * The pod fits the node.
   */
  SUCCESS: 'SUCCESS',
  /**
   * The pod does not fit now; preemption may make it fit.
   */
  UNSCHEDULABLE: 'UNSCHEDULABLE',
  /**
   * The pod does not fit and preemption cannot help (e.g. a node selector
   * mismatch).
   */
  UNSCHEDULABLE_AND_UNRESOLVABLE: 'UNSCHEDULABLE_AND_UNRESOLVABLE',
} as const;

/**
 * Code is a Filter verdict for one node; the values are kube-scheduler's
 * framework.Code values (1, ERROR, has no place in a per-node verdict).
 */
export type Code =
  /**
   * The pod fits the node.
   */
  | 'SUCCESS'
  | 0
  /**
   * The pod does not fit now; preemption may make it fit.
   */
  | 'UNSCHEDULABLE'
  | 2
  /**
   * The pod does not fit and preemption cannot help (e.g. a node selector
   * mismatch).
   */
  | 'UNSCHEDULABLE_AND_UNRESOLVABLE'
  | 3

/**
 * Code is a Filter verdict for one node; the values are kube-scheduler's
 * framework.Code values (1, ERROR, has no place in a per-node verdict).
 */
export type Code__Output = typeof Code[keyof typeof Code]
