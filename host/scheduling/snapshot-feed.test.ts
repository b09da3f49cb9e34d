import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { PolicyOutcome } from '../policy.js';
import type { PluginInstance } from '../registry/instance.js';
import type { RegistryEvents } from '../registry/registry.js';
import { makeNodeJson, makePod } from './builtins/testing.js';
import { CHANGE_JOURNAL, ClusterState } from './cluster-state.js';
import { SnapshotFeeder, type SchedulingHost } from './snapshot-feed.js';

interface Sent {
  method: string;
  request: Record<string, unknown>;
}

/** A host whose one plugin acknowledges everything (no instance in rotation: route() is undefined). */
function fakeHost(): { host: SchedulingHost; sent: Sent[] } {
  const sent: Sent[] = [];
  const registry = Object.assign(new EventEmitter<RegistryEvents>(), {
    route: (): PluginInstance | undefined => undefined,
    settingsOf: () => undefined,
  });
  const host: SchedulingHost = {
    config: { plugins: {} },
    // The fake has only what the feeder uses; Registry's `on` returns Registry itself.
    registry: registry as unknown as SchedulingHost['registry'],
    callWithPolicy: <Res>(_name: string, method: string, request: unknown): Promise<PolicyOutcome<Res>> => {
      const r = request as Record<string, unknown>;
      sent.push({ method, request: r });
      const generation = method === 'SyncSnapshot' ? r['generation'] : r['toGeneration'];
      return Promise.resolve({ status: 'ok', response: { result: 'OK', generation } as Res });
    },
  };
  return { host, sent };
}

const node = (name: string) => makeNodeJson(name, { cpu: '4', memory: '8Gi', pods: '110' });
const names = (nodes: unknown) => (nodes as Array<{ name: string; index: number }>).map((n) => `${n.name}@${n.index}`);

describe('SnapshotFeeder', () => {
  it('packs candidates as lineage indices, once per snapshot and list, and again once the lineage moved', () => {
    const { host } = fakeHost();
    const feeder = new SnapshotFeeder(host);
    const c = new ClusterState();
    for (const n of ['a', 'b', 'c']) c.addNode(node(n));
    const s1 = c.snapshot();
    const indices = (buf: Buffer) => Array.from({ length: buf.length / 4 }, (_, i) => buf.readUInt32LE(i * 4));
    const packed = feeder.pack(s1, s1.nodes);
    expect(indices(packed)).toEqual([0, 1, 2]);
    expect(feeder.pack(s1, s1.nodes)).toBe(packed); // the second plugin of the point gets the same bytes
    expect(indices(feeder.pack(s1, [s1.nodes[2]!, s1.nodes[0]!]))).toEqual([2, 0]);

    c.removeNode('b');
    c.addNode(node('d'));
    const s2 = c.snapshot();
    expect(indices(feeder.pack(s2, s2.nodes))).toEqual([0, 2, 3]);
    // A list of the older snapshot naming a node the lineage has since dropped is refused, not served from memory.
    expect(() => feeder.pack(s1, s1.nodes)).toThrow(/node b is not in the snapshot lineage/);
  });

  it('sends a full snapshot once, then deltas; removed indices become holes and are never reused', async () => {
    const { host, sent } = fakeHost();
    const feeder = new SnapshotFeeder(host);
    const c = new ClusterState();
    c.addNode(node('a'));
    c.addNode(node('b'));
    await feeder.ensure('p', c.snapshot());
    expect(sent[0]).toMatchObject({ method: 'SyncSnapshot', request: { indexEnd: 2 } });
    expect(names(sent[0]?.request['nodes'])).toEqual(['a@0', 'b@1']);

    await feeder.ensure('p', c.snapshot()); // same generation: nothing to send
    expect(sent).toHaveLength(1);

    c.removeNode('a');
    c.addNode(node('c'));
    await feeder.ensure('p', c.snapshot());
    expect(sent[1]).toMatchObject({ method: 'ApplyDelta', request: { removed: ['a'], indexEnd: 3 } });
    expect(names(sent[1]?.request['upserted'])).toEqual(['c@2']);

    c.addNode(node('a')); // back: a new node to the lineage, under a new index
    await feeder.ensure('p', c.snapshot());
    expect(sent[2]).toMatchObject({ method: 'ApplyDelta', request: { removed: [], indexEnd: 4 } });
    expect(names(sent[2]?.request['upserted'])).toEqual(['a@3']);
    expect(feeder.pack(c.snapshot(), c.snapshot().nodes).equals(Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]))).toBe(true);
    expect([feeder.nameAt(0), feeder.nameAt(3)]).toEqual([undefined, 'a']);
  });

  it('sends only the nodes that changed, and everything again once the state forgot that far back', async () => {
    const { host, sent } = fakeHost();
    const feeder = new SnapshotFeeder(host);
    const c = new ClusterState();
    for (let i = 0; i < 50; i++) c.addNode(node(`n${i}`));
    await feeder.ensure('p', c.snapshot());
    c.assume(makePod().name('x').req({ cpu: '1' }).obj(), 'n7');
    c.assume(makePod().name('y').req({ cpu: '1' }).obj(), 'n7');
    c.assume(makePod().name('z').req({ cpu: '1' }).obj(), 'n30');
    await feeder.ensure('p', c.snapshot());
    expect(sent[1]?.method).toBe('ApplyDelta');
    expect(names(sent[1]?.request['upserted'])).toEqual(['n7@7', 'n30@30']);
    expect((sent[1]?.request['upserted'] as Array<{ requested: Record<string, number> }>)[0]?.requested['pods']).toBe(2);

    // A plugin further behind than the journal reaches gets the whole snapshot.
    for (let i = 0; i <= 2 * CHANGE_JOURNAL; i++) c.assume(makePod().name(`bulk-${i}`).obj(), `n${i % 50}`);
    await feeder.ensure('p', c.snapshot());
    expect(sent[2]?.method).toBe('SyncSnapshot');
    expect(names(sent[2]?.request['nodes'])).toHaveLength(50);
  });

  it('sends a full snapshot again after invalidate()', async () => {
    const { host, sent } = fakeHost();
    const feeder = new SnapshotFeeder(host);
    const c = new ClusterState();
    c.addNode(node('a'));
    await feeder.ensure('p', c.snapshot());
    feeder.invalidate('p');
    await feeder.ensure('p', c.snapshot());
    expect(sent.map((s) => s.method)).toEqual(['SyncSnapshot', 'SyncSnapshot']);
    expect(feeder.stats('p')).toMatchObject({ fullSyncs: 2, invalidated: 1 });
  });
});
