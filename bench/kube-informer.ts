/**
 * kube-informer: what it costs to keep host.cluster in step with an API server. A list/watch
 * server (test/fixtures/kube/apiserver.ts, in a child process; no kube-apiserver runs here)
 * serves 5000 full Node objects and 30000 bound Pods; this process runs only the informers
 * and measures the initial sync (paged lists → ClusterState), the rate at which bursts of
 * watch events are applied — status-only pod updates (which must leave the generation alone),
 * pods binding, node heartbeats — and a 410 relist of every node. A burst is built by the
 * server ahead of time and written in one go at the end of the `fire` command, so the
 * informer's rate counts from the server's write to the last event applied (the server's
 * own time, building the lines, is reported beside it).
 * Medians of three rounds.
 *
 *   npm run bench -- --only kube-informer
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { PlugdHost } from '../host/host.js';
import { kubeConfigFromFile, listAll, watchCluster, type ClusterWatch } from '../host/kube/index.js';
import { kubeconfigYaml } from '../test/fixtures/kube/apiserver.js';
import { benchScript, Child, removeDir, tempDir, type Message } from './support/procs.js';
import { median, round, table } from './support/stats.js';
import { info, type Progress, type Suite, type SuiteResult } from './support/suite.js';

const NODES = 5000;
const PODS = 30_000;
const BURST = 5000;
const ROUNDS = 3;

async function until(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`kube-informer: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

function rvOf(w: ClusterWatch, resource: string): string {
  return w.status().find((s) => s.resource === resource)?.resourceVersion ?? '';
}

interface Round {
  syncMs: number;
  listOnlyMs: number;
  rates: Record<string, { perSec: number; serverMs: number }>;
  relistMs: number;
  statusMovedGeneration: boolean;
}

async function ask(api: Child, msg: Message, answer: string): Promise<Message> {
  const reply = api.waitFor((m) => m.op === answer, answer, 300_000);
  api.send(msg);
  return reply;
}

async function oneRound(dir: string, progress: Progress, i: number): Promise<Round> {
  const api = new Child('kube-apiserver', benchScript('support/kube-apiserver-child.js'), [], {}, ['--max-old-space-size=2048']);
  try {
    progress(`round ${i + 1}: seeding ${NODES} nodes, ${PODS} pods`);
    const seeded = await ask(api, { op: 'seed', nodes: NODES, pods: PODS }, 'seeded');
    const kubeconfig = join(dir, `kubeconfig-${i}`);
    writeFileSync(kubeconfig, kubeconfigYaml(String(seeded.url), { token: 'bench', insecure: true }));
    const host = new PlugdHost({ socketDir: join(dir, 'sock'), admin: false, logger: pino({ level: 'silent' }) });

    const t0 = performance.now();
    const w = watchCluster(host, kubeConfigFromFile(kubeconfig), { namespaces: false });
    await w.synced;
    const syncMs = performance.now() - t0;
    if (host.cluster.counts().pods !== PODS) throw new Error(`synced ${host.cluster.counts().pods} pods, expected ${PODS}`);
    // The same lists alone (HTTP, the server's encoding, JSON.parse): what the sync spends beyond is the store and the cluster state.
    const t1 = performance.now();
    const kc = kubeConfigFromFile(kubeconfig);
    await listAll(kc, '/api/v1/nodes', { pageSize: 500 });
    await listAll(kc, '/api/v1/pods', { pageSize: 500 });
    const listOnlyMs = performance.now() - t1;
    for (;;) {
      const s = await ask(api, { op: 'state' }, 'state');
      if (s.nodeWatchers === 1 && s.podWatchers === 1) break;
      await new Promise((r) => setTimeout(r, 10));
    }

    const rates: Round['rates'] = {};
    let statusMovedGeneration = false;
    for (const [kind, resource] of [['podStatus', 'pods'], ['podBind', 'pods'], ['nodeHeartbeat', 'nodes']] as const) {
      progress(`round ${i + 1}: ${BURST} × ${kind}`);
      await ask(api, { op: 'prepare', kind, n: BURST }, 'prepared');
      const gen = host.cluster.generation;
      const t = performance.now();
      const done = await ask(api, { op: 'fire' }, 'fired');
      const serverMs = Number(done.serverMs);
      await until(() => rvOf(w, resource) === done.rv, `the ${kind} burst`);
      // The server writes the whole burst at the end of `fire`: the informer's work starts after it.
      rates[kind] = { perSec: BURST / ((performance.now() - t - serverMs) / 1000), serverMs };
      if (kind !== 'podBind' && host.cluster.generation !== gen) statusMovedGeneration = true;
    }

    progress(`round ${i + 1}: 410 relist of the nodes`);
    const t = performance.now();
    await ask(api, { op: 'expire' }, 'expired');
    await until(() => host.cluster.node('node-0') === undefined && w.status()[0]!.relists === 1 && rvOf(w, 'nodes') !== '', 'the relist');
    const relistMs = performance.now() - t;
    await w.stop();
    return { syncMs, listOnlyMs, rates, relistMs, statusMovedGeneration };
  } finally {
    await api.stop();
  }
}

export const kubeInformer: Suite = {
  name: 'kube-informer',
  title: `cluster state from a list/watch server: ${NODES} nodes, ${PODS} pods`,
  async run(progress: Progress): Promise<SuiteResult> {
    const dir = tempDir('plugd-bench-kube-');
    try {
      const rounds: Round[] = [];
      for (let i = 0; i < ROUNDS; i++) rounds.push(await oneRound(dir, progress, i));
      const med = (f: (r: Round) => number) => round(median(rounds.map(f)), 0);
      const rate = (kind: string) => med((r) => r.rates[kind]!.perSec);
      const server = (kind: string) => med((r) => r.rates[kind]!.serverMs);
      const data = {
        nodes: NODES, pods: PODS, burst: BURST, rounds,
        syncMs: med((r) => r.syncMs), listOnlyMs: med((r) => r.listOnlyMs), relistMs: med((r) => r.relistMs),
        podStatusPerSec: rate('podStatus'), podBindPerSec: rate('podBind'), nodeHeartbeatPerSec: rate('nodeHeartbeat'),
        statusMovedGeneration: rounds.some((r) => r.statusMovedGeneration),
      };
      const report = table(['what', `median of ${ROUNDS}`], [
        [`initial sync: ${NODES} nodes + ${PODS} pods listed (pages of 500) into the cluster state`, `${data.syncMs} ms`],
        ['  of which the lists alone (HTTP, server encoding, JSON.parse)', `${data.listOnlyMs} ms`],
        [`${BURST} pod status-only MODIFIED (generation moved: ${data.statusMovedGeneration ? 'yes' : 'no'})`, `${data.podStatusPerSec} events/s (server: ${server('podStatus')} ms)`],
        [`${BURST} pods ADDED bound to nodes`, `${data.podBindPerSec} events/s (server: ${server('podBind')} ms)`],
        [`${BURST} node heartbeat MODIFIED`, `${data.nodeHeartbeatPerSec} events/s (server: ${server('nodeHeartbeat')} ms)`],
        [`410 → relist of ${NODES} nodes, one deletion reconciled`, `${data.relistMs} ms`],
      ]);
      return {
        data,
        report,
        summary: [
          info(`kube: initial sync ${NODES} nodes + ${PODS} pods`, `${data.syncMs} ms`),
          info('kube: watch events applied/s (pod status, pod bind, node heartbeat)', `${data.podStatusPerSec}, ${data.podBindPerSec}, ${data.nodeHeartbeatPerSec}`),
          info(`kube: 410 relist of ${NODES} nodes`, `${data.relistMs} ms`),
        ],
      };
    } finally {
      removeDir(dir);
    }
  },
};
