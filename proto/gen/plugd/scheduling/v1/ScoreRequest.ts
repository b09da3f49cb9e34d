// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Long } from '@grpc/proto-loader';

export interface ScoreRequest {
  'snapshotGeneration'?: (number | string | Long);
  'podJson'?: (Buffer | Uint8Array | string);
  'cycleId'?: (string);
  /**
   * The feasible nodes.
   */
  'candidates'?: (Buffer | Uint8Array | string);
}

export interface ScoreRequest__Output {
  'snapshotGeneration': (number);
  'podJson': (Buffer);
  'cycleId': (string);
  /**
   * The feasible nodes.
   */
  'candidates': (Buffer);
}
