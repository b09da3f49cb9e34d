// Original file: proto/plugd/calls/v1/calls.proto


/**
 * One hook call, or the hello (id 0), or the cancellation of a call in flight.
 */
export interface Call {
  /**
   * The call's number, unique among the calls in flight on this stream; 0 is the hello.
   */
  'id'?: (number);
  /**
   * The rpc's full gRPC path, e.g. "/plugd.admission.v1.Admission/Admit". Empty (with an id
   * other than 0): a ping, answered at once with an empty Reply of code 0 and never passed to
   * a hook; the host sends a burst of them to warm a new instance's path before it swaps it in.
   */
  'method'?: (string);
  /**
   * The request message of that rpc, serialized as the unary call would send it.
   */
  'request'?: (Buffer | Uint8Array | string);
  /**
   * Milliseconds the host waits for the Reply (the unary call's deadline); 0: none given.
   */
  'timeoutMs'?: (number);
  /**
   * When true, the call `id` is cancelled (the host stopped waiting); no Reply is needed.
   */
  'cancel'?: (boolean);
  /**
   * Hello only: the largest serialized response the host accepts; a plugin answers a call
   * whose response would be larger with RESOURCE_EXHAUSTED instead of sending it.
   */
  'maxResponseBytes'?: (number);
}

/**
 * One hook call, or the hello (id 0), or the cancellation of a call in flight.
 */
export interface Call__Output {
  /**
   * The call's number, unique among the calls in flight on this stream; 0 is the hello.
   */
  'id': (number);
  /**
   * The rpc's full gRPC path, e.g. "/plugd.admission.v1.Admission/Admit". Empty (with an id
   * other than 0): a ping, answered at once with an empty Reply of code 0 and never passed to
   * a hook; the host sends a burst of them to warm a new instance's path before it swaps it in.
   */
  'method': (string);
  /**
   * The request message of that rpc, serialized as the unary call would send it.
   */
  'request': (Buffer);
  /**
   * Milliseconds the host waits for the Reply (the unary call's deadline); 0: none given.
   */
  'timeoutMs': (number);
  /**
   * When true, the call `id` is cancelled (the host stopped waiting); no Reply is needed.
   */
  'cancel': (boolean);
  /**
   * Hello only: the largest serialized response the host accepts; a plugin answers a call
   * whose response would be larger with RESOURCE_EXHAUSTED instead of sending it.
   */
  'maxResponseBytes': (number);
}
