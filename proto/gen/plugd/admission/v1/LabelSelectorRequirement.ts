// Original file: proto/plugd/admission/v1/admission.proto


// Original file: proto/plugd/admission/v1/admission.proto

/**
 * How the label named `key` relates to `values`.
 */
export const _plugd_admission_v1_LabelSelectorRequirement_Operator = {
  /**
   * Invalid: the host rejects the capabilities.
   */
  OPERATOR_UNSPECIFIED: 'OPERATOR_UNSPECIFIED',
  /**
   * The label's value is one of `values` (non-empty).
   */
  IN: 'IN',
  /**
   * The label is absent or its value is none of `values` (non-empty).
   */
  NOT_IN: 'NOT_IN',
  /**
   * The label is present; `values` must be empty.
   */
  EXISTS: 'EXISTS',
  /**
   * The label is absent; `values` must be empty.
   */
  DOES_NOT_EXIST: 'DOES_NOT_EXIST',
} as const;

/**
 * How the label named `key` relates to `values`.
 */
export type _plugd_admission_v1_LabelSelectorRequirement_Operator =
  /**
   * Invalid: the host rejects the capabilities.
   */
  | 'OPERATOR_UNSPECIFIED'
  | 0
  /**
   * The label's value is one of `values` (non-empty).
   */
  | 'IN'
  | 1
  /**
   * The label is absent or its value is none of `values` (non-empty).
   */
  | 'NOT_IN'
  | 2
  /**
   * The label is present; `values` must be empty.
   */
  | 'EXISTS'
  | 3
  /**
   * The label is absent; `values` must be empty.
   */
  | 'DOES_NOT_EXIST'
  | 4

/**
 * How the label named `key` relates to `values`.
 */
export type _plugd_admission_v1_LabelSelectorRequirement_Operator__Output = typeof _plugd_admission_v1_LabelSelectorRequirement_Operator[keyof typeof _plugd_admission_v1_LabelSelectorRequirement_Operator]

/**
 * LabelSelectorRequirement is one match expression of a LabelSelector.
 */
export interface LabelSelectorRequirement {
  /**
   * The label key the requirement applies to.
   */
  'key'?: (string);
  /**
   * How the label relates to `values`; required.
   */
  'operator'?: (_plugd_admission_v1_LabelSelectorRequirement_Operator);
  /**
   * The values to compare with: non-empty for IN and NOT_IN, empty for EXISTS
   * and DOES_NOT_EXIST.
   */
  'values'?: (string)[];
}

/**
 * LabelSelectorRequirement is one match expression of a LabelSelector.
 */
export interface LabelSelectorRequirement__Output {
  /**
   * The label key the requirement applies to.
   */
  'key': (string);
  /**
   * How the label relates to `values`; required.
   */
  'operator': (_plugd_admission_v1_LabelSelectorRequirement_Operator__Output);
  /**
   * The values to compare with: non-empty for IN and NOT_IN, empty for EXISTS
   * and DOES_NOT_EXIST.
   */
  'values': (string)[];
}
