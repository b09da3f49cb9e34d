// Original file: proto/plugd/admission/v1/admission.proto

/**
 * SideEffects is Kubernetes' sideEffects.
 */
export const SideEffects = {
  /**
   * Not declared: taken as "may have side effects". The host never retries
   * Admit, and denies a dry-run request the plugin matches instead of calling
   * it (as kube-apiserver does for sideEffects Some/Unknown).
   */
  SIDE_EFFECTS_UNSPECIFIED: 'SIDE_EFFECTS_UNSPECIFIED',
  /**
   * Admit has no side effects outside its answer: safe to call on dry runs and
   * to retry.
   */
  NONE: 'NONE',
  /**
   * Admit has side effects, but none when dry_run is true: called on dry runs
   * (with dry_run set), never retried.
   */
  NONE_ON_DRY_RUN: 'NONE_ON_DRY_RUN',
  /**
   * Kubernetes' sideEffects Some: has side effects even on dry runs. A dry-run
   * request the plugin matches is rejected (400) without calling it.
   */
  SOME: 'SOME',
  /**
   * Kubernetes' sideEffects Unknown: treated as SOME.
   */
  UNKNOWN: 'UNKNOWN',
} as const;

/**
 * SideEffects is Kubernetes' sideEffects.
 */
export type SideEffects =
  /**
   * Not declared: taken as "may have side effects". The host never retries
   * Admit, and denies a dry-run request the plugin matches instead of calling
   * it (as kube-apiserver does for sideEffects Some/Unknown).
   */
  | 'SIDE_EFFECTS_UNSPECIFIED'
  | 0
  /**
   * Admit has no side effects outside its answer: safe to call on dry runs and
   * to retry.
   */
  | 'NONE'
  | 1
  /**
   * Admit has side effects, but none when dry_run is true: called on dry runs
   * (with dry_run set), never retried.
   */
  | 'NONE_ON_DRY_RUN'
  | 2
  /**
   * Kubernetes' sideEffects Some: has side effects even on dry runs. A dry-run
   * request the plugin matches is rejected (400) without calling it.
   */
  | 'SOME'
  | 3
  /**
   * Kubernetes' sideEffects Unknown: treated as SOME.
   */
  | 'UNKNOWN'
  | 4

/**
 * SideEffects is Kubernetes' sideEffects.
 */
export type SideEffects__Output = typeof SideEffects[keyof typeof SideEffects]
