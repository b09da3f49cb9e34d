/**
 * The v1beta1 adapter: makes a registered plugd.scheduling.v1beta1 SchedulerPlugin a framework
 * Filter / Score plugin. v1beta1 keeps no node state, so each call carries the candidate nodes
 * themselves (no snapshot feed, no indices); dynamic.ts's resolver hands out this adapter for
 * instances that negotiated v1beta1.
 */
import type { FilterResponse__Output } from '../../proto/gen/plugd/scheduling/v1beta1/FilterResponse.js';
import type { Node as WireNode } from '../../proto/gen/plugd/scheduling/v1beta1/Node.js';
import type { ScoreResponse__Output } from '../../proto/gen/plugd/scheduling/v1beta1/ScoreResponse.js';
import type { FailurePolicy } from '../interfaces.js';
import { malformedAnswer, namedFailure } from './plugin-failure.js';
import { Code, SKIP, SUCCESS, type PluginStatus, type StatusCode } from './builtins/types.js';
import type { NodeInfo } from './cluster-state.js';
import { stateKey, type CycleContext, type ExtensionPoint, type ScoreResults, type SchedulerPlugin } from './framework-types.js';
import type { SchedulingHost } from './snapshot-feed.js';

/** The v1beta1 rpc behind each point the adapter serves. */
export const V1BETA1_POINTS: ReadonlyArray<readonly [ExtensionPoint, string]> = [
  ['filter', 'Filter'],
  ['score', 'Score'],
];

/** v1beta1 Code names (enums decode as strings) → the framework's rejection codes. */
const VERDICTS: Readonly<Record<string, StatusCode>> = {
  SUCCESS: Code.Success,
  UNSCHEDULABLE: Code.Unschedulable,
  UNSCHEDULABLE_AND_UNRESOLVABLE: Code.UnschedulableAndUnresolvable,
};

// The pod is encoded once per cycle, shared by every v1beta1 plugin of the profile.
const POD_JSON = stateKey<Buffer>('plugd v1beta1 pod json');
// NodeInfo objects are immutable and replaced on change, so their wire form can be cached.
const wireCache = new WeakMap<NodeInfo, WireNode>();

function toWire(info: NodeInfo): WireNode {
  let w = wireCache.get(info);
  if (w === undefined) {
    const requested: Record<string, number> = Object.fromEntries(info.requested);
    requested['pods'] = info.podCount;
    w = {
      name: info.name,
      labels: { ...info.node.labels },
      taints: info.node.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      unschedulable: info.node.unschedulable,
      allocatable: Object.fromEntries(info.allocatable),
      requested,
    };
    wireCache.set(info, w);
  }
  return w;
}

/**
 * One registered v1beta1 SchedulerPlugin as a framework plugin with `filter` and/or `score`
 * (only the points in `points`). Calls go through the host's failure policy as for v1
 * (dynamic.ts): Fail throws an error naming the plugin and the policy; Ignore leaves the
 * plugin out for the cycle (Filter passes all, Score contributes nothing). A malformed answer
 * (wrong count, unknown code, score above 100) is a failed call under the same policy.
 */
export class V1beta1SchedulerPlugin implements SchedulerPlugin {
  readonly name: string;
  readonly #host: SchedulingHost;
  readonly #podJson: (ctx: CycleContext) => unknown;
  readonly #v1: SchedulerPlugin | undefined;
  #weight = 0;

  readonly filter?: (ctx: CycleContext, nodes: readonly NodeInfo[]) => Promise<readonly PluginStatus[]>;
  readonly score?: (ctx: CycleContext, nodes: readonly NodeInfo[]) => Promise<ScoreResults>;

  /**
   * `pod` gives the Pod object to send (the caller's, or one rebuilt from the cycle's pod info).
   * `v1`, when given, serves the same points whenever the instance in rotation speaks v1 (the
   * plugin re-registered under the other version).
   */
  constructor(name: string, host: SchedulingHost, pod: (ctx: CycleContext) => unknown, points: Iterable<ExtensionPoint>, v1?: SchedulerPlugin) {
    this.name = name;
    this.#host = host;
    this.#podJson = pod;
    this.#v1 = v1;
    const has = new Set(points);
    if (has.has('filter')) this.filter = (ctx, nodes) => this.#filter(ctx, nodes);
    if (has.has('score')) this.score = (ctx, nodes) => this.#score(ctx, nodes);
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

  async #filter(ctx: CycleContext, nodes: readonly NodeInfo[]): Promise<readonly PluginStatus[]> {
    if (this.#v1?.filter !== undefined && this.#speaksV1()) return this.#v1.filter(ctx, nodes);
    const passAll = (): PluginStatus[] => nodes.map(() => SUCCESS);
    const res = await this.#call<FilterResponse__Output>(ctx, 'Filter', nodes);
    if (res === undefined) return passAll();
    if (res.verdicts.length !== nodes.length) return this.#malformed('Filter', `${res.verdicts.length} verdicts for ${nodes.length} nodes`, passAll);
    const out: PluginStatus[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const v = res.verdicts[i]!;
      const code = VERDICTS[String(v.code)];
      if (code === undefined) return this.#malformed('Filter', `code ${String(v.code)} for node ${nodes[i]!.name}`, passAll);
      out.push(code === Code.Success ? SUCCESS : { code, reasons: [v.reason === '' ? `rejected by plugin ${this.name}` : v.reason] });
    }
    return out;
  }

  async #score(ctx: CycleContext, nodes: readonly NodeInfo[]): Promise<ScoreResults> {
    if (this.#v1?.score !== undefined && this.#speaksV1()) return this.#v1.score(ctx, nodes);
    const skip = (): ScoreResults => ({ status: SKIP, scores: [] });
    const res = await this.#call<ScoreResponse__Output>(ctx, 'Score', nodes);
    if (res === undefined) return skip();
    if (res.scores.length !== nodes.length) return this.#malformed('Score', `${res.scores.length} scores for ${nodes.length} nodes`, skip);
    const bad = res.scores.findIndex((s) => s > 100);
    if (bad >= 0) return this.#malformed('Score', `score ${res.scores[bad]} for node ${nodes[bad]!.name} is outside [0, 100]`, skip);
    return { status: SUCCESS, scores: res.scores };
  }

  #speaksV1(): boolean {
    return this.#host.registry.route(this.name)?.version === 'v1';
  }

  /** One call under the failure policy: the response, or undefined when the policy ignored a failure. */
  async #call<Res>(ctx: CycleContext, method: string, nodes: readonly NodeInfo[]): Promise<Res | undefined> {
    const inst = this.#host.registry.route(this.name);
    // An instance in rotation that does not list the rpc (or speaks another version) is neutral, as for v1.
    if (inst !== undefined && (inst.version !== 'v1beta1' || !inst.implemented.has(method))) return undefined;
    let podJson = ctx.state.read(POD_JSON);
    if (podJson === undefined) {
      podJson = Buffer.from(JSON.stringify(this.#podJson(ctx)));
      ctx.state.write(POD_JSON, podJson);
    }
    try {
      const out = await this.#host.callWithPolicy<Res>(this.name, method, { podJson, nodes: nodes.map(toWire) });
      return out.status === 'ok' ? out.response : undefined;
    } catch (err) {
      throw namedFailure(this.name, method, this.failurePolicy, err);
    }
  }

  #malformed<T>(method: string, what: string, ignored: () => T): T {
    return malformedAnswer(this.name, method, this.failurePolicy, what, ignored);
  }
}
