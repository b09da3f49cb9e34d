/**
 * The admission bench's four plugins as SDK definitions (served one per process by
 * admission-plugin.ts, or handed to the chain in-process as they are) and the review it sends:
 * a ReplicaSet's Pod CREATE as kube-apiserver sends it, about 3 KB.
 */
import { definePlugin, type PluginDefinition } from '../../sdk/index.js';

type Obj = Record<string, unknown>;
const RULES = [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }];
const CAPS = { sideEffects: 'NONE', failurePolicy: 'FAIL', timeoutSeconds: 2, rules: RULES } as const;

function parse(bytes: Buffer): Obj {
  return JSON.parse(bytes.toString()) as Obj;
}

const meta = (o: Obj): Obj => (o.metadata as Obj | undefined) ?? {};

/** The four plugins: two mutating (a default label, an annotation), two validating (required label, no :latest). */
export function benchPlugins(): PluginDefinition<'AdmissionPlugin'>[] {
  return [
    definePlugin({
      name: 'bench-default-team',
      type: 'AdmissionPlugin',
      capabilities: { kind: 'MUTATING', ...CAPS },
      handlers: {
        Admit: (req) => {
          const labels = meta(parse(req.object)).labels as Obj | undefined;
          if (labels?.team !== undefined) return { allowed: true };
          const op = labels === undefined ? { op: 'add', path: '/metadata/labels', value: { team: 'default' } } : { op: 'add', path: '/metadata/labels/team', value: 'default' };
          return { allowed: true, patch: Buffer.from(JSON.stringify([op])) };
        },
      },
    }),
    definePlugin({
      name: 'bench-admitted-by',
      type: 'AdmissionPlugin',
      capabilities: { kind: 'MUTATING', ...CAPS },
      handlers: {
        Admit: (req) => {
          const annotations = meta(parse(req.object)).annotations as Obj | undefined;
          if (annotations?.['plugd.dev/admitted-by'] !== undefined) return { allowed: true };
          const op = annotations === undefined
            ? { op: 'add', path: '/metadata/annotations', value: { 'plugd.dev/admitted-by': 'plugd' } }
            : { op: 'add', path: '/metadata/annotations/plugd.dev~1admitted-by', value: 'plugd' };
          return { allowed: true, patch: Buffer.from(JSON.stringify([op])) };
        },
      },
    }),
    definePlugin({
      name: 'bench-require-name',
      type: 'AdmissionPlugin',
      capabilities: { kind: 'VALIDATING', ...CAPS },
      handlers: {
        Admit: (req) => {
          const labels = (meta(parse(req.object)).labels as Obj | undefined) ?? {};
          return labels['app.kubernetes.io/name'] === undefined
            ? { allowed: false, status: { code: 403, message: 'label app.kubernetes.io/name is required' } }
            : { allowed: true };
        },
      },
    }),
    definePlugin({
      name: 'bench-no-latest',
      type: 'AdmissionPlugin',
      capabilities: { kind: 'VALIDATING', ...CAPS },
      handlers: {
        Admit: (req) => {
          const spec = (parse(req.object).spec as Obj | undefined) ?? {};
          const images = ((spec.containers as Obj[] | undefined) ?? []).map((c) => String(c.image ?? ''));
          const bad = images.find((i) => i.endsWith(':latest') || !/:[^/]+$/.test(i));
          return bad === undefined ? { allowed: true } : { allowed: false, status: { code: 403, message: `image ${bad} has no pinned tag` } };
        },
      },
    }),
  ];
}

/** One of the four, by name. */
export function benchPlugin(name: string): PluginDefinition<'AdmissionPlugin'> {
  const def = benchPlugins().find((p) => p.name === name);
  if (def === undefined) throw new Error(`admission bench: no bench plugin ${name}`);
  return def;
}

/** A ReplicaSet's Pod CREATE review; the uid is the placeholder UID_PLACEHOLDER, swapped per request. */
export function benchReview(): Obj {
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid: 'UID_PLACEHOLDER',
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      namespace: 'shop',
      operation: 'CREATE',
      userInfo: {
        username: 'system:serviceaccount:kube-system:replicaset-controller',
        uid: '5e1a9b8c-7d6e-4f3a-9b2c-1d0e9f8a7b6c',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      },
      object: {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: {
          generateName: 'web-7d4b9c8f6d-', namespace: 'shop', creationTimestamp: null,
          labels: { 'app.kubernetes.io/name': 'web', 'pod-template-hash': '7d4b9c8f6d' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6d', uid: '3f0c1f52-8a7e-4b8e-9d3c-5e2b1a4f6c70', controller: true, blockOwnerDeletion: true }],
        },
        spec: {
          volumes: [{ name: 'kube-api-access-x7d2k', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }], defaultMode: 420 } }],
          containers: [{
            name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            volumeMounts: [{ name: 'kube-api-access-x7d2k', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
            livenessProbe: { httpGet: { path: '/healthz', port: 80, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
            terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
          }],
          restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: 'default', serviceAccount: 'default',
          securityContext: {}, schedulerName: 'default-scheduler',
          tolerations: [
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
            { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          ],
          priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
        },
        status: {},
      },
      oldObject: null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    },
  };
}
