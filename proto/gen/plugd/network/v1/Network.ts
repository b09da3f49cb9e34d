// Original file: proto/plugd/network/v1/network.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddRequest as _plugd_network_v1_AddRequest, AddRequest__Output as _plugd_network_v1_AddRequest__Output } from '../../../plugd/network/v1/AddRequest.js';
import type { AddResponse as _plugd_network_v1_AddResponse, AddResponse__Output as _plugd_network_v1_AddResponse__Output } from '../../../plugd/network/v1/AddResponse.js';
import type { Capabilities as _plugd_network_v1_Capabilities, Capabilities__Output as _plugd_network_v1_Capabilities__Output } from '../../../plugd/network/v1/Capabilities.js';
import type { CheckRequest as _plugd_network_v1_CheckRequest, CheckRequest__Output as _plugd_network_v1_CheckRequest__Output } from '../../../plugd/network/v1/CheckRequest.js';
import type { CheckResponse as _plugd_network_v1_CheckResponse, CheckResponse__Output as _plugd_network_v1_CheckResponse__Output } from '../../../plugd/network/v1/CheckResponse.js';
import type { DelRequest as _plugd_network_v1_DelRequest, DelRequest__Output as _plugd_network_v1_DelRequest__Output } from '../../../plugd/network/v1/DelRequest.js';
import type { DelResponse as _plugd_network_v1_DelResponse, DelResponse__Output as _plugd_network_v1_DelResponse__Output } from '../../../plugd/network/v1/DelResponse.js';
import type { GCRequest as _plugd_network_v1_GCRequest, GCRequest__Output as _plugd_network_v1_GCRequest__Output } from '../../../plugd/network/v1/GCRequest.js';
import type { GCResponse as _plugd_network_v1_GCResponse, GCResponse__Output as _plugd_network_v1_GCResponse__Output } from '../../../plugd/network/v1/GCResponse.js';
import type { GetCapabilitiesRequest as _plugd_network_v1_GetCapabilitiesRequest, GetCapabilitiesRequest__Output as _plugd_network_v1_GetCapabilitiesRequest__Output } from '../../../plugd/network/v1/GetCapabilitiesRequest.js';
import type { StatusRequest as _plugd_network_v1_StatusRequest, StatusRequest__Output as _plugd_network_v1_StatusRequest__Output } from '../../../plugd/network/v1/StatusRequest.js';
import type { StatusResponse as _plugd_network_v1_StatusResponse, StatusResponse__Output as _plugd_network_v1_StatusResponse__Output } from '../../../plugd/network/v1/StatusResponse.js';
import type { VersionRequest as _plugd_network_v1_VersionRequest, VersionRequest__Output as _plugd_network_v1_VersionRequest__Output } from '../../../plugd/network/v1/VersionRequest.js';
import type { VersionResponse as _plugd_network_v1_VersionResponse, VersionResponse__Output as _plugd_network_v1_VersionResponse__Output } from '../../../plugd/network/v1/VersionResponse.js';

/**
 * Network is served by a network plugin; the host's network chains call it.
 */
export interface NetworkClient extends grpc.Client {
  /**
   * CNI ADD: attach the container to the network. Not idempotent: the host
   * never calls it twice for the same (network, container_id, ifname) without
   * a DEL between, and never retries it.
   */
  Add(argument: _plugd_network_v1_AddRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_AddResponse__Output>): grpc.ClientUnaryCall;
  Add(argument: _plugd_network_v1_AddRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_AddResponse__Output>): grpc.ClientUnaryCall;
  Add(argument: _plugd_network_v1_AddRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_AddResponse__Output>): grpc.ClientUnaryCall;
  Add(argument: _plugd_network_v1_AddRequest, callback: grpc.requestCallback<_plugd_network_v1_AddResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CNI ADD: attach the container to the network. Not idempotent: the host
   * never calls it twice for the same (network, container_id, ifname) without
   * a DEL between, and never retries it.
   */
  add(argument: _plugd_network_v1_AddRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_AddResponse__Output>): grpc.ClientUnaryCall;
  add(argument: _plugd_network_v1_AddRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_AddResponse__Output>): grpc.ClientUnaryCall;
  add(argument: _plugd_network_v1_AddRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_AddResponse__Output>): grpc.ClientUnaryCall;
  add(argument: _plugd_network_v1_AddRequest, callback: grpc.requestCallback<_plugd_network_v1_AddResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * CNI CHECK: verify the attachment against prev_result. Side-effect free and
   * idempotent.
   */
  Check(argument: _plugd_network_v1_CheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  Check(argument: _plugd_network_v1_CheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  Check(argument: _plugd_network_v1_CheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  Check(argument: _plugd_network_v1_CheckRequest, callback: grpc.requestCallback<_plugd_network_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CNI CHECK: verify the attachment against prev_result. Side-effect free and
   * idempotent.
   */
  check(argument: _plugd_network_v1_CheckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  check(argument: _plugd_network_v1_CheckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  check(argument: _plugd_network_v1_CheckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  check(argument: _plugd_network_v1_CheckRequest, callback: grpc.requestCallback<_plugd_network_v1_CheckResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * CNI DEL: detach. Idempotent and best effort: it may come without a prior
   * ADD, more than once, or after a failed ADD; the plugin releases whatever
   * it can and answers success when nothing is left.
   */
  Del(argument: _plugd_network_v1_DelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_DelResponse__Output>): grpc.ClientUnaryCall;
  Del(argument: _plugd_network_v1_DelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_DelResponse__Output>): grpc.ClientUnaryCall;
  Del(argument: _plugd_network_v1_DelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_DelResponse__Output>): grpc.ClientUnaryCall;
  Del(argument: _plugd_network_v1_DelRequest, callback: grpc.requestCallback<_plugd_network_v1_DelResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CNI DEL: detach. Idempotent and best effort: it may come without a prior
   * ADD, more than once, or after a failed ADD; the plugin releases whatever
   * it can and answers success when nothing is left.
   */
  del(argument: _plugd_network_v1_DelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_DelResponse__Output>): grpc.ClientUnaryCall;
  del(argument: _plugd_network_v1_DelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_DelResponse__Output>): grpc.ClientUnaryCall;
  del(argument: _plugd_network_v1_DelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_DelResponse__Output>): grpc.ClientUnaryCall;
  del(argument: _plugd_network_v1_DelRequest, callback: grpc.requestCallback<_plugd_network_v1_DelResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * CNI GC: release resources of attachments not in valid_attachments.
   * Idempotent.
   */
  GC(argument: _plugd_network_v1_GCRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_GCResponse__Output>): grpc.ClientUnaryCall;
  GC(argument: _plugd_network_v1_GCRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_GCResponse__Output>): grpc.ClientUnaryCall;
  GC(argument: _plugd_network_v1_GCRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_GCResponse__Output>): grpc.ClientUnaryCall;
  GC(argument: _plugd_network_v1_GCRequest, callback: grpc.requestCallback<_plugd_network_v1_GCResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CNI GC: release resources of attachments not in valid_attachments.
   * Idempotent.
   */
  gc(argument: _plugd_network_v1_GCRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_GCResponse__Output>): grpc.ClientUnaryCall;
  gc(argument: _plugd_network_v1_GCRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_GCResponse__Output>): grpc.ClientUnaryCall;
  gc(argument: _plugd_network_v1_GCRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_GCResponse__Output>): grpc.ClientUnaryCall;
  gc(argument: _plugd_network_v1_GCRequest, callback: grpc.requestCallback<_plugd_network_v1_GCResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  GetCapabilities(argument: _plugd_network_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_network_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_network_v1_GetCapabilitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_network_v1_GetCapabilitiesRequest, callback: grpc.requestCallback<_plugd_network_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  getCapabilities(argument: _plugd_network_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_network_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_network_v1_GetCapabilitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_network_v1_GetCapabilitiesRequest, callback: grpc.requestCallback<_plugd_network_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  
  /**
   * CNI STATUS: is the plugin ready to service ADD? Side-effect free and
   * idempotent; the host may call it often.
   */
  Status(argument: _plugd_network_v1_StatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _plugd_network_v1_StatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _plugd_network_v1_StatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _plugd_network_v1_StatusRequest, callback: grpc.requestCallback<_plugd_network_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CNI STATUS: is the plugin ready to service ADD? Side-effect free and
   * idempotent; the host may call it often.
   */
  status(argument: _plugd_network_v1_StatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _plugd_network_v1_StatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _plugd_network_v1_StatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _plugd_network_v1_StatusRequest, callback: grpc.requestCallback<_plugd_network_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * CNI VERSION: the versions the plugin supports. Side-effect free and
   * idempotent.
   */
  Version(argument: _plugd_network_v1_VersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  Version(argument: _plugd_network_v1_VersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  Version(argument: _plugd_network_v1_VersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  Version(argument: _plugd_network_v1_VersionRequest, callback: grpc.requestCallback<_plugd_network_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CNI VERSION: the versions the plugin supports. Side-effect free and
   * idempotent.
   */
  version(argument: _plugd_network_v1_VersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  version(argument: _plugd_network_v1_VersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_network_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  version(argument: _plugd_network_v1_VersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_network_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  version(argument: _plugd_network_v1_VersionRequest, callback: grpc.requestCallback<_plugd_network_v1_VersionResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Network is served by a network plugin; the host's network chains call it.
 */
export interface NetworkHandlers extends grpc.UntypedServiceImplementation {
  /**
   * CNI ADD: attach the container to the network. Not idempotent: the host
   * never calls it twice for the same (network, container_id, ifname) without
   * a DEL between, and never retries it.
   */
  Add: grpc.handleUnaryCall<_plugd_network_v1_AddRequest__Output, _plugd_network_v1_AddResponse>;
  
  /**
   * CNI CHECK: verify the attachment against prev_result. Side-effect free and
   * idempotent.
   */
  Check: grpc.handleUnaryCall<_plugd_network_v1_CheckRequest__Output, _plugd_network_v1_CheckResponse>;
  
  /**
   * CNI DEL: detach. Idempotent and best effort: it may come without a prior
   * ADD, more than once, or after a failed ADD; the plugin releases whatever
   * it can and answers success when nothing is left.
   */
  Del: grpc.handleUnaryCall<_plugd_network_v1_DelRequest__Output, _plugd_network_v1_DelResponse>;
  
  /**
   * CNI GC: release resources of attachments not in valid_attachments.
   * Idempotent.
   */
  GC: grpc.handleUnaryCall<_plugd_network_v1_GCRequest__Output, _plugd_network_v1_GCResponse>;
  
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  GetCapabilities: grpc.handleUnaryCall<_plugd_network_v1_GetCapabilitiesRequest__Output, _plugd_network_v1_Capabilities>;
  
  /**
   * CNI STATUS: is the plugin ready to service ADD? Side-effect free and
   * idempotent; the host may call it often.
   */
  Status: grpc.handleUnaryCall<_plugd_network_v1_StatusRequest__Output, _plugd_network_v1_StatusResponse>;
  
  /**
   * CNI VERSION: the versions the plugin supports. Side-effect free and
   * idempotent.
   */
  Version: grpc.handleUnaryCall<_plugd_network_v1_VersionRequest__Output, _plugd_network_v1_VersionResponse>;
  
}

export interface NetworkDefinition extends grpc.ServiceDefinition {
  Add: MethodDefinition<_plugd_network_v1_AddRequest, _plugd_network_v1_AddResponse, _plugd_network_v1_AddRequest__Output, _plugd_network_v1_AddResponse__Output>
  Check: MethodDefinition<_plugd_network_v1_CheckRequest, _plugd_network_v1_CheckResponse, _plugd_network_v1_CheckRequest__Output, _plugd_network_v1_CheckResponse__Output>
  Del: MethodDefinition<_plugd_network_v1_DelRequest, _plugd_network_v1_DelResponse, _plugd_network_v1_DelRequest__Output, _plugd_network_v1_DelResponse__Output>
  GC: MethodDefinition<_plugd_network_v1_GCRequest, _plugd_network_v1_GCResponse, _plugd_network_v1_GCRequest__Output, _plugd_network_v1_GCResponse__Output>
  GetCapabilities: MethodDefinition<_plugd_network_v1_GetCapabilitiesRequest, _plugd_network_v1_Capabilities, _plugd_network_v1_GetCapabilitiesRequest__Output, _plugd_network_v1_Capabilities__Output>
  Status: MethodDefinition<_plugd_network_v1_StatusRequest, _plugd_network_v1_StatusResponse, _plugd_network_v1_StatusRequest__Output, _plugd_network_v1_StatusResponse__Output>
  Version: MethodDefinition<_plugd_network_v1_VersionRequest, _plugd_network_v1_VersionResponse, _plugd_network_v1_VersionRequest__Output, _plugd_network_v1_VersionResponse__Output>
}
