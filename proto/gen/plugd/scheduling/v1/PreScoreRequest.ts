// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { SnapshotDelta as _plugd_scheduling_v1_SnapshotDelta, SnapshotDelta__Output as _plugd_scheduling_v1_SnapshotDelta__Output } from '../../../plugd/scheduling/v1/SnapshotDelta.js';
import type { Long } from '@grpc/proto-loader';

/**
 * PreScoreRequest: once per cycle, before Score, with the feasible nodes.
 */
export interface PreScoreRequest {
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
   * The feasible nodes as packed little-endian uint32 indices (4 bytes each),
   * the same set and order Score gets.
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
 * PreScoreRequest: once per cycle, before Score, with the feasible nodes.
 */
export interface PreScoreRequest__Output {
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
   * The feasible nodes as packed little-endian uint32 indices (4 bytes each),
   * the same set and order Score gets.
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
