// Original file: proto/plugd/calls/v1/calls.proto


/**
 * The answer to one Call.
 */
export interface Reply {
  /**
   * The id of the Call answered.
   */
  'id'?: (number);
  /**
   * The response message of the rpc, serialized; empty when code is not 0.
   */
  'response'?: (Buffer | Uint8Array | string);
  /**
   * A gRPC status code (google.rpc.Code): 0 OK, else the call failed as a unary call
   * failing with this status would have.
   */
  'code'?: (number);
  /**
   * The status message when code is not 0.
   */
  'message'?: (string);
  /**
   * True when the plugin did not start the call (it is draining): the host may send it to
   * another instance without running it twice.
   */
  'notStarted'?: (boolean);
}

/**
 * The answer to one Call.
 */
export interface Reply__Output {
  /**
   * The id of the Call answered.
   */
  'id': (number);
  /**
   * The response message of the rpc, serialized; empty when code is not 0.
   */
  'response': (Buffer);
  /**
   * A gRPC status code (google.rpc.Code): 0 OK, else the call failed as a unary call
   * failing with this status would have.
   */
  'code': (number);
  /**
   * The status message when code is not 0.
   */
  'message': (string);
  /**
   * True when the plugin did not start the call (it is draining): the host may send it to
   * another instance without running it twice.
   */
  'notStarted': (boolean);
}
