// Original file: proto/plugd/scheduling/v1/scheduling.proto


export interface UnreserveRequest {
  'podJson'?: (Buffer | Uint8Array | string);
  'cycleId'?: (string);
  'nodeName'?: (string);
}

export interface UnreserveRequest__Output {
  'podJson': (Buffer);
  'cycleId': (string);
  'nodeName': (string);
}
