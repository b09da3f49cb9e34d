// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto

/**
 * What the host does when a call to the plugin fails (see the file header).
 */
export const FailurePolicy = {
  /**
   * The host's configured default (FAIL unless configured otherwise).
   */
  FAILURE_POLICY_UNSPECIFIED: 'FAILURE_POLICY_UNSPECIFIED',
  /**
   * A failed call fails the scheduling cycle.
   */
  FAIL: 'FAIL',
  /**
   * A failed call leaves the plugin out of that point for this cycle.
   */
  IGNORE: 'IGNORE',
} as const;

/**
 * What the host does when a call to the plugin fails (see the file header).
 */
export type FailurePolicy =
  /**
   * The host's configured default (FAIL unless configured otherwise).
   */
  | 'FAILURE_POLICY_UNSPECIFIED'
  | 0
  /**
   * A failed call fails the scheduling cycle.
   */
  | 'FAIL'
  | 1
  /**
   * A failed call leaves the plugin out of that point for this cycle.
   */
  | 'IGNORE'
  | 2

/**
 * What the host does when a call to the plugin fails (see the file header).
 */
export type FailurePolicy__Output = typeof FailurePolicy[keyof typeof FailurePolicy]
