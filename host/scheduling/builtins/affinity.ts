/**
 * NodeAffinity: the pod's nodeSelector and node affinity (required and preferred), plus
 * NodeAffinityArgs.addedAffinity, with k8s.io/component-helpers' nodeaffinity semantics and
 * apimachinery's label-requirement parsing and matching. Selectors are compiled once per pod;
 * matching a node then allocates nothing.
 */
import { isQualifiedName, isValidLabelValue, parseGoInt64 } from './labels.js';
import {
  Code,
  SKIP,
  status,
  SUCCESS,
  type NodeAffinitySpec,
  type NodeMeta,
  type NodeSelector,
  type NodeSelectorRequirement,
  type NodeSelectorTerm,
  type PluginStatus,
  type PreferredSchedulingTerm,
} from './types.js';

/** ErrReasonPod: the pod's nodeSelector/affinity does not match. */
export const ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";
/** errReasonEnforced: NodeAffinityArgs.addedAffinity does not match. */
export const ErrReasonEnforced = "node(s) didn't match scheduler-enforced node affinity";
/** errReasonConflict: the pod's metadata.name terms cannot all hold. */
export const ErrReasonConflict = 'pod affinity terms conflict';

const OBJECT_NAME_FIELD = 'metadata.name';

type LabelOp = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

interface LabelRequirement {
  readonly key: string;
  readonly op: LabelOp;
  readonly values: readonly string[];
  /** Gt/Lt's operand. */
  readonly bound: bigint;
}

interface FieldRequirement {
  readonly key: string;
  readonly equal: boolean;
  readonly value: string;
}

interface CompiledTerm {
  /** undefined: no matchExpressions. */
  readonly labels: readonly LabelRequirement[] | undefined;
  /** undefined: no matchFields. */
  readonly fields: readonly FieldRequirement[] | undefined;
  /** Parse errors; a term with any never matches. */
  readonly errors: readonly string[];
}

const LABEL_OPS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);

/** How field.Error prints a []string bad value (Go's %#v): []string{"a", "b"}. */
function goStrings(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/**
 * errors.Flatten(errors.NewAggregate(errs)).Error(): the one message, or "[a, b]" with
 * duplicates dropped, as kube reports a pod's unparsable terms.
 */
export function aggregateMessage(errs: readonly string[]): string {
  const seen = [...new Set(errs)];
  return errs.length === 1 || seen.length === 1 ? (seen[0] ?? '') : `[${seen.join(', ')}]`;
}

/** labels.NewRequirement's validation, for a NodeSelectorRequirement at `path`. */
function compileLabelRequirement(r: NodeSelectorRequirement, path: string, errs: string[]): LabelRequirement | undefined {
  if (!LABEL_OPS.has(r.operator)) {
    errs.push(
      `${path}.operator: Unsupported value: ${JSON.stringify(r.operator)}: ` +
        'supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
    );
    return undefined;
  }
  const op = r.operator as LabelOp;
  const before = errs.length;
  // labels.NewRequirement: one field.Error per problem, the key's messages joined by "; ".
  const keyErrs = isQualifiedName(r.key);
  if (keyErrs.length > 0) errs.push(`${path}.key: Invalid value: ${JSON.stringify(r.key)}: ${keyErrs.join('; ')}`);
  const badValues = `${path}.values: Invalid value: ${goStrings(r.values)}`;
  let bound = 0n;
  switch (op) {
    case 'In':
    case 'NotIn':
      if (r.values.length === 0) errs.push(`${badValues}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (r.values.length !== 0) errs.push(`${badValues}: values set must be empty for exists and does not exist`);
      break;
    case 'Gt':
    case 'Lt':
      if (r.values.length !== 1) errs.push(`${badValues}: for 'Gt', 'Lt' operators, exactly one value is required`);
      r.values.forEach((v, i) => {
        const n = parseGoInt64(v);
        if (n !== undefined) bound = n;
        else errs.push(`${path}.values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
  }
  r.values.forEach((v, i) => {
    // validateLabelValue reports at valuePath.Index(i).Key(key): "values[0][key]".
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length > 0) errs.push(`${path}.values[${i}][${r.key}]: Invalid value: ${JSON.stringify(v)}: ${valueErrs.join('; ')}`);
  });
  return errs.length === before ? { key: r.key, op, values: r.values, bound } : undefined;
}

function compileFieldRequirement(r: NodeSelectorRequirement, path: string, errs: string[]): FieldRequirement | undefined {
  if (r.operator !== 'In' && r.operator !== 'NotIn') {
    errs.push(`${path}.operator: Unsupported value: ${JSON.stringify(r.operator)}: supported values: "In", "NotIn"`);
    return undefined;
  }
  if (r.values.length !== 1) {
    errs.push(`${path}.values: Invalid value: ${goStrings(r.values)}: must have one element`);
    return undefined;
  }
  return { key: r.key, equal: r.operator === 'In', value: r.values[0] as string };
}

function isEmptyTerm(t: NodeSelectorTerm): boolean {
  return t.matchExpressions.length === 0 && t.matchFields.length === 0;
}

function compileTerm(t: NodeSelectorTerm, path: string): CompiledTerm {
  const errors: string[] = [];
  let labels: LabelRequirement[] | undefined;
  let fields: FieldRequirement[] | undefined;
  if (t.matchExpressions.length > 0) {
    labels = [];
    t.matchExpressions.forEach((r, i) => {
      const c = compileLabelRequirement(r, `${path}.matchExpressions[${i}]`, errors);
      if (c !== undefined) labels?.push(c);
    });
  }
  if (t.matchFields.length > 0) {
    fields = [];
    t.matchFields.forEach((r, i) => {
      const c = compileFieldRequirement(r, `${path}.matchFields[${i}]`, errors);
      if (c !== undefined) fields?.push(c);
    });
  }
  return { labels, fields, errors };
}

function has(labels: Readonly<Record<string, string>>, key: string): boolean {
  return Object.hasOwn(labels, key);
}

/** labels.Requirement.Matches. */
function matchesLabel(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  switch (r.op) {
    case 'In':
      return has(labels, r.key) && r.values.includes(labels[r.key] as string);
    case 'NotIn':
      return !has(labels, r.key) || !r.values.includes(labels[r.key] as string);
    case 'Exists':
      return has(labels, r.key);
    case 'DoesNotExist':
      return !has(labels, r.key);
    case 'Gt':
    case 'Lt': {
      if (!has(labels, r.key)) return false;
      const v = parseGoInt64(labels[r.key] as string);
      if (v === undefined) return false;
      return r.op === 'Gt' ? v > r.bound : v < r.bound;
    }
  }
}

/** nodeSelectorTerm.match: labels ANDed; fields ANDed, and ignored for a node without a name. */
function matchesTerm(t: CompiledTerm, node: NodeMeta): boolean {
  if (t.errors.length > 0) return false;
  if (t.labels !== undefined) {
    for (const r of t.labels) if (!matchesLabel(r, node.labels)) return false;
  }
  if (t.fields !== undefined && node.name.length > 0) {
    for (const f of t.fields) {
      // The node's field set holds only metadata.name; other keys read as "".
      const v = f.key === OBJECT_NAME_FIELD ? node.name : '';
      if ((v === f.value) !== f.equal) return false;
    }
  }
  return true;
}

/** A compiled v1.NodeSelector (LazyErrorNodeSelector): terms ORed, empty terms dropped. */
export interface CompiledNodeSelector {
  readonly terms: readonly CompiledTerm[];
  /** Every parse error, with its field path; kube reports them only when nothing matches. */
  readonly errors: readonly string[];
}

export function compileNodeSelector(ns: NodeSelector, path = 'nodeSelectorTerms'): CompiledNodeSelector {
  const terms: CompiledTerm[] = [];
  ns.nodeSelectorTerms.forEach((t, i) => {
    if (!isEmptyTerm(t)) terms.push(compileTerm(t, `${path}[${i}]`));
  });
  return { terms, errors: terms.flatMap((t) => t.errors) };
}

/** True when some term matches; a selector with no usable terms matches nothing. */
export function matchesNodeSelector(sel: CompiledNodeSelector, node: NodeMeta): boolean {
  for (const t of sel.terms) if (matchesTerm(t, node)) return true;
  return false;
}

/** nodeaffinity.RequiredNodeAffinity: nodeSelector (if non-empty) AND the required terms (if set). */
export interface RequiredNodeAffinity {
  readonly nodeSelector: Readonly<Record<string, string>> | undefined;
  readonly affinity: CompiledNodeSelector | undefined;
}

/** What of a pod NodeAffinity reads. */
export interface PodAffinityInput {
  readonly nodeSelector: Readonly<Record<string, string>> | undefined;
  readonly requiredNodeAffinity: NodeSelector | undefined;
  readonly preferredNodeAffinity: readonly PreferredSchedulingTerm[] | undefined;
}

/** GetRequiredNodeAffinity. */
export function requiredNodeAffinity(pod: PodAffinityInput): RequiredNodeAffinity {
  const sel = pod.nodeSelector;
  return {
    nodeSelector: sel !== undefined && Object.keys(sel).length > 0 ? sel : undefined,
    affinity: pod.requiredNodeAffinity === undefined ? undefined : compileNodeSelector(pod.requiredNodeAffinity),
  };
}

/** RequiredNodeAffinity.Match (parse errors count as no match, as the plugin ignores them). */
export function matchesRequiredNodeAffinity(req: RequiredNodeAffinity, node: NodeMeta): boolean {
  if (req.nodeSelector !== undefined) {
    for (const key of Object.keys(req.nodeSelector)) {
      if (!has(node.labels, key) || node.labels[key] !== req.nodeSelector[key]) return false;
    }
  }
  return req.affinity === undefined || matchesNodeSelector(req.affinity, node);
}

/** NodeAffinityArgs compiled: the scheduler-enforced affinity every pod must also satisfy. */
export interface NodeAffinityArgs {
  readonly addedRequired: CompiledNodeSelector | undefined;
  readonly addedPreferred: CompiledPreferredTerms | undefined;
}

export const NO_ADDED_AFFINITY: NodeAffinityArgs = Object.freeze({ addedRequired: undefined, addedPreferred: undefined });

/**
 * Compiles NodeAffinityArgs.addedAffinity; unlike a pod's terms, any parse error here is a
 * configuration error (New fails), returned in `errors`.
 */
export function compileNodeAffinityArgs(added: NodeAffinitySpec | undefined): { args: NodeAffinityArgs; errors: string[] } {
  if (added === undefined) return { args: NO_ADDED_AFFINITY, errors: [] };
  const errors: string[] = [];
  let addedRequired: CompiledNodeSelector | undefined;
  if (added.required !== undefined) {
    addedRequired = compileNodeSelector(added.required, 'addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms');
    errors.push(...addedRequired.errors);
  }
  let addedPreferred: CompiledPreferredTerms | undefined;
  if (added.preferred !== undefined && added.preferred.length > 0) {
    const p = compilePreferredTerms(added.preferred, 'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution');
    errors.push(...p.errors);
    addedPreferred = p;
  }
  return { args: { addedRequired, addedPreferred }, errors };
}

/** PreFilter's outcome: a status, and the node names the pod is restricted to when its terms name nodes. */
export interface NodeAffinityPreFilterResult {
  readonly status: PluginStatus;
  readonly nodeNames: ReadonlySet<string> | undefined;
}

/**
 * NodeAffinity PreFilter: Skip when there is nothing to check; otherwise, when every required
 * term pins metadata.name with In, the union of those names (Unresolvable when it is empty).
 */
export function nodeAffinityPreFilter(pod: PodAffinityInput, args: NodeAffinityArgs = NO_ADDED_AFFINITY): NodeAffinityPreFilterResult {
  const required = pod.requiredNodeAffinity;
  if (required === undefined && args.addedRequired === undefined && pod.nodeSelector === undefined) {
    return { status: SKIP, nodeNames: undefined };
  }
  if (required === undefined || required.nodeSelectorTerms.length === 0) return { status: SUCCESS, nodeNames: undefined };
  let union: Set<string> | undefined;
  for (const t of required.nodeSelectorTerms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields) {
      if (r.key !== OBJECT_NAME_FIELD || r.operator !== 'In') continue;
      const s = new Set(r.values);
      termNames = termNames === undefined ? s : new Set([...termNames].filter((n) => s.has(n)));
    }
    // A term without a metadata.name In requirement admits every node (terms are ORed).
    if (termNames === undefined) return { status: SUCCESS, nodeNames: undefined };
    union ??= new Set<string>();
    for (const n of termNames) union.add(n);
  }
  if (union !== undefined && union.size === 0) {
    return { status: status(Code.UnschedulableAndUnresolvable, ErrReasonConflict), nodeNames: undefined };
  }
  return { status: SUCCESS, nodeNames: union };
}

/** NodeAffinity Filter. */
export function nodeAffinityFilter(
  required: RequiredNodeAffinity,
  node: NodeMeta,
  args: NodeAffinityArgs = NO_ADDED_AFFINITY,
): PluginStatus {
  if (args.addedRequired !== undefined && !matchesNodeSelector(args.addedRequired, node)) {
    return status(Code.UnschedulableAndUnresolvable, ErrReasonEnforced);
  }
  if (!matchesRequiredNodeAffinity(required, node)) return status(Code.UnschedulableAndUnresolvable, ErrReasonPod);
  return SUCCESS;
}

/** nodeaffinity.PreferredSchedulingTerms: weight-0 and empty terms dropped. */
export interface CompiledPreferredTerms {
  readonly terms: readonly CompiledTerm[];
  readonly weights: readonly number[];
  readonly errors: readonly string[];
}

/**
 * NewPreferredSchedulingTerms. Errors name the term as kube does, "<path>[i].matchExpressions[j]…"
 * (no ".preference"); a pod's terms are parsed with no path at all: "[0].matchExpressions[0].key".
 */
export function compilePreferredTerms(
  terms: readonly PreferredSchedulingTerm[],
  path = '',
): CompiledPreferredTerms {
  const compiled: CompiledTerm[] = [];
  const weights: number[] = [];
  const errors: string[] = [];
  terms.forEach((t, i) => {
    if (t.weight === 0 || isEmptyTerm(t.preference)) return;
    const c = compileTerm(t.preference, `${path}[${i}]`);
    if (c.errors.length > 0) errors.push(...c.errors);
    else {
      compiled.push(c);
      weights.push(t.weight);
    }
  });
  return { terms: compiled, weights, errors };
}

/** PreferredSchedulingTerms.Score: the sum of the weights of the matching terms. */
export function preferredTermsScore(p: CompiledPreferredTerms, node: NodeMeta): number {
  let score = 0;
  for (let i = 0; i < p.terms.length; i++) if (matchesTerm(p.terms[i] as CompiledTerm, node)) score += p.weights[i] as number;
  return score;
}

/** PreScore's outcome: the pod's compiled preferred terms, or Skip, or an Error naming the bad fields (one aggregated reason). */
export interface NodeAffinityPreScoreResult {
  readonly status: PluginStatus;
  readonly preferred: CompiledPreferredTerms | undefined;
}

export function nodeAffinityPreScore(pod: PodAffinityInput, args: NodeAffinityArgs = NO_ADDED_AFFINITY): NodeAffinityPreScoreResult {
  if (pod.preferredNodeAffinity === undefined) {
    return { status: args.addedPreferred === undefined ? SKIP : SUCCESS, preferred: undefined };
  }
  const preferred = compilePreferredTerms(pod.preferredNodeAffinity);
  if (preferred.errors.length > 0) return { status: status(Code.Error, aggregateMessage(preferred.errors)), preferred: undefined };
  return { status: SUCCESS, preferred };
}

/** NodeAffinity Score (before NormalizeScore): added terms' weights plus the pod's. */
export function nodeAffinityScore(
  preferred: CompiledPreferredTerms | undefined,
  node: NodeMeta,
  args: NodeAffinityArgs = NO_ADDED_AFFINITY,
): number {
  let count = 0;
  if (args.addedPreferred !== undefined) count += preferredTermsScore(args.addedPreferred, node);
  if (preferred !== undefined) count += preferredTermsScore(preferred, node);
  return count;
}
