/**
 * PostFilter of a dynamic v1 plugin (a real plugin process): called only when no node fits,
 * with every rejected node's code, reason and rejecting plugin packed; its nominated node is
 * reported; its Error fails the cycle naming it.
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
import { cleanup, dist, fixtureEvents, spawnNode, startHost, waitForFixtureEvent } from './helpers.js';

afterEach(cleanup);

const FIXTURE = dist('test/fixtures/scheduling-preemptor.ts');

function profileWith(host: PlugdHost): Profile {
  const doc = { apiVersion: SchedulerConfigAPIVersion, kind: SchedulerConfigKind, profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'preemptor' }] } } }] };
  return loadSchedulerConfiguration(doc, { resolve: dynamicResolver(host, new SnapshotFeeder(host)) }).profiles[0] as Profile;
}

/** n1, n2 full (the plugin rejects them), n3 cordoned (NodeUnschedulable: UnschedulableAndUnresolvable). */
function cluster(withFree: boolean): ClusterState {
  const c = new ClusterState();
  const base = { cpu: '4', memory: '8Gi', pods: '110' };
  c.addNode(makeNodeJson('n1', base, { labels: { 'plugd.test/full': 'yes' } }));
  c.addNode(makeNodeJson('n2', base, { labels: { 'plugd.test/full': 'yes' } }));
  c.addNode(makeNodeJson('n3', base, { unschedulable: true }));
  if (withFree) c.addNode(makeNodeJson('n4', base));
  return c;
}

async function withPreemptor(env: Record<string, string> = {}) {
  const t = await startHost({ admin: false });
  const proc = spawnNode(FIXTURE, ['--socket-dir', t.socketDir], env);
  await t.host.waitForPlugin('preemptor', 15_000);
  return { ...t, proc };
}

describe('PostFilter of a dynamic plugin', () => {
  it('no node fits: gets each rejected node\'s code, reason and plugin, and its nominated node is reported', async () => {
    const { host, proc } = await withPreemptor();
    const fw = new Framework(profileWith(host), cluster(false), { seed: 1 });
    expect(fw.profile.postFilter.map((p) => p.name)).toEqual(['preemptor']);
    const r = await fw.scheduleOne(makePod().name('p').req({ cpu: '100m' }).obj());
    expect(r.node).toBeNull();
    expect(r.status.code).toBe(Code.Unschedulable);
    expect(r).toMatchObject({ nominatedNodeName: 'n1', nominatedBy: 'preemptor' });
    const ev = await waitForFixtureEvent(proc, 'postfilter');
    expect(ev.nodes).toEqual({
      n1: [Code.Unschedulable, 'node is full', 'preemptor'],
      n2: [Code.Unschedulable, 'node is full', 'preemptor'],
      n3: [Code.UnschedulableAndUnresolvable, "node(s) were unschedulable", 'NodeUnschedulable'],
    });
  });

  it('is not called when a node fits', async () => {
    const { host, proc } = await withPreemptor();
    const r = await new Framework(profileWith(host), cluster(true), { seed: 1 }).scheduleOne(makePod().name('p').req({ cpu: '100m' }).obj());
    expect(r.node).toBe('n4');
    expect(fixtureEvents(proc, 'postfilter')).toEqual([]);
  });

  it('an ERROR answer fails the cycle naming the plugin', async () => {
    const { host } = await withPreemptor({ FIXTURE_POSTFILTER: 'error' });
    const r = await new Framework(profileWith(host), cluster(false), { seed: 1 }).scheduleOne(makePod().name('p').req({ cpu: '100m' }).obj());
    expect(r.status).toMatchObject({ code: Code.Error, plugin: 'preemptor' });
    expect(r.message).toMatch(/PostFilter plugin "preemptor": victim lister down/);
  });
});
