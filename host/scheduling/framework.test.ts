import { describe, expect, it, vi } from 'vitest';
import { makeNodeJson, makePod, testProfile } from './builtins/testing.js';
import { Code, SKIP, status, SUCCESS, type PluginStatus } from './builtins/types.js';
import { ClusterState, podKey } from './cluster-state.js';
import {
  fitErrorMessage,
  Framework,
  type BindPlugin,
  type FilterPlugin,
  type PermitPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type Profile,
  type ReservePlugin,
  type ScheduleResult,
  type ScorePlugin,
} from './framework.js';
import { defaultProfile, loadSchedulerConfiguration } from './profile.js';

// ---- fakes: each plugin decides per node name

const filterBy = (name: string, f: (node: string) => PluginStatus): FilterPlugin => ({ name, filter: (_ctx, nodes) => nodes.map((n) => f(n.name)) });
const scoreBy = (name: string, f: (node: string) => number, normalize?: (scores: number[]) => void): ScorePlugin => ({
  name,
  score: (_ctx, nodes) => ({ status: SUCCESS, scores: nodes.map((n) => f(n.name)) }),
  ...(normalize === undefined ? {} : { normalizeScore: (_c: unknown, _n: unknown, scores: number[]) => (normalize(scores), SUCCESS) }),
});
const preFilterWith = (name: string, s: PluginStatus, nodeNames?: string[]): PreFilterPlugin => ({
  name,
  preFilter: () => ({ status: s, nodeNames: nodeNames === undefined ? undefined : new Set(nodeNames) }),
});
const preScoreWith = (name: string, s: PluginStatus): PreScorePlugin => ({ name, preScore: () => s });

const profile = testProfile;

function cluster(names: readonly string[] = ['n1', 'n2', 'n3']): ClusterState {
  const s = new ClusterState();
  for (const n of names) s.addNode(makeNodeJson(n, { cpu: '4', memory: '8Gi', pods: '110' }));
  return s;
}

const pod = (name = 'p') => makePod().name(name).req({ cpu: '100m' }).obj();
const reject = (why: string) => status(Code.Unschedulable, why);
const unresolvable = (why: string) => status(Code.UnschedulableAndUnresolvable, why);

interface Row {
  readonly name: string;
  readonly profile: Partial<Profile>;
  readonly node: string | null;
  readonly code: number;
  readonly plugin?: string;
  readonly message?: string | RegExp;
  readonly filtered?: Record<string, string>;
  readonly scores?: Record<string, { total: number; plugins: Record<string, number> }>;
}

const flat = (r: ScheduleResult) => ({
  filtered: Object.fromEntries([...r.filtered].map(([n, s]) => [n, `${s.plugin}: ${s.reasons.join(', ')}`])),
  scores: Object.fromEntries([...r.scores].map(([n, s]) => [n, { total: s.total, plugins: { ...s.plugins } }])),
});

const byNode = (m: Record<string, number>) => (n: string) => m[n] ?? 0;

const ROWS: Row[] = [
  {
    name: 'Filter Unschedulable rejects that node with the plugin named; the others are scored',
    profile: { filter: [filterBy('F', (n) => (n === 'n1' ? reject('too hot') : SUCCESS))], score: [{ plugin: scoreBy('S', byNode({ n2: 10, n3: 20 })), weight: 1 }] },
    node: 'n3',
    code: Code.Success,
    filtered: { n1: 'F: too hot' },
    scores: { n2: { total: 10, plugins: { S: 10 } }, n3: { total: 20, plugins: { S: 20 } } },
  },
  {
    name: "a node keeps its first failing plugin's status",
    profile: {
      filter: [filterBy('A', (n) => (n === 'n1' ? reject('a says no') : SUCCESS)), filterBy('B', (n) => (n === 'n3' ? SUCCESS : unresolvable('b says no')))],
    },
    node: 'n3',
    code: Code.Success,
    filtered: { n1: 'A: a says no', n2: 'B: b says no' },
    scores: {},
  },
  {
    name: 'every node rejected: FitError text with reasons counted and sorted',
    profile: { filter: [filterBy('F', (n) => (n === 'n2' ? reject('Insufficient cpu') : unresolvable('node(s) had untolerated taint(s)')))] },
    node: null,
    code: Code.Unschedulable,
    plugin: '',
    message: '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint(s).',
  },
  {
    name: 'Filter Error ends the cycle naming the plugin',
    profile: { filter: [filterBy('Broken', (n) => (n === 'n2' ? status(Code.Error, 'boom') : SUCCESS))] },
    node: null,
    code: Code.Error,
    plugin: 'Broken',
    message: /^running "Broken" filter plugin: boom$/,
  },
  {
    name: 'Filter answering Skip is an Error (not a valid Filter status)',
    profile: { filter: [filterBy('Skippy', () => SKIP)] },
    node: null,
    code: Code.Error,
    plugin: 'Skippy',
  },
  {
    name: 'a throwing plugin is an Error status naming it',
    profile: { filter: [{ name: 'Thrower', filter: () => { throw new Error('kaput'); } }] },
    node: null,
    code: Code.Error,
    plugin: 'Thrower',
    message: /kaput/,
  },
  {
    name: "PreFilter Skip skips that plugin's Filter",
    profile: {
      preFilter: [preFilterWith('Gate', SKIP)],
      filter: [filterBy('Gate', () => unresolvable('never asked'))],
      score: [{ plugin: scoreBy('S', byNode({ n1: 1 })), weight: 1 }],
    },
    node: 'n1',
    code: Code.Success,
    filtered: {},
  },
  {
    name: 'PreFilter Unschedulable rejects every node with its message',
    profile: { preFilter: [preFilterWith('Gate', unresolvable('pod is gated'))], filter: [filterBy('F', () => SUCCESS)] },
    node: null,
    code: Code.UnschedulableAndUnresolvable,
    plugin: 'Gate',
    message: '0/3 nodes are available: pod is gated.',
    filtered: { n1: 'Gate: pod is gated', n2: 'Gate: pod is gated', n3: 'Gate: pod is gated' },
  },
  {
    name: 'PreFilter Error ends the cycle',
    profile: { preFilter: [preFilterWith('Gate', status(Code.Error, 'no state'))] },
    node: null,
    code: Code.Error,
    plugin: 'Gate',
  },
  {
    name: 'PreFilter node sets intersect; the other nodes are UnschedulableAndUnresolvable',
    profile: { preFilter: [preFilterWith('A', SUCCESS, ['n1', 'n2']), preFilterWith('B', SUCCESS, ['n2', 'n3'])] },
    node: 'n2',
    code: Code.Success,
    filtered: { n1: ": node(s) didn't satisfy plugin(s) [A B]", n3: ": node(s) didn't satisfy plugin(s) [A B]" },
  },
  {
    name: 'PreFilter node sets with an empty intersection',
    profile: { preFilter: [preFilterWith('A', SUCCESS, ['n1']), preFilterWith('B', SUCCESS, ['n3'])] },
    node: null,
    code: Code.UnschedulableAndUnresolvable,
    message: "0/3 nodes are available: node(s) didn't satisfy plugin(s) [A B] simultaneously.",
  },
  {
    name: "PreScore Skip drops that plugin's Score",
    profile: {
      preScore: [preScoreWith('Quiet', SKIP)],
      score: [{ plugin: scoreBy('Quiet', () => 1000), weight: 1 }, { plugin: scoreBy('S', byNode({ n1: 5 })), weight: 1 }],
    },
    node: 'n1',
    code: Code.Success,
    scores: { n1: { total: 5, plugins: { S: 5 } }, n2: { total: 0, plugins: { S: 0 } }, n3: { total: 0, plugins: { S: 0 } } },
  },
  {
    name: 'PreScore Error ends the cycle',
    profile: { preScore: [preScoreWith('P', status(Code.Error, 'bad terms'))], score: [{ plugin: scoreBy('S', () => 1), weight: 1 }] },
    node: null,
    code: Code.Error,
    plugin: 'P',
  },
  {
    name: 'a score above 100 is an Error naming the plugin',
    profile: { score: [{ plugin: scoreBy('Loud', byNode({ n2: 101 })), weight: 1 }] },
    node: null,
    code: Code.Error,
    plugin: 'Loud',
    message: /plugin "Loud" returns an invalid score 101, it should in the range of \[0, 100\] after normalizing/,
  },
  {
    name: 'a negative score is an Error',
    profile: { score: [{ plugin: scoreBy('Neg', () => -1), weight: 1 }] },
    node: null,
    code: Code.Error,
    plugin: 'Neg',
  },
  {
    name: 'the range is checked after NormalizeScore',
    profile: { score: [{ plugin: scoreBy('Raw', byNode({ n1: 3, n2: 500, n3: 1000 }), (s) => s.forEach((v, i) => (s[i] = Math.trunc(v / 10)))), weight: 1 }] },
    node: 'n3',
    code: Code.Success,
    scores: { n1: { total: 0, plugins: { Raw: 0 } }, n2: { total: 50, plugins: { Raw: 50 } }, n3: { total: 100, plugins: { Raw: 100 } } },
  },
  {
    name: 'a Score status other than Success is an Error',
    profile: { score: [{ plugin: { name: 'Sad', score: () => ({ status: status(Code.Unschedulable, 'meh'), scores: [] }) }, weight: 1 }] },
    node: null,
    code: Code.Error,
    plugin: 'Sad',
  },
  {
    name: 'totals are Σ score × weight; the highest total wins',
    profile: {
      score: [
        { plugin: scoreBy('A', byNode({ n1: 100, n2: 0, n3: 50 })), weight: 1 },
        { plugin: scoreBy('B', byNode({ n1: 0, n2: 40, n3: 20 })), weight: 3 },
      ],
    },
    node: 'n2',
    code: Code.Success,
    scores: { n1: { total: 100, plugins: { A: 100, B: 0 } }, n2: { total: 120, plugins: { A: 0, B: 40 } }, n3: { total: 110, plugins: { A: 50, B: 20 } } },
  },
];

describe('Framework.scheduleOne: each status code’s effect on the cycle', () => {
  it.each(ROWS)('$name', async (row) => {
    const state = cluster();
    const fw = new Framework(profile(row.profile), state, { seed: 1 });
    const r = await fw.scheduleOne(pod());
    expect(r.node).toBe(row.node);
    expect(r.status.code).toBe(row.code);
    if (row.plugin !== undefined) expect(r.status.plugin).toBe(row.plugin);
    if (typeof row.message === 'string') expect(r.message).toBe(row.message);
    else if (row.message !== undefined) expect(r.message).toMatch(row.message);
    if (row.filtered !== undefined) expect(flat(r).filtered).toEqual(row.filtered);
    if (row.scores !== undefined) expect(flat(r).scores).toEqual(row.scores);
    // A success is bound in the cluster state; a failure leaves nothing behind.
    const tracked = state.pod(podKey(pod()));
    if (row.node === null) expect(tracked).toBeUndefined();
    else expect(tracked).toMatchObject({ nodeName: row.node, phase: 'bound' });
  });

  it('skips scoring when one node is feasible (as kube does)', async () => {
    const s = vi.fn(() => ({ status: SUCCESS, scores: [1] }));
    const fw = new Framework(profile({ filter: [filterBy('F', (n) => (n === 'n2' ? SUCCESS : reject('no')))], score: [{ plugin: { name: 'S', score: s }, weight: 1 }] }), cluster());
    const r = await fw.scheduleOne(pod());
    expect(r.node).toBe('n2');
    expect(s).not.toHaveBeenCalled();
    expect(r.scores.size).toBe(0);
  });

  it('gives every node 1 when the profile has no Score plugin', async () => {
    const r = await new Framework(profile({}), cluster(), { seed: 3 }).scheduleOne(pod());
    expect([...r.scores.values()].map((s) => s.total)).toEqual([1, 1, 1]);
  });

  it('calls each plugin once per point for all nodes, awaiting async plugins without per-node calls', async () => {
    const filterCalls: number[] = [];
    const asyncFilter: FilterPlugin = {
      name: 'Remote',
      filter: async (_ctx, nodes) => {
        filterCalls.push(nodes.length);
        await Promise.resolve();
        return nodes.map((n) => (n.name === 'n1' ? reject('remote says no') : SUCCESS));
      },
    };
    const asyncScore: ScorePlugin = { name: 'RemoteScore', score: async (_ctx, nodes) => ({ status: SUCCESS, scores: nodes.map((n) => (n.name === 'n2' ? 9 : 1)) }) };
    const r = await new Framework(profile({ filter: [asyncFilter], score: [{ plugin: asyncScore, weight: 2 }] }), cluster()).scheduleOne(pod());
    expect(filterCalls).toEqual([3]);
    expect(r.node).toBe('n2');
    expect(r.scores.get('n2')).toEqual({ total: 18, plugins: { RemoteScore: 9 } });
  });
});

  it('calls out-of-process plugins of one point concurrently, keeping the sequential outcome', async () => {
    // Each "remote" plugin answers only once every remote plugin of the point has been called:
    // awaiting them one by one would never finish.
    const called = new Set<string>();
    let release!: () => void;
    const all = new Promise<void>((resolve) => (release = resolve));
    const arrive = async (name: string, want: number): Promise<void> => {
      called.add(name);
      if (called.size === want) release();
      await all;
    };
    const remoteFilter = (name: string, rejects: Record<string, PluginStatus>): FilterPlugin => ({
      name,
      filter: async (_ctx, nodes) => {
        await arrive(name, 2);
        return nodes.map((n) => rejects[n.name] ?? SUCCESS);
      },
    });
    const scoring = new Set<string>();
    let scored!: () => void;
    const bothScoring = new Promise<void>((resolve) => (scored = resolve));
    const remoteScore = (name: string, by: Record<string, number>): ScorePlugin => ({
      name,
      score: async (_ctx, nodes) => {
        scoring.add(name);
        if (scoring.size === 2) scored();
        await bothScoring;
        return { status: SUCCESS, scores: nodes.map((n) => by[n.name] ?? 0) };
      },
    });
    const fw = new Framework(profile({
      // The built-in-like first plugin answers at once and narrows what the remote ones see.
      filter: [filterBy('Local', (n) => (n === 'n4' ? reject('local says no') : SUCCESS)),
        remoteFilter('RemoteA', { n1: reject('A says no'), n2: reject('A says no') }),
        remoteFilter('RemoteB', { n1: unresolvable('B says no'), n3: reject('B says no') })],
      score: [{ plugin: remoteScore('ScoreA', { n5: 10, n6: 50 }), weight: 1 }, { plugin: remoteScore('ScoreB', { n5: 90, n6: 10 }), weight: 1 }],
    }), cluster(['n1', 'n2', 'n3', 'n4', 'n5', 'n6']));
    const r = await fw.scheduleOne(pod());
    expect(r.node).toBe('n5');
    // Each node's reason is the first plugin in profile order that rejected it.
    expect(Object.fromEntries([...r.filtered].map(([n, s]) => [n, `${s.plugin}: ${s.reasons[0]}`]))).toEqual({
      n1: 'RemoteA: A says no', n2: 'RemoteA: A says no', n3: 'RemoteB: B says no', n4: 'Local: local says no',
    });
    expect(r.scores.get('n5')).toEqual({ total: 100, plugins: { ScoreA: 10, ScoreB: 90 } });
  });

describe('tie-break', () => {
  async function choices(seed: number, pods: number): Promise<string[]> {
    const fw = new Framework(profile({ score: [{ plugin: scoreBy('Flat', () => 7), weight: 1 }] }), cluster(), { seed });
    const out: string[] = [];
    for (let i = 0; i < pods; i++) out.push((await fw.scheduleOne(pod(`p${i}`))).node as string);
    return out;
  }

  it('is deterministic for a seed', async () => {
    expect(await choices(42, 12)).toEqual(await choices(42, 12));
  });

  it('picks among all tied nodes', async () => {
    const seen = new Set((await Promise.all(Array.from({ length: 20 }, (_, s) => choices(s, 1)))).flat());
    expect([...seen].sort()).toEqual(['n1', 'n2', 'n3']);
  });
});

describe('numFeasibleNodesToFind and the rotating start index', () => {
  const names = Array.from({ length: 200 }, (_, i) => `n${i}`);

  it('stops at 100 feasible nodes of 200 and starts the next cycle where the last stopped', async () => {
    const firstSeen: string[] = [];
    const f: FilterPlugin = {
      name: 'Watch',
      filter: (_ctx, nodes) => {
        firstSeen.push((nodes[0] as { name: string }).name);
        return nodes.map(() => SUCCESS);
      },
    };
    const fw = new Framework(profile({ filter: [f] }), cluster(names), { seed: 1 });
    const r1 = await fw.scheduleOne(pod('a'));
    expect(r1.feasibleNodes).toBe(100);
    expect(r1.evaluatedNodes).toBe(100);
    await fw.scheduleOne(pod('b'));
    expect(firstSeen).toEqual(['n0', 'n100']);
  });

  it('counts rejected nodes as processed and honours percentageOfNodesToScore', async () => {
    const odd = filterBy('Odd', (n) => (Number(n.slice(1)) % 2 === 1 ? SUCCESS : reject('even')));
    const fw = new Framework(profile({ filter: [odd], percentageOfNodesToScore: 60 }), cluster(names), { seed: 1 });
    const r = await fw.scheduleOne(pod());
    // k = max(200·60/100, 100) = 120 feasible: odd nodes 1…239 would be needed, only 100 exist.
    expect(r.feasibleNodes).toBe(100);
    expect(r.filtered.size).toBe(100);
    const fw2 = new Framework(profile({ filter: [odd] }), cluster(names), { seed: 1 });
    const r2 = await fw2.scheduleOne(pod());
    // adaptive: 50 − 200/125 = 49% → 98 → at least 100; the 100th odd node is n199.
    expect(r2.feasibleNodes).toBe(100);
    expect(r2.evaluatedNodes).toBe(200);
  });
});

describe('Reserve, Permit, Bind', () => {
  function recorder(log: string[], name: string, reserveStatus: PluginStatus = SUCCESS): ReservePlugin {
    return {
      name,
      reserve: () => (log.push(`reserve ${name}`), reserveStatus),
      unreserve: () => void log.push(`unreserve ${name}`),
    };
  }

  it('a Reserve failure runs every Unreserve in reverse order and forgets the assumed pod', async () => {
    const log: string[] = [];
    const state = cluster(['n1']);
    const fw = new Framework(profile({ reserve: [recorder(log, 'R1'), recorder(log, 'R2', status(Code.Error, 'no room')), recorder(log, 'R3')] }), state);
    const r = await fw.scheduleOne(pod());
    expect(r.node).toBeNull();
    expect(r.status).toMatchObject({ code: Code.Error, plugin: 'R2' });
    expect(log).toEqual(['reserve R1', 'reserve R2', 'unreserve R3', 'unreserve R2', 'unreserve R1']);
    expect(state.pod(podKey(pod()))).toBeUndefined();
    expect(state.node('n1')?.podCount).toBe(0);
  });

  it('the Bind chain: Skip passes on, the first non-Skip binds, later binders are not called', async () => {
    const calls: string[] = [];
    const b = (name: string, s: PluginStatus): BindPlugin => ({ name, bind: () => (calls.push(name), s) });
    const state = cluster(['n1']);
    const r = await new Framework(profile({ bind: [b('B1', SKIP), b('B2', SUCCESS), b('B3', SUCCESS)] }), state).scheduleOne(pod());
    expect(r.node).toBe('n1');
    expect(calls).toEqual(['B1', 'B2']);
    expect(state.pod(podKey(pod()))?.phase).toBe('bound');
  });

  it.each([
    ['every binder skips', [{ name: 'B1', bind: () => SKIP }], ''],
    ['a binder fails', [{ name: 'B1', bind: () => status(Code.Error, 'api down') }], 'B1'],
  ])('%s: Error, Unreserve, pod forgotten', async (_n, bind, plugin) => {
    const log: string[] = [];
    const state = cluster(['n1']);
    const r = await new Framework(profile({ bind: bind as BindPlugin[], reserve: [recorder(log, 'R')] }), state).scheduleOne(pod());
    expect(r.status).toMatchObject({ code: Code.Error, plugin });
    expect(log).toEqual(['reserve R', 'unreserve R']);
    expect(state.pod(podKey(pod()))).toBeUndefined();
  });

  const waitFor = (ms: number): PermitPlugin => ({ name: 'Gang', permit: () => ({ status: status(Code.Wait), timeoutMs: ms }) });

  it('Permit Wait: the pod binds once the waiting plugin allows it', async () => {
    const state = cluster(['n1']);
    const fw = new Framework(profile({ permit: [waitFor(60_000)] }), state);
    const p = pod();
    const done = fw.scheduleOne(p);
    await vi.waitFor(() => expect(fw.waitingPod(podKey(p))?.pending).toEqual(['Gang']));
    expect(state.pod(podKey(p))?.phase).toBe('assumed');
    fw.waitingPod(podKey(p))?.allow('Gang');
    expect((await done).node).toBe('n1');
    expect(fw.waitingPod(podKey(p))).toBeUndefined();
  });

  it('Permit Wait: a rejection or the timeout unreserves', async () => {
    const log: string[] = [];
    const state = cluster(['n1']);
    const fw = new Framework(profile({ permit: [waitFor(60_000)], reserve: [recorder(log, 'R')] }), state);
    const p = pod();
    const done = fw.scheduleOne(p);
    await vi.waitFor(() => expect(fw.waitingPod(podKey(p))).toBeDefined());
    fw.waitingPod(podKey(p))?.reject('Gang', 'gang incomplete');
    expect((await done).status).toMatchObject({ code: Code.Unschedulable, plugin: 'Gang', reasons: ['gang incomplete'] });
    expect(log).toEqual(['reserve R', 'unreserve R']);

    const timed = await new Framework(profile({ permit: [waitFor(5)] }), cluster(['n1'])).scheduleOne(pod('q'));
    expect(timed.status.code).toBe(Code.Unschedulable);
    expect(timed.message).toMatch(/rejected due to timeout after waiting 5ms at plugin Gang/);
  });

  it('Permit rejection ends the cycle without waiting', async () => {
    const r = await new Framework(profile({ permit: [{ name: 'No', permit: () => ({ status: reject('quota') }) }] }), cluster(['n1'])).scheduleOne(pod());
    expect(r.status).toMatchObject({ code: Code.Unschedulable, plugin: 'No' });
  });
});

describe('DESIGN.md §3 public cases through the framework and the default profile', () => {
  function designCluster(): ClusterState {
    const s = new ClusterState();
    s.addNode(makeNodeJson('n4', { cpu: '4000m', memory: '10000', pods: '110' }));
    s.addNode(makeNodeJson('n6', { cpu: '6000m', memory: '10000', pods: '110' }));
    return s;
  }
  const designPod = () => makePod().name('p').req({ cpu: '3000m', memory: '5000' }).obj();

  it('LeastAllocated 37/50, BalancedAllocation 87/100; the 6000m node wins', async () => {
    const r = await new Framework(defaultProfile(), designCluster(), { seed: 1 }).scheduleOne(designPod());
    expect(flat(r).scores).toEqual({
      n4: { total: 3 * 100 + 37 + 87, plugins: { TaintToleration: 100, NodeResourcesFit: 37, NodeResourcesBalancedAllocation: 87 } },
      n6: { total: 3 * 100 + 50 + 100, plugins: { TaintToleration: 100, NodeResourcesFit: 50, NodeResourcesBalancedAllocation: 100 } },
    });
    expect(r.node).toBe('n6');
  });

  it('MostAllocated with NodeResourcesFit weighted 5 flips the choice (pluginConfig and score weights applied)', async () => {
    const config = loadSchedulerConfiguration({
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      profiles: [
        {
          schedulerName: 'default-scheduler',
          plugins: { score: { enabled: [{ name: 'NodeResourcesFit', weight: 5 }] } },
          pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }],
        },
      ],
    });
    const r = await new Framework(config.profiles[0] as Profile, designCluster(), { seed: 1 }).scheduleOne(designPod());
    // MostAllocated: n4 = (75 + 50) / 2 = 62, n6 = (50 + 50) / 2 = 50.
    expect(r.scores.get('n4')).toEqual({ total: 300 + 5 * 62 + 87, plugins: { TaintToleration: 100, NodeResourcesFit: 62, NodeResourcesBalancedAllocation: 87 } });
    expect(r.scores.get('n6')?.total).toBe(300 + 5 * 50 + 100);
    expect(r.node).toBe('n4');
  });
});

describe('fitErrorMessage', () => {
  it('counts each reason over nodes, sorted as strings', () => {
    const m = new Map([
      ['a', status(Code.Unschedulable, 'Insufficient cpu', 'Insufficient memory')],
      ['b', status(Code.Unschedulable, 'Insufficient cpu')],
      ['c', status(Code.UnschedulableAndUnresolvable, 'node(s) had untolerated taint(s)')],
    ]);
    expect(fitErrorMessage(4, m, '')).toBe('0/4 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint(s), 2 Insufficient cpu.');
  });
});
