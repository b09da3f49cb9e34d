/**
 * Which requests an admission plugin sees, decided exactly as kube-apiserver decides it for a
 * webhook (k8s.io/apiserver admission/plugin/webhook predicates): rules (operations × groups ×
 * versions × resources/subresources × scope), then namespaceSelector, then objectSelector.
 * Also the decoding of a plugin's Capabilities into the settings the chain runs it with.
 */
import { ErrorCodes, PlugdError } from '../errors.js';
import type { FailurePolicy } from '../interfaces.js';
import { isJsonObject, labelsOf, type AdmissionRequest, type JsonObject } from './review.js';

export type PluginKind = 'Mutating' | 'Validating';
export type Scope = 'Cluster' | 'Namespaced' | '*';
export type SideEffectClass = 'None' | 'NoneOnDryRun' | 'Some' | 'Unknown';
export type ReinvocationPolicy = 'Never' | 'IfNeeded';

/** admissionregistration/v1 RuleWithOperations. */
export interface Rule {
  readonly operations: readonly string[];
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly scope: Scope;
}

export interface Requirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/** A parsed metav1.LabelSelector: all requirements must hold; none = matches everything. */
export type Selector = readonly Requirement[];

/** How the chain runs one plugin: its capabilities, with the host config over them. */
export interface AdmissionPluginSettings {
  readonly kind: PluginKind;
  readonly rules: readonly Rule[];
  readonly namespaceSelector: Selector;
  readonly objectSelector: Selector;
  readonly failurePolicy: FailurePolicy;
  /** 1000..30000 ms (kube's timeoutSeconds 1..30); default 10000. */
  readonly timeoutMs: number;
  readonly reinvocationPolicy: ReinvocationPolicy;
  readonly sideEffects: SideEffectClass;
  /** Mutating plugins run by ascending (order, name), unless the host config lists an order. */
  readonly order: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MIN_TIMEOUT_MS = 1_000;
export const MAX_TIMEOUT_MS = 30_000;

/** The host-config overrides of one plugin (config `plugins.<name>`). */
export interface SettingsOverride {
  readonly failurePolicy?: FailurePolicy;
  readonly timeoutMs?: number;
}

function bad(plugin: string, message: string): PlugdError {
  return new PlugdError(ErrorCodes.MALFORMED_ANSWER, `plugin ${plugin}: GetCapabilities: ${message}`, { plugin });
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const OPERATORS: Readonly<Record<string, Requirement['operator']>> = { IN: 'In', NOT_IN: 'NotIn', EXISTS: 'Exists', DOES_NOT_EXIST: 'DoesNotExist' };

function selector(plugin: string, field: string, v: unknown): Selector {
  if (v === undefined || v === null) return [];
  if (!isJsonObject(v as never)) throw bad(plugin, `${field} must be a LabelSelector`);
  const o = v as Record<string, unknown>;
  const out: Requirement[] = [];
  const ml = o.matchLabels;
  if (ml !== undefined && ml !== null) {
    for (const [key, value] of Object.entries(ml as Record<string, unknown>)) out.push({ key, operator: 'In', values: [String(value)] });
  }
  const exprs = Array.isArray(o.matchExpressions) ? (o.matchExpressions as Array<Record<string, unknown>>) : [];
  exprs.forEach((e, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    const operator = OPERATORS[String(e.operator)];
    if (operator === undefined) throw bad(plugin, `${at}.operator ${JSON.stringify(e.operator)} is not one of IN, NOT_IN, EXISTS, DOES_NOT_EXIST`);
    const key = typeof e.key === 'string' ? e.key : '';
    if (key === '') throw bad(plugin, `${at}.key is empty`);
    const values = strings(e.values);
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) throw bad(plugin, `${at}: ${operator} needs values`);
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) throw bad(plugin, `${at}: ${operator} takes no values`);
    out.push({ key, operator, values });
  });
  return out;
}

function rule(plugin: string, v: unknown, i: number): Rule {
  const o = (isJsonObject(v as never) ? v : {}) as Record<string, unknown>;
  const at = `rules[${i}]`;
  const scope = o.scope === undefined || o.scope === '' || o.scope === null ? '*' : o.scope;
  if (scope !== '*' && scope !== 'Cluster' && scope !== 'Namespaced') throw bad(plugin, `${at}.scope must be "Cluster", "Namespaced" or "*", got ${JSON.stringify(scope)}`);
  const operations = strings(o.operations);
  for (const op of operations) {
    if (!['*', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT'].includes(op)) throw bad(plugin, `${at}.operations: ${JSON.stringify(op)} is not CREATE, UPDATE, DELETE, CONNECT or *`);
  }
  const resources = strings(o.resources);
  for (const r of resources) {
    // kube-apiserver's validation: "*/x" is fine, "x/*" too, but a resource is never empty.
    if (r === '' || r.startsWith('/')) throw bad(plugin, `${at}.resources: ${JSON.stringify(r)} is not a resource`);
  }
  return { operations, apiGroups: strings(o.apiGroups), apiVersions: strings(o.apiVersions), resources, scope };
}

function clampTimeout(ms: number, warnings: string[], what: string): number {
  if (ms < MIN_TIMEOUT_MS || ms > MAX_TIMEOUT_MS) {
    const clamped = Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, ms));
    warnings.push(`${what} ${ms} ms is outside kube-apiserver's 1..30 s; using ${clamped} ms`);
    return clamped;
  }
  return ms;
}

/**
 * Capabilities (as decoded from GetCapabilities: camelCase, enums as their names) → settings.
 * Throws a MALFORMED_ANSWER PlugdError for what kube-apiserver would refuse in a webhook
 * configuration (no kind, an invalid selector or rule); `warnings` collects what was adjusted.
 */
export function decodeSettings(plugin: string, caps: Readonly<Record<string, unknown>>, override: SettingsOverride = {}): { settings: AdmissionPluginSettings; warnings: string[] } {
  const warnings: string[] = [];
  const kind = caps.kind === 'MUTATING' ? 'Mutating' : caps.kind === 'VALIDATING' ? 'Validating' : undefined;
  if (kind === undefined) throw bad(plugin, `kind must be MUTATING or VALIDATING, got ${JSON.stringify(caps.kind ?? 'KIND_UNSPECIFIED')}`);
  const rules = (Array.isArray(caps.rules) ? caps.rules : []).map((r, i) => rule(plugin, r, i));
  if (rules.length === 0) warnings.push('declares no rules: it is never called (as a webhook with no rules)');
  const own = caps.failurePolicy === 'IGNORE' ? 'Ignore' : 'Fail';
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  const seconds = Number(caps.timeoutSeconds ?? 0);
  const ms = Number(caps.timeoutMs ?? 0);
  if (seconds > 0) timeoutMs = clampTimeout(seconds * 1000, warnings, 'timeoutSeconds');
  else if (ms > 0) timeoutMs = clampTimeout(ms, warnings, 'timeoutMs');
  if (override.timeoutMs !== undefined) timeoutMs = clampTimeout(override.timeoutMs, warnings, 'config timeoutMs');
  const se = caps.sideEffects;
  const sideEffects: SideEffectClass = se === 'NONE' ? 'None' : se === 'NONE_ON_DRY_RUN' ? 'NoneOnDryRun' : se === 'SOME' ? 'Some' : 'Unknown';
  const reinvocationPolicy: ReinvocationPolicy = caps.reinvocationPolicy === 'IF_NEEDED' ? 'IfNeeded' : 'Never';
  if (kind === 'Validating' && reinvocationPolicy === 'IfNeeded') warnings.push('reinvocationPolicy IF_NEEDED is for mutating plugins; ignored');
  return {
    settings: {
      kind,
      rules,
      namespaceSelector: selector(plugin, 'namespaceSelector', caps.namespaceSelector),
      objectSelector: selector(plugin, 'objectSelector', caps.objectSelector),
      failurePolicy: override.failurePolicy ?? own,
      timeoutMs,
      reinvocationPolicy: kind === 'Mutating' ? reinvocationPolicy : 'Never',
      sideEffects,
      order: typeof caps.order === 'number' ? caps.order : 0,
    },
    warnings,
  };
}

// ---------------------------------------------------------------- matching

/** metav1 label selector semantics: every requirement holds (NotIn also holds when the label is absent). */
export function selectorMatches(sel: Selector, labels: Readonly<Record<string, string>>): boolean {
  for (const r of sel) {
    const has = Object.hasOwn(labels, r.key);
    const v = labels[r.key];
    switch (r.operator) {
      case 'In': if (!has || !r.values.includes(v!)) return false; break;
      case 'NotIn': if (has && r.values.includes(v!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
    }
  }
  return true;
}

const has = (list: readonly string[], v: string): boolean => list.includes('*') || list.includes(v);

/** kube's rules.Matcher compares the GVR alone: namespaces/status and namespaces/finalize are cluster-scoped too. */
function isNamespaceResource(req: AdmissionRequest): boolean {
  return req.resource.group === '' && req.resource.version === 'v1' && req.resource.resource === 'namespaces';
}

/** One rule against the request, as kube's rules.Matcher (operation, group, version, resource/subresource, scope). */
export function ruleMatches(r: Rule, req: AdmissionRequest): boolean {
  if (!has(r.operations, req.operation)) return false;
  if (!has(r.apiGroups, req.resource.group)) return false;
  if (!has(r.apiVersions, req.resource.version)) return false;
  const sub = req.subResource ?? '';
  let resourceOk = false;
  for (const spec of r.resources) {
    const slash = spec.indexOf('/');
    const res = slash < 0 ? spec : spec.slice(0, slash);
    const s = slash < 0 ? '' : spec.slice(slash + 1);
    if ((res === '*' || res === req.resource.resource) && (s === '*' || s === sub)) {
      resourceOk = true;
      break;
    }
  }
  if (!resourceOk) return false;
  const ns = req.namespace ?? '';
  switch (r.scope) {
    case '*': return true;
    // A Namespace object carries its own name as the request's namespace, yet it is cluster-scoped.
    case 'Cluster': return isNamespaceResource(req) || ns === '';
    case 'Namespaced': return !isNamespaceResource(req) && ns !== '';
  }
}

/**
 * Whether any rule matches. kube-apiserver matches a webhook's rules against the request as
 * the client made it and, under the default matchPolicy Equivalent, against the resource it
 * was converted to; the AdmissionReview gives both (requestResource and resource).
 */
export function rulesMatch(rules: readonly Rule[], req: AdmissionRequest): boolean {
  if (rules.some((r) => ruleMatches(r, req))) return true;
  const rr = req.requestResource;
  if (rr === undefined || (rr.group === req.resource.group && rr.version === req.resource.version && rr.resource === req.resource.resource && (req.requestSubResource ?? '') === (req.subResource ?? ''))) return false;
  const asRequested: AdmissionRequest = { ...req, resource: rr, subResource: req.requestSubResource ?? '' };
  return rules.some((r) => ruleMatches(r, asRequested));
}

/** Kubernetes sets this label on every namespace (1.21+): a selector on it needs no lookup. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Where namespace labels come from for namespaceSelector (e.g. an informer's cache). */
export interface NamespaceLookup {
  /** The namespace's labels; undefined when the namespace is unknown. */
  labels(namespace: string): Readonly<Record<string, string>> | undefined;
}

export type SelectorVerdict = { readonly match: boolean } | { readonly error: string };

const MATCH: SelectorVerdict = Object.freeze({ match: true });
const NO_MATCH: SelectorVerdict = Object.freeze({ match: false });

/** namespaceSelector as kube's namespace.Matcher: cluster-scoped requests other than namespaces always match. */
export function namespaceSelectorMatches(sel: Selector, req: AdmissionRequest, lookup: NamespaceLookup | undefined): SelectorVerdict {
  // As kube's namespace.Matcher: the resource name alone says "namespaces".
  const forNamespace = req.resource.resource === 'namespaces';
  const ns = req.namespace || (forNamespace ? req.name ?? '' : '');
  if (ns === '' && !forNamespace) return MATCH;
  if (sel.length === 0) return MATCH;
  let labels: Readonly<Record<string, string>> | undefined;
  // A Namespace being created or updated is not in any cache yet: its own labels decide. Its
  // subresources (status, finalize) and other operations take the namespace's labels, as kube's.
  if (forNamespace && (req.subResource ?? '') === '' && (req.operation === 'CREATE' || req.operation === 'UPDATE')) labels = labelsOf(req.object);
  else if (lookup !== undefined) {
    labels = lookup.labels(ns);
    if (labels === undefined && forNamespace && req.operation === 'DELETE' && req.oldObject) labels = labelsOf(req.oldObject);
    if (labels === undefined) return { error: `namespaceSelector: namespace ${JSON.stringify(ns)} is unknown to the namespace lookup` };
  } else if (sel.every((r) => r.key === NAMESPACE_NAME_LABEL)) {
    labels = {};
  } else if (forNamespace && req.operation === 'DELETE' && req.oldObject) {
    labels = labelsOf(req.oldObject);
  } else {
    const keys = [...new Set(sel.map((r) => r.key))].join(', ');
    return { error: `namespaceSelector on ${keys} needs the labels of namespace ${JSON.stringify(ns)}, and no namespace lookup is configured (only ${NAMESPACE_NAME_LABEL} can be evaluated without one)` };
  }
  const withName = labels[NAMESPACE_NAME_LABEL] === undefined && ns !== '' ? { ...labels, [NAMESPACE_NAME_LABEL]: ns } : labels;
  return selectorMatches(sel, withName) ? MATCH : NO_MATCH;
}

/**
 * Whether kube's meta.Accessor would take the object: every object with ObjectMeta serializes a
 * `metadata` object; what has none (PodExecOptions, NodeProxyOptions… a CONNECT's object) is not one.
 */
function hasObjectMeta(obj: JsonObject | null | undefined): obj is JsonObject {
  return obj != null && isJsonObject(obj.metadata);
}

/**
 * objectSelector as kube's object.Matcher: the object's labels or the old object's. A null
 * object, or one without metadata, never matches a non-empty selector (not even NotIn).
 */
export function objectSelectorMatches(sel: Selector, object: JsonObject | null | undefined, oldObject: JsonObject | null | undefined): boolean {
  if (sel.length === 0) return true;
  return (hasObjectMeta(object) && selectorMatches(sel, labelsOf(object))) || (hasObjectMeta(oldObject) && selectorMatches(sel, labelsOf(oldObject)));
}
