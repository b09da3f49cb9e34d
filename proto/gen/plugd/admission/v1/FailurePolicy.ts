// Original file: proto/plugd/admission/v1/admission.proto

/**
 * What the host does when a call to the plugin fails (see the file header).
 */
export const FailurePolicy = {
  /**
   * The host's configured default (FAIL unless configured otherwise, as
   * Kubernetes' default failurePolicy).
   */
  FAILURE_POLICY_UNSPECIFIED: 'FAILURE_POLICY_UNSPECIFIED',
  /**
   * A failed call denies the request.
   */
  FAIL: 'FAIL',
  /**
   * A failed call is skipped: allowed, no patch.
   */
  IGNORE: 'IGNORE',
} as const;

/**
 * What the host does when a call to the plugin fails (see the file header).
 */
export type FailurePolicy =
  /**
   * The host's configured default (FAIL unless configured otherwise, as
   * Kubernetes' default failurePolicy).
   */
  | 'FAILURE_POLICY_UNSPECIFIED'
  | 0
  /**
   * A failed call denies the request.
   */
  | 'FAIL'
  | 1
  /**
   * A failed call is skipped: allowed, no patch.
   */
  | 'IGNORE'
  | 2

/**
 * What the host does when a call to the plugin fails (see the file header).
 */
export type FailurePolicy__Output = typeof FailurePolicy[keyof typeof FailurePolicy]
