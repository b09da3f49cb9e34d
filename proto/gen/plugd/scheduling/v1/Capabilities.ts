// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { FailurePolicy as _plugd_scheduling_v1_FailurePolicy, FailurePolicy__Output as _plugd_scheduling_v1_FailurePolicy__Output } from '../../../plugd/scheduling/v1/FailurePolicy.js';

/**
 * Capabilities is read once per registered instance, before any other call.
 */
export interface Capabilities {
  /**
   * The rpcs of this service the plugin implements, spelled exactly as the rpc
   * names ("Filter", "Score", …; never "GetCapabilities"). The host calls no
   * other rpc. A plugin that does not list "SyncSnapshot" receives no node
   * state (its per-pod calls still carry indices it cannot resolve), so it
   * should only implement points that need none (Reserve … PostBind).
   * "ApplyDelta" is required with "SyncSnapshot".
   */
  'implemented'?: (string)[];
  /**
   * The plugin's preferred failure policy; the host config can override it.
   */
  'failurePolicy'?: (_plugd_scheduling_v1_FailurePolicy);
  /**
   * The plugin's preferred deadline per call, in milliseconds; 0 = the host's
   * default. The host config can override it. WaitOnPermit is bounded by the
   * Permit wait instead.
   */
  'timeoutMs'?: (number);
  /**
   * The weight of this plugin's scores: weighted score = score × weight.
   * 0 means 1. The host config can override it.
   */
  'weight'?: (number);
  /**
   * True: the plugin normalizes its own scores (kube-scheduler's
   * ScoreExtensions.NormalizeScore) in the same Score call, and always answers
   * `scores` in [0, 100]. False: the plugin answers either `scores` in
   * [0, 100] or `raw_scores`, which the host normalizes (ScoreResponse).
   */
  'normalizes'?: (boolean);
  /**
   * True: snapshots and deltas sent to this plugin carry each node's full JSON
   * (Node.node_json). False saves the host encoding and sending it.
   */
  'needsNodeJson'?: (boolean);
  /**
   * True: the plugin applies the `delta` a per-pod request may carry (see
   * FilterRequest.delta) before answering, so the host brings it up to date
   * inside the call instead of with an ApplyDelta round trip first. The SDK
   * sets it for plugins implementing ApplyDelta.
   */
  'inlineDeltas'?: (boolean);
}

/**
 * Capabilities is read once per registered instance, before any other call.
 */
export interface Capabilities__Output {
  /**
   * The rpcs of this service the plugin implements, spelled exactly as the rpc
   * names ("Filter", "Score", …; never "GetCapabilities"). The host calls no
   * other rpc. A plugin that does not list "SyncSnapshot" receives no node
   * state (its per-pod calls still carry indices it cannot resolve), so it
   * should only implement points that need none (Reserve … PostBind).
   * "ApplyDelta" is required with "SyncSnapshot".
   */
  'implemented': (string)[];
  /**
   * The plugin's preferred failure policy; the host config can override it.
   */
  'failurePolicy': (_plugd_scheduling_v1_FailurePolicy__Output);
  /**
   * The plugin's preferred deadline per call, in milliseconds; 0 = the host's
   * default. The host config can override it. WaitOnPermit is bounded by the
   * Permit wait instead.
   */
  'timeoutMs': (number);
  /**
   * The weight of this plugin's scores: weighted score = score × weight.
   * 0 means 1. The host config can override it.
   */
  'weight': (number);
  /**
   * True: the plugin normalizes its own scores (kube-scheduler's
   * ScoreExtensions.NormalizeScore) in the same Score call, and always answers
   * `scores` in [0, 100]. False: the plugin answers either `scores` in
   * [0, 100] or `raw_scores`, which the host normalizes (ScoreResponse).
   */
  'normalizes': (boolean);
  /**
   * True: snapshots and deltas sent to this plugin carry each node's full JSON
   * (Node.node_json). False saves the host encoding and sending it.
   */
  'needsNodeJson': (boolean);
  /**
   * True: the plugin applies the `delta` a per-pod request may carry (see
   * FilterRequest.delta) before answering, so the host brings it up to date
   * inside the call instead of with an ApplyDelta round trip first. The SDK
   * sets it for plugins implementing ApplyDelta.
   */
  'inlineDeltas': (boolean);
}
