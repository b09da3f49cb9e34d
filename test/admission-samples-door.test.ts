/**
 * The two admission samples as users run them (`plugd serve`), behind `plugd host --webhook`:
 * kube-apiserver's /mutate then /validate for a Pod that opts into log shipping, and a
 * privileged one. The chain, the door and the samples, end to end.
 */
import { applyPatch, type Operation } from 'rfc6902';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../host/admission/review.js';
import { createPodReview, requestOf } from './admission-reviews.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, CLI, ROOT, servePluginProcess, spawnNode, tempDir, waitFor } from './helpers.js';

afterAll(cleanup);

async function post(url: string, review: JsonObject): Promise<{ allowed: boolean; patch?: string; status?: { code: number; message: string } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(review) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { response: { allowed: boolean; patch?: string; status?: { code: number; message: string } } }).response;
}

/** /mutate for a Pod that opts into the sidecar: the review, and its object with the answered patch applied. */
async function mutateOptedIn(url: string): Promise<{ review: JsonObject; final: JsonObject }> {
  const review = createPodReview({ labels: {} });
  const object = requestOf(review).object as JsonObject;
  (object.metadata as JsonObject).annotations = { 'sidecar.plugd.dev/inject': 'true' };
  const mutated = await post(`${url}/mutate`, review);
  expect(mutated.allowed).toBe(true);
  const final = structuredClone(object);
  expect(applyPatch(final, JSON.parse(Buffer.from(mutated.patch!, 'base64').toString()) as Operation[]).filter((e) => e !== null)).toEqual([]);
  return { review, final };
}

describe('sidecar-injector and pod-security behind the webhook door', () => {
  it('injects the sidecar on /mutate, admits the result on /validate, denies a privileged pod naming pod-security', async () => {
    const socketDir = tempDir();
    const host = spawnNode(CLI, ['host', '--socket-dir', socketDir, '--admin', '127.0.0.1:0', '--webhook', '127.0.0.1:0', '--log-format', 'json', '--log-level', 'info']);
    const url = (await waitFor(() => /admission webhook on (http:\/\/127\.0\.0\.1:\d+)/.exec(host.output.join('')), 'the webhook URL', 20_000))[1]!;
    servePluginProcess('sample-plugins/sidecar-injector', socketDir);
    servePluginProcess('sample-plugins/pod-security', socketDir);
    await waitFor(() => /admission plugin pod-security joined/.test(host.output.join('')) && /admission plugin sidecar-injector joined/.test(host.output.join('')), `both samples in the chain (host output: ${host.output.join('').slice(-1500)})`, 30_000);

    const { review, final } = await mutateOptedIn(url);
    expect(JSON.stringify(final.spec)).toContain('log-shipper');
    const validated = await post(`${url}/validate`, { ...review, request: { ...requestOf(review), object: final } });
    expect(validated.allowed).toBe(true);

    const privileged = createPodReview();
    const spec = (requestOf(privileged).object as JsonObject).spec as { containers: Array<Record<string, unknown>> };
    spec.containers[0]!.securityContext = { privileged: true };
    const denied = await post(`${url}/validate`, privileged);
    expect(denied.allowed).toBe(false);
    expect(denied.status?.code).toBe(403);
    expect(denied.status?.message).toMatch(/^admission plugin "pod-security" denied the request: .*privileged/);
  }, 60_000);

  it('with admission.inProcess, runs those modules inside the host, in one chain with plugin processes; a module that is no admission plugin stops the host naming it', async () => {
    const socketDir = tempDir();
    const config = join(tempDir(), 'plugd.json');
    writeFileSync(config, JSON.stringify({ admission: { inProcess: [join(ROOT, 'sample-plugins/default-team-label'), join(ROOT, 'sample-plugins/pod-security')] } }));
    const host = spawnNode(CLI, ['host', '--socket-dir', socketDir, '--config', config, '--admin', '127.0.0.1:0', '--webhook', '127.0.0.1:0', '--log-format', 'json', '--log-level', 'info']);
    const url = (await waitFor(() => /admission webhook on (http:\/\/127\.0\.0\.1:\d+)/.exec(host.output.join('')), 'the webhook URL', 20_000))[1]!;
    expect(host.output.join('')).toMatch(/admission plugin default-team-label runs in the host process/);
    servePluginProcess('sample-plugins/sidecar-injector', socketDir);
    await waitFor(() => /admission plugin sidecar-injector joined/.test(host.output.join('')), 'the sidecar-injector process in the chain', 30_000);

    const { final } = await mutateOptedIn(url);
    // The in-process plugin's label and the plugin process's sidecar, in one answer.
    expect((final.metadata as { labels: Record<string, string> }).labels.team).toBe('unassigned');
    expect(JSON.stringify(final.spec)).toContain('log-shipper');
    const privileged = createPodReview();
    ((requestOf(privileged).object as JsonObject).spec as { containers: Array<Record<string, unknown>> }).containers[0]!.securityContext = { privileged: true };
    const denied = await post(`${url}/validate`, privileged);
    expect(denied.status?.message).toMatch(/^admission plugin "pod-security" denied the request: .*privileged/);
    host.kill('SIGTERM');
    await host.exited;

    writeFileSync(config, JSON.stringify({ admission: { inProcess: [join(ROOT, 'sample-plugins/static-routes')] } }));
    const wrong = spawnNode(CLI, ['host', '--socket-dir', tempDir(), '--config', config, '--admin', '127.0.0.1:0', '--webhook', '127.0.0.1:0']);
    expect((await wrong.exited).code).toBe(1);
    expect(wrong.output.join('')).toMatch(/admission\.inProcess: .*static-routes is a NetworkPlugin, not an AdmissionPlugin \[PLUGD_ERR_CONFIG_INVALID\]/);
  }, 60_000);
});
