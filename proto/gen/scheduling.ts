import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BindRequest as _plugd_scheduling_v1_BindRequest, BindRequest__Output as _plugd_scheduling_v1_BindRequest__Output } from './plugd/scheduling/v1/BindRequest.js';
import type { BindResponse as _plugd_scheduling_v1_BindResponse, BindResponse__Output as _plugd_scheduling_v1_BindResponse__Output } from './plugd/scheduling/v1/BindResponse.js';
import type { Capabilities as _plugd_scheduling_v1_Capabilities, Capabilities__Output as _plugd_scheduling_v1_Capabilities__Output } from './plugd/scheduling/v1/Capabilities.js';
import type { FilterRequest as _plugd_scheduling_v1_FilterRequest, FilterRequest__Output as _plugd_scheduling_v1_FilterRequest__Output } from './plugd/scheduling/v1/FilterRequest.js';
import type { FilterResponse as _plugd_scheduling_v1_FilterResponse, FilterResponse__Output as _plugd_scheduling_v1_FilterResponse__Output } from './plugd/scheduling/v1/FilterResponse.js';
import type { GetCapabilitiesRequest as _plugd_scheduling_v1_GetCapabilitiesRequest, GetCapabilitiesRequest__Output as _plugd_scheduling_v1_GetCapabilitiesRequest__Output } from './plugd/scheduling/v1/GetCapabilitiesRequest.js';
import type { Node as _plugd_scheduling_v1_Node, Node__Output as _plugd_scheduling_v1_Node__Output } from './plugd/scheduling/v1/Node.js';
import type { PermitRequest as _plugd_scheduling_v1_PermitRequest, PermitRequest__Output as _plugd_scheduling_v1_PermitRequest__Output } from './plugd/scheduling/v1/PermitRequest.js';
import type { PermitResponse as _plugd_scheduling_v1_PermitResponse, PermitResponse__Output as _plugd_scheduling_v1_PermitResponse__Output } from './plugd/scheduling/v1/PermitResponse.js';
import type { PostBindRequest as _plugd_scheduling_v1_PostBindRequest, PostBindRequest__Output as _plugd_scheduling_v1_PostBindRequest__Output } from './plugd/scheduling/v1/PostBindRequest.js';
import type { PostBindResponse as _plugd_scheduling_v1_PostBindResponse, PostBindResponse__Output as _plugd_scheduling_v1_PostBindResponse__Output } from './plugd/scheduling/v1/PostBindResponse.js';
import type { PostFilterRequest as _plugd_scheduling_v1_PostFilterRequest, PostFilterRequest__Output as _plugd_scheduling_v1_PostFilterRequest__Output } from './plugd/scheduling/v1/PostFilterRequest.js';
import type { PostFilterResponse as _plugd_scheduling_v1_PostFilterResponse, PostFilterResponse__Output as _plugd_scheduling_v1_PostFilterResponse__Output } from './plugd/scheduling/v1/PostFilterResponse.js';
import type { PreBindRequest as _plugd_scheduling_v1_PreBindRequest, PreBindRequest__Output as _plugd_scheduling_v1_PreBindRequest__Output } from './plugd/scheduling/v1/PreBindRequest.js';
import type { PreBindResponse as _plugd_scheduling_v1_PreBindResponse, PreBindResponse__Output as _plugd_scheduling_v1_PreBindResponse__Output } from './plugd/scheduling/v1/PreBindResponse.js';
import type { PreFilterRequest as _plugd_scheduling_v1_PreFilterRequest, PreFilterRequest__Output as _plugd_scheduling_v1_PreFilterRequest__Output } from './plugd/scheduling/v1/PreFilterRequest.js';
import type { PreFilterResponse as _plugd_scheduling_v1_PreFilterResponse, PreFilterResponse__Output as _plugd_scheduling_v1_PreFilterResponse__Output } from './plugd/scheduling/v1/PreFilterResponse.js';
import type { PreScoreRequest as _plugd_scheduling_v1_PreScoreRequest, PreScoreRequest__Output as _plugd_scheduling_v1_PreScoreRequest__Output } from './plugd/scheduling/v1/PreScoreRequest.js';
import type { PreScoreResponse as _plugd_scheduling_v1_PreScoreResponse, PreScoreResponse__Output as _plugd_scheduling_v1_PreScoreResponse__Output } from './plugd/scheduling/v1/PreScoreResponse.js';
import type { ReserveRequest as _plugd_scheduling_v1_ReserveRequest, ReserveRequest__Output as _plugd_scheduling_v1_ReserveRequest__Output } from './plugd/scheduling/v1/ReserveRequest.js';
import type { ReserveResponse as _plugd_scheduling_v1_ReserveResponse, ReserveResponse__Output as _plugd_scheduling_v1_ReserveResponse__Output } from './plugd/scheduling/v1/ReserveResponse.js';
import type { SchedulerClient as _plugd_scheduling_v1_SchedulerClient, SchedulerDefinition as _plugd_scheduling_v1_SchedulerDefinition } from './plugd/scheduling/v1/Scheduler.js';
import type { ScoreRequest as _plugd_scheduling_v1_ScoreRequest, ScoreRequest__Output as _plugd_scheduling_v1_ScoreRequest__Output } from './plugd/scheduling/v1/ScoreRequest.js';
import type { ScoreResponse as _plugd_scheduling_v1_ScoreResponse, ScoreResponse__Output as _plugd_scheduling_v1_ScoreResponse__Output } from './plugd/scheduling/v1/ScoreResponse.js';
import type { Snapshot as _plugd_scheduling_v1_Snapshot, Snapshot__Output as _plugd_scheduling_v1_Snapshot__Output } from './plugd/scheduling/v1/Snapshot.js';
import type { SnapshotDelta as _plugd_scheduling_v1_SnapshotDelta, SnapshotDelta__Output as _plugd_scheduling_v1_SnapshotDelta__Output } from './plugd/scheduling/v1/SnapshotDelta.js';
import type { Status as _plugd_scheduling_v1_Status, Status__Output as _plugd_scheduling_v1_Status__Output } from './plugd/scheduling/v1/Status.js';
import type { SyncAck as _plugd_scheduling_v1_SyncAck, SyncAck__Output as _plugd_scheduling_v1_SyncAck__Output } from './plugd/scheduling/v1/SyncAck.js';
import type { Taint as _plugd_scheduling_v1_Taint, Taint__Output as _plugd_scheduling_v1_Taint__Output } from './plugd/scheduling/v1/Taint.js';
import type { UnreserveRequest as _plugd_scheduling_v1_UnreserveRequest, UnreserveRequest__Output as _plugd_scheduling_v1_UnreserveRequest__Output } from './plugd/scheduling/v1/UnreserveRequest.js';
import type { UnreserveResponse as _plugd_scheduling_v1_UnreserveResponse, UnreserveResponse__Output as _plugd_scheduling_v1_UnreserveResponse__Output } from './plugd/scheduling/v1/UnreserveResponse.js';
import type { WaitOnPermitRequest as _plugd_scheduling_v1_WaitOnPermitRequest, WaitOnPermitRequest__Output as _plugd_scheduling_v1_WaitOnPermitRequest__Output } from './plugd/scheduling/v1/WaitOnPermitRequest.js';
import type { WaitOnPermitResponse as _plugd_scheduling_v1_WaitOnPermitResponse, WaitOnPermitResponse__Output as _plugd_scheduling_v1_WaitOnPermitResponse__Output } from './plugd/scheduling/v1/WaitOnPermitResponse.js';
import type { Capabilities as _plugd_scheduling_v1beta1_Capabilities, Capabilities__Output as _plugd_scheduling_v1beta1_Capabilities__Output } from './plugd/scheduling/v1beta1/Capabilities.js';
import type { FilterRequest as _plugd_scheduling_v1beta1_FilterRequest, FilterRequest__Output as _plugd_scheduling_v1beta1_FilterRequest__Output } from './plugd/scheduling/v1beta1/FilterRequest.js';
import type { FilterResponse as _plugd_scheduling_v1beta1_FilterResponse, FilterResponse__Output as _plugd_scheduling_v1beta1_FilterResponse__Output } from './plugd/scheduling/v1beta1/FilterResponse.js';
import type { GetCapabilitiesRequest as _plugd_scheduling_v1beta1_GetCapabilitiesRequest, GetCapabilitiesRequest__Output as _plugd_scheduling_v1beta1_GetCapabilitiesRequest__Output } from './plugd/scheduling/v1beta1/GetCapabilitiesRequest.js';
import type { Node as _plugd_scheduling_v1beta1_Node, Node__Output as _plugd_scheduling_v1beta1_Node__Output } from './plugd/scheduling/v1beta1/Node.js';
import type { SchedulerClient as _plugd_scheduling_v1beta1_SchedulerClient, SchedulerDefinition as _plugd_scheduling_v1beta1_SchedulerDefinition } from './plugd/scheduling/v1beta1/Scheduler.js';
import type { ScoreRequest as _plugd_scheduling_v1beta1_ScoreRequest, ScoreRequest__Output as _plugd_scheduling_v1beta1_ScoreRequest__Output } from './plugd/scheduling/v1beta1/ScoreRequest.js';
import type { ScoreResponse as _plugd_scheduling_v1beta1_ScoreResponse, ScoreResponse__Output as _plugd_scheduling_v1beta1_ScoreResponse__Output } from './plugd/scheduling/v1beta1/ScoreResponse.js';
import type { Taint as _plugd_scheduling_v1beta1_Taint, Taint__Output as _plugd_scheduling_v1beta1_Taint__Output } from './plugd/scheduling/v1beta1/Taint.js';
import type { Verdict as _plugd_scheduling_v1beta1_Verdict, Verdict__Output as _plugd_scheduling_v1beta1_Verdict__Output } from './plugd/scheduling/v1beta1/Verdict.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  plugd: {
    scheduling: {
      v1: {
        BindRequest: MessageTypeDefinition<_plugd_scheduling_v1_BindRequest, _plugd_scheduling_v1_BindRequest__Output>
        BindResponse: MessageTypeDefinition<_plugd_scheduling_v1_BindResponse, _plugd_scheduling_v1_BindResponse__Output>
        Capabilities: MessageTypeDefinition<_plugd_scheduling_v1_Capabilities, _plugd_scheduling_v1_Capabilities__Output>
        FailurePolicy: EnumTypeDefinition
        FilterRequest: MessageTypeDefinition<_plugd_scheduling_v1_FilterRequest, _plugd_scheduling_v1_FilterRequest__Output>
        FilterResponse: MessageTypeDefinition<_plugd_scheduling_v1_FilterResponse, _plugd_scheduling_v1_FilterResponse__Output>
        GetCapabilitiesRequest: MessageTypeDefinition<_plugd_scheduling_v1_GetCapabilitiesRequest, _plugd_scheduling_v1_GetCapabilitiesRequest__Output>
        Node: MessageTypeDefinition<_plugd_scheduling_v1_Node, _plugd_scheduling_v1_Node__Output>
        PermitRequest: MessageTypeDefinition<_plugd_scheduling_v1_PermitRequest, _plugd_scheduling_v1_PermitRequest__Output>
        PermitResponse: MessageTypeDefinition<_plugd_scheduling_v1_PermitResponse, _plugd_scheduling_v1_PermitResponse__Output>
        PostBindRequest: MessageTypeDefinition<_plugd_scheduling_v1_PostBindRequest, _plugd_scheduling_v1_PostBindRequest__Output>
        PostBindResponse: MessageTypeDefinition<_plugd_scheduling_v1_PostBindResponse, _plugd_scheduling_v1_PostBindResponse__Output>
        PostFilterRequest: MessageTypeDefinition<_plugd_scheduling_v1_PostFilterRequest, _plugd_scheduling_v1_PostFilterRequest__Output>
        PostFilterResponse: MessageTypeDefinition<_plugd_scheduling_v1_PostFilterResponse, _plugd_scheduling_v1_PostFilterResponse__Output>
        PreBindRequest: MessageTypeDefinition<_plugd_scheduling_v1_PreBindRequest, _plugd_scheduling_v1_PreBindRequest__Output>
        PreBindResponse: MessageTypeDefinition<_plugd_scheduling_v1_PreBindResponse, _plugd_scheduling_v1_PreBindResponse__Output>
        PreFilterRequest: MessageTypeDefinition<_plugd_scheduling_v1_PreFilterRequest, _plugd_scheduling_v1_PreFilterRequest__Output>
        PreFilterResponse: MessageTypeDefinition<_plugd_scheduling_v1_PreFilterResponse, _plugd_scheduling_v1_PreFilterResponse__Output>
        PreScoreRequest: MessageTypeDefinition<_plugd_scheduling_v1_PreScoreRequest, _plugd_scheduling_v1_PreScoreRequest__Output>
        PreScoreResponse: MessageTypeDefinition<_plugd_scheduling_v1_PreScoreResponse, _plugd_scheduling_v1_PreScoreResponse__Output>
        ReserveRequest: MessageTypeDefinition<_plugd_scheduling_v1_ReserveRequest, _plugd_scheduling_v1_ReserveRequest__Output>
        ReserveResponse: MessageTypeDefinition<_plugd_scheduling_v1_ReserveResponse, _plugd_scheduling_v1_ReserveResponse__Output>
        /**
         * Scheduler is served by a scheduling plugin; the host's scheduling framework
         * calls it. Per pod, the scheduling cycle (PreFilter, Filter, PostFilter,
         * PreScore, Score, Reserve, Permit) runs one pod at a time, in the order of the
         * plugins; the binding cycle (WaitOnPermit, PreBind, Bind, PostBind) runs
         * asynchronously, several pods at once.
         */
        Scheduler: SubtypeConstructor<typeof grpc.Client, _plugd_scheduling_v1_SchedulerClient> & { service: _plugd_scheduling_v1_SchedulerDefinition }
        ScoreRequest: MessageTypeDefinition<_plugd_scheduling_v1_ScoreRequest, _plugd_scheduling_v1_ScoreRequest__Output>
        ScoreResponse: MessageTypeDefinition<_plugd_scheduling_v1_ScoreResponse, _plugd_scheduling_v1_ScoreResponse__Output>
        Snapshot: MessageTypeDefinition<_plugd_scheduling_v1_Snapshot, _plugd_scheduling_v1_Snapshot__Output>
        SnapshotDelta: MessageTypeDefinition<_plugd_scheduling_v1_SnapshotDelta, _plugd_scheduling_v1_SnapshotDelta__Output>
        Status: MessageTypeDefinition<_plugd_scheduling_v1_Status, _plugd_scheduling_v1_Status__Output>
        SyncAck: MessageTypeDefinition<_plugd_scheduling_v1_SyncAck, _plugd_scheduling_v1_SyncAck__Output>
        Taint: MessageTypeDefinition<_plugd_scheduling_v1_Taint, _plugd_scheduling_v1_Taint__Output>
        UnreserveRequest: MessageTypeDefinition<_plugd_scheduling_v1_UnreserveRequest, _plugd_scheduling_v1_UnreserveRequest__Output>
        UnreserveResponse: MessageTypeDefinition<_plugd_scheduling_v1_UnreserveResponse, _plugd_scheduling_v1_UnreserveResponse__Output>
        WaitOnPermitRequest: MessageTypeDefinition<_plugd_scheduling_v1_WaitOnPermitRequest, _plugd_scheduling_v1_WaitOnPermitRequest__Output>
        WaitOnPermitResponse: MessageTypeDefinition<_plugd_scheduling_v1_WaitOnPermitResponse, _plugd_scheduling_v1_WaitOnPermitResponse__Output>
      }
      v1beta1: {
        Capabilities: MessageTypeDefinition<_plugd_scheduling_v1beta1_Capabilities, _plugd_scheduling_v1beta1_Capabilities__Output>
        Code: EnumTypeDefinition
        FailurePolicy: EnumTypeDefinition
        FilterRequest: MessageTypeDefinition<_plugd_scheduling_v1beta1_FilterRequest, _plugd_scheduling_v1beta1_FilterRequest__Output>
        FilterResponse: MessageTypeDefinition<_plugd_scheduling_v1beta1_FilterResponse, _plugd_scheduling_v1beta1_FilterResponse__Output>
        GetCapabilitiesRequest: MessageTypeDefinition<_plugd_scheduling_v1beta1_GetCapabilitiesRequest, _plugd_scheduling_v1beta1_GetCapabilitiesRequest__Output>
        Node: MessageTypeDefinition<_plugd_scheduling_v1beta1_Node, _plugd_scheduling_v1beta1_Node__Output>
        /**
         * Scheduler is served by a v1beta1 scheduling plugin; the host's scheduling
         * framework calls it, one pod at a time, in the order of the profile's
         * plugins.
         */
        Scheduler: SubtypeConstructor<typeof grpc.Client, _plugd_scheduling_v1beta1_SchedulerClient> & { service: _plugd_scheduling_v1beta1_SchedulerDefinition }
        ScoreRequest: MessageTypeDefinition<_plugd_scheduling_v1beta1_ScoreRequest, _plugd_scheduling_v1beta1_ScoreRequest__Output>
        ScoreResponse: MessageTypeDefinition<_plugd_scheduling_v1beta1_ScoreResponse, _plugd_scheduling_v1beta1_ScoreResponse__Output>
        Taint: MessageTypeDefinition<_plugd_scheduling_v1beta1_Taint, _plugd_scheduling_v1beta1_Taint__Output>
        Verdict: MessageTypeDefinition<_plugd_scheduling_v1beta1_Verdict, _plugd_scheduling_v1beta1_Verdict__Output>
      }
    }
  }
}

