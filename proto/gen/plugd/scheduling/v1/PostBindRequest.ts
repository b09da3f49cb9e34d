// Original file: proto/plugd/scheduling/v1/scheduling.proto


export interface PostBindRequest {
  'podJson'?: (Buffer | Uint8Array | string);
  'cycleId'?: (string);
  'nodeName'?: (string);
}

export interface PostBindRequest__Output {
  'podJson': (Buffer);
  'cycleId': (string);
  'nodeName': (string);
}
