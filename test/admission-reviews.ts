/**
 * AdmissionReview v1 bodies as kube-apiserver sends them to a webhook (captured shapes of
 * 1.29–1.31): a ReplicaSet's Pod CREATE, a label UPDATE with oldObject, a DELETE carrying
 * only oldObject and DeleteOptions, and a CONNECT to pods/exec with PodExecOptions.
 */
import type { JsonObject } from '../host/admission/review.js';

let seq = 0;
/** A fresh uid, as kube-apiserver gives each review. */
export function reviewUid(): string {
  seq++;
  return `2a0c6f6e-5b4d-4e0f-9d8e-${String(seq).padStart(12, '0')}`;
}

export function pod(labels: Record<string, string> = {}, name?: string): JsonObject {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      ...(name === undefined ? { generateName: 'web-7d4b9c8f6d-' } : { name, uid: 'b1e0e7a4-3c5d-4f6e-8a9b-0c1d2e3f4a5b', resourceVersion: '48213', creationTimestamp: '2026-11-23T20:01:12Z' }),
      namespace: 'shop',
      ...(name === undefined ? { creationTimestamp: null } : {}),
      labels: { 'app.kubernetes.io/name': 'web', 'pod-template-hash': '7d4b9c8f6d', ...labels },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6d', uid: '3f0c1f52-8a7e-4b8e-9d3c-5e2b1a4f6c70', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      volumes: [{ name: 'kube-api-access-x7d2k', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }], defaultMode: 420 } }],
      containers: [{
        name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
        volumeMounts: [{ name: 'kube-api-access-x7d2k', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
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
    status: name === undefined ? {} : { phase: 'Running', qosClass: 'Burstable', podIP: '10.244.1.17', startTime: '2026-11-23T20:01:12Z' },
  };
}

const POD_GVK = { group: '', version: 'v1', kind: 'Pod' };
const POD_GVR = { group: '', version: 'v1', resource: 'pods' };
const RS_CONTROLLER = {
  username: 'system:serviceaccount:kube-system:replicaset-controller',
  uid: '5e1a9b8c-7d6e-4f3a-9b2c-1d0e9f8a7b6c',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
};
const ADMIN = {
  username: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', 'system:authenticated'],
  extra: { 'authentication.kubernetes.io/credential-id': ['X509SHA256=6f1c0d3e9a'] },
};

export interface ReviewOverrides {
  labels?: Record<string, string>;
  dryRun?: boolean;
  uid?: string;
  namespace?: string;
}

/** A ReplicaSet controller's Pod CREATE (generateName, no name yet). */
export function createPodReview(o: ReviewOverrides = {}): JsonObject {
  const object = pod(o.labels);
  if (o.namespace) (object.metadata as JsonObject).namespace = o.namespace;
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid: o.uid ?? reviewUid(),
      kind: POD_GVK, resource: POD_GVR, requestKind: POD_GVK, requestResource: POD_GVR,
      namespace: o.namespace ?? 'shop',
      operation: 'CREATE',
      userInfo: RS_CONTROLLER,
      object,
      oldObject: null,
      dryRun: o.dryRun ?? false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1', ...(o.dryRun ? { dryRun: ['All'] } : {}) },
    },
  };
}

/** `kubectl label pod web-… tier=frontend`: UPDATE with the old object. */
export function updatePodReview(o: ReviewOverrides = {}): JsonObject {
  const name = 'web-7d4b9c8f6d-x2x9q';
  const oldObject = pod({}, name);
  const object = pod({ tier: 'frontend', ...o.labels }, name);
  (object.metadata as JsonObject).resourceVersion = '48213';
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid: o.uid ?? reviewUid(),
      kind: POD_GVK, resource: POD_GVR, requestKind: POD_GVK, requestResource: POD_GVR,
      name, namespace: 'shop', operation: 'UPDATE',
      userInfo: ADMIN,
      object, oldObject,
      dryRun: o.dryRun ?? false,
      options: { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1', fieldManager: 'kubectl-label' },
    },
  };
}

/** `kubectl delete pod web-…`: object null, the old object, DeleteOptions. */
export function deletePodReview(o: ReviewOverrides = {}): JsonObject {
  const name = 'web-7d4b9c8f6d-x2x9q';
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid: o.uid ?? reviewUid(),
      kind: POD_GVK, resource: POD_GVR, requestKind: POD_GVK, requestResource: POD_GVR,
      name, namespace: 'shop', operation: 'DELETE',
      userInfo: ADMIN,
      object: null,
      oldObject: pod(o.labels, name),
      dryRun: o.dryRun ?? false,
      options: { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1', propagationPolicy: 'Background' },
    },
  };
}

/** `kubectl exec -it web-… -- sh`: CONNECT on pods/exec with PodExecOptions as the object. */
export function execPodReview(o: ReviewOverrides = {}): JsonObject {
  const execKind = { group: '', version: 'v1', kind: 'PodExecOptions' };
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid: o.uid ?? reviewUid(),
      kind: execKind, resource: POD_GVR, subResource: 'exec',
      requestKind: execKind, requestResource: POD_GVR, requestSubResource: 'exec',
      name: 'web-7d4b9c8f6d-x2x9q', namespace: 'shop', operation: 'CONNECT',
      userInfo: ADMIN,
      object: { kind: 'PodExecOptions', apiVersion: 'v1', stdin: true, stdout: true, tty: true, container: 'web', command: ['sh'] },
      oldObject: null,
      dryRun: false,
      options: null,
    },
  };
}

/** The `request` of a review body. */
export function requestOf(review: JsonObject): JsonObject {
  return review.request as JsonObject;
}
