// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Long } from '@grpc/proto-loader';

export interface PreScoreRequest {
  'snapshotGeneration'?: (number | string | Long);
  'podJson'?: (Buffer | Uint8Array | string);
  'cycleId'?: (string);
  /**
   * The feasible nodes, the same set and order Score gets.
   */
  'candidates'?: (Buffer | Uint8Array | string);
}

export interface PreScoreRequest__Output {
  'snapshotGeneration': (number);
  'podJson': (Buffer);
  'cycleId': (string);
  /**
   * The feasible nodes, the same set and order Score gets.
   */
  'candidates': (Buffer);
}
