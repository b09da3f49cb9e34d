/**
 * TaintToleration, NodeUnschedulable and NodeName: the filters and the score that read a
 * node's taints, spec.unschedulable and name, with kube-scheduler's reason strings.
 */
import { parseGoInt64 } from './labels.js';
import { Code, status, SUCCESS, type PluginStatus, type Taint, type Toleration } from './types.js';

/** TaintToleration's Filter reason since kube 1.35 (kubernetes#134740 dropped the taint from it). */
export const ErrReasonUntoleratedTaint = 'node(s) had untolerated taint(s)';
/** NodeUnschedulable's reasons. */
export const ErrReasonUnschedulable = 'node(s) were unschedulable';
export const ErrReasonUnknownCondition = 'node(s) had unknown conditions';
/** NodeName's reason. */
export const ErrReasonNodeName = "node(s) didn't match the requested node name";
/** v1.TaintNodeUnschedulable. */
export const TaintNodeUnschedulable = 'node.kubernetes.io/unschedulable';

/** Feature gates that change toleration matching. */
export interface TaintOptions {
  /** TaintTolerationComparisonOperators (alpha, off by default): Lt/Gt tolerations compare integers. */
  readonly enableComparisonOperators?: boolean;
}

/** content.IsDecimalInteger: "0" or an optionally negative integer without leading zeros. */
function decimalInteger(s: string): bigint | undefined {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return undefined;
  return parseGoInt64(s);
}

/**
 * Toleration.ToleratesTaint: an empty effect matches every effect, an empty key every key;
 * operator ''/Equal compares values, Exists matches any value; Lt/Gt (gated) compare the
 * taint's integer value against the toleration's.
 */
export function toleratesTaint(t: Toleration, taint: Taint, opts: TaintOptions = {}): boolean {
  if (t.effect.length > 0 && t.effect !== taint.effect) return false;
  if (t.key.length > 0 && t.key !== taint.key) return false;
  switch (t.operator) {
    case '':
    case 'Equal':
      return t.value === taint.value;
    case 'Exists':
      return true;
    case 'Lt':
    case 'Gt': {
      if (!opts.enableComparisonOperators) return false;
      const tolerationValue = decimalInteger(t.value);
      const taintValue = decimalInteger(taint.value);
      if (tolerationValue === undefined || taintValue === undefined) return false;
      return t.operator === 'Lt' ? taintValue < tolerationValue : taintValue > tolerationValue;
    }
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[], taint: Taint, opts: TaintOptions = {}): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint, opts)) return true;
  return false;
}

/** helper.DoNotScheduleTaintsFilterFunc: the effects the Filter cares about. */
export function isDoNotScheduleTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/** FindMatchingUntoleratedTaint: the first taint passing `filter` that no toleration tolerates. */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  filter: (t: Taint) => boolean,
  opts: TaintOptions = {},
): Taint | undefined {
  for (const taint of taints) {
    if (filter(taint) && !tolerationsTolerateTaint(tolerations, taint, opts)) return taint;
  }
  return undefined;
}

/** TaintToleration Filter: UnschedulableAndUnresolvable on an untolerated NoSchedule/NoExecute taint. */
export function taintTolerationFilter(taints: readonly Taint[], tolerations: readonly Toleration[], opts: TaintOptions = {}): PluginStatus {
  const taint = findMatchingUntoleratedTaint(taints, tolerations, isDoNotScheduleTaint, opts);
  return taint === undefined ? SUCCESS : status(Code.UnschedulableAndUnresolvable, ErrReasonUntoleratedTaint);
}

/** The reason kube 1.26–1.34 gave, naming the taint: "node(s) had untolerated taint {key: value}". */
export function legacyUntoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value}}`;
}

/** PreScore: the tolerations with effect PreferNoSchedule or no effect. */
export function tolerationsPreferNoSchedule(tolerations: readonly Toleration[]): Toleration[] {
  return tolerations.filter((t) => t.effect.length === 0 || t.effect === 'PreferNoSchedule');
}

/**
 * TaintToleration Score (before NormalizeScore, which reverses it): the number of the node's
 * PreferNoSchedule taints that `tolerations` (from tolerationsPreferNoSchedule) do not tolerate.
 */
export function countIntolerableTaintsPreferNoSchedule(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  opts: TaintOptions = {},
): number {
  let n = 0;
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint, opts)) n++;
  }
  return n;
}

/**
 * NodeUnschedulable Filter: a node with spec.unschedulable refuses pods unless they tolerate
 * the node.kubernetes.io/unschedulable:NoSchedule taint. `unschedulable` undefined: no node.
 */
export function nodeUnschedulableFilter(
  unschedulable: boolean | undefined,
  tolerations: readonly Toleration[],
  opts: TaintOptions = {},
): PluginStatus {
  if (unschedulable === undefined) return status(Code.UnschedulableAndUnresolvable, ErrReasonUnknownCondition);
  if (!unschedulable) return SUCCESS;
  const tolerates = tolerationsTolerateTaint(tolerations, { key: TaintNodeUnschedulable, value: '', effect: 'NoSchedule' }, opts);
  return tolerates ? SUCCESS : status(Code.UnschedulableAndUnresolvable, ErrReasonUnschedulable);
}

/** NodeName Filter: a pod with spec.nodeName fits only the node of that name. */
export function nodeNameFilter(podNodeName: string, nodeName: string): PluginStatus {
  return podNodeName.length === 0 || podNodeName === nodeName ? SUCCESS : status(Code.UnschedulableAndUnresolvable, ErrReasonNodeName);
}
