/**
 * The kube-scheduler extender door: kube-scheduler's HTTP extender API (k8s.io/kube-scheduler
 * extender/v1, PascalCase JSON) served over node:http in front of a scheduling Framework.
 *
 *   POST {prefix}/filter      ExtenderArgs        → ExtenderFilterResult
 *   POST {prefix}/prioritize  ExtenderArgs        → HostPriorityList (scores 0..MaxExtenderPriority)
 *   POST {prefix}/bind        ExtenderBindingArgs → ExtenderBindingResult
 *   POST {prefix}/preempt     ExtenderPreemptionArgs → ExtenderPreemptionResult
 *
 * Both nodeCacheCapable modes: full Node objects in `Nodes.items` (upserted into the cluster
 * state before the pod is evaluated) or `NodeNames` resolved against the cluster state the host
 * keeps; for preempt, victims as full Pods (`NodeNameToVictims`) or by UID
 * (`NodeNameToMetaVictims`), answered by UID either way. The door only translates: the
 * Framework's filterNodes / scoreNodes / bindPod do the work, so the library API and the door
 * share one code path (STYLE.md: front doors).
 *
 * HTTP status: a body kube-scheduler would send always gets 200, with `Error` set on failure
 * (prioritize and preempt have no Error field: a plugin Error there is 500); a malformed body
 * gets 400 naming the field; wrong method 405; unknown path 404; a body over the limit 413.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extractNode, NodeSpecError, type NodeSchedulingInfo } from '../scheduling/builtins/node.js';
import { Code, MaxNodeScore } from '../scheduling/builtins/types.js';
import { ClusterState, ClusterStateError, nodeInfoWithout, podKey, type NodeInfo } from '../scheduling/cluster-state.js';
import { DynamicSchedulerPlugin } from '../scheduling/dynamic.js';
import { Framework, type CycleStatus, type FrameworkOptions, type NodeScore, type Profile } from '../scheduling/framework.js';
import { extractPod, PodSpecError, type PodSchedulingInfo } from '../scheduling/pod.js';
import { V1beta1SchedulerPlugin } from '../scheduling/v1beta1-adapter.js';

/** extender/v1 MaxExtenderPriority: prioritize scores lie in [0, 10]. */
export const MaxExtenderPriority = 10;

/** Default URL prefix (kube-scheduler's urlPrefix minus scheme and host). */
export const DefaultExtenderPrefix = '/scheduler';

/** Default request body limit: a non-nodeCacheCapable ExtenderArgs carries every candidate Node. */
export const DefaultMaxBodyBytes = 64 * 1024 * 1024;

/** Idle keep-alive the door's server allows: above Go http.DefaultTransport's 90 s IdleConnTimeout. */
export const ExtenderKeepAliveMs = 95_000;

// How many pods seen by filter/prioritize are remembered for a later bind (oldest dropped first).
const DefaultRememberedPods = 4096;

// ---------------------------------------------------------------- extender/v1 wire types

/** ExtenderArgs as decoded (Pod and Node objects are kept as the JSON kube-scheduler sent). */
export interface ExtenderArgs {
  readonly Pod: Readonly<Record<string, unknown>>;
  readonly Nodes: { readonly items: readonly Readonly<Record<string, unknown>>[] | null } | null;
  readonly NodeNames: readonly string[] | null;
}

export type FailedNodesMap = Record<string, string>;

export interface ExtenderFilterResult {
  Nodes: { metadata: Record<string, never>; items: readonly Readonly<Record<string, unknown>>[] } | null;
  NodeNames: string[] | null;
  FailedNodes: FailedNodesMap;
  FailedAndUnresolvableNodes: FailedNodesMap;
  Error: string;
}

export interface HostPriority {
  Host: string;
  Score: number;
}

export type HostPriorityList = HostPriority[];

export interface ExtenderBindingArgs {
  readonly PodName: string;
  readonly PodNamespace: string;
  readonly PodUID: string;
  readonly Node: string;
}

export interface ExtenderBindingResult {
  Error: string;
}

/** extender/v1 MetaPod: a victim named by UID. */
export interface MetaPod {
  UID: string;
}

/** extender/v1 MetaVictims (Victims as decoded are kept in this form: the door needs only the UIDs). */
export interface MetaVictims {
  Pods: MetaPod[];
  NumPDBViolations: number;
}

/**
 * ExtenderPreemptionArgs as decoded: each candidate node's victims, from NodeNameToMetaVictims
 * (nodeCacheCapable: true) or from NodeNameToVictims (full Pods, reduced to their UIDs).
 */
export interface ExtenderPreemptionArgs {
  readonly Pod: Readonly<Record<string, unknown>>;
  /** node name → victims, in the order sent; null victims (Go's nil *Victims) as an empty list. */
  readonly victims: ReadonlyMap<string, MetaVictims>;
}

export interface ExtenderPreemptionResult {
  NodeNameToMetaVictims: Record<string, MetaVictims>;
}

// ---------------------------------------------------------------- errors

/** A request the door refuses at the HTTP level (400, 404, 405, 413). */
export class ExtenderRequestError extends Error {
  readonly code = 'PLUGD_ERR_EXTENDER_REQUEST' as const;
  readonly httpStatus: number;
  constructor(httpStatus: number, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ExtenderRequestError';
    this.httpStatus = httpStatus;
  }
}

const bad = (message: string, cause?: unknown): ExtenderRequestError => new ExtenderRequestError(400, message, cause);

type JsonObject = { readonly [key: string]: unknown };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/**
 * A top-level field, matched as Go's encoding/json matches it (exact name first, then
 * case-insensitively), since kube-scheduler's own decoder accepts either.
 */
function field(o: JsonObject, name: string): unknown {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

// ---------------------------------------------------------------- decoding

/** A request body that must be an object with a v1 Pod in `Pod` (ExtenderArgs, ExtenderPreemptionArgs). */
function bodyWithPod(body: unknown, type: string): { body: JsonObject; pod: JsonObject } {
  if (!isObject(body)) throw bad(`${type}: expected a JSON object, got ${describe(body)}`);
  const pod = field(body, 'Pod');
  if (pod === undefined || pod === null) throw bad(`${type}.Pod is required`);
  if (!isObject(pod)) throw bad(`${type}.Pod: expected a v1 Pod object, got ${describe(pod)}`);
  return { body, pod };
}

/** Decodes ExtenderArgs; throws ExtenderRequestError(400) naming the field. */
export function decodeExtenderArgs(body: unknown): ExtenderArgs {
  const { body: args, pod } = bodyWithPod(body, 'ExtenderArgs');

  let nodes: ExtenderArgs['Nodes'] = null;
  const rawNodes = field(args, 'Nodes');
  if (rawNodes !== undefined && rawNodes !== null) {
    if (!isObject(rawNodes)) throw bad(`ExtenderArgs.Nodes: expected a v1 NodeList object, got ${describe(rawNodes)}`);
    const items = rawNodes['items'];
    // kube-scheduler marshals an empty candidate list as {"metadata":{},"items":null}.
    if (items !== undefined && items !== null && !Array.isArray(items)) throw bad(`ExtenderArgs.Nodes.items: expected an array, got ${describe(items)}`);
    const list = (items ?? []) as readonly unknown[];
    list.forEach((item, i) => {
      if (!isObject(item)) throw bad(`ExtenderArgs.Nodes.items[${i}]: expected a v1 Node object, got ${describe(item)}`);
    });
    nodes = { items: list as readonly JsonObject[] };
  }

  let names: string[] | null = null;
  const rawNames = field(args, 'NodeNames');
  if (rawNames !== undefined && rawNames !== null) {
    if (!Array.isArray(rawNames)) throw bad(`ExtenderArgs.NodeNames: expected an array of node names, got ${describe(rawNames)}`);
    names = rawNames.map((n: unknown, i) => {
      if (typeof n !== 'string') throw bad(`ExtenderArgs.NodeNames[${i}]: expected a string, got ${describe(n)}`);
      return n;
    });
  }
  if (nodes === null && names === null) throw bad('ExtenderArgs: one of Nodes (nodeCacheCapable: false) or NodeNames (nodeCacheCapable: true) is required');
  return { Pod: pod, Nodes: nodes, NodeNames: names };
}

/** Decodes ExtenderBindingArgs; throws ExtenderRequestError(400) naming the field. */
export function decodeBindingArgs(body: unknown): ExtenderBindingArgs {
  if (!isObject(body)) throw bad(`ExtenderBindingArgs: expected a JSON object, got ${describe(body)}`);
  const str = (name: keyof ExtenderBindingArgs, required: boolean): string => {
    const v = field(body, name);
    if (v === undefined || v === null) {
      if (required) throw bad(`ExtenderBindingArgs.${name} is required`);
      return '';
    }
    if (typeof v !== 'string') throw bad(`ExtenderBindingArgs.${name}: expected a string, got ${describe(v)}`);
    if (required && v.length === 0) throw bad(`ExtenderBindingArgs.${name} must not be empty`);
    return v;
  };
  return { PodName: str('PodName', true), PodNamespace: str('PodNamespace', false), PodUID: str('PodUID', false), Node: str('Node', true) };
}

/** NumPDBViolations: a Go int64 (absent or null is 0). */
function pdbViolations(v: unknown, at: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(`${at}: expected an integer, got ${typeof v === 'number' ? String(v) : describe(v)}`);
  return v;
}

/**
 * Decodes ExtenderPreemptionArgs; throws ExtenderRequestError(400) naming the field.
 * kube-scheduler sends NodeNameToMetaVictims when nodeCacheCapable, NodeNameToVictims otherwise
 * (the other null); when both come, the meta form wins.
 */
export function decodePreemptionArgs(body: unknown): ExtenderPreemptionArgs {
  const { body: args, pod } = bodyWithPod(body, 'ExtenderPreemptionArgs');
  const meta = field(args, 'NodeNameToMetaVictims');
  const full = field(args, 'NodeNameToVictims');
  const useMeta = meta !== undefined && meta !== null;
  const name = useMeta ? 'NodeNameToMetaVictims' : 'NodeNameToVictims';
  const raw = useMeta ? meta : full;
  if (raw === undefined || raw === null) throw bad('ExtenderPreemptionArgs: one of NodeNameToVictims (nodeCacheCapable: false) or NodeNameToMetaVictims (nodeCacheCapable: true) is required');
  if (!isObject(raw)) throw bad(`ExtenderPreemptionArgs.${name}: expected an object of node name → victims, got ${describe(raw)}`);
  const victims = new Map<string, MetaVictims>();
  for (const [node, v] of Object.entries(raw)) {
    const at = `ExtenderPreemptionArgs.${name}[${JSON.stringify(node)}]`;
    if (v === null) {
      victims.set(node, { Pods: [], NumPDBViolations: 0 });
      continue;
    }
    if (!isObject(v)) throw bad(`${at}: expected an object {Pods, NumPDBViolations}, got ${describe(v)}`);
    const pods = field(v, 'Pods') ?? null;
    if (pods !== null && !Array.isArray(pods)) throw bad(`${at}.Pods: expected an array, got ${describe(pods)}`);
    const uids = ((pods ?? []) as unknown[]).map((p, i): MetaPod => {
      if (!isObject(p)) throw bad(`${at}.Pods[${i}]: expected ${useMeta ? 'a MetaPod {UID}' : 'a v1 Pod object'}, got ${describe(p)}`);
      const uid = useMeta ? field(p, 'UID') : isObject(p['metadata']) ? p['metadata']['uid'] : undefined;
      if (uid !== undefined && uid !== null && typeof uid !== 'string') throw bad(`${at}.Pods[${i}].${useMeta ? 'UID' : 'metadata.uid'}: expected a string, got ${describe(uid)}`);
      return { UID: uid ?? '' };
    });
    victims.set(node, { Pods: uids, NumPDBViolations: pdbViolations(field(v, 'NumPDBViolations'), `${at}.NumPDBViolations`) });
  }
  return { Pod: pod, victims };
}

function decodePod(pod: JsonObject): PodSchedulingInfo {
  try {
    return extractPod(pod);
  } catch (err) {
    if (err instanceof PodSpecError) throw bad(`ExtenderArgs.Pod.${err.message}`, err);
    throw err;
  }
}

function decodeNode(item: JsonObject, i: number): NodeSchedulingInfo {
  let n: NodeSchedulingInfo;
  try {
    n = extractNode(item);
  } catch (err) {
    if (err instanceof NodeSpecError) throw bad(`ExtenderArgs.Nodes.items[${i}].${err.message}`, err);
    throw err;
  }
  if (n.name.length === 0) throw bad(`ExtenderArgs.Nodes.items[${i}].metadata.name is required`);
  return n;
}

// ---------------------------------------------------------------- the door

export interface ExtenderDoorOptions {
  /** The framework whose profile does the work; it must run over `cluster`. */
  readonly framework: Framework;
  /** The state the framework runs over: Nodes sent in full are upserted here; NodeNames are looked up here. */
  readonly cluster: ClusterState;
  /** URL prefix the verbs hang under (default /scheduler); '' serves /filter, /prioritize, /bind. */
  readonly prefix?: string | undefined;
  /** Request bodies above this many bytes get 413 (default 64 MiB). */
  readonly maxBodyBytes?: number | undefined;
  /** How many pods seen by filter/prioritize are remembered for bind (default 4096). */
  readonly rememberPods?: number | undefined;
}

interface SeenPod {
  readonly pod: PodSchedulingInfo;
  readonly object: JsonObject;
}

type Verb = 'filter' | 'prioritize' | 'bind' | 'preempt';
const VERBS: readonly Verb[] = ['filter', 'prioritize', 'bind', 'preempt'];
/**
 * The verb names kube-scheduler's extender configs use (filterVerb, prioritizeVerb, bindVerb,
 * preemptVerb are free-form): the canonical ones, and `predicates`/`priorities` of the old
 * Policy API's examples that many extender configs still carry.
 */
const VERB_PATHS: ReadonlyMap<string, Verb> = new Map([...VERBS.map((v) => [v, v] as const), ['predicates', 'filter'], ['priorities', 'prioritize']]);

/**
 * Scales weighted framework totals to extender priorities: each total over the most it could
 * be (MaxNodeScore × the weights of the Score plugins that scored), times MaxExtenderPriority,
 * rounded down (integer maths, as kube's DefaultNormalizeScore). 0 when nothing scored.
 */
export function toExtenderScore(score: NodeScore, weights: ReadonlyMap<string, number>): number {
  let max = 0;
  for (const name of Object.keys(score.plugins)) max += MaxNodeScore * (weights.get(name) ?? 1);
  if (max === 0) return 0;
  return Math.min(MaxExtenderPriority, Math.max(0, Math.floor((score.total * MaxExtenderPriority) / max)));
}

function statusMessage(s: CycleStatus): string {
  const text = s.reasons.length > 0 ? s.reasons.join(', ') : `code ${s.code}`;
  return s.plugin.length > 0 && s.code === Code.Error ? `${s.plugin}: ${text}` : text;
}

/** The extender API as a node:http request handler over one Framework and its ClusterState. */
export class ExtenderDoor {
  readonly prefix: string;
  readonly #framework: Framework;
  readonly #cluster: ClusterState;
  readonly #maxBody: number;
  readonly #remember: number;
  readonly #seen = new Map<string, SeenPod>();
  // Framework cycles (and node upserts) must not overlap: requests run one at a time.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(opts: ExtenderDoorOptions) {
    const prefix = opts.prefix ?? DefaultExtenderPrefix;
    this.prefix = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    this.#framework = opts.framework;
    this.#cluster = opts.cluster;
    this.#maxBody = opts.maxBodyBytes ?? DefaultMaxBodyBytes;
    this.#remember = Math.max(1, opts.rememberPods ?? DefaultRememberedPods);
  }

  /** The node:http handler (pass to http.createServer, or call from another server's router). */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.#handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { message: `internal error: ${err instanceof Error ? err.message : String(err)}` });
      else res.destroy();
    });
  };

  // ---- the verbs, callable without HTTP (the tests and the benchmark use them too)

  async filter(args: ExtenderArgs): Promise<ExtenderFilterResult> {
    const pod = decodePod(args.Pod);
    return this.#serialized(async () => {
      const { nodes, unknown } = this.#resolveNodes(args);
      this.#rememberPod(pod, args.Pod);
      const r = await this.#framework.filterNodes(pod, nodes, args.Pod);
      const out: ExtenderFilterResult = { Nodes: null, NodeNames: null, FailedNodes: {}, FailedAndUnresolvableNodes: {}, Error: '' };
      if (r.error !== undefined) {
        out.Error = statusMessage(r.error);
        return out;
      }
      for (const name of unknown) out.FailedNodes[name] = unknownNodeMessage(name);
      for (const [name, s] of r.filtered) {
        if (s.code === Code.UnschedulableAndUnresolvable) out.FailedAndUnresolvableNodes[name] = statusMessage(s);
        else out.FailedNodes[name] = statusMessage(s);
      }
      if (args.Nodes !== null) {
        // Echo the Node objects kube-scheduler sent, in its order.
        const ok = new Set(r.feasible.map((n) => n.name));
        const items = (args.Nodes.items ?? []).filter((item) => ok.has(nodeNameOf(item)));
        out.Nodes = { metadata: {}, items };
      } else out.NodeNames = r.feasible.map((n) => n.name);
      return out;
    });
  }

  async prioritize(args: ExtenderArgs): Promise<HostPriorityList> {
    const pod = decodePod(args.Pod);
    return this.#serialized(async () => {
      const { nodes, unknown } = this.#resolveNodes(args);
      this.#rememberPod(pod, args.Pod);
      const r = await this.#framework.scoreNodes(pod, nodes, args.Pod);
      // Read per call: a dynamic plugin's weight is its instance's, which may register or change later.
      const weights = new Map(this.#framework.profile.score.map((s) => [s.plugin.name, s.weight]));
      // kube-scheduler's prioritize has no Error field: a failed Score point is an HTTP 500.
      if (r.error !== undefined) throw new ExtenderRequestError(500, `prioritize: ${statusMessage(r.error)}`);
      const list: HostPriorityList = nodes.map((n) => {
        const s = r.scores.get(n.name);
        return { Host: n.name, Score: s === undefined ? 0 : toExtenderScore(s, weights) };
      });
      for (const name of unknown) list.push({ Host: name, Score: 0 });
      return list;
    });
  }

  async bind(args: ExtenderBindingArgs): Promise<ExtenderBindingResult> {
    // Up to Permit in turn with the other verbs; a pod held at Permit (a gang member) then waits
    // outside the queue, so kube-scheduler's binds of its siblings can reach Permit meanwhile.
    const started = await this.#serialized(async (): Promise<ExtenderBindingResult | { done: Promise<CycleStatus>; key: string }> => {
      const ref = `${args.PodNamespace}/${args.PodName}`;
      // Already tracked (bound by an earlier call, or known from the host's pod feed)?
      const tracked = this.#cluster.pod(podKey({ uid: args.PodUID, namespace: args.PodNamespace, name: args.PodName }));
      if (tracked !== undefined) {
        if (tracked.nodeName === args.Node && tracked.phase === 'bound') return { Error: '' };
        return { Error: `pod ${ref} is already ${tracked.phase} on node "${tracked.nodeName}"` };
      }
      const seen = this.#lookupPod(args);
      if (seen === undefined) {
        return { Error: `pod ${ref} (uid ${JSON.stringify(args.PodUID)}) was not seen in a filter or prioritize call: plugd binds only pods it evaluated` };
      }
      const key = podKey(seen.pod);
      if (this.#cluster.node(args.Node) === undefined) return { Error: `${unknownNodeMessage(args.Node)}: cannot bind pod ${ref} to it` };
      try {
        return { ...(await this.#framework.startBinding(seen.pod, args.Node, seen.object)), key };
      } catch (err) {
        if (err instanceof ClusterStateError) return { Error: err.message };
        throw err;
      }
    });
    if (!('done' in started)) return started;
    const s = await started.done;
    if (s.code !== Code.Success) return { Error: statusMessage(s) };
    this.#seen.delete(started.key);
    return { Error: '' };
  }

  /**
   * kube-scheduler's preemption asks each extender to confirm its candidates (DefaultPreemption
   * after its dry run). A node is kept, with kube-scheduler's victims, unless plugd's profile
   * rejects the pod there even with the victims gone: the node is judged as plugd's state has
   * it minus the victims plugd accounts there (kube's NodeInfo.RemovePod on a copy). An
   * out-of-process plugin judges the node from the snapshot it was fed, victims included, so it
   * can drop a node only with UnschedulableAndUnresolvable (preemption cannot help). A node plugd
   * does not know is kept (it has nothing to judge it by), and one named without victims is
   * dropped (kube-scheduler refuses an answer naming a node without victims).
   */
  async preempt(args: ExtenderPreemptionArgs): Promise<ExtenderPreemptionResult> {
    const pod = decodePod(args.Pod);
    return this.#serialized(async () => {
      const out: ExtenderPreemptionResult = { NodeNameToMetaVictims: {} };
      const snapshot = this.#cluster.snapshot();
      const judged: NodeInfo[] = [];
      for (const [name, v] of args.victims) {
        if (v.Pods.length === 0) continue;
        const info = snapshot.get(name);
        if (info === undefined) {
          out.NodeNameToMetaVictims[name] = v;
          continue;
        }
        const gone: PodSchedulingInfo[] = [];
        for (const { UID } of v.Pods) {
          const tracked = UID.length > 0 ? this.#cluster.pod(UID) : undefined;
          if (tracked !== undefined && tracked.nodeName === name) gone.push(tracked.pod);
        }
        judged.push(nodeInfoWithout(info, gone));
      }
      if (judged.length === 0) return out;
      const r = await this.#framework.filterNodes(pod, judged, args.Pod);
      if (r.error !== undefined) throw new ExtenderRequestError(500, `preempt: ${statusMessage(r.error)}`);
      for (const n of judged) {
        const s = r.filtered.get(n.name);
        if (s === undefined || (s.code === Code.Unschedulable && this.#outOfProcess(s.plugin))) out.NodeNameToMetaVictims[n.name] = args.victims.get(n.name) as MetaVictims;
      }
      return out;
    });
  }

  // ---- internals

  /** Whether the profile's Filter plugin of that name runs in another process (judges its own node snapshot). */
  #outOfProcess(plugin: string): boolean {
    const p = this.#framework.profile.filter.find((f) => f.name === plugin);
    return p instanceof DynamicSchedulerPlugin || p instanceof V1beta1SchedulerPlugin;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] as string;
    const verb = this.#verbOf(path);
    if (verb === undefined) {
      drain(req);
      send(res, 404, { message: `no extender verb at ${path}: serving POST ${VERBS.map((v) => `${this.prefix}/${v}`).join(', ')}` });
      return;
    }
    if (req.method !== 'POST') {
      drain(req);
      res.setHeader('Allow', 'POST');
      send(res, 405, { message: `${req.method ?? '?'} ${path}: the extender API takes POST only` });
      return;
    }
    let body: unknown;
    try {
      body = await readJson(req, this.#maxBody);
      let out: ExtenderFilterResult | HostPriorityList | ExtenderBindingResult | ExtenderPreemptionResult;
      if (verb === 'bind') out = await this.bind(decodeBindingArgs(body));
      else if (verb === 'preempt') out = await this.preempt(decodePreemptionArgs(body));
      else {
        const args = decodeExtenderArgs(body);
        out = verb === 'filter' ? await this.filter(args) : await this.prioritize(args);
      }
      send(res, 200, out);
    } catch (err) {
      if (!(err instanceof ExtenderRequestError)) throw err;
      if (err.httpStatus === 413) res.setHeader('Connection', 'close');
      send(res, err.httpStatus, { message: err.message });
    }
  }

  #verbOf(path: string): Verb | undefined {
    if (!path.startsWith(`${this.prefix}/`)) return undefined;
    const rest = path.slice(this.prefix.length + 1);
    return VERB_PATHS.get(rest);
  }

  #serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The candidate NodeInfos, in the order given. Full Node objects are decoded (all of them,
   * so a bad one is a 400 before anything changes) and upserted into the cluster state; names
   * are looked up there, the unknown ones returned apart.
   */
  #resolveNodes(args: ExtenderArgs): { nodes: NodeInfo[]; unknown: string[] } {
    const unknown: string[] = [];
    let names: readonly string[];
    if (args.Nodes !== null) {
      const decoded = (args.Nodes.items ?? []).map((item, i) => decodeNode(item, i));
      for (const n of decoded) this.#cluster.addNode(n);
      names = decoded.map((n) => n.name);
    } else names = args.NodeNames ?? [];
    const snapshot = this.#cluster.snapshot();
    const nodes: NodeInfo[] = [];
    const dup = new Set<string>();
    for (const name of names) {
      if (dup.has(name)) continue;
      dup.add(name);
      const n = snapshot.get(name);
      if (n === undefined) unknown.push(name);
      else nodes.push(n);
    }
    return { nodes, unknown };
  }

  #rememberPod(pod: PodSchedulingInfo, object: JsonObject): void {
    const key = podKey(pod);
    this.#seen.delete(key);
    this.#seen.set(key, { pod, object });
    while (this.#seen.size > this.#remember) {
      const oldest = this.#seen.keys().next().value as string;
      this.#seen.delete(oldest);
    }
  }

  #lookupPod(args: ExtenderBindingArgs): SeenPod | undefined {
    const byKey = this.#seen.get(args.PodUID.length > 0 ? args.PodUID : `${args.PodNamespace}/${args.PodName}`);
    if (byKey !== undefined && byKey.pod.name === args.PodName && byKey.pod.namespace === args.PodNamespace) return byKey;
    for (const s of this.#seen.values()) if (s.pod.name === args.PodName && s.pod.namespace === args.PodNamespace && (args.PodUID === '' || s.pod.uid === args.PodUID)) return s;
    return undefined;
  }
}

function unknownNodeMessage(name: string): string {
  return `node "${name}" is not in plugd's node cache (nodeCacheCapable: plugd learns nodes from its cluster feed, not from the extender call)`;
}

function nodeNameOf(item: JsonObject): string {
  const meta = item['metadata'];
  return isObject(meta) && typeof meta['name'] === 'string' ? meta['name'] : '';
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function drain(req: IncomingMessage): void {
  req.resume();
}

/** Reads and parses the body; 413 past `limit` bytes (by Content-Length or as it streams), 400 on bad JSON. */
async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    drain(req);
    throw new ExtenderRequestError(413, `request body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      drain(req);
      throw new ExtenderRequestError(413, `request body exceeds the limit of ${limit} bytes`);
    }
    chunks.push(b);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim().length === 0) throw bad('empty request body: expected JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw bad(`request body is not valid JSON: ${(err as Error).message}`, err);
  }
}

// ---------------------------------------------------------------- convenience

/** A door over its own Framework for `profile`, on `cluster` (a fresh ClusterState by default). */
export function extenderDoor(profile: Profile, opts: Omit<ExtenderDoorOptions, 'framework' | 'cluster'> & { cluster?: ClusterState; framework?: FrameworkOptions } = {}): ExtenderDoor {
  const cluster = opts.cluster ?? new ClusterState();
  return new ExtenderDoor({ ...opts, cluster, framework: new Framework(profile, cluster, opts.framework) });
}

export interface ExtenderServer {
  readonly server: Server;
  /** http://host:port (the port the OS chose when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on host:port (port 0: any free port) and serves the door. */
export async function listenExtender(door: ExtenderDoor, host: string, port: number): Promise<ExtenderServer> {
  const server = createServer(door.handle);
  // kube-scheduler's client (apimachinery SetTransportDefaults) keeps idle connections 90 s;
  // node's default 5 s keep-alive would close them under it, and a POST sent as the server
  // closes fails that pod's extender call (Go retries no written POST). Let the client close first.
  server.keepAliveTimeout = ExtenderKeepAliveMs;
  server.headersTimeout = ExtenderKeepAliveMs + 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${h}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err === undefined ? resolve() : reject(err)));
      }),
  };
}
