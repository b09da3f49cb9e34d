/**
 * AdmissionReview v1 bodies shaped as kube-apiserver builds them (request/admissionreview.go
 * CreateV1AdmissionReview) and Kubernetes' own testdata body, POSTed at the webhook door in
 * front of the sample plugins (sidecar-injector, pod-security, default-team-label, in process)
 * and of edge-case plugins; every answer is put through kube-apiserver's checks
 * (test/fixtures/kube-admission.ts verifyAdmissionResponse) and every patch applied to the
 * object kube sent. Edges: DELETE with oldObject only, CONNECT with options, subresources,
 * dry runs against each sideEffects class, unicode, bodies at the size limit, userInfo.extra.
 */
import * as http from 'node:http';
import { pino } from 'pino';
import { applyPatch, type Operation as PatchOp } from 'rfc6902';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdmissionChain, type AdmissionHost } from '../host/admission/chain.js';
import type { InProcessAdmissionPlugin } from '../host/admission/plugins.js';
import type { JsonObject } from '../host/admission/review.js';
import { DEFAULT_WEBHOOK_MAX_BODY_BYTES } from '../host/config.js';
import { listenWebhook, WebhookDoor, type WebhookServer } from '../host/doors/webhook.js';
import { HostMetrics } from '../host/metrics.js';
import defaultTeamLabel from '../sample-plugins/default-team-label/index.js';
import podSecurity from '../sample-plugins/pod-security/index.js';
import sidecarInjector from '../sample-plugins/sidecar-injector/index.js';
import { pod } from './admission-reviews.js';
import { KUBE_TESTDATA_REVIEW, verifyAdmissionResponse, type KubeVerdict } from './fixtures/kube-admission.js';

type Op = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
interface Gvk { group: string; version: string; kind: string }
interface Gvr { group: string; version: string; resource: string }

const USER = {
  username: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', 'system:authenticated'],
  extra: { 'authentication.kubernetes.io/credential-id': ['X509SHA256=6f1c0d3e9a'] },
};

let seq = 0;
/**
 * A review as CreateV1AdmissionReview fills it: requestKind/Resource always set, dryRun always
 * set, the omitempty strings left out when empty, object/oldObject/options null when absent.
 */
function kubeReview(r: { kind: Gvk; resource: Gvr; subResource?: string; name?: string; namespace?: string; operation: Op; object?: JsonObject | null; oldObject?: JsonObject | null; options?: JsonObject | null; dryRun?: boolean; userInfo?: JsonObject }): JsonObject {
  const request: JsonObject = {
    uid: `6c3f4a1e-0b7d-4e2a-9f4c-${String(++seq).padStart(12, '0')}`,
    kind: { ...r.kind }, resource: { ...r.resource },
    ...(r.subResource ? { subResource: r.subResource } : {}),
    requestKind: { ...r.kind }, requestResource: { ...r.resource },
    ...(r.subResource ? { requestSubResource: r.subResource } : {}),
    ...(r.name ? { name: r.name } : {}),
    ...(r.namespace ? { namespace: r.namespace } : {}),
    operation: r.operation,
    userInfo: r.userInfo ?? USER,
    object: r.object ?? null,
    oldObject: r.oldObject ?? null,
    dryRun: r.dryRun ?? false,
    options: r.options ?? null,
  };
  return { kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1', request };
}

const POD: Gvk = { group: '', version: 'v1', kind: 'Pod' };
const PODS: Gvr = { group: '', version: 'v1', resource: 'pods' };
const CREATE_OPTS = { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' };
const UPDATE_OPTS = { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1' };

function podCreate(edit: (p: JsonObject) => void = () => undefined, dryRun = false): JsonObject {
  const object = pod();
  edit(object);
  return kubeReview({ kind: POD, resource: PODS, namespace: 'shop', operation: 'CREATE', object, dryRun, options: dryRun ? { ...CREATE_OPTS, dryRun: ['All'] } : CREATE_OPTS });
}

interface Reply { status: number; contentType: string | undefined; body: string }

function post(url: string, body: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', Accept: 'application/json, */*' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const uidOf = (review: JsonObject): string => (review.request as JsonObject).uid as string;
const objectOf = (review: JsonObject): JsonObject => (review.request as JsonObject).object as JsonObject;

/** POSTs as kube-apiserver does (?timeout=10s) and returns what kube-apiserver goes on with, having verified the answer. */
async function admit(base: string, path: '/mutate' | '/validate', review: JsonObject | string, uid?: string): Promise<KubeVerdict> {
  const text = typeof review === 'string' ? review : JSON.stringify(review);
  const reply = await post(`${base}${path}?timeout=10s`, text);
  return verifyAdmissionResponse(uid ?? uidOf(review as JsonObject), path === '/mutate', reply, path === '/mutate' ? 'mutate.plugd.dev' : 'validate.plugd.dev');
}

/** The object kube-apiserver ends up with: the request's object with the answered patch applied. */
function patched(review: JsonObject, verdict: KubeVerdict): JsonObject {
  const object = structuredClone(objectOf(review));
  expect(applyPatch(object, verdict.patch as PatchOp[]).filter((e) => e !== null)).toEqual([]);
  return object;
}

const bareHost = (): AdmissionHost => ({
  config: { plugins: {} },
  registry: { on: () => undefined, off: () => undefined, list: () => [] } as unknown as AdmissionHost['registry'],
  logger: pino({ level: 'silent' }),
  metrics: new HostMetrics(),
  invoke: () => Promise.reject(new Error('no plugin processes here')),
});

async function door(plugins: InProcessAdmissionPlugin[]): Promise<{ url: string; close: () => Promise<void> }> {
  const host = bareHost();
  const chain = new AdmissionChain(host, { plugins });
  const d = new WebhookDoor({ chain, logger: host.logger, metrics: host.metrics.registry });
  const srv: WebhookServer = await listenWebhook(d, { host: '127.0.0.1', port: 0 }, host.logger);
  return { url: srv.url, close: async () => { await srv.close(); chain.close(); } };
}

describe('the sample plugins behind the door, answering kube-apiserver\'s reviews', () => {
  let samples: Awaited<ReturnType<typeof door>>;
  beforeAll(async () => { samples = await door([sidecarInjector, podSecurity, defaultTeamLabel]); });
  afterAll(() => samples.close());

  it('Kubernetes\' testdata AdmissionReview, verbatim and with each real operation: answers pass kube\'s checks', async () => {
    // Its operation is the filler "operationValue": taken as Go webhooks take it, matched by no plugin's rules here.
    for (const operation of ['operationValue', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT']) {
      const body = structuredClone(KUBE_TESTDATA_REVIEW);
      (body.request as JsonObject).operation = operation;
      for (const path of ['/mutate', '/validate'] as const) {
        // The stale `response` in the body is ignored; dryRun: true with plugins that match nothing here.
        expect(await admit(samples.url, path, body, 'uidValue')).toEqual({ allowed: true, patch: [], warnings: [], auditAnnotations: {} });
      }
    }
  });

  it('CREATE of a pod that opts into the sidecar, as a dry run: one patch kube applies, then /validate admits the result', async () => {
    const review = podCreate((p) => { (p.metadata as JsonObject).annotations = { 'sidecar.plugd.dev/inject': 'true' }; }, true);
    const m = await admit(samples.url, '/mutate', review);
    expect(m.allowed).toBe(true);
    const final = patched(review, m);
    expect(JSON.stringify(final.spec)).toContain('log-shipper');
    expect((final.metadata as { labels: Record<string, string> }).labels.team).toBe('unassigned');
    expect(m.warnings).toEqual(['default-team-label: no team label: set team=unassigned']);
    const v = await admit(samples.url, '/validate', { ...review, request: { ...(review.request as JsonObject), object: final } });
    expect(v).toMatchObject({ allowed: true, patch: [] });
  });

  it('unicode in names, annotations, args and warnings survives the round trip byte for byte', async () => {
    const review = podCreate((p) => {
      (p.metadata as JsonObject).annotations = { 'description': 'Grüße aus Köln — 東京 🚀 \u2028 "quoted" \\ back', 'sidecar.plugd.dev/inject': 'true' };
      ((p.spec as JsonObject).containers as JsonObject[])[0]!.args = ['--greeting=héllo wörld 👋', '\u0000nul'];
    });
    const m = await admit(samples.url, '/mutate', review);
    const final = patched(review, m);
    expect((final.metadata as { annotations: Record<string, string> }).annotations.description).toBe('Grüße aus Köln — 東京 🚀 \u2028 "quoted" \\ back');
    expect(((final.spec as JsonObject).containers as JsonObject[])[0]!.args).toEqual(['--greeting=héllo wörld 👋', '\u0000nul']);
  });

  it('UPDATE with oldObject, DELETE with oldObject only, CONNECT pods/exec with options: allowed, never a patch', async () => {
    const name = 'web-7d4b9c8f6d-x2x9q';
    const update = kubeReview({ kind: POD, resource: PODS, name, namespace: 'shop', operation: 'UPDATE', object: pod({ tier: 'frontend' }, name), oldObject: pod({}, name), options: { ...UPDATE_OPTS, fieldManager: 'kubectl-label' } });
    const del = kubeReview({ kind: POD, resource: PODS, name, namespace: 'shop', operation: 'DELETE', oldObject: pod({}, name), options: { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1', propagationPolicy: 'Background' } });
    const exec = kubeReview({
      kind: { group: '', version: 'v1', kind: 'PodExecOptions' }, resource: PODS, subResource: 'exec', name, namespace: 'shop', operation: 'CONNECT',
      object: { kind: 'PodExecOptions', apiVersion: 'v1', stdin: true, stdout: true, tty: true, container: 'web', command: ['sh'] },
    });
    for (const review of [update, del, exec]) {
      for (const path of ['/mutate', '/validate'] as const) expect(await admit(samples.url, path, review)).toMatchObject({ allowed: true, patch: [] });
    }
  });

  it('subresources: deployments/scale (kind autoscaling/v1 Scale) and pods/ephemeralcontainers match only rules naming them', async () => {
    const scale = kubeReview({
      kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, resource: { group: 'apps', version: 'v1', resource: 'deployments' }, subResource: 'scale',
      name: 'web', namespace: 'shop', operation: 'UPDATE', options: UPDATE_OPTS,
      object: { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: 'shop', uid: 'd1', resourceVersion: '9' }, spec: { replicas: 5 }, status: { replicas: 3, selector: 'app=web' } },
      oldObject: { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: 'shop', uid: 'd1', resourceVersion: '9' }, spec: { replicas: 3 }, status: { replicas: 3, selector: 'app=web' } },
    });
    for (const path of ['/mutate', '/validate'] as const) expect(await admit(samples.url, path, scale)).toMatchObject({ allowed: true, patch: [] });
    // pod-security names pods/ephemeralcontainers: a privileged debug container is refused.
    const name = 'web-7d4b9c8f6d-x2x9q';
    const withDebug = pod({}, name);
    (withDebug.spec as JsonObject).ephemeralContainers = [{ name: 'debugger', image: 'busybox:1.36', securityContext: { privileged: true }, terminationMessagePolicy: 'File' }];
    const ephemeral = kubeReview({ kind: POD, resource: PODS, subResource: 'ephemeralcontainers', name, namespace: 'shop', operation: 'UPDATE', object: withDebug, oldObject: pod({}, name), options: UPDATE_OPTS });
    const v = await admit(samples.url, '/validate', ephemeral);
    expect(v.allowed).toBe(false);
    expect(v.status).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(v.status!.message).toMatch(/^admission plugin "pod-security" denied the request: .*privileged/);
  });

  it('a Deployment CREATE gets the team label; a Namespace CREATE (cluster-scoped) matches no sample', async () => {
    const deployment = kubeReview({
      kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, resource: { group: 'apps', version: 'v1', resource: 'deployments' }, name: 'web', namespace: 'shop', operation: 'CREATE', options: CREATE_OPTS,
      object: { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web', namespace: 'shop', creationTimestamp: null }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: {} }] } }, strategy: {} }, status: {} },
    });
    const m = await admit(samples.url, '/mutate', deployment);
    expect((patched(deployment, m).metadata as JsonObject).labels).toEqual({ team: 'unassigned' });
    const namespace = kubeReview({
      kind: { group: '', version: 'v1', kind: 'Namespace' }, resource: { group: '', version: 'v1', resource: 'namespaces' }, name: 'team-a', operation: 'CREATE', options: CREATE_OPTS,
      object: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'team-a', creationTimestamp: null, labels: { 'kubernetes.io/metadata.name': 'team-a' } }, spec: {}, status: {} },
    });
    for (const path of ['/mutate', '/validate'] as const) expect(await admit(samples.url, path, namespace)).toEqual({ allowed: true, patch: [], warnings: [], auditAnnotations: {} });
  });

  it('userInfo of a service account with extra (a null value as Go writes a nil one) and no uid', async () => {
    const review = podCreate();
    (review.request as JsonObject).userInfo = {
      username: 'system:serviceaccount:kube-system:replicaset-controller',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/pod-name': ['kube-controller-manager-cp'], 'authentication.kubernetes.io/pod-uid': ['0c1d2e3f'], 'example.com/empty': null },
    };
    expect(await admit(samples.url, '/mutate', review)).toMatchObject({ allowed: true });
  });

  it('a body of exactly the limit (6 MiB, multi-byte characters across chunk boundaries) is answered and its patch applies; one byte more is a 413', async () => {
    const limit = DEFAULT_WEBHOOK_MAX_BODY_BYTES;
    const make = (bytes: number): { review: JsonObject; text: string } => {
      const review = podCreate((p) => { (p.metadata as JsonObject).annotations = { 'sidecar.plugd.dev/inject': 'true', blob: '' }; });
      const unit = 'ü€😀x'; // 2 + 3 + 4 + 1 bytes
      const without = Buffer.byteLength(JSON.stringify(review));
      const room = bytes - without;
      const blob = unit.repeat(Math.floor(room / 10)) + 'y'.repeat(room % 10);
      ((objectOf(review).metadata as JsonObject).annotations as JsonObject).blob = blob;
      const text = JSON.stringify(review);
      expect(Buffer.byteLength(text)).toBe(bytes);
      return { review, text };
    };
    const { review, text } = make(limit);
    const m = await admit(samples.url, '/mutate', text, uidOf(review));
    const final = patched(review, m);
    expect(JSON.stringify(final.spec)).toContain('log-shipper');
    const over = make(limit + 1);
    expect((await post(`${samples.url}/mutate`, over.text)).status).toBe(413);
  });
});

describe('edge-case plugins behind the door', () => {
  const RULES = [{ operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }];
  const seen: Array<{ plugin: string; dryRun: boolean }> = [];
  /** A plugin that only answers pods labelled suite=<suite>. */
  const plugin = (name: string, suite: string, caps: Record<string, unknown>, answer: (req: { object: Buffer }) => Record<string, unknown>): InProcessAdmissionPlugin => ({
    name,
    capabilities: { kind: 'VALIDATING', rules: RULES, objectSelector: { matchLabels: { suite } }, ...caps },
    handlers: { Admit: (req) => { seen.push({ plugin: name, dryRun: req.dryRun }); return answer(req) as never; } },
  });
  const allow = () => ({ allowed: true });
  let edge: Awaited<ReturnType<typeof door>>;
  beforeAll(async () => {
    edge = await door([
      plugin('dry-none', 'dry', { sideEffects: 'NONE' }, allow),
      plugin('dry-nodr', 'dry', { sideEffects: 'NONE_ON_DRY_RUN' }, allow),
      plugin('dry-some', 'dry-some', { sideEffects: 'SOME' }, allow),
      plugin('dry-unknown', 'dry-unknown', {}, allow),
      plugin('del-empty', 'del', { kind: 'MUTATING', sideEffects: 'NONE', failurePolicy: 'FAIL' }, () => ({ allowed: true, patch: Buffer.from('[]') })),
      plugin('del-patch', 'del-patch', { kind: 'MUTATING', sideEffects: 'NONE', failurePolicy: 'FAIL' }, () => ({ allowed: true, patch: Buffer.from('[{"op":"add","path":"/metadata/labels/x","value":"y"}]') })),
      plugin('annotate', 'audit', { sideEffects: 'NONE' }, () => ({ allowed: true, warnings: ['ünïcödé warning ⚠'], auditAnnotations: { 'checked-by': 'plugd ✓', 'bad/key': 'dropped', [`${'k'.repeat(70)}`]: 'dropped' } })),
      plugin('code-700', 'code-700', { sideEffects: 'NONE' }, () => ({ allowed: false, status: { code: 700, message: 'odd code' } })),
      plugin('code-422', 'code-422', { sideEffects: 'NONE' }, () => ({ allowed: false, status: { code: 422, reason: 'Invalid', message: 'bad spec' } })),
    ]);
  });
  afterAll(() => edge.close());
  const labelled = (suite: string, dryRun = false) => podCreate((p) => { ((p.metadata as JsonObject).labels as JsonObject).suite = suite; }, dryRun);

  it('a dry run calls plugins of sideEffects None and NoneOnDryRun with dryRun set, and is refused with 400 for Some and Unknown (kube\'s DryRunUnsupported)', async () => {
    seen.length = 0;
    expect(await admit(edge.url, '/validate', labelled('dry', true))).toMatchObject({ allowed: true });
    expect(seen).toEqual(expect.arrayContaining([{ plugin: 'dry-none', dryRun: true }, { plugin: 'dry-nodr', dryRun: true }]));
    expect(seen).toHaveLength(2);
    for (const [suite, name, cls] of [['dry-some', 'dry-some', 'Some'], ['dry-unknown', 'dry-unknown', 'Unknown']] as const) {
      seen.length = 0;
      const v = await admit(edge.url, '/validate', labelled(suite, true));
      expect(v.allowed).toBe(false);
      expect(v.status).toMatchObject({ code: 400, reason: 'BadRequest', message: `admission plugin "${name}" does not support dry run (sideEffects ${cls})` });
      expect(seen).toEqual([]);
      expect(await admit(edge.url, '/validate', labelled(suite, false))).toMatchObject({ allowed: true });
      expect(seen).toEqual([{ plugin: name, dryRun: false }]);
    }
  });

  it('DELETE (object null): an empty patch is no change, as kube-apiserver takes it; a real one fails the plugin (kube: "attempted to modify the object")', async () => {
    const name = 'web-7d4b9c8f6d-x2x9q';
    const del = (suite: string) => kubeReview({ kind: POD, resource: PODS, name, namespace: 'shop', operation: 'DELETE', oldObject: pod({ suite }, name), options: { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1' } });
    expect(await admit(edge.url, '/mutate', del('del'))).toEqual({ allowed: true, patch: [], warnings: [], auditAnnotations: {} });
    const failed = await admit(edge.url, '/mutate', del('del-patch'));
    expect(failed).toMatchObject({ allowed: false, status: { code: 500, reason: 'InternalError' } });
    expect(failed.status!.message).toMatch(/"del-patch".*without an object/);
  });

  it('warnings and audit annotations: unicode kept, keys valid once kube-apiserver prefixes the webhook\'s name, invalid ones dropped', async () => {
    const v = await admit(edge.url, '/validate', labelled('audit'));
    expect(v).toEqual({ allowed: true, patch: [], warnings: ['annotate: ünïcödé warning ⚠'], auditAnnotations: { 'annotate.checked-by': 'plugd ✓' } });
  });

  it('a deny keeps the plugin\'s HTTP error code and reason; a code that is no HTTP error becomes 403', async () => {
    expect((await admit(edge.url, '/validate', labelled('code-422'))).status).toEqual({ code: 422, reason: 'Invalid', message: 'admission plugin "code-422" denied the request: bad spec' });
    expect((await admit(edge.url, '/validate', labelled('code-700'))).status).toEqual({ code: 403, reason: 'Forbidden', message: 'admission plugin "code-700" denied the request: odd code' });
  });
});
