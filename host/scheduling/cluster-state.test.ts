import { describe, expect, it } from 'vitest';
import { nodeResources } from './builtins/fit.js';
import { makeNodeJson, makePod } from './builtins/testing.js';
import { ClusterState, ClusterStateError, podKey, type NodeInfo } from './cluster-state.js';
import type { PodSchedulingInfo } from './pod.js';

const node = (name: string, cpu = '4', memory = '8Gi') => makeNodeJson(name, { cpu, memory, pods: '110', 'example.com/foo': '4' });
const pod = (name: string, req: Record<string, string>, nodeName?: string): PodSchedulingInfo => {
  const b = makePod().name(name).req(req);
  if (nodeName !== undefined) b.node(nodeName);
  return b.obj();
};

/** What fit.ts's from-scratch NodeInfo computes for these pods: the incremental totals must equal it. */
function expectMatchesRecompute(info: NodeInfo | undefined, pods: readonly PodSchedulingInfo[]): void {
  expect(info).toBeDefined();
  const want = nodeResources(info!.allocatable, pods);
  expect(Object.fromEntries(info!.requested)).toEqual(Object.fromEntries([...want.requested].filter(([, v]) => v !== 0)));
  expect(info!.nonZeroRequested).toEqual(want.nonZeroRequested);
  expect(info!.podCount).toBe(want.podCount);
}

describe('ClusterState', () => {
  it('keeps requested, non-zero requested and pod counts incrementally through add, assume, bind, forget and remove', () => {
    const s = new ClusterState();
    s.addNode(node('n1'));
    const a = pod('a', { cpu: '500m', memory: '1Gi' }, 'n1');
    const b = makePod().name('b').container().obj(); // no requests: counts 100m / 200Mi non-zero
    const c = pod('c', { cpu: '1', 'example.com/foo': '2' });
    s.addPod(a);
    expectMatchesRecompute(s.node('n1'), [a]);
    s.assume(b, 'n1');
    s.assume(c, 'n1');
    expectMatchesRecompute(s.node('n1'), [a, b, c]);
    expect(s.pod(podKey(b))?.phase).toBe('assumed');
    s.bind(podKey(b));
    expect(s.pod(podKey(b))?.phase).toBe('bound');
    s.forget(podKey(c));
    expectMatchesRecompute(s.node('n1'), [a, b]);
    expect(s.removePod(podKey(a))).toBe(true);
    expectMatchesRecompute(s.node('n1'), [b]);
    expect(s.removePod(podKey(a))).toBe(false);
  });

  it('bumps the generation on every change and hands out immutable snapshots', () => {
    const s = new ClusterState();
    const g0 = s.generation;
    s.addNode(node('n1'));
    s.addNode(node('n2'));
    const snap = s.snapshot();
    expect(snap.generation).toBe(s.generation);
    expect(s.snapshot()).toBe(snap); // cached while nothing changes
    expect(snap.nodes.map((n) => n.name)).toEqual(['n1', 'n2']);
    const before = snap.get('n1');
    const p = pod('p', { cpu: '1' });
    s.assume(p, 'n1');
    expect(s.generation).toBeGreaterThan(snap.generation);
    expect(before?.podCount).toBe(0); // the old snapshot did not move
    expect(s.snapshot().get('n1')?.podCount).toBe(1);
    expect(s.snapshot().get('n2')).toBe(snap.get('n2')); // untouched nodes are shared
    const g1 = s.generation;
    s.forget(podKey(p));
    expect(s.generation).toBeGreaterThan(g1);
    expect(g1).toBeGreaterThan(g0);
  });


  it('builds each snapshot from the last one without disturbing it, through updates, joins and leaves', () => {
    const s = new ClusterState();
    for (const n of ['n1', 'n2', 'n3']) s.addNode(node(n));
    const s1 = s.snapshot();
    s.assume(pod('a', { cpu: '1' }), 'n2');
    const s2 = s.snapshot();
    expect(s2.nodes.map((n) => n.name)).toEqual(['n1', 'n2', 'n3']);
    expect(s2.get('n2')?.podCount).toBe(1);
    expect(s2.nodes[1]).toBe(s2.get('n2'));
    expect(s1.get('n2')?.podCount).toBe(0);
    expect(s1.nodes[1]?.podCount).toBe(0);
    s.removeNode('n1');
    s.addNode(node('n4'));
    const s3 = s.snapshot();
    expect(s3.nodes.map((n) => n.name)).toEqual(['n2', 'n3', 'n4']);
    expect(s3.get('n1')).toBeUndefined();
    expect(s3.get('n4')?.name).toBe('n4');
    // Earlier snapshots keep their own membership and lookups.
    expect(s2.get('n1')?.name).toBe('n1');
    expect(s2.get('n4')).toBeUndefined();
    s.assume(pod('b', { cpu: '1' }), 'n4');
    expect(s.snapshot().get('n4')?.podCount).toBe(1);
    expect(s3.get('n4')?.podCount).toBe(0);
  });
  it('updates a node in place keeping its pods, and keeps pods of a removed node accounted', () => {
    const s = new ClusterState();
    s.addNode(node('n1', '4'));
    const a = pod('a', { cpu: '1' }, 'n1');
    s.addPod(a);
    s.updateNode(node('n1', '8'));
    expect(s.node('n1')?.allocatable.get('cpu')).toBe(8000);
    expectMatchesRecompute(s.node('n1'), [a]);
    expect(s.removeNode('n1')).toBe(true);
    expect(s.node('n1')).toBeUndefined();
    expect(s.snapshot().nodes).toEqual([]);
    s.addNode(node('n1', '2')); // the node comes back: its pod is still there
    expectMatchesRecompute(s.node('n1'), [a]);
    expect(s.removeNode('nope')).toBe(false);
  });

  it('accounts pods bound to a node it has not seen yet', () => {
    const s = new ClusterState();
    const a = pod('a', { cpu: '1' }, 'later');
    s.addPod(a);
    expect(s.snapshot().nodes).toEqual([]);
    s.addNode(node('later'));
    expectMatchesRecompute(s.node('later'), [a]);
  });

  it.each([
    ['adding a pending pod as running', (s: ClusterState) => s.addPod(pod('x', { cpu: '1' }))],
    ['assuming a pod twice', (s: ClusterState) => {
      const p = pod('x', { cpu: '1' });
      s.assume(p, 'n1');
      s.assume(p, 'n1');
    }],
    ['binding a pod that was never assumed', (s: ClusterState) => s.bind('nope')],
    ['forgetting a bound pod', (s: ClusterState) => {
      const p = pod('x', { cpu: '1' }, 'n1');
      s.addPod(p);
      s.forget(podKey(p));
    }],
  ])('refuses %s with a coded error', (_name, act) => {
    const s = new ClusterState();
    s.addNode(node('n1'));
    try {
      act(s);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ClusterStateError);
      expect((err as ClusterStateError).code).toBe('PLUGD_ERR_CLUSTER_STATE');
    }
  });
});
