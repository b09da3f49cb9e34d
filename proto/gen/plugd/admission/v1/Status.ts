// Original file: proto/plugd/admission/v1/admission.proto


/**
 * Status is the deny detail, as metav1.Status's code, message and reason.
 */
export interface Status {
  /**
   * The HTTP status code returned to the client; 0 = 403 when denied.
   */
  'code'?: (number);
  /**
   * A human-readable explanation, shown to the client.
   */
  'message'?: (string);
  /**
   * A machine-readable StatusReason, e.g. "Forbidden" or "Invalid"; empty =
   * derived from code.
   */
  'reason'?: (string);
}

/**
 * Status is the deny detail, as metav1.Status's code, message and reason.
 */
export interface Status__Output {
  /**
   * The HTTP status code returned to the client; 0 = 403 when denied.
   */
  'code': (number);
  /**
   * A human-readable explanation, shown to the client.
   */
  'message': (string);
  /**
   * A machine-readable StatusReason, e.g. "Forbidden" or "Invalid"; empty =
   * derived from code.
   */
  'reason': (string);
}
