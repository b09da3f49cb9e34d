/**
 * The Python deny-latest-tag plugin against a real embedded host: Debian's python3-grpcio
 * serving message classes protoc generated from proto/, registered, health-watched and
 * called like any plugin, with AdmissionReview requests shaped as kube-apiserver sends them.
 * Skips (saying why) when the Python peers are missing, unless PLUGD_REQUIRE_INTEROP=1.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PlugdHost } from '../../host/host.js';
import { clientConstructor, HEALTH } from '../../proto/index.js';
import { cleanup, interopPeers, killProcesses, PYTHON, pythonGrpcMissing, ROOT, spawnProcess, startHost, waitFor, type PluginProcess, type TestHost } from '../../test/helpers.js';

const PLUGIN = join(ROOT, 'sample-plugins', 'python-deny-latest', 'plugin.py');
const NAME = 'deny-latest-tag';
const ACTIVE_WITHIN_MS = 20_000;

const missing = pythonGrpcMissing();
interopPeers('python-deny-latest', 'its interop peers', missing);

// ---------------------------------------------------------------------------------------
// The plugin as a process.

const running: PluginProcess[] = [];

/** Starts plugin.py with Debian's python; `parentPipe` hands it fd 3 as a supervising host does. */
function spawnPlugin(socketDir: string, opts: { parentPipe?: boolean } = {}): PluginProcess {
  const plugin = spawnProcess(PYTHON, [PLUGIN, '--socket-dir', socketDir], {
    env: { ...process.env, PLUGD_LOG_LEVEL: 'warn', ...(opts.parentPipe ? { PLUGD_PARENT_FD: '3' } : {}) },
    stdio: opts.parentPipe ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
  });
  running.push(plugin);
  return plugin;
}

const stopPlugins = (): Promise<void> => killProcesses(running.splice(0));

async function activePlugin(host: PlugdHost, plugin: PluginProcess): Promise<void> {
  try {
    await host.waitForPlugin(NAME, ACTIVE_WITHIN_MS);
  } catch (err) {
    throw new Error(`${NAME} did not become active; its output:\n${plugin.output.join('')}`, { cause: err });
  }
}

// ---------------------------------------------------------------------------------------
// Requests as kube-apiserver sends them (AdmissionReview v1), and their AdmitRequest form.

interface Container {
  name: string;
  image: string;
}

interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request: {
    uid: string;
    kind: { group: string; version: string; kind: string };
    resource: { group: string; version: string; resource: string };
    requestKind: { group: string; version: string; kind: string };
    requestResource: { group: string; version: string; resource: string };
    name: string;
    namespace: string;
    operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
    userInfo: { username: string; uid: string; groups: string[]; extra?: Record<string, string[]> };
    object: Record<string, unknown> | null;
    oldObject: Record<string, unknown> | null;
    dryRun: boolean;
    options: Record<string, unknown> | null;
  };
}

interface AdmitResponse {
  allowed: boolean;
  status: { code: number; message: string; reason: string } | null;
  patch: Buffer;
  warnings: string[];
  auditAnnotations: Record<string, string>;
}

let uidSeq = 0;
const uid = (): string => `7f0c1a2b-3c4d-4e5f-8a9b-${String(++uidSeq).padStart(12, '0')}`;

/** A container after kube-apiserver's defaulting. */
function container(c: Container, port?: number): Record<string, unknown> {
  return {
    name: c.name,
    image: c.image,
    ...(port ? { ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }] } : {}),
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: c.image.includes('@') || !/:[^/]+$/.test(c.image) || c.image.endsWith(':latest') ? 'Always' : 'IfNotPresent',
  };
}

function podSpec(containers: Container[], initContainers: Container[] = []): Record<string, unknown> {
  return {
    ...(initContainers.length ? { initContainers: initContainers.map((c) => container(c)) } : {}),
    containers: containers.map((c, i) => container(c, i === 0 ? 8080 : undefined)),
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    serviceAccount: 'default',
    securityContext: {},
    schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };
}

const USER = { username: 'kubernetes-admin', uid: 'aws-iam-authenticator:123456789012:AIDAEXAMPLE', groups: ['system:masters', 'system:authenticated'] };

function podReview(name: string, containers: Container[], initContainers: Container[] = []): AdmissionReview {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name, namespace: 'shop', uid: uid(), creationTimestamp: '2025-11-23T18:00:00Z',
      labels: { app: name, 'app.kubernetes.io/part-of': 'shop' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    },
    spec: podSpec(containers, initContainers),
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
  return review('CREATE', { group: '', version: 'v1', kind: 'Pod' }, { group: '', version: 'v1', resource: 'pods' }, name, pod, null);
}

function deployment(name: string, containers: Container[], initContainers: Container[] = []): Record<string, unknown> {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', uid: uid(), generation: 1, creationTimestamp: '2025-11-23T18:00:00Z', labels: { ...labels, team: 'payments' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec(containers, initContainers) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  };
}

function deploymentReview(op: 'CREATE' | 'UPDATE' | 'DELETE', obj: Record<string, unknown> | null, old: Record<string, unknown> | null = null): AdmissionReview {
  const name = ((obj ?? old)!.metadata as { name: string }).name;
  return review(op, { group: 'apps', version: 'v1', kind: 'Deployment' }, { group: 'apps', version: 'v1', resource: 'deployments' }, name, obj, old);
}

function review(operation: AdmissionReview['request']['operation'], kind: AdmissionReview['request']['kind'], resource: AdmissionReview['request']['resource'],
  name: string, object: Record<string, unknown> | null, oldObject: Record<string, unknown> | null): AdmissionReview {
  const options = { apiVersion: 'meta.k8s.io/v1', kind: `${operation[0]}${operation.slice(1).toLowerCase()}Options`, fieldManager: 'kubectl-client-side-apply' };
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: uid(), kind, resource, requestKind: kind, requestResource: resource, name, namespace: 'shop', operation,
      userInfo: { ...USER, extra: { 'accessKeyId': ['AKIAEXAMPLE'] } }, object, oldObject, dryRun: false, options,
    },
  };
}

/** AdmissionReview.request → plugd.admission.v1.AdmitRequest (objects travel as JSON bytes). */
function admitRequest(r: AdmissionReview): Record<string, unknown> {
  const q = r.request;
  const json = (v: unknown) => (v == null ? Buffer.alloc(0) : Buffer.from(JSON.stringify(v)));
  return {
    uid: q.uid, kind: q.kind, resource: q.resource, requestKind: q.requestKind, requestResource: q.requestResource,
    name: q.name, namespace: q.namespace, operation: q.operation,
    userInfo: { ...q.userInfo, extra: Object.fromEntries(Object.entries(q.userInfo.extra ?? {}).map(([k, v]) => [k, { values: v }])) },
    object: json(q.object), oldObject: json(q.oldObject), options: json(q.options), dryRun: q.dryRun, mutatingPhase: false, reinvocation: 0,
  };
}

const admit = (host: PlugdHost, r: AdmissionReview) => host.invoke<AdmitResponse>(NAME, 'Admit', admitRequest(r));

const DIGEST = 'sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31';

// ---------------------------------------------------------------------------------------

describe.skipIf(missing !== undefined)('python deny-latest-tag plugin: verdicts', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startHost();
    await activePlugin(t.host, spawnPlugin(t.socketDir));
  });
  afterAll(async () => {
    await stopPlugins();
    await cleanup();
  });

  it('registers as a validating AdmissionPlugin v1 with the capabilities from its contract', async () => {
    const res = await fetch(`${t.host.adminUrl}/plugins`);
    const plugins = (await res.json()) as Array<Record<string, unknown>>;
    expect(plugins.find((p) => p.name === NAME)).toMatchObject({
      type: 'AdmissionPlugin', version: 'v1', state: 'active', healthy: true,
      socket: join(t.socketDir, `${NAME}.sock`),
      capabilities: {
        implemented: ['Admit'], kind: 'VALIDATING', sideEffects: 'NONE', failurePolicy: 'FAIL',
        rules: expect.arrayContaining([
          expect.objectContaining({ apiGroups: [''], resources: expect.arrayContaining(['pods']) }),
          expect.objectContaining({ apiGroups: ['apps'], resources: expect.arrayContaining(['deployments', 'statefulsets', 'daemonsets']) }),
          expect.objectContaining({ apiGroups: ['batch'], resources: expect.arrayContaining(['jobs']) }),
        ]),
      },
    });
  });

  it('serves plugd.calls.v1, so the host carries its calls on one stream', async () => {
    await waitFor(() => t.host.plugins().find((p) => p.name === NAME)?.transport === 'stream', `${NAME} on its call stream`);
    const res = await admit(t.host, podReview('web', [{ name: 'web', image: 'nginx:latest' }]));
    expect(res).toMatchObject({ allowed: false, status: { code: 403 } });
  });

  it('serves grpc.health.v1 Check and Watch, per the contract', async () => {
    const Health = clientConstructor(HEALTH);
    const client = new Health(`unix:${join(t.socketDir, `${NAME}.sock`)}`, grpc.credentials.createInsecure());
    try {
      const check = (service: string) => new Promise<unknown>((resolve, reject) => {
        client.Check!({ service }, (err: grpc.ServiceError | null, res: unknown) => (err ? reject(err) : resolve(res)));
      });
      expect(await check('')).toEqual({ status: 'SERVING' });
      expect(await check('plugd.admission.v1.Admission')).toEqual({ status: 'SERVING' });
      await expect(check('no.such.Service')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
      const first = await new Promise<unknown>((resolve, reject) => {
        const call = client.Watch!({ service: 'no.such.Service' }) as grpc.ClientReadableStream<unknown>;
        call.once('data', (msg: unknown) => { resolve(msg); call.cancel(); });
        call.once('error', (err: grpc.ServiceError) => { if (err.code !== grpc.status.CANCELLED) reject(err); });
      });
      expect(first).toEqual({ status: 'SERVICE_UNKNOWN' });
    } finally {
      client.close();
    }
  });

  it.each([
    ['a version tag', 'nginx:1.27.3'],
    ['a digest', `nginx@${DIGEST}`],
    ['a tag and a digest, even :latest (the digest wins)', `nginx:latest@${DIGEST}`],
    ['a registry port and a tag', 'registry:5000/app:2.4.1'],
    ['a registry host, a path and a tag', 'ghcr.io/acme/shop/api:v2.3.0'],
  ])('allows a Pod whose image is pinned by %s (%s)', async (_what, image) => {
    const res = await admit(t.host, podReview('web', [{ name: 'web', image }, { name: 'metrics', image: 'prom/statsd-exporter:v0.26.1' }]));
    expect(res).toMatchObject({ allowed: true, warnings: [] });
    expect(res.patch.length).toBe(0);
  });

  it.each([
    ['no tag', 'nginx', 'no tag'],
    ['the :latest tag', 'nginx:latest', ':latest'],
    ['a registry port but no tag (a port is not a tag)', 'registry:5000/app', 'no tag'],
    ['the :latest tag behind a registry port', 'localhost:5000/team/app:latest', ':latest'],
  ])('denies a Pod whose image has %s (%s), naming the container', async (_what, image, problem) => {
    const res = await admit(t.host, podReview('web', [{ name: 'metrics', image: 'prom/statsd-exporter:v0.26.1' }, { name: 'web', image }]));
    expect(res.allowed).toBe(false);
    expect(res.status).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(res.status!.message).toContain(`Pod shop/web: container "web" uses image "${image}"`);
    expect(res.status!.message).toContain(problem);
    expect(res.status!.message).not.toContain('metrics');
  });

  it('denies a Pod for an unpinned init container, naming it as one', async () => {
    const res = await admit(t.host, podReview('web', [{ name: 'web', image: 'nginx:1.27.3' }], [{ name: 'migrate', image: 'busybox' }]));
    expect(res.allowed).toBe(false);
    expect(res.status!.message).toContain('init container "migrate" uses image "busybox"');
  });

  it('allows a Deployment whose pod template is pinned', async () => {
    const res = await admit(t.host, deploymentReview('CREATE',
      deployment('api', [{ name: 'api', image: 'ghcr.io/acme/shop/api:v2.3.0' }], [{ name: 'migrate', image: `ghcr.io/acme/shop/migrate@${DIGEST}` }])));
    expect(res.allowed).toBe(true);
  });

  it('denies a Deployment whose pod template uses :latest, naming every offending container', async () => {
    const res = await admit(t.host, deploymentReview('CREATE',
      deployment('api', [{ name: 'api', image: 'nginx:latest' }, { name: 'sidecar', image: 'envoyproxy/envoy:v1.31.2' }], [{ name: 'migrate', image: 'registry:5000/migrate' }])));
    expect(res.allowed).toBe(false);
    expect(res.status).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(res.status!.message).toMatch(/^Deployment shop\/api: /);
    expect(res.status!.message).toContain('container "api" uses image "nginx:latest"');
    expect(res.status!.message).toContain('init container "migrate" uses image "registry:5000/migrate"');
    expect(res.status!.message).not.toContain('sidecar');
    expect(res.auditAnnotations).toEqual({ 'unpinned-images': '2' });
  });

  it.each([
    ['apps', 'StatefulSet', 'statefulsets', (spec: Record<string, unknown>) => ({ serviceName: 'db', replicas: 3, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec } })],
    ['apps', 'DaemonSet', 'daemonsets', (spec: Record<string, unknown>) => ({ selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec } })],
    ['batch', 'Job', 'jobs', (spec: Record<string, unknown>) => ({ backoffLimit: 6, completions: 1, template: { spec: { ...spec, restartPolicy: 'Never' } } })],
    ['batch', 'CronJob', 'cronjobs', (spec: Record<string, unknown>) => ({ schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: 'OnFailure' } } } } })],
  ])('judges the pod template of a %s %s', async (group, kind, resource, wrap) => {
    const object = (image: string) => ({
      apiVersion: `${group}/v1`, kind,
      metadata: { name: 'db', namespace: 'shop', uid: uid(), generation: 1, labels: { app: 'db' } },
      spec: wrap(podSpec([{ name: 'db', image }])),
      status: {},
    });
    const gvk = { group, version: 'v1', kind };
    const gvr = { group, version: 'v1', resource };
    expect((await admit(t.host, review('CREATE', gvk, gvr, 'db', object('postgres:16.4'), null))).allowed).toBe(true);
    const res = await admit(t.host, review('CREATE', gvk, gvr, 'db', object('postgres'), null));
    expect(res.allowed).toBe(false);
    expect(res.status!.message).toBe(`${kind} shop/db: container "db" uses image "postgres" (no tag, so the runtime pulls :latest). `
      + 'Pin each image to a version tag (e.g. nginx:1.27.3) or a digest (image@sha256:...)');
  });

  it('on UPDATE judges only images that changed, so a legacy object can still be scaled', async () => {
    const legacy = deployment('legacy', [{ name: 'app', image: 'nginx' }]);
    const scaled = structuredClone(legacy);
    (scaled.spec as { replicas: number }).replicas = 5;
    expect((await admit(t.host, deploymentReview('UPDATE', scaled, legacy))).allowed).toBe(true);

    const pinned = deployment('legacy', [{ name: 'app', image: 'nginx:1.27.3' }]);
    const unpinned = deployment('legacy', [{ name: 'app', image: 'nginx:latest' }]);
    const res = await admit(t.host, deploymentReview('UPDATE', unpinned, pinned));
    expect(res.allowed).toBe(false);
    expect(res.status!.message).toContain('container "app" uses image "nginx:latest"');
  });

  it('allows a DELETE, which carries no object', async () => {
    const res = await admit(t.host, deploymentReview('DELETE', null, deployment('gone', [{ name: 'app', image: 'nginx' }])));
    expect(res.allowed).toBe(true);
  });

  it('answers 200 concurrent calls, each with its own verdict', async () => {
    const images = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? `app-${i}` : `app-${i}:1.0.${i}`));
    const results = await Promise.all(images.map((image) => admit(t.host, podReview(`p${image.length}`, [{ name: 'web', image }]))));
    results.forEach((res, i) => {
      expect(res.allowed).toBe(i % 3 !== 0);
      if (i % 3 === 0) expect(res.status!.message).toContain(`uses image "app-${i}"`);
    });
  });

  it('fails the call (INVALID_ARGUMENT, never a deny) on an object that is not JSON', async () => {
    const req = { ...admitRequest(podReview('web', [{ name: 'web', image: 'nginx' }])), object: Buffer.from('{not json') };
    await expect(t.host.invoke(NAME, 'Admit', req)).rejects.toMatchObject({ code: 'PLUGD_ERR_CALL_FAILED', plugin: NAME, grpcCode: 3 });
  });
});

describe.skipIf(missing !== undefined)('python deny-latest-tag plugin: lifecycle', () => {
  afterEach(async () => {
    await stopPlugins();
    await cleanup();
  });

  const socketOf = (t: TestHost) => join(t.socketDir, `${NAME}.sock`);
  const registered = (host: PlugdHost) => host.plugins().some((p) => p.name === NAME);

  it('on SIGTERM unlinks its socket and exits 0, and the host deregisters it', async () => {
    const t = await startHost();
    const plugin = spawnPlugin(t.socketDir);
    await activePlugin(t.host, plugin);
    plugin.proc.kill('SIGTERM');
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(socketOf(t))).toBe(false);
    await waitFor(() => !registered(t.host), `${NAME} deregistered`);
    await t.logs.waitFor('plugin deregistered', { plugin: NAME });
    await expect(t.host.invoke(NAME, 'Admit', {})).rejects.toMatchObject({ code: 'PLUGD_ERR_PLUGIN_UNAVAILABLE', plugin: NAME });
  });

  it('exits 0 and unlinks its socket when the supervising host\'s pipe (PLUGD_PARENT_FD) reaches EOF', async () => {
    const t = await startHost();
    const plugin = spawnPlugin(t.socketDir, { parentPipe: true });
    await activePlugin(t.host, plugin);
    (plugin.proc.stdio[3] as Socket).destroy();
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(socketOf(t))).toBe(false);
    await waitFor(() => !registered(t.host), `${NAME} deregistered`);
  });

  it('runs under the host\'s supervisor from a launch command, its JSON logs relayed, and stops with the host', async () => {
    const t = await startHost({ config: { launch: [{ name: 'py-deny-latest', command: [PYTHON, PLUGIN], restart: 'never', env: { PLUGD_LOG_LEVEL: 'info' } }] } });
    await t.host.waitForPlugin(NAME, ACTIVE_WITHIN_MS);
    await t.logs.waitFor('plugin serving', { plugin: 'py-deny-latest', socket: socketOf(t) });
    expect((await admit(t.host, podReview('web', [{ name: 'web', image: 'nginx:latest' }]))).allowed).toBe(false);
    await t.host.stop();
    expect(t.host.processes()).toMatchObject([{ name: 'py-deny-latest', state: 'stopped', lastExit: 'code 0' }]);
    expect(existsSync(socketOf(t))).toBe(false);
  });

  it('replaces a stale socket left by a killed instance, and refuses to steal a live one', async () => {
    const t = await startHost();
    const first = spawnPlugin(t.socketDir);
    await activePlugin(t.host, first);
    const firstGeneration = t.host.plugins().find((p) => p.name === NAME)!.generation;

    const intruder = spawnPlugin(t.socketDir);
    expect((await intruder.exited).code).not.toBe(0);
    expect(intruder.output.join('')).toContain('held by a live server');
    expect(registered(t.host)).toBe(true);

    first.proc.kill('SIGKILL');
    await first.exited;
    await waitFor(() => !registered(t.host), `${NAME} deregistered after SIGKILL`);
    expect(existsSync(socketOf(t))).toBe(true); // stale: nobody listens on it

    const second = spawnPlugin(t.socketDir);
    await activePlugin(t.host, second);
    expect(t.host.plugins().find((p) => p.name === NAME)!.generation).toBeGreaterThan(firstGeneration);
    expect((await admit(t.host, podReview('web', [{ name: 'web', image: 'nginx' }]))).allowed).toBe(false);
  });
});
