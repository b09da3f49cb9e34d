/**
 * scoring-pool: built-in resource filtering and scoring (NodeResourcesFit filter + LeastAllocated,
 * BalancedAllocation, NodeUnschedulable) of 5000 nodes × N pods, one pod after the other as a
 * scheduling cycle runs them, three ways: the object path node by node (what plugins.ts does
 * today), the columnar path on the main thread (inlineModule), and the same columnar code in
 * the worker pool (those two alternating pod by pod). Between pods the pod is assumed on a node and that node's row rewritten, so
 * every task reads a table that just changed. Prints ms/pod and the pool/main speedup.
 *
 *   npm run build && node dist/bench/scheduling-pool.js [--nodes 5000] [--pods 400] [--threads 2]
 *
 * The host is a VM whose second core is not always there: the run also measures the ceiling
 * (a plain CPU loop on the same threads) so a low ratio can be told from a slow pool.
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { WorkerPool } from '../host/pool/index.js';
import { compileBalancedAllocation, compileScoringStrategy, fitFilter, fitPodRequest, scoreNodeResources, withScoringDefaults } from '../host/scheduling/builtins/fit.js';
import { makeNodeJson, makePod } from '../host/scheduling/builtins/testing.js';
import { ClusterState, type NodeInfo } from '../host/scheduling/cluster-state.js';
import { NodeColumns } from '../host/scheduling/node-columns.js';
import type { PodSchedulingInfo } from '../host/scheduling/pod.js';
import { ResourceScorer, type ResourceScores, type ScoreMode } from '../host/scheduling/pool-scorer.js';
import { distribution, round, table } from './support/stats.js';
import { goal, info, type Progress, type Suite, type SuiteResult } from './support/suite.js';

const GOAL_SPEEDUP = 1.7;

/** A deterministic cluster: varied node sizes, some extended resources, pods already running. */
function buildCluster(nodes: number): ClusterState {
  const state = new ClusterState();
  for (let i = 0; i < nodes; i++) {
    const gpu: Record<string, string> = i % 7 === 0 ? { 'nvidia.com/gpu': '4' } : {};
    state.addNode(makeNodeJson(`node-${i}`, { cpu: `${4 + (i % 8) * 4}`, memory: `${16 + (i % 5) * 16}Gi`, pods: '110', 'ephemeral-storage': '100Gi', ...gpu }, { unschedulable: i % 50 === 0 }));
    for (let k = 0; k < i % 4; k++) {
      state.addPod(makePod().name(`run-${i}-${k}`).node(`node-${i}`).req({ cpu: `${250 * (k + 1)}m`, memory: `${512 * (k + 1)}Mi` }).obj());
    }
  }
  return state;
}

function pendingPods(n: number): PodSchedulingInfo[] {
  return Array.from({ length: n }, (_, i) => {
    const b = makePod().name(`pending-${i}`).req({ cpu: `${100 + (i % 10) * 100}m`, memory: `${256 + (i % 6) * 256}Mi` });
    if (i % 9 === 0) b.req({ 'nvidia.com/gpu': '1' });
    if (i % 13 === 0) b.container();
    return b.obj();
  });
}

interface Run {
  /** ms per pod. */
  readonly perPod: number[];
  /** Σ of every score, so the three paths can be checked to agree. */
  readonly checksum: number;
}

/** The object path: fit.ts's filter and scorers node by node, as the framework's plugins call them. */
function runObjects(state: ClusterState, pods: readonly PodSchedulingInfo[]): Run {
  const fit = compileScoringStrategy(withScoringDefaults());
  const balanced = compileBalancedAllocation();
  const perPod: number[] = [];
  let checksum = 0;
  for (const pod of pods) {
    const nodes = state.snapshot().nodes;
    const t0 = performance.now();
    const request = fitPodRequest(pod);
    let best = 0;
    let bestAt = 0;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as NodeInfo;
      const code = fitFilter(request, n, {}).code;
      const s = scoreNodeResources(fit, pod, n).score + scoreNodeResources(balanced, pod, n).score;
      checksum += s;
      if (code === 0 && !n.node.unschedulable && s > best) {
        best = s;
        bestAt = i;
      }
    }
    perPod.push(performance.now() - t0);
    state.assume(pod, (nodes[bestAt] as NodeInfo).name);
  }
  return { perPod, checksum };
}

interface Paired {
  readonly inline: Run;
  readonly pool: Run;
  /** Pods whose inline and pool bytes differed (must be 0). */
  readonly mismatches: number;
}

/**
 * The columnar path, main thread and pool alternating pod by pod over the same table, so both
 * see the same machine (a VM's second core comes and goes); the chosen node's row is
 * rewritten between pods. Timed: score() alone (filter + both scores for every node).
 */
async function runColumns(state: ClusterState, pods: readonly PodSchedulingInfo[], pool: WorkerPool): Promise<Paired> {
  const columns = new NodeColumns({ capacity: state.snapshot().nodes.length });
  columns.sync(state.snapshot());
  const scorer = new ResourceScorer(columns, { pool });
  const inline: number[] = [];
  const pooled: number[] = [];
  let checksum = 0;
  let mismatches = 0;
  for (let p = 0; p < pods.length; p++) {
    const pod = pods[p] as PodSchedulingInfo;
    const first: ScoreMode = p % 2 === 0 ? 'inline' : 'pool';
    const second: ScoreMode = first === 'inline' ? 'pool' : 'inline';
    const t0 = performance.now();
    const a = await scorer.score(pod, undefined, { mode: first });
    const t1 = performance.now();
    const b = await scorer.score(pod, undefined, { mode: second });
    const t2 = performance.now();
    (first === 'inline' ? inline : pooled).push(t1 - t0);
    (second === 'inline' ? inline : pooled).push(t2 - t1);
    const r = first === 'pool' ? a : b;
    const other = first === 'pool' ? b : a;
    const same = (x: Uint8Array, y: Uint8Array): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
    if (!same(r.fitCode, other.fitCode) || !same(r.fitScore, other.fitScore) || !same(r.balancedScore, other.balancedScore) || !same(r.unschedulableCode, other.unschedulableCode)) mismatches++;
    let best = 0;
    let bestAt = 0;
    for (let i = 0; i < r.count; i++) {
      const s = (r.fitScore[i] as number) + (r.balancedScore[i] as number);
      checksum += s;
      if (r.fitCode[i] === 0 && r.unschedulableCode[i] === 0 && s > best) {
        best = s;
        bestAt = i;
      }
    }
    const name = columns.infoAt(bestAt).name;
    state.assume(pod, name);
    columns.upsert(state.node(name) as NodeInfo);
  }
  return { inline: { perPod: inline, checksum }, pool: { perPod: pooled, checksum }, mismatches };
}

/** Picks the best feasible row (fit + balanced, first on ties), the same way on both sides. */
function best(r: ResourceScores): number {
  let top = -1;
  let at = -1;
  for (let i = 0; i < r.count; i++) {
    if (r.fitCode[i] !== 0 || r.unschedulableCode[i] !== 0) continue;
    const s = (r.fitScore[i] as number) + (r.balancedScore[i] as number);
    if (s > top) {
      top = s;
      at = i;
    }
  }
  return at;
}

/** Assumes the pod on its best node (same rule on both sides) and rewrites that row; returns the node ('' when none fits). */
function place(state: ClusterState, columns: NodeColumns, pod: PodSchedulingInfo, r: ResourceScores): string {
  const at = best(r);
  if (at < 0) return '';
  const name = columns.infoAt(at).name;
  state.assume(pod, name);
  columns.upsert(state.node(name) as NodeInfo);
  return name;
}

interface Placed {
  readonly seconds: number;
  readonly placements: readonly string[];
}

/**
 * A queue of pending pods scheduled one after the other over every node, scoring on the main
 * thread: per pod, score every row (scoreInline), pick, assume, rewrite the chosen row.
 */
function runInlineQueue(state: ClusterState, pods: readonly PodSchedulingInfo[]): Placed {
  const columns = new NodeColumns({ capacity: state.snapshot().nodes.length });
  columns.sync(state.snapshot());
  const scorer = new ResourceScorer(columns);
  const all = Uint32Array.from({ length: columns.length }, (_, i) => i);
  const placements: string[] = [];
  const t0 = performance.now();
  for (const pod of pods) {
    placements.push(place(state, columns, pod, scorer.scoreInline(pod, all)));
  }
  return { seconds: (performance.now() - t0) / 1000, placements };
}

/**
 * The same queue with scoring in the pool: batches of `batch` pods are scored in one dispatch
 * each, the next batch computing while this thread picks and assumes the current one's pods;
 * refresh() recomputes the rows assumed since a batch was dispatched, so every pick sees
 * exactly what the main-thread run sees.
 */
async function runPooledQueue(state: ClusterState, pods: readonly PodSchedulingInfo[], pool: WorkerPool, batch: number): Promise<Placed> {
  const columns = new NodeColumns({ capacity: state.snapshot().nodes.length });
  columns.sync(state.snapshot());
  const scorer = new ResourceScorer(columns, { pool });
  const placements: string[] = [];
  const t0 = performance.now();
  let next = scorer.scoreBatch(pods.slice(0, batch));
  for (let k = 0; k < pods.length; k += batch) {
    const current = await next;
    if (k + batch < pods.length) next = scorer.scoreBatch(pods.slice(k + batch, k + 2 * batch));
    for (let i = 0; i < current.pods.length; i++) {
      const pod = current.pods[i] as PodSchedulingInfo;
      placements.push(place(state, columns, pod, scorer.refresh(current, i)));
    }
  }
  return { seconds: (performance.now() - t0) / 1000, placements };
}

/** How much faster `threads` worker threads run a plain CPU loop than one: the ceiling any pool can reach right now. */
async function parallelCeiling(threads: number): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (n) => { let x = 0; for (let i = 0; i < n; i++) x = (x + Math.sqrt(i) * 1.0001) % 1e9; parentPort.postMessage(x); });`;
  const workers = Array.from({ length: threads }, () => new Worker(code, { eval: true }));
  const run = (w: Worker, n: number): Promise<unknown> => new Promise((resolve) => {
    w.once('message', resolve);
    w.postMessage(n);
  });
  try {
    const n = 3e7;
    await Promise.all(workers.map((w) => run(w, 1e6)));
    const t0 = performance.now();
    await run(workers[0] as Worker, n * threads);
    const one = performance.now() - t0;
    const t1 = performance.now();
    await Promise.all(workers.map((w) => run(w, n)));
    return one / (performance.now() - t1);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export async function scoringPoolBench(opts: { nodes: number; pods: number; threads: number; queue: number; batch: number }, progress: Progress): Promise<SuiteResult> {
  const pods = pendingPods(opts.pods);
  const pool = new WorkerPool({ threads: opts.threads });
  try {
    progress(`scoring-pool: parallel ceiling of ${opts.threads} threads on this machine now`);
    const ceilingBefore = await parallelCeiling(opts.threads);
    progress(`scoring-pool: building ${opts.nodes} nodes, warming up`);
    await runColumns(buildCluster(opts.nodes), pendingPods(60), pool);
    progress(`scoring-pool: columns, main thread and pool alternating: ${opts.pods} pods`);
    const paired = await runColumns(buildCluster(opts.nodes), pods, pool);
    const objectPods = pods.slice(0, Math.min(pods.length, 100));
    progress(`scoring-pool: object path: ${objectPods.length} pods`);
    runObjects(buildCluster(opts.nodes), pendingPods(10));
    const objects = runObjects(buildCluster(opts.nodes), objectPods);
    progress(`scoring-pool: a queue of ${opts.queue} pods over every node, main thread vs pool in batches of ${opts.batch}`);
    await runPooledQueue(buildCluster(opts.nodes), pendingPods(4 * opts.batch), pool, opts.batch);
    runInlineQueue(buildCluster(opts.nodes), pendingPods(50));
    const queuePods = pendingPods(opts.queue);
    const queueInline = runInlineQueue(buildCluster(opts.nodes), queuePods);
    const queuePool = await runPooledQueue(buildCluster(opts.nodes), queuePods, pool, opts.batch);
    const queueSpeedup = queueInline.seconds / queuePool.seconds;
    const queueAgree = queueInline.placements.every((n, i) => n === queuePool.placements[i]);
    const ceilingAfter = await parallelCeiling(opts.threads);

    const runs: Record<string, Run> = {
      'objects, node by node (main thread)': objects,
      'columns (main thread)': paired.inline,
      [`columns (pool, ${opts.threads} threads)`]: paired.pool,
    };
    const mean = (r: Run): number => sum(r.perPod) / r.perPod.length;
    const speedup = mean(paired.inline) / mean(paired.pool);
    const medianSpeedup = distribution(paired.inline.perPod).p50 / distribution(paired.pool.perPod).p50;
    const objectSpeedup = mean(objects) / mean(paired.pool);
    const agree = paired.mismatches === 0;
    const rows = Object.entries(runs).map(([name, r]) => {
      const d = distribution(r.perPod);
      return [name, String(r.perPod.length), mean(r).toFixed(3), d.p50.toFixed(3), d.p99.toFixed(3), String(Math.round(1000 / mean(r)))];
    });
    const report = [
      `${opts.nodes} nodes, one pod at a time; per pod: NodeResourcesFit filter + LeastAllocated, BalancedAllocation, NodeUnschedulable on every node`,
      table(['path', 'pods', 'mean ms/pod', 'p50', 'p99', 'pods/s'], rows),
      `pool / main thread (same columnar code): ${speedup.toFixed(2)}× by mean, ${medianSpeedup.toFixed(2)}× by median; pool / object path: ${objectSpeedup.toFixed(2)}×`,
      `parallel ceiling of ${opts.threads} threads on this machine (plain CPU loop): ${ceilingBefore.toFixed(2)}× before, ${ceilingAfter.toFixed(2)}× after`,
      `pool and main thread gave identical bytes for every pod: ${agree}`,
      `queue of ${opts.queue} pods, every node scored per pod: main thread ${round(opts.queue / queueInline.seconds, 0)} pods/s, ` +
        `pool (batches of ${opts.batch}, next batch scored while this one is placed) ${round(opts.queue / queuePool.seconds, 0)} pods/s: ` +
        `${queueSpeedup.toFixed(2)}×; same node for every pod: ${queueAgree}`,
    ].join('\n');
    return {
      data: { ...opts, queueSpeedup: round(queueSpeedup), queueAgree, queueInlinePodsPerSecond: round(opts.queue / queueInline.seconds, 0), queuePoolPodsPerSecond: round(opts.queue / queuePool.seconds, 0), speedup: round(speedup), medianSpeedup: round(medianSpeedup), objectSpeedup: round(objectSpeedup), ceilingBefore: round(ceilingBefore), ceilingAfter: round(ceilingAfter), agree, runs: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, distribution(r.perPod)])) },
      report,
      summary: [
        goal(`(d) scoring pool/main, queue of pods (${opts.nodes} nodes, ${opts.threads} threads)`, `${queueSpeedup.toFixed(2)}×`, `≥ ${GOAL_SPEEDUP}×`, queueSpeedup >= GOAL_SPEEDUP),
        goal('(d) pool and main place every pod alike', String(queueAgree), 'true', queueAgree),
        info(`scoring pool/main, one dispatch per pod`, `${speedup.toFixed(2)}×`),
        info('scoring parallel ceiling (CPU loop)', `${ceilingBefore.toFixed(2)}× / ${ceilingAfter.toFixed(2)}×`),
        info('scoring pool/object path', `${objectSpeedup.toFixed(2)}×`),
        goal('scoring pool and main agree', String(agree), 'true', agree),
      ],
    };
  } finally {
    await pool.close();
  }
}

export const scoringPool: Suite = {
  name: 'scoring-pool',
  title: 'Built-in resource scoring: worker pool vs main thread',
  run: (progress) => scoringPoolBench({ nodes: 5000, pods: 400, threads: 2, queue: 2000, batch: 32 }, progress),
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { nodes: { type: 'string' }, pods: { type: 'string' }, threads: { type: 'string' }, queue: { type: 'string' }, batch: { type: 'string' } } });
  const result = await scoringPoolBench(
    { nodes: Number(values.nodes ?? 5000), pods: Number(values.pods ?? 400), threads: Number(values.threads ?? 2), queue: Number(values.queue ?? 2000), batch: Number(values.batch ?? 32) },
    (m) => process.stderr.write(`${m}\n`),
  );
  process.stdout.write(`${result.report}\n`);
}
