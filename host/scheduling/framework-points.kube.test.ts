/**
 * kube-scheduler's framework_test.go (pkg/scheduler/framework/runtime), ported for the extension
 * points after PreFilter and Score (framework.kube.test.ts has those): each upstream case mapped
 * to plugd's typed statuses, asserting the same code, plugin and, where plugd repeats kube's
 * words, the same message. Upstream's injected statuses carry "injected filter status" (Filter)
 * or "injected status" (the others).
 */
import { describe, expect, it } from 'vitest';
import { makeNodeJson, makePod, testProfile } from './builtins/testing.js';
import { Code, SKIP, status, SUCCESS, type PluginStatus, type StatusCode } from './builtins/types.js';
import { ClusterState, podKey } from './cluster-state.js';
import {
  CycleState,
  Framework,
  goDuration,
  MaxPermitWaitMs,
  type BindPlugin,
  type CycleContext,
  type FilterPlugin,
  type PermitPlugin,
  type PostFilterPlugin,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ReservePlugin,
  type ScorePlugin,
} from './framework.js';

const injectFilterReason = 'injected filter status';
const injectReason = 'injected status';

const profile = testProfile;

function cluster(names: readonly string[] = ['node1']): ClusterState {
  const s = new ClusterState();
  for (const n of names) s.addNode(makeNodeJson(n, { cpu: '4', memory: '8Gi', pods: '110' }));
  return s;
}

const pod = () => makePod().name('p').req({ cpu: '100m' }).obj();

/** A cycle context for calling one runX directly, as upstream calls f.RunXPlugins(ctx, state, pod, ""). */
function context(state: ClusterState = cluster()): CycleContext {
  return { pod: pod(), state: new CycleState(), snapshot: state.snapshot() };
}

/** Upstream's injected status: Success carries no reason. */
const injected = (code: StatusCode, reason = injectReason): PluginStatus => (code === Code.Success ? SUCCESS : code === Code.Skip ? SKIP : status(code, reason));

type Want = { readonly code: StatusCode; readonly plugin?: string; readonly reasons?: readonly string[] };

// TestFilterPlugins: one node; the first plugin not answering Success decides, later plugins are
// not run on that node; an Error is wrapped as `running "<plugin>" filter plugin: …`.
describe('Filter (framework_test.go TestFilterPlugins)', () => {
  const wrapped = (name: string): Want => ({ code: Code.Error, plugin: name, reasons: [`running "${name}" filter plugin: ${injectFilterReason}`] });
  const rejected = (code: StatusCode, name: string): Want => ({ code, plugin: name, reasons: [injectFilterReason] });

  it.each<[string, [string, StatusCode][], Want | null, string[], string[]?]>([
    ['SuccessFilter', [['TestPlugin', Code.Success]], null, ['TestPlugin']],
    ['ErrorFilter', [['TestPlugin', Code.Error]], wrapped('TestPlugin'), ['TestPlugin']],
    ['UnschedulableFilter', [['TestPlugin', Code.Unschedulable]], rejected(Code.Unschedulable, 'TestPlugin'), ['TestPlugin']],
    ['UnschedulableAndUnresolvableFilter', [['TestPlugin', Code.UnschedulableAndUnresolvable]], rejected(Code.UnschedulableAndUnresolvable, 'TestPlugin'), ['TestPlugin']],
    ['ErrorAndErrorFilters', [['TestPlugin1', Code.Error], ['TestPlugin2', Code.Error]], wrapped('TestPlugin1'), ['TestPlugin1']],
    ['UnschedulableAndUnschedulableFilters', [['TestPlugin1', Code.Unschedulable], ['TestPlugin2', Code.Unschedulable]], rejected(Code.Unschedulable, 'TestPlugin1'), ['TestPlugin1']],
    [
      'UnschedulableAndUnschedulableAndUnresolvableFilters',
      [['TestPlugin1', Code.UnschedulableAndUnresolvable], ['TestPlugin2', Code.Unschedulable]],
      rejected(Code.UnschedulableAndUnresolvable, 'TestPlugin1'),
      ['TestPlugin1'],
    ],
    ['SuccessAndSuccessFilters', [['TestPlugin1', Code.Success], ['TestPlugin2', Code.Success]], null, ['TestPlugin1', 'TestPlugin2']],
    // Upstream sets SkipFilterPlugins in the state; in plugd the plugin's PreFilter answers Skip.
    ['SuccessAndSkipFilters', [['TestPlugin1', Code.Success], ['TestPlugin2', Code.Error]], null, ['TestPlugin1'], ['TestPlugin2']],
    ['ErrorAndSuccessFilters', [['TestPlugin1', Code.Error], ['TestPlugin2', Code.Success]], wrapped('TestPlugin1'), ['TestPlugin1']],
    ['SuccessAndErrorFilters', [['TestPlugin1', Code.Success], ['TestPlugin2', Code.Error]], wrapped('TestPlugin2'), ['TestPlugin1', 'TestPlugin2']],
    ['SuccessAndUnschedulableFilters', [['TestPlugin1', Code.Success], ['TestPlugin2', Code.Unschedulable]], rejected(Code.Unschedulable, 'TestPlugin2'), ['TestPlugin1', 'TestPlugin2']],
  ])('%s', async (_name, plugins, want, wantRan, skipped = []) => {
    const ran: string[] = [];
    const filter = plugins.map(([name, code]): FilterPlugin => ({ name, filter: (_c, nodes) => (ran.push(name), nodes.map(() => injected(code, injectFilterReason))) }));
    const preFilter = skipped.map((name): PreFilterPlugin => ({ name, preFilter: () => ({ status: SKIP }) }));
    const state = cluster();
    const r = await new Framework(profile({ filter, preFilter }), state).filterNodes(pod(), state.snapshot().nodes);
    expect(ran).toEqual(wantRan);
    if (want === null) {
      expect(r.error).toBeUndefined();
      expect(r.feasible.map((n) => n.name)).toEqual(['node1']);
    } else if (want.code === Code.Error) {
      expect(r.error).toEqual(want);
    } else {
      expect(r.error).toBeUndefined();
      expect(r.filtered.get('node1')).toEqual(want);
    }
  });

  it('an Error in a full cycle ends it with that status and message', async () => {
    const filter: FilterPlugin[] = [{ name: 'TestPlugin', filter: (_c, nodes) => nodes.map(() => status(Code.Error, injectFilterReason)) }];
    const r = await new Framework(profile({ filter }), cluster(['node1', 'node2'])).scheduleOne(pod());
    expect(r.status).toEqual({ code: Code.Error, plugin: 'TestPlugin', reasons: [`running "TestPlugin" filter plugin: ${injectFilterReason}`] });
    expect(r.message).toBe(`running "TestPlugin" filter plugin: ${injectFilterReason}`);
  });

  // TestFilterPluginsWithNominatedPods: not ported; plugd's framework keeps no nominated pods
  // (a PostFilter nomination is reported to the caller, which schedules the pod again).
});

// TestPostFilterPlugins: the first Success ends the point, as does UnschedulableAndUnresolvable;
// Unschedulable lets the next plugin try and its reasons are gathered. The point's message is
// added to the FitError (schedule_one.go: fitError.Diagnosis.PostFilterMsg = status.Message()).
// Upstream's "skips all post filters if state has SkipPostFilterPlugins" has no plugd
// counterpart (nothing in plugd sets that flag).
describe('PostFilter (framework_test.go TestPostFilterPlugins)', () => {
  const full: FilterPlugin = { name: 'Full', filter: (_c, nodes) => nodes.map(() => status(Code.Unschedulable, 'node is full')) };
  const fitError = '0/2 nodes are available: 2 node is full.';

  it.each<[string, [string, StatusCode][], string, string[]]>([
    ['a single plugin makes a Pod schedulable', [['TestPlugin', Code.Success]], `${fitError} TestPlugin ${injectReason}.`, ['TestPlugin']],
    [
      'plugin1 failed to make a Pod schedulable, followed by plugin2 which makes the Pod schedulable',
      [['TestPlugin1', Code.Unschedulable], ['TestPlugin2', Code.Success]],
      `${fitError} TestPlugin2 ${injectReason}.`,
      ['TestPlugin1', 'TestPlugin2'],
    ],
    [
      'plugin1 makes a Pod schedulable, followed by plugin2 which cannot make the Pod schedulable',
      [['TestPlugin1', Code.Success], ['TestPlugin2', Code.Unschedulable]],
      `${fitError} TestPlugin1 ${injectReason}.`,
      ['TestPlugin1'],
    ],
    [
      'plugin1 failed to make a Pod schedulable, followed by plugin2 which makes the Pod unresolvable',
      [['TestPlugin1', Code.Unschedulable], ['TestPlugin2', Code.UnschedulableAndUnresolvable]],
      `${fitError} TestPlugin2 ${injectReason}.`,
      ['TestPlugin1', 'TestPlugin2'],
    ],
    [
      'both plugins failed to make a Pod schedulable',
      [['TestPlugin1', Code.Unschedulable], ['TestPlugin2', Code.Unschedulable]],
      `${fitError} TestPlugin1 ${injectReason}, TestPlugin2 ${injectReason}.`,
      ['TestPlugin1', 'TestPlugin2'],
    ],
  ])('%s', async (_name, plugins, wantMessage, wantRan) => {
    const ran: string[] = [];
    // Each plugin's reason names it, so the message shows whose status the point ended with.
    const postFilter = plugins.map(([name, code]): PostFilterPlugin => ({
      name,
      postFilter: () => (ran.push(name), { status: status(code, `${name} ${injectReason}`), nominatedNodeName: code === Code.Success ? 'node2' : undefined }),
    }));
    const r = await new Framework(profile({ filter: [full], postFilter }), cluster(['node1', 'node2'])).scheduleOne(pod());
    expect(ran).toEqual(wantRan);
    expect(r.node).toBeNull();
    expect(r.status.code).toBe(Code.Unschedulable);
    expect(r.message).toBe(wantMessage);
    const by = plugins.find(([, c]) => c === Code.Success)?.[0];
    expect(r.nominatedBy).toBe(by !== undefined && wantRan.includes(by) ? by : undefined);
  });

  // Upstream: RunPostFilterPlugins answers the Error naming TestPlugin1, and TestPlugin2 is not
  // called. plugd's cycle then fails with it (scheduling.proto), where kube logs it and keeps
  // the FitError.
  it('plugin1 returns an Error, followed by plugin2 which makes the Pod schedulable', async () => {
    const ran: string[] = [];
    const post = (name: string, code: StatusCode): PostFilterPlugin => ({ name, postFilter: () => (ran.push(name), { status: injected(code) }) });
    const r = await new Framework(profile({ filter: [full], postFilter: [post('TestPlugin1', Code.Error), post('TestPlugin2', Code.Success)] }), cluster(['node1', 'node2'])).scheduleOne(pod());
    expect(ran).toEqual(['TestPlugin1']);
    expect(r.status).toMatchObject({ code: Code.Error, plugin: 'TestPlugin1' });
    expect(r.message).toBe(`running PostFilter plugin "TestPlugin1": ${injectReason}`);
  });
});

// TestReservePlugins: Reserve runs in order and stops at the first non-Success; a rejection is
// kept (naming its plugin), anything else is wrapped as `running Reserve plugin "<plugin>": …`.
describe('Reserve (framework_test.go TestReservePlugins)', () => {
  const wrapped = (name: string): Want => ({ code: Code.Error, plugin: name, reasons: [`running Reserve plugin "${name}": ${injectReason}`] });

  it.each<[string, [string, StatusCode][], Want, string[]]>([
    ['NoReservePlugin', [], { code: Code.Success }, []],
    ['SuccessReservePlugins', [['TestPlugin', Code.Success]], { code: Code.Success }, ['TestPlugin']],
    ['UnschedulableReservePlugin', [['TestPlugin', Code.Unschedulable]], { code: Code.Unschedulable, plugin: 'TestPlugin', reasons: [injectReason] }, ['TestPlugin']],
    ['ErrorReservePlugin', [['TestPlugin', Code.Error]], wrapped('TestPlugin'), ['TestPlugin']],
    [
      'UnschedulableAndUnresolvableReservePlugin',
      [['TestPlugin', Code.UnschedulableAndUnresolvable]],
      { code: Code.UnschedulableAndUnresolvable, plugin: 'TestPlugin', reasons: [injectReason] },
      ['TestPlugin'],
    ],
    ['SuccessSuccessReservePlugins', [['TestPlugin', Code.Success], ['TestPlugin 1', Code.Success]], { code: Code.Success }, ['TestPlugin', 'TestPlugin 1']],
    ['ErrorErrorReservePlugins', [['TestPlugin', Code.Error], ['TestPlugin 1', Code.Error]], wrapped('TestPlugin'), ['TestPlugin']],
    ['SuccessErrorReservePlugins', [['TestPlugin', Code.Success], ['TestPlugin 1', Code.Error]], wrapped('TestPlugin 1'), ['TestPlugin', 'TestPlugin 1']],
    ['ErrorSuccessReservePlugin', [['TestPlugin', Code.Error], ['TestPlugin 1', Code.Success]], wrapped('TestPlugin'), ['TestPlugin']],
    [
      'UnschedulableAndSuccessReservePlugin',
      [['TestPlugin', Code.Unschedulable], ['TestPlugin 1', Code.Success]],
      { code: Code.Unschedulable, plugin: 'TestPlugin', reasons: [injectReason] },
      ['TestPlugin'],
    ],
  ])('%s', async (_name, plugins, want, wantRan) => {
    const ran: string[] = [];
    const reserve = plugins.map(([name, code]): ReservePlugin => ({ name, reserve: () => (ran.push(name), injected(code)), unreserve: () => undefined }));
    const s = await new Framework(profile({ reserve }), cluster()).runReserve(context(), 'node1');
    expect(s).toMatchObject(want);
    expect(ran).toEqual(wantRan);
  });

  // RunReservePluginsUnreserve: every Reserve plugin's Unreserve, in reverse, those after the failing one included.
  it('a failed Reserve unreserves every plugin in reverse order and leaves the pod unbound', async () => {
    const log: string[] = [];
    const rp = (name: string, code: StatusCode): ReservePlugin => ({ name, reserve: () => (log.push(`reserve ${name}`), injected(code)), unreserve: () => void log.push(`unreserve ${name}`) });
    const state = cluster();
    const r = await new Framework(profile({ reserve: [rp('R1', Code.Success), rp('R2', Code.Unschedulable), rp('R3', Code.Success)] }), state).scheduleOne(pod());
    expect(r.status).toMatchObject({ code: Code.Unschedulable, plugin: 'R2', reasons: [injectReason] });
    expect(log).toEqual(['reserve R1', 'reserve R2', 'unreserve R3', 'unreserve R2', 'unreserve R1']);
    expect(state.pod(podKey(pod()))).toBeUndefined();
  });
});

// TestPermitPlugins: a rejection is kept (naming its plugin), anything but Success / Wait is
// wrapped as `running Permit plugin "<plugin>": …`, and the first of those ends the point.
describe('Permit (framework_test.go TestPermitPlugins)', () => {
  const wrapped = (name: string): Want => ({ code: Code.Error, plugin: name, reasons: [`running Permit plugin "${name}": ${injectReason}`] });

  it.each<[string, [string, StatusCode][], Want, string[]]>([
    ['NilPermitPlugin', [], { code: Code.Success }, []],
    ['SuccessPermitPlugin', [['TestPlugin', Code.Success]], { code: Code.Success }, ['TestPlugin']],
    ['UnschedulablePermitPlugin', [['TestPlugin', Code.Unschedulable]], { code: Code.Unschedulable, plugin: 'TestPlugin', reasons: [injectReason] }, ['TestPlugin']],
    ['ErrorPermitPlugin', [['TestPlugin', Code.Error]], wrapped('TestPlugin'), ['TestPlugin']],
    [
      'UnschedulableAndUnresolvablePermitPlugin',
      [['TestPlugin', Code.UnschedulableAndUnresolvable]],
      { code: Code.UnschedulableAndUnresolvable, plugin: 'TestPlugin', reasons: [injectReason] },
      ['TestPlugin'],
    ],
    ['SuccessSuccessPermitPlugin', [['TestPlugin', Code.Success], ['TestPlugin 1', Code.Success]], { code: Code.Success }, ['TestPlugin', 'TestPlugin 1']],
    ['ErrorAndErrorPlugins', [['TestPlugin', Code.Error], ['TestPlugin 1', Code.Error]], wrapped('TestPlugin'), ['TestPlugin']],
  ])('%s', async (_name, plugins, want, wantRan) => {
    const ran: string[] = [];
    const permit = plugins.map(([name, code]): PermitPlugin => ({ name, permit: () => (ran.push(name), { status: injected(code) }) }));
    const s = await new Framework(profile({ permit }), cluster()).runPermit(context(), 'node1');
    expect(s).toMatchObject(want);
    expect(ran).toEqual(wantRan);
  });

  // WaitPermitPlugin: wantPluginsWaitTime {TestPlugin: 0, TestPlugin2: 1s}. A Wait without a
  // timeout waits 0, so it times out at once, with kube's message (the duration as Go prints it).
  it('WaitPermitPlugin: each waiting plugin gets its own timeout, 0 by default', async () => {
    const given: [string, number][] = [];
    const waits = (name: string, timeoutMs?: number): PermitPlugin => ({
      name,
      permit: () => ({ status: status(Code.Wait), timeoutMs }),
      waitOnPermit: (_c, _n, _w, ms) => void given.push([name, ms]),
    });
    const r = await new Framework(profile({ permit: [waits('TestPlugin'), waits('TestPlugin2', 1000)] }), cluster()).scheduleOne(pod());
    expect(given).toEqual([['TestPlugin', 0], ['TestPlugin2', 1000]]);
    expect(r.status).toEqual({ code: Code.Unschedulable, plugin: 'TestPlugin', reasons: ['rejected due to timeout after waiting 0s at plugin TestPlugin'] });
  });

  it('a Wait is capped at 15 minutes (maxTimeout)', async () => {
    let givenMs = -1;
    const permit: PermitPlugin = {
      name: 'Long',
      permit: () => ({ status: status(Code.Wait), timeoutMs: 20 * 60 * 1000 }),
      waitOnPermit: (_c, _n, w, ms) => {
        givenMs = ms;
        w.allow('Long');
      },
    };
    const r = await new Framework(profile({ permit: [permit] }), cluster()).scheduleOne(pod());
    expect(MaxPermitWaitMs).toBe(15 * 60 * 1000);
    expect(givenMs).toBe(MaxPermitWaitMs);
    expect(r.node).toBe('node1');
  });

  // waitingPod.Reject: Unschedulable with the message, naming the rejecting plugin; Unreserve follows.
  it('a rejected waiting pod fails with the plugin\'s message and is unreserved', async () => {
    const log: string[] = [];
    const permit: PermitPlugin = { name: 'Gate', permit: () => ({ status: status(Code.Wait), timeoutMs: 60_000 }), waitOnPermit: (_c, _n, w) => w.reject('Gate', 'not today') };
    const reserve: ReservePlugin = { name: 'R', reserve: () => SUCCESS, unreserve: () => void log.push('unreserve R') };
    const r = await new Framework(profile({ permit: [permit], reserve: [reserve] }), cluster()).scheduleOne(pod());
    expect(r.status).toEqual({ code: Code.Unschedulable, plugin: 'Gate', reasons: ['not today'] });
    expect(log).toEqual(['unreserve R']);
  });

  it.each([
    [0, '0s'],
    [30, '30ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [60_000, '1m0s'],
    [MaxPermitWaitMs, '15m0s'],
    [3_600_000, '1h0m0s'],
    [0.5, '500µs'],
  ])('waits of %d ms print as Go prints a time.Duration: %s', (ms, want) => {
    expect(goDuration(ms)).toBe(want);
  });
});

// TestPreBindPlugins: the first non-Success ends it; a rejection is kept (naming its plugin),
// anything else is wrapped as `running PreBind plugin "<plugin>": …`.
describe('PreBind (framework_test.go TestPreBindPlugins)', () => {
  const wrapped = (name: string): Want => ({ code: Code.Error, plugin: name, reasons: [`running PreBind plugin "${name}": ${injectReason}`] });

  it.each<[string, [string, StatusCode][], Want, string[]]>([
    ['NoPreBindPlugin', [], { code: Code.Success }, []],
    ['SuccessPreBindPlugins', [['TestPlugin', Code.Success]], { code: Code.Success }, ['TestPlugin']],
    ['UnschedulablePreBindPlugin', [['TestPlugin', Code.Unschedulable]], { code: Code.Unschedulable, plugin: 'TestPlugin', reasons: [injectReason] }, ['TestPlugin']],
    ['ErrorPreBindPlugin', [['TestPlugin', Code.Error]], wrapped('TestPlugin'), ['TestPlugin']],
    [
      'UnschedulableAndUnresolvablePreBindPlugin',
      [['TestPlugin', Code.UnschedulableAndUnresolvable]],
      { code: Code.UnschedulableAndUnresolvable, plugin: 'TestPlugin', reasons: [injectReason] },
      ['TestPlugin'],
    ],
    ['SuccessErrorPreBindPlugins', [['TestPlugin', Code.Success], ['TestPlugin 1', Code.Error]], wrapped('TestPlugin 1'), ['TestPlugin', 'TestPlugin 1']],
    ['ErrorSuccessPreBindPlugin', [['TestPlugin', Code.Error], ['TestPlugin 1', Code.Success]], wrapped('TestPlugin'), ['TestPlugin']],
    ['SuccessSuccessPreBindPlugin', [['TestPlugin', Code.Success], ['TestPlugin 1', Code.Success]], { code: Code.Success }, ['TestPlugin', 'TestPlugin 1']],
    ['ErrorAndErrorPlugins', [['TestPlugin', Code.Error], ['TestPlugin 1', Code.Error]], wrapped('TestPlugin'), ['TestPlugin']],
    [
      'UnschedulableAndSuccessPreBindPlugin',
      [['TestPlugin', Code.Unschedulable], ['TestPlugin 1', Code.Success]],
      { code: Code.Unschedulable, plugin: 'TestPlugin', reasons: [injectReason] },
      ['TestPlugin'],
    ],
  ])('%s', async (_name, plugins, want, wantRan) => {
    const ran: string[] = [];
    const preBind = plugins.map(([name, code]): PreBindPlugin => ({ name, preBind: () => (ran.push(name), injected(code)) }));
    const s = await new Framework(profile({ preBind }), cluster()).runPreBind(context(), 'node1');
    expect(s).toMatchObject(want);
    expect(ran).toEqual(wantRan);
  });

  it('a PreBind rejection fails the binding cycle with it: unreserved, not bound, Bind not called', async () => {
    const log: string[] = [];
    const state = cluster();
    const fw = new Framework(
      profile({
        preBind: [{ name: 'Volumes', preBind: () => status(Code.Unschedulable, injectReason) }],
        reserve: [{ name: 'R', reserve: () => SUCCESS, unreserve: () => void log.push('unreserve R') }],
        bind: [{ name: 'Binder', bind: () => (log.push('bind'), SUCCESS) }],
      }),
      state,
    );
    const r = await fw.scheduleOne(pod());
    expect(r.status).toEqual({ code: Code.Unschedulable, plugin: 'Volumes', reasons: [injectReason] });
    expect(log).toEqual(['unreserve R']);
    expect(state.pod(podKey(pod()))).toBeUndefined();
  });
});

// TestRunBindPlugins: the first plugin not answering Skip decides; Success binds, a rejection
// is kept, an Error is wrapped as `running Bind plugin "<plugin>": …`.
describe('Bind (framework_test.go TestRunBindPlugins)', () => {
  const noBinder = 'no Bind plugin bound the pod (all skipped or none configured)';

  it.each<[string, StatusCode[], StatusCode, number, string?]>([
    ['simple success', [Code.Success], Code.Success, 1],
    ['error on second', [Code.Skip, Code.Error, Code.Success], Code.Error, 2, `running Bind plugin "bind-1": ${injectReason}`],
    // Upstream answers Skip; plugd answers an Error with its own words (both fail the binding cycle).
    ['all skip', [Code.Skip, Code.Skip, Code.Skip], Code.Error, 3, noBinder],
    ['error on third, but not reached', [Code.Skip, Code.Success, Code.Error], Code.Success, 2],
    // Upstream's framework adds DefaultBinder; a plugd Profile gets it from profile.ts, so a bare one has none.
    ['no bind plugin', [], Code.Error, 0, noBinder],
    ['invalid status', [Code.Unschedulable], Code.Unschedulable, 1, injectReason],
    ['simple error', [Code.Error], Code.Error, 1, `running Bind plugin "bind-0": ${injectReason}`],
    ['success on second, returns success', [Code.Skip, Code.Success], Code.Success, 2],
    ['invalid status, returns error', [Code.Skip, Code.UnschedulableAndUnresolvable], Code.UnschedulableAndUnresolvable, 2, injectReason],
    ['error after success status, returns success', [Code.Success, Code.Error], Code.Success, 1],
    ['success after error status, returns error', [Code.Error, Code.Success], Code.Error, 1, `running Bind plugin "bind-0": ${injectReason}`],
  ])('%s', async (_name, injects, wantCode, wantCalls, wantMessage) => {
    let calls = 0;
    const bind = injects.map((code, i): BindPlugin => ({ name: `bind-${i}`, bind: () => (calls++, injected(code)) }));
    const s = await new Framework(profile({ bind }), cluster()).runBind(context(), 'node1');
    expect(s.code).toBe(wantCode);
    expect(calls).toBe(wantCalls);
    if (wantMessage !== undefined) expect(s.reasons).toEqual([wantMessage]);
    if (wantCode !== Code.Success && wantMessage !== noBinder) expect(s.plugin).toBe(`bind-${wantCalls - 1}`);
  });
});

// RunPostBindPlugins: informational; every plugin runs, in order, after the pod is bound.
describe('PostBind (framework.go RunPostBindPlugins)', () => {
  it('runs every plugin in order once bound; a throwing one changes nothing', async () => {
    const log: string[] = [];
    const state = cluster();
    const fw = new Framework(
      profile({
        postBind: [
          { name: 'A', postBind: () => void log.push(`A ${state.pod(podKey(pod()))?.phase ?? '-'}`) },
          { name: 'Broken', postBind: () => { throw new Error('boom'); } },
          { name: 'C', postBind: () => void log.push('C') },
        ],
      }),
      state,
    );
    const r = await fw.scheduleOne(pod());
    expect(r.node).toBe('node1');
    expect(log).toEqual(['A bound', 'C']);
  });
});

// TestRunPreScorePlugins-shaped cases (upstream covers PreScore inside TestRunScorePlugins and
// TestRecordingMetrics): Skip drops that plugin's Score; an Error ends the point, wrapped as
// `running PreScore plugin "<plugin>": …`.
describe('PreScore (framework.go RunPreScorePlugins)', () => {
  const scorer = (name: string, ran: string[]): ScorePlugin => ({ name, score: (_c, nodes) => (ran.push(name), { status: SUCCESS, scores: nodes.map(() => 10) }) });

  it('Skip marks that plugin\'s Score skipped; the others score', async () => {
    const ran: string[] = [];
    const preScore: PreScorePlugin[] = [{ name: 'A', preScore: () => SKIP }, { name: 'B', preScore: () => SUCCESS }];
    const state = cluster(['node1', 'node2']);
    const fw = new Framework(profile({ preScore, score: [{ plugin: scorer('A', ran), weight: 1 }, { plugin: scorer('B', ran), weight: 1 }] }), state);
    const r = await fw.scoreNodes(pod(), state.snapshot().nodes);
    expect(ran).toEqual(['B']);
    expect(r.scores.get('node1')).toEqual({ total: 10, plugins: { B: 10 } });
  });

  it('an Error stops PreScore and scoring, naming the plugin', async () => {
    const ran: string[] = [];
    const preScore: PreScorePlugin[] = [
      { name: 'A', preScore: () => (ran.push('pre A'), status(Code.Error, injectReason)) },
      { name: 'B', preScore: () => (ran.push('pre B'), SUCCESS) },
    ];
    const state = cluster(['node1', 'node2']);
    const r = await new Framework(profile({ preScore, score: [{ plugin: scorer('A', ran), weight: 1 }] }), state).scoreNodes(pod(), state.snapshot().nodes);
    expect(ran).toEqual(['pre A']);
    expect(r.error).toEqual({ code: Code.Error, plugin: 'A', reasons: [`running PreScore plugin "A": ${injectReason}`] });
  });
});
