/**
 * The combined patch as kube-apiserver reads it: the webhook door's /mutate answer, from plugin
 * processes whose patches append to arrays, replace by index, copy, move, test and remove, is
 * applied with github.com/evanphx/json-patch (the library kube-apiserver applies a webhook's
 * patch with; Debian's golang-github-evanphx-json-patch-dev, built offline by
 * test/fixtures/jsonpatch-apply/build.sh) to the object kube sent, and must give the chain's
 * final object exactly.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch, type Operation } from 'rfc6902';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../host/admission/review.js';
import { createPodReview, requestOf } from './admission-reviews.js';
import type { FixtureSpec } from './fixtures/admission-plugins.js';
import { cleanup, CLI, dist, interopPeers, ROOT, servePluginProcess, spawnNode, tempDir, waitFor } from './helpers.js';

const LIB = '/usr/share/gocode/src/github.com/evanphx/json-patch';
const goMissing = (() => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    return 'no Go toolchain; apt-get install golang-go';
  }
  return existsSync(LIB) ? undefined : `${LIB} is absent; apt-get install golang-github-evanphx-json-patch-dev`;
})();
const have = interopPeers('admission JSONPatch interop', 'Go and evanphx/json-patch', goMissing);

/** Applies `patch` to `doc` with evanphx/json-patch: the patched document, or its error. */
function goApply(bin: string, doc: unknown, patch: unknown): Promise<{ doc?: unknown; error?: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, [], (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as { doc?: unknown; error?: string })));
    child.stdin!.end(JSON.stringify({ doc, patch }));
  });
}

const POD_RULES = [{ operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }];
const mutating = (name: string, actions: FixtureSpec['actions']): FixtureSpec => ({
  name,
  capabilities: { kind: 'MUTATING', sideEffects: 'NONE', failurePolicy: 'FAIL', rules: POD_RULES, objectSelector: { matchLabels: { suite: 'jsonpatch' } } },
  actions,
});

// Applied in this order, then the two samples (admission.order below): each on the object as the previous left it.
const SPECS: FixtureSpec[] = [
  mutating('jp-1-append', [{ patch: [{ op: 'add', path: '/spec/containers/-', value: { name: 'probe', image: 'busybox:1.36', args: ['sleep', 'infinity'] } }] }]),
  mutating('jp-2-index', [{ patch: [
    { op: 'test', path: '/spec/containers/0/name', value: 'web' },
    { op: 'replace', path: '/spec/containers/0/image', value: 'registry.example/app:2.0' },
    { op: 'add', path: '/spec/containers/0/env', value: [{ name: 'MODE', value: 'prod' }] },
    { op: 'add', path: '/spec/containers/0/env/0', value: { name: 'FIRST', value: '1' } },
  ] }]),
  mutating('jp-3-shuffle', [{ patch: [
    { op: 'copy', from: '/metadata/labels/suite', path: '/metadata/labels/copied' },
    { op: 'move', from: '/metadata/labels/copied', path: '/metadata/annotations/plugd.dev~1moved' },
    { op: 'remove', path: '/spec/containers/1/args/1' },
    { op: 'replace', path: '/metadata/labels/suite', value: 'jsonpatch' },
  ] }]),
];

describe.skipIf(!have)('the /mutate patch applied by evanphx/json-patch (kube-apiserver\'s library)', () => {
  let bin: string;
  let url: string;
  beforeAll(async () => {
    bin = join(tempDir(), 'jsonpatch-apply');
    execFileSync(join(ROOT, 'test/fixtures/jsonpatch-apply/build.sh'), [bin], { stdio: 'inherit', timeout: 120_000 });
    const socketDir = tempDir();
    const config = join(tempDir(), 'plugd.json');
    writeFileSync(config, JSON.stringify({ admission: { order: [...SPECS.map((x) => x.name), 'default-team-label', 'sidecar-injector'] } }));
    const host = spawnNode(CLI, ['host', '--socket-dir', socketDir, '--config', config, '--admin', '127.0.0.1:0', '--webhook', '127.0.0.1:0', '--log-format', 'json', '--log-level', 'info']);
    url = (await waitFor(() => /admission webhook on (http:\/\/127\.0\.0\.1:\d+)/.exec(host.output.join('')), 'the webhook URL', 20_000))[1]!;
    servePluginProcess('sample-plugins/default-team-label', socketDir);
    servePluginProcess('sample-plugins/sidecar-injector', socketDir);
    spawnNode(dist('test/fixtures/admission-plugins.ts'), ['--socket-dir', socketDir, '--spec', JSON.stringify(SPECS)]);
    const joined = ['default-team-label', 'sidecar-injector', ...SPECS.map((s) => s.name)];
    await waitFor(() => joined.every((n) => host.output.join('').includes(`admission plugin ${n} joined`)), `every plugin in the chain (host output: ${host.output.join('').slice(-1500)})`, 30_000);
  }, 180_000);
  afterAll(cleanup);

  it('gives the chain\'s final object from the object kube-apiserver sent, for a Pod every plugin patches', async () => {
    const review = createPodReview({ labels: { suite: 'jsonpatch' } });
    const object = requestOf(review).object as JsonObject;
    (object.metadata as JsonObject).annotations = { 'sidecar.plugd.dev/inject': 'true' };
    const res = await fetch(`${url}/mutate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(review) });
    expect(res.status).toBe(200);
    const { response } = (await res.json()) as { response: { allowed: boolean; patch?: string; patchType?: string; warnings?: string[] } };
    expect(response).toMatchObject({ allowed: true, patchType: 'JSONPatch' });
    const patch = JSON.parse(Buffer.from(response.patch!, 'base64').toString()) as Operation[];

    const byKube = await goApply(bin, object, patch);
    expect(byKube.error).toBeUndefined();
    const byRfc = structuredClone(object);
    expect(applyPatch(byRfc, patch).filter((e) => e !== null)).toEqual([]);
    expect(byKube.doc).toEqual(byRfc);

    // What each plugin did is there, in order.
    type Container = { name: string; image: string; env?: unknown[]; args?: string[]; volumeMounts?: Array<{ name: string }> };
    const final = byKube.doc as { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: { containers: Container[]; initContainers?: Container[]; volumes?: Array<{ name: string }> } };
    expect(final.metadata.labels.team).toBe('unassigned');
    expect(final.metadata.annotations).toMatchObject({ 'plugd.dev/moved': 'jsonpatch', 'sidecar.plugd.dev/status': 'injected' });
    expect(final.spec.containers.map((c) => c.name)).toEqual(['web', 'probe']);
    // The native sidecar, with the shared volume mounted in every container, the one a plugin added before it included.
    expect(final.spec.initContainers?.map((c) => c.name)).toEqual(['log-shipper']);
    for (const c of final.spec.containers) expect(c.volumeMounts?.map((m) => m.name)).toContain('plugd-logs');
    expect(final.spec.containers[0]).toMatchObject({ image: 'registry.example/app:2.0', env: [{ name: 'FIRST', value: '1' }, { name: 'MODE', value: 'prod' }] });
    expect(final.spec.containers[1]!.args).toEqual(['sleep']);
  });

  it('a plugin whose test op fails is that plugin\'s error: under Fail the request is denied, naming it', async () => {
    const review = createPodReview({ labels: { suite: 'jsonpatch' } });
    const object = requestOf(review).object as JsonObject;
    ((object.spec as JsonObject).containers as JsonObject[])[0]!.name = 'not-web';
    const res = await fetch(`${url}/mutate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(review) });
    const { response } = (await res.json()) as { response: { allowed: boolean; patch?: string; status?: { message: string } } };
    // jp-2-index's test op fails: its failurePolicy (Fail, the interface's default) denies, naming it.
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toMatch(/"jp-2-index".*patch operation 0 \(test \/spec\/containers\/0\/name\) does not apply/);
  });
});
