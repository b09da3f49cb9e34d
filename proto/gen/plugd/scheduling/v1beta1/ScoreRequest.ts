// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto

import type { Node as _plugd_scheduling_v1beta1_Node, Node__Output as _plugd_scheduling_v1beta1_Node__Output } from '../../../plugd/scheduling/v1beta1/Node.js';

/**
 * ScoreRequest: score every one of these feasible nodes.
 */
export interface ScoreRequest {
  /**
   * The Pod object as JSON (UTF-8), as the host sees it this cycle.
   */
  'podJson'?: (Buffer | Uint8Array | string);
  /**
   * The feasible nodes, each once; the answer has one score per node, in this
   * order.
   */
  'nodes'?: (_plugd_scheduling_v1beta1_Node)[];
}

/**
 * ScoreRequest: score every one of these feasible nodes.
 */
export interface ScoreRequest__Output {
  /**
   * The Pod object as JSON (UTF-8), as the host sees it this cycle.
   */
  'podJson': (Buffer);
  /**
   * The feasible nodes, each once; the answer has one score per node, in this
   * order.
   */
  'nodes': (_plugd_scheduling_v1beta1_Node__Output)[];
}
