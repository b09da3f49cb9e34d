/*
 * Upstream's own Pod Security tables, ported. Sources, all under
 * kubernetes/kubernetes/staging/src/k8s.io/pod-security-admission/:
 *   policy/check_{privileged,capabilities_baseline,hostPathVolumes,procMount_baseline,
 *   seccompProfile_baseline,windowsHostProcess,sysctls}_test.go  — reason and detail per check;
 *   policy/registry.go (populate)                                — checks run in sorted-ID order;
 *   test/fixtures_{hostPorts,sysctls,ulimits,capabilities_baseline}.go and
 *   test/testdata/baseline/v1.3x/{pass,fail}/*.yaml              — whole pods that pass or fail.
 * Cases whose upstream table already lives in index.test.ts (hostNamespaces, hostPorts,
 * seLinuxOptions, appArmorProfile, hostProbesAndHostLifecycle) are not repeated here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPlugin, type PluginHarness } from '../../sdk/testing.js';
import type { AdmitRequest } from '../../proto/gen/plugd/admission/v1/AdmitRequest.js';
import { checkBaseline, type JsonObject, type PodView } from './baseline.js';
import plugin, { admit, configFromEnv } from './index.js';

const view = (spec: JsonObject, metadata: JsonObject = {}): PodView => ({ metadata, spec, paths: { metadata: 'metadata', spec: 'spec' } });
const sc = (securityContext: JsonObject | null) => (name: string): JsonObject => (securityContext === null ? { name } : { name, securityContext });

interface CheckCase {
  check: string;
  name: string;
  spec: JsonObject;
  metadata?: JsonObject;
  /** Absent: the check passes. */
  expect?: { reason: string; detail: string };
}

const CHECK_CASES: CheckCase[] = [
  {
    check: 'privileged', name: 'privileged',
    spec: { containers: [sc(null)('a'), sc({})('b'), sc({ privileged: false })('c'), sc({ privileged: true })('d'), sc({ privileged: true })('e')] },
    expect: { reason: 'privileged', detail: 'containers "d", "e" must not set securityContext.privileged=true' },
  },
  {
    check: 'capabilities_baseline', name: 'multiple containers',
    spec: { containers: [sc({ capabilities: { add: ['FOO', 'BAR'] } })('a'), sc({ capabilities: { add: ['BAR', 'BAZ'] } })('b')] },
    expect: { reason: 'non-default capabilities', detail: 'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add' },
  },
  {
    check: 'hostPathVolumes', name: 'host path volumes',
    spec: { containers: [], volumes: [{ name: 'a', hostPath: {} }, { name: 'b', hostPath: {} }, { name: 'c', emptyDir: {} }] },
    expect: { reason: 'hostPath volumes', detail: 'volumes "a", "b"' },
  },
  {
    check: 'procMount', name: 'procMount',
    spec: { hostUsers: true, containers: [sc(null)('a'), sc({})('b'), sc({ procMount: 'Default' })('c'), sc({ procMount: 'Unmasked' })('d'), sc({ procMount: 'other' })('e')] },
    expect: { reason: 'procMount', detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"' },
  },
  {
    check: 'procMount', name: 'procMount with userns',
    spec: { hostUsers: false, containers: [sc({ procMount: 'Unmasked' })('d'), sc({ procMount: 'other' })('e')] },
  },
  {
    check: 'seccompProfile_baseline', name: 'pod seccomp invalid',
    spec: { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [sc(null)('a')] },
    expect: { reason: 'seccompProfile', detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"' },
  },
  {
    check: 'seccompProfile_baseline', name: 'containers seccomp invalid',
    spec: {
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [sc(null)('a'), sc({})('b'), sc({ seccompProfile: { type: 'Unconfined' } })('c'), sc({ seccompProfile: { type: 'Unconfined' } })('d'),
        sc({ seccompProfile: { type: 'RuntimeDefault' } })('e'), sc({ seccompProfile: { type: 'RuntimeDefault' } })('f')],
    },
    expect: { reason: 'seccompProfile', detail: 'containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"' },
  },
  {
    check: 'seccompProfile_baseline', name: 'pod and containers seccomp invalid',
    spec: { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [sc({ seccompProfile: { type: 'Unconfined' } })('c'), sc({ seccompProfile: { type: 'Unconfined' } })('d')] },
    expect: { reason: 'seccompProfile', detail: 'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"' },
  },
  {
    // The annotation table is seccompProfileBaselineV1Dot0's: from v1.19 on (so at latest) only the fields count.
    check: 'seccompProfile_baseline', name: 'pod and containers seccomp annotations (checked only before v1.19)',
    metadata: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/a': 'unconfined' } },
    spec: { containers: [sc(null)('a'), sc(null)('b')] },
  },
  {
    check: 'windowsHostProcess', name: 'host process',
    spec: {
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [sc(null)('a'), sc({})('b'), sc({ windowsOptions: {} })('c'), sc({ windowsOptions: { hostProcess: false } })('d'),
        sc({ windowsOptions: { hostProcess: true } })('e'), sc({ windowsOptions: { hostProcess: true } })('f')],
    },
    expect: { reason: 'hostProcess', detail: 'pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true' },
  },
  {
    check: 'sysctls', name: 'forbidden sysctls',
    spec: { securityContext: { sysctls: [{ name: 'a' }, { name: 'b' }] }, containers: [] },
    expect: { reason: 'forbidden sysctls', detail: 'a, b' },
  },
  ...['net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'].map((name) => ({
    check: 'sysctls', name: `${name} (allowed at latest)`, spec: { securityContext: { sysctls: [{ name, value: '1' }] }, containers: [] },
  })),
  {
    check: 'ulimits', name: 'ulimits in an init container and a container (v1.37)',
    spec: { initContainers: [sc({ ulimits: { core: { soft: 1, hard: 1 } } })('i')], containers: [sc({})('a'), sc({ ulimits: { nofile: { soft: 1024, hard: 2048 } } })('b')] },
    expect: { reason: 'ulimits', detail: 'containers "i", "b" must not set securityContext.ulimits' },
  },
];

describe('baseline checks against upstream check_*_test.go tables', () => {
  it.each(CHECK_CASES)('$check: $name', ({ check, spec, metadata, expect: want }) => {
    const got = checkBaseline(view(spec, metadata)).find((v) => v.check === check);
    if (!want) {
      expect(got).toBeUndefined();
      return;
    }
    expect(got).toMatchObject({ reason: want.reason, detail: want.detail });
  });

  it('runs the checks in sorted check-ID order, as registry.go populate does', () => {
    const all = checkBaseline(view({
      hostNetwork: true, hostUsers: true,
      securityContext: { seccompProfile: { type: 'Unconfined' }, sysctls: [{ name: 'kernel.msgmax' }], seLinuxOptions: { user: 'u' }, appArmorProfile: { type: 'Unconfined' }, windowsOptions: { hostProcess: true } },
      containers: [{
        name: 'c', ports: [{ containerPort: 80, hostPort: 80 }], livenessProbe: { httpGet: { host: 'evil', port: 80 } },
        securityContext: { privileged: true, procMount: 'Unmasked', capabilities: { add: ['SYS_ADMIN'] }, ulimits: { nofile: { soft: 1, hard: 1 } } },
      }],
      volumes: [{ name: 'h', hostPath: { path: '/' } }],
    }));
    const ids = all.map((v) => v.check);
    expect(ids).toEqual([
      'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'hostProbesAndHostLifecycle',
      'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'ulimits', 'windowsHostProcess',
    ]);
    // Go's sort.Slice on strings is byte order, the same as JS's default sort for these ASCII IDs.
    expect([...ids].sort()).toEqual(ids);
  });
});

// test/fixtures.go's minimal valid pod: one container and one init container running pause.
const fixture = (name: string, edit: (spec: { containers: JsonObject[]; initContainers: JsonObject[] } & JsonObject) => void = () => {}): JsonObject => {
  const spec = { containers: [{ name: 'container1', image: 'registry.k8s.io/pause' }], initContainers: [{ name: 'initcontainer1', image: 'registry.k8s.io/pause' }] } as { containers: JsonObject[]; initContainers: JsonObject[] } & JsonObject;
  edit(spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec };
};

/** Fixtures as upstream's generator writes them; `fail` is upstream's expectErrorSubstring. */
const FIXTURES: Array<{ pod: JsonObject; fail?: string }> = [
  { pod: fixture('base') },
  { pod: fixture('hostports0', (s) => { s.containers[0]!.ports = [{ containerPort: 12345 }]; s.initContainers[0]!.ports = [{ containerPort: 12346 }]; }) },
  { pod: fixture('hostports1', (s) => { s.containers[0]!.ports = [{ containerPort: 12345, hostPort: 12345 }]; }), fail: 'hostPort' },
  { pod: fixture('hostports2', (s) => { s.initContainers[0]!.ports = [{ containerPort: 12346, hostPort: 12346 }]; }), fail: 'hostPort' },
  { pod: fixture('sysctls0', (s) => { s.securityContext = { sysctls: [{ name: 'othersysctl', value: 'other' }] }; }), fail: 'forbidden sysctl' },
  { pod: fixture('sysctls1-v1.34', (s) => { s.securityContext = { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }, { name: 'net.ipv4.tcp_wmem', value: '4096 65536 16777216' }] }; }) },
  { pod: fixture('sysctls1-v1.37', (s) => { s.securityContext = { sysctls: [{ name: 'net.ipv4.tcp_slow_start_after_idle', value: '0' }, { name: 'net.ipv4.tcp_notsent_lowat', value: '16384' }] }; }) },
  { pod: fixture('capabilities_baseline0', (s) => { s.containers[0]!.securityContext = { capabilities: { add: ['NET_RAW'] } }; s.initContainers[0]!.securityContext = { capabilities: {} }; }), fail: 'non-default capabilities' },
  { pod: fixture('capabilities_baseline3', (s) => { s.containers[0]!.securityContext = { capabilities: { add: ['CAP_CHOWN'] } }; }), fail: 'non-default capabilities' },
  { pod: fixture('ulimits0', (s) => { s.containers[0]!.securityContext = { ulimits: { nofile: { hard: 2048, soft: 1024 } } }; s.securityContext = {}; }), fail: 'ulimits' },
  { pod: fixture('ulimits1', (s) => { s.initContainers[0]!.securityContext = { ulimits: { core: { hard: 1, soft: 1 } } }; s.securityContext = {}; }), fail: 'ulimits' },
];

const request = (pod: JsonObject): AdmitRequest => ({
  uid: 'u', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, subResource: '',
  name: String((pod.metadata as JsonObject).name), namespace: 'fixtures', operation: 'CREATE', userInfo: { username: 'tester' },
  object: Buffer.from(JSON.stringify(pod)),
});

describe('upstream test/testdata baseline fixtures, through admit()', () => {
  const config = configFromEnv({});
  it.each(FIXTURES.map((f) => ({ ...f, name: String((f.pod.metadata as JsonObject).name) })))('$name', ({ pod, fail }) => {
    // admit() takes the decoded request shape; the proto's defaults fill what the harness would.
    const res = admit(request(pod) as Parameters<typeof admit>[0], config);
    if (!fail) {
      expect(res).toEqual({ allowed: true });
      return;
    }
    expect(res.allowed).toBe(false);
    expect(res.status?.code).toBe(403);
    expect(res.status?.message).toMatch(/^violates PodSecurity "baseline:latest": /);
    expect(res.status?.message).toContain(fail);
  });
});

describe('a ulimits fixture end to end through the SDK harness', () => {
  let h: PluginHarness<'AdmissionPlugin'>;
  beforeAll(async () => { h = await testPlugin(plugin); });
  afterAll(() => h.close());

  it('denies it with upstream\'s whole message', async () => {
    const res = await h.call('Admit', request(FIXTURES.find((f) => (f.pod.metadata as JsonObject).name === 'ulimits0')!.pod));
    expect(res).toMatchObject({
      allowed: false,
      status: {
        code: 403, reason: 'Forbidden',
        message: 'violates PodSecurity "baseline:latest": ulimits (container "container1" must not set securityContext.ulimits); '
          + 'forbidden fields: spec.containers[0].securityContext.ulimits={"nofile":{"hard":2048,"soft":1024}}',
      },
    });
  });
});
