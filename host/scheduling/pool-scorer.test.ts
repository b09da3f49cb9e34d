import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../pool/index.js';
import {
  balancedAllocationPreScore,
  compileBalancedAllocation,
  compileScoringStrategy,
  fitFilter,
  fitPodRequest,
  scoreNodeResources,
  withScoringDefaults,
  type CompiledScorer,
  type FitFilterArgs,
} from './builtins/fit.js';
import { nodeUnschedulableFilter } from './builtins/taints.js';
import { makeNodeJson, makePod } from './builtins/testing.js';
import { Code } from './builtins/types.js';
import { ClusterState, podKey, type NodeInfo } from './cluster-state.js';
import { seededRandom } from './framework.js';
import { NodeColumns, NodeColumnsError } from './node-columns.js';
import type { PodSchedulingInfo } from './pod.js';
import { ResourceScorer, type ResourceScores, type ResourceScorerOptions } from './pool-scorer.js';

let pool: WorkerPool;
beforeAll(() => {
  pool = new WorkerPool({ threads: 2 });
});
afterAll(async () => {
  await pool.close({ force: true });
});

// ---------------------------------------------------------------- random clusters (seeded)

/** More scalar names than the default 4 slots, so the extended table has to grow. */
const SCALARS = ['nvidia.com/gpu', 'example.com/foo', 'hugepages-2Mi', 'example.com/bar', 'attachable-volumes-aws-ebs', 'example.org/fpga', 'vendor.io/nic'];
const GI = 1024 ** 3;

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}
const int = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

/** A NodeInfo with random allocatable and requested totals, edge cases included (0 allocatable, over-commit). */
function randomNode(rand: () => number, name: string): NodeInfo {
  const allocatable = new Map<string, number>();
  const requested = new Map<string, number>();
  const cpu = rand() < 0.03 ? 0 : int(rand, 1, 64) * 1000;
  const memory = rand() < 0.03 ? 0 : int(rand, 1, 256) * GI;
  allocatable.set('cpu', cpu);
  allocatable.set('memory', memory);
  if (rand() < 0.7) allocatable.set('ephemeral-storage', int(rand, 10, 500) * GI);
  const pods = rand() < 0.05 ? 0 : int(rand, 1, 110);
  allocatable.set('pods', pods);
  for (const s of SCALARS) if (rand() < 0.25) allocatable.set(s, int(rand, 0, 8));
  const podCount = int(rand, 0, pods + 1);
  const fill = (base: number): number => Math.floor(base * rand() * 1.1);
  if (podCount > 0) {
    if (rand() < 0.9) requested.set('cpu', fill(cpu || 4000));
    if (rand() < 0.9) requested.set('memory', fill(memory || 8 * GI));
    if (rand() < 0.3) requested.set('ephemeral-storage', int(rand, 1, 100) * GI);
    for (const s of SCALARS) if (allocatable.has(s) && rand() < 0.5) requested.set(s, int(rand, 0, 9));
  }
  const nonZero = podCount === 0 ? { milliCPU: 0, memory: 0 } : { milliCPU: (requested.get('cpu') ?? 0) + 100 * int(rand, 0, 2), memory: (requested.get('memory') ?? 0) + 200 * 1024 * 1024 * int(rand, 0, 2) };
  return {
    name,
    node: { name, labels: {}, taints: [], unschedulable: rand() < 0.1, allocatable, images: new Map() },
    generation: 1,
    allocatable,
    requested,
    nonZeroRequested: nonZero,
    podCount,
    usedPorts: new Map(),
  };
}

function randomPod(rand: () => number, name: string): PodSchedulingInfo {
  const b = makePod().name(name);
  const containers = int(rand, 1, 3);
  for (let c = 0; c < containers; c++) {
    if (rand() < 0.15) {
      b.container(); // no requests: the non-zero defaults apply
      continue;
    }
    const req: Record<string, string> = {};
    if (rand() < 0.85) req['cpu'] = `${int(rand, 1, 8000)}m`;
    if (rand() < 0.85) req['memory'] = `${int(rand, 1, 32 * 1024)}Mi`;
    if (rand() < 0.2) req['ephemeral-storage'] = `${int(rand, 1, 50)}Gi`;
    if (rand() < 0.3) req[pick(rand, SCALARS)] = String(int(rand, 1, 3));
    if (rand() < 0.03) req['unknown.io/thing'] = '1'; // no node has it
    b.req(req);
  }
  if (rand() < 0.2) b.tolerations([{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }]);
  return b.obj();
}

// ---------------------------------------------------------------- the reference: the object path, node by node

interface Expected {
  fitCode: number[];
  unschedulableCode: number[];
  fitScore: number[];
  balancedScore: number[];
  balancedSkipped: boolean;
}

function reference(pod: PodSchedulingInfo, nodes: readonly NodeInfo[], fit: CompiledScorer, balanced: CompiledScorer, filter: FitFilterArgs): Expected {
  const request = fitPodRequest(pod);
  const skipped = balancedAllocationPreScore(balanced, pod).code === Code.Skip;
  return {
    fitCode: nodes.map((n) => fitFilter(request, n, filter).code),
    unschedulableCode: nodes.map((n) => nodeUnschedulableFilter(n.node.unschedulable, pod.tolerations).code),
    fitScore: nodes.map((n) => scoreNodeResources(fit, pod, n).score),
    balancedScore: nodes.map((n) => (skipped ? 0 : scoreNodeResources(balanced, pod, n).score)),
    balancedSkipped: skipped,
  };
}

function plain(r: ResourceScores): Expected {
  return {
    fitCode: [...r.fitCode],
    unschedulableCode: [...r.unschedulableCode],
    fitScore: [...r.fitScore],
    balancedScore: [...r.balancedScore],
    balancedSkipped: r.balancedSkipped,
  };
}

const STRATEGIES: readonly [string, CompiledScorer, CompiledScorer, FitFilterArgs][] = [
  ['LeastAllocated (defaults)', compileScoringStrategy(withScoringDefaults()), compileBalancedAllocation(), {}],
  [
    'MostAllocated over cpu, memory, gpu, pods; Balanced over 4 resources',
    compileScoringStrategy(withScoringDefaults({ type: 'MostAllocated', resources: [{ name: 'cpu', weight: 3 }, { name: 'memory', weight: 1 }, { name: 'nvidia.com/gpu', weight: 5 }, { name: 'pods', weight: 1 }] })),
    compileBalancedAllocation([{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'nvidia.com/gpu', weight: 1 }, { name: 'ephemeral-storage', weight: 1 }]),
    { ignoredResources: ['example.com/foo'] },
  ],
  [
    'RequestedToCapacityRatio with extended resources',
    compileScoringStrategy(
      withScoringDefaults({
        type: 'RequestedToCapacityRatio',
        resources: [{ name: 'cpu', weight: 2 }, { name: 'memory', weight: 1 }, { name: 'vendor.io/nic', weight: 4 }, { name: 'ephemeral-storage', weight: 1 }],
        requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 40, score: 8 }, { utilization: 100, score: 3 }] },
      }),
    ),
    compileBalancedAllocation(),
    { ignoredResourceGroups: ['example.org'] },
  ],
];

describe('ResourceScorer over NodeColumns', () => {
  it.each([
    [1, 1000],
    [2, 2500],
    [3, 5000],
  ])('gives, in the pool and inline, exactly what the pure functions give node by node (seed %i, %i nodes)', async (seed, n) => {
    const rand = seededRandom(seed);
    const nodes = Array.from({ length: n }, (_, i) => randomNode(rand, `node-${i}`));
    const columns = new NodeColumns();
    expect(columns.sync(nodes)).toEqual({ added: n, updated: 0, removed: 0 });
    expect(columns.slots.length).toBe(SCALARS.length); // grew past the default 4 slots
    for (const [, fit, balanced, filter] of STRATEGIES) {
      const options: ResourceScorerOptions = { pool, fit, balanced, filter };
      const scorer = new ResourceScorer(columns, options);
      for (let p = 0; p < 12; p++) {
        const pod = randomPod(rand, `pod-${seed}-${p}`);
        const want = reference(pod, nodes, fit, balanced, filter);
        const pooled = await scorer.score(pod, undefined, { mode: 'pool' });
        const inline = await scorer.score(pod, undefined, { mode: 'inline' });
        expect(pooled.where).toBe('pool');
        expect(inline.where).toBe('inline');
        expect(plain(pooled)).toEqual(want);
        expect(plain(inline)).toEqual(want);
        const feasible = want.fitCode.filter((c, i) => c === 0 && want.unschedulableCode[i] === 0).length;
        expect(pooled.feasible).toBe(feasible);
        expect(inline.feasible).toBe(feasible);
      }
    }
  });

  it('scores a subset of candidates in the order given, by NodeInfo, name or row', async () => {
    const rand = seededRandom(7);
    const nodes = Array.from({ length: 1200 }, (_, i) => randomNode(rand, `n${i}`));
    const columns = new NodeColumns();
    columns.sync(nodes);
    const scorer = new ResourceScorer(columns, { pool, inlineBelow: 0 });
    const subset = nodes.filter(() => rand() < 0.5).reverse();
    const pod = randomPod(rand, 'p');
    const want = reference(pod, subset, compileScoringStrategy(withScoringDefaults()), compileBalancedAllocation(), {});
    const byInfo = await scorer.score(pod, subset);
    expect(byInfo.where).toBe('pool');
    expect(plain(byInfo)).toEqual(want);
    expect(plain(await scorer.score(pod, subset.map((n) => n.name), { mode: 'inline' }))).toEqual(want);
    expect(plain(await scorer.score(pod, Uint32Array.from(subset, (n) => columns.rowOf(n.name)!)))).toEqual(want);
    expect([...byInfo.rows!].map((r) => columns.infoAt(r).name)).toEqual(subset.map((n) => n.name));
    await expect(scorer.score(pod, ['nope'])).rejects.toBeInstanceOf(NodeColumnsError);
    await expect(scorer.score(pod, [])).resolves.toMatchObject({ count: 0, feasible: 0 });
  });

  it('scores a batch of pods in one dispatch; refresh() matches scoreInline after the table changed under it', async () => {
    const rand = seededRandom(11);
    const state = new ClusterState();
    for (let i = 0; i < 800; i++) state.addNode(randomNode(rand, `b${i}`).node);
    const columns = new NodeColumns();
    columns.sync(state.snapshot());
    const scorer = new ResourceScorer(columns, { pool });
    const all = (): Uint32Array => Uint32Array.from({ length: columns.length }, (_, k) => k);
    const pods = Array.from({ length: 6 }, (_, i) => randomPod(rand, `q${i}`));
    const pending = scorer.scoreBatch(pods);
    // Assume pods while the batch may still be running: the rows it read are being rewritten.
    for (let i = 0; i < 4; i++) {
      const node = `b${Math.floor(rand() * 800)}`;
      state.assume(makePod().name(`mid-${i}`).req({ cpu: '500m', memory: '1Gi' }).obj(), node);
      columns.upsert(state.node(node) as NodeInfo);
    }
    const batch = await pending;
    expect(batch.results[0]?.where).toBe('pool');
    for (let i = 0; i < pods.length; i++) {
      const got = scorer.refresh(batch, i);
      const want = scorer.scoreInline(pods[i] as PodSchedulingInfo, all());
      expect(plain(got)).toEqual(plain(want));
      expect(got.feasible).toBe(want.feasible);
    }
    // A node joining moves positions: the pod is scored again whole.
    state.addNode(randomNode(rand, 'late').node);
    columns.sync(state.snapshot());
    const again = scorer.refresh(batch, 0);
    expect(again.count).toBe(801);
    expect(plain(again)).toEqual(plain(scorer.scoreInline(pods[0] as PodSchedulingInfo, all())));
  });

  it('runs small clusters inline and refuses mode "pool" without a pool', async () => {
    const columns = new NodeColumns();
    columns.sync([randomNode(seededRandom(1), 'a')]);
    const pod = makePod().req({ cpu: '1' }).obj();
    expect((await new ResourceScorer(columns, { pool }).score(pod)).where).toBe('inline');
    expect((await new ResourceScorer(columns).score(pod)).where).toBe('inline');
    await expect(new ResourceScorer(columns).score(pod, undefined, { mode: 'pool' })).rejects.toThrow(TypeError);
  });
});

describe("DESIGN.md §3's public cases through the columns", () => {
  // Pod (3000m, 5000 bytes) on empty nodes (4000m, 10000) and (6000m, 10000).
  const state = new ClusterState();
  state.addNode(makeNodeJson('n1', { cpu: '4000m', memory: '10000', pods: '110' }));
  state.addNode(makeNodeJson('n2', { cpu: '6000m', memory: '10000', pods: '110' }));
  const pod = makePod().req({ cpu: '3000m', memory: '5000' }).obj();

  it.each(['pool', 'inline'] as const)('LeastAllocated 37 and 50, BalancedAllocation 87 and 100 (%s)', async (mode) => {
    const columns = new NodeColumns();
    columns.sync(state.snapshot());
    const r = await new ResourceScorer(columns, { pool }).score(pod, ['n1', 'n2'], { mode });
    expect([...r.fitScore]).toEqual([37, 50]);
    expect([...r.balancedScore]).toEqual([87, 100]);
    expect([...r.fitCode]).toEqual([0, 0]);
    expect(r.feasible).toBe(2);
  });
});

describe('NodeColumns incremental updates', () => {
  const node = (name: string, extra: Record<string, string> = {}, unschedulable = false) =>
    makeNodeJson(name, { cpu: '4', memory: '8Gi', pods: '3', ...extra }, { unschedulable });

  function check(state: ClusterState, columns: NodeColumns, pod: PodSchedulingInfo, r: ResourceScores): void {
    const nodes = [...r.rows!].map((row) => columns.infoAt(row));
    expect(nodes.map((n) => n.generation)).toEqual(nodes.map((n) => state.node(n.name)!.generation));
    expect(plain(r)).toEqual(reference(pod, nodes, compileScoringStrategy(withScoringDefaults()), compileBalancedAllocation(), {}));
  }

  it.each(['pool', 'inline'] as const)('shows node and pod changes to the next task (%s)', async (mode) => {
    const state = new ClusterState();
    for (let i = 0; i < 6; i++) state.addNode(node(`n${i}`));
    const columns = new NodeColumns({ extendedSlots: 1 });
    const scorer = new ResourceScorer(columns, { pool });
    const names = () => state.snapshot().nodes.map((n) => n.name);
    const pod = makePod().name('p').req({ cpu: '1500m', memory: '2Gi', 'example.com/foo': '1' }).obj();

    columns.sync(state.snapshot());
    let r = await scorer.score(pod, names(), { mode });
    expect([...r.fitCode]).toEqual([3, 3, 3, 3, 3, 3]); // nobody has example.com/foo yet
    check(state, columns, pod, r);

    // Pods land on n1: its row alone is rewritten; the pod count reaches allocatable pods.
    for (let i = 0; i < 3; i++) state.assume(makePod().name(`a${i}`).req({ cpu: '1', memory: '1Gi' }).obj(), 'n1');
    state.updateNode(node('n2', { 'example.com/foo': '2', 'example.com/bar': '1' }));
    state.updateNode(node('n3', { 'example.com/foo': '1' }, true));
    expect(columns.sync(state.snapshot())).toEqual({ added: 0, updated: 3, removed: 0 });
    expect(columns.slots).toEqual(['example.com/foo', 'example.com/bar']); // stride grew from 1
    r = await scorer.score(pod, names(), { mode });
    expect([...r.fitCode]).toEqual([3, 3, 0, 0, 3, 3]);
    expect([...r.unschedulableCode]).toEqual([0, 0, 0, 3, 0, 0]);
    check(state, columns, pod, r);

    // A removed node's row is taken by the last one; names still find the right rows.
    state.removeNode('n0');
    state.addNode(node('n6', { 'example.com/foo': '4' }));
    state.assume(makePod().name('b').req({ 'example.com/foo': '1' }).obj(), 'n2');
    expect(columns.sync(state.snapshot())).toEqual({ added: 1, updated: 1, removed: 1 });
    expect(columns.rowOf('n0')).toBeUndefined();
    r = await scorer.score(pod, names(), { mode });
    expect([...r.rows!].map((row) => columns.infoAt(row).name)).toEqual(names());
    check(state, columns, pod, r);

    // Single-node deltas without a snapshot pass.
    const b = state.pod(podKey(makePod().name('b').obj()))!;
    state.removePod(b.key);
    columns.upsert(state.node('n2')!);
    r = await scorer.score(pod, names(), { mode });
    check(state, columns, pod, r);
    expect(columns.remove('n6')).toBe(true);
    expect(columns.remove('n6')).toBe(false);
  });

  it('re-runs a pod whose table changed while its task was in flight', async () => {
    const rand = seededRandom(11);
    const nodes = Array.from({ length: 600 }, (_, i) => randomNode(rand, `n${i}`));
    const columns = new NodeColumns();
    columns.sync(nodes);
    const scorer = new ResourceScorer(columns, { pool });
    const pod = randomPod(rand, 'p');
    const running = scorer.score(pod, undefined, { mode: 'pool' });
    const before = columns.generation;
    nodes[5] = randomNode(rand, 'n5');
    columns.upsert(nodes[5]);
    const r = await running;
    expect(r.generation).toBe(columns.generation);
    expect(r.generation).not.toBe(before);
    expect(plain(r)).toEqual(reference(pod, nodes, compileScoringStrategy(withScoringDefaults()), compileBalancedAllocation(), {}));
  });

  it('describes the same layout until the table grows', () => {
    const columns = new NodeColumns({ capacity: 2 });
    const d0 = columns.describe();
    expect(columns.describe()).toBe(d0);
    columns.sync([randomNode(seededRandom(3), 'a')]);
    for (let i = 0; i < 3; i++) columns.upsert(randomNode(seededRandom(i), `x${i}`));
    const d1 = columns.describe();
    expect(d1.nodes.capacity).toBeGreaterThanOrEqual(4);
    expect(d1).not.toBe(d0);
    expect(d1.kind).toBe('plugd.node-columns');
  });
});
