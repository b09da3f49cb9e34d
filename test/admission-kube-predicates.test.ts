/**
 * kube-apiserver's own webhook predicate tables (rules, namespaceSelector, objectSelector;
 * ported in test/fixtures/kube-admission.ts) run against plugd's matching, and the two cases
 * they pin down seen through the chain: a CONNECT's options object never satisfies an
 * objectSelector, and namespaces/finalize is cluster-scoped.
 */
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { AdmissionChain, type AdmissionHost } from '../host/admission/chain.js';
import { namespaceSelectorMatches, objectSelectorMatches, ruleMatches, type Rule, type Selector } from '../host/admission/match.js';
import type { InProcessAdmissionPlugin } from '../host/admission/plugins.js';
import { HostMetrics } from '../host/metrics.js';
import { execPodReview, requestOf } from './admission-reviews.js';
import {
  CLUSTER_SCOPED_NODE, NAMESPACE_LABEL_TABLE, NAMESPACE_LISTER, OBJECT_SELECTOR_TABLE, RULE_TABLES, RUNLEVEL1_EXCLUDER,
} from './fixtures/kube-admission.js';

const fullRule = (r: Partial<Rule>): Rule => ({ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'], scope: '*', ...r });
const describeReq = (r: { resource: { group: string; version: string; resource: string }; subResource?: string; namespace?: string; operation: string }) =>
  `${r.operation} ${r.resource.group}/${r.resource.version}/${r.resource.resource}${r.subResource ? `/${r.subResource}` : ''} in ${JSON.stringify(r.namespace ?? '')}`;

describe('rules: webhook/predicates/rules/rules_test.go', () => {
  it.each(RULE_TABLES.map((c) => [`${c.test} ${c.name}`, c] as const))('%s', (_n, c) => {
    const rule = fullRule(c.rule);
    for (const m of c.match) expect(ruleMatches(rule, m), `expected match: ${describeReq(m)}`).toBe(true);
    for (const m of c.noMatch) expect(ruleMatches(rule, m), `expected no match: ${describeReq(m)}`).toBe(false);
  });
});

describe('namespaceSelector: webhook/predicates/namespace/matcher_test.go', () => {
  const lookup = { labels: (ns: string) => NAMESPACE_LISTER[ns] };
  const runlevel = (v: string): Selector => [{ key: 'runlevel', operator: 'In', values: [v] }];

  // GetNamespaceLabels is seen through the selector: it matches the expected runlevel and no other.
  it.each(NAMESPACE_LABEL_TABLE.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const want = c.expectedLabels.runlevel!;
    const other = want === '1' ? '2' : '1';
    expect(namespaceSelectorMatches(runlevel(want), c.attr, lookup)).toEqual({ match: true });
    expect(namespaceSelectorMatches(runlevel(other), c.attr, lookup)).toEqual({ match: false });
  });

  it('TestNotExemptClusterScopedResource: a cluster-scoped resource other than namespaces is never exempted', () => {
    expect(namespaceSelectorMatches([], CLUSTER_SCOPED_NODE, lookup)).toEqual({ match: true });
    expect(namespaceSelectorMatches(runlevel('9'), CLUSTER_SCOPED_NODE, undefined)).toEqual({ match: true });
  });
});

describe('objectSelector: webhook/predicates/object/matcher_test.go', () => {
  it.each(OBJECT_SELECTOR_TABLE.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(objectSelectorMatches(c.selector, c.object, c.oldObject)).toBe(c.expectCall);
  });
});

describe('through the chain', () => {
  const calls: string[] = [];
  const host: AdmissionHost = {
    config: { plugins: {} },
    registry: { on: () => undefined, off: () => undefined, list: () => [] } as unknown as AdmissionHost['registry'],
    logger: pino({ level: 'silent' }),
    metrics: new HostMetrics(),
    invoke: () => Promise.reject(new Error('no plugin processes here')),
  };
  const guard = (name: string, caps: Record<string, unknown>): InProcessAdmissionPlugin => ({
    name,
    capabilities: { kind: 'VALIDATING', sideEffects: 'NONE', ...caps },
    handlers: { Admit: () => { calls.push(name); return { allowed: false, status: { code: 403, message: `${name} says no` } }; } },
  });
  const chain = new AdmissionChain(host, {
    plugins: [
      // runlevel NotIn [1]: PodExecOptions has no labels, yet kube-apiserver does not call such a webhook for it.
      guard('exec-excluder', { rules: [{ operations: ['CONNECT'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/exec'] }], objectSelector: { matchExpressions: [{ key: 'runlevel', operator: 'NOT_IN', values: ['1'] }] } }),
      guard('ns-namespaced', { rules: [{ operations: ['UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces/finalize'], scope: 'Namespaced' }] }),
      guard('ns-cluster', { rules: [{ operations: ['UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces/finalize'], scope: 'Cluster' }] }),
    ],
  });
  afterAll(() => chain.close());

  it('a CONNECT\'s options object (no metadata) does not satisfy a NotIn objectSelector', async () => {
    expect(RUNLEVEL1_EXCLUDER).toHaveLength(1);
    calls.length = 0;
    const out = await chain.validate(requestOf(execPodReview()));
    expect(out.allowed).toBe(true);
    expect(calls).toEqual([]);
  });

  it('namespaces/finalize (named like its own namespace) is matched by a Cluster rule, not a Namespaced one', async () => {
    calls.length = 0;
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } }, spec: { finalizers: [] }, status: { phase: 'Terminating' } };
    const out = await chain.validate({
      uid: 'f0f1', kind: { group: '', version: 'v1', kind: 'Namespace' }, resource: { group: '', version: 'v1', resource: 'namespaces' }, subResource: 'finalize',
      name: 'team-a', namespace: 'team-a', operation: 'UPDATE', userInfo: { username: 'system:serviceaccount:kube-system:namespace-controller' },
      object: ns, oldObject: ns, dryRun: false, options: { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1' },
    });
    expect(out).toMatchObject({ allowed: false, plugin: 'ns-cluster' });
    expect(calls).toEqual(['ns-cluster']);
  });
});
