import { describe, expect, it } from 'vitest';
import { extractPod, nodeSelectorFromJson, preferredTermsFromJson, type PodSchedulingInfo } from '../pod.js';
import {
  compileNodeAffinityArgs,
  compileNodeSelector,
  ErrReasonConflict,
  ErrReasonEnforced,
  ErrReasonPod,
  matchesNodeSelector,
  NO_ADDED_AFFINITY,
  nodeAffinityFilter,
  nodeAffinityPreFilter,
  nodeAffinityPreScore,
  nodeAffinityScore,
  requiredNodeAffinity,
  type NodeAffinityArgs,
} from './affinity.js';
import { Code, type NodeMeta, type PluginStatus } from './types.js';

type Json = Record<string, unknown>;

function pod(spec: Json): PodSchedulingInfo {
  return extractPod({ metadata: { name: 'p' }, spec });
}

function expr(key: string, operator: string, values?: string[]): Json {
  return values === undefined ? { key, operator } : { key, operator, values };
}

/** A pod whose required node affinity has these terms. */
function requiredPod(terms: Json[], extra: Json = {}): PodSchedulingInfo {
  return pod({ ...extra, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
}

function addedRequired(terms: Json[]): NodeAffinityArgs {
  const required = nodeSelectorFromJson({ nodeSelectorTerms: terms }, 'addedAffinity');
  const { args, errors } = compileNodeAffinityArgs({ required });
  expect(errors).toEqual([]);
  return args;
}

const SUCCESS_STATUS: PluginStatus = { code: Code.Success, reasons: [] };
const podFail: PluginStatus = { code: Code.UnschedulableAndUnresolvable, reasons: [ErrReasonPod] };

interface FilterCase {
  readonly name: string;
  readonly pod: PodSchedulingInfo;
  readonly labels?: Record<string, string>;
  readonly nodeName?: string;
  readonly wantStatus?: PluginStatus;
  readonly wantPreFilterStatus?: PluginStatus;
  readonly wantPreFilterNodes?: readonly string[];
  readonly args?: NodeAffinityArgs;
}

const node1Field = { matchFields: [expr('metadata.name', 'In', ['node1'])] };

// pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go, TestNodeAffinity.
const FILTER_CASES: readonly FilterCase[] = [
  { name: 'missing labels', pod: pod({ nodeSelector: { foo: 'bar' } }), wantStatus: podFail },
  { name: 'same labels', pod: pod({ nodeSelector: { foo: 'bar' } }), labels: { foo: 'bar' } },
  { name: 'node labels are superset', pod: pod({ nodeSelector: { foo: 'bar' } }), labels: { foo: 'bar', baz: 'blah' } },
  { name: 'node labels are subset', pod: pod({ nodeSelector: { foo: 'bar', baz: 'blah' } }), labels: { foo: 'bar' }, wantStatus: podFail },
  {
    name: 'Pod with matchExpressions using In operator that matches the existing node',
    pod: requiredPod([{ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }]),
    labels: { foo: 'bar' },
  },
  {
    name: 'Pod with matchExpressions using Gt operator that matches the existing node',
    pod: requiredPod([{ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }]),
    labels: { 'kernel-version': '0206' },
  },
  {
    name: 'Pod with matchExpressions using NotIn operator that matches the existing node',
    pod: requiredPod([{ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }]),
    labels: { 'mem-type': 'DDR3' },
  },
  {
    name: 'Pod with matchExpressions using Exists operator that matches the existing node',
    pod: requiredPod([{ matchExpressions: [expr('GPU', 'Exists')] }]),
    labels: { GPU: 'NVIDIA-GRID-K1' },
  },
  {
    name: "Pod with affinity that don't match node's labels won't schedule onto the node",
    pod: requiredPod([{ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }]),
    labels: { foo: 'bar' },
    wantStatus: podFail,
  },
  {
    name: 'Pod with empty MatchExpressions is not a valid value will match no objects and won\'t schedule onto the node',
    pod: requiredPod([{ matchExpressions: [] }]),
    labels: { foo: 'bar' },
    wantStatus: podFail,
  },
  { name: 'Pod with no Affinity will schedule onto a node', pod: pod({}), labels: { foo: 'bar' }, wantPreFilterStatus: { code: Code.Skip, reasons: [] } },
  {
    name: 'Pod with Affinity but nil NodeSelector will schedule onto a node',
    pod: pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: null } } }),
    labels: { foo: 'bar' },
    wantPreFilterStatus: { code: Code.Skip, reasons: [] },
  },
  {
    name: 'Pod with multiple matchExpressions ANDed that matches the existing node',
    pod: requiredPod([{ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }]),
    labels: { GPU: 'NVIDIA-GRID-K1' },
  },
  {
    name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
    pod: requiredPod([{ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }]),
    labels: { GPU: 'NVIDIA-GRID-K1' },
    wantStatus: podFail,
  },
  {
    name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
    pod: requiredPod([{ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }, { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] }]),
    labels: { foo: 'bar' },
  },
  {
    name: 'Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node',
    pod: requiredPod([{ matchExpressions: [expr('foo', 'Exists')] }], { nodeSelector: { foo: 'bar' } }),
    labels: { foo: 'bar' },
  },
  {
    name: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
    pod: requiredPod([{ matchExpressions: [expr('foo', 'Exists')] }], { nodeSelector: { foo: 'bar' } }),
    labels: { foo: 'barrrrrr' },
    wantStatus: podFail,
  },
  {
    name: "Pod with an invalid value in Affinity term won't be scheduled onto the node",
    pod: requiredPod([{ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }]),
    labels: { foo: 'bar' },
    wantStatus: podFail,
  },
  {
    name: 'Pod with matchFields using In operator that matches the existing node',
    pod: requiredPod([node1Field]),
    nodeName: 'node1',
    wantPreFilterNodes: ['node1'],
  },
  {
    name: 'Pod with matchFields using In operator that does not match the existing node',
    pod: requiredPod([node1Field]),
    nodeName: 'node2',
    wantStatus: podFail,
    wantPreFilterNodes: ['node1'],
  },
  {
    name: 'Pod with two terms: matchFields does not match, but matchExpressions matches',
    pod: requiredPod([
      { matchFields: [expr('metadata.name', 'In', ['node1']), expr('metadata.name', 'In', ['node2'])] },
      { matchExpressions: [expr('foo', 'In', ['bar'])] },
    ]),
    nodeName: 'node2',
    labels: { foo: 'bar' },
  },
  {
    name: 'Pod with one term: matchFields does not match, but matchExpressions matches',
    pod: requiredPod([{ ...node1Field, matchExpressions: [expr('foo', 'In', ['bar'])] }]),
    nodeName: 'node2',
    labels: { foo: 'bar' },
    wantStatus: podFail,
    wantPreFilterNodes: ['node1'],
  },
  {
    name: 'Pod with one term: both matchFields and matchExpressions match',
    pod: requiredPod([{ ...node1Field, matchExpressions: [expr('foo', 'In', ['bar'])] }]),
    nodeName: 'node1',
    labels: { foo: 'bar' },
    wantPreFilterNodes: ['node1'],
  },
  {
    name: 'Pod with two terms: both matchFields and matchExpressions do not match',
    pod: requiredPod([node1Field, { matchExpressions: [expr('foo', 'In', ['not-match-to-bar'])] }]),
    nodeName: 'node2',
    labels: { foo: 'bar' },
    wantStatus: podFail,
  },
  {
    name: 'Pod with two terms of node.Name affinity',
    pod: requiredPod([node1Field, { matchFields: [expr('metadata.name', 'In', ['node2'])] }]),
    nodeName: 'node2',
    wantPreFilterNodes: ['node1', 'node2'],
  },
  {
    name: 'Pod with two conflicting mach field requirements',
    pod: requiredPod([{ matchFields: [expr('metadata.name', 'In', ['node1']), expr('metadata.name', 'In', ['node2'])] }]),
    nodeName: 'node2',
    labels: { foo: 'bar' },
    wantPreFilterStatus: { code: Code.UnschedulableAndUnresolvable, reasons: [ErrReasonConflict] },
    wantStatus: podFail,
  },
  {
    name: "Matches added affinity and Pod's node affinity",
    pod: requiredPod([{ matchExpressions: [expr('zone', 'In', ['foo'])] }]),
    nodeName: 'node2',
    labels: { zone: 'foo' },
    args: addedRequired([{ matchFields: [expr('metadata.name', 'In', ['node2'])] }]),
  },
  {
    name: "Matches added affinity but not Pod's node affinity",
    pod: requiredPod([{ matchExpressions: [expr('zone', 'In', ['bar'])] }]),
    nodeName: 'node2',
    labels: { zone: 'foo' },
    args: addedRequired([{ matchFields: [expr('metadata.name', 'In', ['node2'])] }]),
    wantStatus: podFail,
  },
  {
    name: "Doesn't match added affinity",
    pod: pod({}),
    nodeName: 'node2',
    labels: { zone: 'foo' },
    args: addedRequired([{ matchExpressions: [expr('zone', 'In', ['bar'])] }]),
    wantStatus: { code: Code.UnschedulableAndUnresolvable, reasons: [ErrReasonEnforced] },
  },
];

describe('NodeAffinity PreFilter and Filter (node_affinity_test.go TestNodeAffinity)', () => {
  it.each(FILTER_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const args = c.args ?? NO_ADDED_AFFINITY;
    const node: NodeMeta = { name: c.nodeName ?? '', labels: c.labels ?? {} };
    const pre = nodeAffinityPreFilter(c.pod, args);
    expect(pre.status).toEqual(c.wantPreFilterStatus ?? SUCCESS_STATUS);
    expect(pre.nodeNames === undefined ? undefined : [...pre.nodeNames].sort()).toEqual(c.wantPreFilterNodes);
    expect(nodeAffinityFilter(requiredNodeAffinity(c.pod), node, args)).toEqual(c.wantStatus ?? SUCCESS_STATUS);
  });
});

// Beyond upstream's TestNodeAffinityPriority table (ported whole in affinity.kube.test.ts).
describe('NodeAffinity PreScore and Score', () => {
  const affinity1 = [{ weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } }];
  const preferredPod = (terms: Json[]): PodSchedulingInfo => pod({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } } });
  const addedPreferred = (terms: Json[]): NodeAffinityArgs => {
    const { args, errors } = compileNodeAffinityArgs({ preferred: preferredTermsFromJson(terms, 'added') });
    expect(errors).toEqual([]);
    return args;
  };

  it('PreScore skips a pod without preferred terms unless the scheduler adds some', () => {
    expect(nodeAffinityPreScore(pod({})).status.code).toBe(Code.Skip);
    expect(nodeAffinityPreScore(pod({}), addedPreferred(affinity1)).status.code).toBe(Code.Success);
  });

  it('PreScore fails with the offending field when a preferred term does not parse', () => {
    const r = nodeAffinityPreScore(preferredPod([{ weight: 1, preference: { matchExpressions: [expr('a b', 'In', ['x'])] } }]));
    expect(r.status.code).toBe(Code.Error);
    expect(r.status.reasons).toHaveLength(1);
    expect(r.status.reasons[0]).toMatch(/^\[0\]\.matchExpressions\[0\]\.key: Invalid value: "a b": name part must consist of/);
  });

  it('drops weight-0 and empty preferred terms', () => {
    const p = preferredPod([
      { weight: 0, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } },
      { weight: 3, preference: {} },
      { weight: 1, preference: { matchExpressions: [expr('foo', 'Exists')] } },
    ]);
    expect(nodeAffinityScore(nodeAffinityPreScore(p).preferred, { name: 'n', labels: { foo: 'bar' } })).toBe(1);
  });
});

// apimachinery labels.Requirement semantics as nodeaffinity uses them.
describe('node selector requirements', () => {
  const sel = (e: Json): ReturnType<typeof compileNodeSelector> => {
    const ns = nodeSelectorFromJson({ nodeSelectorTerms: [{ matchExpressions: [e] }] }, 'ns');
    if (ns === undefined) throw new Error('no selector');
    return compileNodeSelector(ns);
  };
  const on = (labels: Record<string, string>, name = 'n'): NodeMeta => ({ name, labels });

  it.each([
    ['NotIn matches a node without the label', expr('k', 'NotIn', ['v']), {}, true],
    ['In does not match a node without the label', expr('k', 'In', ['v']), {}, false],
    ['DoesNotExist', expr('k', 'DoesNotExist'), { other: 'x' }, true],
    ['Gt is strict', expr('k', 'Gt', ['5']), { k: '5' }, false],
    ['Lt compares integers, not strings', expr('k', 'Lt', ['10']), { k: '9' }, true],
    ['Gt on a non-integer label is false', expr('k', 'Gt', ['1']), { k: 'abc' }, false],
    ['Lt on a missing label is false', expr('k', 'Lt', ['1']), {}, false],
    ['Gt handles int64 range exactly', expr('k', 'Gt', ['9007199254740992']), { k: '9007199254740993' }, true],
  ] as const)('%s', (_name, e, labels, want) => {
    const s = sel(e);
    expect(s.errors).toEqual([]);
    expect(matchesNodeSelector(s, on(labels))).toBe(want);
  });

  it.each([
    ['an unknown operator', expr('k', 'Near', ['v'])],
    ['In without values', expr('k', 'In', [])],
    ['Exists with values', expr('k', 'Exists', ['v'])],
    ['Gt with a non-integer', expr('k', 'Gt', ['x'])],
    ['Gt with two values', expr('k', 'Gt', ['1', '2'])],
    ['an invalid key', expr('-k', 'Exists')],
    ['a value over 63 characters', expr('k', 'In', ['a'.repeat(64)])],
  ] as const)('a term with %s never matches and reports a parse error', (_name, e) => {
    const s = sel(e);
    expect(s.errors.length).toBeGreaterThan(0);
    expect(s.errors[0]).toMatch(/^nodeSelectorTerms\[0\]\.matchExpressions\[0\]\./);
    expect(matchesNodeSelector(s, on({ k: '1' }))).toBe(false);
  });

  it('ignores matchFields for a node without a name, and reads other field keys as ""', () => {
    const ns = nodeSelectorFromJson({ nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'In', ['x'])] }] }, 'ns');
    if (ns === undefined) throw new Error('no selector');
    const s = compileNodeSelector(ns);
    expect(matchesNodeSelector(s, on({}, ''))).toBe(true);
    expect(matchesNodeSelector(s, on({}, 'y'))).toBe(false);
    const other = nodeSelectorFromJson({ nodeSelectorTerms: [{ matchFields: [expr('spec.x', 'NotIn', ['v'])] }] }, 'ns');
    if (other === undefined) throw new Error('no selector');
    expect(matchesNodeSelector(compileNodeSelector(other), on({}, 'y'))).toBe(true);
  });

  it('refuses matchFields operators other than In/NotIn, and more than one value', () => {
    for (const e of [expr('metadata.name', 'Exists'), expr('metadata.name', 'In', ['a', 'b'])]) {
      const ns = nodeSelectorFromJson({ nodeSelectorTerms: [{ matchFields: [e] }] }, 'ns');
      if (ns === undefined) throw new Error('no selector');
      expect(compileNodeSelector(ns).errors.length).toBe(1);
    }
  });

  it('reports addedAffinity parse errors as configuration errors', () => {
    const { errors } = compileNodeAffinityArgs({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In', values: [] }], matchFields: [] }] } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^addedAffinity\.requiredDuringSchedulingIgnoredDuringExecution\.nodeSelectorTerms\[0\]/);
  });
});
