import { describe, expect, it } from 'vitest';
import { createPodReview, deletePodReview, execPodReview, requestOf } from '../../test/admission-reviews.js';
import { decodeSettings, namespaceSelectorMatches, type NamespaceLookup, objectSelectorMatches, ruleMatches, rulesMatch, selectorMatches, type Rule } from './match.js';
import { parseAdmissionRequest, type AdmissionRequest } from './review.js';

const podCreate = parseAdmissionRequest(requestOf(createPodReview()));
const podExec = parseAdmissionRequest(requestOf(execPodReview()));
const podDelete = parseAdmissionRequest(requestOf(deletePodReview()));
const gvr = (group: string, version: string, resource: string) => ({ group, version, resource });
const req = (over: Partial<AdmissionRequest>): AdmissionRequest => ({ ...podCreate, ...over });
const nsCreate = req({ kind: { group: '', version: 'v1', kind: 'Namespace' }, resource: gvr('', 'v1', 'namespaces'), namespace: '', name: 'team-a', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { env: 'prod' } } } });
const nodeCreate = req({ kind: { group: '', version: 'v1', kind: 'Node' }, resource: gvr('', 'v1', 'nodes'), namespace: '' });
const podStatus = req({ subResource: 'status', operation: 'UPDATE' });
const deployScale = req({ kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, resource: gvr('apps', 'v1', 'deployments'), subResource: 'scale', operation: 'UPDATE' });

const rule = (r: Partial<Rule>): Rule => ({ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], scope: '*', ...r });

describe('rules match as kube-apiserver matches them', () => {
  it.each([
    ['pods matches a pod', rule({ resources: ['pods'] }), podCreate, true],
    ['pods does not match pods/status', rule({ resources: ['pods'] }), podStatus, false],
    ['pods/status matches pods/status', rule({ resources: ['pods/status'] }), podStatus, true],
    ['* matches every resource but no subresource', rule({ resources: ['*'] }), podStatus, false],
    ['* matches a main resource', rule({ resources: ['*'] }), podCreate, true],
    ['*/* matches subresources', rule({ resources: ['*/*'] }), podExec, true],
    ['*/scale matches deployments/scale', rule({ resources: ['*/scale'] }), deployScale, true],
    ['*/scale does not match pods/status', rule({ resources: ['*/scale'] }), podStatus, false],
    ['pods/* matches pods/exec', rule({ resources: ['pods/*'] }), podExec, true],
    ['an operation not listed', rule({ operations: ['UPDATE'] }), podCreate, false],
    ['CONNECT listed', rule({ operations: ['CONNECT'], resources: ['pods/exec'] }), podExec, true],
    ['another group', rule({ apiGroups: ['apps'] }), podCreate, false],
    ['the core group is ""', rule({ apiGroups: [''] }), podCreate, true],
    ['another version', rule({ apiVersions: ['v1beta1'] }), podCreate, false],
    ['Namespaced scope, namespaced pod', rule({ scope: 'Namespaced' }), podCreate, true],
    ['Cluster scope, namespaced pod', rule({ scope: 'Cluster' }), podCreate, false],
    ['Cluster scope, node', rule({ scope: 'Cluster' }), nodeCreate, true],
    ['Cluster scope, a Namespace object (named like its own namespace)', rule({ scope: 'Cluster' }), { ...nsCreate, namespace: 'team-a' }, true],
    ['Namespaced scope, a Namespace object', rule({ scope: 'Namespaced' }), { ...nsCreate, namespace: 'team-a' }, false],
  ] as const)('%s', (_name, r, request, want) => {
    expect(ruleMatches(r, request)).toBe(want);
  });

  it('matches the resource as the client requested it too (matchPolicy Equivalent)', () => {
    const converted = req({ resource: gvr('apps', 'v1', 'deployments'), requestResource: gvr('extensions', 'v1beta1', 'deployments') });
    expect(rulesMatch([rule({ apiGroups: ['extensions'], apiVersions: ['v1beta1'], resources: ['deployments'] })], converted)).toBe(true);
    expect(rulesMatch([rule({ apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] })], converted)).toBe(true);
    expect(rulesMatch([rule({ apiGroups: ['batch'] })], converted)).toBe(false);
  });
});

describe('label selectors', () => {
  const sel = (caps: Record<string, unknown>) => decodeSettings('p', { kind: 'VALIDATING', rules: [{}], objectSelector: caps }).settings.objectSelector;
  it.each([
    [{ matchLabels: { app: 'web' } }, { app: 'web' }, true],
    [{ matchLabels: { app: 'web' } }, { app: 'api' }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'NOT_IN', values: ['db'] }] }, {}, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NOT_IN', values: ['db'] }] }, { tier: 'db' }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'EXISTS' }] }, { tier: '' }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DOES_NOT_EXIST' }] }, { tier: 'x' }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'IN', values: ['a', 'b'] }] }, { tier: 'b' }, true],
    [{}, { anything: 'x' }, true],
  ])('%j on %j → %s', (s, labels, want) => {
    expect(selectorMatches(sel(s), labels)).toBe(want);
  });

  it('refuses selectors kube-apiserver would refuse', () => {
    expect(() => sel({ matchExpressions: [{ key: 'a', operator: 'IN', values: [] }] })).toThrow(/IN needs values|In needs values/);
    expect(() => sel({ matchExpressions: [{ key: 'a', operator: 'EXISTS', values: ['x'] }] })).toThrow(/takes no values/);
    expect(() => sel({ matchExpressions: [{ key: 'a', operator: 'OPERATOR_UNSPECIFIED' }] })).toThrow(/operator/);
  });

  it('objectSelector matches the object or the old object; a DELETE is judged by its old object', () => {
    const s = sel({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
    expect(objectSelectorMatches(s, podDelete.object, podDelete.oldObject)).toBe(true);
    const none = sel({ matchLabels: { app: 'other' } });
    expect(objectSelectorMatches(none, podDelete.object, podDelete.oldObject)).toBe(false);
    // CONNECT: PodExecOptions has no ObjectMeta, so, as in kube's object.Matcher, no non-empty selector matches it.
    expect(objectSelectorMatches(sel({ matchExpressions: [{ key: 'x', operator: 'DOES_NOT_EXIST' }] }), podExec.object, podExec.oldObject)).toBe(false);
    expect(objectSelectorMatches([], podExec.object, podExec.oldObject)).toBe(true);
    expect(objectSelectorMatches(s, podExec.object, podExec.oldObject)).toBe(false);
  });
});

describe('namespaceSelector', () => {
  const nsSel = (s: Record<string, unknown>) => decodeSettings('p', { kind: 'VALIDATING', rules: [{}], namespaceSelector: s }).settings.namespaceSelector;
  const lookup: NamespaceLookup = { labels: (ns) => (ns === 'shop' ? { env: 'prod' } : ns === 'kube-system' ? ({} as Record<string, string>) : undefined) };
  const excludeSystem = nsSel({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NOT_IN', values: ['kube-system', 'plugd'] }] });

  it('evaluates kubernetes.io/metadata.name without a lookup', () => {
    expect(namespaceSelectorMatches(excludeSystem, podCreate, undefined)).toEqual({ match: true });
    expect(namespaceSelectorMatches(excludeSystem, { ...podCreate, namespace: 'kube-system' }, undefined)).toEqual({ match: false });
  });

  it('is an error (for the failure policy) when other labels are needed and there is no lookup', () => {
    const v = namespaceSelectorMatches(nsSel({ matchLabels: { env: 'prod' } }), podCreate, undefined);
    expect(v).toHaveProperty('error');
    expect((v as { error: string }).error).toMatch(/env.*no namespace lookup/);
  });

  it('uses the lookup, and errs on an unknown namespace', () => {
    const prod = nsSel({ matchLabels: { env: 'prod' } });
    expect(namespaceSelectorMatches(prod, podCreate, lookup)).toEqual({ match: true });
    expect(namespaceSelectorMatches(prod, { ...podCreate, namespace: 'kube-system' }, lookup)).toEqual({ match: false });
    expect(namespaceSelectorMatches(prod, { ...podCreate, namespace: 'nowhere' }, lookup)).toHaveProperty('error');
  });

  it('judges a Namespace being created by its own labels, and cluster-scoped objects always match', () => {
    const prod = nsSel({ matchLabels: { env: 'prod' } });
    expect(namespaceSelectorMatches(prod, nsCreate, undefined)).toEqual({ match: true });
    expect(namespaceSelectorMatches(prod, nodeCreate, undefined)).toEqual({ match: true });
  });
});

describe('capabilities', () => {
  it('clamps timeouts to 1..30 s and prefers timeoutSeconds', () => {
    expect(decodeSettings('p', { kind: 'MUTATING', rules: [{}] }).settings.timeoutMs).toBe(10_000);
    const low = decodeSettings('p', { kind: 'MUTATING', rules: [{}], timeoutMs: 200 });
    expect(low.settings.timeoutMs).toBe(1000);
    expect(low.warnings.join()).toMatch(/outside.*1\.\.30 s/);
    expect(decodeSettings('p', { kind: 'MUTATING', rules: [{}], timeoutSeconds: 45 }).settings.timeoutMs).toBe(30_000);
    expect(decodeSettings('p', { kind: 'MUTATING', rules: [{}], timeoutSeconds: 3, timeoutMs: 9000 }).settings.timeoutMs).toBe(3000);
    expect(decodeSettings('p', { kind: 'MUTATING', rules: [{}] }, { timeoutMs: 2500 }).settings.timeoutMs).toBe(2500);
  });

  it('needs a kind; takes unspecified sideEffects as Unknown and failurePolicy as Fail', () => {
    expect(() => decodeSettings('p', { rules: [{}] })).toThrow(/kind must be MUTATING or VALIDATING/);
    const s = decodeSettings('p', { kind: 'VALIDATING', rules: [{}] }).settings;
    expect(s.sideEffects).toBe('Unknown');
    expect(s.failurePolicy).toBe('Fail');
    expect(decodeSettings('p', { kind: 'VALIDATING', failurePolicy: 'IGNORE' }, { failurePolicy: 'Fail' }).settings.failurePolicy).toBe('Fail');
  });
});
