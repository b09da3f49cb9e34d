/**
 * The scheduling framework: one scheduling cycle with kube-scheduler's semantics over the
 * plugin interfaces of framework-types.ts (re-exported here). Plugins may answer synchronously (the built-ins) or
 * with a promise (dynamic plugins): the cycle awaits once per plugin per point, never per node.
 * Outcomes are statuses (builtins/types.ts Code), never exceptions; a plugin that throws is an
 * Error status naming it.
 */
import type { WorkerPool } from '../pool/pool.js';
import { numFeasibleNodesToFind } from './builtins/framework-helpers.js';
import { Code, MaxNodeScore, MinNodeScore, status, SUCCESS, type PluginStatus, type StatusCode } from './builtins/types.js';
import { podKey, type ClusterState, type NodeInfo } from './cluster-state.js';
import { NodeColumns } from './node-columns.js';
import type { PodSchedulingInfo } from './pod.js';
import {
  type MaybePromise,
  CycleState,
  type CycleContext,
  type FilterPlugin,
  type PreFilterResult,
  type PostFilterResult,
  type ReservePlugin,
  type PermitResult,
  type PermitPlugin,
  type WaitingPodHandle,
  type Profile,
  type CycleStatus,
  type NodeScore,
  type ScheduleResult,
  type ScoreResults,
} from './framework-types.js';
export * from './framework-types.js';

/** Permit's Wait is capped at 15 minutes (DESIGN.md §3). */
export const MaxPermitWaitMs = 15 * 60 * 1000;

// Filter runs over chunks of at least this many nodes (one plugin call per chunk), sized by
// the pass rate seen so far plus this margin.
const FILTER_CHUNK = 64;
const CHUNK_MARGIN = 1.15;

function isPromise<T>(v: MaybePromise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

function isRejected(code: StatusCode): boolean {
  return code === Code.Unschedulable || code === Code.UnschedulableAndUnresolvable;
}

function cycleStatus(s: PluginStatus, plugin: string): CycleStatus {
  return { code: s.code, reasons: s.reasons, plugin };
}

function errorStatus(plugin: string, message: string): CycleStatus {
  return { code: Code.Error, reasons: [message], plugin };
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function statusText(s: PluginStatus): string {
  return s.reasons.length > 0 ? s.reasons.join(', ') : `code ${s.code}`;
}

/**
 * A duration as Go's time.Duration.String() writes it ("30ms", "1.5s", "15m0s"): kube's
 * messages print durations with %v, and plugd repeats those messages word for word.
 */
export function goDuration(ms: number): string {
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${sign}${abs}ns`;
  if (abs < 1e6) return `${sign}${abs / 1e3}µs`;
  if (abs < 1e9) return `${sign}${abs / 1e6}ms`;
  const h = Math.floor(abs / 3600e9);
  const m = Math.floor((abs % 3600e9) / 60e9);
  const sec = `${(abs % 60e9) / 1e9}s`;
  return sign + (h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec);
}

/** mulberry32: a small seedable PRNG for tie-breaks (tests pass a seed; kube uses math/rand). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A pod some Permit plugins asked to Wait for (kube's waitingPod): each waiting plugin has its
 * own timer, so the shortest timeout rejects first; allow() by a plugin stops its timer, and the
 * pod goes on once every waiting plugin allowed it. The first rejection (or timeout) wins.
 */
export class WaitingPod implements WaitingPodHandle {
  readonly pod: PodSchedulingInfo;
  readonly nodeName: string;
  readonly #pending = new Map<string, NodeJS.Timeout>();
  readonly #done: Promise<CycleStatus>;
  #settle!: (s: CycleStatus) => void;
  #settled = false;

  constructor(pod: PodSchedulingInfo, nodeName: string, waits: ReadonlyMap<string, number>) {
    this.pod = pod;
    this.nodeName = nodeName;
    this.#done = new Promise((resolve) => (this.#settle = resolve));
    for (const [plugin, ms] of waits) {
      const t = setTimeout(
        () => this.reject(plugin, `rejected due to timeout after waiting ${goDuration(Math.min(ms, MaxPermitWaitMs))} at plugin ${plugin}`),
        Math.min(ms, MaxPermitWaitMs),
      );
      t.unref();
      this.#pending.set(plugin, t);
    }
  }

  /** Plugins still waited on. */
  get pending(): readonly string[] {
    return [...this.#pending.keys()];
  }

  /** True once allowed by every waiting plugin, or rejected. */
  get settled(): boolean {
    return this.#settled;
  }

  /** `plugin` lets the pod go; a plugin that is not waited on (or a settled pod) is ignored, as in kube. */
  allow(plugin: string): void {
    const t = this.#pending.get(plugin);
    if (t === undefined || this.#settled) return;
    clearTimeout(t);
    this.#pending.delete(plugin);
    if (this.#pending.size === 0) this.#finish({ code: Code.Success, reasons: [], plugin: '' });
  }

  /** Rejects the pod (Unschedulable, naming `plugin`): its binding cycle unreserves it. */
  reject(plugin: string, message: string): void {
    this.#finish({ code: Code.Unschedulable, reasons: [message], plugin });
  }

  /** Resolves with Success once every waiting plugin allowed, or with the first rejection. */
  wait(): Promise<CycleStatus> {
    return this.#done;
  }

  #finish(s: CycleStatus): void {
    if (this.#settled) return;
    this.#settled = true;
    for (const t of this.#pending.values()) clearTimeout(t);
    this.#settle(s);
  }
}

export interface FrameworkOptions {
  /** Seeds the tie-break PRNG; without it, ties break by Math.random. */
  readonly seed?: number | undefined;
  /**
   * Keep the nodes as a columnar table for the built-in resource plugins (default true): each
   * cycle syncs it with the nodes that changed, and NodeResourcesFit / BalancedAllocation run
   * over it instead of node by node (same results, an order of magnitude less work).
   */
  readonly columns?: boolean | undefined;
  /** Score large candidate sets of the built-in resource plugins on these threads. */
  readonly pool?: WorkerPool | undefined;
}

interface Feasibility {
  readonly feasible: NodeInfo[];
  readonly filtered: Map<string, CycleStatus>;
  readonly error: CycleStatus | undefined;
}

export interface Scoring {
  readonly scores: Map<string, NodeScore>;
  readonly error: CycleStatus | undefined;
  /** Each node's weighted total, in the order given (what selection reads; `scores` is built from it on first read). */
  readonly totals?: readonly number[];
}

/**
 * A Map of per-node scores filled on first read: a cycle selects on the totals alone, and only
 * callers that look at the breakdown (what-if, the extender) pay for 500 little objects a pod.
 */
class LazyScores extends Map<string, NodeScore> {
  #fill: (() => void) | undefined;
  constructor(fill: (into: Map<string, NodeScore>) => void) {
    super();
    this.#fill = () => fill(this);
  }
  #ready(): void {
    const fill = this.#fill;
    if (fill === undefined) return;
    this.#fill = undefined;
    fill();
  }
  override get size(): number {
    this.#ready();
    return super.size;
  }
  override get(key: string): NodeScore | undefined {
    this.#ready();
    return super.get(key);
  }
  override has(key: string): boolean {
    this.#ready();
    return super.has(key);
  }
  override set(key: string, value: NodeScore): this {
    this.#ready();
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.#ready();
    return super.delete(key);
  }
  override clear(): void {
    this.#fill = undefined;
    super.clear();
  }
  override forEach(fn: (value: NodeScore, key: string, map: Map<string, NodeScore>) => void, thisArg?: unknown): void {
    this.#ready();
    super.forEach(fn, thisArg);
  }
  override entries(): MapIterator<[string, NodeScore]> {
    this.#ready();
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.#ready();
    return super.keys();
  }
  override values(): MapIterator<NodeScore> {
    this.#ready();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[string, NodeScore]> {
    return this.entries();
  }
}

/** Framework.filterNodes: the feasible nodes (in the order given) and each rejected node's first rejecting status. */
export interface NodeFilterResult {
  readonly feasible: NodeInfo[];
  readonly filtered: Map<string, CycleStatus>;
  readonly error: CycleStatus | undefined;
}

/**
 * Runs scheduling cycles for one profile over one ClusterState. Cycles must not overlap (as in
 * kube-scheduler, where one goroutine schedules): await each scheduleOne before the next.
 */
export class Framework {
  readonly profile: Profile;
  readonly #cluster: ClusterState;
  readonly #random: () => number;
  readonly #waiting = new Map<string, WaitingPod>();
  readonly #columns: NodeColumns | undefined;
  readonly #pool: WorkerPool | undefined;
  #nextStartNodeIndex = 0;

  constructor(profile: Profile, cluster: ClusterState, opts: FrameworkOptions = {}) {
    this.profile = profile;
    this.#cluster = cluster;
    this.#random = opts.seed === undefined ? Math.random : seededRandom(opts.seed);
    this.#columns = opts.columns === false ? undefined : new NodeColumns();
    this.#pool = opts.pool;
  }

  /** A cycle's context over the cluster's current snapshot (the node columns synced to it). */
  #context(pod: PodSchedulingInfo, podObject: unknown): CycleContext {
    const snapshot = this.#cluster.snapshot();
    this.#columns?.sync(snapshot);
    return { pod, state: new CycleState(), snapshot, podObject, columns: this.#columns, pool: this.#pool };
  }

  /** The pod waiting in Permit under this key (podKey), if any. */
  waitingPod(key: string): WaitingPod | undefined {
    return this.#waiting.get(key);
  }

  /** Every pod held at Permit now (kube's IterateOverWaitingPods). */
  waitingPods(): WaitingPod[] {
    return [...this.#waiting.values()];
  }

  /**
   * One scheduling cycle and its binding cycle; on success the pod is bound in the cluster state.
   * `podObject` is the pod as the caller got it (v1 Pod), passed on to out-of-process plugins.
   */
  async scheduleOne(pod: PodSchedulingInfo, podObject?: unknown): Promise<ScheduleResult> {
    const r = await this.#cycle(pod, podObject);
    return 'binding' in r ? r.binding : r;
  }

  /**
   * kube's split of scheduleOne: resolves when the scheduling cycle is over (the pod assumed,
   * reserved and its Permit plugins asked), so the caller may start the next cycle while this
   * pod's binding cycle (waiting at Permit, PreBind, Bind, PostBind) goes on in `done`. Pods a
   * Permit plugin holds (e.g. until the rest of their gang arrives) need this: with scheduleOne
   * the next pod is not scheduled before the held one is let go.
   */
  async scheduleCycle(pod: PodSchedulingInfo, podObject?: unknown): Promise<{ readonly done: Promise<ScheduleResult> }> {
    const r = await this.#cycle(pod, podObject);
    return { done: 'binding' in r ? r.binding : Promise.resolve(r) };
  }

  async #cycle(pod: PodSchedulingInfo, podObject: unknown): Promise<ScheduleResult | { readonly binding: Promise<ScheduleResult> }> {
    const ctx = this.#context(pod, podObject);
    const snapshot = ctx.snapshot;
    const base = { pod: `${pod.namespace}/${pod.name}`, numAllNodes: snapshot.nodes.length };
    const fail = (s: CycleStatus, message: string, rest: Partial<ScheduleResult> = {}): ScheduleResult => ({
      ...base,
      node: null,
      status: s,
      message,
      filtered: new Map(),
      scores: new Map(),
      evaluatedNodes: 0,
      feasibleNodes: 0,
      ...rest,
    });
    if (snapshot.nodes.length === 0) return fail(cycleStatus(status(Code.Unschedulable, 'no nodes available to schedule pods'), ''), 'no nodes available to schedule pods');

    // PreFilter
    const pre = await this.runPreFilter(ctx);
    if (pre.status.code !== Code.Success) {
      if (!isRejected(pre.status.code)) return fail(pre.status, statusText(pre.status));
      const filtered = new Map(snapshot.nodes.map((n) => [n.name, pre.status] as const));
      const message = fitErrorMessage(snapshot.nodes.length, filtered, statusText(pre.status));
      return this.#postFilter(ctx, fail(pre.status, message, { filtered, evaluatedNodes: 0 }));
    }
    let nodes = snapshot.nodes;
    const absent = new Map<string, CycleStatus>();
    if (pre.nodeNames !== undefined) {
      const names = pre.nodeNames;
      nodes = snapshot.nodes.filter((n) => names.has(n.name));
      const s = cycleStatus(status(Code.UnschedulableAndUnresolvable, `node(s) didn't satisfy plugin(s) [${pre.restrictedBy.join(' ')}]`), '');
      for (const n of snapshot.nodes) if (!names.has(n.name)) absent.set(n.name, s);
    }

    // Filter
    const fit = await this.runFilter(ctx, nodes, pre.skip);
    const filtered = new Map([...absent, ...fit.filtered]);
    const evaluated = fit.feasible.length + fit.filtered.size;
    if (fit.error !== undefined) return fail(fit.error, statusText(fit.error), { filtered, evaluatedNodes: evaluated });
    if (fit.feasible.length === 0) {
      const message = fitErrorMessage(snapshot.nodes.length, filtered, '');
      const s = cycleStatus(status(Code.Unschedulable, message), '');
      return this.#postFilter(ctx, fail(s, message, { filtered, evaluatedNodes: evaluated }));
    }

    // PreScore, Score, selection (kube skips scoring when only one node is feasible)
    let scores = new Map<string, NodeScore>();
    let chosen: string;
    if (fit.feasible.length === 1) {
      chosen = (fit.feasible[0] as NodeInfo).name;
    } else {
      const scored = await this.runScore(ctx, fit.feasible);
      if (scored.error !== undefined) return fail(scored.error, statusText(scored.error), { filtered, evaluatedNodes: evaluated, feasibleNodes: fit.feasible.length });
      scores = scored.scores;
      chosen = this.#select(fit.feasible, (i, n) => scored.totals?.[i] ?? scores.get(n.name)?.total ?? 0);
    }
    const rest = { filtered, scores, evaluatedNodes: evaluated, feasibleNodes: fit.feasible.length };

    // Assume, Reserve, Permit; then the binding cycle: waiting at Permit, PreBind, Bind, PostBind
    const { bound } = await this.#assume(ctx, chosen);
    const binding = bound.then((s): ScheduleResult => s.code !== Code.Success
      ? fail(s, statusText(s), rest)
      : { ...base, node: chosen, status: { code: Code.Success, reasons: [], plugin: '' }, message: '', ...rest });
    return { binding };
  }

  // ---- per-point entry points for front doors that are handed the candidate nodes (the extender)

  /**
   * PreFilter then Filter for one pod over exactly `nodes`, every one evaluated (no
   * numFeasibleNodesToFind sampling, the rotating start index untouched): the caller already
   * chose the candidates. A PreFilter rejection rejects every node with its status; nodes
   * outside a PreFilter node set are UnschedulableAndUnresolvable. `error` is set (and nothing
   * else is meaningful) when a plugin answered Error.
   */
  async filterNodes(pod: PodSchedulingInfo, nodes: readonly NodeInfo[], podObject?: unknown): Promise<NodeFilterResult> {
    const ctx = this.#context(pod, podObject);
    const feasible: NodeInfo[] = [];
    const filtered = new Map<string, CycleStatus>();
    const pre = await this.runPreFilter(ctx);
    if (pre.status.code !== Code.Success) {
      if (!isRejected(pre.status.code)) return { feasible, filtered, error: pre.status };
      for (const n of nodes) filtered.set(n.name, pre.status);
      return { feasible, filtered, error: undefined };
    }
    let candidates = nodes;
    if (pre.nodeNames !== undefined) {
      const names = pre.nodeNames;
      const s = cycleStatus(status(Code.UnschedulableAndUnresolvable, `node(s) didn't satisfy plugin(s) [${pre.restrictedBy.join(' ')}]`), '');
      candidates = nodes.filter((n) => names.has(n.name));
      for (const n of nodes) if (!names.has(n.name)) filtered.set(n.name, s);
    }
    const plugins = this.profile.filter.filter((p) => !pre.skip.has(p.name));
    const ran = await this.#filterChunk(ctx, candidates, plugins);
    if (!Array.isArray(ran)) return { feasible: [], filtered, error: ran as CycleStatus };
    candidates.forEach((n, i) => {
      const f = ran[i];
      if (f === undefined) feasible.push(n);
      else filtered.set(n.name, f);
    });
    return { feasible, filtered, error: undefined };
  }

  /** PreScore, Score and NormalizeScore for one pod over exactly `nodes` (weighted totals, as in a cycle). */
  async scoreNodes(pod: PodSchedulingInfo, nodes: readonly NodeInfo[], podObject?: unknown): Promise<Scoring> {
    const ctx = this.#context(pod, podObject);
    return this.runScore(ctx, nodes);
  }

  /**
   * The binding cycle alone, for a node chosen elsewhere: assume, Reserve, Permit, PreBind,
   * Bind (the Bind chain), PostBind; on success the pod is bound in the cluster state, on
   * failure it is unreserved and forgotten. The pod must not be tracked by the state yet.
   */
  async bindPod(pod: PodSchedulingInfo, nodeName: string, podObject?: unknown): Promise<CycleStatus> {
    return (await this.startBinding(pod, nodeName, podObject)).done;
  }

  /**
   * bindPod split as scheduleCycle splits scheduleOne: resolves once the pod is assumed,
   * reserved and its Permit plugins asked; `done` settles when the binding cycle does (a pod
   * held at Permit may take long: a caller serving requests one at a time awaits it outside).
   */
  async startBinding(pod: PodSchedulingInfo, nodeName: string, podObject?: unknown): Promise<{ readonly done: Promise<CycleStatus> }> {
    const ctx = this.#context(pod, podObject);
    const { bound } = await this.#assume(ctx, nodeName);
    return { done: bound };
  }

  // ---- one runX per extension point

  /**
   * PreFilter: Skip marks the plugin's Filter skipped; node sets intersect. An Error or an
   * UnschedulableAndUnresolvable ends it at once; Unschedulable does not: the remaining plugins
   * still run (so preemption sees their state, kubernetes#119770) and the last Unschedulable is
   * the answer unless a later plugin ends it first.
   */
  async runPreFilter(ctx: CycleContext): Promise<{ status: CycleStatus; nodeNames: ReadonlySet<string> | undefined; skip: ReadonlySet<string>; restrictedBy: string[] }> {
    const skip = new Set<string>();
    const restrictedBy: string[] = [];
    let nodeNames: Set<string> | undefined;
    let unschedulable: CycleStatus | undefined;
    for (const pl of this.profile.preFilter) {
      let r: PreFilterResult;
      try {
        r = await pl.preFilter(ctx);
      } catch (err) {
        return { status: errorStatus(pl.name, `running PreFilter plugin "${pl.name}": ${describeError(err)}`), nodeNames, skip, restrictedBy };
      }
      if (r.status.code === Code.Skip) {
        skip.add(pl.name);
        continue;
      }
      if (r.status.code === Code.Unschedulable) {
        unschedulable = cycleStatus(r.status, pl.name);
        continue;
      }
      if (r.status.code !== Code.Success) {
        const s = isRejected(r.status.code)
          ? cycleStatus(r.status, pl.name)
          : errorStatus(pl.name, `running PreFilter plugin "${pl.name}": ${statusText(r.status)}`);
        return { status: s, nodeNames, skip, restrictedBy };
      }
      if (r.nodeNames !== undefined) {
        restrictedBy.push(pl.name);
        const given = r.nodeNames;
        nodeNames = nodeNames === undefined ? new Set(given) : new Set([...nodeNames].filter((n) => given.has(n)));
        if (nodeNames.size === 0) {
          const names = [...restrictedBy].sort();
          const msg = names.length === 1 ? `node(s) didn't satisfy plugin ${names[0]}` : `node(s) didn't satisfy plugin(s) [${names.join(' ')}] simultaneously`;
          return { status: cycleStatus(status(Code.UnschedulableAndUnresolvable, msg), ''), nodeNames, skip, restrictedBy };
        }
      }
    }
    return { status: unschedulable ?? cycleStatus(SUCCESS, ''), nodeNames, skip, restrictedBy: restrictedBy.sort() };
  }

  /**
   * Filter from the rotating start index until numFeasibleNodesToFind nodes pass, keeping each
   * rejected node's first failing plugin status. Any Error status ends the cycle.
   */
  async runFilter(ctx: CycleContext, nodes: readonly NodeInfo[], skip: ReadonlySet<string> = new Set()): Promise<Feasibility> {
    const n = nodes.length;
    const feasible: NodeInfo[] = [];
    const filtered = new Map<string, CycleStatus>();
    if (n === 0) return { feasible, filtered, error: undefined };
    const want = numFeasibleNodesToFind(n, this.profile.percentageOfNodesToScore);
    const plugins = this.profile.filter.filter((p) => !skip.has(p.name));
    const start = this.#nextStartNodeIndex % n;
    let processed = 0;
    while (feasible.length < want && processed < n) {
      // Size the next chunk by the pass rate seen so far, so that a pod most nodes reject costs
      // a few plugin round trips, not one per FILTER_CHUNK. Nodes past the last one needed
      // count as not evaluated, so the size changes cost, never the outcome.
      // A margin over the estimate (CHUNK_MARGIN), because a second round trip for the last few
      // nodes costs more than evaluating a few more.
      const passRate = processed === 0 ? 1 : Math.max(feasible.length / processed, 0.02);
      const size = Math.min(n - processed, Math.max(Math.ceil(((want - feasible.length) / passRate) * CHUNK_MARGIN) + FILTER_CHUNK, FILTER_CHUNK));
      const chunk = Array.from({ length: size }, (_, i) => nodes[(start + processed + i) % n] as NodeInfo);
      const ran = await this.#filterChunk(ctx, chunk, plugins);
      if (!Array.isArray(ran)) return { feasible, filtered, error: ran as CycleStatus };
      const failed = ran as readonly (CycleStatus | undefined)[];
      // Walk the chunk in rotation order; nodes past the last one needed count as not evaluated.
      let used = size;
      for (let i = 0; i < size; i++) {
        const f = failed[i];
        if (f !== undefined) filtered.set((chunk[i] as NodeInfo).name, f);
        else {
          feasible.push(chunk[i] as NodeInfo);
          if (feasible.length === want) {
            used = i + 1;
            break;
          }
        }
      }
      processed += used;
    }
    this.#nextStartNodeIndex = (start + processed) % n;
    return { feasible, filtered, error: undefined };
  }

  /**
   * Runs the Filter plugins over one chunk: each node's first rejection in profile order
   * (undefined = feasible), or the Error that ends the cycle. Plugins that answer at once (the
   * built-ins) narrow the nodes the next ones see; plugins that answer later (out-of-process
   * ones) all run concurrently on what is left when they are called, so a cycle waits for one
   * round trip, not one per plugin. The outcome is the sequential one: per node, the first
   * plugin in order that rejects it names the reason, and an Error counts only on a node no
   * earlier plugin rejected.
   */
  async #filterChunk(ctx: CycleContext, chunk: readonly NodeInfo[], plugins: readonly FilterPlugin[]): Promise<(CycleStatus | undefined)[] | CycleStatus> {
    const failed: (CycleStatus | undefined)[] = new Array<CycleStatus | undefined>(chunk.length);
    // Per plugin (in order): the chunk positions it was given and what it answered.
    const ran: { pl: FilterPlugin; given: number[]; answer: MaybePromise<readonly PluginStatus[]> }[] = [];
    let alive = chunk.map((_, i) => i);
    for (const pl of plugins) {
      if (alive.length === 0) break;
      const given = alive;
      let answer: MaybePromise<readonly PluginStatus[]>;
      try {
        answer = pl.filter(ctx, given.map((i) => chunk[i] as NodeInfo));
      } catch (err) {
        answer = Promise.reject(err);
      }
      ran.push({ pl, given, answer });
      if (isPromise(answer)) continue;
      if (answer.length !== given.length) break; // reported below, in order
      const next: number[] = [];
      for (let j = 0; j < given.length; j++) if ((answer[j] as PluginStatus).code === Code.Success) next.push(given[j] as number);
      alive = next;
    }
    const answers = await Promise.allSettled(ran.map((r) => r.answer));
    for (let k = 0; k < ran.length; k++) {
      const { pl, given } = ran[k] as (typeof ran)[number];
      const settled = answers[k] as PromiseSettledResult<readonly PluginStatus[]>;
      if (settled.status === 'rejected') return errorStatus(pl.name, `running "${pl.name}" filter plugin: ${describeError(settled.reason)}`);
      const statuses = settled.value;
      if (statuses.length !== given.length) {
        return errorStatus(pl.name, `"${pl.name}" filter plugin returned ${statuses.length} statuses for ${given.length} nodes`);
      }
      for (let j = 0; j < given.length; j++) {
        const idx = given[j] as number;
        const st = statuses[j] as PluginStatus;
        if (st.code === Code.Success || failed[idx] !== undefined) continue;
        if (isRejected(st.code)) failed[idx] = cycleStatus(st, pl.name);
        else return errorStatus(pl.name, `running "${pl.name}" filter plugin: ${statusText(st)}`);
      }
    }
    return failed;
  }

  /** PreScore (Skip drops that plugin's Score), Score, NormalizeScore, range check, weights. */
  async runScore(ctx: CycleContext, nodes: readonly NodeInfo[]): Promise<Scoring> {
    const scores = new Map<string, NodeScore>();
    const skip = new Set<string>();
    for (const pl of this.profile.preScore) {
      let s: PluginStatus;
      try {
        s = await pl.preScore(ctx, nodes);
      } catch (err) {
        return { scores, error: errorStatus(pl.name, `running PreScore plugin "${pl.name}": ${describeError(err)}`) };
      }
      if (s.code === Code.Skip) skip.add(pl.name);
      else if (s.code !== Code.Success) return { scores, error: errorStatus(pl.name, `running PreScore plugin "${pl.name}": ${statusText(s)}`) };
    }
    const totals = new Array<number>(nodes.length).fill(0);
    const perPlugin: { readonly name: string; readonly list: readonly number[] }[] = [];
    // kube gives every node a score of 1 when the profile has no Score plugin at all.
    if (this.profile.score.length === 0) totals.fill(1);
    // Every Score plugin is called before any answer is awaited: out-of-process plugins score
    // concurrently (one round trip per cycle); answers are then taken in profile order.
    const answers = this.profile.score.map(({ plugin: pl }): Promise<ScoreResults> | undefined => {
      if (skip.has(pl.name)) return undefined;
      try {
        const r = pl.score(ctx, nodes);
        return isPromise(r) ? r : Promise.resolve(r);
      } catch (err) {
        return Promise.reject(err);
      }
    });
    for (const a of answers) a?.catch(() => undefined); // each is awaited below; none goes unhandled meanwhile
    for (const [k, { plugin: pl, weight }] of this.profile.score.entries()) {
      const answer = answers[k];
      if (answer === undefined) continue;
      let list: number[];
      try {
        const r = await answer;
        if (r.status.code === Code.Skip) continue;
        if (r.status.code !== Code.Success) return { scores, error: errorStatus(pl.name, `plugin "${pl.name}" failed with: ${statusText(r.status)}`) };
        if (r.scores.length !== nodes.length) {
          return { scores, error: errorStatus(pl.name, `plugin "${pl.name}" returned ${r.scores.length} scores for ${nodes.length} nodes`) };
        }
        list = Array.from(r.scores);
        if (pl.normalizeScore !== undefined) {
          const ns = await pl.normalizeScore(ctx, nodes, list);
          if (ns.code !== Code.Success) return { scores, error: errorStatus(pl.name, `running Normalize on Score plugin "${pl.name}": ${statusText(ns)}`) };
        }
      } catch (err) {
        return { scores, error: errorStatus(pl.name, `plugin "${pl.name}" failed with: ${describeError(err)}`) };
      }
      for (let i = 0; i < nodes.length; i++) {
        const sc = list[i] as number;
        if (!(Number.isInteger(sc) && sc >= MinNodeScore && sc <= MaxNodeScore)) {
          return {
            scores,
            error: errorStatus(pl.name, `plugin "${pl.name}" returns an invalid score ${sc}, it should in the range of [${MinNodeScore}, ${MaxNodeScore}] after normalizing`),
          };
        }
        totals[i] = (totals[i] as number) + sc * weight;
      }
      perPlugin.push({ name: pl.name, list });
    }
    const lazy = new LazyScores((into) => {
      nodes.forEach((n, i) => {
        const plugins: Record<string, number> = {};
        for (const { name, list } of perPlugin) plugins[name] = list[i] as number;
        into.set(n.name, { total: totals[i] as number, plugins });
      });
    });
    return { scores: lazy, error: undefined, totals };
  }

  /** The highest total; ties broken uniformly at random (reservoir sampling, as kube's selectHost). */
  selectHost(nodes: readonly NodeInfo[], scores: ReadonlyMap<string, NodeScore>): string {
    return this.#select(nodes, (_i, n) => scores.get(n.name)?.total ?? 0);
  }

  #select(nodes: readonly NodeInfo[], totalOf: (i: number, n: NodeInfo) => number): string {
    let best = -Infinity;
    let chosen = '';
    let count = 0;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as NodeInfo;
      const total = totalOf(i, n);
      if (total > best) {
        best = total;
        chosen = n.name;
        count = 1;
      } else if (total === best) {
        count++;
        if (Math.floor(this.#random() * count) === 0) chosen = n.name;
      }
    }
    return chosen;
  }

  async runReserve(ctx: CycleContext, nodeName: string): Promise<CycleStatus> {
    for (const pl of this.profile.reserve) {
      const s = await this.#call(pl.name, 'Reserve', () => pl.reserve(ctx, nodeName));
      if (s.code !== Code.Success) {
        return isRejected(s.code) ? s : errorStatus(pl.name, `running Reserve plugin "${pl.name}": ${statusText(s)}`);
      }
    }
    return cycleStatus(SUCCESS, '');
  }

  /** Every Reserve plugin's Unreserve, in reverse order; failures are ignored (Unreserve is idempotent). */
  async runUnreserve(ctx: CycleContext, nodeName: string): Promise<void> {
    for (let i = this.profile.reserve.length - 1; i >= 0; i--) {
      const pl = this.profile.reserve[i] as ReservePlugin;
      try {
        await pl.unreserve(ctx, nodeName);
      } catch {
        // Nothing to undo an undo with; kube logs and goes on.
      }
    }
  }

  /** Permit: a rejection or error ends the cycle; Waits are collected and waited on together. */
  async runPermit(ctx: CycleContext, nodeName: string): Promise<CycleStatus> {
    const r = await this.#permitCalls(ctx, nodeName);
    return r instanceof WaitingPod ? r.wait() : r;
  }

  /**
   * The Permit plugins' answers (the scheduling cycle's part of Permit): a final status, or the
   * WaitingPod holding the pod when some answered Wait. Each waiting plugin with waitOnPermit is
   * handed the WaitingPod to allow or reject later.
   */
  async #permitCalls(ctx: CycleContext, nodeName: string): Promise<CycleStatus | WaitingPod> {
    const waits = new Map<string, number>();
    const waiters: PermitPlugin[] = [];
    for (const pl of this.profile.permit) {
      let r: PermitResult;
      try {
        r = await pl.permit(ctx, nodeName);
      } catch (err) {
        return errorStatus(pl.name, `running Permit plugin "${pl.name}": ${describeError(err)}`);
      }
      if (r.status.code === Code.Success) continue;
      if (isRejected(r.status.code)) return cycleStatus(r.status, pl.name);
      if (r.status.code !== Code.Wait) return errorStatus(pl.name, `running Permit plugin "${pl.name}": ${statusText(r.status)}`);
      waits.set(pl.name, Math.min(Math.max(r.timeoutMs ?? 0, 0), MaxPermitWaitMs));
      waiters.push(pl);
    }
    if (waits.size === 0) return cycleStatus(SUCCESS, '');
    const key = podKey(ctx.pod);
    const waiting = new WaitingPod(ctx.pod, nodeName, waits);
    this.#waiting.set(key, waiting);
    void waiting.wait().then(() => {
      if (this.#waiting.get(key) === waiting) this.#waiting.delete(key);
    });
    for (const pl of waiters) {
      try {
        pl.waitOnPermit?.(ctx, nodeName, waiting, waits.get(pl.name) as number);
      } catch (err) {
        waiting.reject(pl.name, `running WaitOnPermit of plugin "${pl.name}": ${describeError(err)}`);
      }
    }
    return waiting;
  }

  /** PreBind in order; the first rejection (kept as it is, naming its plugin) or Error ends it. Skip counts as Success. */
  async runPreBind(ctx: CycleContext, nodeName: string): Promise<CycleStatus> {
    for (const pl of this.profile.preBind) {
      const s = await this.#call(pl.name, 'PreBind', () => pl.preBind(ctx, nodeName));
      if (s.code === Code.Success || s.code === Code.Skip) continue;
      return isRejected(s.code) ? s : errorStatus(pl.name, `running PreBind plugin "${pl.name}": ${statusText(s)}`);
    }
    return cycleStatus(SUCCESS, '');
  }

  /**
   * The first Bind plugin not answering Skip decides: Success binds, a rejection is kept as it
   * is (naming its plugin), anything else is an Error. All skipping (or none configured) is an
   * Error here, where kube answers Skip and fails the binding cycle on it just the same.
   */
  async runBind(ctx: CycleContext, nodeName: string): Promise<CycleStatus> {
    for (const pl of this.profile.bind) {
      const s = await this.#call(pl.name, 'Bind', () => pl.bind(ctx, nodeName));
      if (s.code === Code.Skip) continue;
      if (s.code === Code.Success || isRejected(s.code)) return s;
      return errorStatus(pl.name, `running Bind plugin "${pl.name}": ${statusText(s)}`);
    }
    return errorStatus('', 'no Bind plugin bound the pod (all skipped or none configured)');
  }

  async runPostBind(ctx: CycleContext, nodeName: string): Promise<void> {
    for (const pl of this.profile.postBind) {
      try {
        await pl.postBind(ctx, nodeName);
      } catch {
        // PostBind is informational: the pod is already bound.
      }
    }
  }

  /**
   * The scheduling cycle's end: assume on the node, Reserve, ask the Permit plugins. Resolves
   * then, with the binding cycle's outcome in `bound` (kube runs it in its own goroutine).
   */
  async #assume(ctx: CycleContext, nodeName: string): Promise<{ readonly bound: Promise<CycleStatus> }> {
    this.#cluster.assume(ctx.pod, nodeName);
    const reserved = await this.runReserve(ctx, nodeName);
    if (reserved.code !== Code.Success) return { bound: this.#undo(ctx, nodeName, reserved) };
    const permit = await this.#permitCalls(ctx, nodeName);
    if (permit instanceof WaitingPod) return { bound: this.#bindingCycle(ctx, nodeName, permit) };
    if (permit.code !== Code.Success) return { bound: this.#undo(ctx, nodeName, permit) };
    return { bound: this.#bindingCycle(ctx, nodeName, undefined) };
  }

  /** Waiting at Permit, PreBind, Bind; on failure Unreserve (in reverse) and forget, on success bind in the state and PostBind. */
  async #bindingCycle(ctx: CycleContext, nodeName: string, waiting: WaitingPod | undefined): Promise<CycleStatus> {
    if (waiting !== undefined) {
      const s = await waiting.wait();
      if (s.code !== Code.Success) return this.#undo(ctx, nodeName, s);
    }
    for (const step of [this.runPreBind, this.runBind]) {
      const s = await step.call(this, ctx, nodeName);
      if (s.code !== Code.Success) return this.#undo(ctx, nodeName, s);
    }
    const key = podKey(ctx.pod);
    if (this.#stillAssumed(key)) this.#cluster.bind(key);
    await this.runPostBind(ctx, nodeName);
    return cycleStatus(SUCCESS, '');
  }

  async #undo(ctx: CycleContext, nodeName: string, s: CycleStatus): Promise<CycleStatus> {
    await this.runUnreserve(ctx, nodeName);
    const key = podKey(ctx.pod);
    if (this.#stillAssumed(key)) this.#cluster.forget(key);
    return s;
  }

  /**
   * While the binding cycle ran, the API server's informer may have confirmed the binding
   * (ClusterState.bind) or seen the pod on another node: it is then no longer assumed, and
   * what the API server says stands.
   */
  #stillAssumed(key: string): boolean {
    return this.#cluster.pod(key)?.phase === 'assumed';
  }

  async #call(plugin: string, point: string, fn: () => MaybePromise<PluginStatus>): Promise<CycleStatus> {
    try {
      return cycleStatus(await fn(), plugin);
    } catch (err) {
      return errorStatus(plugin, `running ${point} plugin "${plugin}": ${describeError(err)}`);
    }
  }

  /**
   * PostFilter after a rejection (kube's RunPostFilterPlugins): the first plugin answering
   * Success ends the point and its nominated node is reported (the pod stays unscheduled this
   * cycle, as in kube, and is scheduled on a later attempt); Unschedulable lets the next plugin
   * try, its reasons gathered; UnschedulableAndUnresolvable ends the point. The FitError message
   * gains the final status's message (kube's PostFilterMsg: the gathered reasons joined by ", ",
   * or the status that ended the point). Anything else fails the cycle with an Error naming the
   * plugin (scheduling.proto's contract; kube only logs it and keeps the FitError).
   */
  async #postFilter(ctx: CycleContext, result: ScheduleResult): Promise<ScheduleResult> {
    const gathered: string[] = [];
    let final: PluginStatus | undefined;
    let nominated: Partial<ScheduleResult> = {};
    for (const pl of this.profile.postFilter) {
      let r: PostFilterResult;
      try {
        r = await pl.postFilter(ctx, result.filtered);
      } catch (err) {
        const s = errorStatus(pl.name, `running PostFilter plugin "${pl.name}": ${describeError(err)}`);
        return { ...result, status: s, message: statusText(s) };
      }
      const code = r.status.code;
      if (code !== Code.Success && !isRejected(code)) {
        const s = errorStatus(pl.name, `running PostFilter plugin "${pl.name}": ${statusText(r.status)}`);
        return { ...result, status: s, message: statusText(s) };
      }
      if (code === Code.Unschedulable) {
        gathered.push(...r.status.reasons);
        continue;
      }
      final = r.status;
      const node = r.nominatedNodeName ?? '';
      if (code === Code.Success && node.length > 0) nominated = { nominatedNodeName: node, nominatedBy: pl.name };
      break;
    }
    const postFilterMsg = (final?.reasons ?? gathered).join(', ');
    return { ...result, ...nominated, message: postFilterMsg.length > 0 ? `${result.message} ${postFilterMsg}.` : result.message };
  }
}

/**
 * kube's FitError.Error(): "0/N nodes are available: <count> <reason>, …." with reasons
 * counted over nodes and sorted as strings; a PreFilter rejection gives its message instead.
 */
export function fitErrorMessage(numAllNodes: number, filtered: ReadonlyMap<string, PluginStatus>, preFilterMsg: string): string {
  const msg = `0/${numAllNodes} nodes are available:`;
  if (preFilterMsg.length > 0) return `${msg} ${preFilterMsg}.`;
  const counts = new Map<string, number>();
  for (const s of filtered.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, c]) => `${c} ${r}`).sort();
  return parts.length > 0 ? `${msg} ${parts.join(', ')}.` : msg;
}
