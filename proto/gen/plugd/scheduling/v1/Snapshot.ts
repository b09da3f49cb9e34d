// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Node as _plugd_scheduling_v1_Node, Node__Output as _plugd_scheduling_v1_Node__Output } from '../../../plugd/scheduling/v1/Node.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Snapshot is the full node state. It replaces everything the plugin held and
 * starts a new lineage (the host may renumber nodes here, and only here).
 */
export interface Snapshot {
  /**
   * The generation of this state. Generations increase strictly for the life
   * of the host process; a restarted host starts again with a full snapshot.
   */
  'generation'?: (number | string | Long);
  /**
   * Every node, each index at most once. Indices below index_end that are not
   * present are holes.
   */
  'nodes'?: (_plugd_scheduling_v1_Node)[];
  /**
   * One past the highest index of the lineage so far (holes included), so the
   * plugin can size columnar arrays.
   */
  'indexEnd'?: (number);
}

/**
 * Snapshot is the full node state. It replaces everything the plugin held and
 * starts a new lineage (the host may renumber nodes here, and only here).
 */
export interface Snapshot__Output {
  /**
   * The generation of this state. Generations increase strictly for the life
   * of the host process; a restarted host starts again with a full snapshot.
   */
  'generation': (number);
  /**
   * Every node, each index at most once. Indices below index_end that are not
   * present are holes.
   */
  'nodes': (_plugd_scheduling_v1_Node__Output)[];
  /**
   * One past the highest index of the lineage so far (holes included), so the
   * plugin can size columnar arrays.
   */
  'indexEnd': (number);
}
