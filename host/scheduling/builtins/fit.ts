/**
 * NodeResourcesFit (filter and scoring strategies) and NodeResourcesBalancedAllocation over
 * object-shaped node state: kube's NodeInfo accounting, its exact filter reasons, its
 * NodeResourcesFitArgs defaults and validation, and the per-resource (allocatable, requested)
 * pairs it feeds the scorers. The scorers themselves are the numeric ones in resources.ts.
 */
import {
  isExtendedResourceName,
  isScalarResourceName,
  ResourceCPU,
  ResourceEphemeralStorage,
  ResourceMemory,
  ResourcePods,
  type NonZeroRequest,
  type PodSchedulingInfo,
} from '../pod.js';
import {
  balancedAllocation,
  compileShape,
  leastAllocated,
  mostAllocated,
  requestedToCapacityRatio,
  type FunctionShape,
  type UtilizationShapePoint,
} from './resources.js';
import { Code, MaxCustomPriorityScore, SKIP, status, SUCCESS, type PluginStatus } from './types.js';

/** A node's resources as kube's NodeInfo keeps them (cpu in millicores, the rest in base units). */
export interface NodeResources {
  /** status.allocatable for cpu, memory, ephemeral-storage, pods and scalar resources. */
  readonly allocatable: ReadonlyMap<string, number>;
  /** Σ requests of the pods on the node (NodeInfo.Requested): cpu, memory, ephemeral-storage, scalars. */
  readonly requested: ReadonlyMap<string, number>;
  /** Σ non-zero cpu/memory of the pods on the node (NodeInfo.NonZeroRequested). */
  readonly nonZeroRequested: NonZeroRequest;
  /** Number of pods on the node (bound and assumed). */
  readonly podCount: number;
}

/** Whether NodeInfo's Resource keeps this name (Resource.Add drops the others). */
export function isTrackedResource(name: string): boolean {
  return name === ResourceCPU || name === ResourceMemory || name === ResourceEphemeralStorage || isScalarResourceName(name);
}

/** NodeInfo for a node with these pods: allocatable filtered as kube's Resource, requests summed. */
export function nodeResources(
  allocatable: ReadonlyMap<string, number>,
  pods: readonly PodSchedulingInfo[],
): NodeResources {
  const alloc = new Map<string, number>();
  for (const [name, v] of allocatable) if (name === ResourcePods || isTrackedResource(name)) alloc.set(name, v);
  const requested = new Map<string, number>();
  let milliCPU = 0;
  let memory = 0;
  for (const pod of pods) {
    for (const [name, v] of pod.requests) {
      if (isTrackedResource(name)) requested.set(name, (requested.get(name) ?? 0) + v);
    }
    milliCPU += pod.nonZero.milliCPU;
    memory += pod.nonZero.memory;
  }
  return { allocatable: alloc, requested, nonZeroRequested: { milliCPU, memory }, podCount: pods.length };
}

// ---------------------------------------------------------------- filter

/** NodeResourcesFitArgs.ignoredResources / ignoredResourceGroups. */
export interface FitFilterArgs {
  readonly ignoredResources?: readonly string[];
  readonly ignoredResourceGroups?: readonly string[];
}

/** noderesources.InsufficientResource. */
export interface InsufficientResource {
  readonly resourceName: string;
  /** "Too many pods", "Insufficient cpu", "Insufficient <name>". */
  readonly reason: string;
  readonly requested: number;
  readonly used: number;
  readonly capacity: number;
  /** The pod asks for more than the node has at all: preemption cannot help. */
  readonly unresolvable: boolean;
}

/**
 * computePodResourceRequest: the pod's effective requests restricted to what Fit checks
 * (cpu, memory, ephemeral-storage, scalar resources).
 */
export function fitPodRequest(pod: PodSchedulingInfo): ReadonlyMap<string, number> {
  const out = new Map<string, number>();
  for (const [name, v] of pod.requests) if (isTrackedResource(name)) out.set(name, v);
  return out;
}

/** PreFilter's refusal when sidecars are used but the SidecarContainers gate is off (kube ≥1.29 has it on). */
export function fitPreFilter(pod: PodSchedulingInfo, enableSidecarContainers = true): PluginStatus {
  if (!enableSidecarContainers && pod.hasRestartableInitContainer) {
    return status(
      Code.UnschedulableAndUnresolvable,
      'Pod has a restartable init container and the SidecarContainers feature is disabled',
    );
  }
  return SUCCESS;
}

function isIgnored(name: string, args: FitFilterArgs): boolean {
  if (!isExtendedResourceName(name)) return false;
  if (args.ignoredResources?.includes(name)) return true;
  const groups = args.ignoredResourceGroups;
  return groups !== undefined && groups.length > 0 && groups.includes(name.split('/')[0] as string);
}

/**
 * fitsRequest: every resource the node cannot supply, in kube's order (pods, cpu, memory,
 * ephemeral-storage, then scalar resources in the pod's order; kube iterates a Go map there).
 */
export function fitsRequest(
  podRequest: ReadonlyMap<string, number>,
  node: NodeResources,
  args: FitFilterArgs = {},
): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const allowedPods = node.allocatable.get(ResourcePods) ?? 0;
  if (node.podCount + 1 > allowedPods) {
    out.push({
      resourceName: ResourcePods,
      reason: 'Too many pods',
      requested: 1,
      used: node.podCount,
      capacity: allowedPods,
      unresolvable: false,
    });
  }
  const check = (name: string, want: number, reason: string): void => {
    const capacity = node.allocatable.get(name) ?? 0;
    const used = node.requested.get(name) ?? 0;
    if (want > 0 && want > capacity - used) {
      out.push({ resourceName: name, reason, requested: want, used, capacity, unresolvable: want > capacity });
    }
  };
  check(ResourceCPU, podRequest.get(ResourceCPU) ?? 0, 'Insufficient cpu');
  check(ResourceMemory, podRequest.get(ResourceMemory) ?? 0, 'Insufficient memory');
  check(ResourceEphemeralStorage, podRequest.get(ResourceEphemeralStorage) ?? 0, 'Insufficient ephemeral-storage');
  for (const [name, want] of podRequest) {
    if (want === 0 || !isScalarResourceName(name) || isIgnored(name, args)) continue;
    check(name, want, `Insufficient ${name}`);
  }
  return out;
}

/** The Filter status: Unschedulable with every reason, UnschedulableAndUnresolvable if any is. */
export function fitFilter(podRequest: ReadonlyMap<string, number>, node: NodeResources, args: FitFilterArgs = {}): PluginStatus {
  const insufficient = fitsRequest(podRequest, node, args);
  if (insufficient.length === 0) return SUCCESS;
  const code = insufficient.some((r) => r.unresolvable) ? Code.UnschedulableAndUnresolvable : Code.Unschedulable;
  return status(code, ...insufficient.map((r) => r.reason));
}

/**
 * fitsRequest over aligned columns, allocating nothing: 0 when the pod fits, otherwise
 * Code.Unschedulable or Code.UnschedulableAndUnresolvable. Put ignored resources in as 0.
 */
export function fitsColumns(
  podRequest: ArrayLike<number>,
  allocatable: ArrayLike<number>,
  requested: ArrayLike<number>,
  podCount: number,
  allowedPodNumber: number,
): number {
  let code: number = podCount + 1 > allowedPodNumber ? Code.Unschedulable : Code.Success;
  for (let i = 0; i < podRequest.length; i++) {
    const want = podRequest[i] as number;
    if (want <= 0) continue;
    const capacity = allocatable[i] as number;
    if (want > capacity - (requested[i] as number)) {
      if (want > capacity) return Code.UnschedulableAndUnresolvable;
      code = Code.Unschedulable;
    }
  }
  return code;
}

// ---------------------------------------------------------------- scoring configuration

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface ResourceSpec {
  readonly name: string;
  readonly weight: number;
}

/** NodeResourcesFitArgs.scoringStrategy. */
export interface ScoringStrategy {
  readonly type: ScoringStrategyType;
  readonly resources: readonly ResourceSpec[];
  readonly requestedToCapacityRatio?: { readonly shape: readonly UtilizationShapePoint[] } | undefined;
}

export type ScoringStrategyInput = Partial<{
  readonly type: ScoringStrategyType;
  readonly resources: readonly ResourceSpec[];
  readonly requestedToCapacityRatio: { readonly shape: readonly UtilizationShapePoint[] };
}>;

/** kube's defaultResourceSpec: cpu and memory, weight 1 each. */
export const DEFAULT_RESOURCE_SPEC: readonly ResourceSpec[] = Object.freeze([
  Object.freeze({ name: ResourceCPU, weight: 1 }),
  Object.freeze({ name: ResourceMemory, weight: 1 }),
]);

/**
 * SetDefaults_NodeResourcesFitArgs: no strategy → LeastAllocated over cpu/memory; no resources →
 * cpu/memory; weight 0 → 1. (kube has no default RequestedToCapacityRatio shape: one is required.)
 */
export function withScoringDefaults(input?: ScoringStrategyInput): ScoringStrategy {
  if (input === undefined) return { type: 'LeastAllocated', resources: DEFAULT_RESOURCE_SPEC };
  const given = input.resources !== undefined && input.resources.length > 0 ? input.resources : DEFAULT_RESOURCE_SPEC;
  return {
    type: input.type ?? 'LeastAllocated',
    resources: given.map((r) => (r.weight === 0 ? { name: r.name, weight: 1 } : r)),
    requestedToCapacityRatio: input.requestedToCapacityRatio,
  };
}

/** A config problem, with kube's field path ("scoringStrategy.resources[0].weight"). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** ValidateNodeResourcesFitArgs' checks on the scoring strategy (weights in (0, 100], shape). */
export function validateScoringStrategy(s: ScoringStrategy, path = 'scoringStrategy'): FieldError[] {
  const errs: FieldError[] = [];
  if (s.type !== 'LeastAllocated' && s.type !== 'MostAllocated' && s.type !== 'RequestedToCapacityRatio') {
    errs.push({
      field: `${path}.type`,
      message:
        `Unsupported value: ${JSON.stringify(s.type)}: ` +
        'supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
    });
  }
  s.resources.forEach((r, i) => {
    if (!(r.weight > 0 && r.weight <= 100)) {
      errs.push({ field: `${path}.resources[${i}].weight`, message: `resource weight of ${r.name} not in valid range (0, 100]` });
    }
  });
  if (s.type === 'RequestedToCapacityRatio') {
    const shapePath = `${path}.requestedToCapacityRatio.shape`;
    const shape = s.requestedToCapacityRatio?.shape ?? [];
    if (shape.length === 0) {
      errs.push({ field: shapePath, message: 'Required value: at least one point must be specified' });
    }
    for (let i = 1; i < shape.length; i++) {
      if ((shape[i - 1] as UtilizationShapePoint).utilization >= (shape[i] as UtilizationShapePoint).utilization) {
        errs.push({ field: `${shapePath}[${i}].utilization`, message: 'utilization values must be sorted in increasing order' });
        break;
      }
    }
    shape.forEach((p, i) => {
      if (!(p.utilization >= 0 && p.utilization <= 100)) {
        errs.push({ field: `${shapePath}[${i}].utilization`, message: 'not in valid range [0, 100]' });
      }
      if (!(p.score >= 0 && p.score <= MaxCustomPriorityScore)) {
        errs.push({ field: `${shapePath}[${i}].score`, message: `not in valid range [0, ${MaxCustomPriorityScore}]` });
      }
    });
  }
  return errs;
}

/** A strategy ready to score: resource names, their weights, and the shape when it has one. */
export interface CompiledScorer {
  readonly type: ScoringStrategyType | 'BalancedAllocation';
  readonly names: readonly string[];
  readonly weights: Float64Array;
  readonly shape: FunctionShape | undefined;
  /** Count raw requests (Balanced) rather than the non-zero ones (Fit's strategies). */
  readonly useRequested: boolean;
}

/** Builds the scorer for a validated strategy (see validateScoringStrategy). */
export function compileScoringStrategy(s: ScoringStrategy): CompiledScorer {
  return {
    type: s.type,
    names: s.resources.map((r) => r.name),
    weights: Float64Array.from(s.resources, (r) => r.weight),
    shape: s.type === 'RequestedToCapacityRatio' ? compileShape(s.requestedToCapacityRatio?.shape ?? []) : undefined,
    useRequested: false,
  };
}

/** NodeResourcesBalancedAllocationArgs.resources (default cpu, memory). */
export function compileBalancedAllocation(resources: readonly ResourceSpec[] = DEFAULT_RESOURCE_SPEC): CompiledScorer {
  const list = resources.length > 0 ? resources : DEFAULT_RESOURCE_SPEC;
  return {
    type: 'BalancedAllocation',
    names: list.map((r) => r.name),
    weights: Float64Array.from(list, (r) => (r.weight === 0 ? 1 : r.weight)),
    shape: undefined,
    useRequested: true,
  };
}

/** calculatePodResourceRequestList: the incoming pod's request per configured resource. */
export function podScoringRequests(scorer: CompiledScorer, pod: PodSchedulingInfo): Float64Array {
  const source = scorer.useRequested ? pod.requests : pod.nonZeroRequests;
  return Float64Array.from(scorer.names, (name) => source.get(name) ?? 0);
}

/**
 * calculateResourceAllocatableRequest for every configured resource, into the two output
 * arrays: cpu/memory use the node's non-zero (or, for Balanced, raw) requests; an extended
 * resource the pod does not request, or one the node does not have, gives (0, 0) and is skipped.
 */
export function fillAllocatableRequested(
  scorer: CompiledScorer,
  podRequests: ArrayLike<number>,
  node: NodeResources,
  requestedOut: Float64Array,
  allocatableOut: Float64Array,
): void {
  for (let i = 0; i < scorer.names.length; i++) {
    const name = scorer.names[i] as string;
    const want = podRequests[i] as number;
    let alloc = 0;
    let req = 0;
    if (name === ResourceCPU) {
      alloc = node.allocatable.get(name) ?? 0;
      req = (scorer.useRequested ? (node.requested.get(name) ?? 0) : node.nonZeroRequested.milliCPU) + want;
    } else if (name === ResourceMemory) {
      alloc = node.allocatable.get(name) ?? 0;
      req = (scorer.useRequested ? (node.requested.get(name) ?? 0) : node.nonZeroRequested.memory) + want;
    } else if (name === ResourceEphemeralStorage) {
      alloc = node.allocatable.get(name) ?? 0;
      req = (node.requested.get(name) ?? 0) + want;
    } else if (isScalarResourceName(name) && want !== 0 && node.allocatable.has(name)) {
      alloc = node.allocatable.get(name) ?? 0;
      req = (node.requested.get(name) ?? 0) + want;
    }
    // Only a resource the node has takes part (resource_allocation.go: "if alloc == 0 continue").
    allocatableOut[i] = alloc;
    requestedOut[i] = alloc === 0 ? 0 : req;
  }
}

/** A Score outcome: the score, or a status that is not Success. */
export interface ScoreResult {
  readonly status: PluginStatus;
  readonly score: number;
}

function scoreWith(scorer: CompiledScorer, requested: Float64Array, allocatable: Float64Array): number {
  switch (scorer.type) {
    case 'LeastAllocated':
      return leastAllocated(requested, allocatable, scorer.weights);
    case 'MostAllocated':
      return mostAllocated(requested, allocatable, scorer.weights);
    case 'RequestedToCapacityRatio':
      return requestedToCapacityRatio(requested, allocatable, scorer.weights, scorer.shape as FunctionShape);
    case 'BalancedAllocation':
      return balancedAllocation(requested, allocatable);
  }
}

/**
 * One node's NodeResourcesFit (or BalancedAllocation) score for a pod, allocating its
 * scratch arrays: the convenience path. `podRequests` defaults to podScoringRequests.
 */
export function scoreNodeResources(
  scorer: CompiledScorer,
  pod: PodSchedulingInfo,
  node: NodeResources,
  podRequests: ArrayLike<number> = podScoringRequests(scorer, pod),
): ScoreResult {
  if (scorer.names.length === 0) return { status: status(Code.Error, 'resources not found'), score: 0 };
  const requested = new Float64Array(scorer.names.length);
  const allocatable = new Float64Array(scorer.names.length);
  fillAllocatableRequested(scorer, podRequests, node, requested, allocatable);
  return { status: SUCCESS, score: scoreWith(scorer, requested, allocatable) };
}

/** BalancedAllocation's PreScore: Skip for a pod requesting none of the resources (kubernetes#129138). */
export function balancedAllocationPreScore(scorer: CompiledScorer, pod: PodSchedulingInfo): PluginStatus {
  const requests = podScoringRequests(scorer, pod);
  for (let i = 0; i < requests.length; i++) if (requests[i] !== 0) return SUCCESS;
  return SKIP;
}
