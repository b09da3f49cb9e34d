/**
 * `plugd host --kubeconfig FILE --webhook HOST:PORT` as a real process: the webhook door's chain
 * evaluates an admission plugin's namespaceSelector on any namespace label (here `team`, not only
 * kubernetes.io/metadata.name) from the Namespaces the host lists and watches from the API server
 * (the stand-in of test/fixtures/kube/apiserver.ts), and follows a relabel that arrives as a
 * MODIFIED watch event. The control: the same plugin behind `plugd host --webhook` without
 * --kubeconfig, where the selector cannot be evaluated and the plugin's failurePolicy decides
 * (docs/admission.md, "Matching").
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../host/admission/review.js';
import { createPodReview, requestOf } from './admission-reviews.js';
import type { FixtureSpec } from './fixtures/admission-plugins.js';
import { FakeApiServer, kubeconfigYaml, namespaceObject } from './fixtures/kube/apiserver.js';
import { cleanup, CLI, dist, fixtureEvents, LogCapture, onCleanup, spawnNode, tempDir, waitFor, waitForFixtureEvent, type PluginProcess } from './helpers.js';

afterEach(cleanup);

const TOKEN = 'plugd-webhook-namespaces-token';
const PLUGIN = 'team-a-only';

/** A validating plugin that denies every Pod request in the namespaces labelled team=a. */
const TEAM_A_ONLY: FixtureSpec = {
  name: PLUGIN,
  capabilities: {
    kind: 'VALIDATING', sideEffects: 'NONE', failurePolicy: 'FAIL',
    rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
    namespaceSelector: { matchLabels: { team: 'a' } },
  },
  actions: [{ deny: { message: 'team a is frozen' } }],
};

interface Host {
  readonly proc: PluginProcess;
  readonly logs: LogCapture;
  readonly admin: string;
  readonly webhook: string;
}

/** `plugd host … --webhook 127.0.0.1:0` as users run it; resolves once both the admin server and the door serve. */
async function startHostProcess(socketDir: string, extra: string[]): Promise<Host> {
  const proc = spawnNode(CLI, ['host', '--socket-dir', socketDir, '--admin', '127.0.0.1:0', '--webhook', '127.0.0.1:0', '--log-level', 'info', '--log-format', 'json', ...extra]);
  const logs = new LogCapture();
  createInterface({ input: proc.proc.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    if (line.startsWith('{')) logs.write(`${line}\n`);
  });
  const admin = String((await logs.waitFor('plugd host started', {}, 20_000)).admin);
  const line = await waitFor(() => /admission webhook on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.output.join('')),
    `the webhook URL on stderr (output so far: ${proc.output.join('').slice(-500)})`, 20_000);
  return { proc, logs, admin, webhook: line[1]! };
}

/** The fixture plugin process serving `specs` in `socketDir`, once its sockets are bound. */
async function startPlugin(socketDir: string, specs: FixtureSpec[]): Promise<PluginProcess> {
  const p = spawnNode(dist('test/fixtures/admission-plugins.ts'), ['--socket-dir', socketDir, '--spec', JSON.stringify(specs)]);
  await waitForFixtureEvent(p, 'listening', {}, 20_000);
  return p;
}

/** /readyz answers 200 and /plugins lists the plugin active and healthy. */
async function waitReadyWithPlugin(h: Host): Promise<void> {
  await waitFor(async () => (await fetch(`${h.admin}/readyz`)).status === 200, '/readyz 200', 20_000);
  await waitFor(async () => {
    const plugins = (await (await fetch(`${h.admin}/plugins`)).json()) as Array<{ name: string; type: string; state: string; healthy: boolean }>;
    return plugins.some((p) => p.name === PLUGIN && p.type === 'AdmissionPlugin' && p.state === 'active' && p.healthy);
  }, `plugin ${PLUGIN} active in /plugins`, 20_000);
}

type Response = { uid: string; allowed: boolean; status?: { status?: string; code: number; message: string; reason: string }; warnings?: string[] };

/** POST /validate with a complete Pod CREATE AdmissionReview in `namespace`; the checked AdmissionReview answer. */
async function validatePod(webhook: string, namespace: string): Promise<{ uid: string; response: Response }> {
  const review = createPodReview({ namespace });
  const uid = String(requestOf(review).uid);
  expect(((requestOf(review).object as JsonObject).metadata as JsonObject).namespace).toBe(namespace);
  const res = await fetch(`${webhook}/validate?timeout=10s`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(review) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  const body = (await res.json()) as { apiVersion: string; kind: string; response: Response };
  expect(body.apiVersion).toBe('admission.k8s.io/v1');
  expect(body.kind).toBe('AdmissionReview');
  expect(body.response.uid).toBe(uid);
  return { uid, response: body.response };
}

/** The review uids the fixture plugin was actually called with. */
const calledWith = (p: PluginProcess): unknown[] => fixtureEvents(p, 'admit').filter((e) => e.plugin === PLUGIN).map((e) => e.uid);

const DENIED = { allowed: false, status: { code: 403, reason: 'Forbidden', message: `admission plugin "${PLUGIN}" denied the request: team a is frozen` } };

describe('plugd host --kubeconfig --webhook: namespaceSelector on namespace labels from the API server', () => {
  it('denies in the namespace labelled team=a, allows in team=b, and follows a relabel through the watch', async () => {
    const api = await new FakeApiServer({ token: TOKEN }).listen();
    onCleanup(() => api.close());
    api.put('namespaces', namespaceObject('team-a', { team: 'a' }));
    api.put('namespaces', namespaceObject('team-b', { team: 'b' }));
    expect(api.get('namespaces', 'team-b')!.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-b', team: 'b' });
    const kubeconfig = join(tempDir('plugd-kube-'), 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(api.url, { token: TOKEN, insecure: true }));

    const socketDir = tempDir();
    const plugin = await startPlugin(socketDir, [TEAM_A_ONLY]);
    const host = await startHostProcess(socketDir, ['--kubeconfig', kubeconfig]);
    await host.logs.waitFor('cluster state synced', {}, 20_000);
    await waitReadyWithPlugin(host);
    // The host really listed the namespaces from the API server (and watches them).
    expect(api.listRequests('namespaces').length).toBeGreaterThan(0);
    await waitFor(() => api.watchers('namespaces') > 0, 'the namespaces watch open', 15_000);

    const a = await validatePod(host.webhook, 'team-a');
    expect(a.response).toMatchObject(DENIED);
    const b = await validatePod(host.webhook, 'team-b');
    expect(b.response).toEqual({ uid: b.uid, allowed: true });
    // Allowed because the selector did not match, not because the plugin said yes: it was never called for team-b.
    expect(calledWith(plugin)).toEqual([a.uid]);

    // Relabel team-b (same object, same uid) to team=a: a MODIFIED event on the open watch.
    const watchesBefore = api.watchRequests('namespaces').length;
    const relabelled = structuredClone(api.get('namespaces', 'team-b')!);
    relabelled.metadata.labels = { ...(relabelled.metadata.labels as Record<string, string>), team: 'a' };
    api.put('namespaces', relabelled);
    const after = await waitFor(async () => {
      const r = await validatePod(host.webhook, 'team-b');
      return r.response.allowed ? undefined : r;
    }, 'a review in team-b to be denied after the relabel', 15_000);
    expect(after.response).toMatchObject(DENIED);
    expect(calledWith(plugin)).toContain(after.uid);
    // The change came through the open watch, not a fresh list.
    expect(api.watchRequests('namespaces').length).toBe(watchesBefore);
    // team-a is unchanged.
    expect((await validatePod(host.webhook, 'team-a')).response).toMatchObject(DENIED);
    expect(host.logs.find(`denied by plugin ${PLUGIN} (403)`).length).toBeGreaterThanOrEqual(3);
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);

    host.proc.kill('SIGTERM');
    expect((await host.proc.exited).code).toBe(0);
  }, 60_000);

  it('control: without --kubeconfig the selector on `team` cannot be evaluated; the plugin\'s failurePolicy decides', async () => {
    // failurePolicy FAIL (the plugin's own): every review it would match fails closed, 500, naming the plugin and the selector.
    const failDir = tempDir();
    const failPlugin = await startPlugin(failDir, [TEAM_A_ONLY]);
    // The same plugin with the host config's override to Ignore: the unevaluable selector is ignored, the review allowed.
    const ignoreDir = tempDir();
    const ignorePlugin = await startPlugin(ignoreDir, [TEAM_A_ONLY]);
    const config = join(tempDir('plugd-config-'), 'plugd.json');
    writeFileSync(config, JSON.stringify({ plugins: { [PLUGIN]: { failurePolicy: 'Ignore' } } }));
    const [failHost, ignoreHost] = await Promise.all([startHostProcess(failDir, []), startHostProcess(ignoreDir, ['--config', config])]);
    await Promise.all([waitReadyWithPlugin(failHost), waitReadyWithPlugin(ignoreHost)]);

    for (const ns of ['team-a', 'team-b']) {
      const r = await validatePod(failHost.webhook, ns);
      expect(r.response).toMatchObject({ allowed: false, status: { code: 500, reason: 'InternalError' } });
      expect(r.response.status!.message).toBe(`failed calling admission plugin "${PLUGIN}" (failurePolicy Fail): plugin ${PLUGIN}: Admit: namespaceSelector on team needs the labels of namespace "${ns}", ` +
        'and no namespace lookup is configured (only kubernetes.io/metadata.name can be evaluated without one)');
      const ok = await validatePod(ignoreHost.webhook, ns);
      expect(ok.response).toEqual({ uid: ok.uid, allowed: true });
    }
    expect(failHost.logs.find(`failed by plugin ${PLUGIN} (500)`).length).toBe(2);
    // Neither plugin was ever called: its selector decided nothing.
    expect(calledWith(failPlugin)).toEqual([]);
    expect(calledWith(ignorePlugin)).toEqual([]);
  }, 60_000);
});
