import { describe, expect, it } from 'vitest';
import { defaultNormalizeScore } from './framework-helpers.js';
import {
  countIntolerableTaintsPreferNoSchedule,
  ErrReasonNodeName,
  ErrReasonUnknownCondition,
  ErrReasonUnschedulable,
  ErrReasonUntoleratedTaint,
  findMatchingUntoleratedTaint,
  isDoNotScheduleTaint,
  legacyUntoleratedTaintReason,
  nodeNameFilter,
  nodeUnschedulableFilter,
  taintTolerationFilter,
  TaintNodeUnschedulable,
  toleratesTaint,
  tolerationsPreferNoSchedule,
} from './taints.js';
import { Code, MaxNodeScore, type PluginStatus, type Taint, type Toleration } from './types.js';

function tol(t: Partial<Toleration>): Toleration {
  return { key: t.key ?? '', operator: t.operator ?? '', value: t.value ?? '', effect: t.effect ?? '' };
}
function taint(key: string, value: string, effect: string): Taint {
  return { key, value, effect };
}

const ok: PluginStatus = { code: Code.Success, reasons: [] };
const untolerated: PluginStatus = { code: Code.UnschedulableAndUnresolvable, reasons: [ErrReasonUntoleratedTaint] };

// pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go, TestTaintTolerationFilter.
describe('TaintToleration Filter (taint_toleration_test.go TestTaintTolerationFilter)', () => {
  it.each([
    ["A pod having no tolerations can't be scheduled onto a node with nonempty taints", [], [taint('dedicated', 'user1', 'NoSchedule')], untolerated, false],
    ['A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule', [tol({ key: 'dedicated', value: 'user1', effect: 'NoSchedule' })], [taint('dedicated', 'user1', 'NoSchedule')], ok, false],
    [
      "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
      [tol({ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' })],
      [taint('dedicated', 'user1', 'NoSchedule')],
      untolerated,
      false,
    ],
    [
      'A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node',
      [tol({ key: 'foo', operator: 'Exists', effect: 'NoSchedule' })],
      [taint('foo', 'bar', 'NoSchedule')],
      ok,
      false,
    ],
    [
      'A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node',
      [tol({ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }), tol({ key: 'foo', operator: 'Exists', effect: 'NoSchedule' })],
      [taint('dedicated', 'user2', 'NoSchedule'), taint('foo', 'bar', 'NoSchedule')],
      ok,
      false,
    ],
    [
      "A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node",
      [tol({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' })],
      [taint('foo', 'bar', 'NoSchedule')],
      untolerated,
      false,
    ],
    [
      'The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node',
      [tol({ key: 'foo', operator: 'Equal', value: 'bar' })],
      [taint('foo', 'bar', 'NoSchedule')],
      ok,
      false,
    ],
    [
      "The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
      [tol({ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' })],
      [taint('dedicated', 'user1', 'PreferNoSchedule')],
      ok,
      false,
    ],
    ['The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node', [], [taint('dedicated', 'user1', 'PreferNoSchedule')], ok, false],
    [
      'Pod with Gt toleration cannot be scheduled on node when taint value is lower than threshold',
      [tol({ key: 'node.example.com/priority-level', operator: 'Gt', value: '950', effect: 'NoSchedule' })],
      [taint('node.example.com/priority-level', '800', 'NoSchedule')],
      untolerated,
      true,
    ],
    [
      'Pod with Gt toleration can be scheduled on node when taint value is higher than threshold',
      [tol({ key: 'node.kubernetes.io/sla', operator: 'Gt', value: '750', effect: 'NoSchedule' })],
      [taint('node.kubernetes.io/sla', '950', 'NoSchedule')],
      ok,
      true,
    ],
    [
      'Pod with Lt toleration cannot be scheduled on node when taint value is higher than threshold',
      [tol({ key: 'node.example.com/priority-level', operator: 'Lt', value: '800', effect: 'NoSchedule' })],
      [taint('node.example.com/priority-level', '950', 'NoSchedule')],
      untolerated,
      true,
    ],
  ] as const)('%s', (_name, tolerations, taints, want, enableComparisonOperators) => {
    expect(taintTolerationFilter(taints, tolerations, { enableComparisonOperators })).toEqual(want);
  });

  it('ignores Lt/Gt tolerations while TaintTolerationComparisonOperators is off (the default)', () => {
    const t = [tol({ key: 'sla', operator: 'Gt', value: '750', effect: 'NoSchedule' })];
    expect(taintTolerationFilter([taint('sla', '950', 'NoSchedule')], t)).toEqual(untolerated);
  });

  it('keeps the untolerated taint for callers that want kube ≤1.34 wording', () => {
    const t = findMatchingUntoleratedTaint([taint('a', '1', 'PreferNoSchedule'), taint('b', '2', 'NoExecute')], [], isDoNotScheduleTaint);
    expect(t).toEqual(taint('b', '2', 'NoExecute'));
    expect(legacyUntoleratedTaintReason(t as Taint)).toBe('node(s) had untolerated taint {b: 2}');
  });
});

// taint_toleration_test.go, TestTaintTolerationScore (Score, then the reversed NormalizeScore).
describe('TaintToleration Score (taint_toleration_test.go TestTaintTolerationScore)', () => {
  const pns = (key: string, value: string): Taint => taint(key, value, 'PreferNoSchedule');
  it.each([
    [
      'node with taints tolerated by the pod, gets a higher score than those node with intolerable taints',
      [tol({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' })],
      [[pns('foo', 'bar')], [pns('foo', 'blah')]],
      [MaxNodeScore, 0],
      false,
    ],
    [
      'the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has',
      [tol({ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' }), tol({ key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' })],
      [[], [pns('cpu-type', 'arm64')], [pns('cpu-type', 'arm64'), pns('disk-type', 'ssd')]],
      [MaxNodeScore, MaxNodeScore, MaxNodeScore],
      false,
    ],
    [
      'the more intolerable taints a node has, the lower score it gets.',
      [tol({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' })],
      [[], [pns('cpu-type', 'arm64')], [pns('cpu-type', 'arm64'), pns('disk-type', 'ssd')]],
      [MaxNodeScore, 50, 0],
      false,
    ],
    [
      'only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function',
      [tol({ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }), tol({ key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' })],
      [[], [taint('cpu-type', 'arm64', 'NoSchedule')], [pns('cpu-type', 'arm64'), pns('disk-type', 'ssd')]],
      [MaxNodeScore, MaxNodeScore, 0],
      false,
    ],
    ['Default behaviour No taints and tolerations, lands on node with no taints', [], [[], [pns('cpu-type', 'arm64')]], [MaxNodeScore, 0], false],
    [
      'Numeric Gt operator: pod with Gt toleration prefers nodes with matching SLA taint',
      [tol({ key: 'node.kubernetes.io/sla', operator: 'Gt', value: '950', effect: 'PreferNoSchedule' })],
      [[pns('node.kubernetes.io/sla', '800')], [pns('node.kubernetes.io/sla', '999')]],
      [0, MaxNodeScore],
      true,
    ],
    [
      'Numeric Lt operator: pod with Lt toleration prefers nodes with matching SLA taint',
      [tol({ key: 'node.kubernetes.io/sla', operator: 'Lt', value: '800', effect: 'PreferNoSchedule' })],
      [[pns('node.kubernetes.io/sla', '950')], [pns('node.kubernetes.io/sla', '700')]],
      [0, MaxNodeScore],
      true,
    ],
    [
      'Score ignores parse errors from numeric PreferNoSchedule taint value',
      [tol({ key: 'node.kubernetes.io/sla', operator: 'Gt', value: '950', effect: 'PreferNoSchedule' })],
      [[], [pns('node.kubernetes.io/sla', 'high')]],
      [MaxNodeScore, 0],
      true,
    ],
  ] as const)('%s', (_name, tolerations, nodeTaints, expected, enableComparisonOperators) => {
    const prefer = tolerationsPreferNoSchedule(tolerations);
    const scores = nodeTaints.map((taints) => countIntolerableTaintsPreferNoSchedule(taints, prefer, { enableComparisonOperators }));
    defaultNormalizeScore(MaxNodeScore, true, scores);
    expect(scores).toEqual(expected);
  });
});

// Toleration.ToleratesTaint rules (k8s.io/api core/v1 toleration.go, component-helpers).
describe('toleratesTaint', () => {
  const t = taint('k', 'v', 'NoSchedule');
  it.each([
    ['empty key with Exists tolerates everything', tol({ operator: 'Exists' }), true],
    ['empty effect matches every effect', tol({ key: 'k', value: 'v' }), true],
    ['a different effect does not match', tol({ key: 'k', value: 'v', effect: 'NoExecute' }), false],
    ['operator "" means Equal', tol({ key: 'k', operator: '', value: 'v' }), true],
    ['Equal compares values', tol({ key: 'k', operator: 'Equal', value: 'w' }), false],
    ['an unknown operator tolerates nothing', tol({ key: 'k', operator: 'Like', value: 'v' }), false],
  ] as const)('%s', (_name, toleration, want) => {
    expect(toleratesTaint(toleration, t)).toBe(want);
  });

  it('Lt/Gt need canonical decimal integers on both sides (content.IsDecimalInteger)', () => {
    const gt = tol({ key: 'k', operator: 'Gt', value: '10' });
    const on = { enableComparisonOperators: true };
    expect(toleratesTaint(gt, taint('k', '11', 'NoSchedule'), on)).toBe(true);
    expect(toleratesTaint(gt, taint('k', '011', 'NoSchedule'), on)).toBe(false);
    expect(toleratesTaint(gt, taint('k', '+11', 'NoSchedule'), on)).toBe(false);
    expect(toleratesTaint(tol({ key: 'k', operator: 'Lt', value: '0' }), taint('k', '-5', 'NoSchedule'), on)).toBe(true);
  });
});

// pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go, TestNodeUnschedulable.
describe('NodeUnschedulable Filter (node_unschedulable_test.go)', () => {
  it.each([
    ['Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)', [], true, { code: Code.UnschedulableAndUnresolvable, reasons: [ErrReasonUnschedulable] }],
    ['Schedule pod to normal node', [], false, ok],
    ['Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)', [tol({ key: TaintNodeUnschedulable, effect: 'NoSchedule' })], true, ok],
  ] as const)('%s', (_name, tolerations, unschedulable, want) => {
    expect(nodeUnschedulableFilter(unschedulable, tolerations)).toEqual(want);
  });

  it('reports unknown conditions when there is no node', () => {
    expect(nodeUnschedulableFilter(undefined, [])).toEqual({ code: Code.UnschedulableAndUnresolvable, reasons: [ErrReasonUnknownCondition] });
  });

  it('names the reason "node(s) were unschedulable"', () => {
    expect(ErrReasonUnschedulable).toBe('node(s) were unschedulable');
  });
});

// pkg/scheduler/framework/plugins/nodename/node_name_test.go, TestNodeName.
describe('NodeName Filter (node_name_test.go)', () => {
  it.each([
    ['no host specified', '', '', ok],
    ['host matches', 'foo', 'foo', ok],
    ["host doesn't match", 'bar', 'foo', { code: Code.UnschedulableAndUnresolvable, reasons: [ErrReasonNodeName] }],
  ] as const)('%s', (_name, podNodeName, nodeName, want) => {
    expect(nodeNameFilter(podNodeName, nodeName)).toEqual(want);
  });
});
