/**
 * The scheduling framework's vocabulary: cycle state, the per-extension-point plugin
 * interfaces (kube-scheduler's framework.*Plugin, batch-shaped so one call covers every
 * candidate node), profiles and results. framework.ts runs cycles over them.
 */
import type { PluginStatus } from './builtins/types.js';
import type { ClusterSnapshot, NodeInfo } from './cluster-state.js';
import type { WorkerPool } from '../pool/pool.js';
import type { NodeColumns } from './node-columns.js';
import type { PodSchedulingInfo } from './pod.js';

export type MaybePromise<T> = T | Promise<T>;

// ---------------------------------------------------------------- cycle state

/** A typed key into CycleState; create one per datum with stateKey(). */
export interface StateKey<T> {
  readonly id: symbol;
  /** Phantom: carries T for the type checker only. */
  readonly type?: T;
}

export function stateKey<T>(description: string): StateKey<T> {
  return { id: Symbol(description) };
}

/** Per-cycle scratch space plugins share between their points (kube's framework.CycleState). */
export class CycleState {
  readonly #data = new Map<symbol, unknown>();
  read<T>(key: StateKey<T>): T | undefined {
    return this.#data.get(key.id) as T | undefined;
  }
  write<T>(key: StateKey<T>, value: T): void {
    this.#data.set(key.id, value);
  }
}

/** What every plugin call gets: the pod, the cycle's state and the node snapshot it runs over. */
export interface CycleContext {
  readonly pod: PodSchedulingInfo;
  readonly state: CycleState;
  readonly snapshot: ClusterSnapshot;
  /** The pod as the caller got it (a v1 Pod object), when it has one: out-of-process plugins are sent it as JSON. */
  readonly podObject?: unknown;
  /**
   * The snapshot's nodes as a columnar table (synced at the start of the cycle), when the
   * framework keeps one: built-in resource plugins then filter and score over it, not node by node.
   */
  readonly columns?: NodeColumns | undefined;
  /** Threads to score many nodes on (the framework's pool), when it has one. */
  readonly pool?: WorkerPool | undefined;
}

// ---------------------------------------------------------------- plugin interfaces

export interface Plugin {
  readonly name: string;
}

export interface PreFilterResult {
  readonly status: PluginStatus;
  /** Restricts the cycle to these nodes (intersected across plugins); undefined = all nodes. */
  readonly nodeNames?: ReadonlySet<string> | undefined;
}

/** Success, Skip (this plugin's Filter is skipped for the pod), a rejection, or Error. */
export interface PreFilterPlugin extends Plugin {
  preFilter(ctx: CycleContext): MaybePromise<PreFilterResult>;
}

/** One status per node, in the order given: Success, Unschedulable, UnschedulableAndUnresolvable; anything else is an Error. */
export interface FilterPlugin extends Plugin {
  filter(ctx: CycleContext, nodes: readonly NodeInfo[]): MaybePromise<readonly PluginStatus[]>;
}

export interface PostFilterResult {
  readonly status: PluginStatus;
  readonly nominatedNodeName?: string | undefined;
}

/** Runs when no node fits (kube's preemption point); called with every node's filter failure. */
export interface PostFilterPlugin extends Plugin {
  postFilter(ctx: CycleContext, filtered: ReadonlyMap<string, CycleStatus>): MaybePromise<PostFilterResult>;
}

/** Success, Skip (this plugin's Score is skipped for the pod), or Error. */
export interface PreScorePlugin extends Plugin {
  preScore(ctx: CycleContext, nodes: readonly NodeInfo[]): MaybePromise<PluginStatus>;
}

export interface ScoreResults {
  /** Success; Skip: the plugin contributes nothing this cycle (e.g. a dynamic plugin ignored by policy); else Error. */
  readonly status: PluginStatus;
  /** One score per node, in the order given. */
  readonly scores: ArrayLike<number>;
}

/** Scores, then optionally NormalizeScore in place; the final scores must lie in [0, 100]. */
export interface ScorePlugin extends Plugin {
  /**
   * The weight to use when the profile configures none (0); read at every cycle, so a dynamic
   * plugin can report the weight its instance advertises. Absent or 0 means 1.
   */
  readonly defaultWeight?: number | undefined;
  score(ctx: CycleContext, nodes: readonly NodeInfo[]): MaybePromise<ScoreResults>;
  normalizeScore?(ctx: CycleContext, nodes: readonly NodeInfo[], scores: number[]): MaybePromise<PluginStatus>;
}

/** Reserve; Unreserve must be idempotent (it runs for every Reserve plugin, in reverse, on any later failure). */
export interface ReservePlugin extends Plugin {
  reserve(ctx: CycleContext, nodeName: string): MaybePromise<PluginStatus>;
  unreserve(ctx: CycleContext, nodeName: string): MaybePromise<void>;
}

export interface PermitResult {
  readonly status: PluginStatus;
  /** With Wait: how long to wait for allow/reject (capped at MaxPermitWaitMs). */
  readonly timeoutMs?: number | undefined;
}

/** A pod held at Permit (framework.ts WaitingPod): the handle plugins and callers allow or reject it by. */
export interface WaitingPodHandle {
  readonly pod: PodSchedulingInfo;
  readonly nodeName: string;
  /** The plugins that answered Wait and have not allowed the pod yet. */
  readonly pending: readonly string[];
  /** True once every waiting plugin allowed the pod, or one rejected it (or timed out). */
  readonly settled: boolean;
  /** `plugin` allows the pod; it binds once every waiting plugin has. */
  allow(plugin: string): void;
  /** Rejects the pod: its binding cycle fails and every Reserve plugin's Unreserve runs in reverse. */
  reject(plugin: string, message: string): void;
}

export interface PermitPlugin extends Plugin {
  permit(ctx: CycleContext, nodeName: string): MaybePromise<PermitResult>;
  /**
   * Called once the pod is held because this plugin answered Wait (with the capped timeout it
   * waits at most): the plugin allows or rejects `waiting` later, from wherever it learns the
   * answer (kube plugins do it through the framework handle's GetWaitingPod). Optional: without
   * it, the pod is let go by the framework's waitingPod() handle or rejected at the timeout.
   */
  waitOnPermit?(ctx: CycleContext, nodeName: string, waiting: WaitingPodHandle, timeoutMs: number): void;
}

export interface PreBindPlugin extends Plugin {
  preBind(ctx: CycleContext, nodeName: string): MaybePromise<PluginStatus>;
}

/** The first Bind plugin that does not answer Skip binds. */
export interface BindPlugin extends Plugin {
  bind(ctx: CycleContext, nodeName: string): MaybePromise<PluginStatus>;
}

export interface PostBindPlugin extends Plugin {
  postBind(ctx: CycleContext, nodeName: string): MaybePromise<void>;
}

/** A plugin object: a name and the methods of any extension points it implements. */
export type SchedulerPlugin = Plugin &
  Partial<
    Omit<PreFilterPlugin, 'name'> &
      Omit<FilterPlugin, 'name'> &
      Omit<PostFilterPlugin, 'name'> &
      Omit<PreScorePlugin, 'name'> &
      Omit<ScorePlugin, 'name'> &
      Omit<ReservePlugin, 'name'> &
      Omit<PermitPlugin, 'name'> &
      Omit<PreBindPlugin, 'name'> &
      Omit<BindPlugin, 'name'> &
      Omit<PostBindPlugin, 'name'>
  >;

/** The extension points a profile configures, in cycle order, with the method that marks a plugin as implementing each. */
export const EXTENSION_POINTS = [
  { point: 'preFilter', method: 'preFilter', kind: 'PreFilterPlugin' },
  { point: 'filter', method: 'filter', kind: 'FilterPlugin' },
  { point: 'postFilter', method: 'postFilter', kind: 'PostFilterPlugin' },
  { point: 'preScore', method: 'preScore', kind: 'PreScorePlugin' },
  { point: 'score', method: 'score', kind: 'ScorePlugin' },
  { point: 'reserve', method: 'reserve', kind: 'ReservePlugin' },
  { point: 'permit', method: 'permit', kind: 'PermitPlugin' },
  { point: 'preBind', method: 'preBind', kind: 'PreBindPlugin' },
  { point: 'bind', method: 'bind', kind: 'BindPlugin' },
  { point: 'postBind', method: 'postBind', kind: 'PostBindPlugin' },
] as const;

export type ExtensionPoint = (typeof EXTENSION_POINTS)[number]['point'];

export function implementsPoint(plugin: SchedulerPlugin, point: ExtensionPoint): boolean {
  const entry = EXTENSION_POINTS.find((e) => e.point === point);
  if (entry === undefined) return false;
  const method = (plugin as unknown as Record<string, unknown>)[entry.method];
  if (point === 'reserve') return typeof method === 'function' && typeof plugin.unreserve === 'function';
  return typeof method === 'function';
}

// ---------------------------------------------------------------- profile (compiled)

export interface WeightedScorePlugin {
  readonly plugin: ScorePlugin;
  /** ≥ 1 (a configured weight of 0 becomes 1). */
  readonly weight: number;
}

/** A validated profile: one typed list per extension point (build one with profile.ts). */
export interface Profile {
  readonly schedulerName: string;
  /** 0 = adaptive (numFeasibleNodesToFind). */
  readonly percentageOfNodesToScore: number;
  readonly preFilter: readonly PreFilterPlugin[];
  readonly filter: readonly FilterPlugin[];
  readonly postFilter: readonly PostFilterPlugin[];
  readonly preScore: readonly PreScorePlugin[];
  readonly score: readonly WeightedScorePlugin[];
  readonly reserve: readonly ReservePlugin[];
  readonly permit: readonly PermitPlugin[];
  readonly preBind: readonly PreBindPlugin[];
  readonly bind: readonly BindPlugin[];
  readonly postBind: readonly PostBindPlugin[];
}

// ---------------------------------------------------------------- results

/** A status with the plugin it came from ('' when the framework itself decided). */
export interface CycleStatus extends PluginStatus {
  readonly plugin: string;
}

export interface NodeScore {
  readonly total: number;
  /** Each plugin's normalized score, before weighting. */
  readonly plugins: Readonly<Record<string, number>>;
}

export interface ScheduleResult {
  /** namespace/name */
  readonly pod: string;
  /** The node the pod was bound to, or null. */
  readonly node: string | null;
  /** Success, or the status that ended the cycle (with the plugin that gave it). */
  readonly status: CycleStatus;
  /** '' on success; kube's FitError text when no node fits; the error otherwise. */
  readonly message: string;
  /** Nodes that were evaluated and rejected: the first rejecting plugin's status. */
  readonly filtered: ReadonlyMap<string, CycleStatus>;
  /** Feasible nodes' scores (empty when one node was feasible: kube skips scoring then). */
  readonly scores: ReadonlyMap<string, NodeScore>;
  readonly numAllNodes: number;
  readonly evaluatedNodes: number;
  readonly feasibleNodes: number;
  /** When no node fit and a PostFilter plugin made room: the node it nominated (status.nominatedNodeName); the pod is still unscheduled this cycle. */
  readonly nominatedNodeName?: string | undefined;
  /** The PostFilter plugin that nominated it. */
  readonly nominatedBy?: string | undefined;
}
