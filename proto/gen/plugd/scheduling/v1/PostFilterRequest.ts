// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Long } from '@grpc/proto-loader';

export interface PostFilterRequest {
  'snapshotGeneration'?: (number | string | Long);
  'podJson'?: (Buffer | Uint8Array | string);
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
}

export interface PostFilterRequest__Output {
  'snapshotGeneration': (number);
  'podJson': (Buffer);
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
}
