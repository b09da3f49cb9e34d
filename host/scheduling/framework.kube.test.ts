import { describe, expect, it } from 'vitest';
import { makeNodeJson, makePod, testProfile } from './builtins/testing.js';
import { Code, SKIP, status, SUCCESS, type PluginStatus } from './builtins/types.js';
import { ClusterState } from './cluster-state.js';
import { Framework, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, type WeightedScorePlugin } from './framework.js';

const profile = testProfile;

function cluster(): ClusterState {
  const s = new ClusterState();
  for (const n of ['node1', 'node2']) s.addNode(makeNodeJson(n, { cpu: '4', memory: '8Gi', pods: '110' }));
  return s;
}

const pod = () => makePod().name('p').req({ cpu: '100m' }).obj();

// pkg/scheduler/framework/runtime/framework_test.go, TestRunPreFilterPlugins: which status the
// PreFilter point ends with, and which plugins ran (the "skip" plugins record that they did).
describe('PreFilter (framework_test.go TestRunPreFilterPlugins)', () => {
  const inj = (name: string, code: PluginStatus['code'] | 'empty-set', ran: string[]): PreFilterPlugin => ({
    name,
    preFilter: () => {
      ran.push(name);
      if (code === 'empty-set') return { status: SUCCESS, nodeNames: new Set<string>() };
      return { status: code === Code.Success ? SUCCESS : code === Code.Skip ? SKIP : status(code, `${name} says so`) };
    },
  });

  it.each([
    ['all PreFilter returned success', [['success1', Code.Success], ['success2', Code.Success]], Code.Success, ['success1', 'success2']],
    ['one PreFilter plugin returned success, but another PreFilter plugin returned non-success', [['success', Code.Success], ['error', Code.Error]], Code.Error, ['success', 'error']],
    ['one PreFilter plugin returned skip, but another PreFilter plugin returned non-success', [['skip', Code.Skip], ['error', Code.Error]], Code.Error, ['skip', 'error']],
    ['all PreFilter plugins returned skip', [['skip1', Code.Skip], ['skip2', Code.Skip], ['skip3', Code.Skip]], Code.Success, ['skip1', 'skip2', 'skip3']],
    [
      'one PreFilter plugin returned Unschedulable, but another PreFilter plugin should be executed',
      [['unschedulable', Code.Unschedulable], ['skip', Code.Skip]],
      Code.Unschedulable,
      ['unschedulable', 'skip'],
    ],
    [
      'one PreFilter plugin returned UnschedulableAndUnresolvable, and all other plugins aren\'t executed',
      [['unresolvable', Code.UnschedulableAndUnresolvable], ['skip', Code.Skip]],
      Code.UnschedulableAndUnresolvable,
      ['unresolvable'],
    ],
    [
      'all nodes are filtered out by prefilter result, but other plugins aren\'t executed because we consider all nodes are filtered out by UnschedulableAndUnresolvable',
      [['reject-all-nodes', 'empty-set'], ['skip', Code.Skip]],
      Code.UnschedulableAndUnresolvable,
      ['reject-all-nodes'],
    ],
  ] as const)('%s', async (_name, plugins, wantCode, wantRan) => {
    const ran: string[] = [];
    const fw = new Framework(profile({ preFilter: plugins.map(([n, c]) => inj(n, c, ran)) }), cluster(), { seed: 1 });
    const r = await fw.scheduleOne(pod());
    expect(r.status.code).toBe(wantCode === Code.Success ? Code.Success : wantCode);
    expect(ran).toEqual(wantRan);
  });

  it('an Unschedulable PreFilter is still the answer when later plugins succeed, and its message is the FitError\'s', async () => {
    const ran: string[] = [];
    const fw = new Framework(profile({ preFilter: [inj('gate', Code.Unschedulable, ran), inj('after', Code.Success, ran)] }), cluster());
    const r = await fw.scheduleOne(pod());
    expect(ran).toEqual(['gate', 'after']);
    expect(r.status).toMatchObject({ code: Code.Unschedulable, plugin: 'gate' });
    expect(r.message).toBe('0/2 nodes are available: gate says so.');
  });

  it('a later UnschedulableAndUnresolvable or Error wins over an earlier Unschedulable', async () => {
    const ran: string[] = [];
    const first = await new Framework(profile({ preFilter: [inj('a', Code.Unschedulable, ran), inj('b', Code.UnschedulableAndUnresolvable, ran)] }), cluster()).scheduleOne(pod());
    expect(first.status).toMatchObject({ code: Code.UnschedulableAndUnresolvable, plugin: 'b' });
    const second = await new Framework(profile({ preFilter: [inj('a', Code.Unschedulable, ran), inj('b', Code.Error, ran)] }), cluster()).scheduleOne(pod());
    expect(second.status).toMatchObject({ code: Code.Error, plugin: 'b' });
  });
});

// pkg/scheduler/framework/runtime/framework_test.go, TestRunScorePlugins: Score, NormalizeScore
// overriding it, the [MinNodeScore, MaxNodeScore] check after normalizing, weights, PreScore Skip.
describe('Score aggregation (framework_test.go TestRunScorePlugins)', () => {
  interface Inj {
    readonly scoreRes?: number;
    readonly normalizeRes?: number;
    readonly scoreStatus?: PluginStatus['code'];
    readonly normalizeStatus?: PluginStatus['code'];
  }
  const plugin = (name: string, inj: Inj, withNormalize: boolean): ScorePlugin => ({
    name,
    score: (_ctx, nodes) => ({ status: inj.scoreStatus === undefined ? SUCCESS : status(inj.scoreStatus, 'injected'), scores: nodes.map(() => inj.scoreRes ?? 0) }),
    ...(withNormalize
      ? {
          normalizeScore: (_c: unknown, _n: unknown, scores: number[]) => {
            if (inj.normalizeStatus !== undefined) return status(inj.normalizeStatus, 'injected');
            scores.fill(inj.normalizeRes ?? 0);
            return SUCCESS;
          },
        }
      : {}),
  });
  // buildScoreConfigDefaultWeights: scorePlugin1 weight 1, scoreWithNormalizePlugin1 weight 1, scoreWithNormalizePlugin2 weight 2.
  const score1 = (inj: Inj = {}): WeightedScorePlugin => ({ plugin: plugin('score-plugin-1', inj, false), weight: 1 });
  const norm1 = (inj: Inj = {}): WeightedScorePlugin => ({ plugin: plugin('score-with-normalize-plugin-1', inj, true), weight: 1 });
  const norm2 = (inj: Inj = {}): WeightedScorePlugin => ({ plugin: plugin('score-with-normalize-plugin-2', inj, true), weight: 2 });
  const skipping = (names: string[]): PreScorePlugin[] => names.map((name) => ({ name, preScore: () => SKIP }));

  it.each([
    ['single Score plugin', [score1({ scoreRes: 1 })], [], { 'score-plugin-1': 1 }, 1],
    ['single ScoreWithNormalize plugin', [norm1({ scoreRes: 10, normalizeRes: 5 })], [], { 'score-with-normalize-plugin-1': 5 }, 5],
    [
      '3 Score plugins, 2 NormalizeScore plugins',
      [score1({ scoreRes: 1 }), norm1({ scoreRes: 3, normalizeRes: 4 }), norm2({ scoreRes: 4, normalizeRes: 5 })],
      [],
      { 'score-plugin-1': 1, 'score-with-normalize-plugin-1': 4, 'score-with-normalize-plugin-2': 5 },
      15,
    ],
    ['one success plugin, one skip plugin', [score1({ scoreRes: 1 }), norm1({ scoreStatus: Code.Error })], ['score-with-normalize-plugin-1'], { 'score-plugin-1': 1 }, 1],
    ['all plugins are skipped in prescore', [score1({ scoreStatus: Code.Error })], ['score-plugin-1'], {}, 0],
    ['skipped prescore plugin number greater than the number of score plugins', [score1()], ['score-plugin-1', 'score-plugin-unknown'], {}, 0],
  ] as const)('%s', async (_name, score, skipped, plugins, total) => {
    const state = cluster();
    const fw = new Framework(profile({ score: [...score], preScore: skipping([...skipped]) }), state);
    const r = await fw.scoreNodes(pod(), state.snapshot().nodes);
    expect(r.error).toBeUndefined();
    for (const n of ['node1', 'node2']) expect(r.scores.get(n)).toEqual({ total, plugins });
  });

  it.each([
    ['score fails', [score1(), norm1({ scoreStatus: Code.Error })]],
    ['normalize fails', [score1(), norm1({ normalizeStatus: Code.Error })]],
    ['Score plugin return score greater than MaxNodeScore', [score1({ scoreRes: 101 })]],
    ['Score plugin return score less than MinNodeScore', [score1({ scoreRes: -1 })]],
    ['ScoreWithNormalize plugin return score greater than MaxNodeScore', [norm1({ normalizeRes: 101 })]],
    ['ScoreWithNormalize plugin return score less than MinNodeScore', [norm1({ normalizeRes: -1 })]],
  ] as const)('%s: an Error', async (_name, score) => {
    const state = cluster();
    const r = await new Framework(profile({ score: [...score] }), state).scoreNodes(pod(), state.snapshot().nodes);
    expect(r.error?.code).toBe(Code.Error);
  });
});
