import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AdmissionClient as _plugd_admission_v1_AdmissionClient, AdmissionDefinition as _plugd_admission_v1_AdmissionDefinition } from './plugd/admission/v1/Admission.js';
import type { AdmitRequest as _plugd_admission_v1_AdmitRequest, AdmitRequest__Output as _plugd_admission_v1_AdmitRequest__Output } from './plugd/admission/v1/AdmitRequest.js';
import type { AdmitResponse as _plugd_admission_v1_AdmitResponse, AdmitResponse__Output as _plugd_admission_v1_AdmitResponse__Output } from './plugd/admission/v1/AdmitResponse.js';
import type { Capabilities as _plugd_admission_v1_Capabilities, Capabilities__Output as _plugd_admission_v1_Capabilities__Output } from './plugd/admission/v1/Capabilities.js';
import type { ExtraValue as _plugd_admission_v1_ExtraValue, ExtraValue__Output as _plugd_admission_v1_ExtraValue__Output } from './plugd/admission/v1/ExtraValue.js';
import type { GetCapabilitiesRequest as _plugd_admission_v1_GetCapabilitiesRequest, GetCapabilitiesRequest__Output as _plugd_admission_v1_GetCapabilitiesRequest__Output } from './plugd/admission/v1/GetCapabilitiesRequest.js';
import type { GroupVersionKind as _plugd_admission_v1_GroupVersionKind, GroupVersionKind__Output as _plugd_admission_v1_GroupVersionKind__Output } from './plugd/admission/v1/GroupVersionKind.js';
import type { GroupVersionResource as _plugd_admission_v1_GroupVersionResource, GroupVersionResource__Output as _plugd_admission_v1_GroupVersionResource__Output } from './plugd/admission/v1/GroupVersionResource.js';
import type { LabelSelector as _plugd_admission_v1_LabelSelector, LabelSelector__Output as _plugd_admission_v1_LabelSelector__Output } from './plugd/admission/v1/LabelSelector.js';
import type { LabelSelectorRequirement as _plugd_admission_v1_LabelSelectorRequirement, LabelSelectorRequirement__Output as _plugd_admission_v1_LabelSelectorRequirement__Output } from './plugd/admission/v1/LabelSelectorRequirement.js';
import type { Rule as _plugd_admission_v1_Rule, Rule__Output as _plugd_admission_v1_Rule__Output } from './plugd/admission/v1/Rule.js';
import type { Status as _plugd_admission_v1_Status, Status__Output as _plugd_admission_v1_Status__Output } from './plugd/admission/v1/Status.js';
import type { UserInfo as _plugd_admission_v1_UserInfo, UserInfo__Output as _plugd_admission_v1_UserInfo__Output } from './plugd/admission/v1/UserInfo.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  plugd: {
    admission: {
      v1: {
        /**
         * Admission is served by an admission plugin; the host's admission chain calls
         * it for each API request matching the plugin's rules and selectors.
         */
        Admission: SubtypeConstructor<typeof grpc.Client, _plugd_admission_v1_AdmissionClient> & { service: _plugd_admission_v1_AdmissionDefinition }
        AdmitRequest: MessageTypeDefinition<_plugd_admission_v1_AdmitRequest, _plugd_admission_v1_AdmitRequest__Output>
        AdmitResponse: MessageTypeDefinition<_plugd_admission_v1_AdmitResponse, _plugd_admission_v1_AdmitResponse__Output>
        Capabilities: MessageTypeDefinition<_plugd_admission_v1_Capabilities, _plugd_admission_v1_Capabilities__Output>
        ExtraValue: MessageTypeDefinition<_plugd_admission_v1_ExtraValue, _plugd_admission_v1_ExtraValue__Output>
        FailurePolicy: EnumTypeDefinition
        GetCapabilitiesRequest: MessageTypeDefinition<_plugd_admission_v1_GetCapabilitiesRequest, _plugd_admission_v1_GetCapabilitiesRequest__Output>
        GroupVersionKind: MessageTypeDefinition<_plugd_admission_v1_GroupVersionKind, _plugd_admission_v1_GroupVersionKind__Output>
        GroupVersionResource: MessageTypeDefinition<_plugd_admission_v1_GroupVersionResource, _plugd_admission_v1_GroupVersionResource__Output>
        Kind: EnumTypeDefinition
        LabelSelector: MessageTypeDefinition<_plugd_admission_v1_LabelSelector, _plugd_admission_v1_LabelSelector__Output>
        LabelSelectorRequirement: MessageTypeDefinition<_plugd_admission_v1_LabelSelectorRequirement, _plugd_admission_v1_LabelSelectorRequirement__Output>
        ReinvocationPolicy: EnumTypeDefinition
        Rule: MessageTypeDefinition<_plugd_admission_v1_Rule, _plugd_admission_v1_Rule__Output>
        SideEffects: EnumTypeDefinition
        Status: MessageTypeDefinition<_plugd_admission_v1_Status, _plugd_admission_v1_Status__Output>
        UserInfo: MessageTypeDefinition<_plugd_admission_v1_UserInfo, _plugd_admission_v1_UserInfo__Output>
      }
    }
  }
}

