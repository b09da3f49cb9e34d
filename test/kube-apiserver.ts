/**
 * A stand-in for kube-apiserver's list/watch protocol, for informer tests (no API server runs
 * on these machines). It serves core/v1 nodes, pods and namespaces as kube-apiserver does:
 *
 *   GET /api/v1/{resource}?limit=N[&continue=T]  → a List with metadata.resourceVersion (and
 *       metadata.continue / remainingItemCount while pages remain)
 *   GET /api/v1/{resource}?watch=true&resourceVersion=R[&allowWatchBookmarks=true]
 *       → HTTP 200, chunked, one `{"type":…,"object":…}` JSON line per event: the events after
 *       R from its history, then live ADDED/MODIFIED/DELETED, and BOOKMARKs on request; a
 *       resourceVersion older than the compaction point gets an ERROR event carrying a 410
 *       `Expired` Status (the watch cache's answer) or, when asked, HTTP 410 at watch start.
 *   Bearer-token authentication (401 Status otherwise), over http or https.
 *
 * One resourceVersion counter for all resources, as etcd's revision. Tests steer it: hold
 * events back from open watches (a gap), compact, expire or drop watches mid-stream, fail the
 * next requests; every request is recorded with its query and Authorization header.
 */
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type Resource = 'nodes' | 'pods' | 'namespaces';
export type Obj = Record<string, unknown> & { metadata: Record<string, unknown> & { name: string; namespace?: string } };

const KIND: Record<Resource, string> = { nodes: 'Node', pods: 'Pod', namespaces: 'Namespace' };

export interface RecordedRequest {
  readonly resource: Resource;
  readonly watch: boolean;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
}

interface Event {
  readonly rv: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: Obj;
}

interface Watcher {
  readonly resource: Resource;
  readonly res: ServerResponse;
  readonly bookmarks: boolean;
}

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function keyOf(o: Obj): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

export interface FakeApiServerOptions {
  /** Require `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Serve https with this certificate. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  #rv = 1000;
  readonly #objects: Record<Resource, Map<string, Obj>> = { nodes: new Map(), pods: new Map(), namespaces: new Map() };
  readonly #history: Record<Resource, Event[]> = { nodes: [], pods: [], namespaces: [] };
  readonly #compactedAt: Record<Resource, number> = { nodes: 0, pods: 0, namespaces: 0 };
  readonly #held = new Set<Resource>();
  readonly #watchers = new Set<Watcher>();
  readonly #failures: Array<{ resource: Resource; verb: 'list' | 'watch'; status: number; reason: string }> = [];
  #expireWithHttp = false;
  readonly #server: Server;
  readonly #opts: FakeApiServerOptions;
  readonly #sockets = new Set<Socket>();
  url = '';

  constructor(opts: FakeApiServerOptions = {}) {
    this.#opts = opts;
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.#handle(req, res);
    this.#server = opts.tls ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createHttp(handler);
    // closeAllConnections() misses TLS sockets still handshaking or idle before their first request.
    this.#server.on('connection', (s: Socket) => {
      this.#sockets.add(s);
      s.once('close', () => this.#sockets.delete(s));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `${this.#opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const w of this.#watchers) w.res.destroy();
    this.#watchers.clear();
    this.#server.closeAllConnections();
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** Open watch streams of a resource. */
  watchers(resource: Resource): number {
    return [...this.#watchers].filter((w) => w.resource === resource).length;
  }

  watchRequests(resource: Resource): RecordedRequest[] {
    return this.requests.filter((r) => r.resource === resource && r.watch);
  }

  listRequests(resource: Resource): RecordedRequest[] {
    return this.requests.filter((r) => r.resource === resource && !r.watch);
  }

  get(resource: Resource, key: string): Obj | undefined {
    return this.#objects[resource].get(key);
  }

  // ---- writes: each takes the next resourceVersion and is an event in the resource's history

  /** Creates or replaces (ADDED if new, MODIFIED otherwise). Returns the stored object. */
  put(resource: Resource, obj: Obj): Obj {
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.#rv);
    const key = keyOf(stored);
    const type = this.#objects[resource].has(key) ? 'MODIFIED' : 'ADDED';
    this.#objects[resource].set(key, stored);
    this.#emit(resource, { rv: this.#rv, type, object: stored });
    return stored;
  }

  /** Deletes by key (name, or namespace/name); the DELETED event carries the last state at a new resourceVersion. */
  delete(resource: Resource, key: string): void {
    const obj = this.#objects[resource].get(key);
    if (obj === undefined) throw new Error(`fake apiserver: no ${resource} ${key}`);
    this.#objects[resource].delete(key);
    const last = structuredClone(obj);
    last.metadata.resourceVersion = String(++this.#rv);
    this.#emit(resource, { rv: this.#rv, type: 'DELETED', object: last });
  }

  // ---- steering

  /** Events keep going into the history but not to open watches of `resource` (a watch gap). */
  hold(resource: Resource): void {
    this.#held.add(resource);
  }

  /** Undoes hold(): later events reach open watches again (the held ones stay in the history only). */
  release(resource: Resource): void {
    this.#held.delete(resource);
  }

  /** Forgets the history up to now: a watch from an older resourceVersion is answered 410 Gone. */
  compact(resource: Resource, opts: { httpStatus?: boolean } = {}): void {
    this.#compactedAt[resource] = this.#rv;
    this.#history[resource] = [];
    this.#expireWithHttp = opts.httpStatus ?? false;
  }

  /** Ends every open watch of `resource` with an ERROR event carrying 410 Expired, then closes it. */
  expireWatches(resource: Resource, fromRv?: string): void {
    for (const w of [...this.#watchers]) {
      if (w.resource !== resource) continue;
      w.res.write(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${fromRv ?? '1'} (${this.#compactedAt[resource]})`) })}\n`);
      w.res.end();
      this.#watchers.delete(w);
    }
  }

  /** Cuts every open watch of `resource` mid-stream: half an event line, then the TCP connection is destroyed. */
  dropWatches(resource: Resource): void {
    for (const w of [...this.#watchers]) {
      if (w.resource !== resource) continue;
      w.res.write('{"type":"MODIFIED","object":{"kind":');
      w.res.socket?.destroy();
      this.#watchers.delete(w);
    }
  }

  /** Sends a BOOKMARK at the current resourceVersion to the watches of `resource` that asked for bookmarks. */
  bookmark(resource: Resource): string {
    const rv = String(this.#rv);
    for (const w of this.#watchers) {
      if (w.resource !== resource || !w.bookmarks) continue;
      w.res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: KIND[resource], apiVersion: 'v1', metadata: { resourceVersion: rv } } })}\n`);
    }
    return rv;
  }

  /** The next `verb` request on `resource` answers `status` with a Status body. */
  failNext(resource: Resource, verb: 'list' | 'watch', code: number, reason = 'InternalError'): void {
    this.#failures.push({ resource, verb, status: code, reason });
  }

  #emit(resource: Resource, ev: Event): void {
    this.#history[resource].push(ev);
    if (this.#held.has(resource)) return;
    for (const w of this.#watchers) if (w.resource === resource) w.res.write(`${JSON.stringify({ type: ev.type, object: ev.object })}\n`);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/(nodes|pods|namespaces)$/.exec(url.pathname);
    const send = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!m) return send(404, status(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`));
    const resource = m[1] as Resource;
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    this.requests.push({ resource, watch, query: url.searchParams, authorization: req.headers.authorization });
    if (this.#opts.token !== undefined && req.headers.authorization !== `Bearer ${this.#opts.token}`) {
      return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    const fi = this.#failures.findIndex((f) => f.resource === resource && f.verb === (watch ? 'watch' : 'list'));
    if (fi >= 0) {
      const [f] = this.#failures.splice(fi, 1);
      return send(f!.status, status(f!.status, f!.reason, `injected failure of ${watch ? 'watch' : 'list'} ${resource}`));
    }
    if (watch) this.#watch(resource, url.searchParams, res, send);
    else this.#list(resource, url.searchParams, send);
  }

  #list(resource: Resource, q: URLSearchParams, send: (code: number, body: unknown) => void): void {
    const all = [...this.#objects[resource].values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const limit = Number(q.get('limit') ?? 0);
    const cont = q.get('continue');
    const start = cont ? Number(JSON.parse(Buffer.from(cont, 'base64').toString()).start) : 0;
    const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(this.#rv) };
    if (end < all.length) {
      metadata['continue'] = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: this.#rv, start: end })).toString('base64');
      metadata['remainingItemCount'] = all.length - end;
    }
    send(200, { kind: `${KIND[resource]}List`, apiVersion: 'v1', metadata, items: all.slice(start, end) });
  }

  #watch(resource: Resource, q: URLSearchParams, res: ServerResponse, send: (code: number, body: unknown) => void): void {
    const from = q.get('resourceVersion') ?? '';
    const fromRv = from === '' || from === '0' ? undefined : Number(from);
    if (fromRv !== undefined && fromRv < this.#compactedAt[resource]) {
      const st = status(410, 'Expired', `too old resource version: ${fromRv} (${this.#compactedAt[resource]})`);
      if (this.#expireWithHttp) return send(410, { ...st, reason: 'Gone' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: st })}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    if (fromRv === undefined) {
      for (const o of this.#objects[resource].values()) res.write(`${JSON.stringify({ type: 'ADDED', object: o })}\n`);
    } else {
      for (const ev of this.#history[resource]) if (ev.rv > fromRv) res.write(`${JSON.stringify({ type: ev.type, object: ev.object })}\n`);
    }
    const w: Watcher = { resource, res, bookmarks: q.get('allowWatchBookmarks') === 'true' };
    this.#watchers.add(w);
    res.on('close', () => this.#watchers.delete(w));
  }
}

// ---- objects as kube-apiserver serves them (shapes taken from a kind v1.31 cluster)

export interface NodeSpecInput {
  readonly cpu?: string;
  readonly memory?: string;
  readonly pods?: string;
  readonly labels?: Record<string, string>;
  readonly taints?: Array<{ key: string; value?: string; effect: string }>;
  readonly unschedulable?: boolean;
  readonly extra?: Record<string, string>;
}

let uidCounter = 0;
function uid(seed: string): string {
  const hex = Buffer.from(`${seed}-${++uidCounter}`).toString('hex').padEnd(32, '0').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A full v1 Node as `kubectl get node -o json` shows it. */
export function nodeObject(name: string, s: NodeSpecInput = {}): Obj {
  const resources = { cpu: s.cpu ?? '4', 'ephemeral-storage': '95491281146', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: s.memory ?? '8032196Ki', pods: s.pods ?? '110', ...s.extra };
  const spec: Record<string, unknown> = { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], providerID: `kind://docker/kind/${name}` };
  if (s.taints) spec['taints'] = s.taints;
  if (s.unschedulable) spec['unschedulable'] = true;
  return {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: {
      name,
      uid: uid(name),
      creationTimestamp: '2025-01-10T08:00:00Z',
      labels: { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...s.labels },
      annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock', 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      managedFields: [{ manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: '2025-01-10T08:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {} } } } }],
    },
    spec,
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: '2025-01-10T09:00:00Z', lastTransitionTime: '2025-01-10T08:00:00Z', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'DiskPressure', status: 'False', lastHeartbeatTime: '2025-01-10T09:00:00Z', lastTransitionTime: '2025-01-10T08:00:00Z', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
        { type: 'PIDPressure', status: 'False', lastHeartbeatTime: '2025-01-10T09:00:00Z', lastTransitionTime: '2025-01-10T08:00:00Z', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: '2025-01-10T09:00:00Z', lastTransitionTime: '2025-01-10T08:00:30Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: '0b1c6a3e6f2a4c1f9d5e8a7b6c5d4e3f', systemUUID: '6e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7', bootID: '2f3e4d5c-6b7a-8990-a1b2-c3d4e5f60718',
        kernelVersion: '6.1.0-18-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.7.18',
        kubeletVersion: 'v1.31.0', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64',
      },
      images: [{ names: ['registry.k8s.io/pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097', 'registry.k8s.io/pause:3.10'], sizeBytes: 320368 }],
    },
  };
}

export interface PodSpecInput {
  readonly namespace?: string;
  readonly nodeName?: string;
  readonly phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  readonly cpu?: string;
  readonly memory?: string;
  /** Other requests (nvidia.com/gpu, …); limits are set equal, as extended resources require. */
  readonly extra?: Record<string, string>;
  readonly uid?: string;
}

/** A full v1 Pod as the API server serves it (defaults applied, status filled in by the kubelet). */
export function podObject(name: string, s: PodSpecInput = {}): Obj {
  const requests: Record<string, string> = {};
  if (s.cpu) requests['cpu'] = s.cpu;
  if (s.memory) requests['memory'] = s.memory;
  Object.assign(requests, s.extra);
  const phase = s.phase ?? (s.nodeName ? 'Running' : 'Pending');
  const spec: Record<string, unknown> = {
    volumes: [{ name: 'kube-api-access-x7k2p', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }], defaultMode: 420 } }],
    containers: [{
      name: 'app', image: 'registry.example.com/app:1.2.3', resources: { requests, limits: { ...s.extra } },
      volumeMounts: [{ name: 'kube-api-access-x7k2p', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
    }],
    restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: 'default', serviceAccount: 'default',
    securityContext: {}, schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
  };
  if (s.nodeName) spec['nodeName'] = s.nodeName;
  const status: Record<string, unknown> = { phase, qosClass: s.cpu || s.memory ? 'Burstable' : 'BestEffort' };
  if (s.nodeName) {
    Object.assign(status, {
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-10T08:05:02Z' },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-10T08:05:00Z' },
        { type: 'Ready', status: phase === 'Running' ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: '2025-01-10T08:05:03Z' },
        { type: 'ContainersReady', status: phase === 'Running' ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: '2025-01-10T08:05:03Z' },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-10T08:05:00Z' },
      ],
      hostIP: '172.18.0.2', hostIPs: [{ ip: '172.18.0.2' }], podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }], startTime: '2025-01-10T08:05:00Z',
      containerStatuses: [{
        name: 'app', ready: phase === 'Running', restartCount: 0, image: 'registry.example.com/app:1.2.3',
        imageID: 'registry.example.com/app@sha256:9b2a1c0d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b', started: phase === 'Running',
        containerID: 'containerd://4f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0',
        state: phase === 'Running' ? { running: { startedAt: '2025-01-10T08:05:02Z' } } : { terminated: { exitCode: phase === 'Succeeded' ? 0 : 1, reason: phase === 'Succeeded' ? 'Completed' : 'Error', startedAt: '2025-01-10T08:05:02Z', finishedAt: '2025-01-10T08:06:02Z' } },
      }],
    });
  } else {
    status['conditions'] = [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2025-01-10T08:05:00Z', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }];
  }
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name, namespace: s.namespace ?? 'default', uid: s.uid ?? uid(name), creationTimestamp: '2025-01-10T08:05:00Z',
      labels: { app: name.replace(/-[a-z0-9]{5}$/, '') },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-rs`, uid: uid('rs'), controller: true, blockOwnerDeletion: true }],
    },
    spec,
    status,
  };
}

/** A v1 Namespace as served (kube-apiserver adds the kubernetes.io/metadata.name label). */
export function namespaceObject(name: string, labels: Record<string, string> = {}): Obj {
  return {
    kind: 'Namespace', apiVersion: 'v1',
    metadata: { name, uid: uid(name), creationTimestamp: '2025-01-10T08:00:00Z', labels: { 'kubernetes.io/metadata.name': name, ...labels } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** A kubeconfig YAML (as kind or kubeadm write one) pointing at `server` with a bearer token. */
export function kubeconfigYaml(server: string, opts: { token: string; caData?: string; insecure?: boolean }): string {
  const cluster = opts.caData ? `    certificate-authority-data: ${opts.caData}\n` : opts.insecure ? '    insecure-skip-tls-verify: true\n' : '';
  return `apiVersion: v1
kind: Config
preferences: {}
clusters:
- cluster:
${cluster}    server: ${server}
  name: kind-plugd
contexts:
- context:
    cluster: kind-plugd
    user: plugd-informer
    namespace: plugd-system
  name: kind-plugd
- context:
    cluster: kind-plugd
    user: nobody
  name: other
current-context: kind-plugd
users:
- name: plugd-informer
  user:
    token: ${opts.token}
- name: nobody
  user:
    token: wrong
`;
}
