/**
 * A scheduling plugin in Python (test/fixtures/python-scheduling-plugin.py: Debian's
 * python3-grpcio, classes protoc generates from proto/, unary RPCs) in a profile beside the
 * built-ins, behind a real host: it receives the node state as a snapshot and then deltas,
 * decodes the packed candidate indices, answers a verdict byte and a reason per candidate, and
 * the Framework places pods accordingly; its reasons reach the pod's FailedScheduling message;
 * its raw scores (any range, negative too) are normalized by the host and, weighted, decide
 * between the nodes it lets through.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNodeJson, makePod } from '../host/scheduling/builtins/testing.js';
import { ClusterState } from '../host/scheduling/cluster-state.js';
import { dynamicResolver } from '../host/scheduling/dynamic.js';
import { Framework, type Profile } from '../host/scheduling/framework.js';
import { extractPod } from '../host/scheduling/pod.js';
import { loadSchedulerConfiguration, SchedulerConfigAPIVersion, SchedulerConfigKind } from '../host/scheduling/profile.js';
import { SnapshotFeeder } from '../host/scheduling/snapshot-feed.js';
import { cleanup, fixtureEvents, interopPeers, PYTHON, pythonGrpcMissing, ROOT, spawnProcess, startHost, waitFor, waitForFixtureEvent, type PluginProcess, type TestHost } from './helpers.js';

const have = interopPeers('python scheduling plugin', 'its interop peers', pythonGrpcMissing());

/** A pod asking py-zone for a zone (annotation py.plugd.dev/zone). */
function zonePod(name: string, zone?: string) {
  const json = makePod().name(name).req({ cpu: '100m' }).json() as { metadata: Record<string, unknown> };
  if (zone !== undefined) json.metadata.annotations = { 'py.plugd.dev/zone': zone };
  return { info: extractPod(json), json };
}

describe.skipIf(!have)('a scheduling plugin in Python, in a profile beside the built-ins', () => {
  let t: TestHost;
  let py: PluginProcess;
  beforeAll(async () => {
    t = await startHost();
    py = spawnProcess(PYTHON, [join(ROOT, 'test/fixtures/python-scheduling-plugin.py'), '--socket-dir', t.socketDir], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForFixtureEvent(py, 'listening', {}, 30_000);
    await t.host.waitForPlugin('py-zone', 20_000);
  }, 60_000);
  afterAll(cleanup);

  it('gets the node state once, then deltas; its verdicts place the pods and its reasons explain a pod that fits nowhere', async () => {
    const feeder = new SnapshotFeeder(t.host);
    const doc = { apiVersion: SchedulerConfigAPIVersion, kind: SchedulerConfigKind, profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'py-zone' }] } } }] };
    const profile = loadSchedulerConfiguration(doc, { resolve: dynamicResolver(t.host, feeder) }).profiles[0] as Profile;
    expect(profile.filter.map((p) => p.name)).toContain('py-zone');
    const cluster = new ClusterState();
    const alloc = { cpu: '4', memory: '8Gi', pods: '110' };
    cluster.addNode(makeNodeJson('node-a', alloc, { labels: { zone: 'a', 'py-rank': '-40' } }));
    cluster.addNode(makeNodeJson('node-b1', alloc, { labels: { zone: 'b', 'py-rank': '-5' } }));
    cluster.addNode(makeNodeJson('node-b2', alloc, { labels: { zone: 'b', 'py-rank': '-90' } }));
    const fw = new Framework(profile, cluster, { seed: 7 });

    const inA = zonePod('wants-a', 'a');
    expect((await fw.scheduleOne(inA.info, inA.json)).node).toBe('node-a');
    // The first pod's assumption changed node-a: the plugin gets a delta, not a second snapshot.
    // Between b1 and b2 its ranks decide: -5 normalizes to 100, -90 to 0, weighted 50.
    const inB = zonePod('wants-b', 'b');
    const placed = await fw.scheduleOne(inB.info, inB.json);
    expect(placed.node).toBe('node-b1');
    expect(placed.scores.get('node-b1')?.plugins['py-zone']).toBe(100);
    expect(placed.scores.get('node-b2')?.plugins['py-zone']).toBe(0);
    await waitFor(() => fixtureEvents(py, 'delta').length >= 1, 'a delta to the Python plugin', 10_000);
    expect(fixtureEvents(py, 'sync')).toEqual([expect.objectContaining({ nodes: 3 })]);

    // Every node fits a pod without a zone: the highest rank wins (node-a is emptier, but 50× outweighs it).
    const anywhere = zonePod('no-zone');
    expect((await fw.scheduleOne(anywhere.info, anywhere.json)).node).toBe('node-b1');
    const nowhere = zonePod('wants-c', 'c');
    const r = await fw.scheduleOne(nowhere.info, nowhere.json);
    expect(r.node).toBeNull();
    // kube's FitError text, from the plugin's own reasons per node.
    expect(r.message).toMatch(/^0\/3 nodes are available: /);
    expect(r.message).toContain('node is in zone a, the pod wants c');
    expect(r.message).toContain('node is in zone b, the pod wants c');
    expect(r.filtered.get('node-a')).toMatchObject({ plugin: 'py-zone' });
  });
});
