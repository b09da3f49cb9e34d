// Original file: proto/plugd/scheduling/v1beta1/scheduling.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Capabilities as _plugd_scheduling_v1beta1_Capabilities, Capabilities__Output as _plugd_scheduling_v1beta1_Capabilities__Output } from '../../../plugd/scheduling/v1beta1/Capabilities.js';
import type { FilterRequest as _plugd_scheduling_v1beta1_FilterRequest, FilterRequest__Output as _plugd_scheduling_v1beta1_FilterRequest__Output } from '../../../plugd/scheduling/v1beta1/FilterRequest.js';
import type { FilterResponse as _plugd_scheduling_v1beta1_FilterResponse, FilterResponse__Output as _plugd_scheduling_v1beta1_FilterResponse__Output } from '../../../plugd/scheduling/v1beta1/FilterResponse.js';
import type { GetCapabilitiesRequest as _plugd_scheduling_v1beta1_GetCapabilitiesRequest, GetCapabilitiesRequest__Output as _plugd_scheduling_v1beta1_GetCapabilitiesRequest__Output } from '../../../plugd/scheduling/v1beta1/GetCapabilitiesRequest.js';
import type { ScoreRequest as _plugd_scheduling_v1beta1_ScoreRequest, ScoreRequest__Output as _plugd_scheduling_v1beta1_ScoreRequest__Output } from '../../../plugd/scheduling/v1beta1/ScoreRequest.js';
import type { ScoreResponse as _plugd_scheduling_v1beta1_ScoreResponse, ScoreResponse__Output as _plugd_scheduling_v1beta1_ScoreResponse__Output } from '../../../plugd/scheduling/v1beta1/ScoreResponse.js';

/**
 * Scheduler is served by a v1beta1 scheduling plugin; the host's scheduling
 * framework calls it, one pod at a time, in the order of the profile's
 * plugins.
 */
export interface SchedulerClient extends grpc.Client {
  /**
   * Does the pod fit each node? The host may split a cycle's nodes over
   * several concurrent calls. Side-effect free and idempotent.
   */
  Filter(argument: _plugd_scheduling_v1beta1_FilterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_FilterResponse__Output>): grpc.ClientUnaryCall;
  Filter(argument: _plugd_scheduling_v1beta1_FilterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_FilterResponse__Output>): grpc.ClientUnaryCall;
  Filter(argument: _plugd_scheduling_v1beta1_FilterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_FilterResponse__Output>): grpc.ClientUnaryCall;
  Filter(argument: _plugd_scheduling_v1beta1_FilterRequest, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_FilterResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Does the pod fit each node? The host may split a cycle's nodes over
   * several concurrent calls. Side-effect free and idempotent.
   */
  filter(argument: _plugd_scheduling_v1beta1_FilterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_FilterResponse__Output>): grpc.ClientUnaryCall;
  filter(argument: _plugd_scheduling_v1beta1_FilterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_FilterResponse__Output>): grpc.ClientUnaryCall;
  filter(argument: _plugd_scheduling_v1beta1_FilterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_FilterResponse__Output>): grpc.ClientUnaryCall;
  filter(argument: _plugd_scheduling_v1beta1_FilterRequest, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_FilterResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  GetCapabilities(argument: _plugd_scheduling_v1beta1_GetCapabilitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_scheduling_v1beta1_GetCapabilitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_scheduling_v1beta1_GetCapabilitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_scheduling_v1beta1_GetCapabilitiesRequest, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_Capabilities__Output>): grpc.ClientUnaryCall;
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  getCapabilities(argument: _plugd_scheduling_v1beta1_GetCapabilitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_scheduling_v1beta1_GetCapabilitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_scheduling_v1beta1_GetCapabilitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_scheduling_v1beta1_GetCapabilitiesRequest, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_Capabilities__Output>): grpc.ClientUnaryCall;
  
  /**
   * Scores every feasible node in one call. Side-effect free and idempotent.
   */
  Score(argument: _plugd_scheduling_v1beta1_ScoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _plugd_scheduling_v1beta1_ScoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _plugd_scheduling_v1beta1_ScoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _plugd_scheduling_v1beta1_ScoreRequest, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Scores every feasible node in one call. Side-effect free and idempotent.
   */
  score(argument: _plugd_scheduling_v1beta1_ScoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _plugd_scheduling_v1beta1_ScoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _plugd_scheduling_v1beta1_ScoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _plugd_scheduling_v1beta1_ScoreRequest, callback: grpc.requestCallback<_plugd_scheduling_v1beta1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Scheduler is served by a v1beta1 scheduling plugin; the host's scheduling
 * framework calls it, one pod at a time, in the order of the profile's
 * plugins.
 */
export interface SchedulerHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Does the pod fit each node? The host may split a cycle's nodes over
   * several concurrent calls. Side-effect free and idempotent.
   */
  Filter: grpc.handleUnaryCall<_plugd_scheduling_v1beta1_FilterRequest__Output, _plugd_scheduling_v1beta1_FilterResponse>;
  
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  GetCapabilities: grpc.handleUnaryCall<_plugd_scheduling_v1beta1_GetCapabilitiesRequest__Output, _plugd_scheduling_v1beta1_Capabilities>;
  
  /**
   * Scores every feasible node in one call. Side-effect free and idempotent.
   */
  Score: grpc.handleUnaryCall<_plugd_scheduling_v1beta1_ScoreRequest__Output, _plugd_scheduling_v1beta1_ScoreResponse>;
  
}

export interface SchedulerDefinition extends grpc.ServiceDefinition {
  Filter: MethodDefinition<_plugd_scheduling_v1beta1_FilterRequest, _plugd_scheduling_v1beta1_FilterResponse, _plugd_scheduling_v1beta1_FilterRequest__Output, _plugd_scheduling_v1beta1_FilterResponse__Output>
  GetCapabilities: MethodDefinition<_plugd_scheduling_v1beta1_GetCapabilitiesRequest, _plugd_scheduling_v1beta1_Capabilities, _plugd_scheduling_v1beta1_GetCapabilitiesRequest__Output, _plugd_scheduling_v1beta1_Capabilities__Output>
  Score: MethodDefinition<_plugd_scheduling_v1beta1_ScoreRequest, _plugd_scheduling_v1beta1_ScoreResponse, _plugd_scheduling_v1beta1_ScoreRequest__Output, _plugd_scheduling_v1beta1_ScoreResponse__Output>
}
