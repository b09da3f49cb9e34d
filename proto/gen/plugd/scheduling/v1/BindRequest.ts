// Original file: proto/plugd/scheduling/v1/scheduling.proto


export interface BindRequest {
  'podJson'?: (Buffer | Uint8Array | string);
  'cycleId'?: (string);
  'nodeName'?: (string);
}

export interface BindRequest__Output {
  'podJson': (Buffer);
  'cycleId': (string);
  'nodeName': (string);
}
