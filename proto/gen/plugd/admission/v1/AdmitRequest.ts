// Original file: proto/plugd/admission/v1/admission.proto

import type { GroupVersionKind as _plugd_admission_v1_GroupVersionKind, GroupVersionKind__Output as _plugd_admission_v1_GroupVersionKind__Output } from '../../../plugd/admission/v1/GroupVersionKind.js';
import type { GroupVersionResource as _plugd_admission_v1_GroupVersionResource, GroupVersionResource__Output as _plugd_admission_v1_GroupVersionResource__Output } from '../../../plugd/admission/v1/GroupVersionResource.js';
import type { UserInfo as _plugd_admission_v1_UserInfo, UserInfo__Output as _plugd_admission_v1_UserInfo__Output } from '../../../plugd/admission/v1/UserInfo.js';

/**
 * AdmitRequest is AdmissionReview v1's `request`, plus how the host calls it.
 */
export interface AdmitRequest {
  /**
   * The AdmissionReview uid, the same for every plugin called for the request.
   * The host echoes it to kube-apiserver; the plugin need not.
   */
  'uid'?: (string);
  /**
   * The kind of `object`.
   */
  'kind'?: (_plugd_admission_v1_GroupVersionKind | null);
  /**
   * The resource being admitted.
   */
  'resource'?: (_plugd_admission_v1_GroupVersionResource | null);
  /**
   * The subresource, e.g. "status" or "scale"; empty for the main resource.
   */
  'subResource'?: (string);
  /**
   * The kind, resource and subresource of the original API request, which
   * differ from the above when kube-apiserver converted the request (e.g.
   * apps/v1beta1 to apps/v1).
   */
  'requestKind'?: (_plugd_admission_v1_GroupVersionKind | null);
  /**
   * The resource of the original API request (see request_kind).
   */
  'requestResource'?: (_plugd_admission_v1_GroupVersionResource | null);
  /**
   * The subresource of the original API request; empty for the main resource.
   */
  'requestSubResource'?: (string);
  /**
   * The object's name; may be empty on CREATE when the name is generated.
   */
  'name'?: (string);
  /**
   * The object's namespace; empty for cluster-scoped resources.
   */
  'namespace'?: (string);
  /**
   * "CREATE", "UPDATE", "DELETE" or "CONNECT".
   */
  'operation'?: (string);
  /**
   * Who made the request.
   */
  'userInfo'?: (_plugd_admission_v1_UserInfo | null);
  /**
   * The object as JSON (UTF-8): the new object on CREATE / UPDATE, as left by
   * the mutating plugins before this one (mutating phase) or the final object
   * (validating phase). Empty on DELETE; on CONNECT, the connect options
   * object when there is one.
   */
  'object'?: (Buffer | Uint8Array | string);
  /**
   * The existing object as JSON on UPDATE and DELETE; empty otherwise.
   */
  'oldObject'?: (Buffer | Uint8Array | string);
  /**
   * The operation's options as JSON (CreateOptions, UpdateOptions,
   * DeleteOptions, …); empty when there are none.
   */
  'options'?: (Buffer | Uint8Array | string);
  /**
   * True for a dry run: the plugin must not cause side effects.
   */
  'dryRun'?: (boolean);
  /**
   * True when the host calls the plugin in the mutating phase (where a patch is
   * allowed); false in the validating phase.
   */
  'mutatingPhase'?: (boolean);
  /**
   * 0 on the first call for this request; 1 when reinvoked (IF_NEEDED).
   */
  'reinvocation'?: (number);
}

/**
 * AdmitRequest is AdmissionReview v1's `request`, plus how the host calls it.
 */
export interface AdmitRequest__Output {
  /**
   * The AdmissionReview uid, the same for every plugin called for the request.
   * The host echoes it to kube-apiserver; the plugin need not.
   */
  'uid': (string);
  /**
   * The kind of `object`.
   */
  'kind': (_plugd_admission_v1_GroupVersionKind__Output | null);
  /**
   * The resource being admitted.
   */
  'resource': (_plugd_admission_v1_GroupVersionResource__Output | null);
  /**
   * The subresource, e.g. "status" or "scale"; empty for the main resource.
   */
  'subResource': (string);
  /**
   * The kind, resource and subresource of the original API request, which
   * differ from the above when kube-apiserver converted the request (e.g.
   * apps/v1beta1 to apps/v1).
   */
  'requestKind': (_plugd_admission_v1_GroupVersionKind__Output | null);
  /**
   * The resource of the original API request (see request_kind).
   */
  'requestResource': (_plugd_admission_v1_GroupVersionResource__Output | null);
  /**
   * The subresource of the original API request; empty for the main resource.
   */
  'requestSubResource': (string);
  /**
   * The object's name; may be empty on CREATE when the name is generated.
   */
  'name': (string);
  /**
   * The object's namespace; empty for cluster-scoped resources.
   */
  'namespace': (string);
  /**
   * "CREATE", "UPDATE", "DELETE" or "CONNECT".
   */
  'operation': (string);
  /**
   * Who made the request.
   */
  'userInfo': (_plugd_admission_v1_UserInfo__Output | null);
  /**
   * The object as JSON (UTF-8): the new object on CREATE / UPDATE, as left by
   * the mutating plugins before this one (mutating phase) or the final object
   * (validating phase). Empty on DELETE; on CONNECT, the connect options
   * object when there is one.
   */
  'object': (Buffer);
  /**
   * The existing object as JSON on UPDATE and DELETE; empty otherwise.
   */
  'oldObject': (Buffer);
  /**
   * The operation's options as JSON (CreateOptions, UpdateOptions,
   * DeleteOptions, …); empty when there are none.
   */
  'options': (Buffer);
  /**
   * True for a dry run: the plugin must not cause side effects.
   */
  'dryRun': (boolean);
  /**
   * True when the host calls the plugin in the mutating phase (where a patch is
   * allowed); false in the validating phase.
   */
  'mutatingPhase': (boolean);
  /**
   * 0 on the first call for this request; 1 when reinvoked (IF_NEEDED).
   */
  'reinvocation': (number);
}
