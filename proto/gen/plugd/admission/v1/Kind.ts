// Original file: proto/plugd/admission/v1/admission.proto

/**
 * Kind says in which phase the host calls the plugin.
 */
export const Kind = {
  /**
   * Not declared: the host rejects the registration (it cannot guess).
   */
  KIND_UNSPECIFIED: 'KIND_UNSPECIFIED',
  /**
   * Called in the mutating phase, in order; may patch.
   */
  MUTATING: 'MUTATING',
  /**
   * Called in the validating phase, in parallel; must not patch.
   */
  VALIDATING: 'VALIDATING',
} as const;

/**
 * Kind says in which phase the host calls the plugin.
 */
export type Kind =
  /**
   * Not declared: the host rejects the registration (it cannot guess).
   */
  | 'KIND_UNSPECIFIED'
  | 0
  /**
   * Called in the mutating phase, in order; may patch.
   */
  | 'MUTATING'
  | 1
  /**
   * Called in the validating phase, in parallel; must not patch.
   */
  | 'VALIDATING'
  | 2

/**
 * Kind says in which phase the host calls the plugin.
 */
export type Kind__Output = typeof Kind[keyof typeof Kind]
