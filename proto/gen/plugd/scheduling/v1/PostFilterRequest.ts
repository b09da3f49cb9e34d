// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { SnapshotDelta as _plugd_scheduling_v1_SnapshotDelta, SnapshotDelta__Output as _plugd_scheduling_v1_SnapshotDelta__Output } from '../../../plugd/scheduling/v1/SnapshotDelta.js';
import type { Long } from '@grpc/proto-loader';

/**
 * PostFilterRequest: no node fit; the nodes Filter rejected, and why.
 */
export interface PostFilterRequest {
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
   * The nodes that Filter rejected, packed like candidates. Nodes of the
   * snapshot that are not listed were excluded before Filter (by PreFilter's
   * restricted set): treat them as UNSCHEDULABLE_AND_UNRESOLVABLE.
   */
  'candidates'?: (Buffer | Uint8Array | string);
  /**
   * One byte per entry of `candidates`: the Status.Code that rejected it.
   */
  'codes'?: (Buffer | Uint8Array | string);
  /**
   * Reasons keyed by position in `candidates`, where there were any.
   */
  'reasons'?: ({[key: number]: string});
  /**
   * The names of the Filter plugins that rejected nodes, referenced by
   * plugin_ids.
   */
  'plugins'?: (string)[];
  /**
   * One byte per entry of `candidates`: the position in `plugins` of the
   * plugin that rejected the node.
   */
  'pluginIds'?: (Buffer | Uint8Array | string);
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
 * PostFilterRequest: no node fit; the nodes Filter rejected, and why.
 */
export interface PostFilterRequest__Output {
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
   * The nodes that Filter rejected, packed like candidates. Nodes of the
   * snapshot that are not listed were excluded before Filter (by PreFilter's
   * restricted set): treat them as UNSCHEDULABLE_AND_UNRESOLVABLE.
   */
  'candidates': (Buffer);
  /**
   * One byte per entry of `candidates`: the Status.Code that rejected it.
   */
  'codes': (Buffer);
  /**
   * Reasons keyed by position in `candidates`, where there were any.
   */
  'reasons': ({[key: number]: string});
  /**
   * The names of the Filter plugins that rejected nodes, referenced by
   * plugin_ids.
   */
  'plugins': (string)[];
  /**
   * One byte per entry of `candidates`: the position in `plugins` of the
   * plugin that rejected the node.
   */
  'pluginIds': (Buffer);
  /**
   * Set only for plugins whose Capabilities.inline_deltas is true: the
   * changes from the generation the plugin holds to `snapshot_generation`.
   * Apply them exactly as ApplyDelta before answering; answer
   * FAILED_PRECONDITION when `delta.from_generation` is not the generation
   * held (the host then sends the full snapshot and asks again).
   */
  'delta': (_plugd_scheduling_v1_SnapshotDelta__Output | null);
}
