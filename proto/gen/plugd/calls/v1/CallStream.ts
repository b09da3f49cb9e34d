// Original file: proto/plugd/calls/v1/calls.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Call as _plugd_calls_v1_Call, Call__Output as _plugd_calls_v1_Call__Output } from '../../../plugd/calls/v1/Call.js';
import type { Reply as _plugd_calls_v1_Reply, Reply__Output as _plugd_calls_v1_Reply__Output } from '../../../plugd/calls/v1/Reply.js';

/**
 * The stream of calls of one host to one plugin instance.
 */
export interface CallStreamClient extends grpc.Client {
  /**
   * The host opens one stream per plugin instance and first sends a hello (id 0, no
   * method); the plugin answers it with a Reply of id 0 before any other, and from then on
   * the host sends calls as Calls and the plugin answers each with exactly one Reply of the
   * same id, in any order and concurrently. The host half-closes the stream when it stops
   * using the instance; the plugin ends the stream (status OK) once it has answered every
   * call it received. A plugin that is draining answers new calls with `not_started` set
   * and ends the stream once the calls it started are answered.
   */
  Calls(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_plugd_calls_v1_Call, _plugd_calls_v1_Reply__Output>;
  Calls(options?: grpc.CallOptions): grpc.ClientDuplexStream<_plugd_calls_v1_Call, _plugd_calls_v1_Reply__Output>;
  /**
   * The host opens one stream per plugin instance and first sends a hello (id 0, no
   * method); the plugin answers it with a Reply of id 0 before any other, and from then on
   * the host sends calls as Calls and the plugin answers each with exactly one Reply of the
   * same id, in any order and concurrently. The host half-closes the stream when it stops
   * using the instance; the plugin ends the stream (status OK) once it has answered every
   * call it received. A plugin that is draining answers new calls with `not_started` set
   * and ends the stream once the calls it started are answered.
   */
  calls(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_plugd_calls_v1_Call, _plugd_calls_v1_Reply__Output>;
  calls(options?: grpc.CallOptions): grpc.ClientDuplexStream<_plugd_calls_v1_Call, _plugd_calls_v1_Reply__Output>;
  
}

/**
 * The stream of calls of one host to one plugin instance.
 */
export interface CallStreamHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The host opens one stream per plugin instance and first sends a hello (id 0, no
   * method); the plugin answers it with a Reply of id 0 before any other, and from then on
   * the host sends calls as Calls and the plugin answers each with exactly one Reply of the
   * same id, in any order and concurrently. The host half-closes the stream when it stops
   * using the instance; the plugin ends the stream (status OK) once it has answered every
   * call it received. A plugin that is draining answers new calls with `not_started` set
   * and ends the stream once the calls it started are answered.
   */
  Calls: grpc.handleBidiStreamingCall<_plugd_calls_v1_Call__Output, _plugd_calls_v1_Reply>;
  
}

export interface CallStreamDefinition extends grpc.ServiceDefinition {
  Calls: MethodDefinition<_plugd_calls_v1_Call, _plugd_calls_v1_Reply, _plugd_calls_v1_Call__Output, _plugd_calls_v1_Reply__Output>
}
