// Original file: proto/plugd/admission/v1/admission.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AdmitRequest as _plugd_admission_v1_AdmitRequest, AdmitRequest__Output as _plugd_admission_v1_AdmitRequest__Output } from '../../../plugd/admission/v1/AdmitRequest.js';
import type { AdmitResponse as _plugd_admission_v1_AdmitResponse, AdmitResponse__Output as _plugd_admission_v1_AdmitResponse__Output } from '../../../plugd/admission/v1/AdmitResponse.js';
import type { Capabilities as _plugd_admission_v1_Capabilities, Capabilities__Output as _plugd_admission_v1_Capabilities__Output } from '../../../plugd/admission/v1/Capabilities.js';
import type { GetCapabilitiesRequest as _plugd_admission_v1_GetCapabilitiesRequest, GetCapabilitiesRequest__Output as _plugd_admission_v1_GetCapabilitiesRequest__Output } from '../../../plugd/admission/v1/GetCapabilitiesRequest.js';

/**
 * Admission is served by an admission plugin; the host's admission chain calls
 * it for each API request matching the plugin's rules and selectors.
 */
export interface AdmissionClient extends grpc.Client {
  /**
   * Admits, denies or (mutating phase) patches one request. Not assumed
   * idempotent: the host retries it (once, after a transport failure) only
   * when side_effects is NONE. The answer is the plugin's verdict; a gRPC
   * error status is a failed call (see FailurePolicy), never a deny.
   */
  Admit(argument: _plugd_admission_v1_AdmitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_admission_v1_AdmitResponse__Output>): grpc.ClientUnaryCall;
  Admit(argument: _plugd_admission_v1_AdmitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_admission_v1_AdmitResponse__Output>): grpc.ClientUnaryCall;
  Admit(argument: _plugd_admission_v1_AdmitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_admission_v1_AdmitResponse__Output>): grpc.ClientUnaryCall;
  Admit(argument: _plugd_admission_v1_AdmitRequest, callback: grpc.requestCallback<_plugd_admission_v1_AdmitResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Admits, denies or (mutating phase) patches one request. Not assumed
   * idempotent: the host retries it (once, after a transport failure) only
   * when side_effects is NONE. The answer is the plugin's verdict; a gRPC
   * error status is a failed call (see FailurePolicy), never a deny.
   */
  admit(argument: _plugd_admission_v1_AdmitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_admission_v1_AdmitResponse__Output>): grpc.ClientUnaryCall;
  admit(argument: _plugd_admission_v1_AdmitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_admission_v1_AdmitResponse__Output>): grpc.ClientUnaryCall;
  admit(argument: _plugd_admission_v1_AdmitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_admission_v1_AdmitResponse__Output>): grpc.ClientUnaryCall;
  admit(argument: _plugd_admission_v1_AdmitRequest, callback: grpc.requestCallback<_plugd_admission_v1_AdmitResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  GetCapabilities(argument: _plugd_admission_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_admission_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_admission_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_admission_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_admission_v1_GetCapabilitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_admission_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_admission_v1_GetCapabilitiesRequest, callback: grpc.requestCallback<_plugd_admission_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  getCapabilities(argument: _plugd_admission_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_admission_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_admission_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_admission_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_admission_v1_GetCapabilitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_admission_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_admission_v1_GetCapabilitiesRequest, callback: grpc.requestCallback<_plugd_admission_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Admission is served by an admission plugin; the host's admission chain calls
 * it for each API request matching the plugin's rules and selectors.
 */
export interface AdmissionHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Admits, denies or (mutating phase) patches one request. Not assumed
   * idempotent: the host retries it (once, after a transport failure) only
   * when side_effects is NONE. The answer is the plugin's verdict; a gRPC
   * error status is a failed call (see FailurePolicy), never a deny.
   */
  Admit: grpc.handleUnaryCall<_plugd_admission_v1_AdmitRequest__Output, _plugd_admission_v1_AdmitResponse>;
  
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  GetCapabilities: grpc.handleUnaryCall<_plugd_admission_v1_GetCapabilitiesRequest__Output, _plugd_admission_v1_Capabilities>;
  
}

export interface AdmissionDefinition extends grpc.ServiceDefinition {
  Admit: MethodDefinition<_plugd_admission_v1_AdmitRequest, _plugd_admission_v1_AdmitResponse, _plugd_admission_v1_AdmitRequest__Output, _plugd_admission_v1_AdmitResponse__Output>
  GetCapabilities: MethodDefinition<_plugd_admission_v1_GetCapabilitiesRequest, _plugd_admission_v1_Capabilities, _plugd_admission_v1_GetCapabilitiesRequest__Output, _plugd_admission_v1_Capabilities__Output>
}
