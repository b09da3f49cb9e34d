// Original file: proto/plugd/scheduling/v1/scheduling.proto


export interface ReserveRequest {
  'podJson'?: (Buffer | Uint8Array | string);
  'cycleId'?: (string);
  'nodeName'?: (string);
}

export interface ReserveRequest__Output {
  'podJson': (Buffer);
  'cycleId': (string);
  'nodeName': (string);
}
