/**
 * A profile names a dynamic plugin by name, not by instance: one that is not registered yet is
 * answered per its failure policy and works once it registers; one that re-registers under the
 * other interface version (v1beta1 ↔ v1) is called in the version it speaks now. Real SDK
 * plugin processes (test/fixtures/scheduling-v1beta1.ts), a real host.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlugdHost } from '../host/host.js';
import { makeNodeJson, makePod } from '../host/scheduling/builtins/testing.js';
import { Code } from '../host/scheduling/builtins/types.js';
import { ClusterState } from '../host/scheduling/cluster-state.js';
import { dynamicResolver } from '../host/scheduling/dynamic.js';
import { Framework, type Profile } from '../host/scheduling/framework.js';
import { loadSchedulerConfiguration, SchedulerConfigAPIVersion, SchedulerConfigKind } from '../host/scheduling/profile.js';
import { SnapshotFeeder } from '../host/scheduling/snapshot-feed.js';
import { cleanup, dist, fixtureEvents, spawnNode, startHost, waitFor, type PluginProcess } from './helpers.js';

afterEach(cleanup);

const FIXTURE = dist('test/fixtures/scheduling-v1beta1.ts');

function profileWith(host: PlugdHost, plugin: string): Profile {
  const doc = { apiVersion: SchedulerConfigAPIVersion, kind: SchedulerConfigKind, profiles: [{ plugins: { multiPoint: { enabled: [{ name: plugin }] } } }] };
  return loadSchedulerConfiguration(doc, { resolve: dynamicResolver(host, new SnapshotFeeder(host)) }).profiles[0] as Profile;
}

/** n1, n2 free; n3 labelled for the fixture's v1beta1 Filter to deny. */
function cluster(): ClusterState {
  const c = new ClusterState();
  const base = { cpu: '8', memory: '16Gi', pods: '110' };
  c.addNode(makeNodeJson('n1', base));
  c.addNode(makeNodeJson('n2', base));
  c.addNode(makeNodeJson('n3', base, { labels: { 'plugd.test/deny': 'yes' } }));
  return c;
}

async function serve(host: PlugdHost, socketDir: string, version: 'v1beta1' | 'v1'): Promise<PluginProcess> {
  const proc = spawnNode(FIXTURE, ['--socket-dir', socketDir], version === 'v1' ? { FIXTURE_VERSIONS: 'both' } : {});
  await waitFor(() => host.registry.route('beta')?.version === version, `beta to register as ${version}`, 15_000);
  return proc;
}

async function stop(host: PlugdHost, proc: PluginProcess): Promise<void> {
  proc.kill('SIGTERM');
  await proc.exited;
  await waitFor(() => host.registry.route('beta') === undefined, 'beta to leave rotation');
}

let seq = 0;
const schedule = (fw: Framework) => fw.scheduleOne(makePod().name(`p${seq++}`).req({ cpu: '100m' }).obj());

describe('profiles re-resolve dynamic plugins by name', () => {
  it('not registered yet: Fail errors naming the plugin; then v1beta1 works; then v1 after re-registering', async () => {
    const { host, socketDir } = await startHost({ admin: false, config: { plugins: { beta: { failurePolicy: 'Fail' } }, registration: { unavailableWaitMs: 0 } } });
    const fw = new Framework(profileWith(host, 'beta'), cluster(), { seed: 1 });

    const absent = await schedule(fw);
    expect(absent.node).toBeNull();
    expect(absent.status).toMatchObject({ code: Code.Error, plugin: 'beta' });
    expect(absent.message).toMatch(/plugin beta.*no such plugin is registered.*failurePolicy Fail/);

    const beta = await serve(host, socketDir, 'v1beta1');
    const viaBeta = await schedule(fw);
    expect(viaBeta.status.code).toBe(Code.Success);
    expect(viaBeta.filtered.get('n3')).toMatchObject({ code: Code.Unschedulable, plugin: 'beta', reasons: ['denied by label'] });
    expect(viaBeta.scores.get('n1')?.plugins['beta']).toBeGreaterThan(90); // v1beta1 Score: free cpu share
    expect(fixtureEvents(beta, 'rpc').map((e) => e.version)).toContain('v1beta1');

    await stop(host, beta);
    const both = await serve(host, socketDir, 'v1');
    const viaV1 = await schedule(fw);
    expect(viaV1.status.code).toBe(Code.Success);
    expect(viaV1.filtered.size).toBe(0); // v1 Filter passes all
    for (const s of viaV1.scores.values()) expect(s.plugins['beta']).toBe(42);
    await waitFor(() => fixtureEvents(both, 'rpc').some((e) => e.version === 'v1' && e.method === 'Score'), 'a v1 Score call');
    expect(fixtureEvents(both, 'rpc').filter((e) => e.version === 'v1beta1')).toEqual([]);
  });

  it('resolved while v1beta1, re-registered as v1 and back: each cycle speaks the version in rotation', async () => {
    const { host, socketDir } = await startHost({ admin: false, config: { registration: { unavailableWaitMs: 0 } } });
    const beta = await serve(host, socketDir, 'v1beta1');
    const fw = new Framework(profileWith(host, 'beta'), cluster(), { seed: 1 });
    expect((await schedule(fw)).filtered.get('n3')).toMatchObject({ plugin: 'beta', reasons: ['denied by label'] });

    await stop(host, beta);
    const v1 = await serve(host, socketDir, 'v1');
    const viaV1 = await schedule(fw);
    expect(viaV1.filtered.size).toBe(0);
    expect(viaV1.scores.get('n3')?.plugins['beta']).toBe(42);

    await stop(host, v1);
    await serve(host, socketDir, 'v1beta1');
    const back = await schedule(fw);
    expect(back.filtered.get('n3')).toMatchObject({ plugin: 'beta', reasons: ['denied by label'] });
    expect(back.scores.get('n1')?.plugins['beta']).toBeGreaterThan(90);
  });
});
