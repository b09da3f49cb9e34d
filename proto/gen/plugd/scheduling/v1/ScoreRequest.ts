// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { SnapshotDelta as _plugd_scheduling_v1_SnapshotDelta, SnapshotDelta__Output as _plugd_scheduling_v1_SnapshotDelta__Output } from '../../../plugd/scheduling/v1/SnapshotDelta.js';
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
  /**
   * Set only for plugins whose Capabilities.inline_deltas is true: the
   * changes from the generation the plugin holds to `snapshot_generation`.
   * Apply them exactly as ApplyDelta before answering; answer
   * FAILED_PRECONDITION when `delta.from_generation` is not the generation
   * held (the host then sends the full snapshot and asks again).
   */
  'delta'?: (_plugd_scheduling_v1_SnapshotDelta | null);
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
  /**
   * Set only for plugins whose Capabilities.inline_deltas is true: the
   * changes from the generation the plugin holds to `snapshot_generation`.
   * Apply them exactly as ApplyDelta before answering; answer
   * FAILED_PRECONDITION when `delta.from_generation` is not the generation
   * held (the host then sends the full snapshot and asks again).
   */
  'delta': (_plugd_scheduling_v1_SnapshotDelta__Output | null);
}
