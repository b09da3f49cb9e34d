// Original file: proto/plugd/scheduling/v1/scheduling.proto


/**
 * BindRequest: bind the pod to node_name, or SKIP.
 */
export interface BindRequest {
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
 * BindRequest: bind the pod to node_name, or SKIP.
 */
export interface BindRequest__Output {
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
