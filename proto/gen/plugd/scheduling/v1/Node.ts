// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Taint as _plugd_scheduling_v1_Taint, Taint__Output as _plugd_scheduling_v1_Taint__Output } from '../../../plugd/scheduling/v1/Taint.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Node is one node's state as the host's cluster cache sees it.
 */
export interface Node {
  /**
   * The node's index within the lineage (see the file header).
   */
  'index'?: (number);
  /**
   * metadata.name.
   */
  'name'?: (string);
  /**
   * metadata.labels.
   */
  'labels'?: ({[key: string]: string});
  /**
   * spec.taints.
   */
  'taints'?: (_plugd_scheduling_v1_Taint)[];
  /**
   * spec.unschedulable (cordoned).
   */
  'unschedulable'?: (boolean);
  /**
   * status.allocatable, keyed by resource name: "cpu" in millicores, "memory"
   * and "ephemeral-storage" in bytes, "pods" as a count, extended resources
   * (e.g. "nvidia.com/gpu") as integers. Absent = 0.
   */
  'allocatable'?: ({[key: string]: number | string | Long});
  /**
   * The sum of the requests of the pods on the node, including pods the host
   * has assumed (reserved, not yet bound); same keys and units, and "pods" =
   * the number of pods.
   */
  'requested'?: ({[key: string]: number | string | Long});
  /**
   * As `requested`, but counting a container with no cpu / memory request as
   * 100 millicores / 200 MiB (kube-scheduler's "non-zero requested"); keys
   * "cpu" and "memory" only.
   */
  'nonZeroRequested'?: ({[key: string]: number | string | Long});
  /**
   * The Node object as JSON (UTF-8). Empty unless the plugin declared
   * needs_node_json.
   */
  'nodeJson'?: (Buffer | Uint8Array | string);
}

/**
 * Node is one node's state as the host's cluster cache sees it.
 */
export interface Node__Output {
  /**
   * The node's index within the lineage (see the file header).
   */
  'index': (number);
  /**
   * metadata.name.
   */
  'name': (string);
  /**
   * metadata.labels.
   */
  'labels': ({[key: string]: string});
  /**
   * spec.taints.
   */
  'taints': (_plugd_scheduling_v1_Taint__Output)[];
  /**
   * spec.unschedulable (cordoned).
   */
  'unschedulable': (boolean);
  /**
   * status.allocatable, keyed by resource name: "cpu" in millicores, "memory"
   * and "ephemeral-storage" in bytes, "pods" as a count, extended resources
   * (e.g. "nvidia.com/gpu") as integers. Absent = 0.
   */
  'allocatable': ({[key: string]: number});
  /**
   * The sum of the requests of the pods on the node, including pods the host
   * has assumed (reserved, not yet bound); same keys and units, and "pods" =
   * the number of pods.
   */
  'requested': ({[key: string]: number});
  /**
   * As `requested`, but counting a container with no cpu / memory request as
   * 100 millicores / 200 MiB (kube-scheduler's "non-zero requested"); keys
   * "cpu" and "memory" only.
   */
  'nonZeroRequested': ({[key: string]: number});
  /**
   * The Node object as JSON (UTF-8). Empty unless the plugin declared
   * needs_node_json.
   */
  'nodeJson': (Buffer);
}
