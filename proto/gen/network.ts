import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AddRequest as _plugd_network_v1_AddRequest, AddRequest__Output as _plugd_network_v1_AddRequest__Output } from './plugd/network/v1/AddRequest.js';
import type { AddResponse as _plugd_network_v1_AddResponse, AddResponse__Output as _plugd_network_v1_AddResponse__Output } from './plugd/network/v1/AddResponse.js';
import type { Attachment as _plugd_network_v1_Attachment, Attachment__Output as _plugd_network_v1_Attachment__Output } from './plugd/network/v1/Attachment.js';
import type { Capabilities as _plugd_network_v1_Capabilities, Capabilities__Output as _plugd_network_v1_Capabilities__Output } from './plugd/network/v1/Capabilities.js';
import type { CheckRequest as _plugd_network_v1_CheckRequest, CheckRequest__Output as _plugd_network_v1_CheckRequest__Output } from './plugd/network/v1/CheckRequest.js';
import type { CheckResponse as _plugd_network_v1_CheckResponse, CheckResponse__Output as _plugd_network_v1_CheckResponse__Output } from './plugd/network/v1/CheckResponse.js';
import type { DNS as _plugd_network_v1_DNS, DNS__Output as _plugd_network_v1_DNS__Output } from './plugd/network/v1/DNS.js';
import type { DelRequest as _plugd_network_v1_DelRequest, DelRequest__Output as _plugd_network_v1_DelRequest__Output } from './plugd/network/v1/DelRequest.js';
import type { DelResponse as _plugd_network_v1_DelResponse, DelResponse__Output as _plugd_network_v1_DelResponse__Output } from './plugd/network/v1/DelResponse.js';
import type { Error as _plugd_network_v1_Error, Error__Output as _plugd_network_v1_Error__Output } from './plugd/network/v1/Error.js';
import type { GCRequest as _plugd_network_v1_GCRequest, GCRequest__Output as _plugd_network_v1_GCRequest__Output } from './plugd/network/v1/GCRequest.js';
import type { GCResponse as _plugd_network_v1_GCResponse, GCResponse__Output as _plugd_network_v1_GCResponse__Output } from './plugd/network/v1/GCResponse.js';
import type { GetCapabilitiesRequest as _plugd_network_v1_GetCapabilitiesRequest, GetCapabilitiesRequest__Output as _plugd_network_v1_GetCapabilitiesRequest__Output } from './plugd/network/v1/GetCapabilitiesRequest.js';
import type { IPConfig as _plugd_network_v1_IPConfig, IPConfig__Output as _plugd_network_v1_IPConfig__Output } from './plugd/network/v1/IPConfig.js';
import type { Interface as _plugd_network_v1_Interface, Interface__Output as _plugd_network_v1_Interface__Output } from './plugd/network/v1/Interface.js';
import type { NetworkClient as _plugd_network_v1_NetworkClient, NetworkDefinition as _plugd_network_v1_NetworkDefinition } from './plugd/network/v1/Network.js';
import type { Result as _plugd_network_v1_Result, Result__Output as _plugd_network_v1_Result__Output } from './plugd/network/v1/Result.js';
import type { Route as _plugd_network_v1_Route, Route__Output as _plugd_network_v1_Route__Output } from './plugd/network/v1/Route.js';
import type { RuntimeConf as _plugd_network_v1_RuntimeConf, RuntimeConf__Output as _plugd_network_v1_RuntimeConf__Output } from './plugd/network/v1/RuntimeConf.js';
import type { StatusRequest as _plugd_network_v1_StatusRequest, StatusRequest__Output as _plugd_network_v1_StatusRequest__Output } from './plugd/network/v1/StatusRequest.js';
import type { StatusResponse as _plugd_network_v1_StatusResponse, StatusResponse__Output as _plugd_network_v1_StatusResponse__Output } from './plugd/network/v1/StatusResponse.js';
import type { VersionRequest as _plugd_network_v1_VersionRequest, VersionRequest__Output as _plugd_network_v1_VersionRequest__Output } from './plugd/network/v1/VersionRequest.js';
import type { VersionResponse as _plugd_network_v1_VersionResponse, VersionResponse__Output as _plugd_network_v1_VersionResponse__Output } from './plugd/network/v1/VersionResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  plugd: {
    network: {
      v1: {
        AddRequest: MessageTypeDefinition<_plugd_network_v1_AddRequest, _plugd_network_v1_AddRequest__Output>
        AddResponse: MessageTypeDefinition<_plugd_network_v1_AddResponse, _plugd_network_v1_AddResponse__Output>
        Attachment: MessageTypeDefinition<_plugd_network_v1_Attachment, _plugd_network_v1_Attachment__Output>
        Capabilities: MessageTypeDefinition<_plugd_network_v1_Capabilities, _plugd_network_v1_Capabilities__Output>
        CheckRequest: MessageTypeDefinition<_plugd_network_v1_CheckRequest, _plugd_network_v1_CheckRequest__Output>
        CheckResponse: MessageTypeDefinition<_plugd_network_v1_CheckResponse, _plugd_network_v1_CheckResponse__Output>
        DNS: MessageTypeDefinition<_plugd_network_v1_DNS, _plugd_network_v1_DNS__Output>
        DelRequest: MessageTypeDefinition<_plugd_network_v1_DelRequest, _plugd_network_v1_DelRequest__Output>
        DelResponse: MessageTypeDefinition<_plugd_network_v1_DelResponse, _plugd_network_v1_DelResponse__Output>
        Error: MessageTypeDefinition<_plugd_network_v1_Error, _plugd_network_v1_Error__Output>
        ErrorCode: EnumTypeDefinition
        FailurePolicy: EnumTypeDefinition
        GCRequest: MessageTypeDefinition<_plugd_network_v1_GCRequest, _plugd_network_v1_GCRequest__Output>
        GCResponse: MessageTypeDefinition<_plugd_network_v1_GCResponse, _plugd_network_v1_GCResponse__Output>
        GetCapabilitiesRequest: MessageTypeDefinition<_plugd_network_v1_GetCapabilitiesRequest, _plugd_network_v1_GetCapabilitiesRequest__Output>
        IPConfig: MessageTypeDefinition<_plugd_network_v1_IPConfig, _plugd_network_v1_IPConfig__Output>
        Interface: MessageTypeDefinition<_plugd_network_v1_Interface, _plugd_network_v1_Interface__Output>
        /**
         * Network is served by a network plugin; the host's network chains call it.
         */
        Network: SubtypeConstructor<typeof grpc.Client, _plugd_network_v1_NetworkClient> & { service: _plugd_network_v1_NetworkDefinition }
        Result: MessageTypeDefinition<_plugd_network_v1_Result, _plugd_network_v1_Result__Output>
        Route: MessageTypeDefinition<_plugd_network_v1_Route, _plugd_network_v1_Route__Output>
        RuntimeConf: MessageTypeDefinition<_plugd_network_v1_RuntimeConf, _plugd_network_v1_RuntimeConf__Output>
        StatusRequest: MessageTypeDefinition<_plugd_network_v1_StatusRequest, _plugd_network_v1_StatusRequest__Output>
        StatusResponse: MessageTypeDefinition<_plugd_network_v1_StatusResponse, _plugd_network_v1_StatusResponse__Output>
        VersionRequest: MessageTypeDefinition<_plugd_network_v1_VersionRequest, _plugd_network_v1_VersionRequest__Output>
        VersionResponse: MessageTypeDefinition<_plugd_network_v1_VersionResponse, _plugd_network_v1_VersionResponse__Output>
      }
    }
  }
}

