// Original file: proto/plugd/admission/v1/admission.proto


/**
 * ExtraValue is one entry of UserInfo.extra.
 */
export interface ExtraValue {
  /**
   * The attribute's values.
   */
  'values'?: (string)[];
}

/**
 * ExtraValue is one entry of UserInfo.extra.
 */
export interface ExtraValue__Output {
  /**
   * The attribute's values.
   */
  'values': (string)[];
}
