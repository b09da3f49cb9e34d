/**
 * The core/v1 shapes the built-in plugins read (tolerations, taints, node selectors) and the
 * framework's status codes and score bounds, with kube-scheduler's names and values.
 */

/** Framework status codes (kube-scheduler fwk.Code), DESIGN.md §3. */
export const Code = {
  Success: 0,
  Error: 1,
  Unschedulable: 2,
  UnschedulableAndUnresolvable: 3,
  Wait: 4,
  Skip: 5,
  Pending: 6,
} as const;
export type StatusCode = (typeof Code)[keyof typeof Code];

/** A plugin outcome: a code and, when not Success, kube's reason strings. */
export interface PluginStatus {
  readonly code: StatusCode;
  readonly reasons: readonly string[];
}

export const SUCCESS: PluginStatus = Object.freeze({ code: Code.Success, reasons: Object.freeze([]) });
export const SKIP: PluginStatus = Object.freeze({ code: Code.Skip, reasons: Object.freeze([]) });

export function status(code: StatusCode, ...reasons: string[]): PluginStatus {
  return { code, reasons };
}

/** fwk.MaxNodeScore / MinNodeScore; config.MaxCustomPriorityScore (RequestedToCapacityRatio shape scores). */
export const MaxNodeScore = 100;
export const MinNodeScore = 0;
export const MaxCustomPriorityScore = 10;

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | (string & {});

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: TaintEffect;
}

/** v1.Toleration; operator '' means Equal. Lt/Gt only count behind TaintTolerationComparisonOperators. */
export interface Toleration {
  readonly key: string;
  readonly operator: string;
  readonly value: string;
  readonly effect: string;
}

/** In, NotIn, Exists, DoesNotExist, Gt, Lt (anything else is a parse error, as in kube). */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

export interface NodeSelectorTerm {
  readonly matchExpressions: readonly NodeSelectorRequirement[];
  readonly matchFields: readonly NodeSelectorRequirement[];
}

/** v1.NodeSelector: terms are ORed; an empty term matches nothing. */
export interface NodeSelector {
  readonly nodeSelectorTerms: readonly NodeSelectorTerm[];
}

export interface PreferredSchedulingTerm {
  readonly weight: number;
  readonly preference: NodeSelectorTerm;
}

/** v1.NodeAffinity, as written in a pod or in NodeAffinityArgs.addedAffinity. */
export interface NodeAffinitySpec {
  readonly required?: NodeSelector | undefined;
  readonly preferred?: readonly PreferredSchedulingTerm[] | undefined;
}

/** What the label- and field-matching plugins see of a node. */
export interface NodeMeta {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}
