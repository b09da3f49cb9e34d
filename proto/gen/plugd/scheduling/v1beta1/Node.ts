// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto

import type { Taint as _plugd_scheduling_v1beta1_Taint, Taint__Output as _plugd_scheduling_v1beta1_Taint__Output } from '../../../plugd/scheduling/v1beta1/Taint.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Node is one candidate node as the host's cluster cache sees it this cycle.
 */
export interface Node {
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
  'taints'?: (_plugd_scheduling_v1beta1_Taint)[];
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
}

/**
 * Node is one candidate node as the host's cluster cache sees it this cycle.
 */
export interface Node__Output {
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
  'taints': (_plugd_scheduling_v1beta1_Taint__Output)[];
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
}
