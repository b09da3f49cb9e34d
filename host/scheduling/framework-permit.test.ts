/**
 * The framework's Permit waiting and PostFilter with kube-scheduler's semantics: per-plugin
 * wait timers (the shortest timeout rejects first, an allow stops that plugin's timer), allow /
 * reject from outside through the waiting-pod handle and from the plugin through waitOnPermit,
 * Unreserve in reverse on a rejected or timed-out wait, the binding cycle running apart from the
 * scheduling cycle (scheduleCycle), and PostFilter only when no node fits, its nominated node
 * reported and an Error status failing the cycle.
 */
import { describe, expect, it } from 'vitest';
import { makeNodeJson, makePod } from './builtins/testing.js';
import { Code, status, SUCCESS, type PluginStatus } from './builtins/types.js';
import { ClusterState, podKey } from './cluster-state.js';
import { Framework, type BindPlugin, type FilterPlugin, type PermitPlugin, type PostFilterPlugin, type Profile, type ReservePlugin, type WaitingPodHandle } from './framework.js';

const binder: BindPlugin = { name: 'Binder', bind: () => SUCCESS };

function profile(parts: Partial<Profile>): Profile {
  return {
    schedulerName: 'test', percentageOfNodesToScore: 0, preFilter: [], filter: [], postFilter: [], preScore: [], score: [],
    reserve: [], permit: [], preBind: [], bind: [binder], postBind: [], ...parts,
  };
}

function cluster(names: readonly string[] = ['n1']): ClusterState {
  const s = new ClusterState();
  for (const n of names) s.addNode(makeNodeJson(n, { cpu: '4', memory: '8Gi', pods: '110' }));
  return s;
}

const pod = (name = 'p') => makePod().name(name).req({ cpu: '100m' }).obj();
const waits = (name: string, ms: number, hook?: PermitPlugin['waitOnPermit']): PermitPlugin => ({
  name,
  permit: () => ({ status: status(Code.Wait), timeoutMs: ms }),
  ...(hook === undefined ? {} : { waitOnPermit: hook }),
});
const recorder = (log: string[], name: string): ReservePlugin => ({
  name,
  reserve: () => (log.push(`reserve ${name}`), SUCCESS),
  unreserve: () => void log.push(`unreserve ${name}`),
});

describe('Permit Wait', () => {
  it('the shortest timeout rejects, naming its plugin; Unreserve runs in reverse', async () => {
    const log: string[] = [];
    const fw = new Framework(profile({ permit: [waits('Slow', 60_000), waits('Quick', 30)], reserve: [recorder(log, 'R1'), recorder(log, 'R2')] }), cluster());
    const r = await fw.scheduleOne(pod());
    expect(r.status).toMatchObject({ code: Code.Unschedulable, plugin: 'Quick', reasons: ['rejected due to timeout after waiting 30ms at plugin Quick'] });
    expect(log).toEqual(['reserve R1', 'reserve R2', 'unreserve R2', 'unreserve R1']);
  });

  it('an allow stops that plugin\'s timer: a plugin that allowed never times the pod out later', async () => {
    const fw = new Framework(profile({ permit: [waits('Early', 40), waits('Late', 60_000)] }), cluster());
    const { done } = await fw.scheduleCycle(pod());
    const w = fw.waitingPod(podKey(pod()))!;
    w.allow('Early');
    await new Promise((r) => setTimeout(r, 120)); // past Early's 40 ms: its timer must be gone
    expect(w.settled).toBe(false);
    expect(w.pending).toEqual(['Late']);
    w.allow('Late');
    expect((await done).node).toBe('n1');
  });

  it('waitOnPermit hands the plugin the waiting pod: it allows or rejects it later', async () => {
    const handles: WaitingPodHandle[] = [];
    const gang = waits('Gang', 60_000, (_ctx, node, waiting, timeoutMs) => {
      expect([node, timeoutMs]).toEqual(['n1', 60_000]);
      handles.push(waiting);
    });
    const fw = new Framework(profile({ permit: [gang] }), cluster());
    const a = await fw.scheduleCycle(pod('a'));
    const b = await fw.scheduleCycle(pod('b'));
    // Both scheduling cycles are over while both pods wait: the next pod was not held up.
    expect(fw.waitingPods().map((w) => w.pod.name)).toEqual(['a', 'b']);
    expect(handles.map((h) => h.pod.name)).toEqual(['a', 'b']);
    handles[0]!.allow('Gang');
    handles[1]!.reject('Gang', 'gang broken');
    expect((await a.done).node).toBe('n1');
    expect((await b.done).status).toMatchObject({ code: Code.Unschedulable, plugin: 'Gang', reasons: ['gang broken'] });
    expect(fw.waitingPods()).toEqual([]);
  });

  it('a waitOnPermit that throws rejects the pod naming the plugin', async () => {
    const fw = new Framework(profile({ permit: [waits('Broken', 60_000, () => { throw new Error('no channel'); })] }), cluster());
    const r = await fw.scheduleOne(pod());
    expect(r.status).toMatchObject({ code: Code.Unschedulable, plugin: 'Broken' });
    expect(r.message).toMatch(/WaitOnPermit of plugin "Broken": no channel/);
  });
});

describe('PostFilter', () => {
  const full: FilterPlugin = { name: 'Full', filter: (_c, nodes) => nodes.map(() => status(Code.Unschedulable, 'node is full')) };
  const post = (name: string, s: PluginStatus, nominated?: string, calls?: string[]): PostFilterPlugin => ({
    name,
    postFilter: (_ctx, filtered) => {
      calls?.push(`${name}:${[...filtered.keys()].join(',')}`);
      return { status: s, nominatedNodeName: nominated };
    },
  });

  it('runs only when no node fits', async () => {
    const calls: string[] = [];
    const r = await new Framework(profile({ postFilter: [post('Preempt', SUCCESS, 'n1', calls)] }), cluster(['n1', 'n2'])).scheduleOne(pod());
    expect(r.node).not.toBeNull();
    expect(calls).toEqual([]);
  });

  it('Success nominates a node (reported; the pod stays unscheduled this cycle); later plugins are not called', async () => {
    const calls: string[] = [];
    const fw = new Framework(profile({ filter: [full], postFilter: [post('First', status(Code.Unschedulable, 'no victims'), undefined, calls), post('Preempt', SUCCESS, 'n2', calls), post('Never', SUCCESS, 'n1', calls)] }), cluster(['n1', 'n2']));
    const r = await fw.scheduleOne(pod());
    expect(r.node).toBeNull();
    expect(r.status.code).toBe(Code.Unschedulable);
    expect(r).toMatchObject({ nominatedNodeName: 'n2', nominatedBy: 'Preempt' });
    // kube's PostFilterMsg is the status that ended the point: Preempt's Success (no reasons), not First's.
    expect(r.message).toBe('0/2 nodes are available: 2 node is full.');
    expect(calls).toEqual(['First:n1,n2', 'Preempt:n1,n2']);
  });

  it('an Error status fails the cycle naming the plugin', async () => {
    const r = await new Framework(profile({ filter: [full], postFilter: [post('Bad', status(Code.Error, 'cannot list victims'))] }), cluster()).scheduleOne(pod());
    expect(r.status).toMatchObject({ code: Code.Error, plugin: 'Bad' });
    expect(r.message).toMatch(/running PostFilter plugin "Bad": cannot list victims/);
    expect(r.nominatedNodeName).toBeUndefined();
  });
});
