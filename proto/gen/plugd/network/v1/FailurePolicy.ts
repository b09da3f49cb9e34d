// Original file: proto/plugd/network/v1/network.proto

/**
 * What the host does when a call to the plugin fails (see the file header).
 */
export const FailurePolicy = {
  /**
   * The host's configured default (FAIL unless configured otherwise).
   */
  FAILURE_POLICY_UNSPECIFIED: 'FAILURE_POLICY_UNSPECIFIED',
  /**
   * A failed call fails the operation (CNI error 11).
   */
  FAIL: 'FAIL',
  /**
   * A failed call skips the plugin.
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
   * A failed call fails the operation (CNI error 11).
   */
  | 'FAIL'
  | 1
  /**
   * A failed call skips the plugin.
   */
  | 'IGNORE'
  | 2

/**
 * What the host does when a call to the plugin fails (see the file header).
 */
export type FailurePolicy__Output = typeof FailurePolicy[keyof typeof FailurePolicy]
