// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto

import type { FailurePolicy as _plugd_scheduling_v1beta1_FailurePolicy, FailurePolicy__Output as _plugd_scheduling_v1beta1_FailurePolicy__Output } from '../../../plugd/scheduling/v1beta1/FailurePolicy.js';

/**
 * Capabilities is read once per registered instance, before any other call.
 * Its fields are a subset of plugd.scheduling.v1's, with the same names,
 * numbers and meanings.
 */
export interface Capabilities {
  /**
   * The rpcs of this service the plugin implements: "Filter", "Score" or both
   * (never "GetCapabilities"). The host calls no other rpc.
   */
  'implemented'?: (string)[];
  /**
   * The plugin's preferred failure policy; the host config can override it.
   */
  'failurePolicy'?: (_plugd_scheduling_v1beta1_FailurePolicy);
  /**
   * The plugin's preferred deadline per call, in milliseconds; 0 = the host's
   * default. The host config can override it.
   */
  'timeoutMs'?: (number);
  /**
   * The weight of this plugin's scores: weighted score = score × weight.
   * 0 means 1. The host config (the profile) can override it.
   */
  'weight'?: (number);
}

/**
 * Capabilities is read once per registered instance, before any other call.
 * Its fields are a subset of plugd.scheduling.v1's, with the same names,
 * numbers and meanings.
 */
export interface Capabilities__Output {
  /**
   * The rpcs of this service the plugin implements: "Filter", "Score" or both
   * (never "GetCapabilities"). The host calls no other rpc.
   */
  'implemented': (string)[];
  /**
   * The plugin's preferred failure policy; the host config can override it.
   */
  'failurePolicy': (_plugd_scheduling_v1beta1_FailurePolicy__Output);
  /**
   * The plugin's preferred deadline per call, in milliseconds; 0 = the host's
   * default. The host config can override it.
   */
  'timeoutMs': (number);
  /**
   * The weight of this plugin's scores: weighted score = score × weight.
   * 0 means 1. The host config (the profile) can override it.
   */
  'weight': (number);
}
