import { describe, expect, it } from 'vitest';
import { SUCCESS } from './builtins/types.js';
import type { Profile, SchedulerPlugin } from './framework.js';
import { defaultProfile, loadSchedulerConfiguration, ProfileError, type ProfileOptions } from './profile.js';

const doc = (profiles: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'kubescheduler.config.k8s.io/v1',
  kind: 'KubeSchedulerConfiguration',
  profiles,
  ...extra,
});

/** Plugin names per extension point, and score weights: a profile as text for comparisons. */
function shape(p: Profile) {
  const names = (l: readonly { name: string }[]) => l.map((x) => x.name);
  return {
    preFilter: names(p.preFilter),
    filter: names(p.filter),
    preScore: names(p.preScore),
    score: p.score.map((s) => `${s.plugin.name}:${s.weight}`),
    reserve: names(p.reserve),
    permit: names(p.permit),
    bind: names(p.bind),
  };
}

function load(profiles: unknown[], opts?: ProfileOptions, extra?: Record<string, unknown>): Profile {
  return loadSchedulerConfiguration(doc(profiles, extra), opts).profiles[0] as Profile;
}

function errorsOf(d: unknown, opts?: ProfileOptions): { field: string; message: string }[] {
  try {
    loadSchedulerConfiguration(d, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    expect((err as ProfileError).code).toBe('PLUGD_ERR_PROFILE_INVALID');
    return [...(err as ProfileError).errors];
  }
  return expect.unreachable('no error');
}

const DEFAULT_SHAPE = {
  preFilter: ['NodeAffinity', 'NodePorts', 'NodeResourcesFit'],
  filter: ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit'],
  preScore: ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'NodeResourcesBalancedAllocation'],
  score: ['TaintToleration:3', 'NodeAffinity:2', 'NodeResourcesFit:1', 'NodeResourcesBalancedAllocation:1'],
  reserve: [],
  permit: [],
  bind: ['DefaultBinder'],
};

describe('the default profile', () => {
  it("is kube's default plugin set over plugd's built-ins, with kube's weights", () => {
    const p = defaultProfile();
    expect(p.schedulerName).toBe('default-scheduler');
    expect(p.percentageOfNodesToScore).toBe(0);
    expect(shape(p)).toEqual(DEFAULT_SHAPE);
  });

  it('is what a document without profiles gives', () => {
    expect(shape(loadSchedulerConfiguration(doc([])).profiles[0] as Profile)).toEqual(DEFAULT_SHAPE);
  });
});

describe('merging a profile over the defaults (kube mergePluginSet + MultiPoint expansion)', () => {
  it.each([
    [
      'disabling one plugin at one point keeps it elsewhere',
      { score: { disabled: [{ name: 'NodeResourcesBalancedAllocation' }, { name: 'TaintToleration' }] } },
      { score: ['NodeAffinity:2', 'NodeResourcesFit:1'], filter: DEFAULT_SHAPE.filter, preScore: DEFAULT_SHAPE.preScore },
    ],
    [
      'score.disabled "*" drops every MultiPoint score plugin; explicit ones stay',
      { score: { disabled: [{ name: '*' }], enabled: [{ name: 'NodeResourcesFit', weight: 4 }] } },
      { score: ['NodeResourcesFit:4'] },
    ],
    [
      'multiPoint.disabled "*" drops every default plugin',
      { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'NodeName' }, { name: 'DefaultBinder' }] } },
      { filter: ['NodeName'], score: [], preFilter: [], bind: ['DefaultBinder'] },
    ],
    [
      'a weight at the score point overrides the MultiPoint weight; 0 means 1',
      { score: { enabled: [{ name: 'TaintToleration', weight: 0 }, { name: 'NodeAffinity', weight: 7 }] } },
      { score: ['TaintToleration:1', 'NodeAffinity:7', 'NodeResourcesFit:1', 'NodeResourcesBalancedAllocation:1'] },
    ],
    [
      'a MultiPoint override of a default keeps its place with the new weight',
      { multiPoint: { enabled: [{ name: 'NodeResourcesFit', weight: 9 }] } },
      { score: ['TaintToleration:3', 'NodeAffinity:2', 'NodeResourcesFit:9', 'NodeResourcesBalancedAllocation:1'] },
    ],
    [
      'a plugin enabled at a point explicitly goes first there (kube: overrides, then MultiPoint, then the rest)',
      { filter: { enabled: [{ name: 'NodeResourcesFit' }] } },
      { filter: ['NodeResourcesFit', 'NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts'] },
    ],
  ])('%s', (_name, plugins, want) => {
    expect(shape(load([{ schedulerName: 'x', plugins }]))).toMatchObject(want);
  });

  it('profile percentageOfNodesToScore overrides the global one', () => {
    const c = loadSchedulerConfiguration(doc([{ schedulerName: 'a' }, { schedulerName: 'b', percentageOfNodesToScore: 30 }], { percentageOfNodesToScore: 70 }));
    expect(c.profiles.map((p) => [p.schedulerName, p.percentageOfNodesToScore])).toEqual([['a', 70], ['b', 30]]);
  });

  it('builds each plugin once per profile and shares it across its points', () => {
    const p = defaultProfile();
    expect(p.filter.find((x) => x.name === 'NodeResourcesFit')).toBe(p.preFilter.find((x) => x.name === 'NodeResourcesFit'));
    expect(defaultProfile().filter[0]).not.toBe(p.filter[0]);
  });
});

describe('dynamic plugins through the resolver hook', () => {
  const gpu: SchedulerPlugin = { name: 'GpuTopology', filter: (_c, nodes) => nodes.map(() => SUCCESS), score: () => ({ status: SUCCESS, scores: [] }) };

  it('resolves names that are not built-ins, with their pluginConfig args', () => {
    const seen: unknown[] = [];
    const p = load(
      [{ schedulerName: 'x', plugins: { multiPoint: { enabled: [{ name: 'GpuTopology', weight: 5 }] } }, pluginConfig: [{ name: 'GpuTopology', args: { k: 1 } }] }],
      { resolve: (name, args) => (seen.push([name, args]), name === 'GpuTopology' ? gpu : undefined) },
    );
    expect(seen).toEqual([['GpuTopology', { k: 1 }]]);
    expect(p.filter.at(-1)).toBe(gpu);
    expect(p.score.at(-1)).toEqual({ plugin: gpu, weight: 5 });
  });

  it('refuses a resolved plugin that implements no extension point', () => {
    const errs = errorsOf(doc([{ schedulerName: 'x', plugins: { filter: { enabled: [{ name: 'Empty' }] } } }]), { resolve: () => ({ name: 'Empty' }) });
    expect(errs).toEqual([{ field: 'profiles[0].plugins.filter.enabled[0].name', message: 'plugin "Empty" implements no extension point' }]);
  });
});

describe('validation names the offending path', () => {
  it.each([
    ['an unknown plugin', doc([{ schedulerName: 'x', plugins: { score: { enabled: [{ name: 'PodTopologySpread' }] } } }]),
      'profiles[0].plugins.score.enabled[0].name', /Unsupported value: "PodTopologySpread"/],
    ['a plugin at a point it does not extend', doc([{ schedulerName: 'x', plugins: { bind: { enabled: [{ name: 'NodeName' }] } } }]),
      'profiles[0].plugins.bind.enabled[0].name', /does not extend BindPlugin/],
    ['a duplicate at one point', doc([{ schedulerName: 'x', plugins: { filter: { enabled: [{ name: 'NodeName' }, { name: 'NodeName' }] } } }]),
      'profiles[0].plugins.filter.enabled[1].name', /already registered as "FilterPlugin"/],
    ['a negative weight', doc([{ schedulerName: 'x', plugins: { score: { enabled: [{ name: 'NodeResourcesFit', weight: -1 }] } } }]),
      'profiles[0].plugins.score.enabled[0].weight', /non-negative/],
    ['an unknown extension point', doc([{ schedulerName: 'x', plugins: { prefilter: {} } }]), 'profiles[0].plugins.prefilter', /unknown field/],
    ['queueSort, which plugd does not run yet', doc([{ schedulerName: 'x', plugins: { queueSort: { enabled: [{ name: 'PrioritySort' }] } } }]),
      'profiles[0].plugins.queueSort.enabled', /not supported by plugd yet/],
    ['a duplicate schedulerName', doc([{ schedulerName: 'x' }, { schedulerName: 'x' }]), 'profiles[1].schedulerName', /Duplicate value/],
    ['a percentage out of range', doc([], { percentageOfNodesToScore: 101 }), 'percentageOfNodesToScore', /not in valid range \[0-100\]/],
    ['the wrong apiVersion', { ...doc([]), apiVersion: 'kubescheduler.config.k8s.io/v1beta3' }, 'apiVersion', /supported values: "kubescheduler.config.k8s.io\/v1"/],
    ['extenders', doc([], { extenders: [{ urlPrefix: 'http://x' }] }), 'extenders', /not supported/],
    ['a duplicate pluginConfig', doc([{ schedulerName: 'x', pluginConfig: [{ name: 'NodeResourcesFit' }, { name: 'NodeResourcesFit' }] }]),
      'profiles[0].pluginConfig[1].name', /Duplicate value/],
    ['an unknown scoring strategy', doc([{ schedulerName: 'x', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'Spread' } } }] }]),
      'profiles[0].pluginConfig[0].args.scoringStrategy.type', /Unsupported value: "Spread"/],
    ['a resource weight out of range', doc([{ schedulerName: 'x', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { resources: [{ name: 'cpu', weight: 101 }] } } }] }]),
      'profiles[0].pluginConfig[0].args.scoringStrategy.resources[0].weight', /not in valid range \(0, 100\]/],
    ['RequestedToCapacityRatio without a shape', doc([{ schedulerName: 'x', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'RequestedToCapacityRatio' } } }] }]),
      'profiles[0].pluginConfig[0].args.scoringStrategy.requestedToCapacityRatio.shape', /at least one point/],
    ['an unknown args field', doc([{ schedulerName: 'x', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategyy: {} } }] }]),
      'profiles[0].pluginConfig[0].args.scoringStrategyy', /unknown field/],
    ['a BalancedAllocation weight other than 1', doc([{ schedulerName: 'x', pluginConfig: [{ name: 'NodeResourcesBalancedAllocation', args: { resources: [{ name: 'cpu', weight: 2 }] } }] }]),
      'profiles[0].pluginConfig[0].args.resources[0].weight', /must be 1/],
    ['a bad addedAffinity operator', doc([{ schedulerName: 'x', pluginConfig: [{ name: 'NodeAffinity', args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Near', values: ['a'] }] }] } } } }] }]),
      'profiles[0].pluginConfig[0].args', /addedAffinity/],
  ])('%s', (_name, d, field, message) => {
    const errs = errorsOf(d);
    expect(errs.map((e) => e.field)).toContain(field);
    expect(errs.find((e) => e.field === field)?.message).toMatch(message);
  });

  it('reports every problem of the document at once', () => {
    const errs = errorsOf({ ...doc([{ schedulerName: 'x', plugins: { score: { enabled: [{ name: 'Nope' }] } } }], { percentageOfNodesToScore: -1 }), kind: 'Other' });
    expect(errs.map((e) => e.field)).toEqual(['kind', 'percentageOfNodesToScore', 'profiles[0].plugins.score.enabled[0].name']);
  });
});

describe('pluginConfig args reach the built-ins', () => {
  it('RequestedToCapacityRatio with a shape, and addedAffinity, compile', () => {
    const p = load([
      {
        schedulerName: 'x',
        pluginConfig: [
          { name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'RequestedToCapacityRatio', resources: [{ name: 'cpu', weight: 1 }], requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } } } },
          { name: 'NodeAffinity', args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } },
        ],
      },
    ]);
    expect(shape(p)).toEqual(DEFAULT_SHAPE);
  });
});
