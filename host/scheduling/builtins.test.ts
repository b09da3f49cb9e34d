import { describe, expect, it } from 'vitest';
import {
  balancedAllocation,
  Code,
  compileBalancedAllocation,
  compileScoringStrategy,
  extractNode,
  leastAllocated,
  nodeResources,
  scoreNodeResources,
  withScoringDefaults,
} from './builtins.js';
import { extractPod } from './pod.js';

// DESIGN.md §3, "Public cases (cpu milli, memory bytes)".
describe('DESIGN.md §3 public cases', () => {
  const req = [3000, 5000];

  it('LeastAllocated: pod (3000, 5000) on empty nodes (4000, 10000) and (6000, 10000) → 37 and 50', () => {
    expect(leastAllocated(req, [4000, 10000], [1, 1])).toBe(37);
    expect(leastAllocated(req, [6000, 10000], [1, 1])).toBe(50);
  });

  it('BalancedAllocation: same pod and nodes → 87 and 100', () => {
    expect(balancedAllocation(req, [4000, 10000])).toBe(87);
    expect(balancedAllocation(req, [6000, 10000])).toBe(100);
  });

  it('the same cases from v1 JSON, through extractPod/extractNode and the object wrappers', () => {
    const pod = extractPod({
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', resources: { requests: { cpu: '3', memory: '5000' } } }] },
    });
    const node = (cpu: string) =>
      extractNode({ metadata: { name: `n${cpu}` }, status: { allocatable: { cpu, memory: '10000', pods: '110' } } });
    const least = compileScoringStrategy(withScoringDefaults());
    const balanced = compileBalancedAllocation();
    const nodes = [node('4'), node('6')].map((n) => nodeResources(n.allocatable, []));
    for (const n of nodes) expect(n.allocatable.get('pods')).toBe(110);
    for (const [scorer, want] of [
      [least, [37, 50]],
      [balanced, [87, 100]],
    ] as const) {
      const results = nodes.map((n) => scoreNodeResources(scorer, pod, n));
      expect(results.map((r) => r.status.code)).toEqual([Code.Success, Code.Success]);
      expect(results.map((r) => r.score)).toEqual(want);
    }
  });
});

describe('extractNode', () => {
  it('reads labels, taints, unschedulable and allocatable as NodeInfo keeps it', () => {
    const n = extractNode({
      metadata: { name: 'w1', labels: { zone: 'a' } },
      spec: { unschedulable: true, taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] },
      status: { allocatable: { cpu: '3900m', memory: '15Gi', pods: '110', 'ephemeral-storage': '100G', 'nvidia.com/gpu': '4', storage: '1' } },
    });
    expect(n.name).toBe('w1');
    expect(n.labels).toEqual({ zone: 'a' });
    expect(n.unschedulable).toBe(true);
    expect(n.taints).toEqual([{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]);
    expect(Object.fromEntries(n.allocatable)).toEqual({
      cpu: 3900,
      memory: 15 * 1024 ** 3,
      pods: 110,
      'ephemeral-storage': 100e9,
      'nvidia.com/gpu': 4,
    });
  });

  it('names the path of a malformed allocatable quantity', () => {
    expect(() => extractNode({ status: { allocatable: { cpu: 'four' } } })).toThrow(/^status\.allocatable\.cpu: invalid quantity "four"/);
  });
});
