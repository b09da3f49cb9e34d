/**
 * ResourceScorer: the main-thread side of built-in resource scoring over NodeColumns. Per pod,
 * it turns the pod and the configured scorers into number vectors (PodVector), cuts the
 * candidates into chunks and runs score-worker.ts's scoreResources on them: in the worker pool
 * for large clusters, on the calling thread (inlineModule, same code) for small ones or when
 * there is no pool. One dispatch per pod covers NodeResourcesFit's filter and strategy,
 * BalancedAllocation and NodeUnschedulable; results come back as byte planes in shared memory.
 */
import { inlineModule, workerFile, type WorkerModule, type WorkerPool } from '../pool/index.js';
import {
  balancedAllocationPreScore,
  compileBalancedAllocation,
  compileScoringStrategy,
  fitPodRequest,
  podScoringRequests,
  withScoringDefaults,
  type CompiledScorer,
  type FitFilterArgs,
} from './builtins/fit.js';
import { nodeUnschedulableFilter } from './builtins/taints.js';
import { Code } from './builtins/types.js';
import type { NodeInfo } from './cluster-state.js';
import { NodeColumnsError, type NodeColumns } from './node-columns.js';
import { isExtendedResourceName, isScalarResourceName, ResourceCPU, ResourceEphemeralStorage, ResourceMemory, type PodSchedulingInfo } from './pod.js';
import * as scoreWorker from './score-worker.js';
import { Compute, Plane, PLANES, Source, StrategyId, type FilterVector, type PodVector, type ScorerVector, type StrategyIdValue } from './score-worker.js';

type ScoreWorker = typeof scoreWorker;

/** Below this many candidates a pod is scored on the calling thread: a thread hop costs more. */
export const DEFAULT_INLINE_BELOW = 512;
/** Attempts before giving up on a table that keeps changing under a task. */
const MAX_ATTEMPTS = 3;

export interface ResourceScorerOptions {
  /** Threads to score on; null or absent: the calling thread only. */
  readonly pool?: WorkerPool | null;
  /** NodeResourcesFit's compiled scoringStrategy. Default LeastAllocated over cpu/memory. */
  readonly fit?: CompiledScorer;
  /** NodeResourcesBalancedAllocation's resources. Default cpu/memory. */
  readonly balanced?: CompiledScorer;
  /** NodeResourcesFit's ignoredResources / ignoredResourceGroups. */
  readonly filter?: FitFilterArgs;
  /** Candidates below which 'auto' runs inline. Default 512. */
  readonly inlineBelow?: number;
  /** Chunks per pod in the pool. Default: the pool's threads. */
  readonly chunks?: number;
}

export type ScoreMode = 'auto' | 'pool' | 'inline';

export interface ScoreOptions {
  /** 'auto' (default): pool from `inlineBelow` candidates on; 'pool' needs a pool. */
  readonly mode?: ScoreMode;
  readonly signal?: AbortSignal;
}

/** One pod's results, by candidate position (the order of the candidates given, or row order). */
export interface ResourceScores {
  readonly count: number;
  /** The row of each candidate position; undefined when all rows were scored in row order. */
  readonly rows: Uint32Array | undefined;
  /** NodeResourcesFit Filter: 0 Success, 2 Unschedulable, 3 UnschedulableAndUnresolvable. */
  readonly fitCode: Uint8Array;
  /** NodeUnschedulable Filter: 0 or 3. */
  readonly unschedulableCode: Uint8Array;
  /** NodeResourcesFit Score by the configured strategy, 0..100 (computed for every candidate). */
  readonly fitScore: Uint8Array;
  /** NodeResourcesBalancedAllocation Score, 0..100; all 0 when `balancedSkipped`. */
  readonly balancedScore: Uint8Array;
  /** BalancedAllocation's PreScore returned Skip (the pod requests none of its resources). */
  readonly balancedSkipped: boolean;
  /** Candidates passing both filters. */
  readonly feasible: number;
  /** The NodeColumns generation the results were computed at. */
  readonly generation: number;
  readonly where: 'pool' | 'inline';
}

const STRATEGY_IDS: Readonly<Record<CompiledScorer['type'], StrategyIdValue>> = {
  LeastAllocated: StrategyId.LeastAllocated,
  MostAllocated: StrategyId.MostAllocated,
  RequestedToCapacityRatio: StrategyId.RequestedToCapacityRatio,
  BalancedAllocation: StrategyId.BalancedAllocation,
};

/** fit.ts's isIgnored (module-private there): ignoredResources / ignoredResourceGroups apply to extended resources only. */
function isIgnored(name: string, args: FitFilterArgs): boolean {
  if (!isExtendedResourceName(name)) return false;
  if (args.ignoredResources?.includes(name)) return true;
  const groups = args.ignoredResourceGroups;
  return groups !== undefined && groups.length > 0 && groups.includes(name.split('/')[0] as string);
}

/** fitsRequest's inputs for one pod, against the table's slots. */
export function filterVector(pod: PodSchedulingInfo, columns: NodeColumns, args: FitFilterArgs = {}): FilterVector {
  const request = fitPodRequest(pod);
  const slots: number[] = [];
  const wants: number[] = [];
  let unresolvable = false;
  for (const [name, want] of request) {
    if (want <= 0 || !isScalarResourceName(name) || isIgnored(name, args)) continue;
    const slot = columns.slotOf(name);
    // No node has the resource: capacity 0 everywhere, so want > capacity on every node.
    if (slot === undefined) unresolvable = true;
    else {
      slots.push(slot);
      wants.push(want);
    }
  }
  return {
    cpu: request.get(ResourceCPU) ?? 0,
    memory: request.get(ResourceMemory) ?? 0,
    ephemeral: request.get(ResourceEphemeralStorage) ?? 0,
    slots: Int32Array.from(slots),
    wants: Float64Array.from(wants),
    unresolvable,
  };
}

/** A compiled scorer and the pod's requests as sources into the table (fillAllocatableRequested's choices). */
export function scorerVector(scorer: CompiledScorer, pod: PodSchedulingInfo, columns: NodeColumns): ScorerVector {
  const requests = podScoringRequests(scorer, pod);
  const sources = Int32Array.from(scorer.names, (name, i): number => {
    if (name === ResourceCPU) return Source.Cpu;
    if (name === ResourceMemory) return Source.Memory;
    if (name === ResourceEphemeralStorage) return Source.Ephemeral;
    const slot = columns.slotOf(name);
    return isScalarResourceName(name) && requests[i] !== 0 && slot !== undefined ? Source.Extended + slot : Source.None;
  });
  return {
    strategy: STRATEGY_IDS[scorer.type],
    sources,
    pod: requests,
    weights: scorer.weights,
    useRequested: scorer.useRequested,
    shape: scorer.shape ?? null,
  };
}

/** Score-side counterpart of `scoreNodeResources`' argument check: kube's "resources not found". */
function checkScorer(scorer: CompiledScorer, what: string): CompiledScorer {
  if (scorer.names.length === 0) throw new TypeError(`ResourceScorer: options.${what} has no resources`);
  if (scorer.type === 'RequestedToCapacityRatio' && (scorer.shape === undefined || scorer.shape.utilization.length === 0)) {
    throw new TypeError(`ResourceScorer: options.${what} is RequestedToCapacityRatio without a shape`);
  }
  return scorer;
}

/**
 * Every row's results for several pods, computed in one pool dispatch at one table generation.
 * Rows written after that generation (pods assumed meanwhile) are stale in it: take each pod's
 * results through ResourceScorer.refresh(), which recomputes exactly those rows.
 */
export interface BatchScores {
  readonly pods: readonly PodSchedulingInfo[];
  readonly results: readonly ResourceScores[];
  /** NodeColumns generation and layout generation when the batch was dispatched. */
  readonly generation: number;
  readonly layout: number;
}

export class ResourceScorer {
  readonly columns: NodeColumns;
  readonly #fit: CompiledScorer;
  readonly #balanced: CompiledScorer;
  readonly #filter: FitFilterArgs;
  readonly #inlineBelow: number;
  readonly #chunks: number | undefined;
  readonly #pool: WorkerModule<ScoreWorker> | undefined;
  readonly #inline: WorkerModule<ScoreWorker> = inlineModule(scoreWorker, 'inline:score-worker');

  constructor(columns: NodeColumns, options: ResourceScorerOptions = {}) {
    this.columns = columns;
    this.#fit = checkScorer(options.fit ?? compileScoringStrategy(withScoringDefaults()), 'fit');
    this.#balanced = checkScorer(options.balanced ?? compileBalancedAllocation(), 'balanced');
    if (this.#balanced.type !== 'BalancedAllocation') throw new TypeError('ResourceScorer: options.balanced must come from compileBalancedAllocation');
    this.#filter = options.filter ?? {};
    this.#inlineBelow = options.inlineBelow ?? DEFAULT_INLINE_BELOW;
    if (!Number.isInteger(this.#inlineBelow) || this.#inlineBelow < 0) throw new RangeError(`ResourceScorer: options.inlineBelow must be an integer >= 0, got ${this.#inlineBelow}`);
    this.#chunks = options.chunks;
    this.#pool = options.pool ? options.pool.bind<ScoreWorker>(workerFile('./score-worker.js', import.meta.url)) : undefined;
  }

  /** The pod as the worker sees it, against the table's current slots. */
  podVector(pod: PodSchedulingInfo): PodVector {
    const balancedSkip = balancedAllocationPreScore(this.#balanced, pod).code === Code.Skip;
    return {
      filter: filterVector(pod, this.columns, this.#filter),
      checkUnschedulable: nodeUnschedulableFilter(true, pod.tolerations).code !== Code.Success,
      fit: scorerVector(this.#fit, pod, this.columns),
      balanced: balancedSkip ? null : scorerVector(this.#balanced, pod, this.columns),
    };
  }

  /**
   * score() on the calling thread, synchronously, computing only the planes `compute` names
   * (score-worker.ts Compute; the others read 0): what a scheduling cycle's built-in Filter and
   * Score run below the pool's crossover, without a promise in between.
   */
  scoreInline(pod: PodSchedulingInfo, candidates: readonly (NodeInfo | string)[] | Uint32Array, compute: number = Compute.All): ResourceScores {
    const rows = toSharedRows(candidates, this.columns);
    const count = rows.length;
    const vector = this.podVector(pod);
    const out = new SharedArrayBuffer(PLANES * count);
    const feasible = scoreWorker.scoreResources({ nodes: this.columns.describe(), pod: vector, range: { start: 0, end: count }, candidates: rows, out, count, compute });
    return results_(out, count, rows, vector, feasible, this.columns.generation, 'inline');
  }

  /**
   * Scores every row for each of `pods` in one pool dispatch (chunked by rows over the threads),
   * so a queue of pending pods pays the thread hop once per batch, not once per pod. The table
   * may change while the batch runs (the caller keeps assuming pods): refresh() repairs that.
   */
  async scoreBatch(pods: readonly PodSchedulingInfo[], options: Omit<ScoreOptions, 'mode'> = {}): Promise<BatchScores> {
    const module = this.#pool ?? this.#inline;
    const count = this.columns.length;
    const generation = this.columns.generation;
    const layout = this.columns.layoutGeneration;
    const vectors = pods.map((p) => this.podVector(p));
    const outs = pods.map(() => new SharedArrayBuffer(PLANES * count));
    const chunks = this.#pool === undefined ? 1 : (this.#chunks ?? module.parallelism);
    const runOptions = options.signal === undefined ? { chunks } : { chunks, signal: options.signal };
    await module.runChunks('scoreMany', count, (range) => ({ nodes: this.columns.describe(), pods: vectors, range, outs, count }), runOptions);
    const results = pods.map((_, i) => results_(outs[i] as SharedArrayBuffer, count, null, vectors[i] as PodVector, -1, generation, this.#pool === undefined ? 'inline' : 'pool'));
    return { pods, results, generation, layout };
  }

  /**
   * Pod `i` of a batch as of the table now: the rows written since the batch was dispatched are
   * recomputed here (the whole pod when rows moved or appeared). Equal, byte for byte, to
   * scoreInline() over every row at this moment.
   */
  refresh(batch: BatchScores, i: number): ResourceScores {
    const pod = batch.pods[i] as PodSchedulingInfo;
    const r = batch.results[i] as ResourceScores;
    if (batch.layout !== this.columns.layoutGeneration || r.count !== this.columns.length) {
      const whole = this.scoreInline(pod, Uint32Array.from({ length: this.columns.length }, (_, k) => k));
      return { ...whole, rows: undefined };
    }
    const stale = this.columns.rowsWrittenSince(batch.generation);
    let feasible = 0;
    if (stale.length > 0) {
      const fresh = this.scoreInline(pod, Uint32Array.from(stale));
      for (let k = 0; k < stale.length; k++) {
        const row = stale[k] as number;
        r.fitCode[row] = fresh.fitCode[k] as number;
        r.unschedulableCode[row] = fresh.unschedulableCode[k] as number;
        r.fitScore[row] = fresh.fitScore[k] as number;
        r.balancedScore[row] = fresh.balancedScore[k] as number;
      }
    }
    for (let row = 0; row < r.count; row++) if (r.fitCode[row] === 0 && r.unschedulableCode[row] === 0) feasible++;
    return { ...r, feasible, generation: this.columns.generation };
  }

  /**
   * Filters and scores `pod` on `candidates` (NodeInfos, names or rows of the table; default:
   * every row). The table must hold every candidate and not change until this settles.
   */
  async score(pod: PodSchedulingInfo, candidates?: readonly (NodeInfo | string)[] | Uint32Array, options: ScoreOptions = {}): Promise<ResourceScores> {
    const rows = candidates === undefined ? null : toSharedRows(candidates, this.columns);
    const count = rows === null ? this.columns.length : rows.length;
    const mode = options.mode ?? 'auto';
    if (mode === 'pool' && this.#pool === undefined) throw new TypeError('ResourceScorer.score: mode "pool" needs a pool');
    const inPool = this.#pool !== undefined && (mode === 'pool' || (mode === 'auto' && count >= this.#inlineBelow));
    const module = inPool ? (this.#pool as WorkerModule<ScoreWorker>) : this.#inline;
    const chunks = inPool ? (this.#chunks ?? module.parallelism) : 1;

    for (let attempt = 1; ; attempt++) {
      const generation = this.columns.generation;
      const nodes = this.columns.describe();
      const vector = this.podVector(pod);
      const out = new SharedArrayBuffer(PLANES * count);
      const runOptions = options.signal === undefined ? { chunks } : { chunks, signal: options.signal };
      const feasible = await module.runChunks('scoreResources', count, (range) => ({ nodes, pod: vector, range, candidates: rows, out, count }), runOptions);
      if (this.columns.generation === generation) return results_(out, count, rows, vector, feasible.reduce((a, b) => a + b, 0), generation, inPool ? 'pool' : 'inline');
      if (attempt >= MAX_ATTEMPTS) throw new NodeColumnsError(`node columns changed during scoring ${MAX_ATTEMPTS} times in a row; change them only between scoring tasks`);
    }
  }
}

function results_(out: SharedArrayBuffer, count: number, rows: Uint32Array | null, vector: PodVector, feasible: number, generation: number, where: 'pool' | 'inline'): ResourceScores {
  const plane = (p: number): Uint8Array => new Uint8Array(out, p * count, count);
  return {
    count,
    rows: rows ?? undefined,
    fitCode: plane(Plane.FitCode),
    unschedulableCode: plane(Plane.UnschedulableCode),
    fitScore: plane(Plane.FitScore),
    balancedScore: plane(Plane.BalancedScore),
    balancedSkipped: vector.balanced === null,
    feasible,
    generation,
    where,
  };
}

function toSharedRows(candidates: readonly (NodeInfo | string)[] | Uint32Array, columns: NodeColumns): Uint32Array<SharedArrayBuffer> {
  if (!(candidates instanceof Uint32Array)) return columns.rowsOf(candidates);
  for (let i = 0; i < candidates.length; i++) {
    if ((candidates[i] as number) >= columns.length) throw new RangeError(`candidate row ${candidates[i]} is outside the ${columns.length} nodes`);
  }
  if (candidates.buffer instanceof SharedArrayBuffer) return candidates as Uint32Array<SharedArrayBuffer>;
  const shared = new Uint32Array(new SharedArrayBuffer(candidates.byteLength));
  shared.set(candidates);
  return shared;
}
