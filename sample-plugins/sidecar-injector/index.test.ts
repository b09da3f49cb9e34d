import { applyPatch, type Operation } from 'rfc6902';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdmitRequest } from '../../proto/gen/plugd/admission/v1/AdmitRequest.js';
import type { AdmitResponse__Output } from '../../proto/gen/plugd/admission/v1/AdmitResponse.js';
import { testPlugin, type PluginHarness } from '../../sdk/testing.js';
import { CLI, cleanup, spawnNode, startHost, tempDir } from '../../test/helpers.js';
import plugin, { configFromEnv, DEFAULTS, sidecarInjector } from './index.js';
import { escapeToken, sidecarContainer, type JsonObject } from './inject.js';

const INJECT = { 'sidecar.plugd.dev/inject': 'true' };
const MOUNT = { name: 'plugd-logs', mountPath: '/var/log/app' };
const VOLUME = { name: 'plugd-logs', emptyDir: {} };

// What kube-apiserver sends for a pod the ReplicaSet controller creates from an nginx Deployment.
const nginxPod = (annotations: Record<string, string> | null = INJECT): JsonObject => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    generateName: 'web-5d7c8f9b4-',
    namespace: 'shop',
    creationTimestamp: null,
    labels: { app: 'web', 'pod-template-hash': '5d7c8f9b4' },
    ...(annotations ? { annotations } : {}),
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d7c8f9b4', uid: '9c1e2f3a-4b5c-4d6e-8f70-1a2b3c4d5e6f', controller: true, blockOwnerDeletion: true }],
  },
  spec: {
    containers: [{
      name: 'nginx', image: 'nginx:1.27.3', ports: [{ containerPort: 80, protocol: 'TCP' }],
      resources: { requests: { cpu: '100m', memory: '64Mi' } },
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
    }],
    restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default', serviceAccount: 'default', securityContext: {}, schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
  },
  status: {},
});

// A hand-written pod with an init container, its own volumes and mounts: everything appends.
const podWithInit = (): JsonObject => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name: 'api-0', namespace: 'shop', annotations: { ...INJECT, 'prometheus.io/scrape': 'true' } },
  spec: {
    initContainers: [{
      name: 'migrate', image: 'ghcr.io/acme/api:2.3.1', command: ['/app/migrate', '--up'],
      volumeMounts: [{ name: 'config', mountPath: '/etc/api', readOnly: true }],
    }],
    containers: [
      { name: 'api', image: 'ghcr.io/acme/api:2.3.1', volumeMounts: [{ name: 'config', mountPath: '/etc/api', readOnly: true }, { name: 'cache', mountPath: '/cache' }] },
      { name: 'metrics', image: 'prom/statsd-exporter:v0.27.1' },
    ],
    volumes: [{ name: 'config', configMap: { name: 'api-config' } }, { name: 'cache', emptyDir: { medium: 'Memory' } }],
  },
});

const nginxDeployment = (): JsonObject => ({
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: { name: 'web', namespace: 'shop', creationTimestamp: null, labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '1' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { creationTimestamp: null, labels: { app: 'web' }, annotations: { ...INJECT } },
      spec: {
        containers: [{ name: 'nginx', image: 'nginx:1.27.3', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {}, imagePullPolicy: 'IfNotPresent' }],
        restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
      },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
  status: {},
});

const GVK: Record<string, { group: string; resource: string }> = {
  Pod: { group: '', resource: 'pods' },
  Deployment: { group: 'apps', resource: 'deployments' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
};

function createRequest(obj: JsonObject, reinvocation = 0): AdmitRequest {
  const { group, resource } = GVK[String(obj.kind)]!;
  const kind = { group, version: 'v1', kind: String(obj.kind) };
  const res = { group, version: 'v1', resource };
  const meta = obj.metadata as JsonObject;
  return {
    uid: 'b6f1c0de-8d2e-4a51-9a63-0f7e6c2d1a90',
    kind, resource: res, requestKind: kind, requestResource: res,
    name: typeof meta.name === 'string' ? meta.name : '', namespace: 'shop', operation: 'CREATE',
    userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:authenticated'] },
    object: Buffer.from(JSON.stringify(obj)),
    options: Buffer.from('{"kind":"CreateOptions","apiVersion":"meta.k8s.io/v1"}'),
    mutatingPhase: true, reinvocation,
  };
}

const opsOf = (res: AdmitResponse__Output): Operation[] => (res.patch.length === 0 ? [] : JSON.parse(res.patch.toString()) as Operation[]);

/** The object after the answer's patch, applied with rfc6902 as a webhook client would; every op must apply. */
function patched(obj: JsonObject, res: AdmitResponse__Output): JsonObject {
  const out = structuredClone(obj);
  const errors = applyPatch(out, opsOf(res));
  expect(errors.filter((e) => e !== null)).toEqual([]);
  return out;
}

const sidecar = sidecarContainer(DEFAULTS);

describe('sidecar-injector, called through the SDK harness', () => {
  let h: PluginHarness<'AdmissionPlugin'>;
  beforeAll(async () => { h = await testPlugin(plugin); });
  afterAll(() => h.close());

  it('gives an annotated nginx pod the native sidecar, the emptyDir and the mount, adding each absent array whole', async () => {
    const pod = nginxPod();
    const res = await h.call('Admit', createRequest(pod));
    expect(res.allowed).toBe(true);
    expect(opsOf(res)).toEqual([
      { op: 'add', path: '/spec/containers/0/volumeMounts', value: [MOUNT] },
      { op: 'add', path: '/spec/volumes', value: [VOLUME] },
      { op: 'add', path: '/spec/initContainers', value: [sidecar] },
      { op: 'add', path: '/metadata/annotations/sidecar.plugd.dev~1status', value: 'injected' },
    ]);
    const expected = structuredClone(pod) as { metadata: JsonObject; spec: JsonObject & { containers: JsonObject[] } };
    (expected.metadata.annotations as JsonObject)['sidecar.plugd.dev/status'] = 'injected';
    expected.spec.containers[0]!.volumeMounts = [MOUNT];
    expected.spec.volumes = [VOLUME];
    expected.spec.initContainers = [sidecar];
    expect(patched(pod, res)).toEqual(expected);
    expect(sidecar).toMatchObject({
      name: 'log-shipper', image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.10', restartPolicy: 'Always',
      args: ['-i', 'tail', '-p', 'path=/var/log/app/*.log', '-o', 'stdout'],
      volumeMounts: [{ ...MOUNT, readOnly: true }],
      resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
    });
  });

  it('appends to existing arrays with "-", puts the sidecar first among init containers, and mounts into init and app containers', async () => {
    const pod = podWithInit();
    const res = await h.call('Admit', createRequest(pod));
    expect(opsOf(res)).toEqual([
      { op: 'add', path: '/spec/initContainers/0/volumeMounts/-', value: MOUNT },
      { op: 'add', path: '/spec/containers/0/volumeMounts/-', value: MOUNT },
      { op: 'add', path: '/spec/containers/1/volumeMounts', value: [MOUNT] },
      { op: 'add', path: '/spec/volumes/-', value: VOLUME },
      { op: 'add', path: '/spec/initContainers/0', value: sidecar },
      { op: 'add', path: '/metadata/annotations/sidecar.plugd.dev~1status', value: 'injected' },
    ]);
    const out = patched(pod, res) as { spec: { initContainers: JsonObject[]; containers: JsonObject[]; volumes: JsonObject[] } };
    expect(out.spec.initContainers.map((c) => c.name)).toEqual(['log-shipper', 'migrate']);
    expect(out.spec.initContainers[1]!.volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/api', readOnly: true }, MOUNT]);
    expect(out.spec.containers[0]!.volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/api', readOnly: true }, { name: 'cache', mountPath: '/cache' }, MOUNT]);
    expect(out.spec.containers[1]!.volumeMounts).toEqual([MOUNT]);
    expect(out.spec.volumes).toEqual([{ name: 'config', configMap: { name: 'api-config' } }, { name: 'cache', emptyDir: { medium: 'Memory' } }, VOLUME]);
  });

  it.each([
    { name: 'the nginx pod', object: nginxPod() },
    { name: 'the pod with an init container', object: podWithInit() },
    { name: 'the nginx Deployment', object: nginxDeployment() },
  ])('adds nothing on a second pass over its own output ($name)', async ({ object }) => {
    const once = patched(object, await h.call('Admit', createRequest(object)));
    expect(once).not.toEqual(object);
    const again = await h.call('Admit', createRequest(once, 1));
    expect(again).toMatchObject({ allowed: true, warnings: [] });
    expect(again.patch.length).toBe(0);
  });

  it('reinvoked after a later plugin added a container, mounts the volume into that container only', async () => {
    const injected = patched(nginxPod(), await h.call('Admit', createRequest(nginxPod())));
    // What a later mutating plugin (say, a proxy injector) left behind.
    (injected.spec as { containers: JsonObject[] }).containers.push({ name: 'envoy', image: 'envoyproxy/envoy:v1.32.1' });
    const res = await h.call('Admit', createRequest(injected, 1));
    expect(opsOf(res)).toEqual([{ op: 'add', path: '/spec/containers/1/volumeMounts', value: [MOUNT] }]);
    expect((patched(injected, res).spec as { containers: JsonObject[] }).containers[1]).toEqual({ name: 'envoy', image: 'envoyproxy/envoy:v1.32.1', volumeMounts: [MOUNT] });
  });

  it.each<{ name: string; annotations: Record<string, string> | null; warnings: string[] }>([
    { name: 'no annotations at all', annotations: null, warnings: [] },
    { name: 'other annotations only', annotations: { 'kubectl.kubernetes.io/default-container': 'nginx' }, warnings: [] },
    { name: 'the annotation set to "false"', annotations: { 'sidecar.plugd.dev/inject': 'false' }, warnings: [] },
    { name: 'the annotation set to "yes"', annotations: { 'sidecar.plugd.dev/inject': 'yes' }, warnings: ['sidecar.plugd.dev/inject="yes" is neither "true" nor "false": no sidecar injected'] },
  ])('leaves a pod with $name unpatched', async ({ annotations, warnings }) => {
    const res = await h.call('Admit', createRequest(nginxPod(annotations)));
    expect(res).toMatchObject({ allowed: true, warnings });
    expect(res.patch.length).toBe(0);
  });

  it('treats an emptyDir and a container already named as its own as injected, adding only what is missing', async () => {
    const pod = nginxPod();
    const spec = pod.spec as { containers: JsonObject[]; volumes?: JsonObject[] };
    spec.volumes = [{ name: 'plugd-logs', emptyDir: { sizeLimit: '1Gi' } }];
    spec.containers.push({ name: 'log-shipper', image: 'ghcr.io/acme/vector:0.43.0' });
    const res = await h.call('Admit', createRequest(pod));
    expect(opsOf(res)).toEqual([
      { op: 'add', path: '/spec/containers/0/volumeMounts', value: [MOUNT] },
      { op: 'add', path: '/spec/containers/1/volumeMounts', value: [{ ...MOUNT, readOnly: true }] },
      { op: 'add', path: '/metadata/annotations/sidecar.plugd.dev~1status', value: 'injected' },
    ]);
    const out = patched(pod, res) as { spec: { containers: JsonObject[]; volumes: JsonObject[] } };
    expect(out.spec.volumes).toEqual([{ name: 'plugd-logs', emptyDir: { sizeLimit: '1Gi' } }]);
    expect(out.spec.containers.map((c) => c.image)).toEqual(['nginx:1.27.3', 'ghcr.io/acme/vector:0.43.0']);
  });

  it('denies, naming the field, rather than clobber a same-named volume or stack two mounts on one path', async () => {
    const pod = podWithInit();
    const spec = pod.spec as { containers: JsonObject[]; volumes: JsonObject[] };
    spec.volumes.push({ name: 'plugd-logs', hostPath: { path: '/var/log', type: 'Directory' } });
    spec.containers[1]!.volumeMounts = [{ name: 'cache', mountPath: '/var/log/app' }];
    const res = await h.call('Admit', createRequest(pod));
    expect(res.allowed).toBe(false);
    expect(res.patch.length).toBe(0);
    expect(res.status).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(res.status!.message).toBe(
      'sidecar.plugd.dev/inject: cannot inject the log-shipper sidecar: spec.containers[1] ("metrics") already mounts volume "cache" at /var/log/app; '
      + 'spec.volumes[2] ("plugd-logs") is a hostPath volume, not the emptyDir the sidecar shares. Rename the conflicting volume or mount, or remove the annotation');
  });

  it('injects into the pod template of a Deployment, and of a CronJob, when the host routes them to it', async () => {
    const deploy = nginxDeployment();
    const res = await h.call('Admit', createRequest(deploy));
    expect(opsOf(res).map((o) => o.path)).toEqual([
      '/spec/template/spec/containers/0/volumeMounts', '/spec/template/spec/volumes', '/spec/template/spec/initContainers',
      '/spec/template/metadata/annotations/sidecar.plugd.dev~1status',
    ]);
    const tpl = (patched(deploy, res).spec as { template: { metadata: JsonObject; spec: JsonObject } }).template;
    expect(tpl.spec.initContainers).toEqual([sidecar]);
    expect(tpl.metadata.annotations).toEqual({ ...INJECT, 'sidecar.plugd.dev/status': 'injected' });
    expect((patched(deploy, res).metadata as JsonObject).annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });

    const cron: JsonObject = {
      kind: 'CronJob', apiVersion: 'batch/v1', metadata: { name: 'report', namespace: 'shop' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { metadata: { annotations: { ...INJECT } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'report', image: 'ghcr.io/acme/report:1.4.0' }] } } } } },
    };
    const out = patched(cron, await h.call('Admit', createRequest(cron)));
    const jobPod = ((out.spec as JsonObject).jobTemplate as { spec: { template: { spec: JsonObject } } }).spec.template.spec;
    expect(jobPod.initContainers).toEqual([sidecar]);
    expect(jobPod.containers).toEqual([{ name: 'report', image: 'ghcr.io/acme/report:1.4.0', volumeMounts: [MOUNT] }]);
  });

  it('asks for pod CREATEs as a mutating plugin that is reinvoked if needed, has no side effects and fails open', async () => {
    expect(await h.capabilities()).toMatchObject({
      implemented: ['Admit'], kind: 'MUTATING', reinvocationPolicy: 'IF_NEEDED', sideEffects: 'NONE', failurePolicy: 'IGNORE', timeoutMs: 2000,
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }],
    });
  });
});

describe('sidecar-injector configuration', () => {
  it('takes image, resources, names, mount path and mode from the environment', async () => {
    const config = configFromEnv({
      PLUGD_SIDECAR_IMAGE: 'timberio/vector:0.43.0-distroless-libc',
      PLUGD_SIDECAR_RESOURCES: '{"requests":{"cpu":"50m","memory":"64Mi"},"limits":{"cpu":"200m","memory":"128Mi"}}',
      PLUGD_SIDECAR_CONTAINER_NAME: 'vector',
      PLUGD_SIDECAR_VOLUME_NAME: 'shared-logs',
      PLUGD_SIDECAR_MOUNT_PATH: '/logs',
      PLUGD_SIDECAR_MODE: 'container',
    });
    const h = await testPlugin(sidecarInjector(config));
    try {
      const pod = nginxPod();
      const out = patched(pod, await h.call('Admit', createRequest(pod))) as { spec: { containers: JsonObject[]; volumes: JsonObject[]; initContainers?: unknown } };
      expect(out.spec.initContainers).toBeUndefined();
      expect(out.spec.volumes).toEqual([{ name: 'shared-logs', emptyDir: {} }]);
      expect(out.spec.containers[0]!.volumeMounts).toEqual([{ name: 'shared-logs', mountPath: '/logs' }]);
      expect(out.spec.containers[1]).toEqual({
        name: 'vector', image: 'timberio/vector:0.43.0-distroless-libc', args: ['-i', 'tail', '-p', 'path=/logs/*.log', '-o', 'stdout'],
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
        volumeMounts: [{ name: 'shared-logs', mountPath: '/logs', readOnly: true }],
        securityContext: sidecar.securityContext,
      });
    } finally {
      await h.close();
    }
  });

  it.each([
    { env: { PLUGD_SIDECAR_RESOURCES: '{"requests":' }, error: /PLUGD_SIDECAR_RESOURCES=.*not JSON/ },
    { env: { PLUGD_SIDECAR_RESOURCES: '{"requests":{"cpu":1}}' }, error: /PLUGD_SIDECAR_RESOURCES=.*quantities as strings/ },
    { env: { PLUGD_SIDECAR_ARGS: '"--help"' }, error: /PLUGD_SIDECAR_ARGS=.*JSON array of strings/ },
    { env: { PLUGD_SIDECAR_CONTAINER_NAME: 'Log_Shipper' }, error: /PLUGD_SIDECAR_CONTAINER_NAME="Log_Shipper": must be a DNS-1123 label/ },
    { env: { PLUGD_SIDECAR_MOUNT_PATH: 'logs' }, error: /PLUGD_SIDECAR_MOUNT_PATH="logs": must be an absolute path/ },
    { env: { PLUGD_SIDECAR_MODE: 'sidecar' }, error: /PLUGD_SIDECAR_MODE="sidecar": must be "native" or "container"/ },
  ])('refuses $env with a message naming the variable', ({ env, error }) => {
    expect(() => configFromEnv(env)).toThrow(error);
  });

  it('escapes "~" and "/" in a JSON Pointer token as RFC 6901 says', () => {
    expect(escapeToken('sidecar.plugd.dev/status')).toBe('sidecar.plugd.dev~1status');
    expect(escapeToken('a~/b')).toBe('a~0~1b');
  });
});

describe('sidecar-injector sample, as a process behind the host', () => {
  afterEach(cleanup);

  it('registers as a mutating plugin and injects the image its environment names', async () => {
    const { host, socketDir } = await startHost();
    spawnNode(CLI, ['serve', 'sample-plugins/sidecar-injector', '--socket-dir', socketDir], { PLUGD_SIDECAR_IMAGE: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9' });
    const status = await host.waitForPlugin('sidecar-injector', 15_000);
    expect(status).toMatchObject({ type: 'AdmissionPlugin', version: 'v1', state: 'active', healthy: true });
    expect(status.capabilities).toMatchObject({ kind: 'MUTATING', reinvocationPolicy: 'IF_NEEDED', failurePolicy: 'IGNORE' });

    const pod = nginxPod();
    const res = await host.invoke<AdmitResponse__Output>('sidecar-injector', 'Admit', createRequest(pod));
    const out = patched(pod, res) as { spec: { initContainers: JsonObject[] } };
    expect(out.spec.initContainers.map((c) => [c.name, c.image])).toEqual([['log-shipper', 'cr.fluentbit.io/fluent/fluent-bit:3.1.9']]);
    const again = await host.invoke<AdmitResponse__Output>('sidecar-injector', 'Admit', createRequest(out, 1));
    expect(again.patch.length).toBe(0);
  });

  it('exits at start with the variable named when its configuration is bad', async () => {
    const p = spawnNode(CLI, ['serve', 'sample-plugins/sidecar-injector', '--socket-dir', tempDir()], { PLUGD_SIDECAR_MODE: 'sidecar' });
    const { code } = await p.exited;
    expect(code).not.toBe(0);
    expect(p.output.join('')).toContain('PLUGD_SIDECAR_MODE="sidecar": must be "native" or "container"');
  });
});
