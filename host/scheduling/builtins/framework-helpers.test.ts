import { describe, expect, it } from 'vitest';
import { defaultNormalizeScore, numFeasibleNodesToFind } from './framework-helpers.js';
import { MaxNodeScore } from './types.js';

// pkg/scheduler/framework/plugins/helper/normalize_score_test.go, TestDefaultNormalizeScore.
describe('DefaultNormalizeScore (normalize_score_test.go)', () => {
  it.each([
    [false, [1, 2, 3, 4], [25, 50, 75, 100]],
    [true, [1, 2, 3, 4], [75, 50, 25, 0]],
    [false, [1000, 10, 20, 30], [100, 1, 2, 3]],
    [true, [1000, 10, 20, 30], [0, 99, 98, 97]],
    [false, [1, 1, 1, 1], [100, 100, 100, 100]],
    [false, [1000, 1, 1, 1], [100, 0, 0, 0]],
    [true, [0, 1, 1, 1], [100, 0, 0, 0]],
  ] as const)('reverse=%s %j → %j', (reverse, scores, expected) => {
    const got = [...scores];
    defaultNormalizeScore(MaxNodeScore, reverse, got);
    expect(got).toEqual(expected);
  });

  it('normalizes a typed-array column in place', () => {
    const col = new Int32Array([0, 3, 6]);
    defaultNormalizeScore(MaxNodeScore, false, col);
    expect([...col]).toEqual([0, 50, 100]);
  });

  it('leaves all-zero scores alone, or makes them all max when reversed', () => {
    const a = [0, 0];
    defaultNormalizeScore(MaxNodeScore, false, a);
    expect(a).toEqual([0, 0]);
    defaultNormalizeScore(MaxNodeScore, true, a);
    expect(a).toEqual([100, 100]);
  });
});

// pkg/scheduler/schedule_one_test.go, TestNumFeasibleNodesToFind.
describe('numFeasibleNodesToFind (schedule_one_test.go)', () => {
  it.each([
    ['not set percentageOfNodesToScore and nodes number not more than 50', 0, 10, 10],
    ['set percentageOfNodesToScore and nodes number not more than 50', 40, 10, 10],
    ['not set percentageOfNodesToScore and nodes number more than 50', 0, 1000, 420],
    ['set percentageOfNodesToScore and nodes number more than 50', 40, 1000, 400],
    ['not set percentageOfNodesToScore and nodes number more than 50*125', 0, 6000, 300],
    ['set percentageOfNodesToScore and nodes number more than 50*125', 40, 6000, 2400],
  ] as const)('%s', (_name, percentage, numAllNodes, want) => {
    expect(numFeasibleNodesToFind(numAllNodes, percentage)).toBe(want);
  });

  it('follows DESIGN.md §3 at the edges: all below 100, never under 100, adaptive floor 5%', () => {
    expect(numFeasibleNodesToFind(99)).toBe(99);
    expect(numFeasibleNodesToFind(100)).toBe(100);
    expect(numFeasibleNodesToFind(150, 10)).toBe(100);
    expect(numFeasibleNodesToFind(5000)).toBe(500); // 50 − 40 = 10%
    expect(numFeasibleNodesToFind(100000)).toBe(5000); // floor at 5%
    expect(numFeasibleNodesToFind(500, 30)).toBe(150);
    expect(numFeasibleNodesToFind(2000, 100)).toBe(2000);
  });
});
