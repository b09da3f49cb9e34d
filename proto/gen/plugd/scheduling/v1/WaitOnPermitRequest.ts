// Original file: proto/plugd/scheduling/v1/scheduling.proto


export interface WaitOnPermitRequest {
  'podJson'?: (Buffer | Uint8Array | string);
  'cycleId'?: (string);
  'nodeName'?: (string);
}

export interface WaitOnPermitRequest__Output {
  'podJson': (Buffer);
  'cycleId': (string);
  'nodeName': (string);
}
