// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type { Long } from '@grpc/proto-loader';

export interface PreFilterRequest {
  'snapshotGeneration'?: (number | string | Long);
  'podJson'?: (Buffer | Uint8Array | string);
  'cycleId'?: (string);
}

export interface PreFilterRequest__Output {
  'snapshotGeneration': (number);
  'podJson': (Buffer);
  'cycleId': (string);
}
