/**
 * Dynamic v1 scheduling plugins in a profile beside the built-ins, over real plugin processes:
 * the gpu-binpack sample, and an SDK fixture that drops its snapshot to drive resyncs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlugdHost } from '../host/host.js';
import { makeNodeJson, makePod } from '../host/scheduling/builtins/testing.js';
import { Code } from '../host/scheduling/builtins/types.js';
import { ClusterState } from '../host/scheduling/cluster-state.js';
import { DynamicSchedulerPlugin, dynamicResolver } from '../host/scheduling/dynamic.js';
import { Framework, type Profile } from '../host/scheduling/framework.js';
import { loadSchedulerConfiguration, SchedulerConfigAPIVersion, SchedulerConfigKind } from '../host/scheduling/profile.js';
import { SnapshotFeeder } from '../host/scheduling/snapshot-feed.js';
import { cleanup, dist, fixtureEvents, metricValue, servePluginProcess, spawnNode, startHost, waitFor } from './helpers.js';

afterEach(cleanup);

const GPU = 'nvidia.com/gpu';
const AMNESIAC = dist('test/fixtures/scheduling-amnesiac.ts');

function profileWith(host: PlugdHost, feeder: SnapshotFeeder, plugin: string, plugins: Record<string, unknown> = {}): Profile {
  const doc = {
    apiVersion: SchedulerConfigAPIVersion,
    kind: SchedulerConfigKind,
    profiles: [{ plugins: { multiPoint: { enabled: [{ name: plugin }] }, ...plugins } }],
  };
  return loadSchedulerConfiguration(doc, { resolve: dynamicResolver(host, feeder) }).profiles[0] as Profile;
}

/** cpu-only; gpu-a with 3 of 4 GPUs taken; gpu-b with 4 free. */
function gpuCluster(): ClusterState {
  const c = new ClusterState();
  const base = { cpu: '16', memory: '64Gi', pods: '110' };
  c.addNode(makeNodeJson('cpu-only', base));
  c.addNode(makeNodeJson('gpu-a', { ...base, [GPU]: '4' }));
  c.addNode(makeNodeJson('gpu-b', { ...base, [GPU]: '4' }));
  c.addPod(makePod().name('trainer').node('gpu-a').req({ cpu: '1', [GPU]: '3' }).obj());
  return c;
}

function plainCluster(): ClusterState {
  const c = new ClusterState();
  for (const n of ['n1', 'n2', 'n3']) c.addNode(makeNodeJson(n, { cpu: '4', memory: '8Gi', pods: '110' }));
  return c;
}

const gpuPod = (name: string, gpus: number) => {
  const b = makePod().name(name).req({ cpu: '100m', [GPU]: String(gpus) });
  return { info: b.obj(), json: b.json() };
};

async function withGpuBinpack(config: Record<string, unknown> = {}) {
  const t = await startHost({ config });
  const proc = servePluginProcess('sample-plugins/gpu-binpack', t.socketDir);
  await t.host.waitForPlugin('gpu-binpack', 15_000);
  const feeder = new SnapshotFeeder(t.host);
  return { ...t, proc, feeder };
}

describe('dynamic v1 plugins in a profile beside the built-ins', () => {
  it('gpu-binpack filters and scores: GPU pods land where it allows, node state sent once then as deltas', async () => {
    const { host, feeder } = await withGpuBinpack();
    // Without NodeResourcesFit's filter, only gpu-binpack knows that gpu-a has one GPU left.
    const profile = profileWith(host, feeder, 'gpu-binpack', { filter: { disabled: [{ name: 'NodeResourcesFit' }] } });
    const dyn = profile.filter.find((p) => p.name === 'gpu-binpack');
    expect(dyn).toBeInstanceOf(DynamicSchedulerPlugin);
    expect(profile.postFilter).toHaveLength(0); // the sample lists Filter and Score only
    expect(profile.score.find((s) => s.plugin.name === 'gpu-binpack')?.weight).toBe(2); // its Capabilities.weight
    const fw = new Framework(profile, gpuCluster(), { seed: 1 });

    const two = gpuPod('two-gpus', 2);
    const r1 = await fw.scheduleOne(two.info, two.json);
    expect(r1.node).toBe('gpu-b');
    expect(r1.filtered.get('gpu-a')).toMatchObject({ code: Code.Unschedulable, plugin: 'gpu-binpack', reasons: [`Insufficient ${GPU} (1 free, 2 requested)`] });
    expect(r1.filtered.get('cpu-only')).toMatchObject({ plugin: 'gpu-binpack' });

    // Binpacking: the fuller node scores higher; gpu-a (3+1 of 4) beats gpu-b (2+1 of 4).
    const one = gpuPod('one-gpu', 1);
    const r2 = await fw.scheduleOne(one.info, one.json);
    expect(r2.node).toBe('gpu-a');
    expect(r2.scores.get('gpu-a')?.plugins['gpu-binpack']).toBe(100);
    expect(r2.scores.get('gpu-b')?.plugins['gpu-binpack']).toBe(75);

    expect(feeder.stats('gpu-binpack')).toMatchObject({ fullSyncs: 1, deltas: 1, stale: 0, invalidated: 0 });
  });

  it('a restarted plugin gets a full snapshot before its first call and schedules again', async () => {
    const { host, feeder, proc, socketDir } = await withGpuBinpack();
    const profile = profileWith(host, feeder, 'gpu-binpack', { filter: { disabled: [{ name: 'NodeResourcesFit' }] } });
    const fw = new Framework(profile, gpuCluster(), { seed: 1 });
    const first = gpuPod('first', 2);
    expect((await fw.scheduleOne(first.info, first.json)).node).toBe('gpu-b');

    proc.kill('SIGKILL');
    await proc.exited;
    await waitFor(() => host.registry.route('gpu-binpack') === undefined, 'the killed instance to leave rotation');
    servePluginProcess('sample-plugins/gpu-binpack', socketDir);
    await host.waitForPlugin('gpu-binpack', 15_000);

    const next = gpuPod('next', 2);
    const r = await fw.scheduleOne(next.info, next.json);
    expect(r.status.code).toBe(Code.Success);
    expect(r.node).toBe('gpu-b');
    expect(r.filtered.get('gpu-a')).toMatchObject({ plugin: 'gpu-binpack' });
    expect(feeder.stats('gpu-binpack').fullSyncs).toBe(2);
    expect(feeder.heldGeneration('gpu-binpack')).toBeDefined();
  });

  it('a plugin that lost its generation answers FAILED_PRECONDITION: full resync, the call repeated once', async () => {
    const { host, socketDir, logs } = await startHost();
    const proc = spawnNode(AMNESIAC, ['--socket-dir', socketDir], { FIXTURE_FORGET: 'Filter' });
    await host.waitForPlugin('amnesiac', 15_000);
    const feeder = new SnapshotFeeder(host);
    const fw = new Framework(profileWith(host, feeder, 'amnesiac'), plainCluster(), { seed: 1 });

    const r = await fw.scheduleOne(makePod().name('p').req({ cpu: '100m' }).obj());
    expect(r.status.code).toBe(Code.Success);
    expect(r.node).toBe('n3'); // index 2 scores 30, the highest
    expect(r.scores.get('n1')?.plugins['amnesiac']).toBe(10);
    await waitFor(() => fixtureEvents(proc, 'rpc').length >= 5, 'the plugin to report five rpcs');
    const rpcs = fixtureEvents(proc, 'rpc').map((e) => `${String(e.method)}:${String(e.ok ?? '')}`);
    expect(rpcs).toEqual(['SyncSnapshot:', 'Filter:true', 'Score:false', 'SyncSnapshot:', 'Score:true']);
    expect(feeder.stats('amnesiac')).toMatchObject({ fullSyncs: 2, invalidated: 1 });
    // A lost generation is a protocol answer, not a failure: no policy was applied or logged.
    expect(logs.find('failurePolicy', { plugin: 'amnesiac' })).toEqual([]);
  });

  it('a STALE answer to a delta brings a full snapshot', async () => {
    const { host, socketDir } = await startHost();
    const proc = spawnNode(AMNESIAC, ['--socket-dir', socketDir], { FIXTURE_FORGET: 'Score' });
    await host.waitForPlugin('amnesiac', 15_000);
    const feeder = new SnapshotFeeder(host);
    const fw = new Framework(profileWith(host, feeder, 'amnesiac'), plainCluster(), { seed: 1 });

    expect((await fw.scheduleOne(makePod().name('a').req({ cpu: '100m' }).obj())).node).not.toBeNull();
    expect((await fw.scheduleOne(makePod().name('b').req({ cpu: '100m' }).obj())).node).not.toBeNull();
    // The plugin prints each rpc after answering it: its last line may still be on its way.
    await waitFor(() => fixtureEvents(proc, 'rpc').length >= 7, 'the plugin to report seven rpcs');
    const methods = fixtureEvents(proc, 'rpc').map((e) => String(e.method));
    expect(methods.slice(3)).toEqual(['ApplyDelta', 'SyncSnapshot', 'Filter', 'Score']);
    expect(fixtureEvents(proc, 'rpc').find((e) => e.method === 'ApplyDelta')).toMatchObject({ result: 'STALE' });
    expect(feeder.stats('amnesiac')).toMatchObject({ fullSyncs: 2, deltas: 1, stale: 1 });
  });
});

describe('inline deltas', () => {
  async function run(inline: boolean) {
    const { host, socketDir } = await startHost();
    spawnNode(AMNESIAC, ['--socket-dir', socketDir], inline ? {} : { FIXTURE_INLINE_DELTAS: '0' });
    await host.waitForPlugin('amnesiac', 15_000);
    const feeder = new SnapshotFeeder(host);
    const fw = new Framework(profileWith(host, feeder, 'amnesiac'), plainCluster(), { seed: 1 });
    for (const name of ['a', 'b', 'c']) expect((await fw.scheduleOne(makePod().name(name).req({ cpu: '100m' }).obj())).node).not.toBeNull();
    const text = await host.metrics.registry.metrics();
    return { stats: feeder.stats('amnesiac'), applyDeltaRpcs: metricValue(text, 'plugd_plugin_calls_total', { plugin: 'amnesiac', method: 'ApplyDelta' }),
      filterRpcs: metricValue(text, 'plugd_plugin_calls_total', { plugin: 'amnesiac', method: 'Filter' }) };
  }

  it('an SDK plugin gets each cycle\'s delta inside its first per-pod call: no ApplyDelta round trip', async () => {
    const { stats, applyDeltaRpcs, filterRpcs } = await run(true);
    expect(stats).toMatchObject({ fullSyncs: 1, deltas: 2, stale: 0 });
    expect(applyDeltaRpcs).toBe(0);
    expect(filterRpcs).toBe(3);
  });

  it('a plugin that does not advertise inline deltas gets them through ApplyDelta', async () => {
    const { stats, applyDeltaRpcs } = await run(false);
    expect(stats).toMatchObject({ fullSyncs: 1, deltas: 2, stale: 0 });
    expect(applyDeltaRpcs).toBe(2);
  });
});

describe('failure policy of dynamic scheduling plugins', () => {
  async function downPlugin(policy: 'Fail' | 'Ignore') {
    const config = { plugins: { 'gpu-binpack': { failurePolicy: policy, timeoutMs: 2000 } }, registration: { unavailableWaitMs: 0 } };
    const { host, feeder, proc } = await withGpuBinpack(config);
    const profile = profileWith(host, feeder, 'gpu-binpack');
    proc.kill('SIGKILL');
    await proc.exited;
    await waitFor(() => host.plugins().length === 0, 'the killed plugin to deregister');
    return new Framework(profile, gpuCluster(), { seed: 1 });
  }

  it('Fail: the pod\'s cycle fails with an Error naming the plugin and the policy', async () => {
    const fw = await downPlugin('Fail');
    const p = gpuPod('p', 1);
    const r = await fw.scheduleOne(p.info, p.json);
    expect(r.node).toBeNull();
    expect(r.status).toMatchObject({ code: Code.Error, plugin: 'gpu-binpack' });
    expect(r.message).toContain('plugin gpu-binpack');
    expect(r.message).toContain('failurePolicy Fail');
  });

  it('Ignore: scheduling goes on without the plugin', async () => {
    const fw = await downPlugin('Ignore');
    const p = gpuPod('p', 1);
    const r = await fw.scheduleOne(p.info, p.json);
    expect(r.status.code).toBe(Code.Success);
    expect(['gpu-a', 'gpu-b']).toContain(r.node); // the built-ins still filter on GPUs
    for (const s of r.scores.values()) expect(s.plugins['gpu-binpack']).toBeUndefined();
  });

  it('a malformed answer is a failed call: Fail errors, Ignore skips the plugin\'s scores', async () => {
    for (const policy of ['Fail', 'Ignore'] as const) {
      const { host, socketDir } = await startHost({ config: { plugins: { amnesiac: { failurePolicy: policy } } } });
      spawnNode(AMNESIAC, ['--socket-dir', socketDir], { FIXTURE_SCORE_LEN: '1' });
      await host.waitForPlugin('amnesiac', 15_000);
      const fw = new Framework(profileWith(host, new SnapshotFeeder(host), 'amnesiac'), plainCluster(), { seed: 1 });
      const r = await fw.scheduleOne(makePod().name('p').req({ cpu: '100m' }).obj());
      if (policy === 'Fail') {
        expect(r.status).toMatchObject({ code: Code.Error, plugin: 'amnesiac' });
        expect(r.message).toContain('malformed answer: 1 scores for 3 candidates (failurePolicy Fail)');
      } else {
        expect(r.status.code).toBe(Code.Success);
        for (const s of r.scores.values()) expect(s.plugins['amnesiac']).toBeUndefined();
      }
      await cleanup();
    }
  });
});
