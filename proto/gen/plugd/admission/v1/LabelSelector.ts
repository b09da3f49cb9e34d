// Original file: proto/plugd/admission/v1/admission.proto

import type { LabelSelectorRequirement as _plugd_admission_v1_LabelSelectorRequirement, LabelSelectorRequirement__Output as _plugd_admission_v1_LabelSelectorRequirement__Output } from '../../../plugd/admission/v1/LabelSelectorRequirement.js';

/**
 * LabelSelector is metav1.LabelSelector: all terms must match. An empty or
 * unset selector matches everything.
 */
export interface LabelSelector {
  /**
   * Labels that must be present with exactly these values (each as an IN with
   * one value).
   */
  'matchLabels'?: ({[key: string]: string});
  /**
   * Requirements that must all hold.
   */
  'matchExpressions'?: (_plugd_admission_v1_LabelSelectorRequirement)[];
}

/**
 * LabelSelector is metav1.LabelSelector: all terms must match. An empty or
 * unset selector matches everything.
 */
export interface LabelSelector__Output {
  /**
   * Labels that must be present with exactly these values (each as an IN with
   * one value).
   */
  'matchLabels': ({[key: string]: string});
  /**
   * Requirements that must all hold.
   */
  'matchExpressions': (_plugd_admission_v1_LabelSelectorRequirement__Output)[];
}
