/**
 * The informers' handlers on a ClusterState, without a server: how pods the scheduler assumed
 * meet the API server's view of them, including the race where the informer confirms a binding
 * while the framework's Bind plugin is still running.
 */
import { describe, expect, it } from 'vitest';
import { status, SUCCESS, Code } from '../scheduling/builtins/types.js';
import { ClusterState } from '../scheduling/cluster-state.js';
import { Framework, type BindPlugin, type Profile } from '../scheduling/framework.js';
import { extractPod } from '../scheduling/pod.js';
import { nodeObject, podObject, type Obj } from '../../test/fixtures/kube/apiserver.js';
import { NodeFeed, PodFeed } from './cluster-feed.js';

function profile(bind: BindPlugin): Profile {
  return { schedulerName: 'default-scheduler', percentageOfNodesToScore: 0, preFilter: [], filter: [], postFilter: [], preScore: [], score: [], reserve: [], permit: [], preBind: [], bind: [bind], postBind: [] };
}

function setup(): { cluster: ClusterState; pods: PodFeed } {
  const cluster = new ClusterState();
  const nodes = new NodeFeed(cluster);
  for (const n of ['node-a', 'node-b']) nodes.upsert(nodeObject(n));
  return { cluster, pods: new PodFeed(cluster) };
}

function boundTo(p: Obj, nodeName: string): Obj {
  return { ...structuredClone(p), spec: { ...(p.spec as object), nodeName }, status: { phase: 'Running' } };
}

describe('PodFeed and the scheduler', () => {
  it('the informer confirming a binding while Bind still runs: the cycle succeeds and the pod is bound once', async () => {
    const { cluster, pods } = setup();
    const p = podObject('racy', { cpu: '1' });
    const bind: BindPlugin = {
      name: 'ApiBinder',
      // As a real binder: POST the Binding; the API server's MODIFIED event arrives before the call returns.
      bind: (_ctx, nodeName) => {
        pods.upsert(boundTo(p, nodeName));
        return SUCCESS;
      },
    };
    const r = await new Framework(profile(bind), cluster).bindPod(extractPod(p), 'node-a');
    expect(r.code).toBe(Code.Success);
    expect(cluster.pod(String(p.metadata.uid))).toMatchObject({ phase: 'bound', nodeName: 'node-a' });
    expect(cluster.node('node-a')!.podCount).toBe(1);
    expect(cluster.node('node-a')!.requested.get('cpu')).toBe(1000);
  });

  it('a failed Bind after the informer saw the pod elsewhere leaves the API server\'s placement', async () => {
    const { cluster, pods } = setup();
    const p = podObject('elsewhere', { cpu: '1' });
    const bind: BindPlugin = {
      name: 'Loser',
      bind: () => {
        pods.upsert(boundTo(p, 'node-b'));
        return status(Code.Error, 'conflict: pod already bound');
      },
    };
    const r = await new Framework(profile(bind), cluster).bindPod(extractPod(p), 'node-a');
    expect(r.code).toBe(Code.Error);
    expect(cluster.pod(String(p.metadata.uid))).toMatchObject({ phase: 'bound', nodeName: 'node-b' });
    expect(cluster.node('node-a')!.podCount).toBe(0);
  });

  it('a status-only update of a bound pod leaves the generation alone; a resize re-accounts it', () => {
    const { cluster, pods } = setup();
    const p = podObject('web', { nodeName: 'node-a', cpu: '500m' });
    pods.upsert(p);
    const gen = cluster.generation;
    const restarted = structuredClone(p);
    ((restarted.status as { containerStatuses: Array<Record<string, unknown>> }).containerStatuses[0]!)['restartCount'] = 3;
    pods.upsert(restarted);
    expect(cluster.generation).toBe(gen);
    pods.upsert(podObject('web', { nodeName: 'node-a', cpu: '2', uid: String(p.metadata.uid) }));
    expect(cluster.generation).toBeGreaterThan(gen);
    expect(cluster.node('node-a')!.requested.get('cpu')).toBe(2000);
    expect(cluster.counts().pods).toBe(1);
  });

  it('a pending pod the scheduler assumed is left to the scheduler; its deletion removes it', () => {
    const { cluster, pods } = setup();
    const p = podObject('queued', { cpu: '1' });
    cluster.assume(extractPod(p), 'node-b');
    pods.upsert(p);
    expect(cluster.pod(String(p.metadata.uid))?.phase).toBe('assumed');
    pods.remove(p);
    expect(cluster.pod(String(p.metadata.uid))).toBeUndefined();
    expect(cluster.node('node-b')!.podCount).toBe(0);
  });
});
