/**
 * scheduling: whole scheduling cycles (kube-scheduler semantics: numFeasibleNodesToFind,
 * rotating start, weights, seeded tie-break, assume + bind) of 10,000 pending pods on a
 * 5000-node cluster, one pod after the other, measured in one run:
 *
 *   (a) the default profile's built-ins only;
 *   (b) built-ins + two dynamic plugins (Filter + Score each) in their own processes, over gRPC;
 *   (c) the same two plugin definitions loaded in-process (no socket, no serialization), through
 *       the same adapter and snapshot feed, so (b)/(c) is the price of the process boundary;
 *   (e) the extender door (nodeCacheCapable: node names only) driven sequentially over HTTP
 *       the way kube-scheduler drives an extender: filter, prioritize and bind per pod, the
 *       profile's two dynamic plugins doing the work.
 *
 * (d), built-in scoring in the worker pool vs the main thread, is the scoring-pool suite.
 *
 *   npm run bench -- --only scheduling          (PLUGD_BENCH_NODES / PLUGD_BENCH_PODS to resize)
 */
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { defaultConfig } from '../host/config.js';
import { extenderDoor, listenExtender, type ExtenderServer } from '../host/doors/extender.js';
import { PlugdHost } from '../host/host.js';
import { packageRoot } from '../host/paths.js';
import type { ClusterState } from '../host/scheduling/cluster-state.js';
import { DynamicSchedulerPlugin, dynamicResolver, type SchedulingHost } from '../host/scheduling/dynamic.js';
import { Framework, type Profile } from '../host/scheduling/framework.js';
import { loadSchedulerConfiguration, SchedulerConfigAPIVersion, SchedulerConfigKind, type PluginResolver } from '../host/scheduling/profile.js';
import { SnapshotFeeder } from '../host/scheduling/snapshot-feed.js';
import type { PluginDefinition } from '../sdk/index.js';
import { Child, removeDir, tempDir } from './support/procs.js';
import { round, table } from './support/stats.js';
import { goal, info, type Progress, type Suite, type SuiteResult } from './support/suite.js';
import { buildCluster, pendingPods, type PendingPod } from './support/sched/cluster.js';
import { spreadPlugin, zonePlugin } from './support/sched/plugins.js';

const NODES = Number(process.env.PLUGD_BENCH_NODES ?? 5000);
const PODS = Number(process.env.PLUGD_BENCH_PODS ?? 10_000);
const DYNAMIC = ['bench-zone', 'bench-spread'] as const;

const GOAL_WITH_PLUGINS = 1000;
const GOAL_BC = 0.5;
const GOAL_EXTENDER = 300;

interface Run {
  readonly podsPerSecond: number;
  readonly scheduled: number;
  readonly unschedulable: number;
  /** pod → node, to check that runs agree. */
  readonly placements: readonly (string | null)[];
}

/** The default profile plus `dynamic` at Filter and Score (weight 1), resolved by `resolve`. */
function profileWith(resolve: PluginResolver | undefined, dynamic: readonly string[], builtins = true): Profile {
  const enabled = dynamic.map((name) => ({ name }));
  const plugins = builtins
    ? { filter: { enabled }, score: { enabled } }
    : { multiPoint: { disabled: [{ name: '*' }] }, filter: { enabled }, score: { enabled }, bind: { enabled: [{ name: 'DefaultBinder' }] } };
  const doc = { apiVersion: SchedulerConfigAPIVersion, kind: SchedulerConfigKind, profiles: [{ plugins }] };
  return loadSchedulerConfiguration(doc, resolve === undefined ? {} : { resolve }).profiles[0] as Profile;
}

async function runCycles(label: string, profile: Profile, cluster: ClusterState, pods: readonly PendingPod[], progress: Progress): Promise<Run> {
  const fw = new Framework(profile, cluster, { seed: 42 });
  const placements: (string | null)[] = [];
  let scheduled = 0;
  const t0 = performance.now();
  let lastReport = t0;
  for (const p of pods) {
    const r = await fw.scheduleOne(p.info, p.object);
    placements.push(r.node);
    if (r.node !== null) scheduled++;
    else if (r.status.code === 1) throw new Error(`${label}: pod ${r.pod}: ${r.message}`);
    const now = performance.now();
    if (now - lastReport > 2000) {
      progress(`${label}: ${placements.length}/${pods.length} pods`);
      lastReport = now;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  progress(`${label}: ${round(pods.length / seconds, 0)} pods/s`);
  return { podsPerSecond: pods.length / seconds, scheduled, unschedulable: pods.length - scheduled, placements };
}

/**
 * A SchedulingHost whose "plugins" are definitions called in this process: the snapshot feed,
 * the adapter and the packed encodings are the dynamic path's own; only gRPC is gone.
 */
function inProcessHost(definitions: readonly PluginDefinition[]): SchedulingHost {
  const handlers = new Map(definitions.map((d) => [d.name, d.handlers as unknown as Record<string, (req: unknown) => unknown>]));
  return {
    config: { plugins: {} },
    registry: { route: () => undefined, settingsOf: () => undefined, on: () => undefined as never, off: () => undefined as never },
    async callWithPolicy<Res>(name: string, method: string, req: unknown) {
      const fn = handlers.get(name)?.[method];
      if (fn === undefined) throw new Error(`in-process plugin ${name} has no ${method}`);
      const res = (await fn(req)) as Record<string, unknown>;
      return { status: 'ok', response: { status: null, ...res } as Res };
    },
  };
}

/** POST a JSON body on a keep-alive agent; resolves the parsed answer. */
function post(agent: Agent, url: URL, path: string, body: unknown): Promise<Record<string, unknown>> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          const out = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
          if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}: ${JSON.stringify(out)}`));
          else resolve(out);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * kube-scheduler's side of an extender in nodeCacheCapable mode: per pod, the names of the
 * nodes its own filters passed (here: a rotating window of numFeasibleNodesToFind names, as
 * kube would send), then prioritize on what the extender kept, then bind to the best.
 */
async function runExtender(server: ExtenderServer, nodeNames: readonly string[], pods: readonly PendingPod[], window: number, progress: Progress): Promise<Run> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(server.url);
  const placements: (string | null)[] = [];
  let scheduled = 0;
  let start = 0;
  const t0 = performance.now();
  let lastReport = t0;
  try {
    for (const p of pods) {
      const names = Array.from({ length: window }, (_, i) => nodeNames[(start + i) % nodeNames.length] as string);
      start = (start + window) % nodeNames.length;
      const filtered = await post(agent, url, '/scheduler/filter', { Pod: p.object, Nodes: null, NodeNames: names });
      if (filtered['Error']) throw new Error(`extender filter: ${String(filtered['Error'])}`);
      const kept = (filtered['NodeNames'] as string[] | null) ?? [];
      let node: string | null = null;
      if (kept.length > 0) {
        const priorities = (await post(agent, url, '/scheduler/prioritize', { Pod: p.object, Nodes: null, NodeNames: kept })) as unknown as { Host: string; Score: number }[];
        let best = -1;
        for (const h of priorities) if (h.Score > best) ({ Host: node, Score: best } = h);
        const meta = (p.object as { metadata: { name: string; namespace: string; uid: string } }).metadata;
        const bound = await post(agent, url, '/scheduler/bind', { PodName: meta.name, PodNamespace: meta.namespace, PodUID: meta.uid, Node: node });
        if (bound['Error']) throw new Error(`extender bind: ${String(bound['Error'])}`);
        scheduled++;
      }
      placements.push(node);
      const now = performance.now();
      if (now - lastReport > 2000) {
        progress(`(e) extender: ${placements.length}/${pods.length} pods`);
        lastReport = now;
      }
    }
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { podsPerSecond: pods.length / seconds, scheduled, unschedulable: pods.length - scheduled, placements };
}

function agreement(a: Run, b: Run): number {
  let same = 0;
  a.placements.forEach((n, i) => {
    if (n === b.placements[i]) same++;
  });
  return same / a.placements.length;
}

export const scheduling: Suite = {
  name: 'scheduling',
  title: `scheduling cycles: ${PODS} pods on ${NODES} nodes, built-ins, + 2 dynamic plugins over gRPC vs in-process, and the extender door`,
  async run(progress: Progress): Promise<SuiteResult> {
    const pods = pendingPods(PODS);
    progress(`(a) built-ins only: ${NODES} nodes, ${PODS} pods`);
    const a = await runCycles('(a) built-ins', profileWith(undefined, []), buildCluster(NODES), pods, progress);

    progress('(c) + 2 plugins in-process');
    const local = inProcessHost([zonePlugin(), spreadPlugin()]);
    const localFeeder = new SnapshotFeeder(local);
    const c = await runCycles('(c) in-process', profileWith((name) => new DynamicSchedulerPlugin(name, local, localFeeder, ['filter', 'score']), DYNAMIC), buildCluster(NODES), pods, progress);

    const socketDir = tempDir('plugd-bench-sched-');
    const host = new PlugdHost({ socketDir, admin: false, config: defaultConfig() });
    const plugins: Child[] = [];
    let b: Run;
    let e: Run;
    let extender: ExtenderServer | undefined;
    try {
      await host.start();
      for (const name of ['zone', 'spread']) {
        plugins.push(new Child(`plugin ${name}`, join(packageRoot(), 'bin', 'plugd.js'), ['serve', join(packageRoot(), 'dist', 'bench', 'support', 'sched', `${name}.js`), '--socket-dir', socketDir]));
      }
      for (const name of DYNAMIC) await host.waitForPlugin(name, 20_000);
      progress('(b) + 2 plugins over gRPC');
      const feeder = new SnapshotFeeder(host);
      b = await runCycles('(b) gRPC', profileWith(dynamicResolver(host, feeder), DYNAMIC), buildCluster(NODES), pods, progress);

      progress('(e) extender door, nodeCacheCapable, sequential HTTP');
      const cluster = buildCluster(NODES);
      const extFeeder = new SnapshotFeeder(host);
      const door = extenderDoor(profileWith(dynamicResolver(host, extFeeder), DYNAMIC, false), { cluster, framework: { seed: 42 } });
      extender = await listenExtender(door, '127.0.0.1', 0);
      const names = cluster.snapshot().nodes.map((n) => n.name);
      e = await runExtender(extender, names, pods, Math.min(names.length, 500), progress);
    } finally {
      await extender?.close();
      await Promise.all(plugins.map((p) => p.stop()));
      await host.stop();
      removeDir(socketDir);
    }

    const bc = b.podsPerSecond / c.podsPerSecond;
    const rows = [
      ['(a) built-ins only', a],
      ['(b) + 2 dynamic plugins, gRPC', b],
      ['(c) + 2 plugins in-process', c],
      ['(e) extender door, HTTP', e],
    ].map(([label, r]) => [label as string, ...[round((r as Run).podsPerSecond, 0), (r as Run).scheduled, (r as Run).unschedulable].map(String)]);
    const agree = agreement(b, c);
    const report = [
      table(['run', 'pods/s', 'scheduled', 'unschedulable'], rows),
      `b/c = ${round(bc, 3)}; (b) and (c) placed ${round(agree * 100, 1)}% of pods on the same node (same seed; 100% expected)`,
    ].join('\n');
    return {
      data: { nodes: NODES, pods: PODS, a, b: { ...b, placements: undefined }, c: { ...c, placements: undefined }, e: { ...e, placements: undefined }, bc, agree },
      report,
      summary: [
        info('sched (a) built-ins, pods/s', `${round(a.podsPerSecond, 0)}`),
        goal('sched (b) + 2 gRPC plugins, pods/s', `${round(b.podsPerSecond, 0)}`, `>= ${GOAL_WITH_PLUGINS}`, b.podsPerSecond >= GOAL_WITH_PLUGINS),
        info('sched (c) + 2 in-process plugins, pods/s', `${round(c.podsPerSecond, 0)}`),
        goal('sched b/c', `${round(bc, 3)}`, `>= ${GOAL_BC}`, bc >= GOAL_BC),
        goal('sched (e) extender door, pods/s', `${round(e.podsPerSecond, 0)}`, `>= ${GOAL_EXTENDER}`, e.podsPerSecond >= GOAL_EXTENDER),
      ],
    };
  },
};
