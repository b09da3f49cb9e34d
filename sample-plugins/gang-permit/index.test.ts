import { afterEach, describe, expect, it } from 'vitest';
import { makeNodeJson } from '../../host/scheduling/builtins/testing.js';
import { Code } from '../../host/scheduling/builtins/types.js';
import { ClusterState, podKey } from '../../host/scheduling/cluster-state.js';
import { dynamicResolver } from '../../host/scheduling/dynamic.js';
import { Framework, goDuration, type Profile, type ScheduleResult } from '../../host/scheduling/framework.js';
import { extractPod } from '../../host/scheduling/pod.js';
import { loadSchedulerConfiguration, SchedulerConfigAPIVersion, SchedulerConfigKind } from '../../host/scheduling/profile.js';
import { SnapshotFeeder } from '../../host/scheduling/snapshot-feed.js';
import { CLI, cleanup, spawnNode, startHost, waitFor, type PluginProcess } from '../../test/helpers.js';
import { v1Pod } from '../../test/kube-bodies.js';

afterEach(cleanup);

const WAIT_MS = 1500;

/** The host framework with gang-permit (a real `plugd serve` process) beside the built-ins, over three 4-cpu nodes. */
async function gangFramework(): Promise<{ fw: Framework; cluster: ClusterState; plugin: PluginProcess }> {
  const { host, socketDir } = await startHost({ admin: false });
  const plugin = spawnNode(CLI, ['serve', 'sample-plugins/gang-permit', '--socket-dir', socketDir], { GANG_PERMIT_WAIT_MS: String(WAIT_MS) });
  expect(await host.waitForPlugin('gang-permit', 15_000)).toMatchObject({ type: 'SchedulerPlugin', version: 'v1', healthy: true });
  const doc = { apiVersion: SchedulerConfigAPIVersion, kind: SchedulerConfigKind, profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'gang-permit' }] } } }] };
  const profile = loadSchedulerConfiguration(doc, { resolve: dynamicResolver(host, new SnapshotFeeder(host)) }).profiles[0] as Profile;
  expect(profile.permit.map((p) => p.name)).toContain('gang-permit');
  expect(profile.reserve.map((p) => p.name)).toContain('gang-permit');
  const cluster = new ClusterState();
  for (const n of ['n1', 'n2', 'n3']) cluster.addNode(makeNodeJson(n, { cpu: '4', memory: '8Gi', pods: '110' }));
  return { fw: new Framework(profile, cluster, { seed: 1 }), cluster, plugin };
}

const member = (name: string, group: string, min: number) =>
  v1Pod(name, { cpu: '500m' }, { labels: { 'pod-group.scheduling.sigs.k8s.io/name': group, 'pod-group.scheduling.sigs.k8s.io/min-available': String(min) } });

/** Runs the scheduling cycle (as kube does, not waiting for the binding cycle); `done` is the binding's outcome. */
async function start(fw: Framework, pod: Record<string, unknown>): Promise<{ done: Promise<ScheduleResult> }> {
  return fw.scheduleCycle(extractPod(pod), pod);
}

describe('gang-permit sample', () => {
  it('holds members at Permit until min-available arrived, then binds them all', async () => {
    const { fw, cluster } = await gangFramework();
    const a = (await start(fw, member('train-0', 'train', 3))).done;
    const b = (await start(fw, member('train-1', 'train', 3))).done;
    await waitFor(() => fw.waitingPods().length === 2, 'two members held at Permit');
    expect(fw.waitingPods().map((w) => w.pending)).toEqual([['gang-permit'], ['gang-permit']]);
    expect(cluster.pod(podKey(extractPod(member('train-0', 'train', 3))))?.phase).toBe('assumed');

    // A pod outside any group is not held.
    expect((await (await start(fw, v1Pod('solo', { cpu: '100m' }))).done).node).not.toBeNull();

    const c = (await start(fw, member('train-2', 'train', 3))).done;
    const results = await Promise.all([a, b, c]);
    expect(results.map((r) => r.status.code)).toEqual([Code.Success, Code.Success, Code.Success]);
    for (const r of results) expect(cluster.pod(podKey(extractPod(member(r.pod.split('/')[1]!, 'train', 3))))?.phase).toBe('bound');
    expect(fw.waitingPods()).toEqual([]);
  });

  it('the wait timing out rejects the group: every member unreserved, nothing left assumed', async () => {
    const { fw, cluster } = await gangFramework();
    const started = Date.now();
    const results = await Promise.all([(await start(fw, member('late-0', 'late', 3))).done, (await start(fw, member('late-1', 'late', 3))).done]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_MS - 50);
    for (const r of results) {
      expect(r.node).toBeNull();
      expect(r.status).toMatchObject({ code: Code.Unschedulable, plugin: 'gang-permit' });
    }
    // The first member's timer fires; its Unreserve rejects the sibling (or the sibling's own timer does).
    expect(results[0]!.message).toMatch(new RegExp(`rejected due to timeout after waiting ${goDuration(WAIT_MS)} at plugin gang-permit`));
    expect(results[1]!.message).toMatch(/member default\/late-0 was unreserved, rejecting the waiting members|rejected due to timeout/);
    for (const n of ['late-0', 'late-1']) expect(cluster.pod(podKey(extractPod(member(n, 'late', 3))))).toBeUndefined();
  });

  it('one member unreserved (rejected from outside) rejects its waiting siblings at once', async () => {
    const { fw, cluster } = await gangFramework();
    const x = (await start(fw, member('x', 'pair', 3))).done;
    const y = (await start(fw, member('y', 'pair', 3))).done;
    await waitFor(() => fw.waitingPods().length === 2, 'two members held at Permit');
    const started = Date.now();
    fw.waitingPod(podKey(extractPod(member('x', 'pair', 3))))!.reject('Preemption', 'preempted by a higher-priority pod');
    const [rx, ry] = await Promise.all([x, y]);
    expect(rx.status).toMatchObject({ code: Code.Unschedulable, plugin: 'Preemption', reasons: ['preempted by a higher-priority pod'] });
    expect(ry.status).toMatchObject({ code: Code.Unschedulable, plugin: 'gang-permit', reasons: ['pod group default/pair: member default/x was unreserved, rejecting the waiting members'] });
    expect(Date.now() - started).toBeLessThan(WAIT_MS); // not by the timeout
    expect(cluster.pod(podKey(extractPod(member('y', 'pair', 3))))).toBeUndefined();
  });

  it('the plugin dying while members wait: its failure policy (Fail) rejects them, naming it, before the timeout', async () => {
    const { fw, cluster, plugin } = await gangFramework();
    const a = (await start(fw, member('d-0', 'doomed', 3))).done;
    const b = (await start(fw, member('d-1', 'doomed', 3))).done;
    await waitFor(() => fw.waitingPods().length === 2, 'two members held at Permit');
    const started = Date.now();
    plugin.kill('SIGKILL');
    for (const r of await Promise.all([a, b])) {
      expect(r.status).toMatchObject({ code: Code.Unschedulable, plugin: 'gang-permit' });
      expect(r.message).toMatch(/plugin gang-permit.*WaitOnPermit.*failurePolicy Fail/);
    }
    expect(Date.now() - started).toBeLessThan(WAIT_MS);
    expect(cluster.pod(podKey(extractPod(member('d-0', 'doomed', 3))))).toBeUndefined();
  });

  it('refuses a malformed min-available label with a reason naming it', async () => {
    const { fw } = await gangFramework();
    const r = await (await start(fw, member('odd', 'odd', 0))).done;
    expect(r.status).toMatchObject({ code: Code.Unschedulable, plugin: 'gang-permit' });
    expect(r.message).toMatch(/pod-group\.scheduling\.sigs\.k8s\.io\/min-available: "0" is not a positive integer/);
  });
});
