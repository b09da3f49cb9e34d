/**
 * Framework-level arithmetic the built-ins rely on: helper.DefaultNormalizeScore and the
 * scheduler's numFeasibleNodesToFind (DESIGN.md §3), integer maths as kube's int64/int32.
 * Imports nothing, so the pool's thread side can use it alone.
 */

/** A score column: a plain array or any typed array. */
export interface MutableScores {
  readonly length: number;
  [index: number]: number;
}

/**
 * helper.DefaultNormalizeScore, in place: scores become maxPriority·score/max (truncated),
 * then maxPriority − that when `reverse`; all zero scores become maxPriority when reversed.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: MutableScores): void {
  let maxCount = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (s > maxCount) maxCount = s;
  }
  if (maxCount === 0) {
    if (reverse) for (let i = 0; i < scores.length; i++) scores[i] = maxPriority;
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const x = maxPriority * (scores[i] as number);
    let score = (x - (x % maxCount)) / maxCount;
    if (reverse) score = maxPriority - score;
    scores[i] = score;
  }
}

/** minFeasibleNodesToFind: below this many nodes every node is checked. */
export const MinFeasibleNodesToFind = 100;
/** minFeasibleNodesPercentageToFind: the adaptive percentage never goes below this. */
export const MinFeasibleNodesPercentageToFind = 5;
/** DefaultPercentageOfNodesToScore: 0 means adaptive. */
export const DefaultPercentageOfNodesToScore = 0;

/**
 * numFeasibleNodesToFind: all nodes below 100; else p = percentageOfNodesToScore or, when 0,
 * max(5, 50 − N/125); k = max(N·p/100, 100).
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = DefaultPercentageOfNodesToScore): number {
  if (numAllNodes < MinFeasibleNodesToFind) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MinFeasibleNodesPercentageToFind) percentage = MinFeasibleNodesPercentageToFind;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < MinFeasibleNodesToFind ? MinFeasibleNodesToFind : numNodes;
}
