/**
 * The NodeResourcesFit scoring strategies and NodeResourcesBalancedAllocation as pure functions
 * over plain numbers, one node at a time, allocating nothing: a worker can run them straight
 * over typed-array columns. Integer maths as kube-scheduler's int64 code
 * (pkg/scheduler/framework/plugins/noderesources), exact for every value below 2^53.
 *
 * Each function takes, per resource i of the configured list: requested[i] (the node's
 * requests including the incoming pod) and allocatable[i]. A resource whose allocatable is 0
 * is skipped, which is also how kube leaves out an extended resource the pod does not request.
 * This module imports nothing, so the pool's thread side can load it alone.
 */

const MAX_NODE_SCORE = 100;
const MAX_UTILIZATION = 100;
// config.MaxCustomPriorityScore → MaxNodeScore.
const SHAPE_SCORE_FACTOR = 10;

/** floor(a × m / c) for 0 ≤ a, 0 < c, exactly (Go int64 division on non-negative operands). */
function mulDivFloor(a: number, m: number, c: number): number {
  const x = a * m;
  if (x <= Number.MAX_SAFE_INTEGER) return (x - (x % c)) / c;
  return Number((BigInt(a) * BigInt(m)) / BigInt(c));
}

/** Go's truncated integer division of two safe integers. */
function quo(a: number, b: number): number {
  return (a - (a % b)) / b;
}

/** leastRequestedScore: (capacity − requested)·100/capacity; 0 when capacity is 0 or exceeded. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return mulDivFloor(capacity - requested, MAX_NODE_SCORE, capacity);
}

/** mostRequestedScore: min(requested, capacity)·100/capacity; 0 when capacity is 0. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return mulDivFloor(requested > capacity ? capacity : requested, MAX_NODE_SCORE, capacity);
}

/** Σ score_i·w_i / Σ w_i over resources with allocatable > 0 (integer division), kube's resource-scorer fold. */
function weightedScore(
  requested: ArrayLike<number>,
  allocatable: ArrayLike<number>,
  weights: ArrayLike<number>,
  perResource: (requested: number, capacity: number) => number,
): number {
  let nodeScore = 0;
  let weightSum = 0;
  for (let i = 0; i < requested.length; i++) {
    const alloc = allocatable[i] as number;
    if (alloc === 0) continue;
    const w = weights[i] as number;
    nodeScore += perResource(requested[i] as number, alloc) * w;
    weightSum += w;
  }
  return weightSum === 0 ? 0 : quo(nodeScore, weightSum);
}

/** LeastAllocated: Σ score_i·w_i / Σ w_i over resources with allocatable > 0 (integer division). */
export function leastAllocated(requested: ArrayLike<number>, allocatable: ArrayLike<number>, weights: ArrayLike<number>): number {
  return weightedScore(requested, allocatable, weights, leastRequestedScore);
}

/** MostAllocated: Σ score_i·w_i / Σ w_i over resources with allocatable > 0 (integer division). */
export function mostAllocated(requested: ArrayLike<number>, allocatable: ArrayLike<number>, weights: ArrayLike<number>): number {
  return weightedScore(requested, allocatable, weights, mostRequestedScore);
}

/** A RequestedToCapacityRatio shape, already scaled to 0..100 scores (helper.FunctionShape). */
export interface FunctionShape {
  readonly utilization: ArrayLike<number>;
  readonly score: ArrayLike<number>;
}

/** A config point: utilization 0..100, score 0..10 (config.UtilizationShapePoint). */
export interface UtilizationShapePoint {
  readonly utilization: number;
  readonly score: number;
}

/** requestedToCapacityRatioScorer's shape: scores ×(MaxNodeScore/MaxCustomPriorityScore). */
export function compileShape(points: readonly UtilizationShapePoint[]): FunctionShape {
  const utilization = new Int32Array(points.length);
  const score = new Int32Array(points.length);
  points.forEach((p, i) => {
    utilization[i] = p.utilization;
    score[i] = p.score * SHAPE_SCORE_FACTOR;
  });
  return { utilization, score };
}

/**
 * helper.BuildBrokenLinearFunction evaluated at p: shape.score[0] below the first point,
 * the last score above the last, linear (Go-truncated) in between.
 */
export function brokenLinear(shape: FunctionShape, p: number): number {
  const n = shape.utilization.length;
  for (let i = 0; i < n; i++) {
    const u = shape.utilization[i] as number;
    if (p <= u) {
      if (i === 0) return shape.score[0] as number;
      const u0 = shape.utilization[i - 1] as number;
      const s0 = shape.score[i - 1] as number;
      const s1 = shape.score[i] as number;
      return s0 + quo((s1 - s0) * (p - u0), u - u0);
    }
  }
  return shape.score[n - 1] as number;
}

/** The per-resource RequestedToCapacityRatio score: shape(requested·100/capacity), shape(100) when full. */
export function requestedToCapacityRatioResourceScore(shape: FunctionShape, requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return brokenLinear(shape, MAX_UTILIZATION);
  return brokenLinear(shape, mulDivFloor(requested, MAX_UTILIZATION, capacity));
}

/**
 * RequestedToCapacityRatio: round(Σ score_i·w_i / Σ w_i) over resources with allocatable > 0
 * and a positive score (kube drops zero scores from both sums).
 */
export function requestedToCapacityRatio(
  requested: ArrayLike<number>,
  allocatable: ArrayLike<number>,
  weights: ArrayLike<number>,
  shape: FunctionShape,
): number {
  let nodeScore = 0;
  let weightSum = 0;
  for (let i = 0; i < requested.length; i++) {
    const alloc = allocatable[i] as number;
    if (alloc === 0) continue;
    const s = requestedToCapacityRatioResourceScore(shape, requested[i] as number, alloc);
    if (s > 0) {
      const w = weights[i] as number;
      nodeScore += s * w;
      weightSum += w;
    }
  }
  // Go's math.Round (half away from zero) equals Math.round for these non-negative values.
  return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
}

/**
 * NodeResourcesBalancedAllocation (float64, as kube): f_i = min(requested_i/allocatable_i, 1)
 * over resources with allocatable > 0; std = |f0 − f1|/2 for two, population std for more,
 * 0 for fewer; score = trunc((1 − std)·100). `requested` holds raw requests (not non-zero).
 */
export function balancedAllocation(requested: ArrayLike<number>, allocatable: ArrayLike<number>): number {
  let count = 0;
  let total = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < requested.length; i++) {
    const alloc = allocatable[i] as number;
    if (alloc === 0) continue;
    let f = (requested[i] as number) / alloc;
    if (f > 1) f = 1;
    total += f;
    if (count === 0) first = f;
    else if (count === 1) second = f;
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((first - second) / 2);
  } else if (count > 2) {
    // Second pass recomputes the same fractions in the same order, so the sum is bit-identical.
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      const alloc = allocatable[i] as number;
      if (alloc === 0) continue;
      let f = (requested[i] as number) / alloc;
      if (f > 1) f = 1;
      sum = sum + (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
