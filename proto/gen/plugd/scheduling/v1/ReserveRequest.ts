// Original file: proto/plugd/scheduling/v1/scheduling.proto


/**
 * ReserveRequest: the pod is assumed on node_name; reserve for it.
 */
export interface ReserveRequest {
  /**
   * The Pod object as JSON (UTF-8), as the host sees it this cycle.
   */
  'podJson'?: (Buffer | Uint8Array | string);
  /**
   * The cycle_id of the scheduling cycle that chose the node (opaque): the
   * key of the per-cycle state kept since PreFilter.
   */
  'cycleId'?: (string);
  /**
   * The name of the node the host chose and assumed the pod on.
   */
  'nodeName'?: (string);
}

/**
 * ReserveRequest: the pod is assumed on node_name; reserve for it.
 */
export interface ReserveRequest__Output {
  /**
   * The Pod object as JSON (UTF-8), as the host sees it this cycle.
   */
  'podJson': (Buffer);
  /**
   * The cycle_id of the scheduling cycle that chose the node (opaque): the
   * key of the per-cycle state kept since PreFilter.
   */
  'cycleId': (string);
  /**
   * The name of the node the host chose and assumed the pod on.
   */
  'nodeName': (string);
}
