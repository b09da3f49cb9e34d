// Original file: proto/plugd/scheduling/v1/scheduling.proto


/**
 * WaitOnPermitRequest: answer when the pod this plugin made WAIT may bind. The
 * plugin may have decided already (e.g. the last member of a gang arrived at
 * Permit before this call did): it then answers at once.
 */
export interface WaitOnPermitRequest {
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
 * WaitOnPermitRequest: answer when the pod this plugin made WAIT may bind. The
 * plugin may have decided already (e.g. the last member of a gang arrived at
 * Permit before this call did): it then answers at once.
 */
export interface WaitOnPermitRequest__Output {
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
