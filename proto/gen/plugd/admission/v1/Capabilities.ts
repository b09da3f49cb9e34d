// Original file: proto/plugd/admission/v1/admission.proto

import type { FailurePolicy as _plugd_admission_v1_FailurePolicy, FailurePolicy__Output as _plugd_admission_v1_FailurePolicy__Output } from '../../../plugd/admission/v1/FailurePolicy.js';
import type { Kind as _plugd_admission_v1_Kind, Kind__Output as _plugd_admission_v1_Kind__Output } from '../../../plugd/admission/v1/Kind.js';
import type { Rule as _plugd_admission_v1_Rule, Rule__Output as _plugd_admission_v1_Rule__Output } from '../../../plugd/admission/v1/Rule.js';
import type { LabelSelector as _plugd_admission_v1_LabelSelector, LabelSelector__Output as _plugd_admission_v1_LabelSelector__Output } from '../../../plugd/admission/v1/LabelSelector.js';
import type { ReinvocationPolicy as _plugd_admission_v1_ReinvocationPolicy, ReinvocationPolicy__Output as _plugd_admission_v1_ReinvocationPolicy__Output } from '../../../plugd/admission/v1/ReinvocationPolicy.js';
import type { SideEffects as _plugd_admission_v1_SideEffects, SideEffects__Output as _plugd_admission_v1_SideEffects__Output } from '../../../plugd/admission/v1/SideEffects.js';

/**
 * Capabilities is read once per registered instance, before any other call.
 * These are the plugin's preferred settings, its webhook configuration in
 * effect; the host config can override every one of them.
 */
export interface Capabilities {
  /**
   * The rpcs of this service the plugin implements: "Admit".
   */
  'implemented'?: (string)[];
  /**
   * The plugin's preferred failure policy.
   */
  'failurePolicy'?: (_plugd_admission_v1_FailurePolicy);
  /**
   * The plugin's preferred deadline per Admit call, in milliseconds; 0 = the
   * host's default. Mutating plugins run in series inside the one webhook call
   * kube-apiserver allows at most 30 s for: keep it small.
   */
  'timeoutMs'?: (number);
  /**
   * Mutating or validating; required.
   */
  'kind'?: (_plugd_admission_v1_Kind);
  /**
   * The requests the plugin wants; it is called when any rule matches. Empty:
   * never called (as in Kubernetes; the host logs a warning).
   */
  'rules'?: (_plugd_admission_v1_Rule)[];
  /**
   * Matches the labels of the request's namespace (or of the namespace object
   * itself); cluster-scoped objects other than namespaces always match.
   */
  'namespaceSelector'?: (_plugd_admission_v1_LabelSelector | null);
  /**
   * Matches the labels of `object` and `old_object`; matches when either does.
   */
  'objectSelector'?: (_plugd_admission_v1_LabelSelector | null);
  /**
   * Mutating plugins only.
   */
  'reinvocationPolicy'?: (_plugd_admission_v1_ReinvocationPolicy);
  /**
   * Whether Admit has side effects: decides dry-run calls and retries (see
   * SideEffects).
   */
  'sideEffects'?: (_plugd_admission_v1_SideEffects);
  /**
   * An ordering hint among mutating plugins: they run by ascending (order,
   * name), so 0 = by name among the plugins that give no order.
   */
  'order'?: (number);
  /**
   * Kubernetes' timeoutSeconds, 1..30 (values outside are clamped, with a
   * warning); when non-zero it wins over timeout_ms. 0 = timeout_ms, else the
   * host's default of 10 s.
   */
  'timeoutSeconds'?: (number);
}

/**
 * Capabilities is read once per registered instance, before any other call.
 * These are the plugin's preferred settings, its webhook configuration in
 * effect; the host config can override every one of them.
 */
export interface Capabilities__Output {
  /**
   * The rpcs of this service the plugin implements: "Admit".
   */
  'implemented': (string)[];
  /**
   * The plugin's preferred failure policy.
   */
  'failurePolicy': (_plugd_admission_v1_FailurePolicy__Output);
  /**
   * The plugin's preferred deadline per Admit call, in milliseconds; 0 = the
   * host's default. Mutating plugins run in series inside the one webhook call
   * kube-apiserver allows at most 30 s for: keep it small.
   */
  'timeoutMs': (number);
  /**
   * Mutating or validating; required.
   */
  'kind': (_plugd_admission_v1_Kind__Output);
  /**
   * The requests the plugin wants; it is called when any rule matches. Empty:
   * never called (as in Kubernetes; the host logs a warning).
   */
  'rules': (_plugd_admission_v1_Rule__Output)[];
  /**
   * Matches the labels of the request's namespace (or of the namespace object
   * itself); cluster-scoped objects other than namespaces always match.
   */
  'namespaceSelector': (_plugd_admission_v1_LabelSelector__Output | null);
  /**
   * Matches the labels of `object` and `old_object`; matches when either does.
   */
  'objectSelector': (_plugd_admission_v1_LabelSelector__Output | null);
  /**
   * Mutating plugins only.
   */
  'reinvocationPolicy': (_plugd_admission_v1_ReinvocationPolicy__Output);
  /**
   * Whether Admit has side effects: decides dry-run calls and retries (see
   * SideEffects).
   */
  'sideEffects': (_plugd_admission_v1_SideEffects__Output);
  /**
   * An ordering hint among mutating plugins: they run by ascending (order,
   * name), so 0 = by name among the plugins that give no order.
   */
  'order': (number);
  /**
   * Kubernetes' timeoutSeconds, 1..30 (values outside are clamped, with a
   * warning); when non-zero it wins over timeout_ms. 0 = timeout_ms, else the
   * host's default of 10 s.
   */
  'timeoutSeconds': (number);
}
