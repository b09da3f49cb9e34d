// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto

import type { Node as _plugd_scheduling_v1beta1_Node, Node__Output as _plugd_scheduling_v1beta1_Node__Output } from '../../../plugd/scheduling/v1beta1/Node.js';

/**
 * FilterRequest: does the pod fit each of these nodes?
 */
export interface FilterRequest {
  /**
   * The Pod object as JSON (UTF-8), as the host sees it this cycle.
   */
  'podJson'?: (Buffer | Uint8Array | string);
  /**
   * The nodes to check, each at most once, in any order; the host may send a
   * subset of the feasible nodes (it stops once it has found enough).
   */
  'nodes'?: (_plugd_scheduling_v1beta1_Node)[];
}

/**
 * FilterRequest: does the pod fit each of these nodes?
 */
export interface FilterRequest__Output {
  /**
   * The Pod object as JSON (UTF-8), as the host sees it this cycle.
   */
  'podJson': (Buffer);
  /**
   * The nodes to check, each at most once, in any order; the host may send a
   * subset of the feasible nodes (it stops once it has found enough).
   */
  'nodes': (_plugd_scheduling_v1beta1_Node__Output)[];
}
