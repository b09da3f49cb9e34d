/**
 * The extender's bind verb and Permit: a pod held at Permit (a gang member waiting for its
 * sibling) must not stop the door from taking the sibling's bind, as kube-scheduler sends its
 * binds concurrently from its binding goroutines.
 */
import { describe, expect, it } from 'vitest';
import { makeNodeJson, makePod } from '../scheduling/builtins/testing.js';
import { Code, status } from '../scheduling/builtins/types.js';
import { ClusterState, podKey } from '../scheduling/cluster-state.js';
import { type PermitPlugin, type WaitingPodHandle } from '../scheduling/framework.js';
import { defaultProfile } from '../scheduling/profile.js';
import { extenderDoor } from './extender.js';

/** Holds every pod until `size` pods are held, then allows them all (a gang of `size`). */
function gangOf(size: number): PermitPlugin {
  const held: WaitingPodHandle[] = [];
  return {
    name: 'Gang',
    permit: () => ({ status: status(Code.Wait), timeoutMs: 60_000 }),
    waitOnPermit: (_ctx, _node, waiting) => {
      held.push(waiting);
      if (held.length >= size) for (const w of held.splice(0)) w.allow('Gang');
    },
  };
}

describe('extender bind with a Permit plugin that waits', () => {
  it('binds a gang of two whose binds arrive one after the other, the first held until the second', async () => {
    const cluster = new ClusterState();
    cluster.addNode(makeNodeJson('n1', { cpu: '4', memory: '8Gi', pods: '110' }));
    const profile = { ...defaultProfile(), permit: [gangOf(2)] };
    const door = extenderDoor(profile, { cluster });
    const pods = ['a', 'b'].map((n) => makePod().name(n).req({ cpu: '100m' }).json());
    for (const p of pods) expect((await door.filter({ Pod: p, Nodes: null, NodeNames: ['n1'] })).NodeNames).toEqual(['n1']);

    const meta = (p: Record<string, unknown>) => p.metadata as { name: string; namespace: string; uid: string };
    const first = door.bind({ PodName: meta(pods[0]!).name, PodNamespace: meta(pods[0]!).namespace, PodUID: meta(pods[0]!).uid, Node: 'n1' });
    let firstDone = false;
    void first.then(() => (firstDone = true));
    await new Promise((r) => setImmediate(r));
    expect(firstDone).toBe(false);
    const second = door.bind({ PodName: meta(pods[1]!).name, PodNamespace: meta(pods[1]!).namespace, PodUID: meta(pods[1]!).uid, Node: 'n1' });
    expect(await Promise.all([first, second])).toEqual([{ Error: '' }, { Error: '' }]);
    for (const p of pods) expect(cluster.pod(podKey({ uid: meta(p).uid, namespace: meta(p).namespace, name: meta(p).name }))?.phase).toBe('bound');
  });
});
