// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Long } from '@grpc/proto-loader';

/**
 * PreFilterRequest: once per cycle, before Filter. It has no candidates:
 * PreFilter sees every node of the snapshot.
 */
export interface PreFilterRequest {
  /**
   * The snapshot generation the answer's node_indices refer to. A plugin that
   * holds neither it nor a newer one answers FAILED_PRECONDITION.
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
}

/**
 * PreFilterRequest: once per cycle, before Filter. It has no candidates:
 * PreFilter sees every node of the snapshot.
 */
export interface PreFilterRequest__Output {
  /**
   * The snapshot generation the answer's node_indices refer to. A plugin that
   * holds neither it nor a newer one answers FAILED_PRECONDITION.
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
}
