// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Long } from '@grpc/proto-loader';

// Original file: proto/plugd/scheduling/v1/scheduling.proto

/**
 * Whether the plugin took the snapshot or delta.
 */
export const _plugd_scheduling_v1_SyncAck_Result = {
  /**
   * The plugin now holds `generation`.
   */
  OK: 'OK',
  /**
   * The plugin does not hold from_generation (it restarted, missed a delta,
   * or dropped its state): the host must send a full snapshot.
   */
  STALE: 'STALE',
} as const;

/**
 * Whether the plugin took the snapshot or delta.
 */
export type _plugd_scheduling_v1_SyncAck_Result =
  /**
   * The plugin now holds `generation`.
   */
  | 'OK'
  | 0
  /**
   * The plugin does not hold from_generation (it restarted, missed a delta,
   * or dropped its state): the host must send a full snapshot.
   */
  | 'STALE'
  | 1

/**
 * Whether the plugin took the snapshot or delta.
 */
export type _plugd_scheduling_v1_SyncAck_Result__Output = typeof _plugd_scheduling_v1_SyncAck_Result[keyof typeof _plugd_scheduling_v1_SyncAck_Result]

/**
 * SyncAck answers SyncSnapshot and ApplyDelta.
 */
export interface SyncAck {
  /**
   * OK, or STALE (the plugin changed nothing; the host resends a snapshot).
   */
  'result'?: (_plugd_scheduling_v1_SyncAck_Result);
  /**
   * The generation the plugin holds after the call (0 = none).
   */
  'generation'?: (number | string | Long);
}

/**
 * SyncAck answers SyncSnapshot and ApplyDelta.
 */
export interface SyncAck__Output {
  /**
   * OK, or STALE (the plugin changed nothing; the host resends a snapshot).
   */
  'result': (_plugd_scheduling_v1_SyncAck_Result__Output);
  /**
   * The generation the plugin holds after the call (0 = none).
   */
  'generation': (number);
}
