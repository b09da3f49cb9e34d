/**
 * The admission chain over real plugin processes (SDK fixtures on unix sockets), driven through
 * the library API with Kubernetes' own AdmissionReview requests: ordering, failure policies with
 * slow, crashing and down plugins, timeouts, reinvocation, selectors and rules, dry runs,
 * malformed answers, the combined patch, the validating phase and in-process plugins.
 */
import { applyPatch } from 'rfc6902';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdmissionChain, type AdmissionOutcome, type DeniedOutcome } from '../host/admission/chain.js';
import type { JsonObject } from '../host/admission/review.js';
import { definePlugin } from '../sdk/index.js';
import { createPodReview, deletePodReview, execPodReview, requestOf, type ReviewOverrides } from './admission-reviews.js';
import type { Action, FixtureSpec } from './fixtures/admission-plugins.js';
import { cleanup, dist, fixtureEvents, spawnNode, startHost, waitFor, waitForFixtureEvent, type PluginProcess, type TestHost } from './helpers.js';

const POD_RULES = [{ operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }];

function spec(name: string, kind: 'MUTATING' | 'VALIDATING', suite: string | string[], actions: Action[], extra: Record<string, unknown> = {}): FixtureSpec {
  const suites = Array.isArray(suite) ? suite : [suite];
  return {
    name,
    capabilities: {
      kind, sideEffects: 'NONE', rules: POD_RULES,
      objectSelector: { matchExpressions: [{ key: 'suite', operator: 'IN', values: suites }] },
      ...extra,
    },
    actions,
  };
}

const order = (n: string): Action[] => [{ mirrorLabel: { from: 'last', to: `before-${n}` } }, { setLabel: ['last', n] }];

const SPECS: FixtureSpec[] = [
  spec('ord-b', 'MUTATING', 'order', order('ord-b')),
  spec('ord-a', 'MUTATING', 'order', order('ord-a')),
  spec('ord-c', 'MUTATING', 'order', order('ord-c'), { order: -1 }),
  spec('tagger', 'MUTATING', ['slow-ignore', 'crash-ignore', 'bad-apply', 'inproc'], [{ setLabel: ['tagged', 'yes'] }]),
  spec('slow-fail', 'MUTATING', 'slow-fail', [{ sleepMs: 2500 }, { setLabel: ['slow', 'done'] }], { timeoutSeconds: 1, failurePolicy: 'FAIL' }),
  spec('slow-ignore', 'MUTATING', 'slow-ignore', [{ sleepMs: 2500 }, { setLabel: ['slow', 'done'] }], { timeoutSeconds: 1, failurePolicy: 'IGNORE' }),
  spec('clamp', 'MUTATING', 'clamp', [{ sleepMs: 500 }, { setLabel: ['clamped', 'ok'] }], { timeoutMs: 200, failurePolicy: 'FAIL' }),
  spec('re-a', 'MUTATING', 'reinv', [{ mirrorLabel: { from: 'b', to: 'a-saw-b' } }], { reinvocationPolicy: 'IF_NEEDED' }),
  spec('re-b', 'MUTATING', 'reinv', [{ setLabel: ['b', 'set'] }]),
  spec('nr-a', 'MUTATING', 'reinv-never', [{ mirrorLabel: { from: 'b', to: 'a-saw-b' } }], { reinvocationPolicy: 'NEVER' }),
  spec('nr-b', 'MUTATING', 'reinv-never', [{ setLabel: ['b', 'set'] }]),
  spec('ri-a', 'MUTATING', 'reinv-idle', [{ setLabel: ['x', '1'] }], { reinvocationPolicy: 'IF_NEEDED' }),
  spec('ri-b', 'MUTATING', 'reinv-idle', [{ warn: 'looked' }]),
  spec('ns-prod', 'VALIDATING', 'ns', [{ deny: { message: 'prod namespaces are frozen' } }], { namespaceSelector: { matchLabels: { env: 'prod' } } }),
  { name: 'del-guard', capabilities: { kind: 'VALIDATING', sideEffects: 'NONE', rules: [{ operations: ['DELETE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }], objectSelector: { matchLabels: { protected: 'true' } } }, actions: [{ deny: { message: 'protected pod' } }] },
  { name: 'exec-guard', capabilities: { kind: 'VALIDATING', sideEffects: 'NONE', rules: [{ operations: ['CONNECT'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/exec'], scope: 'Namespaced' }] }, actions: [{ deny: { message: 'no exec in shop' } }] },
  spec('dry-none', 'MUTATING', ['dry', 'dry-some'], [{ setLabel: ['dry', 'seen'] }]),
  spec('dry-nodr', 'VALIDATING', 'dry', [], { sideEffects: 'NONE_ON_DRY_RUN' }),
  spec('dry-some', 'VALIDATING', 'dry-some', [], { sideEffects: 'SOME' }),
  spec('bad-uid', 'MUTATING', 'bad-uid', [{ patch: [{ op: 'add', path: '/metadata/uid', value: 'forged' }] }], { failurePolicy: 'FAIL' }),
  spec('bad-apply', 'MUTATING', 'bad-apply', [{ patch: [{ op: 'remove', path: '/spec/nodeName' }] }], { failurePolicy: 'IGNORE' }),
  spec('bad-val', 'VALIDATING', 'bad-val', [{ patch: [{ op: 'add', path: '/metadata/labels/x', value: 'y' }] }], { failurePolicy: 'FAIL' }),
  spec('combo-a', 'MUTATING', 'combo', [{ patch: [{ op: 'add', path: '/spec/containers/-', value: { name: 'log-shipper', image: 'fluent-bit:3.0', resources: {} } }] }]),
  spec('combo-b', 'MUTATING', 'combo', [{ patch: [{ op: 'replace', path: '/spec/containers/1/image', value: 'fluent-bit:3.1' }] }]),
  spec('combo-c', 'MUTATING', 'combo', [{ patch: [{ op: 'remove', path: '/metadata/labels/pod-template-hash' }, { op: 'add', path: '/metadata/annotations', value: { 'plugd.dev/shipped': 'true' } }] }]),
  spec('undo-a', 'MUTATING', 'undo', [{ setLabel: ['tmp', 'x'] }]),
  spec('undo-b', 'MUTATING', 'undo', [{ patch: [{ op: 'remove', path: '/metadata/labels/tmp' }] }]),
  spec('undo-c', 'MUTATING', ['undo', 'same'], [{ patch: [{ op: 'test', path: '/kind', value: 'Pod' }] }]),
  spec('md-a', 'MUTATING', 'mdeny', [{ deny: { message: 'stop here' } }]),
  spec('md-b', 'MUTATING', 'mdeny', [{ setLabel: ['after', 'deny'] }]),
  spec('val-deny-b', 'VALIDATING', 'val', [{ deny: { message: 'b says no' } }]),
  spec('val-deny-a', 'VALIDATING', 'val', [{ deny: { code: 422, reason: 'Invalid', message: 'a says no' } }]),
  spec('val-warn', 'VALIDATING', ['val', 'val-ok'], [{ warn: 'careful' }, { audit: { decision: 'ok', 'bad/key': 'dropped' } }]),
];

let th: TestHost;
let main: PluginProcess;
let crashFail: PluginProcess;
let crashIgnore: PluginProcess;
let chain: AdmissionChain;

function fixture(specs: FixtureSpec[]): PluginProcess {
  return spawnNode(dist('test/fixtures/admission-plugins.ts'), ['--socket-dir', th.socketDir, '--spec', JSON.stringify(specs)]);
}

const podRequest = (labels: Record<string, string>, o: ReviewOverrides = {}): JsonObject => requestOf(createPodReview({ ...o, labels }));
const labelsOf = (out: AdmissionOutcome): Record<string, string> => ((out.allowed ? out.object?.metadata : undefined) as { labels: Record<string, string> }).labels;
const denied = (out: AdmissionOutcome): DeniedOutcome => {
  expect(out.allowed).toBe(false);
  return out as DeniedOutcome;
};
const calls = (out: AdmissionOutcome) => out.calls.map((c) => `${c.plugin}#${c.round}:${c.verdict}`);

beforeAll(async () => {
  th = await startHost({ config: { registration: { unavailableWaitMs: 100 } } });
  main = fixture(SPECS);
  crashFail = fixture([spec('crash-fail', 'MUTATING', 'crash-fail', [{ crash: true }], { failurePolicy: 'FAIL' })]);
  crashIgnore = fixture([spec('crash-ignore', 'MUTATING', 'crash-ignore', [{ crash: true }], { failurePolicy: 'IGNORE' })]);
  chain = new AdmissionChain(th.host);
  const all = [...SPECS.map((s) => s.name), 'crash-fail', 'crash-ignore'];
  await waitFor(() => {
    const p = chain.plugins();
    return [...p.mutating, ...p.validating].length === all.length;
  }, `all ${all.length} admission plugins in the chain`, 30_000);
}, 60_000);

afterAll(async () => {
  chain.close();
  await cleanup();
});

describe('mutating plugins run in series', () => {
  it('by (order, name), each seeing the object the previous one left', async () => {
    const out = await chain.review(podRequest({ suite: 'order' }));
    expect(out.allowed).toBe(true);
    expect(labelsOf(out)).toMatchObject({ 'before-ord-c': 'absent', 'before-ord-a': 'ord-c', 'before-ord-b': 'ord-a', last: 'ord-b' });
    expect(calls(out)).toEqual(['ord-c#0:patched', 'ord-a#0:patched', 'ord-b#0:patched']);
  });

  it('the same through host.admission, the host\'s own chain', async () => {
    const out = await th.host.admission.review(podRequest({ suite: 'order' }));
    expect(calls(out)).toEqual(['ord-c#0:patched', 'ord-a#0:patched', 'ord-b#0:patched']);
  });

  it('in the configured order first, when one is given', async () => {
    const configured = new AdmissionChain(th.host, { order: ['ord-b'] });
    try {
      const out = await configured.mutate(podRequest({ suite: 'order' }));
      expect(labelsOf(out)).toMatchObject({ 'before-ord-b': 'absent', 'before-ord-c': 'ord-b', 'before-ord-a': 'ord-c', last: 'ord-a' });
    } finally {
      configured.close();
    }
  });

  it('a deny stops the chain: later plugins are not called', async () => {
    const out = denied(await chain.review(podRequest({ suite: 'mdeny' })));
    expect(out.status).toEqual({ code: 403, reason: 'Forbidden', message: 'admission plugin "md-a" denied the request: stop here' });
    expect(out.plugin).toBe('md-a');
    expect(fixtureEvents(main, 'admit').some((e) => e.plugin === 'md-b')).toBe(false);
  });
});

describe('failurePolicy', () => {
  it('Fail: a slow plugin past its timeoutSeconds denies the request (500), naming the plugin', async () => {
    const out = denied(await chain.review(podRequest({ suite: 'slow-fail' })));
    expect(out.status.code).toBe(500);
    expect(out.status.reason).toBe('InternalError');
    expect(out.status.message).toMatch(/admission plugin "slow-fail".*no answer within the deadline/);
    await th.logs.waitFor('plugin slow-fail: Admit: no answer within the deadline', { plugin: 'slow-fail', policy: 'Fail' });
  });

  it('Ignore: a slow plugin is skipped and the others still apply', async () => {
    const out = await chain.review(podRequest({ suite: 'slow-ignore' }));
    expect(out.allowed).toBe(true);
    expect(labelsOf(out)).toMatchObject({ tagged: 'yes' });
    expect(labelsOf(out).slow).toBeUndefined();
    expect(calls(out)).toEqual(['slow-ignore#0:ignored', 'tagger#0:patched']);
  });

  it('Fail: a plugin crashing mid-call denies; then, down with its socket left, it keeps denying', async () => {
    const first = denied(await chain.review(podRequest({ suite: 'crash-fail' })));
    expect(first.status.code).toBe(500);
    expect(first.status.message).toMatch(/admission plugin "crash-fail"/);
    await crashFail.exited;
    await th.logs.waitFor('admission plugin crash-fail is down');
    const again = denied(await chain.review(podRequest({ suite: 'crash-fail' })));
    expect(again.status.message).toMatch(/admission plugin "crash-fail".*(no such plugin|not SERVING|UNAVAILABLE)/);
    expect(chain.plugins().mutating.map((p) => p.name)).toContain('crash-fail');
  });

  it('Ignore: a crashing, then down plugin is skipped', async () => {
    const first = await chain.review(podRequest({ suite: 'crash-ignore' }));
    expect(first.allowed).toBe(true);
    expect(calls(first)).toEqual(['crash-ignore#0:ignored', 'tagger#0:patched']);
    await crashIgnore.exited;
    await th.logs.waitFor('admission plugin crash-ignore is down');
    const again = await chain.review(podRequest({ suite: 'crash-ignore' }));
    expect(again.allowed).toBe(true);
    expect(labelsOf(again)).toMatchObject({ tagged: 'yes' });
    expect(calls(again)[0]).toBe('crash-ignore#0:ignored');
  });
});

describe('timeouts', () => {
  it('clamps a timeout under 1 s to 1 s (kube-apiserver\'s minimum), saying so', async () => {
    const out = await chain.review(podRequest({ suite: 'clamp' }));
    expect(out.allowed).toBe(true);
    expect(labelsOf(out)).toMatchObject({ clamped: 'ok' });
    expect(th.logs.find('admission plugin clamp: timeoutMs 200 ms is outside kube-apiserver\'s 1..30 s').length).toBeGreaterThan(0);
  });

  it('cuts each plugin\'s deadline to the review\'s own budget', async () => {
    const out = denied(await chain.mutate(podRequest({ suite: 'clamp' }), { timeoutMs: 250 }));
    expect(out.status.message).toMatch(/"clamp".*no answer within the deadline/);
  });
});

describe('reinvocationPolicy', () => {
  it('IfNeeded: called once more when a later plugin changed the object', async () => {
    const out = await chain.review(podRequest({ suite: 'reinv' }));
    expect(labelsOf(out)).toMatchObject({ 'a-saw-b': 'set', b: 'set' });
    expect(calls(out)).toEqual(['re-a#0:patched', 're-b#0:patched', 're-a#1:patched']);
    expect(fixtureEvents(main, 'admit').filter((e) => e.plugin === 're-a').at(-1)?.reinvocation).toBe(1);
  });

  it('Never: called once', async () => {
    const out = await chain.review(podRequest({ suite: 'reinv-never' }));
    expect(labelsOf(out)).toMatchObject({ 'a-saw-b': 'absent', b: 'set' });
    expect(calls(out)).toEqual(['nr-a#0:patched', 'nr-b#0:patched']);
  });

  it('IfNeeded: not reinvoked when nothing changed after it', async () => {
    const out = await chain.review(podRequest({ suite: 'reinv-idle' }));
    expect(calls(out)).toEqual(['ri-a#0:patched', 'ri-b#0:allowed']);
    expect(out.warnings).toEqual(['ri-b: looked']);
  });
});

describe('rules and selectors', () => {
  it('namespaceSelector with a namespace lookup', async () => {
    const withLookup = new AdmissionChain(th.host, { namespaces: { labels: (ns) => ({ shop: { env: 'prod' }, dev: { env: 'dev' } })[ns] } });
    try {
      const prod = denied(await withLookup.review(podRequest({ suite: 'ns' })));
      expect(prod.status.message).toBe('admission plugin "ns-prod" denied the request: prod namespaces are frozen');
      const dev = await withLookup.review(podRequest({ suite: 'ns' }, { namespace: 'dev' }));
      expect(dev.allowed).toBe(true);
      expect(dev.calls).toEqual([]);
    } finally {
      withLookup.close();
    }
  });

  it('namespaceSelector on labels with no lookup is the plugin\'s error, per its failurePolicy', async () => {
    const out = denied(await chain.review(podRequest({ suite: 'ns' })));
    expect(out.status.code).toBe(500);
    expect(out.status.message).toMatch(/"ns-prod".*namespaceSelector on env needs the labels of namespace "shop"/);
  });

  it('objectSelector judges a DELETE by its old object', async () => {
    const protectedPod = denied(await chain.review(requestOf(deletePodReview({ labels: { protected: 'true' } }))));
    expect(protectedPod.plugin).toBe('del-guard');
    const other = await chain.review(requestOf(deletePodReview()));
    expect(other.allowed).toBe(true);
    expect(fixtureEvents(main, 'admit').find((e) => e.plugin === 'del-guard')).toMatchObject({ operation: 'DELETE', hasOld: true, options: { kind: 'DeleteOptions', propagationPolicy: 'Background' } });
  });

  it('a pods/exec rule matches CONNECT on the exec subresource only', async () => {
    const out = denied(await chain.review(requestOf(execPodReview())));
    expect(out.plugin).toBe('exec-guard');
    expect(fixtureEvents(main, 'admit').find((e) => e.plugin === 'exec-guard')).toMatchObject({ operation: 'CONNECT', subResource: 'exec', kind: 'PodExecOptions', user: 'kubernetes-admin' });
    // Rules naming pods (no subresource) never saw the CONNECT.
    expect(fixtureEvents(main, 'admit').filter((e) => e.operation === 'CONNECT').map((e) => e.plugin)).toEqual(['exec-guard']);
  });
});

describe('dryRun', () => {
  it('calls plugins with sideEffects None and NoneOnDryRun, telling them', async () => {
    const out = await chain.review(podRequest({ suite: 'dry' }, { dryRun: true }));
    expect(out.allowed).toBe(true);
    expect(calls(out)).toEqual(['dry-none#0:patched', 'dry-nodr#0:allowed']);
    const seen = fixtureEvents(main, 'admit').filter((e) => e.plugin === 'dry-nodr');
    expect(seen.at(-1)?.dryRun).toBe(true);
  });

  it('rejects (400) a dry run a sideEffects Some plugin matches, without calling it', async () => {
    const out = denied(await chain.review(podRequest({ suite: 'dry-some' }, { dryRun: true })));
    expect(out.status).toEqual({ code: 400, reason: 'BadRequest', message: 'admission plugin "dry-some" does not support dry run (sideEffects Some)' });
    expect(fixtureEvents(main, 'admit').some((e) => e.plugin === 'dry-some')).toBe(false);
    const real = await chain.review(podRequest({ suite: 'dry-some' }));
    expect(real.allowed).toBe(true);
    await waitForFixtureEvent(main, 'admit', { plugin: 'dry-some', dryRun: false });
  });
});

describe('malformed answers are the plugin\'s failure', () => {
  it('a patch that changes metadata.uid, under Fail, denies naming the plugin', async () => {
    const out = denied(await chain.review(podRequest({ suite: 'bad-uid' })));
    expect(out.status.code).toBe(500);
    expect(out.status.message).toMatch(/"bad-uid".*malformed answer: the patch changes metadata\.uid/);
    await th.logs.waitFor('plugin bad-uid: Admit: malformed answer', { code: 'PLUGD_ERR_MALFORMED_ANSWER' });
  });

  it('a patch that does not apply, under Ignore, is skipped', async () => {
    const out = await chain.review(podRequest({ suite: 'bad-apply' }));
    expect(out.allowed).toBe(true);
    expect(out.calls[0]).toMatchObject({ plugin: 'bad-apply', verdict: 'ignored' });
    expect(out.calls[0]!.error).toMatch(/patch operation 0 \(remove \/spec\/nodeName\) does not apply/);
    expect(labelsOf(out)).toMatchObject({ tagged: 'yes' });
  });

  it('a patch from a validating plugin is malformed', async () => {
    const out = denied(await chain.review(podRequest({ suite: 'bad-val' })));
    expect(out.status.message).toMatch(/"bad-val".*a patch from a validating plugin/);
  });
});

describe('the combined patch', () => {
  it('applied to the original object gives the chain\'s final object, overlapping patches included', async () => {
    const request = podRequest({ suite: 'combo' });
    const out = await chain.mutate(request);
    if (!out.allowed) throw new Error(out.status.message);
    const final = out.object as JsonObject;
    expect((final.spec as { containers: Array<{ image: string }> }).containers[1]!.image).toBe('fluent-bit:3.1');
    expect(labelsOf(out)['pod-template-hash']).toBeUndefined();
    const original = structuredClone(request.object) as JsonObject;
    expect(applyPatch(original, out.patch).every((e) => e === null)).toBe(true);
    expect(original).toEqual(final);
  });

  it('is empty when nothing changed', async () => {
    const out = await chain.mutate(podRequest({ suite: 'nobody' }));
    expect(out).toMatchObject({ allowed: true, patch: [] });
  });

  it('is empty when the plugins\' changes cancel out; a patch that changes nothing is "allowed", not "patched"', async () => {
    const out = await chain.mutate(podRequest({ suite: 'undo' }));
    expect(calls(out)).toEqual(['undo-a#0:patched', 'undo-b#0:patched', 'undo-c#0:allowed']);
    expect(out).toMatchObject({ allowed: true, patch: [] });
    expect(labelsOf(out).tmp).toBeUndefined();
    const same = await chain.mutate(podRequest({ suite: 'same' }));
    expect(calls(same)).toEqual(['undo-c#0:allowed']);
    expect(same).toMatchObject({ allowed: true, patch: [] });
  });

  it('carries no operation of a plugin whose patch failed under Ignore', async () => {
    const out = await chain.mutate(podRequest({ suite: 'bad-apply' }));
    expect(calls(out)).toEqual(['bad-apply#0:ignored', 'tagger#0:patched']);
    expect(out).toMatchObject({ allowed: true, patch: [{ op: 'add', path: '/metadata/labels/tagged', value: 'yes' }] });
  });
});

describe('validating plugins', () => {
  it('run on the final object; any deny wins (the first by name), warnings kept', async () => {
    const out = denied(await chain.review(podRequest({ suite: 'val' })));
    expect(out.status).toEqual({ code: 422, reason: 'Invalid', message: 'admission plugin "val-deny-a" denied the request: a says no' });
    expect(out.warnings).toContain('val-warn: careful');
    expect(new Set(out.calls.map((c) => c.plugin))).toEqual(new Set(['val-deny-a', 'val-deny-b', 'val-warn']));
  });

  it('gather warnings and audit annotations keyed by plugin, dropping invalid keys', async () => {
    const out = await chain.review(podRequest({ suite: 'val-ok' }));
    expect(out.allowed).toBe(true);
    expect(out.warnings).toEqual(['val-warn: careful']);
    expect(out.auditAnnotations).toEqual({ 'val-warn/decision': 'ok' });
    expect(th.logs.find('audit annotation key "bad/key" is not a valid name').length).toBeGreaterThan(0);
  });
});

describe('in-process plugins', () => {
  it('run in the same chain as plugin processes, through the same handler interface', async () => {
    const inproc = new AdmissionChain(th.host, {
      plugins: [definePlugin({
        name: 'a-inproc',
        type: 'AdmissionPlugin',
        capabilities: { kind: 'MUTATING', sideEffects: 'NONE', rules: POD_RULES, objectSelector: { matchLabels: { suite: 'inproc' } } },
        handlers: { Admit: (req) => ({ allowed: true, patch: Buffer.from(JSON.stringify([{ op: 'add', path: '/metadata/labels/inproc', value: String(req.mutatingPhase) }])) }) },
      })],
    });
    try {
      const out = await inproc.review(podRequest({ suite: 'inproc' }));
      expect(labelsOf(out)).toMatchObject({ inproc: 'true', tagged: 'yes' });
      expect(calls(out)).toEqual(['a-inproc#0:patched', 'tagger#0:patched']);
    } finally {
      inproc.close();
    }
  });

  it('refuses a request that is not an AdmissionReview request, naming the field', async () => {
    const bad = { ...podRequest({}), operation: '' };
    await expect(chain.review(bad)).rejects.toMatchObject({ code: 'PLUGD_ERR_ADMISSION_REQUEST_INVALID', field: 'request.operation' });
  });
});
