import { describe, expect, it } from 'vitest';
import { makeNodeJson, makePod } from './builtins/testing.js';
import { Code, type PluginStatus } from './builtins/types.js';
import { ClusterState } from './cluster-state.js';
import { CycleState, type CycleContext, type ScoreResults, type SchedulerPlugin } from './framework.js';
import { loadSchedulerConfiguration } from './profile.js';
import {
  balancedAllocationPlugin,
  nodeAffinityPlugin,
  nodeNamePlugin,
  nodeResourcesFitPlugin,
  nodeUnschedulablePlugin,
  taintTolerationPlugin,
} from './plugins.js';
import type { PodSchedulingInfo } from './pod.js';

function setup(pod: PodSchedulingInfo) {
  const s = new ClusterState();
  s.addNode(makeNodeJson('plain', { cpu: '4', memory: '8Gi', pods: '110' }, { labels: { zone: 'a' } }));
  s.addNode(makeNodeJson('soft', { cpu: '4', memory: '8Gi', pods: '110' }, { labels: { zone: 'b' }, taints: [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }] }));
  s.addNode(makeNodeJson('hard', { cpu: '1', memory: '8Gi', pods: '110' }, { labels: { zone: 'b' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }], unschedulable: true }));
  const ctx: CycleContext = { pod, state: new CycleState(), snapshot: s.snapshot() };
  return { ctx, nodes: s.snapshot().nodes };
}

async function filterCodes(p: SchedulerPlugin, ctx: CycleContext, nodes: CycleContext['snapshot']['nodes']): Promise<number[]> {
  return (await (p.filter as NonNullable<SchedulerPlugin['filter']>)(ctx, nodes)).map((s: PluginStatus) => s.code);
}

async function normalized(p: SchedulerPlugin, ctx: CycleContext, nodes: CycleContext['snapshot']['nodes']): Promise<number[]> {
  if (p.preScore !== undefined) await p.preScore(ctx, nodes);
  const r: ScoreResults = await (p.score as NonNullable<SchedulerPlugin['score']>)(ctx, nodes);
  const list = Array.from(r.scores);
  if (p.normalizeScore !== undefined) await p.normalizeScore(ctx, nodes, list);
  return list;
}

const U = Code.Success;
const X = Code.UnschedulableAndUnresolvable;

describe('built-in plugin objects', () => {
  it('filters: NodeUnschedulable, NodeName, TaintToleration, NodeResourcesFit, NodeAffinity', async () => {
    const pod = makePod().name('p').req({ cpu: '2' }).nodeSelector({ zone: 'b' }).obj();
    const { ctx, nodes } = setup(pod);
    expect(await filterCodes(nodeUnschedulablePlugin(), ctx, nodes)).toEqual([U, U, X]);
    expect(await filterCodes(nodeNamePlugin(), ctx, nodes)).toEqual([U, U, U]);
    expect(await filterCodes(taintTolerationPlugin(), ctx, nodes)).toEqual([U, U, X]);
    expect(await filterCodes(nodeResourcesFitPlugin(), ctx, nodes)).toEqual([U, U, X]);
    expect(await filterCodes(nodeAffinityPlugin(), ctx, nodes)).toEqual([X, U, U]);
  });

  it('TaintToleration scores are reversed by NormalizeScore: an untolerated PreferNoSchedule taint costs 100', async () => {
    const { ctx, nodes } = setup(makePod().name('p').req({ cpu: '1' }).obj());
    expect(await normalized(taintTolerationPlugin(), ctx, nodes)).toEqual([100, 0, 100]); // "hard" has NoSchedule only
  });

  it('NodeAffinity preferred terms normalize to [0, 100]', async () => {
    const pod = makePod()
      .name('p')
      .req({ cpu: '1' })
      .affinity({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 30, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } }] })
      .obj();
    const { ctx, nodes } = setup(pod);
    expect(await normalized(nodeAffinityPlugin(), ctx, nodes)).toEqual([0, 100, 100]);
  });

  it('NodeAffinity PreFilter restricts to the nodes a metadata.name term names', async () => {
    const pod = makePod()
      .name('p')
      .affinity({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['soft'] }] }] } })
      .obj();
    const { ctx } = setup(pod);
    const r = await (nodeAffinityPlugin().preFilter as NonNullable<SchedulerPlugin['preFilter']>)(ctx);
    expect(r.status.code).toBe(Code.Success);
    expect([...(r.nodeNames ?? [])]).toEqual(['soft']);
  });

  it('BalancedAllocation PreScore skips a pod requesting nothing', async () => {
    const { ctx, nodes } = setup(makePod().name('p').container().obj());
    expect((await (balancedAllocationPlugin().preScore as NonNullable<SchedulerPlugin['preScore']>)(ctx, nodes)).code).toBe(Code.Skip);
  });

  it('NodeResourcesFit honours ignoredResources from pluginConfig', async () => {
    const pod = makePod().name('p').req({ cpu: '1', 'example.com/widget': '1' }).obj();
    const { ctx, nodes } = setup(pod);
    const fit = (args: unknown) => {
      const p = loadSchedulerConfiguration({
        apiVersion: 'kubescheduler.config.k8s.io/v1',
        kind: 'KubeSchedulerConfiguration',
        profiles: [{ schedulerName: 'x', pluginConfig: [{ name: 'NodeResourcesFit', args }] }],
      }).profiles[0];
      return p?.filter.find((f) => f.name === 'NodeResourcesFit') as SchedulerPlugin;
    };
    expect(await filterCodes(fit({}), ctx, nodes)).toEqual([X, X, X]);
    expect(await filterCodes(fit({ ignoredResources: ['example.com/widget'] }), ctx, nodes)).toEqual([U, U, U]);
    expect(await filterCodes(fit({ ignoredResourceGroups: ['example.com'] }), ctx, nodes)).toEqual([U, U, U]);
  });
});
