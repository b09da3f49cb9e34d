import { describe, expect, it } from 'vitest';
import type { PodSchedulingInfo } from '../pod.js';
import {
  balancedAllocationPreScore,
  compileBalancedAllocation,
  compileScoringStrategy,
  scoreNodeResources,
  type CompiledScorer,
  type ResourceSpec,
  type ScoringStrategy,
} from './fit.js';
import type { NodeSchedulingInfo } from './node.js';
import {
  balancedAllocation,
  brokenLinear,
  leastAllocated,
  leastRequestedScore,
  mostAllocated,
  mostRequestedScore,
  requestedToCapacityRatio,
  compileShape,
  type UtilizationShapePoint,
} from './resources.js';
import { makeNode, makePod, makeResourceNode, snapshot } from './testing.js';
import { Code } from './types.js';

const defaultResources: readonly ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
// noderesources test_util: an extended resource scored alongside cpu and memory.
const extendedRes = 'abc.com/xyz';
const extendedResourceSet: readonly ResourceSpec[] = [...defaultResources, { name: extendedRes, weight: 1 }];

function scoresOf(
  scorer: CompiledScorer,
  pod: PodSchedulingInfo,
  nodes: readonly NodeSchedulingInfo[],
  existing: readonly PodSchedulingInfo[] = [],
): number[] {
  const snap = snapshot(existing, nodes);
  return nodes.map((n) => {
    const node = snap.get(n.name);
    if (node === undefined) throw new Error(`no node ${n.name}`);
    const r = scoreNodeResources(scorer, pod, node);
    expect(r.status.code).toBe(Code.Success);
    return r.score;
  });
}

function strategy(type: ScoringStrategy['type'], resources: readonly ResourceSpec[], shape?: readonly UtilizationShapePoint[]): CompiledScorer {
  return compileScoringStrategy({ type, resources, requestedToCapacityRatio: shape === undefined ? undefined : { shape } });
}

const twoContainers = (): PodSchedulingInfo =>
  makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj();

interface ScoreCase {
  readonly name: string;
  readonly pod: PodSchedulingInfo;
  readonly nodes: readonly NodeSchedulingInfo[];
  readonly existing?: readonly PodSchedulingInfo[];
  readonly resources?: readonly ResourceSpec[];
  readonly expected: readonly number[];
}

// pkg/scheduler/framework/plugins/noderesources/least_allocated_test.go, TestLeastAllocatedScoringStrategy.
const LEAST_ALLOCATED: readonly ScoreCase[] = [
  {
    name: 'nothing scheduled, nothing requested',
    pod: makePod().obj(),
    nodes: [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '4000', memory: '10000' })],
    expected: [100, 100],
  },
  {
    name: 'nothing scheduled, resources requested, differently sized nodes',
    pod: twoContainers(),
    nodes: [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '6000', memory: '10000' })],
    expected: [37, 50],
  },
  {
    name: 'no resources requested, pods scheduled',
    pod: makePod().obj(),
    nodes: [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '4000', memory: '10000' })],
    existing: [makePod().node('node1').obj(), makePod().node('node1').obj(), makePod().node('node2').obj(), makePod().node('node2').obj()],
    expected: [100, 100],
  },
  {
    name: 'no resources requested, pods scheduled with resources',
    pod: makePod().obj(),
    nodes: [makeNode('node1', { cpu: '10000', memory: '20000' }), makeNode('node2', { cpu: '10000', memory: '20000' })],
    existing: [
      makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
      makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
      makePod().node('node2').req({ cpu: '3000', memory: '0' }).obj(),
      makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj(),
    ],
    expected: [70, 57],
  },
  {
    name: 'resources requested, pods scheduled with resources',
    pod: twoContainers(),
    nodes: [makeNode('node1', { cpu: '10000', memory: '20000' }), makeNode('node2', { cpu: '10000', memory: '20000' })],
    existing: [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
    expected: [57, 45],
  },
  {
    name: 'resources requested, pods scheduled with resources, differently sized nodes',
    pod: twoContainers(),
    nodes: [makeNode('node1', { cpu: '10000', memory: '20000' }), makeNode('node2', { cpu: '10000', memory: '50000' })],
    existing: [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
    expected: [57, 60],
  },
  {
    name: 'requested resources exceed node capacity',
    pod: makePod().req({ cpu: '3000', memory: '0' }).obj(),
    nodes: [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '4000', memory: '10000' })],
    existing: [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
    expected: [50, 25],
  },
  {
    name: 'zero node resources, pods scheduled with resources',
    pod: makePod().obj(),
    nodes: [makeNode('node1'), makeNode('node2')],
    existing: [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
    expected: [0, 0],
  },
  {
    name: 'nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes',
    pod: twoContainers(),
    nodes: [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '6000', memory: '10000' })],
    resources: [
      { name: 'memory', weight: 2 },
      { name: 'cpu', weight: 1 },
    ],
    expected: [41, 50],
  },
  {
    name: 'bypass extended resource if the pod does not request',
    pod: twoContainers(),
    nodes: [makeNode('node1', { cpu: '6000', memory: '10000' }), makeNode('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' })],
    resources: extendedResourceSet,
    expected: [50, 50],
  },
  {
    name: 'honor extended resource if the pod requests',
    pod: makePod().req({ cpu: '3000', memory: '5000', [extendedRes]: '2' }).obj(),
    nodes: [
      makeNode('node1', { cpu: '6000', memory: '10000', [extendedRes]: '4' }),
      makeNode('node2', { cpu: '6000', memory: '10000', [extendedRes]: '10' }),
    ],
    resources: extendedResourceSet,
    expected: [50, 60],
  },
  {
    name: "if the node doesn't have a resource",
    pod: makePod().req({ cpu: '3000', memory: '4000' }).obj(),
    nodes: [makeNode('node1', { cpu: '6000', memory: '10000' }), makeNode('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' })],
    resources: [
      { name: extendedRes, weight: 2 },
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ],
    expected: [55, 55],
  },
];

// pkg/scheduler/framework/plugins/noderesources/most_allocated_test.go, TestMostAllocatedScoringStrategy.
const MOST_ALLOCATED: readonly ScoreCase[] = [
  {
    name: 'nothing scheduled, nothing requested',
    pod: makePod().obj(),
    nodes: [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '4000', memory: '10000' })],
    expected: [0, 0],
  },
  {
    name: 'nothing scheduled, resources requested, differently sized nodes',
    pod: twoContainers(),
    nodes: [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '6000', memory: '10000' })],
    expected: [62, 50],
  },
  {
    name: 'no resources requested, pods scheduled with resources',
    pod: makePod().obj(),
    nodes: [makeNode('node1', { cpu: '10000', memory: '20000' }), makeNode('node2', { cpu: '10000', memory: '20000' })],
    existing: [
      makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
      makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
      makePod().node('node2').req({ cpu: '3000', memory: '0' }).obj(),
      makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj(),
    ],
    expected: [30, 42],
  },
  {
    name: 'resources requested, pods scheduled with resources',
    pod: twoContainers(),
    nodes: [makeNode('node1', { cpu: '10000', memory: '20000' }), makeNode('node2', { cpu: '10000', memory: '20000' })],
    existing: [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
    expected: [42, 55],
  },
  {
    name: 'resources requested equal node capacity',
    pod: makePod().req({ cpu: '2000', memory: '4000' }).req({ cpu: '3000', memory: '5000' }).obj(),
    nodes: [makeNode('node1', { cpu: '5000', memory: '10000' }), makeNode('node2', { cpu: '10000', memory: '9000' })],
    expected: [95, 75],
  },
  {
    name: 'nothing scheduled, resources requested, differently sized nodes (memory weighted 2)',
    pod: twoContainers(),
    nodes: [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '6000', memory: '10000' })],
    resources: [
      { name: 'memory', weight: 2 },
      { name: 'cpu', weight: 1 },
    ],
    expected: [58, 50],
  },
  {
    name: 'no resources requested, pods scheduled, nonzero request for resource',
    pod: makePod().container().obj(),
    nodes: [makeNode('node1', { cpu: '250m', memory: '1000Mi' }), makeNode('node2', { cpu: '250m', memory: '1000Mi' })],
    existing: [makePod().node('node1').container().obj(), makePod().node('node1').container().obj()],
    expected: [80, 30],
  },
  {
    name: 'bypass extended resource if the pod does not request',
    pod: twoContainers(),
    nodes: [makeNode('node1', { cpu: '6000', memory: '10000' }), makeNode('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' })],
    resources: extendedResourceSet,
    expected: [50, 50],
  },
  {
    name: 'honor extended resource if the pod request',
    pod: makePod().req({ cpu: '3000', memory: '5000', [extendedRes]: '2' }).obj(),
    nodes: [
      makeNode('node1', { cpu: '6000', memory: '10000', [extendedRes]: '4' }),
      makeNode('node2', { cpu: '6000', memory: '10000', [extendedRes]: '10' }),
    ],
    resources: extendedResourceSet,
    expected: [50, 40],
  },
  {
    name: "if the node doesn't have a resource",
    pod: makePod().req({ cpu: '3000', memory: '4000' }).obj(),
    nodes: [makeNode('node1', { cpu: '6000', memory: '10000' }), makeNode('node2', { cpu: '6000', memory: '10000', [extendedRes]: '4' })],
    resources: [
      { name: extendedRes, weight: 2 },
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ],
    expected: [45, 45],
  },
];

describe('LeastAllocated (least_allocated_test.go)', () => {
  it.each(LEAST_ALLOCATED.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(scoresOf(strategy('LeastAllocated', c.resources ?? defaultResources), c.pod, c.nodes, c.existing)).toEqual(c.expected);
  });

  it('Resources not set, pods scheduled with error: Error status and MinNodeScore', () => {
    const snap = snapshot([], [makeNode('node1', { cpu: '4000', memory: '10000' })]);
    const node = snap.get('node1');
    if (node === undefined) throw new Error('no node');
    const r = scoreNodeResources(strategy('LeastAllocated', []), twoContainers(), node);
    expect(r).toEqual({ status: { code: Code.Error, reasons: ['resources not found'] }, score: 0 });
  });
});

describe('MostAllocated (most_allocated_test.go)', () => {
  it.each(MOST_ALLOCATED.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(scoresOf(strategy('MostAllocated', c.resources ?? defaultResources), c.pod, c.nodes, c.existing)).toEqual(c.expected);
  });
});

// pkg/scheduler/framework/plugins/noderesources/requested_to_capacity_ratio_test.go.
describe('RequestedToCapacityRatio (requested_to_capacity_ratio_test.go)', () => {
  const leastShape = [
    { utilization: 0, score: 10 },
    { utilization: 100, score: 0 },
  ];

  it.each([
    {
      name: 'nothing scheduled, nothing requested (default - least requested nodes have priority)',
      pod: makePod().obj(),
      nodes: [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '4000', memory: '10000' })],
      existing: [makePod().node('node1').obj(), makePod().node('node1').obj()],
      expected: [100, 100],
    },
    {
      name: 'nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)',
      pod: twoContainers(),
      nodes: [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '6000', memory: '10000' })],
      existing: [makePod().node('node1').obj(), makePod().node('node1').obj()],
      expected: [38, 50],
    },
    {
      name: 'no resources requested, pods scheduled with resources (default - least requested nodes have priority)',
      pod: makePod().obj(),
      nodes: [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '6000', memory: '10000' })],
      existing: [makePod().node('node1').req({ cpu: '3000', memory: '5000' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      expected: [38, 50],
    },
  ].map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(scoresOf(strategy('RequestedToCapacityRatio', defaultResources, leastShape), c.pod, c.nodes, c.existing)).toEqual(c.expected);
  });

  // TestBrokenLinearFunction: helper.FunctionShapePoint values used as given (no ×10 scaling).
  it.each([
    {
      points: [
        [10, 1],
        [90, 9],
      ],
      assertions: [[-10, 1], [0, 1], [9, 1], [10, 1], [15, 1], [19, 1], [20, 2], [89, 8], [90, 9], [99, 9], [100, 9], [110, 9]],
    },
    {
      points: [
        [0, 2],
        [40, 10],
        [100, 0],
      ],
      assertions: [[-10, 2], [0, 2], [20, 6], [30, 8], [40, 10], [70, 5], [100, 0], [110, 0]],
    },
    {
      points: [
        [0, 2],
        [40, 2],
        [100, 2],
      ],
      assertions: [[-10, 2], [0, 2], [20, 2], [30, 2], [40, 2], [70, 2], [100, 2], [110, 2]],
    },
  ].map((c, i) => [i, c] as const))('TestBrokenLinearFunction case_%d', (_i, c) => {
    const shape = { utilization: c.points.map((p) => p[0] as number), score: c.points.map((p) => p[1] as number) };
    for (const [p, want] of c.assertions) expect(brokenLinear(shape, p as number)).toBe(want);
  });

  const binPacking = [{ utilization: 0, score: 0 }, { utilization: 100, score: 1 }] as const;
  const fooNode = (name: string, foo: number, bar?: number): NodeSchedulingInfo =>
    makeResourceNode(name, 4000, 10000 * 1024 * 1024, bar === undefined ? { 'intel.com/foo': foo } : { 'intel.com/foo': foo, 'intel.com/bar': bar });

  it.each([
    ['nothing scheduled, nothing requested', makePod().obj(), [], [0, 0]],
    ['resources requested, pods scheduled with less resources', makePod().req({ 'intel.com/foo': '2' }).obj(), [makePod().obj()], [2, 5]],
    [
      'resources requested, pods scheduled with resources, on node with existing pod running',
      makePod().req({ 'intel.com/foo': '2' }).obj(),
      [makePod().req({ 'intel.com/foo': '2' }).node('node2').obj()],
      [2, 10],
    ],
    ['resources requested, pods scheduled with more resources', makePod().req({ 'intel.com/foo': '4' }).obj(), [makePod().obj()], [5, 10]],
  ] as const)('TestResourceBinPackingSingleExtended: %s', (_name, pod, existing, expected) => {
    const scorer = strategy('RequestedToCapacityRatio', [{ name: 'intel.com/foo', weight: 1 }], binPacking);
    expect(scoresOf(scorer, pod, [fooNode('node1', 8), fooNode('node2', 4)], existing)).toEqual(expected);
  });

  it.each([
    ['nothing scheduled, nothing requested', makePod().obj(), [], [0, 0]],
    ['resources requested, pods scheduled with less resources', makePod().req({ 'intel.com/foo': '2', 'intel.com/bar': '2' }).obj(), [makePod().obj()], [4, 3]],
    [
      'resources requested, pods scheduled with resources, on node with existing pod running',
      makePod().req({ 'intel.com/foo': '2', 'intel.com/bar': '2' }).obj(),
      [makePod().req({ 'intel.com/foo': '4', 'intel.com/bar': '2' }).node('node2').obj()],
      [4, 7],
    ],
    ['resources requested, pods scheduled with more resources', makePod().req({ 'intel.com/foo': '4', 'intel.com/bar': '2' }).obj(), [makePod().obj()], [5, 5]],
  ] as const)('TestResourceBinPackingMultipleExtended: %s', (_name, pod, existing, expected) => {
    const scorer = strategy(
      'RequestedToCapacityRatio',
      [
        { name: 'intel.com/foo', weight: 3 },
        { name: 'intel.com/bar', weight: 5 },
      ],
      binPacking,
    );
    expect(scoresOf(scorer, pod, [fooNode('node1', 8, 4), fooNode('node2', 4, 8)], existing)).toEqual(expected);
  });
});

// pkg/scheduler/framework/plugins/noderesources/balanced_allocation_test.go, TestNodeResourcesBalancedAllocation.
describe('BalancedAllocation (balanced_allocation_test.go)', () => {
  const cpuAndMemory = (node?: string): PodSchedulingInfo => {
    const b = makePod().req({ cpu: '1000m', memory: '2000' }).req({ cpu: '2000m', memory: '3000' });
    return (node === undefined ? b : b.node(node)).obj();
  };
  const cpuOnly = (node?: string): PodSchedulingInfo => {
    const b = makePod().req({ cpu: '1000m', memory: '0' }).req({ cpu: '2000m', memory: '0' });
    return (node === undefined ? b : b.node(node)).obj();
  };
  const cpuAndMemoryAndGPU = makePod().node('node1').req({ cpu: '1000m', memory: '2000' }).req({ cpu: '2000m', memory: '3000', 'nvidia.com/gpu': '3' }).obj();
  const withGpu = compileBalancedAllocation([...defaultResources, { name: 'nvidia.com/gpu', weight: 1 }]);
  const gpu8 = { 'nvidia.com/gpu': 8 };

  it('nothing scheduled, nothing requested, skip in PreScore', () => {
    expect(balancedAllocationPreScore(compileBalancedAllocation(), makePod().obj()).code).toBe(Code.Skip);
    expect(balancedAllocationPreScore(compileBalancedAllocation(), cpuAndMemory()).code).toBe(Code.Success);
  });

  it.each([
    ['nothing scheduled, resources requested, differently sized nodes', compileBalancedAllocation(), cpuAndMemory(), [makeResourceNode('node1', 4000, 10000), makeResourceNode('node2', 6000, 10000)], [], [87, 100]],
    ['resources requested, pods scheduled with resources', compileBalancedAllocation(), cpuAndMemory(), [makeResourceNode('node1', 10000, 20000), makeResourceNode('node2', 10000, 20000)], [cpuOnly('node1'), cpuAndMemory('node2')], [82, 95]],
    [
      'resources requested, pods scheduled with resources, differently sized nodes',
      compileBalancedAllocation(),
      cpuAndMemory(),
      [makeResourceNode('node1', 10000, 20000), makeResourceNode('node2', 10000, 50000)],
      [cpuOnly('node1'), cpuAndMemory('node2')],
      [82, 80],
    ],
    ['requested resources at node capacity', compileBalancedAllocation(), cpuOnly(), [makeResourceNode('node1', 6000, 10000), makeResourceNode('node2', 6000, 10000)], [cpuOnly('node1'), cpuAndMemory('node2')], [50, 75]],
    [
      'include scalar resource on a node for balanced resource allocation',
      withGpu,
      makePod().req({ memory: '0', 'nvidia.com/gpu': '1' }).obj(),
      [makeResourceNode('node1', 3500, 40000, gpu8), makeResourceNode('node2', 3500, 40000, gpu8)],
      [cpuAndMemory('node2'), cpuAndMemoryAndGPU],
      [70, 65],
    ],
    [
      'node without the scalar resource should skip the scalar resource',
      withGpu,
      cpuAndMemory(),
      [makeResourceNode('node1', 3500, 40000, gpu8), makeResourceNode('node2', 3500, 40000)],
      [],
      [63, 63],
    ],
  ] as const)('%s', (_name, scorer, pod, nodes, existing, expected) => {
    expect(scoresOf(scorer, pod, nodes, existing)).toEqual(expected);
  });
});

describe('the numeric scorers run on plain columns', () => {
  it('take typed arrays and plain arrays alike', () => {
    const req = new Float64Array([3000, 5000]);
    const alloc = new Float64Array([4000, 10000]);
    const w = new Float64Array([1, 1]);
    expect(leastAllocated(req, alloc, w)).toBe(37);
    expect(leastAllocated([3000, 5000], [4000, 10000], [1, 1])).toBe(37);
    expect(mostAllocated(req, alloc, w)).toBe(62);
    expect(balancedAllocation(req, alloc)).toBe(87);
    expect(requestedToCapacityRatio(req, alloc, w, compileShape([{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }]))).toBe(38);
  });

  it('skip a resource whose allocatable is 0 and return 0 when none is left', () => {
    expect(leastAllocated([5, 3000], [0, 4000], [7, 1])).toBe(25);
    expect(leastAllocated([1], [0], [1])).toBe(0);
    expect(mostAllocated([], [], [])).toBe(0);
    expect(balancedAllocation([1, 1], [0, 0])).toBe(100);
  });

  it('stay exact past 2^53/100 (where a float product would round)', () => {
    const capacity = 2 ** 52 + 3;
    const requested = 2 ** 51;
    const exact = Number((BigInt(capacity - requested) * 100n) / BigInt(capacity));
    expect(leastRequestedScore(requested, capacity)).toBe(exact);
    expect(mostRequestedScore(requested, capacity)).toBe(Number((BigInt(requested) * 100n) / BigInt(capacity)));
    expect(leastRequestedScore(capacity + 1, capacity)).toBe(0);
    expect(mostRequestedScore(capacity + 1, capacity)).toBe(100);
  });

  it('BalancedAllocation uses the population std for three or more resources', () => {
    // balanced_allocation_test.go: fractions 0.8571, 0.125, 0.5 → std 0.3002 → 70.
    expect(balancedAllocation([3000, 5000, 4], [3500, 40000, 8])).toBe(70);
    // A fraction above 1 counts as 1.
    expect(balancedAllocation([8000, 5000], [4000, 10000])).toBe(75);
  });
});
