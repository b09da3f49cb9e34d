// Original file: proto/plugd/admission/v1/admission.proto

import type { Status as _plugd_admission_v1_Status, Status__Output as _plugd_admission_v1_Status__Output } from '../../../plugd/admission/v1/Status.js';

/**
 * AdmitResponse is AdmissionReview v1's `response` without uid and patchType.
 */
export interface AdmitResponse {
  /**
   * True: admitted. False: the whole request is denied with `status`.
   */
  'allowed'?: (boolean);
  /**
   * The deny detail; ignored when allowed.
   */
  'status'?: (_plugd_admission_v1_Status | null);
  /**
   * An RFC 6902 JSONPatch as JSON text (e.g. `[{"op":"add",…}]`), NOT base64,
   * against `object` as received. Empty = no change. Only in the mutating phase
   * and when allowed: a patch in the validating phase, or one that does not
   * apply, is a malformed answer.
   */
  'patch'?: (Buffer | Uint8Array | string);
  /**
   * Warnings for the client (sent as HTTP Warning headers). Keep each short;
   * kube-apiserver truncates long ones. Returned whether allowed or not.
   */
  'warnings'?: (string)[];
  /**
   * Annotations for the audit event of this request. The host qualifies each
   * key with the plugin's name so plugins cannot collide; keys must be valid
   * label names without a prefix.
   */
  'auditAnnotations'?: ({[key: string]: string});
}

/**
 * AdmitResponse is AdmissionReview v1's `response` without uid and patchType.
 */
export interface AdmitResponse__Output {
  /**
   * True: admitted. False: the whole request is denied with `status`.
   */
  'allowed': (boolean);
  /**
   * The deny detail; ignored when allowed.
   */
  'status': (_plugd_admission_v1_Status__Output | null);
  /**
   * An RFC 6902 JSONPatch as JSON text (e.g. `[{"op":"add",…}]`), NOT base64,
   * against `object` as received. Empty = no change. Only in the mutating phase
   * and when allowed: a patch in the validating phase, or one that does not
   * apply, is a malformed answer.
   */
  'patch': (Buffer);
  /**
   * Warnings for the client (sent as HTTP Warning headers). Keep each short;
   * kube-apiserver truncates long ones. Returned whether allowed or not.
   */
  'warnings': (string)[];
  /**
   * Annotations for the audit event of this request. The host qualifies each
   * key with the plugin's name so plugins cannot collide; keys must be valid
   * label names without a prefix.
   */
  'auditAnnotations': ({[key: string]: string});
}
