import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdmitRequest } from '../../proto/gen/plugd/admission/v1/AdmitRequest.js';
import type { AdmitResponse__Output } from '../../proto/gen/plugd/admission/v1/AdmitResponse.js';
import { testPlugin, type PluginHarness } from '../../sdk/testing.js';
import { cleanup, servePluginProcess, startHost } from '../../test/helpers.js';
import plugin from './index.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
interface AddOp { op: 'add'; path: string; value: Json }

/**
 * RFC 6902 "add" (the only op this plugin emits) with RFC 6901 pointers: the parent must
 * exist, an existing member is replaced, "-" appends to an array. Throws on anything else,
 * as kube-apiserver would refuse the patch.
 */
function applyPatch(doc: JsonObject, patch: unknown): JsonObject {
  if (!Array.isArray(patch)) throw new Error('a JSONPatch is an array');
  const out = structuredClone(doc);
  for (const op of patch as AddOp[]) {
    if (op.op !== 'add' || !op.path.startsWith('/') || !('value' in op)) throw new Error(`unsupported op ${JSON.stringify(op)}`);
    const keys = op.path.slice(1).split('/').map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop()!;
    let parent: Json = out;
    for (const k of keys) {
      const next: Json | undefined = Array.isArray(parent) ? parent[Number(k)] : typeof parent === 'object' && parent !== null ? parent[k] : undefined;
      if (next === undefined || next === null || typeof next !== 'object') throw new Error(`${op.path}: no parent at ${k}`);
      parent = next;
    }
    if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, op.value);
    else if (typeof parent === 'object' && parent !== null) parent[last] = op.value;
    else throw new Error(`${op.path}: parent is not a container`);
  }
  return out;
}

// As kube-apiserver sends them on CREATE: a ReplicaSet's pod, and a hand-written Deployment.
const replicaSetPod = (): JsonObject => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    generateName: 'web-7d4b9c8f6d-',
    namespace: 'shop',
    creationTimestamp: null,
    labels: { 'app.kubernetes.io/name': 'web', 'pod-template-hash': '7d4b9c8f6d' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6d', uid: '3f0c1f52-8a7e-4b8e-9d3c-5e2b1a4f6c70', controller: true, blockOwnerDeletion: true }],
  },
  spec: {
    containers: [{
      name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' } },
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
    }],
    restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: 'default',
    securityContext: {}, schedulerName: 'default-scheduler', enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
  },
  status: {},
});

const deployment = (labels?: Record<string, string>): JsonObject => ({
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: { name: 'api', namespace: 'shop', creationTimestamp: null, ...(labels ? { labels } : {}) },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { creationTimestamp: null, labels: { app: 'api' } },
      spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api:2.3.1', resources: {} }], restartPolicy: 'Always' },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
  status: {},
});

function admitRequest(obj: JsonObject): AdmitRequest {
  const isPod = obj.kind === 'Pod';
  const kind = { group: isPod ? '' : 'apps', version: 'v1', kind: String(obj.kind) };
  const resource = { group: kind.group, version: 'v1', resource: isPod ? 'pods' : 'deployments' };
  const meta = obj.metadata as JsonObject | undefined;
  return {
    uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
    kind, resource, requestKind: kind, requestResource: resource,
    name: typeof meta?.name === 'string' ? meta.name : '',
    namespace: 'shop',
    operation: 'CREATE',
    userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller', uid: 'b1c2', groups: ['system:serviceaccounts', 'system:authenticated'] },
    object: Buffer.from(JSON.stringify(obj)),
    options: Buffer.from('{"kind":"CreateOptions","apiVersion":"meta.k8s.io/v1"}'),
    mutatingPhase: true,
  };
}

/** The object after the answer's patch (the object itself when there is none). */
function patched(obj: JsonObject, res: AdmitResponse__Output): JsonObject {
  return res.patch.length === 0 ? obj : applyPatch(obj, JSON.parse(res.patch.toString()));
}

const withTeam = (obj: JsonObject, labels: Record<string, string>): JsonObject =>
  ({ ...obj, metadata: { ...(obj.metadata as JsonObject), labels } });

describe('default-team-label, called through the SDK harness', () => {
  let h: PluginHarness<'AdmissionPlugin'>;
  beforeAll(async () => { h = await testPlugin(plugin); });
  afterAll(() => h.close());

  const unlabelled: Array<{ name: string; object: JsonObject; ops: AddOp[]; expected: JsonObject }> = [
    {
      name: 'a pod with labels but no team: adds the one label',
      object: replicaSetPod(),
      ops: [{ op: 'add', path: '/metadata/labels/team', value: 'unassigned' }],
      expected: withTeam(replicaSetPod(), { 'app.kubernetes.io/name': 'web', 'pod-template-hash': '7d4b9c8f6d', team: 'unassigned' }),
    },
    {
      name: 'a deployment without metadata.labels: adds the labels map (and leaves the pod template alone)',
      object: deployment(),
      ops: [{ op: 'add', path: '/metadata/labels', value: { team: 'unassigned' } }],
      expected: deployment({ team: 'unassigned' }),
    },
    {
      name: 'a deployment whose labels are null: replaces them',
      object: withTeam(deployment(), null as unknown as Record<string, string>),
      ops: [{ op: 'add', path: '/metadata/labels', value: { team: 'unassigned' } }],
      expected: deployment({ team: 'unassigned' }),
    },
    {
      name: 'an object without metadata: adds metadata with the label',
      object: { kind: 'Pod', apiVersion: 'v1', spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      ops: [{ op: 'add', path: '/metadata', value: { labels: { team: 'unassigned' } } }],
      expected: { kind: 'Pod', apiVersion: 'v1', spec: { containers: [{ name: 'c', image: 'busybox' }] }, metadata: { labels: { team: 'unassigned' } } },
    },
  ];

  it.each(unlabelled)('$name', async ({ object, ops, expected }) => {
    const res = await h.call('Admit', admitRequest(object));
    expect(res.allowed).toBe(true);
    expect(JSON.parse(res.patch.toString())).toEqual(ops);
    expect(patched(object, res)).toEqual(expected);
    expect(res.warnings).toEqual(['no team label: set team=unassigned']);
  });

  it.each([
    { name: 'a pod', object: withTeam(replicaSetPod(), { team: 'payments', 'app.kubernetes.io/name': 'web' }) },
    { name: 'a deployment', object: deployment({ team: 'search' }) },
  ])('leaves $name that has a team label unpatched, with no warning', async ({ object }) => {
    const res = await h.call('Admit', admitRequest(object));
    expect(res).toMatchObject({ allowed: true, warnings: [] });
    expect(res.patch.length).toBe(0);
  });

  it('asks for CREATE of pods and deployments as a mutating plugin that fails open', async () => {
    expect(await h.capabilities()).toMatchObject({
      implemented: ['Admit'], kind: 'MUTATING', failurePolicy: 'IGNORE', sideEffects: 'NONE', timeoutMs: 2000,
      rules: [{ operations: ['CREATE'], apiGroups: ['', 'apps'], apiVersions: ['v1'], resources: ['pods', 'deployments'], scope: '*' }],
    });
  });
});

describe('default-team-label sample, as a process behind the host', () => {
  afterEach(cleanup);

  it('registers as a mutating admission plugin and labels what has no team', async () => {
    const { host, socketDir } = await startHost();
    servePluginProcess('sample-plugins/default-team-label', socketDir);
    const status = await host.waitForPlugin('default-team-label', 15_000);
    expect(status).toMatchObject({ type: 'AdmissionPlugin', version: 'v1', state: 'active', healthy: true });
    expect(status.capabilities).toMatchObject({ implemented: ['Admit'], kind: 'MUTATING', failurePolicy: 'IGNORE' });

    const pod = replicaSetPod();
    const labelled = await host.invoke<AdmitResponse__Output>('default-team-label', 'Admit', admitRequest(pod));
    expect(patched(pod, labelled)).toEqual(withTeam(pod, { 'app.kubernetes.io/name': 'web', 'pod-template-hash': '7d4b9c8f6d', team: 'unassigned' }));

    const bare = deployment();
    const added = await host.invoke<AdmitResponse__Output>('default-team-label', 'Admit', admitRequest(bare));
    expect((patched(bare, added).metadata as JsonObject).labels).toEqual({ team: 'unassigned' });

    const owned = deployment({ team: 'search' });
    const untouched = await host.invoke<AdmitResponse__Output>('default-team-label', 'Admit', admitRequest(owned));
    expect(untouched.allowed).toBe(true);
    expect(untouched.patch.length).toBe(0);
  });
});
