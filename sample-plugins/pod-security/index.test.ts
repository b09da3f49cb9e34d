import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdmitRequest } from '../../proto/gen/plugd/admission/v1/AdmitRequest.js';
import type { AdmitResponse__Output } from '../../proto/gen/plugd/admission/v1/AdmitResponse.js';
import { testPlugin, type PluginHarness } from '../../sdk/testing.js';
import { CLI, cleanup, spawnNode, startHost } from '../../test/helpers.js';
import type { JsonObject } from './baseline.js';
import plugin, { configFromEnv, podSecurity } from './index.js';

const PREFIX = 'violates PodSecurity "baseline:latest": ';

// A pod as kube-apiserver sends it on CREATE (after defaulting): one nginx container.
const nginxPod = (): JsonObject => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name: 'web', namespace: 'shop', creationTimestamp: null, labels: { app: 'web' } },
  spec: {
    containers: [{
      name: 'nginx', image: 'nginx:1.27.3', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {},
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
    }],
    restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: 'default',
    securityContext: {}, schedulerName: 'default-scheduler', enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
  },
  status: {},
});

type PodSpec = { containers: JsonObject[]; initContainers?: JsonObject[]; securityContext: JsonObject; volumes?: JsonObject[] } & JsonObject;
type Pod = { metadata: JsonObject & { annotations?: Record<string, string> }; spec: PodSpec };

/** nginxPod() changed by `edit`. */
function pod(edit: (p: Pod) => void): JsonObject {
  const p = nginxPod();
  edit(p as unknown as Pod);
  return p;
}
const nginx = (p: Pod): JsonObject => p.spec.containers[0]!;
const withContainers = (p: Pod, ...cs: JsonObject[]): void => { p.spec.containers = cs.map((c) => ({ image: 'nginx:1.27.3', ...c })); };

const GVR: Record<string, { group: string; resource: string }> = {
  Pod: { group: '', resource: 'pods' },
  PodTemplate: { group: '', resource: 'podtemplates' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
  Deployment: { group: 'apps', resource: 'deployments' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
};

interface RequestOptions {
  operation?: string;
  oldObject?: JsonObject;
  subResource?: string;
  username?: string;
  namespace?: string;
}

function request(obj: JsonObject, o: RequestOptions = {}): AdmitRequest {
  const { group, resource } = GVR[String(obj.kind)]!;
  const kind = { group, version: 'v1', kind: String(obj.kind) };
  const res = { group, version: 'v1', resource };
  return {
    uid: '3c1a9e0b-2f4d-4b6a-9d8e-7f6a5b4c3d2e',
    kind, resource: res, requestKind: kind, requestResource: res, subResource: o.subResource ?? '', requestSubResource: o.subResource ?? '',
    name: String((obj.metadata as JsonObject).name ?? ''), namespace: o.namespace ?? 'shop', operation: o.operation ?? 'CREATE',
    userInfo: { username: o.username ?? 'alice@example.com', groups: ['developers', 'system:authenticated'] },
    object: Buffer.from(JSON.stringify(obj)),
    ...(o.oldObject ? { oldObject: Buffer.from(JSON.stringify(o.oldObject)) } : {}),
    options: Buffer.from(`{"kind":"${o.operation === 'UPDATE' ? 'Update' : 'Create'}Options","apiVersion":"meta.k8s.io/v1"}`),
  };
}

/** The deny message for violations given as [reason, detail] pairs and their fields. */
const message = (violations: Array<[string, string]>, fields: string[]): string =>
  `${PREFIX}${violations.map(([r, d]) => `${r} (${d})`).join(', ')}; forbidden fields: ${fields.join(', ')}`;

function expectDenied(res: AdmitResponse__Output, text: string): void {
  expect(res.allowed).toBe(false);
  expect(res.status).toEqual({ code: 403, reason: 'Forbidden', message: text });
  expect(res.patch.length).toBe(0);
}

interface Case {
  control: string;
  name: string;
  object: JsonObject;
  /** Absent: allowed. Else upstream's reason and detail, and the fields the message names. */
  deny?: { reason: string; detail: string; fields: string[] };
}

/*
 * One passing and at least one failing case per baseline control. The failing cases and their
 * expected details come from upstream's tables where upstream has one (kubernetes/kubernetes,
 * staging/src/k8s.io/pod-security-admission/policy/check_<control>_test.go: hostNamespaces,
 * hostPorts, seLinuxOptions, appArmorProfile, hostProbesAndhostLifecycle, sysctls), with
 * container names kept, so a divergence from upstream's wording shows here.
 */
const CASES: Case[] = [
  {
    control: 'HostProcess', name: 'hostProcess false on pod and container',
    object: pod((p) => { p.spec.securityContext.windowsOptions = { hostProcess: false }; nginx(p).securityContext = { windowsOptions: { hostProcess: false } }; }),
  },
  {
    control: 'HostProcess', name: 'hostProcess true on pod and container',
    object: pod((p) => { p.spec.securityContext.windowsOptions = { hostProcess: true }; nginx(p).securityContext = { windowsOptions: { hostProcess: true } }; }),
    deny: {
      reason: 'hostProcess', detail: 'pod and container "nginx" must not set securityContext.windowsOptions.hostProcess=true',
      fields: ['spec.securityContext.windowsOptions.hostProcess=true', 'spec.containers[0].securityContext.windowsOptions.hostProcess=true'],
    },
  },
  {
    control: 'Host namespaces', name: 'hostNetwork, hostPID and hostIPC false',
    object: pod((p) => Object.assign(p.spec, { hostNetwork: false, hostPID: false, hostIPC: false })),
  },
  {
    control: 'Host namespaces', name: 'multiple host namespaces (upstream table)',
    object: pod((p) => Object.assign(p.spec, { hostNetwork: true, hostIPC: true, hostPID: true })),
    deny: { reason: 'host namespaces', detail: 'hostNetwork=true, hostPID=true, hostIPC=true', fields: ['spec.hostNetwork=true', 'spec.hostPID=true', 'spec.hostIPC=true'] },
  },
  {
    control: 'Privileged', name: 'privileged false',
    object: pod((p) => { nginx(p).securityContext = { privileged: false }; }),
  },
  {
    control: 'Privileged', name: 'a privileged init container and container',
    object: pod((p) => { p.spec.initContainers = [{ name: 'init', image: 'busybox:1.37', securityContext: { privileged: true } }]; nginx(p).securityContext = { privileged: true }; }),
    deny: {
      reason: 'privileged', detail: 'containers "init", "nginx" must not set securityContext.privileged=true',
      fields: ['spec.initContainers[0].securityContext.privileged=true', 'spec.containers[0].securityContext.privileged=true'],
    },
  },
  {
    control: 'Capabilities', name: 'every capability of the baseline list, and drop ALL',
    object: pod((p) => {
      nginx(p).securityContext = { capabilities: { drop: ['ALL'], add: ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'] } };
    }),
  },
  {
    control: 'Capabilities', name: 'NET_ADMIN and SYS_TIME beside CHOWN',
    object: pod((p) => { nginx(p).securityContext = { capabilities: { add: ['NET_ADMIN', 'CHOWN', 'SYS_TIME'] } }; }),
    deny: {
      reason: 'non-default capabilities', detail: 'container "nginx" must not include "NET_ADMIN", "SYS_TIME" in securityContext.capabilities.add',
      fields: ['spec.containers[0].securityContext.capabilities.add[0]=NET_ADMIN', 'spec.containers[0].securityContext.capabilities.add[2]=SYS_TIME'],
    },
  },
  {
    control: 'Capabilities', name: 'NET_RAW (a runtime default, left out of baseline)',
    object: pod((p) => { nginx(p).securityContext = { capabilities: { add: ['NET_RAW'] } }; }),
    deny: { reason: 'non-default capabilities', detail: 'container "nginx" must not include "NET_RAW" in securityContext.capabilities.add', fields: ['spec.containers[0].securityContext.capabilities.add[0]=NET_RAW'] },
  },
  {
    control: 'HostPath volumes', name: 'emptyDir, configMap and persistentVolumeClaim volumes',
    object: pod((p) => { p.spec.volumes = [{ name: 'tmp', emptyDir: {} }, { name: 'conf', configMap: { name: 'web' } }, { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } }]; }),
  },
  {
    control: 'HostPath volumes', name: 'two hostPath volumes',
    object: pod((p) => {
      p.spec.volumes = [{ name: 'tmp', emptyDir: {} }, { name: 'docker-sock', hostPath: { path: '/var/run/docker.sock', type: 'Socket' } }, { name: 'varlog', hostPath: { path: '/var/log' } }];
    }),
    deny: { reason: 'hostPath volumes', detail: 'volumes "docker-sock", "varlog"', fields: ['spec.volumes[1].hostPath.path=/var/run/docker.sock', 'spec.volumes[2].hostPath.path=/var/log'] },
  },
  {
    control: 'Host ports', name: 'hostPort 0 and unset',
    object: pod((p) => { nginx(p).ports = [{ containerPort: 80, hostPort: 0 }, { containerPort: 443 }]; }),
  },
  {
    control: 'Host ports', name: 'multiple containers, multiple host ports (upstream table)',
    object: pod((p) => withContainers(p,
      { name: 'a', ports: [{ containerPort: 1, hostPort: 0 }] },
      { name: 'b', ports: [{ containerPort: 1, hostPort: 0 }, { containerPort: 2, hostPort: 10 }, { containerPort: 3, hostPort: 20 }] },
      { name: 'c', ports: [{ containerPort: 1, hostPort: 0 }, { containerPort: 2, hostPort: 10 }, { containerPort: 3, hostPort: 30 }] })),
    deny: {
      reason: 'hostPort', detail: 'containers "b", "c" use hostPorts 10, 20, 30',
      fields: ['spec.containers[1].ports[1].hostPort=10', 'spec.containers[1].ports[2].hostPort=20', 'spec.containers[2].ports[1].hostPort=10', 'spec.containers[2].ports[2].hostPort=30'],
    },
  },
  {
    control: 'AppArmor', name: 'RuntimeDefault and Localhost fields, runtime/default, localhost/ and empty annotations',
    object: pod((p) => {
      p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/nginx': 'runtime/default', 'container.apparmor.security.beta.kubernetes.io/b': 'localhost/sec-profile01', 'container.apparmor.security.beta.kubernetes.io/c': '', env: 'prod' };
      p.spec.securityContext.appArmorProfile = { type: 'RuntimeDefault' };
      nginx(p).securityContext = { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-nginx' } };
    }),
  },
  {
    control: 'AppArmor', name: 'Unconfined on pod and container',
    object: pod((p) => { p.spec.securityContext.appArmorProfile = { type: 'Unconfined' }; nginx(p).securityContext = { appArmorProfile: { type: 'Unconfined' } }; }),
    deny: {
      reason: 'forbidden AppArmor profile', detail: 'pod and container "nginx" must not set AppArmor profile type to "Unconfined"',
      fields: ['spec.securityContext.appArmorProfile.type=Unconfined', 'spec.containers[0].securityContext.appArmorProfile.type=Unconfined'],
    },
  },
  {
    control: 'AppArmor', name: 'bogus, unconfined and unknown annotations (upstream table)',
    object: pod((p) => {
      p.metadata.annotations = {
        'container.apparmor.security.beta.kubernetes.io/': 'bogus', 'container.apparmor.security.beta.kubernetes.io/a': '',
        'container.apparmor.security.beta.kubernetes.io/b': 'runtime/default', 'container.apparmor.security.beta.kubernetes.io/c': 'localhost/',
        'container.apparmor.security.beta.kubernetes.io/d': 'localhost/foo', 'container.apparmor.security.beta.kubernetes.io/e': 'unconfined',
        'container.apparmor.security.beta.kubernetes.io/f': 'unknown',
      };
    }),
    deny: {
      reason: 'forbidden AppArmor profiles',
      detail: 'annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/="bogus"", '
        + '"container.apparmor.security.beta.kubernetes.io/e="unconfined"", "container.apparmor.security.beta.kubernetes.io/f="unknown""',
      fields: [
        'metadata.annotations[container.apparmor.security.beta.kubernetes.io/]=bogus',
        'metadata.annotations[container.apparmor.security.beta.kubernetes.io/e]=unconfined',
        'metadata.annotations[container.apparmor.security.beta.kubernetes.io/f]=unknown',
      ],
    },
  },
  {
    control: 'SELinux', name: 'the four container types and a level',
    object: pod((p) => {
      p.spec.securityContext.seLinuxOptions = { level: 's0:c123,c456' };
      withContainers(p, ...['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'].map((type, i) => ({ name: `c${i}`, securityContext: { seLinuxOptions: { type } } })));
    }),
  },
  {
    control: 'SELinux', name: 'invalid pod and containers (upstream table)',
    object: pod((p) => {
      p.spec.securityContext.seLinuxOptions = { type: 'foo', user: 'bar', role: 'baz' };
      withContainers(p,
        { name: 'a', securityContext: { seLinuxOptions: { type: 'container_t' } } }, { name: 'b', securityContext: { seLinuxOptions: { type: 'container_init_t' } } },
        { name: 'c', securityContext: { seLinuxOptions: { type: 'container_kvm_t' } } }, { name: 'd', securityContext: { seLinuxOptions: { type: 'container_engine_t' } } },
        { name: 'e', securityContext: { seLinuxOptions: { type: 'bar' } } }, { name: 'f', securityContext: { seLinuxOptions: { user: 'bar' } } },
        { name: 'g', securityContext: { seLinuxOptions: { role: 'baz' } } });
    }),
    deny: {
      reason: 'seLinuxOptions', detail: 'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
      fields: [
        'spec.securityContext.seLinuxOptions.type=foo', 'spec.securityContext.seLinuxOptions.user=bar', 'spec.securityContext.seLinuxOptions.role=baz',
        'spec.containers[4].securityContext.seLinuxOptions.type=bar', 'spec.containers[5].securityContext.seLinuxOptions.user=bar', 'spec.containers[6].securityContext.seLinuxOptions.role=baz',
      ],
    },
  },
  {
    control: 'SELinux', name: 'bad user only (upstream table)',
    object: pod((p) => { p.spec.securityContext.seLinuxOptions = { user: 'bad' }; }),
    deny: { reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: user may not be set', fields: ['spec.securityContext.seLinuxOptions.user=bad'] },
  },
  {
    control: '/proc mount type', name: 'procMount Default',
    object: pod((p) => { nginx(p).securityContext = { procMount: 'Default' }; }),
  },
  {
    control: '/proc mount type', name: 'procMount Unmasked in a user namespace (hostUsers: false, policy v1.35)',
    object: pod((p) => { p.spec.hostUsers = false; nginx(p).securityContext = { procMount: 'Unmasked' }; }),
  },
  {
    control: '/proc mount type', name: 'procMount Unmasked',
    object: pod((p) => { nginx(p).securityContext = { procMount: 'Unmasked' }; }),
    deny: { reason: 'procMount', detail: 'container "nginx" must not set securityContext.procMount to "Unmasked"', fields: ['spec.containers[0].securityContext.procMount=Unmasked'] },
  },
  {
    control: 'Seccomp', name: 'RuntimeDefault on the pod, Localhost on the container',
    object: pod((p) => { p.spec.securityContext.seccompProfile = { type: 'RuntimeDefault' }; nginx(p).securityContext = { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/nginx.json' } }; }),
  },
  {
    control: 'Seccomp', name: 'Unconfined on pod and container',
    object: pod((p) => { p.spec.securityContext.seccompProfile = { type: 'Unconfined' }; nginx(p).securityContext = { seccompProfile: { type: 'Unconfined' } }; }),
    deny: {
      reason: 'seccompProfile', detail: 'pod and container "nginx" must not set securityContext.seccompProfile.type to "Unconfined"',
      fields: ['spec.securityContext.seccompProfile.type=Unconfined', 'spec.containers[0].securityContext.seccompProfile.type=Unconfined'],
    },
  },
  {
    control: 'Sysctls', name: 'every safe sysctl',
    object: pod((p) => {
      p.spec.securityContext.sysctls = [
        'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start',
        'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
        'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
      ].map((name) => ({ name, value: '1' }));
    }),
  },
  {
    control: 'Sysctls', name: 'kernel.msgmax and net.core.somaxconn beside a safe one',
    object: pod((p) => { p.spec.securityContext.sysctls = [{ name: 'kernel.shm_rmid_forced', value: '1' }, { name: 'kernel.msgmax', value: '65536' }, { name: 'net.core.somaxconn', value: '1024' }]; }),
    deny: { reason: 'forbidden sysctls', detail: 'kernel.msgmax, net.core.somaxconn', fields: ['spec.securityContext.sysctls[1].name=kernel.msgmax', 'spec.securityContext.sysctls[2].name=net.core.somaxconn'] },
  },
  {
    control: 'Host probes / lifecycle hooks', name: 'probes and hooks without a host',
    object: pod((p) => {
      nginx(p).livenessProbe = { httpGet: { path: '/healthz', port: 80, scheme: 'HTTP' }, periodSeconds: 10 };
      nginx(p).readinessProbe = { tcpSocket: { port: 80 } };
      nginx(p).lifecycle = { preStop: { exec: { command: ['nginx', '-s', 'quit'] } } };
    }),
  },
  {
    control: 'Host probes / lifecycle hooks', name: 'multiple containers with multiple invalid hosts (upstream table)',
    object: pod((p) => withContainers(p,
      { name: 'valid' },
      { name: 'invalid1', livenessProbe: { httpGet: { host: 'a.com', port: 80 } } },
      { name: 'invalid2', lifecycle: { preStop: { tcpSocket: { host: 'b.com', port: 80 } } }, startupProbe: { httpGet: { host: 'a.com', port: 80 } } })),
    deny: {
      reason: 'probe or lifecycle host', detail: 'containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com"',
      fields: ['spec.containers[1].livenessProbe.httpGet.host=a.com', 'spec.containers[2].startupProbe.httpGet.host=a.com', 'spec.containers[2].lifecycle.preStop.tcpSocket.host=b.com'],
    },
  },
];

describe('pod-security, called through the SDK harness', () => {
  let h: PluginHarness<'AdmissionPlugin'>;
  beforeAll(async () => { h = await testPlugin(plugin); });
  afterAll(() => h.close());

  it.each(CASES)('$control: $name', async ({ object, deny }) => {
    const res = await h.call('Admit', request(object));
    if (!deny) {
      expect(res).toMatchObject({ allowed: true, warnings: [] });
      return;
    }
    expectDenied(res, message([[deny.reason, deny.detail]], deny.fields));
  });

  it('lists every violation in one message, in upstream order, with every field', async () => {
    const object = pod((p) => {
      Object.assign(p.spec, { hostNetwork: true });
      nginx(p).securityContext = { privileged: true, capabilities: { add: ['SYS_ADMIN'] } };
      nginx(p).ports = [{ containerPort: 80, hostPort: 8080 }];
      p.spec.volumes = [{ name: 'root', hostPath: { path: '/' } }];
      p.spec.securityContext.sysctls = [{ name: 'kernel.sem', value: '250 32000 100 128' }];
    });
    // registry.go sorts the check IDs: capabilities_baseline, hostNamespaces, hostPathVolumes, hostPorts, privileged, sysctls.
    expectDenied(await h.call('Admit', request(object)), message([
      ['non-default capabilities', 'container "nginx" must not include "SYS_ADMIN" in securityContext.capabilities.add'],
      ['host namespaces', 'hostNetwork=true'],
      ['hostPath volumes', 'volume "root"'],
      ['hostPort', 'container "nginx" uses hostPort 8080'],
      ['privileged', 'container "nginx" must not set securityContext.privileged=true'],
      ['forbidden sysctls', 'kernel.sem'],
    ], [
      'spec.containers[0].securityContext.capabilities.add[0]=SYS_ADMIN', 'spec.hostNetwork=true', 'spec.volumes[0].hostPath.path=/',
      'spec.containers[0].ports[0].hostPort=8080', 'spec.containers[0].securityContext.privileged=true', 'spec.securityContext.sysctls[0].name=kernel.sem',
    ]));
  });

  it('admits a full nginx Deployment as kubectl sends it', async () => {
    const res = await h.call('Admit', request(nginxDeployment()));
    expect(res).toMatchObject({ allowed: true, warnings: [] });
  });

  it('denies a Deployment whose template breaks the profile, naming the fields under spec.template.spec', async () => {
    const d = nginxDeployment();
    const tpl = (d.spec as { template: { spec: PodSpec } }).template.spec;
    tpl.hostPID = true;
    tpl.containers[0]!.securityContext = { privileged: true };
    expectDenied(await h.call('Admit', request(d)), message(
      [['host namespaces', 'hostPID=true'], ['privileged', 'container "nginx" must not set securityContext.privileged=true']],
      ['spec.template.spec.hostPID=true', 'spec.template.spec.containers[0].securityContext.privileged=true'],
    ));
  });

  it.each([
    { kind: 'ReplicaSet', apiVersion: 'apps/v1', at: 'spec.template', wrap: (t: JsonObject): JsonObject => ({ selector: { matchLabels: { app: 'web' } }, template: t }) },
    { kind: 'StatefulSet', apiVersion: 'apps/v1', at: 'spec.template', wrap: (t: JsonObject): JsonObject => ({ serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template: t }) },
    { kind: 'DaemonSet', apiVersion: 'apps/v1', at: 'spec.template', wrap: (t: JsonObject): JsonObject => ({ selector: { matchLabels: { app: 'web' } }, template: t }) },
    { kind: 'ReplicationController', apiVersion: 'v1', at: 'spec.template', wrap: (t: JsonObject): JsonObject => ({ replicas: 1, selector: { app: 'web' }, template: t }) },
    { kind: 'Job', apiVersion: 'batch/v1', at: 'spec.template', wrap: (t: JsonObject): JsonObject => ({ backoffLimit: 4, template: t }) },
    { kind: 'CronJob', apiVersion: 'batch/v1', at: 'spec.jobTemplate.spec.template', wrap: (t: JsonObject): JsonObject => ({ schedule: '*/5 * * * *', jobTemplate: { spec: { template: t } } }) },
  ])('denies a $kind whose pod template mounts a hostPath, naming $at.spec.volumes[0]', async ({ kind, apiVersion, at, wrap }) => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'app', image: 'busybox:1.37' }], volumes: [{ name: 'host', hostPath: { path: '/etc' } }] } };
    const object = { kind, apiVersion, metadata: { name: 'web', namespace: 'shop' }, spec: wrap(template) };
    expectDenied(await h.call('Admit', request(object)), message([['hostPath volumes', 'volume "host"']], [`${at}.spec.volumes[0].hostPath.path=/etc`]));
  });

  it('checks a PodTemplate at template.spec', async () => {
    const object = { kind: 'PodTemplate', apiVersion: 'v1', metadata: { name: 't', namespace: 'shop' }, template: { spec: { containers: [{ name: 'a', image: 'busybox:1.37', securityContext: { privileged: true } }] } } };
    expectDenied(await h.call('Admit', request(object)), message([['privileged', 'container "a" must not set securityContext.privileged=true']], ['template.spec.containers[0].securityContext.privileged=true']));
  });

  it('lets a violating pod be relabelled (no image or ephemeral change), but re-checks an image change', async () => {
    const bad = pod((p) => { nginx(p).securityContext = { privileged: true }; });
    const relabelled = pod((p) => { nginx(p).securityContext = { privileged: true }; p.metadata.labels = { app: 'web', tier: 'frontend' }; });
    expect(await h.call('Admit', request(relabelled, { operation: 'UPDATE', oldObject: bad }))).toMatchObject({ allowed: true });
    const newImage = pod((p) => { nginx(p).securityContext = { privileged: true }; nginx(p).image = 'nginx:1.27.4'; });
    expectDenied(await h.call('Admit', request(newImage, { operation: 'UPDATE', oldObject: bad })),
      message([['privileged', 'container "nginx" must not set securityContext.privileged=true']], ['spec.containers[0].securityContext.privileged=true']));
  });

  it('checks an ephemeral container added through pods/ephemeralcontainers (kubectl debug)', async () => {
    const old = nginxPod();
    const debugged = pod((p) => { p.spec.ephemeralContainers = [{ name: 'debugger-x7k2p', image: 'busybox:1.37', targetContainerName: 'nginx', securityContext: { privileged: true, capabilities: { add: ['SYS_PTRACE'] } } }]; });
    expectDenied(await h.call('Admit', request(debugged, { operation: 'UPDATE', oldObject: old, subResource: 'ephemeralcontainers' })), message([
      ['non-default capabilities', 'container "debugger-x7k2p" must not include "SYS_PTRACE" in securityContext.capabilities.add'],
      ['privileged', 'container "debugger-x7k2p" must not set securityContext.privileged=true'],
    ], ['spec.ephemeralContainers[0].securityContext.capabilities.add[0]=SYS_PTRACE', 'spec.ephemeralContainers[0].securityContext.privileged=true']));
  });

  it('ignores pods/status updates, DELETE, and kinds without a pod template', async () => {
    const bad = pod((p) => { nginx(p).securityContext = { privileged: true }; });
    expect(await h.call('Admit', request(bad, { operation: 'UPDATE', oldObject: bad, subResource: 'status' }))).toMatchObject({ allowed: true });
    expect(await h.call('Admit', { ...request(bad, { operation: 'DELETE', oldObject: bad }), object: Buffer.alloc(0) })).toMatchObject({ allowed: true });
    const svc = { ...request(nginxPod()), kind: { group: '', version: 'v1', kind: 'Service' }, object: Buffer.from('{"kind":"Service","apiVersion":"v1","spec":{"ports":[{"port":80}]}}') };
    expect(await h.call('Admit', svc)).toMatchObject({ allowed: true });
  });

  it('answers 400 BadRequest for an object that is not JSON', async () => {
    const res = await h.call('Admit', { ...request(nginxPod()), object: Buffer.from('{"kind":"Pod",') });
    expect(res).toMatchObject({ allowed: false, status: { code: 400, reason: 'BadRequest', message: 'failed to decode pod: the object is not a JSON object' } });
    const unknowable = await h.call('Admit', { ...request(nginxPod()), kind: null, object: Buffer.from('[]') });
    expect(unknowable).toMatchObject({ allowed: false, status: { code: 400, reason: 'BadRequest', message: 'failed to decode object: no kind in the request and the object is not a JSON object with one' } });
  });

  it('falls back to the object\'s own kind when the request carries none', async () => {
    const bad = pod((p) => { nginx(p).securityContext = { privileged: true }; });
    expectDenied(await h.call('Admit', { ...request(bad), kind: null }),
      message([['privileged', 'container "nginx" must not set securityContext.privileged=true']], ['spec.containers[0].securityContext.privileged=true']));
  });

  it('asks, as a validating plugin that fails closed, for pods and every workload kind, outside kube-system', async () => {
    const caps = await h.capabilities();
    expect(caps).toMatchObject({ implemented: ['Admit'], kind: 'VALIDATING', failurePolicy: 'FAIL', sideEffects: 'NONE', timeoutMs: 3000 });
    expect(caps.rules).toEqual([expect.objectContaining({
      operations: ['CREATE', 'UPDATE'], apiGroups: ['', 'apps', 'batch'], apiVersions: ['v1'], scope: 'Namespaced',
      resources: ['pods', 'pods/ephemeralcontainers', 'podtemplates', 'replicationcontrollers', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs'],
    })]);
    expect(caps.namespaceSelector?.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'NOT_IN', values: ['kube-system'] }]);
  });
});

describe('pod-security configuration', () => {
  const privilegedPod = pod((p) => { nginx(p).securityContext = { privileged: true }; });

  it('exempts namespaces, users and runtime classes as upstream does, saying which in an audit annotation', async () => {
    const h = await testPlugin(podSecurity(configFromEnv({
      PLUGD_POD_SECURITY_EXEMPT_NAMESPACES: 'monitoring, ingress-nginx',
      PLUGD_POD_SECURITY_EXEMPT_USERNAMES: 'system:serviceaccount:ci:deployer',
      PLUGD_POD_SECURITY_EXEMPT_RUNTIME_CLASSES: 'kata',
    })));
    try {
      expect(await h.call('Admit', request(privilegedPod, { namespace: 'ingress-nginx' }))).toMatchObject({ allowed: true, auditAnnotations: { exempt: 'namespace' } });
      expect(await h.call('Admit', request(privilegedPod, { username: 'system:serviceaccount:ci:deployer' }))).toMatchObject({ allowed: true, auditAnnotations: { exempt: 'user' } });
      const kata = pod((p) => { nginx(p).securityContext = { privileged: true }; p.spec.runtimeClassName = 'kata'; });
      expect(await h.call('Admit', request(kata))).toMatchObject({ allowed: true, auditAnnotations: { exempt: 'runtimeClass' } });
      expect((await h.call('Admit', request(privilegedPod, { namespace: 'shop' }))).allowed).toBe(false);
    } finally {
      await h.close();
    }
  });

  it('with PLUGD_POD_SECURITY_WORKLOADS=warn admits a violating Deployment with upstream\'s warning, and still denies the pod', async () => {
    const h = await testPlugin(podSecurity(configFromEnv({ PLUGD_POD_SECURITY_WORKLOADS: 'warn' })));
    try {
      const d = nginxDeployment();
      (d.spec as { template: { spec: PodSpec } }).template.spec.containers[0]!.securityContext = { privileged: true };
      const warning = 'would violate PodSecurity "baseline:latest": privileged (container "nginx" must not set securityContext.privileged=true)';
      expect(await h.call('Admit', request(d))).toMatchObject({ allowed: true, warnings: [warning], auditAnnotations: { audit: warning } });
      expect((await h.call('Admit', request(privilegedPod))).allowed).toBe(false);
    } finally {
      await h.close();
    }
  });

  it('refuses an unknown workloads mode, naming the variable', () => {
    expect(() => configFromEnv({ PLUGD_POD_SECURITY_WORKLOADS: 'audit' })).toThrow('PLUGD_POD_SECURITY_WORKLOADS must be "deny" or "warn", got "audit"');
  });
});

describe('pod-security sample, as a process behind the host', () => {
  afterEach(cleanup);

  it('registers as a validating plugin, denies a privileged pod and honours its exemptions', async () => {
    const { host, socketDir } = await startHost();
    spawnNode(CLI, ['serve', 'sample-plugins/pod-security', '--socket-dir', socketDir], { PLUGD_POD_SECURITY_EXEMPT_NAMESPACES: 'monitoring' });
    const status = await host.waitForPlugin('pod-security', 15_000);
    expect(status).toMatchObject({ type: 'AdmissionPlugin', version: 'v1', state: 'active', healthy: true });
    expect(status.capabilities).toMatchObject({ kind: 'VALIDATING', failurePolicy: 'FAIL' });

    const bad = pod((p) => { nginx(p).securityContext = { privileged: true }; });
    const denied = await host.invoke<AdmitResponse__Output>('pod-security', 'Admit', request(bad));
    expectDenied(denied, message([['privileged', 'container "nginx" must not set securityContext.privileged=true']], ['spec.containers[0].securityContext.privileged=true']));
    expect(await host.invoke<AdmitResponse__Output>('pod-security', 'Admit', request(bad, { namespace: 'monitoring' }))).toMatchObject({ allowed: true });
    expect(await host.invoke<AdmitResponse__Output>('pod-security', 'Admit', request(nginxDeployment()))).toMatchObject({ allowed: true });
  });
});

// As `kubectl create deployment web --image=nginx:1.27.3 --replicas=3 --port=80` sends it, after defaulting.
function nginxDeployment(): JsonObject {
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name: 'web', namespace: 'shop', creationTimestamp: null, labels: { app: 'web' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'nginx', image: 'nginx:1.27.3', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {},
            terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
          }],
          restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  };
}
