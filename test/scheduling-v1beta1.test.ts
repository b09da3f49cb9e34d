/**
 * plugd.scheduling.v1beta1 end to end: a plugin that speaks only v1beta1 registers as v1beta1
 * and filters and scores through the framework via the host's adapter (nodes sent per call);
 * a plugin that speaks v1 and v1beta1 is given v1. Real SDK plugin processes, a real host.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin } from '../sdk/index.js';
import type { PlugdHost } from '../host/host.js';
import { makeNodeJson, makePod } from '../host/scheduling/builtins/testing.js';
import { Code } from '../host/scheduling/builtins/types.js';
import { ClusterState } from '../host/scheduling/cluster-state.js';
import { DynamicSchedulerPlugin, dynamicResolver } from '../host/scheduling/dynamic.js';
import { Framework, type Profile } from '../host/scheduling/framework.js';
import { loadSchedulerConfiguration, SchedulerConfigAPIVersion, SchedulerConfigKind } from '../host/scheduling/profile.js';
import { SnapshotFeeder } from '../host/scheduling/snapshot-feed.js';
import { V1beta1SchedulerPlugin } from '../host/scheduling/v1beta1-adapter.js';
import { cleanup, dist, fixtureEvents, spawnNode, startHost, waitFor } from './helpers.js';

afterEach(cleanup);

const FIXTURE = dist('test/fixtures/scheduling-v1beta1.ts');

function profileWith(host: PlugdHost, plugin: string): Profile {
  const doc = {
    apiVersion: SchedulerConfigAPIVersion,
    kind: SchedulerConfigKind,
    profiles: [{ plugins: { multiPoint: { enabled: [{ name: plugin }] } } }],
  };
  return loadSchedulerConfiguration(doc, { resolve: dynamicResolver(host, new SnapshotFeeder(host)) }).profiles[0] as Profile;
}

/** n1: 4 cpu, half requested; n2: 8 cpu, free; n3: 8 cpu, labelled for the fixture to deny. */
function cluster(): ClusterState {
  const c = new ClusterState();
  const base = { memory: '16Gi', pods: '110' };
  c.addNode(makeNodeJson('n1', { ...base, cpu: '4' }));
  c.addNode(makeNodeJson('n2', { ...base, cpu: '8' }));
  c.addNode(makeNodeJson('n3', { ...base, cpu: '8' }, { labels: { 'plugd.test/deny': 'yes' } }));
  c.addPod(makePod().name('busy').node('n1').req({ cpu: '2' }).obj());
  return c;
}

async function withFixture(env: Record<string, string>) {
  const t = await startHost();
  const proc = spawnNode(FIXTURE, ['--socket-dir', t.socketDir], env);
  await t.host.waitForPlugin(env.FIXTURE_NAME ?? 'beta', 15_000);
  return { ...t, proc };
}

describe('plugd.scheduling.v1beta1', () => {
  it('a v1beta1-only plugin registers as v1beta1 and filters and scores through the adapter', async () => {
    const { host, proc } = await withFixture({});
    const inst = host.registry.route('beta');
    expect(inst).toMatchObject({ type: 'SchedulerPlugin', version: 'v1beta1' });
    expect([...inst!.implemented].sort()).toEqual(['Filter', 'Score']);

    const profile = profileWith(host, 'beta');
    expect(profile.filter.find((p) => p.name === 'beta')).toBeInstanceOf(V1beta1SchedulerPlugin);
    expect(profile.preFilter.find((p) => p.name === 'beta')).toBeUndefined();
    const fw = new Framework(profile, cluster(), { seed: 1 });
    const pod = makePod().name('p').req({ cpu: '100m' });
    const r = await fw.scheduleOne(pod.obj(), pod.json());

    expect(r.status.code).toBe(Code.Success);
    expect(r.filtered.get('n3')).toMatchObject({ code: Code.Unschedulable, plugin: 'beta', reasons: ['denied by label'] });
    // The nodes themselves reached the plugin: its scores are the free cpu share it computed.
    expect(r.scores.get('n1')?.plugins['beta']).toBe(50);
    expect(r.scores.get('n2')?.plugins['beta']).toBe(100);
    expect(r.node).toBe('n2');
    // The plugin prints each rpc after answering: wait for the lines rather than racing them.
    await waitFor(() => fixtureEvents(proc, 'rpc').length >= 2, 'the plugin to report its rpcs');
    const calls = fixtureEvents(proc, 'rpc');
    expect(calls.map((e) => `${String(e.version)} ${String(e.method)}`)).toEqual(['v1beta1 Filter', 'v1beta1 Score']);
    expect(calls[1]?.nodes).toEqual(['n1', 'n2']);
  });

  it('a plugin that speaks v1 and v1beta1 is given v1 and runs as a v1 plugin', async () => {
    const { host, proc } = await withFixture({ FIXTURE_NAME: 'dual', FIXTURE_VERSIONS: 'both' });
    expect(host.registry.route('dual')).toMatchObject({ type: 'SchedulerPlugin', version: 'v1' });

    const profile = profileWith(host, 'dual');
    expect(profile.filter.find((p) => p.name === 'dual')).toBeInstanceOf(DynamicSchedulerPlugin);
    const fw = new Framework(profile, cluster(), { seed: 1 });
    const r = await fw.scheduleOne(makePod().name('p').req({ cpu: '100m' }).obj());
    expect(r.status.code).toBe(Code.Success);
    // v1's Filter passes n3, which v1beta1's would have denied.
    expect(r.filtered.has('n3')).toBe(false);
    expect(r.scores.get('n3')?.plugins['dual']).toBe(42);
    await waitFor(() => fixtureEvents(proc, 'rpc').length >= 2, 'the plugin to report its rpcs');
    expect(fixtureEvents(proc, 'rpc').map((e) => `${String(e.version)} ${String(e.method)}`)).toEqual(['v1 Filter', 'v1 Score']);
  });
});

describe('definePlugin with v1beta1 handlers', () => {
  const filter = () => ({ verdicts: [] });

  it('serves v1beta1 alone, or both versions, each with its own hooks', () => {
    const beta = definePlugin({ name: 'b', type: 'SchedulerPlugin', v1beta1: { Filter: filter } });
    expect(beta).toMatchObject({ versions: ['v1beta1'], servedVersions: ['v1beta1'], implemented: ['Filter'] });
    const dual = definePlugin({ name: 'd', type: 'SchedulerPlugin', handlers: { PostBind: () => ({}) }, v1beta1: { Filter: filter, Score: () => ({ scores: [] }) } });
    expect(dual.servedVersions).toEqual(['v1', 'v1beta1']);
    expect(dual.byVersion['v1']?.implemented).toEqual(['PostBind']);
    expect(dual.byVersion['v1beta1']?.implemented).toEqual(['Filter', 'Score']);
  });

  it.each([
    { what: 'a v1 hook among v1beta1 handlers', spec: { v1beta1: { PreFilter: filter } }, message: /SchedulerPlugin v1beta1 has no hook "PreFilter"; hooks: Filter, Score$/ },
    { what: 'v1beta1 listed without v1beta1 handlers', spec: { versions: ['v1', 'v1beta1'], handlers: { Filter: filter } }, message: /versions lists v1beta1 but no SchedulerPlugin v1beta1 handlers were given/ },
    { what: 'v1beta1 handlers for a version not listed', spec: { versions: ['v1'], handlers: { Filter: filter }, v1beta1: { Filter: filter } }, message: /has SchedulerPlugin v1beta1 handlers \(v1beta1\) but versions \[v1\] does not list v1beta1/ },
  ])('refuses $what', ({ spec, message }) => {
    expect(() => definePlugin({ name: 'x', type: 'SchedulerPlugin', ...spec } as Parameters<typeof definePlugin>[0])).toThrow(message);
  });
});
