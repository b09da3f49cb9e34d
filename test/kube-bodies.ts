/**
 * Kubernetes objects shaped as the API server serves them (and kube-scheduler forwards them):
 * v1 Pods and Nodes with the fields a real cluster fills in, for tests that drive plugd's
 * front doors and what-if runs with the bodies they meet in production.
 */
export type Json = Record<string, unknown>;

/** A pending v1 Pod with one container requesting `requests`. */
export function v1Pod(name: string, requests: Record<string, string>, opts: { labels?: Record<string, string>; uid?: string; namespace?: string } = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      uid: opts.uid ?? `uid-${name}`,
      resourceVersion: '4711',
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { app: name.replace(/-\d+$/, ''), ...(opts.labels ?? {}) },
    },
    spec: {
      containers: [{
        name: 'main',
        image: 'registry.k8s.io/pause:3.10',
        resources: { requests, ...(Object.keys(requests).some((k) => k.includes('/')) ? { limits: Object.fromEntries(Object.entries(requests).filter(([k]) => k.includes('/'))) } : {}) },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
      }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

/** A running copy of `pod` on `nodeName`. */
export function running(pod: Json, nodeName: string): Json {
  return { ...pod, spec: { ...(pod.spec as Json), nodeName }, status: { phase: 'Running', qosClass: 'Burstable' } };
}

/** A Ready v1 Node whose capacity and allocatable are `resources` (plus pods 110). */
export function v1Node(name: string, resources: Record<string, string>, labels: Record<string, string> = {}): Json {
  const all = { pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0', ...resources };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `node-uid-${name}`,
      resourceVersion: '1234',
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...labels },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], providerID: `kind://docker/kind/${name}` },
    status: {
      capacity: all,
      allocatable: all,
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: 'v1.31.0', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'containerd://1.7.18' },
    },
  };
}

/** `kubectl get nodes,pods -o json` output: a v1 List. */
export function v1List(items: Json[]): Json {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}
