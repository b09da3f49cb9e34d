// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Status as _plugd_scheduling_v1_Status, Status__Output as _plugd_scheduling_v1_Status__Output } from '../../../plugd/scheduling/v1/Status.js';

/**
 * PreFilterResponse: the pod's verdict and, optionally, the nodes to consider.
 */
export interface PreFilterResponse {
  /**
   * SUCCESS: go on. SKIP: the host does not call this plugin's Filter this
   * cycle. UNSCHEDULABLE / UNSCHEDULABLE_AND_UNRESOLVABLE: the pod fits no
   * node (the cycle goes to PostFilter). ERROR: the cycle fails.
   */
  'status'?: (_plugd_scheduling_v1_Status | null);
  /**
   * True when the plugin restricts the nodes to consider to `node_indices`
   * (kube-scheduler's PreFilterResult); the host intersects the sets of all
   * PreFilter plugins. False: all nodes.
   */
  'restrictsNodes'?: (boolean);
  /**
   * With restricts_nodes: packed little-endian uint32 indices. An empty set
   * makes the pod unschedulable (UNSCHEDULABLE_AND_UNRESOLVABLE).
   */
  'nodeIndices'?: (Buffer | Uint8Array | string);
}

/**
 * PreFilterResponse: the pod's verdict and, optionally, the nodes to consider.
 */
export interface PreFilterResponse__Output {
  /**
   * SUCCESS: go on. SKIP: the host does not call this plugin's Filter this
   * cycle. UNSCHEDULABLE / UNSCHEDULABLE_AND_UNRESOLVABLE: the pod fits no
   * node (the cycle goes to PostFilter). ERROR: the cycle fails.
   */
  'status': (_plugd_scheduling_v1_Status__Output | null);
  /**
   * True when the plugin restricts the nodes to consider to `node_indices`
   * (kube-scheduler's PreFilterResult); the host intersects the sets of all
   * PreFilter plugins. False: all nodes.
   */
  'restrictsNodes': (boolean);
  /**
   * With restricts_nodes: packed little-endian uint32 indices. An empty set
   * makes the pod unschedulable (UNSCHEDULABLE_AND_UNRESOLVABLE).
   */
  'nodeIndices': (Buffer);
}
