// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Long } from '@grpc/proto-loader';

export interface FilterRequest {
  'snapshotGeneration'?: (number | string | Long);
  'podJson'?: (Buffer | Uint8Array | string);
  'cycleId'?: (string);
  /**
   * The nodes to check; the host may send a subset of the feasible nodes
   * (it stops once it has found enough), in any order.
   */
  'candidates'?: (Buffer | Uint8Array | string);
}

export interface FilterRequest__Output {
  'snapshotGeneration': (number);
  'podJson': (Buffer);
  'cycleId': (string);
  /**
   * The nodes to check; the host may send a subset of the feasible nodes
   * (it stops once it has found enough), in any order.
   */
  'candidates': (Buffer);
}
