import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, NodeInfo } from '../cluster-state.js';
import { CycleState, type CycleContext } from '../framework-types.js';
import { extractPod, nodeSelectorFromJson, preferredTermsFromJson, type PodSchedulingInfo } from '../pod.js';
import { nodeAffinityPlugin } from '../plugins.js';
import {
  aggregateMessage,
  compileNodeAffinityArgs,
  compileNodeSelector,
  compilePreferredTerms,
  matchesNodeSelector,
  NO_ADDED_AFFINITY,
  preferredTermsScore,
  type NodeAffinityArgs,
} from './affinity.js';
import { nodeResources } from './fit.js';
import { extractNode } from './node.js';
import { NO_HOST_PORTS } from './ports.js';
import { makeNodeJson } from './testing.js';
import { Code, MaxNodeScore, type PluginStatus } from './types.js';

type Json = Record<string, unknown>;

const expr = (key: string, operator: string, values?: string[]): Json => (values === undefined ? { key, operator } : { key, operator, values });
const pod = (spec: Json): PodSchedulingInfo => extractPod({ metadata: { name: 'p' }, spec });
const preferredPod = (terms: Json[]): PodSchedulingInfo => pod({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } } });

function nodeInfo(name: string, labels: Record<string, string>): NodeInfo {
  const node = extractNode(makeNodeJson(name, {}, { labels }));
  return { ...nodeResources(node.allocatable, []), name, node, generation: 0, usedPorts: NO_HOST_PORTS };
}

function context(p: PodSchedulingInfo, nodes: readonly NodeInfo[]): CycleContext {
  const snapshot = { generation: 0, nodes, get: (n: string) => nodes.find((x) => x.name === n) } as unknown as ClusterSnapshot;
  return { pod: p, state: new CycleState(), snapshot };
}

/** The kube message of a field.Error on a label key that is not a qualified name. */
const INVALID_KEY_DETAIL =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

// pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go, TestNodeAffinityPriority:
// PreScore (when runPreScore), Score for each node, then NormalizeScore, through the plugin object.
describe('NodeAffinity (node_affinity_test.go TestNodeAffinityPriority)', () => {
  const label1 = { foo: 'bar' };
  const label2 = { key: 'value' };
  const label3 = { az: 'az1' };
  const label4 = { abc: 'az11', def: 'az22' };
  const label5 = { foo: 'bar', key: 'value', az: 'az1' };
  const affinity1 = [{ weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } }];
  const affinity2 = [
    { weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } },
    { weight: 4, preference: { matchExpressions: [expr('key', 'In', ['value'])] } },
    { weight: 5, preference: { matchExpressions: [expr('foo', 'In', ['bar']), expr('key', 'In', ['value']), expr('az', 'In', ['az1'])] } },
  ];
  const added = (terms: Json[]): NodeAffinityArgs => {
    const { args, errors } = compileNodeAffinityArgs({ preferred: preferredTermsFromJson(terms, 'addedAffinity') });
    expect(errors).toEqual([]);
    return args;
  };

  interface Case {
    readonly name: string;
    readonly pod: PodSchedulingInfo;
    readonly nodes: readonly (readonly [string, Record<string, string>])[];
    readonly expected?: readonly number[];
    readonly args?: NodeAffinityArgs;
    readonly runPreScore?: boolean;
    readonly wantPreScoreStatus?: PluginStatus;
  }

  const CASES: readonly Case[] = [
    {
      name: 'all nodes are same priority as NodeAffinity is nil',
      pod: pod({}),
      nodes: [['node1', label1], ['node2', label2], ['node3', label3]],
      expected: [0, 0, 0],
    },
    {
      name: 'Skip is returned in PreScore when NodeAffinity is nil',
      pod: pod({}),
      nodes: [['node1', label1]],
      runPreScore: true,
      wantPreScoreStatus: { code: Code.Skip, reasons: [] },
    },
    {
      name: 'PreScore returns error when an incoming Pod has a broken affinity',
      pod: preferredPod([{ weight: 2, preference: { matchExpressions: [expr('invalid key', 'In', ['bar'])] } }]),
      nodes: [['node1', label1]],
      runPreScore: true,
      wantPreScoreStatus: { code: Code.Error, reasons: [`[0].matchExpressions[0].key: Invalid value: "invalid key": ${INVALID_KEY_DETAIL}`] },
    },
    {
      name: "no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero",
      pod: preferredPod(affinity1),
      nodes: [['node1', label4], ['node2', label2], ['node3', label3]],
      expected: [0, 0, 0],
      runPreScore: true,
    },
    {
      name: 'only node1 matches the preferred scheduling requirements of pod',
      pod: preferredPod(affinity1),
      nodes: [['node1', label1], ['node2', label2], ['node3', label3]],
      expected: [MaxNodeScore, 0, 0],
      runPreScore: true,
    },
    {
      name: 'all nodes matches the preferred scheduling requirements of pod but with different priorities ',
      pod: preferredPod(affinity2),
      nodes: [['node1', label1], ['node5', label5], ['node2', label2]],
      expected: [18, MaxNodeScore, 36],
      runPreScore: true,
    },
    {
      name: 'added affinity',
      pod: pod({}),
      nodes: [['node1', label1], ['node2', label2]],
      expected: [MaxNodeScore, 0],
      args: added(affinity1),
      runPreScore: true,
    },
    {
      name: 'added affinity and pod has default affinity',
      pod: preferredPod(affinity1),
      nodes: [['node1', label1], ['node2', label2], ['node3', label5]],
      expected: [40, 60, MaxNodeScore],
      args: added([{ weight: 3, preference: { matchExpressions: [expr('key', 'In', ['value'])] } }]),
      runPreScore: true,
    },
    {
      name: 'calculate the priorities correctly even if PreScore is not called',
      pod: preferredPod(affinity2),
      nodes: [['node1', label1], ['node5', label5], ['node2', label2]],
      expected: [18, MaxNodeScore, 36],
    },
  ];

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const plugin = nodeAffinityPlugin(c.args ?? NO_ADDED_AFFINITY);
    const nodes = c.nodes.map(([name, labels]) => nodeInfo(name, labels));
    const ctx = context(c.pod, nodes);
    if (c.runPreScore) {
      const st = await plugin.preScore?.(ctx, nodes);
      expect(st).toEqual(c.wantPreScoreStatus ?? { code: Code.Success, reasons: [] });
      if (st?.code !== Code.Success) return;
    }
    const r = await plugin.score?.(ctx, nodes);
    expect(r?.status.code).toBe(Code.Success);
    const scores = Array.from(r?.scores ?? []);
    expect((await plugin.normalizeScore?.(ctx, nodes, scores))?.code).toBe(Code.Success);
    expect(scores).toEqual(c.expected);
  });
});

// staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity_test.go
// (what the plugin parses terms with); kube compares field and detail, ignoring BadValue.
describe('nodeaffinity parse errors and matching (component-helpers nodeaffinity_test.go)', () => {
  const terms = (t: Json[]) => {
    const ns = nodeSelectorFromJson({ nodeSelectorTerms: t }, 'ns');
    if (ns === undefined) throw new Error('no selector');
    return compileNodeSelector(ns);
  };
  const fieldAndDetail = (e: string): [string, string] => {
    const m = /^(\S+): (?:Invalid value: (?:"[^"]*"|\[\]string\{[^}]*\})|Unsupported value: "[^"]*"): (.*)$/.exec(e);
    if (m === null) throw new Error(`not a field.Error: ${e}`);
    return [m[1] as string, m[2] as string];
  };

  it('TestNodeSelectorMatch: invalid field selector and label selector', () => {
    const sel = terms([
      { matchFields: [expr('metadata.name', 'In', ['host_1', 'host_2'])] },
      { matchExpressions: [expr('label_1', 'In', ['label_1_val'])], matchFields: [expr('metadata.name', 'In', ['host_1'])] },
      { matchExpressions: [expr('invalid key', 'In', ['label_value'])] },
    ]);
    expect(sel.errors.map(fieldAndDetail)).toEqual([
      ['nodeSelectorTerms[0].matchFields[0].values', 'must have one element'],
      ['nodeSelectorTerms[2].matchExpressions[0].key', INVALID_KEY_DETAIL],
    ]);
    expect(sel.errors[0]).toBe('nodeSelectorTerms[0].matchFields[0].values: Invalid value: []string{"host_1", "host_2"}: must have one element');
    // errors.Flatten(NewAggregate(...)).Error() of the two.
    expect(aggregateMessage(sel.errors)).toBe(`[${sel.errors.join(', ')}]`);
  });

  it.each([
    ['node matches field selector, but not labels', { name: 'host_1', labels: {} }, false],
    ['node matches field selector and label selector', { name: 'host_1', labels: { label_1: 'label_1_val' } }, true],
  ] as const)('TestNodeSelectorMatch: %s', (_name, node, want) => {
    const sel = terms([{ matchExpressions: [expr('label_1', 'In', ['label_1_val'])], matchFields: [expr('metadata.name', 'In', ['host_1'])] }]);
    expect(sel.errors).toEqual([]);
    expect(matchesNodeSelector(sel, node)).toBe(want);
  });

  it('TestNodeSelectorMatch: second term matches', () => {
    const sel = terms([{ matchExpressions: [expr('label_1', 'In', ['label_1_val'])] }, { matchFields: [expr('metadata.name', 'In', ['host_1'])] }]);
    expect(matchesNodeSelector(sel, { name: 'host_1', labels: {} })).toBe(true);
  });

  const prefer = (t: Json[]) => compilePreferredTerms(preferredTermsFromJson(t, 'terms') ?? []);

  it('TestPreferredSchedulingTermsScore: invalid field selector and label selector', () => {
    const p = prefer([
      { weight: 1, preference: { matchFields: [expr('metadata.name', 'In', ['host_1', 'host_2'])] } },
      { weight: 1, preference: { matchExpressions: [expr('label_1', 'In', ['label_1_val'])], matchFields: [expr('metadata.name', 'In', ['host_1'])] } },
      { weight: 1, preference: { matchExpressions: [expr('invalid key', 'In', ['label_value'])] } },
    ]);
    expect(p.errors.map(fieldAndDetail)).toEqual([
      ['[0].matchFields[0].values', 'must have one element'],
      ['[2].matchExpressions[0].key', INVALID_KEY_DETAIL],
    ]);
  });

  it('TestPreferredSchedulingTermsScore: invalid field selector but no weight, error not reported', () => {
    const p = prefer([{ weight: 0, preference: { matchFields: [expr('metadata.name', 'In', ['host_1', 'host_2'])] } }]);
    expect(p.errors).toEqual([]);
    expect(preferredTermsScore(p, { name: 'host_1', labels: {} })).toBe(0);
  });

  it('TestPreferredSchedulingTermsScore: first and third term match', () => {
    const p = prefer([
      { weight: 5, preference: { matchFields: [expr('metadata.name', 'In', ['host_1'])] } },
      { weight: 7, preference: { matchExpressions: [expr('unknown_label', 'In', ['unknown_label_val'])] } },
      { weight: 11, preference: { matchExpressions: [expr('label_1', 'In', ['label_1_val'])] } },
    ]);
    expect(preferredTermsScore(p, { name: 'host_1', labels: { label_1: 'label_1_val' } })).toBe(16);
  });

  it('TestNodeSelectorRequirementsAsSelector: Exists with values', () => {
    const sel = terms([{ matchExpressions: [expr('foo', 'Exists', ['bar', 'baz'])] }]);
    expect(sel.errors).toEqual([
      'nodeSelectorTerms[0].matchExpressions[0].values: Invalid value: []string{"bar", "baz"}: values set must be empty for exists and does not exist',
    ]);
  });

  it('labels.NewRequirement: an invalid label value is reported at values[i][key], its messages joined by "; "', () => {
    const sel = terms([{ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }]);
    expect(sel.errors).toEqual([
      'nodeSelectorTerms[0].matchExpressions[0].values[0][foo]: Invalid value: "invalid value: ___@#$%^": ' +
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });
});
