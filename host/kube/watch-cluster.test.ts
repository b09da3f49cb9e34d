/**
 * watchCluster against an API server. No kube-apiserver runs on these machines, so these tests
 * run a local HTTP(S) server (test/fixtures/kube/apiserver.ts) that speaks the list/watch protocol as
 * kube-apiserver does — paged Lists with metadata.resourceVersion, chunked newline-delimited
 * watch events ADDED/MODIFIED/DELETED/BOOKMARK, an ERROR event with a 410 Expired Status, an
 * HTTP 410 at watch start, a connection dropped mid-stream, bearer-token auth — serving full
 * Node/Pod/Namespace objects as kube-apiserver serves them. The host is a real PlugdHost with
 * its admin server; assertions are on host.cluster, its generation, /readyz, /cluster, /metrics
 * and the requests the server received.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extractPod } from '../scheduling/pod.js';
import { adminGet, cleanup, metricValue, onCleanup, startHost, tempDir, waitFor, type TestHost } from '../../test/helpers.js';
import { FakeApiServer, kubeconfigYaml, namespaceObject, nodeObject, podObject, type FakeApiServerOptions } from '../../test/fixtures/kube/apiserver.js';
import { inClusterConfig, kubeConfigFromFile, KubeErrorCodes, loadKubeConfig, watchCluster, type ClusterWatch } from './index.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InBsdWdkIn0.test-token';
const FIXTURES = join(import.meta.dirname, '../../test/fixtures/kube');

afterEach(cleanup);

interface Env extends TestHost {
  api: FakeApiServer;
  watch: ClusterWatch;
  kubeconfig: string;
}

function seed(api: FakeApiServer): void {
  api.put('namespaces', namespaceObject('default'));
  api.put('namespaces', namespaceObject('team-a', { team: 'a', 'pod-security.kubernetes.io/enforce': 'baseline' }));
  api.put('nodes', nodeObject('node-a', { cpu: '4', memory: '8Gi', labels: { 'topology.kubernetes.io/zone': 'zone-1' } }));
  api.put('nodes', nodeObject('node-b', { cpu: '8', memory: '16Gi', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
  api.put('nodes', nodeObject('node-c', { cpu: '2', memory: '4Gi', unschedulable: true }));
  api.put('pods', podObject('web-7f9c4-abcde', { nodeName: 'node-a', cpu: '500m', memory: '256Mi' }));
  api.put('pods', podObject('db-0', { namespace: 'team-a', nodeName: 'node-b', cpu: '2', memory: '4Gi' }));
  api.put('pods', podObject('pending-1', { cpu: '1' }));
  api.put('pods', podObject('job-done', { nodeName: 'node-a', phase: 'Succeeded', cpu: '1' }));
}

async function setup(opts: { server?: FakeApiServerOptions; seed?: boolean; pageSize?: number; waitSync?: boolean } = {}): Promise<Env> {
  const api = await new FakeApiServer({ token: TOKEN, ...opts.server }).listen();
  onCleanup(() => api.close());
  if (opts.seed ?? true) seed(api);
  const kubeconfig = join(tempDir('plugd-kube-'), 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml(api.url, { token: TOKEN, insecure: true }));
  const th = await startHost();
  const watch = watchCluster(th.host, kubeConfigFromFile(kubeconfig), { initialBackoffMs: 20, maxBackoffMs: 200, pageSize: opts.pageSize ?? 2 });
  onCleanup(() => watch.stop());
  if (opts.waitSync ?? true) await watch.synced;
  return { ...th, api, watch, kubeconfig };
}

function rvOf(env: Env, resource: string): string {
  return env.watch.status().find((s) => s.resource === resource)!.resourceVersion;
}

describe('watchCluster: initial list', () => {
  it('lists nodes, bound pods and namespaces (paged) into host.cluster, then watches from the list resourceVersion', async () => {
    const env = await setup();
    const { cluster } = env.host;
    expect(cluster.snapshot().nodes.map((n) => n.name).sort()).toEqual(['node-a', 'node-b', 'node-c']);
    const a = cluster.node('node-a')!;
    // The Succeeded pod holds nothing; the running one does.
    expect(a.podCount).toBe(1);
    expect(a.requested.get('cpu')).toBe(500);
    expect(a.requested.get('memory')).toBe(256 * 1024 * 1024);
    expect(a.allocatable.get('cpu')).toBe(4000);
    expect(cluster.node('node-b')!.node.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    expect(cluster.node('node-c')!.node.unschedulable).toBe(true);
    expect(cluster.counts()).toEqual({ nodes: 3, pods: 2, assumed: 0 });
    expect(cluster.generation).toBeGreaterThan(0);
    expect(env.watch.namespaces.labels('team-a')).toEqual({ 'kubernetes.io/metadata.name': 'team-a', team: 'a', 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect(env.watch.namespaces.labels('nope')).toBeUndefined();

    // Three nodes at two per page: a second page with the continue token.
    const lists = env.api.listRequests('nodes');
    expect(lists.map((r) => r.query.get('limit'))).toEqual(['2', '2']);
    expect(lists[1]!.query.get('continue')).toBeTruthy();
    await waitFor(() => env.api.watchRequests('nodes').length > 0, 'the nodes watch');
    const watches = env.api.watchRequests('nodes');
    expect(watches[0]!.query.get('resourceVersion')).toBe(env.api.resourceVersion);
    expect(watches[0]!.query.get('allowWatchBookmarks')).toBe('true');
    expect(Number(watches[0]!.query.get('timeoutSeconds'))).toBeGreaterThanOrEqual(300);
    expect(env.api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);

    const summary = JSON.parse(await adminGet(env.host, '/cluster')) as { nodes: number; pods: number; generation: number; synced: boolean };
    expect(summary).toMatchObject({ nodes: 3, pods: 2, generation: cluster.generation, synced: true });
    const metrics = await adminGet(env.host, '/metrics');
    expect(metricValue(metrics, 'plugd_kube_synced', { resource: 'pods' })).toBe(1);
    expect(metricValue(metrics, 'plugd_kube_last_sync_timestamp_seconds', { resource: 'nodes' })).toBeGreaterThan(Date.now() / 1000 - 60);
    await env.logs.waitFor('cluster state synced: 3 nodes, 2 pods');
  });

  it('/readyz answers 503 naming the cluster state until the initial lists are applied, retrying failed lists with backoff', async () => {
    const api = await new FakeApiServer({ token: TOKEN }).listen();
    onCleanup(() => api.close());
    seed(api);
    api.failNext('pods', 'list', 500);
    api.failNext('pods', 'list', 403, 'Forbidden');
    const kubeconfig = join(tempDir('plugd-kube-'), 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(api.url, { token: TOKEN, insecure: true }));
    const th = await startHost();
    // Not yet: the pods list will fail twice before it succeeds.
    const watch = watchCluster(th.host, kubeConfigFromFile(kubeconfig), { initialBackoffMs: 300, maxBackoffMs: 1000 });
    onCleanup(() => watch.stop());
    const res = await fetch(`${th.host.adminUrl}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('cluster state not synced yet');
    await watch.synced;
    expect((await fetch(`${th.host.adminUrl}/readyz`)).status).toBe(200);
    expect(api.listRequests('pods')).toHaveLength(3);
    const failed = th.logs.find('list pods failed');
    expect(failed).toHaveLength(2);
    expect(String(failed[1]!.msg)).toContain('HTTP 403 Forbidden');
    expect(String(failed[1]!.msg)).toMatch(/retrying in \d+ ms with a fresh list/);
    // Exponential: the second wait is about twice the first (±20 % jitter each).
    expect(Number(failed[1]!.retryInMs)).toBeGreaterThan(Number(failed[0]!.retryInMs));
    expect(metricValue(await adminGet(th.host, '/metrics'), 'plugd_kube_request_errors_total', { resource: 'pods', verb: 'list' })).toBe(2);
  });
});

describe('watchCluster: watch events', () => {
  it('applies node ADDED/MODIFIED/DELETED; a heartbeat-only MODIFIED costs no generation', async () => {
    const env = await setup();
    const { cluster } = env.host;
    env.api.put('nodes', nodeObject('node-d', { cpu: '16', memory: '64Gi', extra: { 'nvidia.com/gpu': '4' } }));
    const d = await waitFor(() => cluster.node('node-d'), 'node-d');
    expect(d.allocatable.get('nvidia.com/gpu')).toBe(4);

    const relabelled = structuredClone(env.api.get('nodes', 'node-a')!);
    (relabelled.metadata.labels as Record<string, string>)['disktype'] = 'ssd';
    env.api.put('nodes', relabelled);
    await waitFor(() => cluster.node('node-a')?.node.labels['disktype'] === 'ssd', 'node-a relabelled');

    const before = cluster.generation;
    const heartbeat = structuredClone(env.api.get('nodes', 'node-a')!);
    ((heartbeat.status as { conditions: Array<Record<string, string>> }).conditions[3]!)['lastHeartbeatTime'] = '2025-01-10T09:05:00Z';
    const stored = env.api.put('nodes', heartbeat);
    await waitFor(() => rvOf(env, 'nodes') === stored.metadata.resourceVersion, 'the heartbeat event');
    expect(cluster.generation).toBe(before);

    env.api.delete('nodes', 'node-c');
    await waitFor(() => cluster.node('node-c') === undefined, 'node-c removed');
    expect(cluster.snapshot().nodes.map((n) => n.name).sort()).toEqual(['node-a', 'node-b', 'node-d']);
    const metrics = await adminGet(env.host, '/metrics');
    expect(metricValue(metrics, 'plugd_kube_watch_events_total', { resource: 'nodes', type: 'ADDED' })).toBe(1);
    expect(metricValue(metrics, 'plugd_kube_watch_events_total', { resource: 'nodes', type: 'MODIFIED' })).toBe(2);
    expect(metricValue(metrics, 'plugd_kube_watch_events_total', { resource: 'nodes', type: 'DELETED' })).toBe(1);
  });

  it('accounts pods once bound, moves them with nodeName, drops them when terminal or deleted', async () => {
    const env = await setup();
    const { cluster } = env.host;
    const pending = env.api.get('pods', 'default/pending-1')!;
    const key = String(pending.metadata.uid);
    expect(cluster.pod(key)).toBeUndefined();

    const bound = podObject('pending-1', { nodeName: 'node-b', cpu: '1', uid: key });
    env.api.put('pods', bound);
    await waitFor(() => cluster.pod(key)?.nodeName === 'node-b', 'pending-1 bound');
    expect(cluster.node('node-b')!.requested.get('cpu')).toBe(3000);

    const finished = podObject('pending-1', { nodeName: 'node-b', cpu: '1', uid: key, phase: 'Failed' });
    env.api.put('pods', finished);
    await waitFor(() => cluster.pod(key) === undefined, 'the failed pod dropped');
    expect(cluster.node('node-b')!.requested.get('cpu')).toBe(2000);

    const web = env.api.get('pods', 'default/web-7f9c4-abcde')!;
    env.api.delete('pods', 'default/web-7f9c4-abcde');
    await waitFor(() => cluster.pod(String(web.metadata.uid)) === undefined, 'web deleted');
    expect(cluster.node('node-a')!.podCount).toBe(0);
    expect(cluster.counts()).toEqual({ nodes: 3, pods: 1, assumed: 0 });
  });

  it('an assumed pod is bound when the API server confirms it, and moved when the API server put it elsewhere', async () => {
    const env = await setup({ seed: true });
    const { cluster } = env.host;
    const p1 = podObject('sched-1', { cpu: '1', memory: '1Gi' });
    const p2 = podObject('sched-2', { cpu: '1', memory: '1Gi' });
    env.api.put('pods', p1);
    env.api.put('pods', p2);
    const i1 = extractPod(p1);
    const i2 = extractPod(p2);
    cluster.assume(i1, 'node-a');
    cluster.assume(i2, 'node-a');
    expect(cluster.node('node-a')!.podCount).toBe(3);

    env.api.put('pods', { ...structuredClone(p1), spec: { ...(p1.spec as object), nodeName: 'node-a' }, status: { phase: 'Running' } });
    await waitFor(() => cluster.pod(String(p1.metadata.uid))?.phase === 'bound', 'sched-1 confirmed');
    expect(cluster.pod(String(p1.metadata.uid))!.nodeName).toBe('node-a');

    env.api.put('pods', { ...structuredClone(p2), spec: { ...(p2.spec as object), nodeName: 'node-b' }, status: { phase: 'Running' } });
    await waitFor(() => cluster.pod(String(p2.metadata.uid))?.nodeName === 'node-b', 'sched-2 moved to node-b');
    expect(cluster.pod(String(p2.metadata.uid))!.phase).toBe('bound');
    expect(cluster.node('node-a')!.podCount).toBe(2);
    expect(cluster.node('node-b')!.podCount).toBe(2);
    expect(cluster.counts().assumed).toBe(0);
  });

  it('logs and skips a malformed node, keeps the rest', async () => {
    const env = await setup();
    const bad = nodeObject('node-bad');
    (bad.status as { allocatable: Record<string, string> }).allocatable['cpu'] = 'lots';
    env.api.put('nodes', bad);
    env.api.put('nodes', nodeObject('node-e'));
    await waitFor(() => env.host.cluster.node('node-e'), 'node-e');
    expect(env.host.cluster.node('node-bad')).toBeUndefined();
    const line = await env.logs.waitFor('nodes node-bad: ignored');
    expect(String(line.msg)).toContain('status.allocatable.cpu');
    expect(metricValue(await adminGet(env.host, '/metrics'), 'plugd_kube_objects_rejected_total', { resource: 'nodes' })).toBe(1);
  });
});

describe('watchCluster: relists and reconnects', () => {
  it('410 Expired ERROR event → relist; the relist removes a node deleted during the gap and adds one created in it', async () => {
    const env = await setup();
    const { cluster } = env.host;
    await waitFor(() => env.api.watchers('nodes') === 1, 'the nodes watch');
    const gen = cluster.generation;
    const lastRv = rvOf(env, 'nodes');
    env.api.hold('nodes');
    env.api.delete('nodes', 'node-b');
    env.api.put('nodes', nodeObject('node-f'));
    env.api.compact('nodes');
    env.api.release('nodes');
    expect(cluster.node('node-b')).toBeDefined();
    env.api.expireWatches('nodes', lastRv);

    await waitFor(() => cluster.node('node-b') === undefined && cluster.node('node-f'), 'the relist reconciled');
    expect(cluster.snapshot().nodes.map((n) => n.name).sort()).toEqual(['node-a', 'node-c', 'node-f']);
    expect(cluster.snapshot().generation).toBeGreaterThan(gen);
    expect(env.watch.status()[0]).toMatchObject({ resource: 'nodes', objects: 3, relists: 1, synced: true });
    // node-b's pod stays accounted for (kube's cache keeps pods of a removed node until they go).
    expect(cluster.counts().pods).toBe(2);
    const relist = await env.logs.waitFor('relisting nodes');
    expect(relist.msg).toBe(`relisting nodes: resourceVersion ${lastRv} expired (410 Gone); objects deleted meanwhile will be removed`);
    expect(env.api.listRequests('nodes').length).toBe(4);
    await waitFor(() => env.api.watchRequests('nodes').length === 2, 'the new watch');
    const watches = env.api.watchRequests('nodes');
    expect(watches[1]!.query.get('resourceVersion')).toBe(env.api.resourceVersion);
    expect(metricValue(await adminGet(env.host, '/metrics'), 'plugd_kube_relists_total', { resource: 'nodes', reason: 'expired' })).toBe(1);

    // And the watch is live again.
    env.api.put('nodes', nodeObject('node-g'));
    await waitFor(() => cluster.node('node-g'), 'node-g after the relist');
  });

  it('HTTP 410 at watch start → relist; a pod deleted and one re-created under the same name during the gap are reconciled', async () => {
    const env = await setup();
    const { cluster } = env.host;
    await waitFor(() => env.api.watchers('pods') === 1, 'the pods watch');
    const web = env.api.get('pods', 'default/web-7f9c4-abcde')!;
    const db = env.api.get('pods', 'team-a/db-0')!;
    env.api.hold('pods');
    env.api.delete('pods', 'default/web-7f9c4-abcde');
    env.api.delete('pods', 'team-a/db-0');
    env.api.put('pods', podObject('db-0', { namespace: 'team-a', nodeName: 'node-a', cpu: '1', memory: '1Gi' }));
    env.api.compact('pods', { httpStatus: true });
    env.api.release('pods');
    const resumeFrom = rvOf(env, 'pods');
    env.api.dropWatches('pods');

    await waitFor(() => cluster.pod(String(web.metadata.uid)) === undefined && cluster.pod(String(db.metadata.uid)) === undefined, 'the gap reconciled');
    const reborn = env.api.get('pods', 'team-a/db-0')!;
    await waitFor(() => cluster.pod(String(reborn.metadata.uid))?.nodeName === 'node-a', 'the re-created db-0');
    expect(cluster.node('node-b')!.podCount).toBe(0);
    expect(cluster.node('node-a')!.requested.get('cpu')).toBe(1000);
    const watches = env.api.watchRequests('pods');
    // The watch that hit HTTP 410 resumed from the last resourceVersion seen; the next follows the relist.
    expect(watches[1]!.query.get('resourceVersion')).toBe(resumeFrom);
    await waitFor(() => env.api.watchRequests('pods').length === 3, 'the watch after the relist');
    expect(env.api.watchRequests('pods')[2]!.query.get('resourceVersion')).toBe(env.api.resourceVersion);
    await env.logs.waitFor(`relisting pods: resourceVersion ${resumeFrom} expired (410 Gone)`);
  });

  it('a watch dropped mid-stream resumes from the last resourceVersion seen, without a relist, and gets what it missed', async () => {
    const env = await setup();
    const { cluster } = env.host;
    await waitFor(() => env.api.watchers('nodes') === 1, 'the nodes watch');
    const seen = env.api.put('nodes', nodeObject('node-h'));
    await waitFor(() => rvOf(env, 'nodes') === seen.metadata.resourceVersion, 'node-h seen');
    env.api.hold('nodes');
    env.api.dropWatches('nodes');
    env.api.put('nodes', nodeObject('node-i'));
    env.api.release('nodes');

    await waitFor(() => cluster.node('node-i'), 'node-i, missed while disconnected');
    const watches = env.api.watchRequests('nodes');
    expect(watches).toHaveLength(2);
    expect(watches[1]!.query.get('resourceVersion')).toBe(seen.metadata.resourceVersion);
    expect(env.api.listRequests('nodes')).toHaveLength(2);
    const line = await env.logs.waitFor('watch nodes failed');
    expect(String(line.msg)).toContain(`from resourceVersion ${String(seen.metadata.resourceVersion)}`);
    expect(metricValue(await adminGet(env.host, '/metrics'), 'plugd_kube_request_errors_total', { resource: 'nodes', verb: 'watch' })).toBe(1);
  });

  it('a BOOKMARK advances the resourceVersion a dropped watch resumes from', async () => {
    const env = await setup();
    await waitFor(() => env.api.watchers('nodes') === 1, 'the nodes watch');
    const before = rvOf(env, 'nodes');
    // Pod traffic moves the shared revision; only a bookmark tells the nodes watch about it.
    env.api.put('pods', podObject('noise', { nodeName: 'node-a', cpu: '100m' }));
    const gen = env.host.cluster.generation;
    const mark = env.api.bookmark('nodes');
    expect(mark).not.toBe(before);
    await waitFor(() => rvOf(env, 'nodes') === mark, 'the bookmark resourceVersion');
    env.api.dropWatches('nodes');
    await waitFor(() => env.api.watchRequests('nodes').length === 2, 'the resumed watch');
    expect(env.api.watchRequests('nodes')[1]!.query.get('resourceVersion')).toBe(mark);
    expect(metricValue(await adminGet(env.host, '/metrics'), 'plugd_kube_watch_events_total', { resource: 'nodes', type: 'BOOKMARK' })).toBe(1);
    // A bookmark carries no object: the noise pod is the only change since.
    await waitFor(() => env.host.cluster.pod(String(env.api.get('pods', 'default/noise')!.metadata.uid)), 'the noise pod');
    expect(env.host.cluster.generation).toBeGreaterThanOrEqual(gen);
  });

  it('stop() ends every watch; later changes do not reach host.cluster', async () => {
    const env = await setup();
    await waitFor(() => env.api.watchers('nodes') === 1 && env.api.watchers('pods') === 1, 'the watches');
    await env.watch.stop();
    await waitFor(() => env.api.watchers('nodes') + env.api.watchers('pods') + env.api.watchers('namespaces') === 0, 'the watches closed');
    const gen = env.host.cluster.generation;
    env.api.put('nodes', nodeObject('node-late'));
    expect(env.host.cluster.node('node-late')).toBeUndefined();
    expect(env.host.cluster.generation).toBe(gen);
    expect(JSON.parse(await adminGet(env.host, '/cluster')).sources).toEqual([]);
  });
});

describe('kubeconfig and in-cluster config', () => {
  const tls = { cert: readFileSync(join(FIXTURES, 'apiserver.crt')), key: readFileSync(join(FIXTURES, 'apiserver.key')) };
  const caData = readFileSync(join(FIXTURES, 'ca.crt')).toString('base64');

  it('a kubeconfig with certificate-authority-data and a token reaches an https API server as its current-context user', async () => {
    const api = await new FakeApiServer({ token: TOKEN, tls }).listen();
    onCleanup(() => api.close());
    seed(api);
    const file = join(tempDir('plugd-kube-'), 'config');
    writeFileSync(file, kubeconfigYaml(api.url, { token: TOKEN, caData }));
    const { host } = await startHost();
    const w = watchCluster(host, loadKubeConfig({ kubeconfig: file }));
    onCleanup(() => w.stop());
    await w.synced;
    expect(host.cluster.counts().nodes).toBe(3);
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
  });

  it('a wrong token is logged with the 401 and retried, never synced', async () => {
    const api = await new FakeApiServer({ token: 'the-right-one' }).listen();
    onCleanup(() => api.close());
    const file = join(tempDir('plugd-kube-'), 'config');
    writeFileSync(file, kubeconfigYaml(api.url, { token: TOKEN, insecure: true }));
    const { host, logs } = await startHost();
    const w = watchCluster(host, kubeConfigFromFile(file), { initialBackoffMs: 20, maxBackoffMs: 100 });
    onCleanup(() => w.stop());
    const line = await logs.waitFor('list nodes failed');
    expect(String(line.msg)).toContain('HTTP 401 Unauthorized');
    await waitFor(() => api.listRequests('nodes').length >= 3, 'retries');
    expect(w.hasSynced).toBe(false);
    expect((await fetch(`${host.adminUrl}/readyz`)).status).toBe(503);
  });

  it('--in-cluster reads the service account token and CA and KUBERNETES_SERVICE_HOST/PORT', async () => {
    const api = await new FakeApiServer({ token: TOKEN, tls }).listen();
    onCleanup(() => api.close());
    seed(api);
    const root = join(tempDir('plugd-sa-'), 'serviceaccount');
    mkdirSync(root);
    writeFileSync(join(root, 'token'), TOKEN);
    writeFileSync(join(root, 'ca.crt'), readFileSync(join(FIXTURES, 'ca.crt')));
    writeFileSync(join(root, 'namespace'), 'plugd-system');
    const port = new URL(api.url).port;
    const kc = inClusterConfig({ env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port }, serviceAccountRoot: root });
    expect(kc.getCurrentCluster()!.server).toBe(`https://127.0.0.1:${port}`);
    const { host } = await startHost();
    const w = watchCluster(host, kc);
    onCleanup(() => w.stop());
    await w.synced;
    expect(host.cluster.counts()).toMatchObject({ nodes: 3, pods: 2 });
    expect(api.requests[0]!.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it.each([
    ['a missing file', { kubeconfig: '/nonexistent/kubeconfig' }, 'kubeconfig /nonexistent/kubeconfig: no such file'],
    ['both sources', { kubeconfig: '/x', inCluster: true }, '--kubeconfig and --in-cluster exclude each other'],
  ])('refuses %s with a coded error naming it', (_what, source, message) => {
    expect(() => loadKubeConfig(source)).toThrowError(expect.objectContaining({ code: KubeErrorCodes.CONFIG_INVALID, message: expect.stringContaining(message) }));
  });

  it.each([
    ['plain http without insecure-skip-tls-verify', (url: string) => kubeconfigYaml(url, { token: 't' }), 'needs insecure-skip-tls-verify: true'],
    ['a current-context that is not defined', (url: string) => kubeconfigYaml(url, { token: 't', insecure: true }).replace('current-context: kind-plugd', 'current-context: gone'), 'current-context "gone" is not among its contexts'],
  ])('refuses a kubeconfig with %s', (_what, yaml, message) => {
    const file = join(tempDir('plugd-kube-'), 'config');
    writeFileSync(file, yaml('http://127.0.0.1:1'));
    expect(() => kubeConfigFromFile(file)).toThrowError(expect.objectContaining({ code: KubeErrorCodes.CONFIG_INVALID, message: expect.stringContaining(message) }));
  });

  it('--in-cluster outside a pod says what is missing', () => {
    expect(() => inClusterConfig({ env: {} })).toThrowError(/KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set/);
    expect(() => inClusterConfig({ env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, serviceAccountRoot: tempDir() }))
      .toThrowError(/no service account token at/);
  });
});
