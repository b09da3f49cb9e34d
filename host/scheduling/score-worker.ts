/**
 * The scheduling worker entry: built-in resource filtering and scoring (NodeResourcesFit's
 * filter and configured strategy, NodeResourcesBalancedAllocation, NodeUnschedulable) over the
 * columnar node snapshot in shared memory, one task per chunk of candidates, results written
 * into a shared output buffer. It also owns that snapshot's layout, so node-columns.ts (the
 * writer) and this file (the reader) agree by construction.
 *
 * Thread-side code: imports only what it computes with (the pool's shared-memory views and
 * the pure per-node functions of builtins/), never piscina, gRPC or logging.
 */
import { SharedColumns, type ColumnsDescriptor } from '../pool/columns.js';
import type { IndexRange } from '../pool/range.js';
import { fitsColumns } from './builtins/fit.js';
import { balancedAllocation, leastAllocated, mostAllocated, requestedToCapacityRatio, type FunctionShape } from './builtins/resources.js';

// ---------------------------------------------------------------- layout

/**
 * One row per node. cpu in millicores, the rest in base units; float64 keeps every integer
 * below 2^53 exact (memory in bytes passes 2^32). `nonZero*` is NodeInfo.NonZeroRequested.
 */
export const NODE_SCHEMA = {
  allocCpu: 'float64',
  allocMemory: 'float64',
  allocEphemeral: 'float64',
  allocPods: 'float64',
  reqCpu: 'float64',
  reqMemory: 'float64',
  reqEphemeral: 'float64',
  nonZeroCpu: 'float64',
  nonZeroMemory: 'float64',
  podCount: 'uint32',
  unschedulable: 'uint8',
} as const;
export type NodeSchema = typeof NODE_SCHEMA;

/**
 * Scalar (extended, hugepages-*, …) resources: node `row`'s slot `s` is row `row·stride + s`
 * of this table. Slots are allocated per resource name on first sight and never reused.
 */
export const EXTENDED_SCHEMA = { alloc: 'float64', req: 'float64' } as const;
export type ExtendedSchema = typeof EXTENDED_SCHEMA;

/** What a task carries of the node snapshot: two table descriptors and the slot map. */
export interface NodeColumnsDescriptor {
  readonly kind: 'plugd.node-columns';
  readonly nodes: ColumnsDescriptor<NodeSchema>;
  readonly extended: ColumnsDescriptor<ExtendedSchema>;
  /** Slots per node in `extended`. */
  readonly stride: number;
  /** Resource name of each slot in use, by slot. */
  readonly slots: readonly string[];
}

/** Where a scorer reads a resource's (allocatable, requested) pair from. */
export const Source = {
  /** The node never has it (e.g. `pods`, or a scalar the pod does not request): skipped. */
  None: 0,
  Cpu: 1,
  Memory: 2,
  Ephemeral: 3,
  /** Source.Extended + s: extended slot s. */
  Extended: 4,
} as const;

export const StrategyId = {
  LeastAllocated: 0,
  MostAllocated: 1,
  RequestedToCapacityRatio: 2,
  BalancedAllocation: 3,
} as const;
export type StrategyIdValue = (typeof StrategyId)[keyof typeof StrategyId];

/** One scorer's resources for one pod, in configured order (CompiledScorer + podScoringRequests). */
export interface ScorerVector {
  readonly strategy: StrategyIdValue;
  /** Source per resource. */
  readonly sources: Int32Array;
  /** The incoming pod's request per resource (non-zero for Fit's strategies, raw for Balanced). */
  readonly pod: Float64Array;
  readonly weights: Float64Array;
  /** Node requests counted: raw (Balanced) or NonZeroRequested for cpu/memory (Fit's strategies). */
  readonly useRequested: boolean;
  readonly shape: FunctionShape | null;
}

/** NodeResourcesFit's filter for one pod: the resources it asks for (ignored ones left out). */
export interface FilterVector {
  readonly cpu: number;
  readonly memory: number;
  readonly ephemeral: number;
  /** Extended slots the pod requests, with `wants` aligned. */
  readonly slots: Int32Array;
  readonly wants: Float64Array;
  /** The pod asks for a scalar resource no node has: every node is UnschedulableAndUnresolvable. */
  readonly unresolvable: boolean;
}

/** Everything a task knows of the pod: numbers only. */
export interface PodVector {
  readonly filter: FilterVector;
  /** false when the pod tolerates node.kubernetes.io/unschedulable:NoSchedule. */
  readonly checkUnschedulable: boolean;
  readonly fit: ScorerVector;
  /** null when BalancedAllocation's PreScore skips the pod (it requests none of its resources). */
  readonly balanced: ScorerVector | null;
}

/**
 * The output buffer: four byte planes of `count` entries, by candidate position.
 * Codes are framework status codes (0 Success, 2 Unschedulable, 3 UnschedulableAndUnresolvable).
 */
export const Plane = { FitCode: 0, UnschedulableCode: 1, FitScore: 2, BalancedScore: 3 } as const;
export const PLANES = 4;

/** Which planes a task computes (a bitmask; default all): a Filter needs no scores, a Score no codes. */
export const Compute = { FitCode: 1, UnschedulableCode: 2, FitScore: 4, BalancedScore: 8, All: 15 } as const;

export interface ScoreTask {
  readonly nodes: NodeColumnsDescriptor;
  readonly pod: PodVector;
  /** Candidate positions this task covers (a chunk of 0..count). */
  readonly range: IndexRange;
  /** Row of each candidate position; null: position = row. */
  readonly candidates: Uint32Array<SharedArrayBuffer> | null;
  /** PLANES × count bytes (see Plane). */
  readonly out: SharedArrayBuffer;
  readonly count: number;
  /** Compute bits; absent: all planes. Planes not computed are left as they are. */
  readonly compute?: number;
}

// ---------------------------------------------------------------- the handler

const CODE_SUCCESS = 0;
const CODE_UNRESOLVABLE = 3;

/** Attached tables by id and layout: one attach per layout per thread, not per task. */
const attached = new Map<string, SharedColumns<NodeSchema> | SharedColumns<ExtendedSchema>>();
const MAX_ATTACHED = 16;

function attach<S extends NodeSchema | ExtendedSchema>(d: ColumnsDescriptor<S>, schema: S): SharedColumns<S> {
  const key = `${d.id}/${d.layout}`;
  let t = attached.get(key) as SharedColumns<S> | undefined;
  if (t === undefined) {
    if (attached.size >= MAX_ATTACHED) attached.clear();
    t = SharedColumns.attach(d, schema);
    attached.set(key, t as SharedColumns<NodeSchema> | SharedColumns<ExtendedSchema>);
  }
  return t;
}

/**
 * NodeResourcesFit filter code, NodeUnschedulable code, the Fit strategy's score and the
 * BalancedAllocation score for each candidate in `task.range`, written into `task.out`.
 * Returns how many of them passed both filters.
 */
export function scoreResources(task: ScoreTask): number {
  const { pod, range, candidates, count } = task;
  const nodes = attach(task.nodes.nodes, NODE_SCHEMA);
  const ext = attach(task.nodes.extended, EXTENDED_SCHEMA);
  const stride = task.nodes.stride;
  const cols: Columns = {
    allocCpu: nodes.column('allocCpu'),
    allocMemory: nodes.column('allocMemory'),
    allocEphemeral: nodes.column('allocEphemeral'),
    reqCpu: nodes.column('reqCpu'),
    reqMemory: nodes.column('reqMemory'),
    reqEphemeral: nodes.column('reqEphemeral'),
    nonZeroCpu: nodes.column('nonZeroCpu'),
    nonZeroMemory: nodes.column('nonZeroMemory'),
    extAlloc: ext.column('alloc'),
    extReq: ext.column('req'),
    stride,
  };
  const allocPods = nodes.column('allocPods');
  const podCount = nodes.column('podCount');
  const unschedulable = nodes.column('unschedulable');

  const out = new Uint8Array(task.out, 0, PLANES * count);
  const fitCodeAt = Plane.FitCode * count;
  const unschedAt = Plane.UnschedulableCode * count;
  const fitScoreAt = Plane.FitScore * count;
  const balancedAt = Plane.BalancedScore * count;

  // The filter's vectors: cpu, memory, ephemeral-storage, then the requested extended slots.
  const f = pod.filter;
  const width = 3 + f.slots.length;
  const want = new Float64Array(width);
  const fAlloc = new Float64Array(width);
  const fReq = new Float64Array(width);
  want[0] = f.cpu;
  want[1] = f.memory;
  want[2] = f.ephemeral;
  want.set(f.wants, 3);

  const compute = task.compute ?? Compute.All;
  const wantFitScore = (compute & Compute.FitScore) !== 0;
  const fitScratch = scratch(pod.fit);
  const balScratch = pod.balanced === null || (compute & Compute.BalancedScore) === 0 ? null : scratch(pod.balanced);

  let feasible = 0;
  for (let at = range.start; at < range.end; at++) {
    const row = candidates === null ? at : (candidates[at] as number);

    let fitCode: number = CODE_UNRESOLVABLE;
    if (!f.unresolvable) {
      fAlloc[0] = cols.allocCpu[row] as number;
      fAlloc[1] = cols.allocMemory[row] as number;
      fAlloc[2] = cols.allocEphemeral[row] as number;
      fReq[0] = cols.reqCpu[row] as number;
      fReq[1] = cols.reqMemory[row] as number;
      fReq[2] = cols.reqEphemeral[row] as number;
      for (let k = 0; k < f.slots.length; k++) {
        const cell = row * stride + (f.slots[k] as number);
        fAlloc[3 + k] = cols.extAlloc[cell] as number;
        fReq[3 + k] = cols.extReq[cell] as number;
      }
      fitCode = fitsColumns(want, fAlloc, fReq, podCount[row] as number, allocPods[row] as number);
    }
    const unschedCode = pod.checkUnschedulable && unschedulable[row] !== 0 ? CODE_UNRESOLVABLE : CODE_SUCCESS;
    if (fitCode === CODE_SUCCESS && unschedCode === CODE_SUCCESS) feasible++;

    out[fitCodeAt + at] = fitCode;
    out[unschedAt + at] = unschedCode;
    if (wantFitScore) out[fitScoreAt + at] = scoreRow(pod.fit, fitScratch, cols, row);
    if (balScratch !== null) out[balancedAt + at] = scoreRow(pod.balanced as ScorerVector, balScratch, cols, row);
  }
  return feasible;
}

interface Columns {
  readonly allocCpu: Float64Array;
  readonly allocMemory: Float64Array;
  readonly allocEphemeral: Float64Array;
  readonly reqCpu: Float64Array;
  readonly reqMemory: Float64Array;
  readonly reqEphemeral: Float64Array;
  readonly nonZeroCpu: Float64Array;
  readonly nonZeroMemory: Float64Array;
  readonly extAlloc: Float64Array;
  readonly extReq: Float64Array;
  readonly stride: number;
}

interface Scratch {
  readonly requested: Float64Array;
  readonly allocatable: Float64Array;
}

function scratch(v: ScorerVector): Scratch {
  return { requested: new Float64Array(v.sources.length), allocatable: new Float64Array(v.sources.length) };
}

/**
 * fit.ts fillAllocatableRequested over the columns, then the strategy: a resource the node
 * lacks (or, for a scalar, one the pod does not request: Source.None) gives (0, 0) and is skipped.
 */
function scoreRow(v: ScorerVector, s: Scratch, c: Columns, row: number): number {
  const { requested, allocatable } = s;
  for (let i = 0; i < v.sources.length; i++) {
    const src = v.sources[i] as number;
    let alloc = 0;
    let req = 0;
    if (src === Source.Cpu) {
      alloc = c.allocCpu[row] as number;
      req = (v.useRequested ? (c.reqCpu[row] as number) : (c.nonZeroCpu[row] as number)) + (v.pod[i] as number);
    } else if (src === Source.Memory) {
      alloc = c.allocMemory[row] as number;
      req = (v.useRequested ? (c.reqMemory[row] as number) : (c.nonZeroMemory[row] as number)) + (v.pod[i] as number);
    } else if (src === Source.Ephemeral) {
      alloc = c.allocEphemeral[row] as number;
      req = (c.reqEphemeral[row] as number) + (v.pod[i] as number);
    } else if (src >= Source.Extended) {
      const cell = row * c.stride + (src - Source.Extended);
      alloc = c.extAlloc[cell] as number;
      req = (c.extReq[cell] as number) + (v.pod[i] as number);
    }
    allocatable[i] = alloc;
    requested[i] = alloc === 0 ? 0 : req;
  }
  switch (v.strategy) {
    case StrategyId.LeastAllocated:
      return leastAllocated(requested, allocatable, v.weights);
    case StrategyId.MostAllocated:
      return mostAllocated(requested, allocatable, v.weights);
    case StrategyId.RequestedToCapacityRatio:
      return requestedToCapacityRatio(requested, allocatable, v.weights, v.shape as FunctionShape);
    case StrategyId.BalancedAllocation:
      return balancedAllocation(requested, allocatable);
  }
}

/** Several pods over the same rows in one task: what a batch of pending pods costs one dispatch. */
export interface BatchTask {
  readonly nodes: NodeColumnsDescriptor;
  readonly pods: readonly PodVector[];
  /** Rows this task covers (positions are rows: every row is scored). */
  readonly range: IndexRange;
  /** One PLANES × count output per pod. */
  readonly outs: readonly SharedArrayBuffer[];
  readonly count: number;
  readonly compute?: number;
}

/** scoreResources for each pod of the batch over `task.range`; returns the feasible count summed over pods. */
export function scoreMany(task: BatchTask): number {
  let feasible = 0;
  for (let p = 0; p < task.pods.length; p++) {
    const base = { nodes: task.nodes, pod: task.pods[p] as PodVector, range: task.range, candidates: null, out: task.outs[p] as SharedArrayBuffer, count: task.count };
    feasible += scoreResources(task.compute === undefined ? base : { ...base, compute: task.compute });
  }
  return feasible;
}
