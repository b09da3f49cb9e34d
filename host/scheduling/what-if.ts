/**
 * What-if scheduling: load `kubectl get nodes,pods -o json|yaml` output into a ClusterState,
 * then schedule the pending pods in file order through the framework, each assumed on its node
 * before the next. Also the `plugd schedule` command (text and --json reports).
 */
import { parseArgs } from 'node:util';
import { extractNode, NodeSpecError } from './builtins/node.js';
import { Code } from './builtins/types.js';
import { ClusterState, podKey } from './cluster-state.js';
import { Framework, type ScheduleResult } from './framework.js';
import { KubeDocumentError, readKubeDocument, readKubeDocuments } from './kube-docs.js';
import { extractPod, PodSpecError, type PodSchedulingInfo } from './pod.js';
import { DefaultSchedulerName, loadSchedulerConfiguration, ProfileError, type PluginResolver, type SchedulerConfiguration } from './profile.js';

/** An unreadable or malformed input file; the message names the file and the item. */
export class WhatIfInputError extends Error {
  readonly code = 'PLUGD_ERR_WHATIF_INPUT' as const;
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'WhatIfInputError';
  }
}

type JsonObject = { readonly [key: string]: unknown };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A Node or Pod object from a List, with where it came from (for messages). */
export interface ListItem {
  readonly kind: 'Node' | 'Pod';
  readonly object: JsonObject;
  readonly where: string;
}

/**
 * The Nodes and Pods of a v1 List (`kubectl get nodes,pods -o json`), a NodeList/PodList, or a
 * single Node or Pod; other kinds are skipped.
 */
export function listItems(doc: unknown, source: string): ListItem[] {
  if (!isObject(doc)) throw new WhatIfInputError(`${source}: expected an object (a v1 List)`);
  const kind = doc['kind'];
  if (kind === 'Node' || kind === 'Pod') return [{ kind, object: doc, where: source }];
  const items = doc['items'];
  if (!Array.isArray(items)) throw new WhatIfInputError(`${source}: expected a v1 List with "items", got kind ${JSON.stringify(kind ?? null)}`);
  // Items of a NodeList/PodList may omit their kind; a List's items carry it.
  const implied = kind === 'NodeList' ? 'Node' : kind === 'PodList' ? 'Pod' : undefined;
  const out: ListItem[] = [];
  items.forEach((item: unknown, i) => {
    if (!isObject(item)) throw new WhatIfInputError(`${source}: items[${i}]: expected an object`);
    const k = item['kind'] ?? implied;
    if (k === 'Node' || k === 'Pod') out.push({ kind: k, object: item, where: `${source}: items[${i}]` });
  });
  return out;
}

/** The Nodes and Pods of every document of a JSON or YAML file (`kubectl get nodes,pods -o json|yaml`). */
export function readListFile(file: string): ListItem[] {
  return asInputError(() => readKubeDocuments(file)).flatMap((d) => listItems(d.doc, d.source));
}

/** Unreadable or unparsable input files are input errors of the what-if run. */
function asInputError<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof KubeDocumentError) throw new WhatIfInputError(e.message, e);
    throw e;
  }
}

function nameOf(o: JsonObject): string {
  const meta = isObject(o['metadata']) ? o['metadata'] : {};
  const ns = typeof meta['namespace'] === 'string' ? `${meta['namespace']}/` : '';
  return `${ns}${typeof meta['name'] === 'string' ? meta['name'] : '?'}`;
}

function extractItem(item: ListItem): PodSchedulingInfo {
  try {
    return extractPod(item.object);
  } catch (err) {
    if (err instanceof PodSpecError) throw new WhatIfInputError(`${item.where} (Pod ${nameOf(item.object)}): ${err.message}`, err);
    throw err;
  }
}

/** A pending pod and the profile (schedulerName) that schedules it. */
export interface PendingPod {
  readonly pod: PodSchedulingInfo;
  readonly schedulerName: string;
  /** The Pod object as given (sent to dynamic plugins as is). */
  readonly object?: unknown;
}

export interface LoadedCluster {
  readonly state: ClusterState;
  /** In file order: the cluster file's pending pods, then the pods file's. */
  readonly pending: readonly PendingPod[];
}

/**
 * Builds the cluster state from List items: every Node; every Pod with spec.nodeName as
 * running (Succeeded/Failed pods are left out, as kube-scheduler's informer leaves them out);
 * the other pods as pending. A pod seen twice (same uid or namespace/name) counts once.
 */
export function loadCluster(items: readonly ListItem[]): LoadedCluster {
  const state = new ClusterState();
  return { state, pending: seedCluster(state, items) };
}

/**
 * Adds the items' Nodes (replacing ones of the same name) and running Pods to `state`, and
 * returns the pending pods in order (what loadCluster does, on a state that may be in use).
 */
export function seedCluster(state: ClusterState, items: readonly ListItem[]): PendingPod[] {
  const pending: PendingPod[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (item.kind !== 'Node') continue;
    try {
      state.addNode(extractNode(item.object));
    } catch (err) {
      if (err instanceof NodeSpecError) throw new WhatIfInputError(`${item.where} (Node ${nameOf(item.object)}): ${err.message}`, err);
      throw err;
    }
  }
  for (const item of items) {
    if (item.kind !== 'Pod') continue;
    const status = isObject(item.object['status']) ? item.object['status'] : {};
    if (status['phase'] === 'Succeeded' || status['phase'] === 'Failed') continue;
    const pod = extractItem(item);
    const key = podKey(pod);
    if (seen.has(key) || state.pod(key) !== undefined) continue;
    seen.add(key);
    if (pod.nodeName.length > 0) state.addPod(pod);
    else {
      const spec = isObject(item.object['spec']) ? item.object['spec'] : {};
      const scheduler = typeof spec['schedulerName'] === 'string' && spec['schedulerName'].length > 0 ? spec['schedulerName'] : DefaultSchedulerName;
      pending.push({ pod, schedulerName: scheduler, object: item.object });
    }
  }
  return pending;
}

export interface WhatIfOptions {
  readonly config?: SchedulerConfiguration | undefined;
  readonly seed?: number | undefined;
}

/** One pending pod's outcome; `result` is undefined when no profile has the pod's schedulerName. */
export interface WhatIfOutcome {
  readonly pod: string;
  readonly schedulerName: string;
  readonly result: ScheduleResult | undefined;
}

/**
 * Schedules the pending pods in order, as kube-scheduler does: each pod's scheduling cycle
 * (through Reserve and Permit) ends before the next pod's starts, with the pod assumed on its
 * node; its binding cycle goes on meanwhile, so a pod a Permit plugin holds (a gang member
 * waiting for the rest) does not stop the pods behind it. Resolves once every binding cycle has.
 */
export async function whatIf(cluster: LoadedCluster, opts: WhatIfOptions = {}): Promise<WhatIfOutcome[]> {
  const config = opts.config ?? loadSchedulerConfiguration({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration' });
  const frameworks = new Map(config.profiles.map((p) => [p.schedulerName, new Framework(p, cluster.state, { seed: opts.seed })]));
  const pending: Promise<WhatIfOutcome>[] = [];
  for (const { pod, schedulerName, object } of cluster.pending) {
    const fw = frameworks.get(schedulerName);
    const name = `${pod.namespace}/${pod.name}`;
    if (fw === undefined) {
      pending.push(Promise.resolve({ pod: name, schedulerName, result: undefined }));
      continue;
    }
    const { done } = await fw.scheduleCycle(pod, object);
    pending.push(done.then((result) => ({ pod: name, schedulerName, result })));
  }
  return Promise.all(pending);
}

/** One line per pod: "ns/name → node", "ns/name: no node fits: 0/3 nodes are available: …", … */
export function formatText(outcomes: readonly WhatIfOutcome[]): string {
  return outcomes
    .map(({ pod, schedulerName, result: r }) => {
      if (r === undefined) return `${pod}: skipped: no profile has schedulerName ${JSON.stringify(schedulerName)}`;
      if (r.node !== null) return `${pod} → ${r.node}`;
      if (r.status.code === Code.Error) return `${pod}: error: ${r.message}`;
      const nominated = r.nominatedNodeName === undefined ? '' : ` (PostFilter plugin ${r.nominatedBy ?? '?'} nominated node ${r.nominatedNodeName})`;
      if ((r.status.code === Code.Unschedulable || r.status.code === Code.UnschedulableAndUnresolvable) && r.message.startsWith('0/')) return `${pod}: no node fits: ${r.message}${nominated}`;
      return `${pod}: not scheduled: ${r.status.plugin.length > 0 ? `${r.status.plugin}: ` : ''}${r.message}`;
    })
    .join('\n');
}

/** One pod in the --json report. */
export interface JsonReportEntry {
  readonly pod: string;
  readonly node: string | null;
  /** Feasible nodes: the weighted total and each plugin's normalized score before weighting. */
  readonly scores: Record<string, { total: number; plugins: Record<string, number> }>;
  /** Rejected nodes: the first rejecting plugin's reasons, joined with ", ". */
  readonly filtered: Record<string, string>;
}

/** The --json report: results[{pod, node, scores{node: {total, plugins}}, filtered{node: reason}}]. */
export function toJsonReport(outcomes: readonly WhatIfOutcome[]): { results: JsonReportEntry[] } {
  const results: JsonReportEntry[] = [];
  for (const { pod, result: r } of outcomes) {
    if (r === undefined) continue;
    const scores: Record<string, { total: number; plugins: Record<string, number> }> = {};
    for (const [node, s] of r.scores) scores[node] = { total: s.total, plugins: { ...s.plugins } };
    const filtered: Record<string, string> = {};
    for (const [node, s] of r.filtered) filtered[node] = s.reasons.join(', ');
    results.push({ pod, node: r.node, scores, filtered });
  }
  return { results };
}

/** What `--socket-dir` needs: a host on DIR whose registered scheduling plugins a profile may name. */
export interface DynamicPlugins {
  readonly resolve: PluginResolver;
  /** Resolves once every named plugin is in rotation; rejects naming the missing ones after timeoutMs. */
  waitFor(names: readonly string[], timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts what `--socket-dir DIR` needs (host/embedded-scheduling.ts; the CLI passes it in). */
export type OpenDynamicPlugins = (socketDir: string) => Promise<DynamicPlugins>;

/** How long `--socket-dir` waits for the profile's dynamic plugins by default. */
export const DefaultPluginWaitMs = 10_000;

export const SCHEDULE_USAGE = `usage: plugd schedule --cluster FILE --pods FILE [--config FILE] [--socket-dir DIR] [--plugin-timeout MS]
                      [--seed N] [--json]

  Schedules the pending pods of FILEs through plugd's scheduling framework and prints, per
  pod, the chosen node or why none fits.
  --cluster FILE  \`kubectl get nodes,pods -o json\` (or -o yaml) output: nodes, and running pods (spec.nodeName set)
  --pods FILE     pods to schedule (same format; may be the same file): pending pods are scheduled
                  in file order, the cluster file's first, each assumed on its node before the next
  --config FILE   a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1), JSON or YAML; default:
                  kube's default profile over the built-ins plugd has
  --socket-dir DIR  dynamic plugins: starts an embedded host on DIR (no admin server) so the
                  profile may name the scheduling plugins registered there, and waits for them
  --plugin-timeout MS  how long --socket-dir waits for the profile's plugins (default ${DefaultPluginWaitMs})
  --seed N        seeds the random tie-break between equal scores (default: random, as kube)
  --json          {"results":[{"pod","node","scores":{node:{total,plugins}},"filtered":{node:reason}}]}
  Files are JSON or YAML; YAML may hold several documents (---), each a List, NodeList, PodList,
  Node or Pod.`;

/** `plugd schedule`: returns the exit code (0 ran, 1 bad input, 2 bad usage). */
export async function runScheduleCommand(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr,
  openDynamic?: OpenDynamicPlugins): Promise<number> {
  let values: {
    cluster?: string | undefined; pods?: string | undefined; config?: string | undefined; seed?: string | undefined; json?: boolean | undefined;
    help?: boolean | undefined; 'socket-dir'?: string | undefined; 'plugin-timeout'?: string | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        cluster: { type: 'string' },
        pods: { type: 'string' },
        config: { type: 'string' },
        'socket-dir': { type: 'string' },
        'plugin-timeout': { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    err.write(`plugd schedule: ${(e as Error).message}\n${SCHEDULE_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    out.write(`${SCHEDULE_USAGE}\n`);
    return 0;
  }
  if (values.cluster === undefined || values.pods === undefined) {
    err.write(`plugd schedule: --cluster and --pods are required\n${SCHEDULE_USAGE}\n`);
    return 2;
  }
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isSafeInteger(seed)) {
      err.write(`plugd schedule: --seed must be an integer, got ${values.seed}\n`);
      return 2;
    }
  }
  const waitMs = values['plugin-timeout'] === undefined ? DefaultPluginWaitMs : Number(values['plugin-timeout']);
  if (!Number.isSafeInteger(waitMs) || waitMs < 0) {
    err.write(`plugd schedule: --plugin-timeout must be a non-negative integer (ms), got ${values['plugin-timeout']}\n`);
    return 2;
  }
  const socketDir = values['socket-dir'];
  if (socketDir !== undefined && openDynamic === undefined) {
    err.write('plugd schedule: --socket-dir needs the plugd host (run it as `plugd schedule`)\n');
    return 2;
  }
  let dynamic: DynamicPlugins | undefined;
  try {
    // Inputs first: a typo in a file should not wait for plugins.
    const items = [...readListFile(values.cluster), ...readListFile(values.pods)];
    const cluster = loadCluster(items);
    let config: SchedulerConfiguration | undefined;
    if (values.config !== undefined) {
      const doc = readConfigDocument(values.config);
      if (socketDir !== undefined && openDynamic !== undefined) {
        dynamic = await openDynamic(socketDir);
        // The names the profile needs beyond the built-ins; wait for them, then resolve against what registered.
        const named = new Set<string>();
        const d = dynamic;
        loadConfigFile(values.config, doc, (name, args) => {
          named.add(name);
          return d.resolve(name, args);
        });
        await dynamic.waitFor([...named], waitMs);
        config = loadConfigFile(values.config, doc, dynamic.resolve);
      } else config = loadConfigFile(values.config, doc);
    }
    const outcomes = await whatIf(cluster, { config, seed });
    if (values.json) {
      // The JSON report lists scheduled pods only; say on stderr which were left out and why.
      for (const o of outcomes) if (o.result === undefined) err.write(`plugd schedule: ${o.pod}: skipped: no profile has schedulerName ${JSON.stringify(o.schedulerName)}\n`);
      out.write(`${JSON.stringify(toJsonReport(outcomes))}\n`);
    }
    else if (outcomes.length === 0) out.write('no pending pods\n');
    else out.write(`${formatText(outcomes)}\n`);
    return 0;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (e instanceof WhatIfInputError || e instanceof ProfileError || (typeof code === 'string' && code.startsWith('PLUGD_'))) {
      err.write(`plugd schedule: ${(e as Error).message} [${String(code)}]\n`);
      return 1;
    }
    throw e;
  } finally {
    await dynamic?.close();
  }
}

function readConfigDocument(file: string): unknown {
  return asInputError(() => readKubeDocument(file));
}

function loadConfigFile(file: string, doc: unknown, resolve?: PluginResolver): SchedulerConfiguration {
  try {
    return loadSchedulerConfiguration(doc, { resolve });
  } catch (e) {
    if (e instanceof ProfileError) throw new ProfileError(e.errors.map((x) => ({ field: `${file}: ${x.field}`, message: x.message })));
    throw e;
  }
}
