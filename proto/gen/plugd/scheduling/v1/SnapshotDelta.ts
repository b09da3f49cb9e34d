// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Node as _plugd_scheduling_v1_Node, Node__Output as _plugd_scheduling_v1_Node__Output } from '../../../plugd/scheduling/v1/Node.js';
import type { Long } from '@grpc/proto-loader';

/**
 * SnapshotDelta moves the plugin from one generation to the next.
 */
export interface SnapshotDelta {
  /**
   * The generation the delta applies to. A plugin that does not hold exactly
   * this generation must answer STALE and change nothing.
   */
  'fromGeneration'?: (number | string | Long);
  /**
   * The generation the plugin holds after applying the delta.
   */
  'toGeneration'?: (number | string | Long);
  /**
   * Nodes that are new or changed, each a complete replacement of that index's
   * record. A changed node keeps its index; a new node has an index at or past
   * the previous index_end.
   */
  'upserted'?: (_plugd_scheduling_v1_Node)[];
  /**
   * The names of nodes removed since from_generation. Their indices become
   * holes, never reused in this lineage.
   */
  'removed'?: (string)[];
  /**
   * One past the highest index of the lineage after the delta.
   */
  'indexEnd'?: (number);
}

/**
 * SnapshotDelta moves the plugin from one generation to the next.
 */
export interface SnapshotDelta__Output {
  /**
   * The generation the delta applies to. A plugin that does not hold exactly
   * this generation must answer STALE and change nothing.
   */
  'fromGeneration': (number);
  /**
   * The generation the plugin holds after applying the delta.
   */
  'toGeneration': (number);
  /**
   * Nodes that are new or changed, each a complete replacement of that index's
   * record. A changed node keeps its index; a new node has an index at or past
   * the previous index_end.
   */
  'upserted': (_plugd_scheduling_v1_Node__Output)[];
  /**
   * The names of nodes removed since from_generation. Their indices become
   * holes, never reused in this lineage.
   */
  'removed': (string)[];
  /**
   * One past the highest index of the lineage after the delta.
   */
  'indexEnd': (number);
}
