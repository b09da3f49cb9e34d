// Original file: proto/plugd/admission/v1/admission.proto

/**
 * ReinvocationPolicy is Kubernetes' reinvocationPolicy (mutating plugins only).
 */
export const ReinvocationPolicy = {
  /**
   * As NEVER.
   */
  REINVOCATION_POLICY_UNSPECIFIED: 'REINVOCATION_POLICY_UNSPECIFIED',
  /**
   * Called at most once per request.
   */
  NEVER: 'NEVER',
  /**
   * Called once more (reinvocation = 1) when a later mutating plugin changed
   * the object after this plugin's first call.
   */
  IF_NEEDED: 'IF_NEEDED',
} as const;

/**
 * ReinvocationPolicy is Kubernetes' reinvocationPolicy (mutating plugins only).
 */
export type ReinvocationPolicy =
  /**
   * As NEVER.
   */
  | 'REINVOCATION_POLICY_UNSPECIFIED'
  | 0
  /**
   * Called at most once per request.
   */
  | 'NEVER'
  | 1
  /**
   * Called once more (reinvocation = 1) when a later mutating plugin changed
   * the object after this plugin's first call.
   */
  | 'IF_NEEDED'
  | 2

/**
 * ReinvocationPolicy is Kubernetes' reinvocationPolicy (mutating plugins only).
 */
export type ReinvocationPolicy__Output = typeof ReinvocationPolicy[keyof typeof ReinvocationPolicy]
