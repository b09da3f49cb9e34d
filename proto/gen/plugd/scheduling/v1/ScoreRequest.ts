// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Long } from '@grpc/proto-loader';

/**
 * ScoreRequest: score every feasible node in one call.
 */
export interface ScoreRequest {
  /**
   * The snapshot generation the node indices refer to. A plugin that holds
   * neither it nor a newer one answers FAILED_PRECONDITION.
   */
  'snapshotGeneration'?: (number | string | Long);
  /**
   * The Pod object as JSON (UTF-8), as the host sees it this cycle.
   */
  'podJson'?: (Buffer | Uint8Array | string);
  /**
   * "<pod uid>/<attempt>", unique per scheduling attempt (opaque): the key of
   * per-cycle state, which the plugin must expire itself.
   */
  'cycleId'?: (string);
  /**
   * The feasible nodes as packed little-endian uint32 indices (4 bytes each);
   * the answer has one score per candidate, in this order.
   */
  'candidates'?: (Buffer | Uint8Array | string);
}

/**
 * ScoreRequest: score every feasible node in one call.
 */
export interface ScoreRequest__Output {
  /**
   * The snapshot generation the node indices refer to. A plugin that holds
   * neither it nor a newer one answers FAILED_PRECONDITION.
   */
  'snapshotGeneration': (number);
  /**
   * The Pod object as JSON (UTF-8), as the host sees it this cycle.
   */
  'podJson': (Buffer);
  /**
   * "<pod uid>/<attempt>", unique per scheduling attempt (opaque): the key of
   * per-cycle state, which the plugin must expire itself.
   */
  'cycleId': (string);
  /**
   * The feasible nodes as packed little-endian uint32 indices (4 bytes each);
   * the answer has one score per candidate, in this order.
   */
  'candidates': (Buffer);
}
