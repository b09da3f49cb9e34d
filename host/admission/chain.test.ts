/**
 * The chain's folding rules with in-process plugins (the same handler interface as a served
 * plugin), where a process would add nothing: kube's reinvocation bookkeeping, the patch checks.
 * Plugin processes are exercised end to end in test/admission-chain.test.ts.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createPodReview, requestOf } from '../../test/admission-reviews.js';
import { HostMetrics } from '../metrics.js';
import { AdmissionChain, applyPluginPatch, type AdmissionHost } from './chain.js';
import type { InProcessAdmissionPlugin } from './plugins.js';
import type { JsonObject } from './review.js';

const RULES = [{ operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }];

/** A host with no plugin processes: only in-process plugins are in the chain. */
function bareHost(): AdmissionHost {
  return {
    config: { plugins: {} },
    registry: { on: () => undefined, off: () => undefined, list: () => [] } as unknown as AdmissionHost['registry'],
    logger: pino({ level: 'silent' }),
    metrics: new HostMetrics(),
    invoke: () => Promise.reject(new Error('no plugin processes here')),
  };
}

/** A mutating plugin that sets label `set` to the value of label `from` (or "absent"), or to a constant. */
function labeller(name: string, set: string, value: { from: string } | string, reinvoke = false): InProcessAdmissionPlugin {
  return {
    name,
    capabilities: { kind: 'MUTATING', sideEffects: 'NONE', rules: RULES, reinvocationPolicy: reinvoke ? 'IF_NEEDED' : 'NEVER' },
    handlers: {
      Admit: (req) => {
        const obj = JSON.parse(req.object.toString()) as { metadata: { labels: Record<string, string> } };
        const v = typeof value === 'string' ? value : obj.metadata.labels[value.from] ?? 'absent';
        if (obj.metadata.labels[set] === v) return { allowed: true };
        return { allowed: true, patch: Buffer.from(JSON.stringify([{ op: 'add', path: `/metadata/labels/${set}`, value: v }])) };
      },
    },
  };
}

let chains: AdmissionChain[] = [];
afterEach(() => {
  for (const c of chains) c.close();
  chains = [];
});
const chainOf = (plugins: InProcessAdmissionPlugin[], order?: string[]) => {
  const c = new AdmissionChain(bareHost(), { plugins, order });
  chains.push(c);
  return c;
};
const trace = (out: { calls: Array<{ plugin: string; round: number; verdict: string }> }) => out.calls.map((c) => `${c.plugin}#${c.round}:${c.verdict}`);

describe('reinvocation, as kube-apiserver books it', () => {
  it('a change made while reinvoking reinvokes a later IfNeeded plugin too, and never a third round', async () => {
    // a (IfNeeded) copies b; b (IfNeeded) copies c; c sets c. Round 0: b's change owes a a second call, c's owes b one.
    // Round 1: a still sees b "absent" (b changes only after it), then b picks up c's value; no third round for a.
    const chain = chainOf([labeller('a', 'a', { from: 'b' }, true), labeller('b', 'b', { from: 'c' }, true), labeller('c', 'c', 'set')]);
    const out = await chain.mutate(requestOf(createPodReview()));
    expect(trace(out)).toEqual(['a#0:patched', 'b#0:patched', 'c#0:patched', 'a#1:allowed', 'b#1:patched']);
    const labels = (out.allowed ? out.object?.metadata : undefined) as { labels: Record<string, string> };
    expect(labels).toMatchObject({ labels: { a: 'absent', b: 'set', c: 'set' } });
  });

  it('a plugin is not reinvoked for its own change', async () => {
    const chain = chainOf([labeller('only', 'x', '1', true)]);
    expect(trace(await chain.mutate(requestOf(createPodReview())))).toEqual(['only#0:patched']);
  });
});

describe('the configured order', () => {
  it('puts the listed plugins first, in the listed order', async () => {
    const chain = chainOf([labeller('a', 'a', '1'), labeller('b', 'b', '1'), labeller('c', 'c', '1')], ['c', 'b']);
    expect(chain.plugins().mutating.map((p) => p.name)).toEqual(['c', 'b', 'a']);
  });
});

describe('the deadline', () => {
  it('times out an in-process plugin as a process would be, per its failurePolicy', async () => {
    const slow: InProcessAdmissionPlugin = {
      name: 'slow',
      capabilities: { kind: 'VALIDATING', sideEffects: 'NONE', rules: RULES, failurePolicy: 'IGNORE' },
      handlers: { Admit: () => new Promise((r) => setTimeout(() => r({ allowed: false }), 400)) },
    };
    const out = await chainOf([slow]).validate(requestOf(createPodReview()), { timeoutMs: 50 });
    expect(out.allowed).toBe(true);
    expect(out.calls[0]).toMatchObject({ plugin: 'slow', verdict: 'ignored', error: expect.stringMatching(/no answer within the deadline \(\d+ ms\)|the review's deadline passed/) });
  });
});

describe('patch checks', () => {
  const pod = requestOf(createPodReview()).object as JsonObject;
  const named = { ...pod, metadata: { ...(pod.metadata as JsonObject), name: 'web-1', uid: 'u-1' } };
  const patch = (ops: unknown[]) => JSON.stringify(ops);
  it.each([
    ['a name on a generateName CREATE', pod, [{ op: 'add', path: '/metadata/name', value: 'web-x' }], null],
    ['a changed name', named, [{ op: 'replace', path: '/metadata/name', value: 'other' }], /changes metadata\.name/],
    ['a changed namespace', pod, [{ op: 'replace', path: '/metadata/namespace', value: 'other' }], /changes metadata\.namespace/],
    ['a removed uid', named, [{ op: 'remove', path: '/metadata/uid' }], /changes metadata\.uid/],
    ['a changed kind', pod, [{ op: 'replace', path: '/kind', value: 'Deployment' }], /changes kind/],
    ['a changed apiVersion', pod, [{ op: 'replace', path: '/apiVersion', value: 'v2' }], /changes apiVersion/],
    ['a failing test op', pod, [{ op: 'test', path: '/kind', value: 'Service' }], /operation 0 \(test \/kind\) does not apply/],
    ['a path that is not there', pod, [{ op: 'replace', path: '/spec/nodeName', value: 'n1' }], /does not apply/],
    ['not an array', pod, { op: 'add' }, /not a JSONPatch/],
    ['not an operation', pod, [{ path: '/x' }], /operation 0 is not an RFC 6902 operation/],
    ['an unknown op', pod, [{ op: 'merge', path: '/metadata', value: {} }], /operation 0 is not an RFC 6902 operation/],
    ['an add without a value', pod, [{ op: 'add', path: '/metadata/labels/x' }], /operation 0 is not an RFC 6902 operation/],
    ['a move without from', pod, [{ op: 'add', path: '/metadata/labels/x', value: 'y' }, { op: 'move', path: '/metadata/labels/z' }], /operation 1 is not an RFC 6902 operation/],
  ] as const)('%s', (_name, obj, ops, error) => {
    const run = () => applyPluginPatch('p', obj, patch(ops as unknown as unknown[]));
    if (error === null) expect(run()).toMatchObject({ object: { metadata: { name: 'web-x' } }, ops });
    else expect(run).toThrow(error);
  });

  it('never touches the object it was given', () => {
    const before = structuredClone(pod);
    applyPluginPatch('p', pod, patch([{ op: 'add', path: '/metadata/labels/x', value: 'y' }]));
    expect(pod).toEqual(before);
  });
});
