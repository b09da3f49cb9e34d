/**
 * Dynamic v1 scheduling plugins as framework plugins: DynamicSchedulerPlugin adapts one
 * registered SchedulerPlugin (plugd.scheduling.v1, called through the host's failure policy)
 * to the per-extension-point interfaces of framework-types.ts, and dynamicResolver() lets a
 * profile name such plugins beside the built-ins. Node state goes through SnapshotFeeder.
 */
import * as grpc from '@grpc/grpc-js';
import type { FilterResponse__Output } from '../../proto/gen/plugd/scheduling/v1/FilterResponse.js';
import type { PermitResponse__Output } from '../../proto/gen/plugd/scheduling/v1/PermitResponse.js';
import type { PostFilterResponse__Output } from '../../proto/gen/plugd/scheduling/v1/PostFilterResponse.js';
import type { PreFilterResponse__Output } from '../../proto/gen/plugd/scheduling/v1/PreFilterResponse.js';
import type { ScoreResponse__Output } from '../../proto/gen/plugd/scheduling/v1/ScoreResponse.js';
import type { Status__Output } from '../../proto/gen/plugd/scheduling/v1/Status.js';
import type { WaitOnPermitResponse__Output } from '../../proto/gen/plugd/scheduling/v1/WaitOnPermitResponse.js';
import { ErrorCodes, PlugdError, PluginCallError } from '../errors.js';
import type { FailurePolicy } from '../interfaces.js';
import { Code, SKIP, SUCCESS, type PluginStatus, type StatusCode } from './builtins/types.js';
import { podKey, type NodeInfo } from './cluster-state.js';
import {
  stateKey,
  type CycleContext,
  type CycleStatus,
  type ExtensionPoint,
  type PermitResult,
  type PostFilterResult,
  type PreFilterResult,
  type ScoreResults,
  type SchedulerPlugin,
  type WaitingPodHandle,
} from './framework-types.js';
import type { PluginResolver } from './profile.js';
import type { SchedulingHost, SnapshotFeeder } from './snapshot-feed.js';
import { malformedAnswer, namedFailure } from './plugin-failure.js';
import { V1beta1SchedulerPlugin, V1BETA1_POINTS } from './v1beta1-adapter.js';

export type { SchedulingHost } from './snapshot-feed.js';

/** The proto's Status.Code names (enums decode as strings) → the framework's codes. */
const CODES: Readonly<Record<string, StatusCode>> = {
  SUCCESS: Code.Success,
  ERROR: Code.Error,
  UNSCHEDULABLE: Code.Unschedulable,
  UNSCHEDULABLE_AND_UNRESOLVABLE: Code.UnschedulableAndUnresolvable,
  WAIT: Code.Wait,
  SKIP: Code.Skip,
  PENDING: Code.Pending,
};

/** Which rpc makes a plugin implement which extension point ('reserve' also takes 'Unreserve'). */
const POINT_RPCS: ReadonlyArray<readonly [ExtensionPoint, readonly string[]]> = [
  ['preFilter', ['PreFilter']],
  ['filter', ['Filter']],
  ['postFilter', ['PostFilter']],
  ['preScore', ['PreScore']],
  ['score', ['Score']],
  ['reserve', ['Reserve', 'Unreserve']],
  ['permit', ['Permit']],
  ['preBind', ['PreBind']],
  ['bind', ['Bind']],
  ['postBind', ['PostBind']],
];

/** Every point DynamicSchedulerPlugin can serve. */
export const DYNAMIC_POINTS: readonly ExtensionPoint[] = POINT_RPCS.map(([p]) => p);

function toStatus(s: Status__Output | null | undefined): PluginStatus {
  if (s === null || s === undefined) return SUCCESS;
  const code = CODES[String(s.code)] ?? Code.Error;
  return { code, reasons: s.reasons };
}

function unpack(buf: Uint8Array): number[] {
  if (buf.length % 4 !== 0) throw new RangeError(`packed indices: ${buf.length} bytes is not a multiple of 4`);
  const out: number[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < buf.length; i += 4) out.push(view.getUint32(i, true));
  return out;
}

/** A v1 Pod rebuilt from the extracted info, for callers that gave no pod object (effective requests as one container). */
export function synthesizePod(ctx: CycleContext): unknown {
  const p = ctx.pod;
  const requests: Record<string, string> = {};
  for (const [k, v] of p.requests) requests[k] = k === 'cpu' ? `${v}m` : String(v);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace, uid: p.uid },
    spec: {
      ...(p.nodeName === '' ? {} : { nodeName: p.nodeName }),
      ...(p.nodeSelector === undefined ? {} : { nodeSelector: p.nodeSelector }),
      tolerations: p.tolerations,
      containers: [{ name: 'requests', resources: { requests } }],
    },
  };
}

interface CycleWire {
  readonly cycleId: string;
  readonly podJson: Buffer;
}
// One per cycle, shared by every dynamic plugin of the profile: the pod is encoded once.
const CYCLE_WIRE = stateKey<CycleWire>('plugd dynamic plugin cycle');

type Outcome<Res> = { readonly status: 'ok'; readonly response: Res } | { readonly status: 'skipped' };
const SKIPPED: Outcome<never> = Object.freeze({ status: 'skipped' });

// The permit cap (framework.ts MaxPermitWaitMs); repeated here so this module stays off the framework's engine.
const MAX_PERMIT_WAIT_MS = 15 * 60 * 1000;
// WaitOnPermit's deadline runs this long past the wait, so the host's own timer rejects first and
// the plugin has time to answer the cancelled wait after the Unreserve that follows.
const WAIT_ON_PERMIT_GRACE_MS = 2000;

function isPrecondition(err: unknown): err is PluginCallError {
  return err instanceof PluginCallError && err.grpcCode === grpc.status.FAILED_PRECONDITION;
}

/**
 * One registered v1 SchedulerPlugin as a framework plugin. It has a method for each point in
 * `points` and no other (framework-types implementsPoint looks for the methods). A point the
 * instance in rotation does not list is neutral (as under failurePolicy Ignore). Every call
 * goes through the host's failure policy: Fail throws an error naming the plugin and the
 * policy (the framework makes it an Error status with the plugin's name); Ignore leaves the
 * plugin out of that point for the cycle: Filter passes all, Score contributes nothing (Skip),
 * PreFilter / PreScore / Reserve / Permit / PreBind succeed, Bind skips.
 */
export class DynamicSchedulerPlugin implements SchedulerPlugin {
  readonly name: string;
  readonly #host: SchedulingHost;
  readonly #feeder: SnapshotFeeder;
  #weight = 0;
  #beta: V1beta1SchedulerPlugin | undefined;

  readonly preFilter?: (ctx: CycleContext) => Promise<PreFilterResult>;
  readonly filter?: (ctx: CycleContext, nodes: readonly NodeInfo[]) => Promise<readonly PluginStatus[]>;
  readonly postFilter?: (ctx: CycleContext, filtered: ReadonlyMap<string, CycleStatus>) => Promise<PostFilterResult>;
  readonly preScore?: (ctx: CycleContext, nodes: readonly NodeInfo[]) => Promise<PluginStatus>;
  readonly score?: (ctx: CycleContext, nodes: readonly NodeInfo[]) => Promise<ScoreResults>;
  readonly reserve?: (ctx: CycleContext, nodeName: string) => Promise<PluginStatus>;
  readonly unreserve?: (ctx: CycleContext, nodeName: string) => Promise<void>;
  readonly permit?: (ctx: CycleContext, nodeName: string) => Promise<PermitResult>;
  readonly waitOnPermit?: (ctx: CycleContext, nodeName: string, waiting: WaitingPodHandle, timeoutMs: number) => void;
  readonly preBind?: (ctx: CycleContext, nodeName: string) => Promise<PluginStatus>;
  readonly bind?: (ctx: CycleContext, nodeName: string) => Promise<PluginStatus>;
  readonly postBind?: (ctx: CycleContext, nodeName: string) => Promise<void>;

  constructor(name: string, host: SchedulingHost, feeder: SnapshotFeeder, points: Iterable<ExtensionPoint> = DYNAMIC_POINTS) {
    this.name = name;
    this.#host = host;
    this.#feeder = feeder;
    const has = new Set(points);
    if (has.has('preFilter')) this.preFilter = (ctx) => this.#preFilter(ctx);
    if (has.has('filter')) this.filter = (ctx, nodes) => this.#filter(ctx, nodes);
    if (has.has('postFilter')) this.postFilter = (ctx, filtered) => this.#postFilter(ctx, filtered);
    if (has.has('preScore')) this.preScore = (ctx, nodes) => this.#preScore(ctx, nodes);
    if (has.has('score')) this.score = (ctx, nodes) => this.#score(ctx, nodes);
    if (has.has('reserve')) {
      this.reserve = (ctx, node) => this.#binding(ctx, 'Reserve', node, SUCCESS);
      this.unreserve = (ctx, node) => this.#informational(ctx, 'Unreserve', node);
    }
    if (has.has('permit')) {
      this.permit = (ctx, node) => this.#permit(ctx, node);
      this.waitOnPermit = (ctx, node, waiting, timeoutMs) => this.#waitOnPermit(ctx, node, waiting, timeoutMs);
    }
    if (has.has('preBind')) this.preBind = (ctx, node) => this.#binding(ctx, 'PreBind', node, SUCCESS);
    if (has.has('bind')) this.bind = (ctx, node) => this.#binding(ctx, 'Bind', node, SKIP);
    if (has.has('postBind')) this.postBind = (ctx, node) => this.#informational(ctx, 'PostBind', node);
  }

  /** The weight the instance advertises (Capabilities.weight); the profile's own weight wins. */
  get defaultWeight(): number {
    const w = this.#host.registry.route(this.name)?.capabilities['weight'];
    if (typeof w === 'number') this.#weight = w;
    return this.#weight;
  }

  /** The failure policy calls to this plugin run under (host config, else the plugin's, else Fail). */
  get failurePolicy(): FailurePolicy {
    return this.#host.config.plugins[this.name]?.failurePolicy ?? this.#host.registry.settingsOf(this.name)?.failurePolicy ?? 'Fail';
  }

  // ---- one adapter per point

  async #preFilter(ctx: CycleContext): Promise<PreFilterResult> {
    const out = await this.#perPod<PreFilterResponse__Output>(ctx, 'PreFilter', undefined);
    if (out.status === 'skipped') return { status: SUCCESS };
    const r = out.response;
    const status = toStatus(r.status);
    if (!r.restrictsNodes || status.code !== Code.Success) return { status };
    const names = new Set<string>();
    for (const idx of unpack(r.nodeIndices)) {
      const name = this.#feeder.nameAt(idx);
      if (name !== undefined) names.add(name);
    }
    return { status, nodeNames: names };
  }

  async #filter(ctx: CycleContext, nodes: readonly NodeInfo[]): Promise<readonly PluginStatus[]> {
    const beta = this.#betaInRotation();
    if (beta?.filter !== undefined) return beta.filter(ctx, nodes);
    const out = await this.#perPod<FilterResponse__Output>(ctx, 'Filter', nodes);
    if (out.status === 'skipped') return nodes.map(() => SUCCESS);
    const r = out.response;
    const status = toStatus(r.status);
    if (status.code === Code.Unschedulable || status.code === Code.UnschedulableAndUnresolvable) return nodes.map(() => status);
    if (status.code !== Code.Success) return nodes.map(() => status);
    if (r.codes.length !== nodes.length) {
      return this.#malformed('Filter', `${r.codes.length} codes for ${nodes.length} candidates`, () => nodes.map(() => SUCCESS));
    }
    const statuses: PluginStatus[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const code = r.codes[i] as number;
      if (code === Code.Success) statuses.push(SUCCESS);
      else if (code === Code.Unschedulable || code === Code.UnschedulableAndUnresolvable) {
        const reason: string | undefined = r.reasons[i];
        statuses.push({ code, reasons: reason === undefined || reason === '' ? [`rejected by plugin ${this.name}`] : [reason] });
      } else return this.#malformed('Filter', `code ${code} for candidate ${i}`, () => nodes.map(() => SUCCESS));
    }
    return statuses;
  }

  /**
   * PostFilter gets the nodes rejected so far (scheduling.proto PostFilterRequest): packed, with
   * the code, reason and rejecting plugin of each. Under Ignore it could not help (Unschedulable).
   */
  async #postFilter(ctx: CycleContext, filtered: ReadonlyMap<string, CycleStatus>): Promise<PostFilterResult> {
    const nodes: NodeInfo[] = [];
    const codes: number[] = [];
    const reasons: Record<number, string> = {};
    const plugins: string[] = [];
    const pluginIds: number[] = [];
    for (const [name, s] of filtered) {
      const info = ctx.snapshot.get(name);
      if (info === undefined) continue;
      if (s.reasons.length > 0) reasons[nodes.length] = s.reasons.join(', ');
      let id = plugins.indexOf(s.plugin);
      if (id < 0) id = plugins.push(s.plugin) - 1;
      nodes.push(info);
      codes.push(s.code);
      pluginIds.push(Math.min(id, 255));
    }
    const extra = { codes: Buffer.from(codes), reasons, plugins, pluginIds: Buffer.from(pluginIds) };
    const out = await this.#perPod<PostFilterResponse__Output>(ctx, 'PostFilter', nodes, extra);
    if (out.status === 'skipped') return { status: { code: Code.Unschedulable, reasons: [] } };
    const status = toStatus(out.response.status);
    return status.code === Code.Success ? { status, nominatedNodeName: out.response.nominatedNodeName } : { status };
  }

  async #preScore(ctx: CycleContext, nodes: readonly NodeInfo[]): Promise<PluginStatus> {
    const out = await this.#perPod<{ status: Status__Output | null }>(ctx, 'PreScore', nodes);
    return out.status === 'skipped' ? SUCCESS : toStatus(out.response.status);
  }

  async #score(ctx: CycleContext, nodes: readonly NodeInfo[]): Promise<ScoreResults> {
    const beta = this.#betaInRotation();
    if (beta?.score !== undefined) return beta.score(ctx, nodes);
    const out = await this.#perPod<ScoreResponse__Output>(ctx, 'Score', nodes);
    if (out.status === 'skipped') return { status: SKIP, scores: [] };
    const r = out.response;
    const status = toStatus(r.status);
    if (status.code !== Code.Success) return { status, scores: [] };
    const skip = (): ScoreResults => ({ status: SKIP, scores: [] });
    if (r.scores.length === 0 && r.rawScores.length > 0) {
      if (r.rawScores.length !== nodes.length) return this.#malformed('Score', `${r.rawScores.length} raw scores for ${nodes.length} candidates`, skip);
      // scheduling.proto: (s − min) × 100 / (max − min), rounded down; all equal → all 0.
      const raw = r.rawScores.map(Number);
      const min = Math.min(...raw);
      const span = Math.max(...raw) - min;
      return { status, scores: raw.map((s) => (span === 0 ? 0 : Math.floor(((s - min) * 100) / span))) };
    }
    if (r.scores.length !== nodes.length) return this.#malformed('Score', `${r.scores.length} scores for ${nodes.length} candidates`, skip);
    const bad = r.scores.findIndex((s) => s > 100);
    if (bad >= 0) return this.#malformed('Score', `score ${r.scores.readUInt8(bad)} for candidate ${bad} is outside [0, 100]`, skip);
    return { status, scores: r.scores };
  }

  async #permit(ctx: CycleContext, nodeName: string): Promise<PermitResult> {
    const out = await this.#call<PermitResponse__Output>('Permit', this.#nodeRequest(ctx, nodeName));
    if (out.status === 'skipped') return { status: SUCCESS };
    const status = toStatus(out.response.status);
    // scheduling.proto: wait_ms 0 means the cap.
    return status.code === Code.Wait ? { status, timeoutMs: out.response.waitMs === 0 ? MAX_PERMIT_WAIT_MS : out.response.waitMs } : { status };
  }

  /**
   * The pod is held because this plugin answered WAIT: ask WaitOnPermit (a call that returns
   * when the plugin decides, e.g. once the pod's gang is complete) and allow or reject the pod
   * with its answer. A failed call follows the failure policy (Fail rejects naming the plugin,
   * Ignore allows, as an ignored Permit does); once the pod is settled otherwise (the timeout,
   * another plugin), the call's fate no longer matters and is not a failure.
   */
  #waitOnPermit(ctx: CycleContext, nodeName: string, waiting: WaitingPodHandle, timeoutMs: number): void {
    const inst = this.#host.registry.route(this.name);
    // No WaitOnPermit: the pod waits for the timeout or the library's handle. Gone since its
    // Permit answer: the call below fails, and the failure policy decides for the held pod.
    if (inst !== undefined && (inst.version !== 'v1' || !inst.implemented.has('WaitOnPermit'))) return;
    const request = this.#nodeRequest(ctx, nodeName);
    const settled = (): boolean => waiting.settled;
    this.#host.callWithPolicy<WaitOnPermitResponse__Output>(this.name, 'WaitOnPermit', request, { timeoutMs: timeoutMs + WAIT_ON_PERMIT_GRACE_MS, passThrough: settled }).then(
      (out) => {
        if (out.status === 'ignored') return waiting.allow(this.name);
        const s = toStatus(out.response.status);
        if (s.code === Code.Success) waiting.allow(this.name);
        else waiting.reject(this.name, s.reasons.length > 0 ? s.reasons.join(', ') : `rejected by plugin ${this.name} at WaitOnPermit`);
      },
      (err: unknown) => {
        if (!waiting.settled) waiting.reject(this.name, this.#named('WaitOnPermit', err).message);
      },
    );
  }

  async #binding(ctx: CycleContext, method: 'Reserve' | 'PreBind' | 'Bind', nodeName: string, whenSkipped: PluginStatus): Promise<PluginStatus> {
    const out = await this.#call<{ status: Status__Output | null }>(method, this.#nodeRequest(ctx, nodeName));
    return out.status === 'skipped' ? whenSkipped : toStatus(out.response.status);
  }

  /** Unreserve and PostBind: failures are only logged (by the policy applier), whatever the policy. */
  async #informational(ctx: CycleContext, method: 'Unreserve' | 'PostBind', nodeName: string): Promise<void> {
    try {
      await this.#call<unknown>(method, this.#nodeRequest(ctx, nodeName));
    } catch {
      // scheduling.proto: Unreserve and PostBind failures never change the outcome.
    }
  }

  // ---- plumbing

  #wire(ctx: CycleContext): CycleWire {
    let w = ctx.state.read(CYCLE_WIRE);
    if (w === undefined) {
      const pod = ctx.podObject ?? synthesizePod(ctx);
      w = { cycleId: this.#feeder.nextCycleId(podKey(ctx.pod)), podJson: Buffer.from(JSON.stringify(pod)) };
      ctx.state.write(CYCLE_WIRE, w);
    }
    return w;
  }

  #nodeRequest(ctx: CycleContext, nodeName: string): Record<string, unknown> {
    const w = this.#wire(ctx);
    return { podJson: w.podJson, cycleId: w.cycleId, nodeName };
  }

  /**
   * Whether the instance in rotation serves v1 `method` (unknown while none is: then it is
   * called, and an absent plugin is answered per its failure policy). An instance that
   * negotiated another version serves none of v1's.
   */
  #serves(method: string): boolean {
    const inst = this.#host.registry.route(this.name);
    return inst === undefined || (inst.version === 'v1' && inst.implemented.has(method));
  }

  /**
   * The v1beta1 adapter when the instance in rotation negotiated v1beta1: a plugin resolved
   * before it registered, or re-registered under another version, is called in the version it
   * speaks now (its Filter and Score; v1's other points are neutral for it).
   */
  #betaInRotation(): V1beta1SchedulerPlugin | undefined {
    const inst = this.#host.registry.route(this.name);
    if (inst === undefined || inst.type !== 'SchedulerPlugin' || inst.version !== 'v1beta1') return undefined;
    this.#beta ??= new V1beta1SchedulerPlugin(this.name, this.#host, (ctx) => ctx.podObject ?? synthesizePod(ctx), V1BETA1_POINTS.map(([p]) => p));
    return this.#beta;
  }

  /**
   * A per-pod call at the cycle's snapshot generation: brings the plugin to it first, and on
   * FAILED_PRECONDITION (it lost the generation) resends the full snapshot and calls once more.
   */
  async #perPod<Res>(ctx: CycleContext, method: string, nodes: readonly NodeInfo[] | undefined, extra: Record<string, unknown> = {}): Promise<Outcome<Res>> {
    if (!this.#serves(method)) return SKIPPED;
    const w = this.#wire(ctx);
    const request: Record<string, unknown> = { ...extra, snapshotGeneration: ctx.snapshot.generation, podJson: w.podJson, cycleId: w.cycleId };
    if (nodes !== undefined) request['candidates'] = this.#feeder.pack(ctx.snapshot, nodes);
    for (let attempt = 0; ; attempt++) {
      const fed = await this.#guard(method, () => this.#feeder.carry(this.name, ctx.snapshot));
      if (fed.status === 'ignored') return SKIPPED;
      // A lost generation is no failure yet (it bypasses the policy); only the repeated call's answer is.
      let lost = false;
      let out: Outcome<Res> = SKIPPED;
      try {
        const res = await this.#host.callWithPolicy<Res>(this.name, method, fed.delta === undefined ? request : { ...request, delta: fed.delta }, { passThrough: isPrecondition });
        if (res.status === 'ok') out = res;
      } catch (err) {
        if (!isPrecondition(err)) throw this.#named(method, err);
        lost = true;
      } finally {
        fed.done?.(out !== SKIPPED ? 'applied' : lost ? 'stale' : 'failed');
      }
      if (!lost) return out;
      if (attempt > 0) {
        if (this.failurePolicy === 'Ignore') return SKIPPED;
        throw new PlugdError(ErrorCodes.CALL_FAILED,
          `plugin ${this.name}: ${method}: lacks snapshot generation ${ctx.snapshot.generation} right after a full resync (failurePolicy Fail)`, { plugin: this.name });
      }
      this.#feeder.invalidate(this.name);
    }
  }

  /** One call under the failure policy: Ignore → skipped; Fail → throws naming the plugin and the policy. */
  async #call<Res>(method: string, request: unknown): Promise<Outcome<Res>> {
    if (!this.#serves(method)) return SKIPPED;
    return this.#guard(method, async () => {
      const out = await this.#host.callWithPolicy<Res>(this.name, method, request);
      return out.status === 'ok' ? out : SKIPPED;
    });
  }

  async #guard<T>(method: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.#named(method, err);
    }
  }

  #named(method: string, err: unknown): PlugdError {
    return namedFailure(this.name, method, this.failurePolicy, err);
  }

  #malformed<T>(method: string, what: string, ignored: () => T): T {
    return malformedAnswer(this.name, method, this.failurePolicy, what, ignored);
  }
}

/**
 * A profile.ts resolver for registered (or later-registering) v1 SchedulerPlugins: a name with
 * an instance in rotation gets exactly the points that instance lists; a name not registered
 * yet gets every point DYNAMIC_POINTS has, each neutral until an instance lists its rpc.
 * A name whose instance negotiated v1beta1 gets the v1beta1 adapter (Filter / Score only).
 * Names registered as another type, or speaking another scheduling version, resolve to nothing.
 */
export function dynamicResolver(host: SchedulingHost, feeder: SnapshotFeeder): PluginResolver {
  return (name) => {
    const inst = host.registry.route(name);
    if (inst === undefined) return new DynamicSchedulerPlugin(name, host, feeder);
    if (inst.type === 'SchedulerPlugin' && inst.version === 'v1beta1') {
      const points = V1BETA1_POINTS.filter(([, rpc]) => inst.implemented.has(rpc)).map(([p]) => p);
      // Should it come back speaking v1, the same points are served through the v1 adapter.
      return new V1beta1SchedulerPlugin(name, host, (ctx) => ctx.podObject ?? synthesizePod(ctx), points, new DynamicSchedulerPlugin(name, host, feeder, points));
    }
    if (inst.type !== 'SchedulerPlugin' || inst.version !== 'v1') return undefined;
    const points = POINT_RPCS.filter(([, rpcs]) => rpcs.some((r) => inst.implemented.has(r))).map(([p]) => p);
    return new DynamicSchedulerPlugin(name, host, feeder, points);
  };
}
