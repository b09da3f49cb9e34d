// Original file: proto/plugd/scheduling/v1/scheduling.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BindRequest as _plugd_scheduling_v1_BindRequest, BindRequest__Output as _plugd_scheduling_v1_BindRequest__Output } from '../../../plugd/scheduling/v1/BindRequest.js';
import type { BindResponse as _plugd_scheduling_v1_BindResponse, BindResponse__Output as _plugd_scheduling_v1_BindResponse__Output } from '../../../plugd/scheduling/v1/BindResponse.js';
import type { Capabilities as _plugd_scheduling_v1_Capabilities, Capabilities__Output as _plugd_scheduling_v1_Capabilities__Output } from '../../../plugd/scheduling/v1/Capabilities.js';
import type { FilterRequest as _plugd_scheduling_v1_FilterRequest, FilterRequest__Output as _plugd_scheduling_v1_FilterRequest__Output } from '../../../plugd/scheduling/v1/FilterRequest.js';
import type { FilterResponse as _plugd_scheduling_v1_FilterResponse, FilterResponse__Output as _plugd_scheduling_v1_FilterResponse__Output } from '../../../plugd/scheduling/v1/FilterResponse.js';
import type { GetCapabilitiesRequest as _plugd_scheduling_v1_GetCapabilitiesRequest, GetCapabilitiesRequest__Output as _plugd_scheduling_v1_GetCapabilitiesRequest__Output } from '../../../plugd/scheduling/v1/GetCapabilitiesRequest.js';
import type { PermitRequest as _plugd_scheduling_v1_PermitRequest, PermitRequest__Output as _plugd_scheduling_v1_PermitRequest__Output } from '../../../plugd/scheduling/v1/PermitRequest.js';
import type { PermitResponse as _plugd_scheduling_v1_PermitResponse, PermitResponse__Output as _plugd_scheduling_v1_PermitResponse__Output } from '../../../plugd/scheduling/v1/PermitResponse.js';
import type { PostBindRequest as _plugd_scheduling_v1_PostBindRequest, PostBindRequest__Output as _plugd_scheduling_v1_PostBindRequest__Output } from '../../../plugd/scheduling/v1/PostBindRequest.js';
import type { PostBindResponse as _plugd_scheduling_v1_PostBindResponse, PostBindResponse__Output as _plugd_scheduling_v1_PostBindResponse__Output } from '../../../plugd/scheduling/v1/PostBindResponse.js';
import type { PostFilterRequest as _plugd_scheduling_v1_PostFilterRequest, PostFilterRequest__Output as _plugd_scheduling_v1_PostFilterRequest__Output } from '../../../plugd/scheduling/v1/PostFilterRequest.js';
import type { PostFilterResponse as _plugd_scheduling_v1_PostFilterResponse, PostFilterResponse__Output as _plugd_scheduling_v1_PostFilterResponse__Output } from '../../../plugd/scheduling/v1/PostFilterResponse.js';
import type { PreBindRequest as _plugd_scheduling_v1_PreBindRequest, PreBindRequest__Output as _plugd_scheduling_v1_PreBindRequest__Output } from '../../../plugd/scheduling/v1/PreBindRequest.js';
import type { PreBindResponse as _plugd_scheduling_v1_PreBindResponse, PreBindResponse__Output as _plugd_scheduling_v1_PreBindResponse__Output } from '../../../plugd/scheduling/v1/PreBindResponse.js';
import type { PreFilterRequest as _plugd_scheduling_v1_PreFilterRequest, PreFilterRequest__Output as _plugd_scheduling_v1_PreFilterRequest__Output } from '../../../plugd/scheduling/v1/PreFilterRequest.js';
import type { PreFilterResponse as _plugd_scheduling_v1_PreFilterResponse, PreFilterResponse__Output as _plugd_scheduling_v1_PreFilterResponse__Output } from '../../../plugd/scheduling/v1/PreFilterResponse.js';
import type { PreScoreRequest as _plugd_scheduling_v1_PreScoreRequest, PreScoreRequest__Output as _plugd_scheduling_v1_PreScoreRequest__Output } from '../../../plugd/scheduling/v1/PreScoreRequest.js';
import type { PreScoreResponse as _plugd_scheduling_v1_PreScoreResponse, PreScoreResponse__Output as _plugd_scheduling_v1_PreScoreResponse__Output } from '../../../plugd/scheduling/v1/PreScoreResponse.js';
import type { ReserveRequest as _plugd_scheduling_v1_ReserveRequest, ReserveRequest__Output as _plugd_scheduling_v1_ReserveRequest__Output } from '../../../plugd/scheduling/v1/ReserveRequest.js';
import type { ReserveResponse as _plugd_scheduling_v1_ReserveResponse, ReserveResponse__Output as _plugd_scheduling_v1_ReserveResponse__Output } from '../../../plugd/scheduling/v1/ReserveResponse.js';
import type { ScoreRequest as _plugd_scheduling_v1_ScoreRequest, ScoreRequest__Output as _plugd_scheduling_v1_ScoreRequest__Output } from '../../../plugd/scheduling/v1/ScoreRequest.js';
import type { ScoreResponse as _plugd_scheduling_v1_ScoreResponse, ScoreResponse__Output as _plugd_scheduling_v1_ScoreResponse__Output } from '../../../plugd/scheduling/v1/ScoreResponse.js';
import type { Snapshot as _plugd_scheduling_v1_Snapshot, Snapshot__Output as _plugd_scheduling_v1_Snapshot__Output } from '../../../plugd/scheduling/v1/Snapshot.js';
import type { SnapshotDelta as _plugd_scheduling_v1_SnapshotDelta, SnapshotDelta__Output as _plugd_scheduling_v1_SnapshotDelta__Output } from '../../../plugd/scheduling/v1/SnapshotDelta.js';
import type { SyncAck as _plugd_scheduling_v1_SyncAck, SyncAck__Output as _plugd_scheduling_v1_SyncAck__Output } from '../../../plugd/scheduling/v1/SyncAck.js';
import type { UnreserveRequest as _plugd_scheduling_v1_UnreserveRequest, UnreserveRequest__Output as _plugd_scheduling_v1_UnreserveRequest__Output } from '../../../plugd/scheduling/v1/UnreserveRequest.js';
import type { UnreserveResponse as _plugd_scheduling_v1_UnreserveResponse, UnreserveResponse__Output as _plugd_scheduling_v1_UnreserveResponse__Output } from '../../../plugd/scheduling/v1/UnreserveResponse.js';
import type { WaitOnPermitRequest as _plugd_scheduling_v1_WaitOnPermitRequest, WaitOnPermitRequest__Output as _plugd_scheduling_v1_WaitOnPermitRequest__Output } from '../../../plugd/scheduling/v1/WaitOnPermitRequest.js';
import type { WaitOnPermitResponse as _plugd_scheduling_v1_WaitOnPermitResponse, WaitOnPermitResponse__Output as _plugd_scheduling_v1_WaitOnPermitResponse__Output } from '../../../plugd/scheduling/v1/WaitOnPermitResponse.js';

/**
 * Scheduler is served by a scheduling plugin; the host's scheduling framework
 * calls it. Per pod, the scheduling cycle (PreFilter, Filter, PostFilter,
 * PreScore, Score, Reserve, Permit) runs one pod at a time, in the order of the
 * plugins; the binding cycle (WaitOnPermit, PreBind, Bind, PostBind) runs
 * asynchronously, several pods at once.
 */
export interface SchedulerClient extends grpc.Client {
  /**
   * Applies a delta on top of from_generation; STALE if the plugin does not
   * hold exactly that generation. Deltas are sent one at a time, in order.
   * Repeating an applied delta answers STALE (from_generation is past).
   */
  ApplyDelta(argument: _plugd_scheduling_v1_SnapshotDelta, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  ApplyDelta(argument: _plugd_scheduling_v1_SnapshotDelta, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  ApplyDelta(argument: _plugd_scheduling_v1_SnapshotDelta, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  ApplyDelta(argument: _plugd_scheduling_v1_SnapshotDelta, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  /**
   * Applies a delta on top of from_generation; STALE if the plugin does not
   * hold exactly that generation. Deltas are sent one at a time, in order.
   * Repeating an applied delta answers STALE (from_generation is past).
   */
  applyDelta(argument: _plugd_scheduling_v1_SnapshotDelta, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  applyDelta(argument: _plugd_scheduling_v1_SnapshotDelta, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  applyDelta(argument: _plugd_scheduling_v1_SnapshotDelta, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  applyDelta(argument: _plugd_scheduling_v1_SnapshotDelta, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  
  /**
   * Binds the pod to node_name, or SKIPs. Not retried.
   */
  Bind(argument: _plugd_scheduling_v1_BindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  Bind(argument: _plugd_scheduling_v1_BindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  Bind(argument: _plugd_scheduling_v1_BindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  Bind(argument: _plugd_scheduling_v1_BindRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Binds the pod to node_name, or SKIPs. Not retried.
   */
  bind(argument: _plugd_scheduling_v1_BindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  bind(argument: _plugd_scheduling_v1_BindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  bind(argument: _plugd_scheduling_v1_BindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  bind(argument: _plugd_scheduling_v1_BindRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_BindResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Does the pod fit each candidate? The host may split the candidates over
   * several concurrent calls for one cycle. Side-effect free and idempotent.
   */
  Filter(argument: _plugd_scheduling_v1_FilterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_FilterResponse__Output>): grpc.ClientUnaryCall;
  Filter(argument: _plugd_scheduling_v1_FilterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_FilterResponse__Output>): grpc.ClientUnaryCall;
  Filter(argument: _plugd_scheduling_v1_FilterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_FilterResponse__Output>): grpc.ClientUnaryCall;
  Filter(argument: _plugd_scheduling_v1_FilterRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_FilterResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Does the pod fit each candidate? The host may split the candidates over
   * several concurrent calls for one cycle. Side-effect free and idempotent.
   */
  filter(argument: _plugd_scheduling_v1_FilterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_FilterResponse__Output>): grpc.ClientUnaryCall;
  filter(argument: _plugd_scheduling_v1_FilterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_FilterResponse__Output>): grpc.ClientUnaryCall;
  filter(argument: _plugd_scheduling_v1_FilterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_FilterResponse__Output>): grpc.ClientUnaryCall;
  filter(argument: _plugd_scheduling_v1_FilterRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_FilterResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  GetCapabilities(argument: _plugd_scheduling_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_scheduling_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_scheduling_v1_GetCapabilitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  GetCapabilities(argument: _plugd_scheduling_v1_GetCapabilitiesRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  getCapabilities(argument: _plugd_scheduling_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_scheduling_v1_GetCapabilitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_scheduling_v1_GetCapabilitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  getCapabilities(argument: _plugd_scheduling_v1_GetCapabilitiesRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_Capabilities__Output>): grpc.ClientUnaryCall;
  
  /**
   * May the pod bind now? SUCCESS, WAIT or UNSCHEDULABLE. Not retried.
   */
  Permit(argument: _plugd_scheduling_v1_PermitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PermitResponse__Output>): grpc.ClientUnaryCall;
  Permit(argument: _plugd_scheduling_v1_PermitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PermitResponse__Output>): grpc.ClientUnaryCall;
  Permit(argument: _plugd_scheduling_v1_PermitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PermitResponse__Output>): grpc.ClientUnaryCall;
  Permit(argument: _plugd_scheduling_v1_PermitRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PermitResponse__Output>): grpc.ClientUnaryCall;
  /**
   * May the pod bind now? SUCCESS, WAIT or UNSCHEDULABLE. Not retried.
   */
  permit(argument: _plugd_scheduling_v1_PermitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PermitResponse__Output>): grpc.ClientUnaryCall;
  permit(argument: _plugd_scheduling_v1_PermitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PermitResponse__Output>): grpc.ClientUnaryCall;
  permit(argument: _plugd_scheduling_v1_PermitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PermitResponse__Output>): grpc.ClientUnaryCall;
  permit(argument: _plugd_scheduling_v1_PermitRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PermitResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * After a successful bind; informational, its failures are only logged.
   */
  PostBind(argument: _plugd_scheduling_v1_PostBindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PostBindResponse__Output>): grpc.ClientUnaryCall;
  PostBind(argument: _plugd_scheduling_v1_PostBindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PostBindResponse__Output>): grpc.ClientUnaryCall;
  PostBind(argument: _plugd_scheduling_v1_PostBindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PostBindResponse__Output>): grpc.ClientUnaryCall;
  PostBind(argument: _plugd_scheduling_v1_PostBindRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PostBindResponse__Output>): grpc.ClientUnaryCall;
  /**
   * After a successful bind; informational, its failures are only logged.
   */
  postBind(argument: _plugd_scheduling_v1_PostBindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PostBindResponse__Output>): grpc.ClientUnaryCall;
  postBind(argument: _plugd_scheduling_v1_PostBindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PostBindResponse__Output>): grpc.ClientUnaryCall;
  postBind(argument: _plugd_scheduling_v1_PostBindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PostBindResponse__Output>): grpc.ClientUnaryCall;
  postBind(argument: _plugd_scheduling_v1_PostBindRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PostBindResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * When no node fits: may make room (preemption) and nominate a node. Not
   * idempotent (it may evict pods); the host does not retry it.
   */
  PostFilter(argument: _plugd_scheduling_v1_PostFilterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PostFilterResponse__Output>): grpc.ClientUnaryCall;
  PostFilter(argument: _plugd_scheduling_v1_PostFilterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PostFilterResponse__Output>): grpc.ClientUnaryCall;
  PostFilter(argument: _plugd_scheduling_v1_PostFilterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PostFilterResponse__Output>): grpc.ClientUnaryCall;
  PostFilter(argument: _plugd_scheduling_v1_PostFilterRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PostFilterResponse__Output>): grpc.ClientUnaryCall;
  /**
   * When no node fits: may make room (preemption) and nominate a node. Not
   * idempotent (it may evict pods); the host does not retry it.
   */
  postFilter(argument: _plugd_scheduling_v1_PostFilterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PostFilterResponse__Output>): grpc.ClientUnaryCall;
  postFilter(argument: _plugd_scheduling_v1_PostFilterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PostFilterResponse__Output>): grpc.ClientUnaryCall;
  postFilter(argument: _plugd_scheduling_v1_PostFilterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PostFilterResponse__Output>): grpc.ClientUnaryCall;
  postFilter(argument: _plugd_scheduling_v1_PostFilterRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PostFilterResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Before binding (e.g. provision volumes). Not retried.
   */
  PreBind(argument: _plugd_scheduling_v1_PreBindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreBindResponse__Output>): grpc.ClientUnaryCall;
  PreBind(argument: _plugd_scheduling_v1_PreBindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PreBindResponse__Output>): grpc.ClientUnaryCall;
  PreBind(argument: _plugd_scheduling_v1_PreBindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreBindResponse__Output>): grpc.ClientUnaryCall;
  PreBind(argument: _plugd_scheduling_v1_PreBindRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PreBindResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Before binding (e.g. provision volumes). Not retried.
   */
  preBind(argument: _plugd_scheduling_v1_PreBindRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreBindResponse__Output>): grpc.ClientUnaryCall;
  preBind(argument: _plugd_scheduling_v1_PreBindRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PreBindResponse__Output>): grpc.ClientUnaryCall;
  preBind(argument: _plugd_scheduling_v1_PreBindRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreBindResponse__Output>): grpc.ClientUnaryCall;
  preBind(argument: _plugd_scheduling_v1_PreBindRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PreBindResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Once per cycle, before Filter: checks the pod, may compute per-cycle
   * state, may restrict the nodes. Idempotent per cycle_id (a repeat replaces
   * the state).
   */
  PreFilter(argument: _plugd_scheduling_v1_PreFilterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreFilterResponse__Output>): grpc.ClientUnaryCall;
  PreFilter(argument: _plugd_scheduling_v1_PreFilterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PreFilterResponse__Output>): grpc.ClientUnaryCall;
  PreFilter(argument: _plugd_scheduling_v1_PreFilterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreFilterResponse__Output>): grpc.ClientUnaryCall;
  PreFilter(argument: _plugd_scheduling_v1_PreFilterRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PreFilterResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Once per cycle, before Filter: checks the pod, may compute per-cycle
   * state, may restrict the nodes. Idempotent per cycle_id (a repeat replaces
   * the state).
   */
  preFilter(argument: _plugd_scheduling_v1_PreFilterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreFilterResponse__Output>): grpc.ClientUnaryCall;
  preFilter(argument: _plugd_scheduling_v1_PreFilterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PreFilterResponse__Output>): grpc.ClientUnaryCall;
  preFilter(argument: _plugd_scheduling_v1_PreFilterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreFilterResponse__Output>): grpc.ClientUnaryCall;
  preFilter(argument: _plugd_scheduling_v1_PreFilterRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PreFilterResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Once per cycle, before Score, with the feasible nodes. Idempotent per
   * cycle_id.
   */
  PreScore(argument: _plugd_scheduling_v1_PreScoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreScoreResponse__Output>): grpc.ClientUnaryCall;
  PreScore(argument: _plugd_scheduling_v1_PreScoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PreScoreResponse__Output>): grpc.ClientUnaryCall;
  PreScore(argument: _plugd_scheduling_v1_PreScoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreScoreResponse__Output>): grpc.ClientUnaryCall;
  PreScore(argument: _plugd_scheduling_v1_PreScoreRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PreScoreResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Once per cycle, before Score, with the feasible nodes. Idempotent per
   * cycle_id.
   */
  preScore(argument: _plugd_scheduling_v1_PreScoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreScoreResponse__Output>): grpc.ClientUnaryCall;
  preScore(argument: _plugd_scheduling_v1_PreScoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_PreScoreResponse__Output>): grpc.ClientUnaryCall;
  preScore(argument: _plugd_scheduling_v1_PreScoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_PreScoreResponse__Output>): grpc.ClientUnaryCall;
  preScore(argument: _plugd_scheduling_v1_PreScoreRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_PreScoreResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The pod is assumed on node_name: reserve what the plugin tracks. Not
   * retried.
   */
  Reserve(argument: _plugd_scheduling_v1_ReserveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_ReserveResponse__Output>): grpc.ClientUnaryCall;
  Reserve(argument: _plugd_scheduling_v1_ReserveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_ReserveResponse__Output>): grpc.ClientUnaryCall;
  Reserve(argument: _plugd_scheduling_v1_ReserveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_ReserveResponse__Output>): grpc.ClientUnaryCall;
  Reserve(argument: _plugd_scheduling_v1_ReserveRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_ReserveResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The pod is assumed on node_name: reserve what the plugin tracks. Not
   * retried.
   */
  reserve(argument: _plugd_scheduling_v1_ReserveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_ReserveResponse__Output>): grpc.ClientUnaryCall;
  reserve(argument: _plugd_scheduling_v1_ReserveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_ReserveResponse__Output>): grpc.ClientUnaryCall;
  reserve(argument: _plugd_scheduling_v1_ReserveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_ReserveResponse__Output>): grpc.ClientUnaryCall;
  reserve(argument: _plugd_scheduling_v1_ReserveRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_ReserveResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Scores every feasible node in one call (and normalizes, see
   * Capabilities.normalizes). Side-effect free and idempotent.
   */
  Score(argument: _plugd_scheduling_v1_ScoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _plugd_scheduling_v1_ScoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _plugd_scheduling_v1_ScoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _plugd_scheduling_v1_ScoreRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Scores every feasible node in one call (and normalizes, see
   * Capabilities.normalizes). Side-effect free and idempotent.
   */
  score(argument: _plugd_scheduling_v1_ScoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _plugd_scheduling_v1_ScoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _plugd_scheduling_v1_ScoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _plugd_scheduling_v1_ScoreRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replaces all node state with a full snapshot: sent before the first
   * per-pod call, after an ack says STALE, and whenever the host compacts
   * indices. Idempotent. Answers OK (a full snapshot is never STALE).
   */
  SyncSnapshot(argument: _plugd_scheduling_v1_Snapshot, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  SyncSnapshot(argument: _plugd_scheduling_v1_Snapshot, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  SyncSnapshot(argument: _plugd_scheduling_v1_Snapshot, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  SyncSnapshot(argument: _plugd_scheduling_v1_Snapshot, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  /**
   * Replaces all node state with a full snapshot: sent before the first
   * per-pod call, after an ack says STALE, and whenever the host compacts
   * indices. Idempotent. Answers OK (a full snapshot is never STALE).
   */
  syncSnapshot(argument: _plugd_scheduling_v1_Snapshot, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  syncSnapshot(argument: _plugd_scheduling_v1_Snapshot, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  syncSnapshot(argument: _plugd_scheduling_v1_Snapshot, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  syncSnapshot(argument: _plugd_scheduling_v1_Snapshot, callback: grpc.requestCallback<_plugd_scheduling_v1_SyncAck__Output>): grpc.ClientUnaryCall;
  
  /**
   * Undoes Reserve after a later failure. Called on every Reserve plugin in
   * reverse order, including ones whose Reserve was never called or failed,
   * possibly more than once: it must be idempotent and never fail (its
   * errors are only logged).
   */
  Unreserve(argument: _plugd_scheduling_v1_UnreserveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_UnreserveResponse__Output>): grpc.ClientUnaryCall;
  Unreserve(argument: _plugd_scheduling_v1_UnreserveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_UnreserveResponse__Output>): grpc.ClientUnaryCall;
  Unreserve(argument: _plugd_scheduling_v1_UnreserveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_UnreserveResponse__Output>): grpc.ClientUnaryCall;
  Unreserve(argument: _plugd_scheduling_v1_UnreserveRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_UnreserveResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Undoes Reserve after a later failure. Called on every Reserve plugin in
   * reverse order, including ones whose Reserve was never called or failed,
   * possibly more than once: it must be idempotent and never fail (its
   * errors are only logged).
   */
  unreserve(argument: _plugd_scheduling_v1_UnreserveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_UnreserveResponse__Output>): grpc.ClientUnaryCall;
  unreserve(argument: _plugd_scheduling_v1_UnreserveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_UnreserveResponse__Output>): grpc.ClientUnaryCall;
  unreserve(argument: _plugd_scheduling_v1_UnreserveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_UnreserveResponse__Output>): grpc.ClientUnaryCall;
  unreserve(argument: _plugd_scheduling_v1_UnreserveRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_UnreserveResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Called only after this plugin's Permit answered WAIT, once per waiting pod
   * and cycle_id: the plugin answers when it decides (e.g. when a whole gang
   * has arrived), which allows (SUCCESS) or rejects the pod. The host's own
   * timer rejects the pod when wait_ms runs out, or another plugin may reject
   * it first; the host then calls Unreserve for the cycle, after which the
   * plugin should answer this call (any answer: it is no longer used). The
   * call's deadline is the wait plus a grace of a few seconds for that. Not
   * retried. Without this rpc a WAIT can only end by timing out (or by the
   * host's library API).
   */
  WaitOnPermit(argument: _plugd_scheduling_v1_WaitOnPermitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_WaitOnPermitResponse__Output>): grpc.ClientUnaryCall;
  WaitOnPermit(argument: _plugd_scheduling_v1_WaitOnPermitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_WaitOnPermitResponse__Output>): grpc.ClientUnaryCall;
  WaitOnPermit(argument: _plugd_scheduling_v1_WaitOnPermitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_WaitOnPermitResponse__Output>): grpc.ClientUnaryCall;
  WaitOnPermit(argument: _plugd_scheduling_v1_WaitOnPermitRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_WaitOnPermitResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Called only after this plugin's Permit answered WAIT, once per waiting pod
   * and cycle_id: the plugin answers when it decides (e.g. when a whole gang
   * has arrived), which allows (SUCCESS) or rejects the pod. The host's own
   * timer rejects the pod when wait_ms runs out, or another plugin may reject
   * it first; the host then calls Unreserve for the cycle, after which the
   * plugin should answer this call (any answer: it is no longer used). The
   * call's deadline is the wait plus a grace of a few seconds for that. Not
   * retried. Without this rpc a WAIT can only end by timing out (or by the
   * host's library API).
   */
  waitOnPermit(argument: _plugd_scheduling_v1_WaitOnPermitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_WaitOnPermitResponse__Output>): grpc.ClientUnaryCall;
  waitOnPermit(argument: _plugd_scheduling_v1_WaitOnPermitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_plugd_scheduling_v1_WaitOnPermitResponse__Output>): grpc.ClientUnaryCall;
  waitOnPermit(argument: _plugd_scheduling_v1_WaitOnPermitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_plugd_scheduling_v1_WaitOnPermitResponse__Output>): grpc.ClientUnaryCall;
  waitOnPermit(argument: _plugd_scheduling_v1_WaitOnPermitRequest, callback: grpc.requestCallback<_plugd_scheduling_v1_WaitOnPermitResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Scheduler is served by a scheduling plugin; the host's scheduling framework
 * calls it. Per pod, the scheduling cycle (PreFilter, Filter, PostFilter,
 * PreScore, Score, Reserve, Permit) runs one pod at a time, in the order of the
 * plugins; the binding cycle (WaitOnPermit, PreBind, Bind, PostBind) runs
 * asynchronously, several pods at once.
 */
export interface SchedulerHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Applies a delta on top of from_generation; STALE if the plugin does not
   * hold exactly that generation. Deltas are sent one at a time, in order.
   * Repeating an applied delta answers STALE (from_generation is past).
   */
  ApplyDelta: grpc.handleUnaryCall<_plugd_scheduling_v1_SnapshotDelta__Output, _plugd_scheduling_v1_SyncAck>;
  
  /**
   * Binds the pod to node_name, or SKIPs. Not retried.
   */
  Bind: grpc.handleUnaryCall<_plugd_scheduling_v1_BindRequest__Output, _plugd_scheduling_v1_BindResponse>;
  
  /**
   * Does the pod fit each candidate? The host may split the candidates over
   * several concurrent calls for one cycle. Side-effect free and idempotent.
   */
  Filter: grpc.handleUnaryCall<_plugd_scheduling_v1_FilterRequest__Output, _plugd_scheduling_v1_FilterResponse>;
  
  /**
   * Called once per registered instance, before anything else. Idempotent.
   */
  GetCapabilities: grpc.handleUnaryCall<_plugd_scheduling_v1_GetCapabilitiesRequest__Output, _plugd_scheduling_v1_Capabilities>;
  
  /**
   * May the pod bind now? SUCCESS, WAIT or UNSCHEDULABLE. Not retried.
   */
  Permit: grpc.handleUnaryCall<_plugd_scheduling_v1_PermitRequest__Output, _plugd_scheduling_v1_PermitResponse>;
  
  /**
   * After a successful bind; informational, its failures are only logged.
   */
  PostBind: grpc.handleUnaryCall<_plugd_scheduling_v1_PostBindRequest__Output, _plugd_scheduling_v1_PostBindResponse>;
  
  /**
   * When no node fits: may make room (preemption) and nominate a node. Not
   * idempotent (it may evict pods); the host does not retry it.
   */
  PostFilter: grpc.handleUnaryCall<_plugd_scheduling_v1_PostFilterRequest__Output, _plugd_scheduling_v1_PostFilterResponse>;
  
  /**
   * Before binding (e.g. provision volumes). Not retried.
   */
  PreBind: grpc.handleUnaryCall<_plugd_scheduling_v1_PreBindRequest__Output, _plugd_scheduling_v1_PreBindResponse>;
  
  /**
   * Once per cycle, before Filter: checks the pod, may compute per-cycle
   * state, may restrict the nodes. Idempotent per cycle_id (a repeat replaces
   * the state).
   */
  PreFilter: grpc.handleUnaryCall<_plugd_scheduling_v1_PreFilterRequest__Output, _plugd_scheduling_v1_PreFilterResponse>;
  
  /**
   * Once per cycle, before Score, with the feasible nodes. Idempotent per
   * cycle_id.
   */
  PreScore: grpc.handleUnaryCall<_plugd_scheduling_v1_PreScoreRequest__Output, _plugd_scheduling_v1_PreScoreResponse>;
  
  /**
   * The pod is assumed on node_name: reserve what the plugin tracks. Not
   * retried.
   */
  Reserve: grpc.handleUnaryCall<_plugd_scheduling_v1_ReserveRequest__Output, _plugd_scheduling_v1_ReserveResponse>;
  
  /**
   * Scores every feasible node in one call (and normalizes, see
   * Capabilities.normalizes). Side-effect free and idempotent.
   */
  Score: grpc.handleUnaryCall<_plugd_scheduling_v1_ScoreRequest__Output, _plugd_scheduling_v1_ScoreResponse>;
  
  /**
   * Replaces all node state with a full snapshot: sent before the first
   * per-pod call, after an ack says STALE, and whenever the host compacts
   * indices. Idempotent. Answers OK (a full snapshot is never STALE).
   */
  SyncSnapshot: grpc.handleUnaryCall<_plugd_scheduling_v1_Snapshot__Output, _plugd_scheduling_v1_SyncAck>;
  
  /**
   * Undoes Reserve after a later failure. Called on every Reserve plugin in
   * reverse order, including ones whose Reserve was never called or failed,
   * possibly more than once: it must be idempotent and never fail (its
   * errors are only logged).
   */
  Unreserve: grpc.handleUnaryCall<_plugd_scheduling_v1_UnreserveRequest__Output, _plugd_scheduling_v1_UnreserveResponse>;
  
  /**
   * Called only after this plugin's Permit answered WAIT, once per waiting pod
   * and cycle_id: the plugin answers when it decides (e.g. when a whole gang
   * has arrived), which allows (SUCCESS) or rejects the pod. The host's own
   * timer rejects the pod when wait_ms runs out, or another plugin may reject
   * it first; the host then calls Unreserve for the cycle, after which the
   * plugin should answer this call (any answer: it is no longer used). The
   * call's deadline is the wait plus a grace of a few seconds for that. Not
   * retried. Without this rpc a WAIT can only end by timing out (or by the
   * host's library API).
   */
  WaitOnPermit: grpc.handleUnaryCall<_plugd_scheduling_v1_WaitOnPermitRequest__Output, _plugd_scheduling_v1_WaitOnPermitResponse>;
  
}

export interface SchedulerDefinition extends grpc.ServiceDefinition {
  ApplyDelta: MethodDefinition<_plugd_scheduling_v1_SnapshotDelta, _plugd_scheduling_v1_SyncAck, _plugd_scheduling_v1_SnapshotDelta__Output, _plugd_scheduling_v1_SyncAck__Output>
  Bind: MethodDefinition<_plugd_scheduling_v1_BindRequest, _plugd_scheduling_v1_BindResponse, _plugd_scheduling_v1_BindRequest__Output, _plugd_scheduling_v1_BindResponse__Output>
  Filter: MethodDefinition<_plugd_scheduling_v1_FilterRequest, _plugd_scheduling_v1_FilterResponse, _plugd_scheduling_v1_FilterRequest__Output, _plugd_scheduling_v1_FilterResponse__Output>
  GetCapabilities: MethodDefinition<_plugd_scheduling_v1_GetCapabilitiesRequest, _plugd_scheduling_v1_Capabilities, _plugd_scheduling_v1_GetCapabilitiesRequest__Output, _plugd_scheduling_v1_Capabilities__Output>
  Permit: MethodDefinition<_plugd_scheduling_v1_PermitRequest, _plugd_scheduling_v1_PermitResponse, _plugd_scheduling_v1_PermitRequest__Output, _plugd_scheduling_v1_PermitResponse__Output>
  PostBind: MethodDefinition<_plugd_scheduling_v1_PostBindRequest, _plugd_scheduling_v1_PostBindResponse, _plugd_scheduling_v1_PostBindRequest__Output, _plugd_scheduling_v1_PostBindResponse__Output>
  PostFilter: MethodDefinition<_plugd_scheduling_v1_PostFilterRequest, _plugd_scheduling_v1_PostFilterResponse, _plugd_scheduling_v1_PostFilterRequest__Output, _plugd_scheduling_v1_PostFilterResponse__Output>
  PreBind: MethodDefinition<_plugd_scheduling_v1_PreBindRequest, _plugd_scheduling_v1_PreBindResponse, _plugd_scheduling_v1_PreBindRequest__Output, _plugd_scheduling_v1_PreBindResponse__Output>
  PreFilter: MethodDefinition<_plugd_scheduling_v1_PreFilterRequest, _plugd_scheduling_v1_PreFilterResponse, _plugd_scheduling_v1_PreFilterRequest__Output, _plugd_scheduling_v1_PreFilterResponse__Output>
  PreScore: MethodDefinition<_plugd_scheduling_v1_PreScoreRequest, _plugd_scheduling_v1_PreScoreResponse, _plugd_scheduling_v1_PreScoreRequest__Output, _plugd_scheduling_v1_PreScoreResponse__Output>
  Reserve: MethodDefinition<_plugd_scheduling_v1_ReserveRequest, _plugd_scheduling_v1_ReserveResponse, _plugd_scheduling_v1_ReserveRequest__Output, _plugd_scheduling_v1_ReserveResponse__Output>
  Score: MethodDefinition<_plugd_scheduling_v1_ScoreRequest, _plugd_scheduling_v1_ScoreResponse, _plugd_scheduling_v1_ScoreRequest__Output, _plugd_scheduling_v1_ScoreResponse__Output>
  SyncSnapshot: MethodDefinition<_plugd_scheduling_v1_Snapshot, _plugd_scheduling_v1_SyncAck, _plugd_scheduling_v1_Snapshot__Output, _plugd_scheduling_v1_SyncAck__Output>
  Unreserve: MethodDefinition<_plugd_scheduling_v1_UnreserveRequest, _plugd_scheduling_v1_UnreserveResponse, _plugd_scheduling_v1_UnreserveRequest__Output, _plugd_scheduling_v1_UnreserveResponse__Output>
  WaitOnPermit: MethodDefinition<_plugd_scheduling_v1_WaitOnPermitRequest, _plugd_scheduling_v1_WaitOnPermitResponse, _plugd_scheduling_v1_WaitOnPermitRequest__Output, _plugd_scheduling_v1_WaitOnPermitResponse__Output>
}
