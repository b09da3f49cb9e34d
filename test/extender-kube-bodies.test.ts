/**
 * `plugd host --extender` (a real host process) driven with the bodies kube-scheduler's
 * HTTPExtender sends, built from Kubernetes' own extender tests (test/fixtures/kube/
 * extender-bodies.ts names each source), every verb in both nodeCacheCapable modes. Each answer
 * is checked as kube-scheduler decodes it: HTTP 200, extender/v1 field names, Go types (an
 * int64 Score, string maps), and the rules HTTPExtender applies after decoding (Filter's
 * NodeNames a subset of what it sent; preempt's nodes each with victims kube-scheduler named).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CLI, cleanup, LogCapture, spawnNode, tempDir, type PluginProcess } from './helpers.js';
import { running, v1List, v1Node, v1Pod, type Json } from './kube-bodies.js';
import {
  argsWithNames, argsWithNodes, bindingArgs, CONVERT_TO_META_VICTIMS_INPUT, CONVERT_TO_META_VICTIMS_WANT, EXTENDED_RESOURCE,
  goZeroNode, goZeroPod, IT_NAMESPACE, IT_POD, itMachine, preemptionArgs,
} from './fixtures/kube/extender-bodies.js';

// plugd's analogue of the integration test's managedResources {foo.com/bar, ignoredByScheduler}:
// NodeResourcesFit leaves the extended resource alone, so the pod fits the machines.
const SCHEDULER_CONFIG = `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  pluginConfig:
  - name: NodeResourcesFit
    args:
      ignoredResources: ["${EXTENDED_RESOURCE}"]
`;

const MACHINES = [1, 2, 3, 4, 5].map(itMachine);
// The host knows machine1..3 (nodeCacheCapable: its node cache), and two nodes with running pods for preempt.
const BIG = v1Node('node-a', { cpu: '4', memory: '8Gi' });
const TAINTED = { ...v1Node('node-t', { cpu: '8', memory: '8Gi' }), spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } };
const VICTIM_A = running(v1Pod('batch-a', { cpu: '3' }), 'node-a');
const VICTIM_T = running(v1Pod('batch-t', { cpu: '1' }), 'node-t');

let host: PluginProcess;
let base = '';

beforeAll(async () => {
  const dir = tempDir('plugd-kube-bodies-');
  const schedulerConfig = join(dir, 'scheduler.yaml');
  writeFileSync(schedulerConfig, SCHEDULER_CONFIG);
  const cluster = join(dir, 'cluster.yaml');
  // As `kubectl get nodes,pods -o yaml` lists them: a List's items carry their kind (the informer's objects, sent by kube-scheduler, do not).
  const listed = MACHINES.slice(0, 3).map((m) => ({ apiVersion: 'v1', kind: 'Node', ...m }));
  writeFileSync(cluster, stringify(v1List([...listed, BIG, TAINTED, VICTIM_A, VICTIM_T]), { indentSeq: false }));
  host = spawnNode(CLI, ['host', '--socket-dir', tempDir(), '--admin', '127.0.0.1:0', '--log-format', 'json', '--log-level', 'info',
    '--extender', '127.0.0.1:0', '--scheduler-config', schedulerConfig, '--cluster', cluster]);
  const logs = new LogCapture();
  createInterface({ input: host.proc.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    if (line.startsWith('{')) logs.write(`${line}\n`);
  });
  base = String((await logs.waitFor('extender door serving', {}, 20_000)).url);
}, 30_000);

afterAll(async () => {
  host.kill('SIGTERM');
  await host.exited;
  await cleanup();
});

/** HTTPExtender.send: POST JSON, anything but 200 is an error, the body is decoded as JSON. */
async function send(verb: string, body: unknown): Promise<Json> {
  const res = await fetch(`${base}/${verb}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as Json;
}

const isStringMap = (v: unknown): boolean => v === null || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((s) => typeof s === 'string'));

/** What decoding into extender/v1 ExtenderFilterResult and HTTPExtender.Filter's checks require. */
function expectFilterResult(r: Json, sent: string[], nodeCacheCapable: boolean): string[] {
  expect(Object.keys(r).sort()).toEqual(['Error', 'FailedAndUnresolvableNodes', 'FailedNodes', 'NodeNames', 'Nodes']);
  expect(r.Error).toBe('');
  expect(isStringMap(r.FailedNodes) && isStringMap(r.FailedAndUnresolvableNodes)).toBe(true);
  const names = nodeCacheCapable
    ? (r.NodeNames as string[])
    : ((r.Nodes as { items: Json[] | null }).items ?? []).map((n) => (n.metadata as { name: string }).name);
  expect(nodeCacheCapable ? r.Nodes : r.NodeNames).toBeNull();
  for (const n of names) expect(sent).toContain(n); // "claims a filtered node … not found in the input node list" otherwise
  return names;
}

describe('the extender door answers the bodies kube-scheduler sends (test/integration/scheduler/extender)', () => {
  // First: the next test's full Node objects teach the host machine4 and machine5.
  it('filter, nodeCacheCapable=true: names only; names plugd has not seen fail as FailedNodes', async () => {
    const sent = ['machine1', 'machine2', 'machine3', 'machine4', 'machine5'];
    const r = await send('filter', argsWithNames(IT_POD, sent));
    expect(expectFilterResult(r, sent, true)).toEqual(['machine1', 'machine2', 'machine3']);
    expect(Object.keys(r.FailedNodes as Json)).toEqual(['machine4', 'machine5']);
    expect(r.FailedAndUnresolvableNodes).toEqual({});
  });

  it('filter, nodeCacheCapable=false: machine1..5 in full; the Node objects sent come back', async () => {
    const r = await send('filter', argsWithNodes(IT_POD, MACHINES));
    expect(expectFilterResult(r, MACHINES.map((m) => (m.metadata as { name: string }).name), false)).toEqual(['machine1', 'machine2', 'machine3', 'machine4', 'machine5']);
    expect((r.Nodes as { items: Json[] }).items).toEqual(MACHINES);
    expect(r).toMatchObject({ FailedNodes: {}, FailedAndUnresolvableNodes: {} });
  });

  it('prioritize: a HostPriorityList of int64 scores in [0, 10] for the hosts sent, both modes', async () => {
    for (const args of [argsWithNames(IT_POD, ['machine1', 'machine2', 'machine3']), argsWithNodes(IT_POD, MACHINES.slice(0, 3))]) {
      const list = (await send('prioritize', args)) as unknown as Json[];
      expect(list.map((h) => h.Host)).toEqual(['machine1', 'machine2', 'machine3']);
      for (const h of list) {
        expect(Object.keys(h).sort()).toEqual(['Host', 'Score']);
        expect(Number.isSafeInteger(h.Score) && (h.Score as number) >= 0 && (h.Score as number) <= 10).toBe(true);
      }
    }
  });

  it('bind: ExtenderBindingArgs from the v1.Binding answer {"Error":""}; again is idempotent; an unseen pod gets Error', async () => {
    const meta = IT_POD.metadata as { name: string; uid: string };
    expect(await send('bind', bindingArgs(meta.name, IT_NAMESPACE, meta.uid, 'machine2'))).toEqual({ Error: '' });
    expect(await send('bind', bindingArgs(meta.name, IT_NAMESPACE, meta.uid, 'machine2'))).toEqual({ Error: '' });
    const unseen = await send('bind', bindingArgs('never-filtered', IT_NAMESPACE, 'uid-x', 'machine2'));
    expect(Object.keys(unseen)).toEqual(['Error']);
    expect(unseen.Error).toMatch(/never-filtered .*was not seen/);
  });
});

describe('… and Go zero values (pkg/scheduler/extender_test.go objects)', () => {
  it('a bare v1.Pod and v1.Node ("containers": null, "creationTimestamp": null, no allocatable) decode; the node holds no pods', async () => {
    // Names apart from the preempt table's node1/node2, which must stay unknown to the host.
    const r = await send('filter', argsWithNodes(goZeroPod('p', 'p'), [goZeroNode('zero1'), goZeroNode('zero2')]));
    expect(expectFilterResult(r, ['zero1', 'zero2'], false)).toEqual([]);
    const reasons = { ...(r.FailedNodes as Json), ...(r.FailedAndUnresolvableNodes as Json) };
    expect(reasons).toEqual({ zero1: 'Too many pods', zero2: 'Too many pods' });
  });

  it('an empty candidate list ("items": null, "NodeNames": [])', async () => {
    expect((await send('filter', argsWithNodes(goZeroPod('p', 'p'), []))).Nodes).toEqual({ metadata: {}, items: [] });
    expect((await send('filter', argsWithNames(goZeroPod('p', 'p'), []))).NodeNames).toEqual([]);
    expect(await send('prioritize', argsWithNames(goZeroPod('p', 'p'), []))).toEqual([]);
  });
});

describe('preempt (HTTPExtender.ProcessPreemption)', () => {
  it('TestConvertToMetaVictims: full victims (nodeCacheCapable=false) come back as its MetaVictims; nodes plugd does not know are kept', async () => {
    expect(await send('preempt', preemptionArgs(goZeroPod('preemptor', 'p0'), CONVERT_TO_META_VICTIMS_INPUT, false))).toEqual({ NodeNameToMetaVictims: CONVERT_TO_META_VICTIMS_WANT });
    expect(await send('preempt', preemptionArgs(goZeroPod('preemptor', 'p0'), CONVERT_TO_META_VICTIMS_WANT, true))).toEqual({ NodeNameToMetaVictims: CONVERT_TO_META_VICTIMS_WANT });
  });

  it('nodeCacheCapable=true: a node where the pod fits once its victims go is kept; a tainted one is dropped', async () => {
    const victims = { 'node-a': { Pods: [{ UID: 'uid-batch-a' }], NumPDBViolations: 0 }, 'node-t': { Pods: [{ UID: 'uid-batch-t' }], NumPDBViolations: 0 } };
    const r = await send('preempt', preemptionArgs(v1Pod('urgent', { cpu: '2' }), victims, true));
    expect(r).toEqual({ NodeNameToMetaVictims: { 'node-a': { Pods: [{ UID: 'uid-batch-a' }], NumPDBViolations: 0 } } });
    // Without its victim gone node-a (4 cpus, 3 used) cannot take 2: the victims are what kept it.
    const filtered = await send('filter', argsWithNames(v1Pod('urgent', { cpu: '2' }), ['node-a']));
    expect(filtered.FailedNodes).toEqual({ 'node-a': 'Insufficient cpu' });
  });
});
