import { describe, expect, it } from 'vitest';
import { isScalarResourceName, type PodSchedulingInfo } from '../pod.js';
import {
  compileScoringStrategy,
  DEFAULT_RESOURCE_SPEC,
  fitFilter,
  fitPodRequest,
  fitPreFilter,
  fitsColumns,
  fitsRequest,
  nodeResources,
  scoreNodeResources,
  validateScoringStrategy,
  withScoringDefaults,
  type FitFilterArgs,
  type InsufficientResource,
  type NodeResources,
  type ScoringStrategy,
} from './fit.js';
import { makeNode, makePod, snapshot, type PodBuilder } from './testing.js';
import { Code, type PluginStatus } from './types.js';

const extendedResourceA = 'example.com/aaa';
const extendedResourceB = 'example.com/bbb';
const kubernetesIOResourceA = 'kubernetes.io/something';
const kubernetesIOResourceB = 'subdomain.kubernetes.io/something';
const hugePageResourceA = 'hugepages-2Mi';
const extendedResourceDRA = 'extended.resource.dra.io/something';

/** fit_test.go's framework.Resource literal. */
interface R {
  readonly milliCPU?: number;
  readonly memory?: number;
  readonly ephemeralStorage?: number;
  readonly scalars?: Readonly<Record<string, number>>;
}

/** newResourcePod's container: every field written, zeros included. */
function requestsOf(r: R): Record<string, string> {
  const out: Record<string, string> = {
    cpu: `${r.milliCPU ?? 0}m`,
    memory: String(r.memory ?? 0),
    pods: '0',
    'ephemeral-storage': String(r.ephemeralStorage ?? 0),
  };
  for (const [k, v] of Object.entries(r.scalars ?? {})) out[k] = String(v);
  return out;
}

function resourcePod(...usage: R[]): PodBuilder {
  const b = makePod();
  for (const u of usage) b.req(requestsOf(u));
  return b;
}

function initPod(b: PodBuilder, ...usage: R[]): PodBuilder {
  for (const u of usage) b.initReq(requestsOf(u));
  return b;
}

/** makeAllocatableResources(milliCPU, memory, pods, extendedA, storage, hugePageA). */
function allocatable(milliCPU: number, memory: number, pods: number, extendedA: number, storage: number, hugePageA: number): Map<string, number> {
  return new Map([
    ['cpu', milliCPU],
    ['memory', memory],
    ['pods', pods],
    [extendedResourceA, extendedA],
    ['ephemeral-storage', storage],
    [hugePageResourceA, hugePageA],
  ]);
}

/** framework.NewNodeInfo(pods...) on a node with the given allocatable. */
function nodeInfo(alloc: Map<string, number>, ...pods: PodBuilder[]): NodeResources {
  return nodeResources(alloc, pods.map((p) => p.obj()));
}

function ir(name: string, requested: number, used: number, capacity: number, unresolvable = false): InsufficientResource {
  const reason = name === 'pods' ? 'Too many pods' : `Insufficient ${name}`;
  return { resourceName: name, reason, requested, used, capacity, unresolvable };
}

function st(code: PluginStatus['code'], ...reasons: string[]): PluginStatus {
  return { code, reasons };
}

interface EnoughCase {
  readonly name: string;
  readonly pod: PodBuilder;
  readonly existing: PodBuilder[];
  readonly args?: FitFilterArgs;
  readonly podLevelResourcesEnabled?: boolean;
  readonly want: InsufficientResource[];
}

// pkg/scheduler/framework/plugins/noderesources/fit_test.go, TestEnoughRequests (every case that
// does not need a DRA manager); node allocatable makeAllocatableResources(10, 20, 32, 5, 20, 5).
const ENOUGH: readonly EnoughCase[] = [
  { name: 'no resources requested always fits', pod: makePod(), existing: [resourcePod({ milliCPU: 10, memory: 20 })], want: [] },
  {
    name: 'too many resources fails',
    pod: resourcePod({ milliCPU: 1, memory: 1 }),
    existing: [resourcePod({ milliCPU: 10, memory: 20 })],
    want: [ir('cpu', 1, 10, 10), ir('memory', 1, 20, 20)],
  },
  {
    name: 'too many resources fails due to init container cpu',
    pod: initPod(resourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 3, memory: 1 }),
    existing: [resourcePod({ milliCPU: 8, memory: 19 })],
    want: [ir('cpu', 3, 8, 10)],
  },
  {
    name: 'too many resources fails due to highest init container cpu',
    pod: initPod(resourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 3, memory: 1 }, { milliCPU: 2, memory: 1 }),
    existing: [resourcePod({ milliCPU: 8, memory: 19 })],
    want: [ir('cpu', 3, 8, 10)],
  },
  {
    name: 'too many resources fails due to init container memory',
    pod: initPod(resourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 3 }),
    existing: [resourcePod({ milliCPU: 9, memory: 19 })],
    want: [ir('memory', 3, 19, 20)],
  },
  {
    name: 'too many resources fails due to highest init container memory',
    pod: initPod(resourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 3 }, { milliCPU: 1, memory: 2 }),
    existing: [resourcePod({ milliCPU: 9, memory: 19 })],
    want: [ir('memory', 3, 19, 20)],
  },
  {
    name: "init container fits because it's the max, not sum, of containers and init containers",
    pod: initPod(resourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 1 }),
    existing: [resourcePod({ milliCPU: 9, memory: 19 })],
    want: [],
  },
  {
    name: "multiple init containers fit because it's the max, not sum, of containers and init containers",
    pod: initPod(resourcePod({ milliCPU: 1, memory: 1 }), { milliCPU: 1, memory: 1 }, { milliCPU: 1, memory: 1 }),
    existing: [resourcePod({ milliCPU: 9, memory: 19 })],
    want: [],
  },
  { name: 'both resources fit', pod: resourcePod({ milliCPU: 1, memory: 1 }), existing: [resourcePod({ milliCPU: 5, memory: 5 })], want: [] },
  {
    name: 'one resource memory fits',
    pod: resourcePod({ milliCPU: 2, memory: 1 }),
    existing: [resourcePod({ milliCPU: 9, memory: 5 })],
    want: [ir('cpu', 2, 9, 10)],
  },
  {
    name: 'one resource cpu fits',
    pod: resourcePod({ milliCPU: 1, memory: 2 }),
    existing: [resourcePod({ milliCPU: 5, memory: 19 })],
    want: [ir('memory', 2, 19, 20)],
  },
  { name: 'equal edge case', pod: resourcePod({ milliCPU: 5, memory: 1 }), existing: [resourcePod({ milliCPU: 5, memory: 19 })], want: [] },
  {
    name: 'equal edge case for init container',
    pod: initPod(resourcePod({ milliCPU: 4, memory: 1 }), { milliCPU: 5, memory: 1 }),
    existing: [resourcePod({ milliCPU: 5, memory: 19 })],
    want: [],
  },
  { name: 'extended resource fits', pod: resourcePod({ scalars: { [extendedResourceA]: 1 } }), existing: [resourcePod({})], want: [] },
  {
    name: 'extended resource fits for init container',
    pod: initPod(resourcePod({}), { scalars: { [extendedResourceA]: 1 } }),
    existing: [resourcePod({})],
    want: [],
  },
  {
    name: 'extended resource capacity enforced',
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [extendedResourceA]: 10 } }),
    existing: [resourcePod({ scalars: { [extendedResourceA]: 0 } })],
    want: [ir(extendedResourceA, 10, 0, 5, true)],
  },
  {
    name: 'extended resource capacity enforced for init container',
    pod: initPod(resourcePod({}), { milliCPU: 1, memory: 1, scalars: { [extendedResourceA]: 10 } }),
    existing: [resourcePod({ scalars: { [extendedResourceA]: 0 } })],
    want: [ir(extendedResourceA, 10, 0, 5, true)],
  },
  {
    name: 'extended resource allocatable enforced',
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [extendedResourceA]: 1 } }),
    existing: [resourcePod({ scalars: { [extendedResourceA]: 5 } })],
    want: [ir(extendedResourceA, 1, 5, 5)],
  },
  {
    name: 'extended resource allocatable enforced for init container',
    pod: initPod(resourcePod({}), { milliCPU: 1, memory: 1, scalars: { [extendedResourceA]: 1 } }),
    existing: [resourcePod({ scalars: { [extendedResourceA]: 5 } })],
    want: [ir(extendedResourceA, 1, 5, 5)],
  },
  {
    name: 'extended resource allocatable enforced for multiple containers',
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [extendedResourceA]: 3 } }, { milliCPU: 1, memory: 1, scalars: { [extendedResourceA]: 3 } }),
    existing: [resourcePod({ scalars: { [extendedResourceA]: 2 } })],
    want: [ir(extendedResourceA, 6, 2, 5, true)],
  },
  {
    name: 'extended resource allocatable admits multiple init containers',
    pod: initPod(resourcePod({}), { milliCPU: 1, memory: 1, scalars: { [extendedResourceA]: 3 } }, { milliCPU: 1, memory: 1, scalars: { [extendedResourceA]: 3 } }),
    existing: [resourcePod({ scalars: { [extendedResourceA]: 2 } })],
    want: [],
  },
  {
    name: 'extended resource allocatable enforced for multiple init containers',
    pod: initPod(resourcePod({}), { milliCPU: 1, memory: 1, scalars: { [extendedResourceA]: 6 } }, { milliCPU: 1, memory: 1, scalars: { [extendedResourceA]: 3 } }),
    existing: [resourcePod({ scalars: { [extendedResourceA]: 2 } })],
    want: [ir(extendedResourceA, 6, 2, 5, true)],
  },
  {
    name: 'extended resource allocatable enforced for unknown resource',
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [extendedResourceB]: 1 } }),
    existing: [resourcePod({})],
    want: [ir(extendedResourceB, 1, 0, 0, true)],
  },
  {
    name: 'extended resource allocatable enforced for unknown resource for init container',
    pod: initPod(resourcePod({}), { milliCPU: 1, memory: 1, scalars: { [extendedResourceB]: 1 } }),
    existing: [resourcePod({})],
    want: [ir(extendedResourceB, 1, 0, 0, true)],
  },
  {
    name: 'kubernetes.io resource capacity enforced',
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [kubernetesIOResourceA]: 10 } }),
    existing: [resourcePod({})],
    want: [ir(kubernetesIOResourceA, 10, 0, 0, true)],
  },
  {
    name: 'kubernetes.io resource capacity enforced for init container',
    pod: initPod(resourcePod({}), { milliCPU: 1, memory: 1, scalars: { [kubernetesIOResourceB]: 10 } }),
    existing: [resourcePod({})],
    want: [ir(kubernetesIOResourceB, 10, 0, 0, true)],
  },
  {
    name: 'hugepages resource capacity enforced',
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [hugePageResourceA]: 10 } }),
    existing: [resourcePod({ scalars: { [hugePageResourceA]: 0 } })],
    want: [ir(hugePageResourceA, 10, 0, 5, true)],
  },
  {
    name: 'hugepages resource capacity enforced for init container',
    pod: initPod(resourcePod({}), { milliCPU: 1, memory: 1, scalars: { [hugePageResourceA]: 10 } }),
    existing: [resourcePod({ scalars: { [hugePageResourceA]: 0 } })],
    want: [ir(hugePageResourceA, 10, 0, 5, true)],
  },
  {
    name: 'hugepages resource allocatable enforced for multiple containers',
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [hugePageResourceA]: 3 } }, { milliCPU: 1, memory: 1, scalars: { [hugePageResourceA]: 3 } }),
    existing: [resourcePod({ scalars: { [hugePageResourceA]: 2 } })],
    want: [ir(hugePageResourceA, 6, 2, 5, true)],
  },
  {
    name: 'skip checking ignored extended resource',
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [extendedResourceB]: 1 } }),
    existing: [resourcePod({})],
    args: { ignoredResources: ['example.com/bbb'] },
    want: [],
  },
  {
    name: 'resources + pod overhead fits',
    pod: resourcePod({ milliCPU: 1, memory: 1 }).overhead({ cpu: '3m', memory: '13' }),
    existing: [resourcePod({ milliCPU: 5, memory: 5 })],
    want: [],
  },
  {
    name: 'requests + overhead does not fit for memory',
    pod: resourcePod({ milliCPU: 1, memory: 1 }).overhead({ cpu: '1m', memory: '15' }),
    existing: [resourcePod({ milliCPU: 5, memory: 5 })],
    want: [ir('memory', 16, 5, 20)],
  },
  {
    name: 'skip checking ignored extended resource via resource groups',
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [extendedResourceB]: 1, [kubernetesIOResourceA]: 1 } }),
    existing: [resourcePod({})],
    args: { ignoredResourceGroups: ['example.com'] },
    want: [ir(kubernetesIOResourceA, 1, 0, 0, true)],
  },
  {
    name: 'skip checking extended resource request with quantity zero via resource groups',
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [extendedResourceA]: 0 } }),
    existing: [resourcePod({ scalars: { [extendedResourceA]: 6 } })],
    want: [],
  },
  {
    name: 'skip checking resource request with quantity zero',
    podLevelResourcesEnabled: true,
    pod: resourcePod({ scalars: { [extendedResourceA]: 1 } }),
    existing: [resourcePod({ milliCPU: 20, memory: 30, scalars: { [extendedResourceA]: 1 } })],
    want: [],
  },
  {
    name: 'both pod-level and container-level resources fit',
    podLevelResourcesEnabled: true,
    pod: resourcePod({ milliCPU: 1, memory: 1 }).podLevelRequests({ cpu: '1m', memory: '2' }),
    existing: [resourcePod({ milliCPU: 5, memory: 5 })],
    want: [],
  },
  {
    name: 'pod-level cpu resource not fit',
    podLevelResourcesEnabled: true,
    pod: resourcePod({ milliCPU: 1, memory: 1 }).podLevelRequests({ cpu: '7m', memory: '2' }),
    existing: [resourcePod({ milliCPU: 5, memory: 5 })],
    want: [ir('cpu', 7, 5, 10)],
  },
  {
    name: 'pod-level memory resource not fit',
    podLevelResourcesEnabled: true,
    pod: resourcePod({ milliCPU: 1, memory: 1 }).podLevelRequests({ cpu: '3m', memory: '2' }),
    existing: [resourcePod({ milliCPU: 5, memory: 19 })],
    want: [ir('memory', 2, 19, 20)],
  },
  {
    name: 'pod-level hugepages resource fit',
    podLevelResourcesEnabled: true,
    pod: resourcePod().podLevelRequests({ cpu: '3m', memory: '2', [hugePageResourceA]: '5' }),
    existing: [],
    want: [],
  },
  {
    name: 'both pod-level and container-level hugepages resource fit',
    podLevelResourcesEnabled: true,
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [hugePageResourceA]: 3 } }).podLevelRequests({ cpu: '3m', memory: '2', [hugePageResourceA]: '5' }),
    existing: [],
    want: [],
  },
  {
    name: 'pod-level hugepages resource not fit',
    podLevelResourcesEnabled: true,
    pod: resourcePod().podLevelRequests({ cpu: '3m', memory: '2', [hugePageResourceA]: '10' }),
    existing: [],
    want: [ir(hugePageResourceA, 10, 0, 5, true)],
  },
  {
    name: 'one pod-level cpu resource fits and all init and non-init containers resources fit',
    podLevelResourcesEnabled: true,
    pod: initPod(resourcePod({ milliCPU: 1, memory: 1 }).podLevelRequests({ cpu: '3m', memory: '2' }), { milliCPU: 1, memory: 1 }),
    existing: [resourcePod({ milliCPU: 5, memory: 19 })],
    want: [ir('memory', 2, 19, 20)],
  },
  {
    name: 'extended resource backed by DRA not enabled',
    pod: resourcePod({ milliCPU: 1, memory: 1, scalars: { [extendedResourceDRA]: 1 } }),
    existing: [resourcePod({})],
    want: [ir(extendedResourceDRA, 1, 0, 0, true)],
  },
];

function wantStatus(want: readonly InsufficientResource[]): PluginStatus {
  if (want.length === 0) return { code: Code.Success, reasons: [] };
  return st(want.some((r) => r.unresolvable) ? Code.UnschedulableAndUnresolvable : Code.Unschedulable, ...want.map((r) => r.reason));
}

/** The same check on aligned columns, as a worker would run it. */
function columnsCode(podRequest: ReadonlyMap<string, number>, node: NodeResources, args: FitFilterArgs): number {
  const names = ['cpu', 'memory', 'ephemeral-storage', ...[...podRequest.keys()].filter((n) => isScalarResourceName(n))];
  const ignored = new Set([...(args.ignoredResources ?? [])]);
  const groups = new Set(args.ignoredResourceGroups ?? []);
  const req = names.map((n) => (ignored.has(n) || groups.has(n.split('/')[0] as string) ? 0 : (podRequest.get(n) ?? 0)));
  return fitsColumns(
    req,
    names.map((n) => node.allocatable.get(n) ?? 0),
    names.map((n) => node.requested.get(n) ?? 0),
    node.podCount,
    node.allocatable.get('pods') ?? 0,
  );
}

describe('NodeResourcesFit Filter (fit_test.go TestEnoughRequests)', () => {
  it.each(ENOUGH.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const node = nodeInfo(allocatable(10, 20, 32, 5, 20, 5), ...c.existing);
    const pod = c.pod.obj({ podLevelResources: c.podLevelResourcesEnabled ?? false });
    const request = fitPodRequest(pod);
    const args = c.args ?? {};
    expect(fitsRequest(request, node, args)).toEqual(c.want);
    expect(fitFilter(request, node, args)).toEqual(wantStatus(c.want));
    expect(columnsCode(request, node, args)).toBe(wantStatus(c.want).code);
  });
});

describe('"Too many pods" (fit_test.go TestNotEnoughRequests)', () => {
  it.each([
    ["even without specified resources, predicate fails when there's no space for additional pod", makePod(), resourcePod({ milliCPU: 10, memory: 20 })],
    ["even if both resources fit, predicate fails when there's no space for additional pod", resourcePod({ milliCPU: 1, memory: 1 }), resourcePod({ milliCPU: 5, memory: 5 })],
    ["even for equal edge case, predicate fails when there's no space for additional pod", resourcePod({ milliCPU: 5, memory: 1 }), resourcePod({ milliCPU: 5, memory: 19 })],
    [
      "even for equal edge case, predicate fails when there's no space for additional pod due to init container",
      initPod(resourcePod({ milliCPU: 5, memory: 1 }), { milliCPU: 5, memory: 1 }),
      resourcePod({ milliCPU: 5, memory: 19 }),
    ],
  ] as const)('%s', (_name, pod, existing) => {
    const node = nodeInfo(allocatable(10, 20, 1, 0, 0, 0), existing);
    const request = fitPodRequest(pod.obj());
    expect(fitFilter(request, node)).toEqual(st(Code.Unschedulable, 'Too many pods'));
    expect(fitsRequest(request, node)[0]).toEqual(ir('pods', 1, 1, 1));
    expect(columnsCode(request, node, {})).toBe(Code.Unschedulable);
  });
});

describe('ephemeral storage (fit_test.go TestStorageRequests)', () => {
  it.each([
    ['empty storage requested, and pod fits', resourcePod({ milliCPU: 1, memory: 1 }), resourcePod({ milliCPU: 2, memory: 10 }), { code: Code.Success, reasons: [] }],
    [
      'storage ephemeral local storage request exceeds allocatable',
      resourcePod({ ephemeralStorage: 25 }),
      resourcePod({ milliCPU: 2, memory: 2 }),
      st(Code.UnschedulableAndUnresolvable, 'Insufficient ephemeral-storage'),
    ],
    ['ephemeral local storage is sufficient', resourcePod({ ephemeralStorage: 5 }), resourcePod({ milliCPU: 2, memory: 2, ephemeralStorage: 10 }), { code: Code.Success, reasons: [] }],
    ['pod fits', resourcePod({ ephemeralStorage: 10 }), resourcePod({ milliCPU: 2, memory: 2 }), { code: Code.Success, reasons: [] }],
  ] as const)('%s', (_name, pod, existing, want) => {
    expect(fitFilter(fitPodRequest(pod.obj()), nodeInfo(allocatable(10, 20, 32, 5, 20, 5), existing))).toEqual(want);
  });
});

describe('sidecars (fit_test.go TestRestartableInitContainers)', () => {
  const regular = (): PodBuilder => makePod().container();
  const withSidecar = (request?: string, sidecar?: string): PodBuilder => {
    const b = makePod();
    if (request === undefined) b.container();
    else b.req({ cpu: request });
    return b.sidecarReq(sidecar === undefined ? {} : { cpu: sidecar });
  };
  const node = (): NodeResources => nodeResources(allocatable(2, 0, 1, 0, 0, 0), []);

  it.each([
    ['allow pod without restartable init containers if sidecar containers is disabled', regular(), false, undefined, undefined],
    [
      'not allow pod with restartable init containers if sidecar containers is disabled',
      withSidecar(),
      false,
      st(Code.UnschedulableAndUnresolvable, 'Pod has a restartable init container and the SidecarContainers feature is disabled'),
      undefined,
    ],
    ['allow pod without restartable init containers if sidecar containers is enabled', regular(), true, undefined, undefined],
    ['allow pod with restartable init containers if sidecar containers is enabled', withSidecar(), true, undefined, undefined],
    ["allow pod if the total requested resources do not exceed the node's allocatable resources", withSidecar('1m', '1m'), true, undefined, undefined],
    [
      "not allow pod if the total requested resources do exceed the node's allocatable resources",
      withSidecar('1m', '2m'),
      true,
      undefined,
      st(Code.UnschedulableAndUnresolvable, 'Insufficient cpu'),
    ],
  ] as const)('%s', (_name, b, enableSidecars, wantPreFilter, wantFilter) => {
    const pod = b.obj();
    const pre = fitPreFilter(pod, enableSidecars);
    expect(pre).toEqual(wantPreFilter ?? { code: Code.Success, reasons: [] });
    if (pre.code !== Code.Success) return;
    expect(fitFilter(fitPodRequest(pod), node())).toEqual(wantFilter ?? { code: Code.Success, reasons: [] });
  });
});

// fit_test.go TestFitScore (the cases without DRA objects).
describe('NodeResourcesFit Score (fit_test.go TestFitScore)', () => {
  const nodes = [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '6000', memory: '10000' })];
  const existing = (): PodSchedulingInfo[] => [
    makePod().node('node1').req({ cpu: '2000', memory: '4000' }).obj(),
    makePod().node('node2').req({ cpu: '1000', memory: '2000' }).obj(),
  ];
  const sidecarNodes = [makeNode('node1', { cpu: '4000', memory: '10000' }), makeNode('node2', { cpu: '4000', memory: '10000' })];
  const sidecarExisting = (): PodSchedulingInfo[] => [
    makePod().node('node1').req({ cpu: '1000', memory: '2000' }).sidecarReq({ cpu: '1000', memory: '2000' }).obj(),
    makePod().node('node2').req({ cpu: '1000', memory: '2000' }).obj(),
  ];
  const rtcr = (shape: readonly [number, number][]): ScoringStrategy => ({
    type: 'RequestedToCapacityRatio',
    resources: DEFAULT_RESOURCE_SPEC,
    requestedToCapacityRatio: { shape: shape.map(([utilization, score]) => ({ utilization, score })) },
  });

  it.each([
    ['RequestedToCapacityRatio case1', rtcr([[0, 10], [100, 0]]), makePod().req({ cpu: '3000', memory: '5000' }), nodes, existing(), [10, 32]],
    ['RequestedToCapacityRatio case2', rtcr([[0, 0], [100, 10]]), makePod().req({ cpu: '3000', memory: '5000' }), nodes, existing(), [95, 68]],
    ['MostAllocated', withScoringDefaults({ type: 'MostAllocated' }), makePod().req({ cpu: '1000', memory: '2000' }), nodes, existing(), [67, 36]],
    ['LeastAllocated', withScoringDefaults(), makePod().req({ cpu: '1000', memory: '2000' }), nodes, existing(), [32, 63]],
    ['MostAllocated with sidecar container', withScoringDefaults({ type: 'MostAllocated' }), makePod().req({ cpu: '1000', memory: '2000' }), sidecarNodes, sidecarExisting(), [67, 45]],
    ['LeastAllocated with sidecar container', withScoringDefaults({ type: 'LeastAllocated' }), makePod().req({ cpu: '1000', memory: '2000' }), sidecarNodes, sidecarExisting(), [32, 55]],
  ] as const)('test case for ScoringStrategy %s', (_name, s, pod, ns, ex, expected) => {
    expect(validateScoringStrategy(s)).toEqual([]);
    const scorer = compileScoringStrategy(s);
    const snap = snapshot(ex, ns);
    const p = pod.obj();
    expect(ns.map((n) => scoreNodeResources(scorer, p, snap.get(n.name) as NodeResources).score)).toEqual(expected);
  });
});

describe('NodeResourcesFitArgs defaults and validation', () => {
  it('defaults to LeastAllocated over cpu and memory, weight 1 (SetDefaults_NodeResourcesFitArgs)', () => {
    expect(withScoringDefaults()).toEqual({ type: 'LeastAllocated', resources: DEFAULT_RESOURCE_SPEC });
    expect(withScoringDefaults({ type: 'MostAllocated' }).resources).toEqual(DEFAULT_RESOURCE_SPEC);
    expect(withScoringDefaults({ resources: [{ name: 'cpu', weight: 0 }, { name: 'nvidia.com/gpu', weight: 3 }] }).resources).toEqual([
      { name: 'cpu', weight: 1 },
      { name: 'nvidia.com/gpu', weight: 3 },
    ]);
  });

  // least_allocated_test.go / most_allocated_test.go: weights outside (0, 100] are refused.
  it.each([
    ['resource with negative weight', [{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }], 'scoringStrategy.resources[0].weight'],
    ['resource with zero weight', [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }], 'scoringStrategy.resources[1].weight'],
    ['resource weight larger than MaxNodeScore', [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 101 }], 'scoringStrategy.resources[1].weight'],
    ['resource weight larger than MaxNodeScore (MostAllocated)', [{ name: 'memory', weight: 101 }], 'scoringStrategy.resources[0].weight'],
  ] as const)('%s', (_name, resources, field) => {
    const errs = validateScoringStrategy({ type: 'LeastAllocated', resources });
    expect(errs.map((e) => e.field)).toEqual([field]);
    expect(errs[0]?.message).toMatch(/not in valid range \(0, 100\]/);
  });

  it('requires a sorted, in-range RequestedToCapacityRatio shape', () => {
    const base = { type: 'RequestedToCapacityRatio', resources: DEFAULT_RESOURCE_SPEC } as const;
    expect(validateScoringStrategy(base).map((e) => e.field)).toEqual(['scoringStrategy.requestedToCapacityRatio.shape']);
    const bad = validateScoringStrategy({
      ...base,
      requestedToCapacityRatio: { shape: [{ utilization: 50, score: 1 }, { utilization: 40, score: 11 }, { utilization: 101, score: -1 }] },
    });
    expect(bad.map((e) => e.field)).toEqual([
      'scoringStrategy.requestedToCapacityRatio.shape[1].utilization',
      'scoringStrategy.requestedToCapacityRatio.shape[1].score',
      'scoringStrategy.requestedToCapacityRatio.shape[2].utilization',
      'scoringStrategy.requestedToCapacityRatio.shape[2].score',
    ]);
  });
});

describe('NodeInfo accounting (nodeResources)', () => {
  it('sums raw requests, and non-zero cpu/memory separately', () => {
    const node = nodeResources(new Map([['cpu', 4000], ['memory', 1 << 30], ['pods', 110], ['storage', 5]]), [
      makePod().req({ cpu: '500m', 'nvidia.com/gpu': '1' }).obj(),
      makePod().container().obj(),
    ]);
    expect(Object.fromEntries(node.allocatable)).toEqual({ cpu: 4000, memory: 1 << 30, pods: 110 });
    expect(Object.fromEntries(node.requested)).toEqual({ cpu: 500, 'nvidia.com/gpu': 1 });
    expect(node.nonZeroRequested).toEqual({ milliCPU: 600, memory: 2 * 209715200 });
    expect(node.podCount).toBe(2);
  });
});
