import { afterEach, describe, expect, it } from 'vitest';
import { Code, status, type PluginStatus } from '../scheduling/builtins/types.js';
import { ClusterState } from '../scheduling/cluster-state.js';
import { Framework, type FilterPlugin, type Profile } from '../scheduling/framework.js';
import { extractPod } from '../scheduling/pod.js';
import { defaultProfile, loadSchedulerConfiguration } from '../scheduling/profile.js';
import { ExtenderDoor, extenderDoor, listenExtender, MaxExtenderPriority, type ExtenderServer } from './extender.js';

// ---- fixtures shaped as kube-scheduler's extender client marshals them (v1.Pod, v1.NodeList
// with empty TypeMeta, extender/v1 structs without json tags: PascalCase keys)

type Json = Record<string, unknown>;

function v1Pod(name: string, requests: Record<string, string>, extra: { tolerations?: Json[] } = {}): Json {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '4711',
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { app: 'web' },
      annotations: { 'kubernetes.io/psp': 'restricted' },
    },
    spec: {
      volumes: [{ name: 'kube-api-access-x', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }], defaultMode: 420 } }],
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: { requests },
          volumeMounts: [{ name: 'kube-api-access-x', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
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
        ...(extra.tolerations ?? []),
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

function v1Node(name: string, cpu: string, memory: string, extra: { taints?: Json[] } = {}): Json {
  const resources = { cpu, memory, pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0' };
  return {
    metadata: {
      name,
      uid: `node-uid-${name}`,
      resourceVersion: '1234',
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], providerID: `kind://docker/kind/${name}`, ...(extra.taints === undefined ? {} : { taints: extra.taints }) },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: '6.1.0', osImage: 'Debian', containerRuntimeVersion: 'containerd://1.7', kubeletVersion: 'v1.31.0', kubeProxyVersion: 'v1.31.0', operatingSystem: 'linux', architecture: 'amd64' },
    },
  };
}

// DESIGN.md §3 public case: pod (3000m, 5000) on empty nodes (4000m, 10000) and (6000m, 10000).
const SMALL = v1Node('node-small', '4000m', '10k');
const BIG = v1Node('node-big', '6000m', '10k');
const TINY = v1Node('node-tiny', '2000m', '10k');
const TAINTED = v1Node('node-tainted', '8000m', '10k', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
const BUSY = v1Node('node-busy', '4000m', '10k');
const POD = v1Pod('web-0', { cpu: '3', memory: '5k' });
// Already running on node-busy: 2 of its 4 cpus are taken, so web-0 (3 cpus) fits its capacity but not what is left.
const RUNNING = { ...v1Pod('db-0', { cpu: '2', memory: '1k' }), spec: { ...(v1Pod('db-0', { cpu: '2', memory: '1k' })['spec'] as Json), nodeName: 'node-busy' } };

/** ExtenderArgs as kube-scheduler sends it with nodeCacheCapable: false. */
const fullArgs = (pod: Json, nodes: Json[] | null): Json => ({ Pod: pod, Nodes: { metadata: {}, items: nodes }, NodeNames: null });
/** … and with nodeCacheCapable: true. */
const cachedArgs = (pod: Json, names: string[]): Json => ({ Pod: pod, Nodes: null, NodeNames: names });

const servers: ExtenderServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(door: ExtenderDoor): Promise<string> {
  const s = await listenExtender(door, '127.0.0.1', 0);
  servers.push(s);
  return `${s.url}${door.prefix}`;
}

async function post(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as unknown };
}

function populated(): ClusterState {
  const c = new ClusterState();
  for (const n of [SMALL, BIG, TINY, TAINTED, BUSY]) c.addNode(n);
  c.addPod(extractPod(RUNNING));
  return c;
}

function fitOnlyProfile(): Profile {
  const cfg = loadSchedulerConfiguration({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    profiles: [{ schedulerName: 'fit-only', plugins: { multiPoint: { enabled: [{ name: 'NodeResourcesFit' }, { name: 'DefaultBinder' }], disabled: [{ name: '*' }] } } }],
  });
  return cfg.profiles[0] as Profile;
}

describe('extender door: filter', () => {
  it('nodeCacheCapable=false: upserts the Nodes, echoes the feasible Node objects, puts kube reasons in Failed(AndUnresolvable)Nodes', async () => {
    // The state knows only the running pod (as the host's pod feed would give it); the nodes arrive in the call.
    const cluster = new ClusterState();
    cluster.addPod(extractPod(RUNNING));
    const url = await serve(extenderDoor(defaultProfile(), { cluster }));
    const { status: code, json } = await post(`${url}/filter`, fullArgs(POST_POD(), [SMALL, BIG, TINY, TAINTED, BUSY]));
    expect(code).toBe(200);
    expect(json).toEqual({
      Nodes: { metadata: {}, items: [SMALL, BIG] },
      NodeNames: null,
      // Fits capacity but not what is left: retryable. More than the node's capacity: unresolvable (kube ≥ 1.30).
      FailedNodes: { 'node-busy': 'Insufficient cpu' },
      FailedAndUnresolvableNodes: { 'node-tiny': 'Insufficient cpu', 'node-tainted': 'node(s) had untolerated taint(s)' },
      Error: '',
    });
    expect(cluster.snapshot().nodes.map((n) => n.name)).toEqual(['node-busy', 'node-small', 'node-big', 'node-tiny', 'node-tainted']);
  });

  it('nodeCacheCapable=true: answers NodeNames from the host cluster state; unknown names fail with a clear message', async () => {
    const url = await serve(extenderDoor(defaultProfile(), { cluster: populated() }));
    const { status: code, json } = await post(`${url}/filter`, cachedArgs(POST_POD(), ['node-small', 'node-big', 'node-busy', 'node-tiny', 'node-ghost']));
    expect(code).toBe(200);
    const r = json as { Nodes: unknown; NodeNames: string[]; FailedNodes: Record<string, string>; FailedAndUnresolvableNodes: Record<string, string>; Error: string };
    expect(r.Nodes).toBeNull();
    expect(r.NodeNames).toEqual(['node-small', 'node-big']);
    expect(r.FailedNodes['node-busy']).toBe('Insufficient cpu');
    expect(r.FailedNodes['node-ghost']).toMatch(/node "node-ghost" is not in plugd's node cache/);
    expect(r.FailedAndUnresolvableNodes).toEqual({ 'node-tiny': 'Insufficient cpu' });
    expect(r.Error).toBe('');
  });

  it('evaluates exactly the nodes given, not the whole cluster state', async () => {
    const url = await serve(extenderDoor(defaultProfile(), { cluster: populated() }));
    const { json } = await post(`${url}/filter`, cachedArgs(POST_POD(), ['node-big']));
    expect(json).toMatchObject({ NodeNames: ['node-big'], FailedNodes: {}, FailedAndUnresolvableNodes: {} });
  });

  it('accepts the empty candidate lists kube-scheduler marshals ("items": null, "NodeNames": [])', async () => {
    const url = await serve(extenderDoor(defaultProfile()));
    expect((await post(`${url}/filter`, fullArgs(POST_POD(), null))).json).toMatchObject({ Nodes: { items: [] }, Error: '' });
    expect((await post(`${url}/filter`, cachedArgs(POST_POD(), []))).json).toMatchObject({ NodeNames: [], Error: '' });
  });

  it('a plugin Error is HTTP 200 with Error set', async () => {
    const broken: FilterPlugin = { name: 'Broken', filter: (_c, nodes) => nodes.map((): PluginStatus => status(Code.Error, 'disk on fire')) };
    const p = fitOnlyProfile();
    const profile: Profile = { ...p, filter: [...p.filter, broken] };
    const url = await serve(extenderDoor(profile, { cluster: populated() }));
    const { status: code, json } = await post(`${url}/filter`, cachedArgs(POST_POD(), ['node-big']));
    expect(code).toBe(200);
    expect((json as { Error: string }).Error).toMatch(/Broken.*disk on fire/);
  });
});

// A fresh copy each time: the door must not depend on object identity.
function POST_POD(): Json {
  return structuredClone(POD);
}

describe('extender door: prioritize', () => {
  it('DESIGN.md public case, default profile, both modes: the 6000m node scores higher on 0..10', async () => {
    for (const args of [fullArgs(POST_POD(), [SMALL, BIG]), cachedArgs(POST_POD(), ['node-small', 'node-big'])]) {
      const url = await serve(extenderDoor(defaultProfile(), { cluster: populated() }));
      const { status: code, json } = await post(`${url}/prioritize`, args);
      expect(code).toBe(200);
      const list = json as { Host: string; Score: number }[];
      expect(list.map((h) => h.Host)).toEqual(['node-small', 'node-big']);
      for (const h of list) expect(Number.isInteger(h.Score) && h.Score >= 0 && h.Score <= MaxExtenderPriority).toBe(true);
      expect(list[1]?.Score).toBeGreaterThan(list[0]?.Score ?? Infinity);
    }
  });

  it('scales totals to 0..10 rounding down: LeastAllocated 37 and 50 give 3 and 5', async () => {
    const url = await serve(extenderDoor(fitOnlyProfile(), { cluster: populated() }));
    const { json } = await post(`${url}/prioritize`, cachedArgs(POST_POD(), ['node-small', 'node-big', 'node-ghost']));
    expect(json).toEqual([
      { Host: 'node-small', Score: 3 },
      { Host: 'node-big', Score: 5 },
      { Host: 'node-ghost', Score: 0 },
    ]);
  });

  it('answers under the old Policy API\'s verb names too: predicates as filter, priorities as prioritize', async () => {
    const url = await serve(extenderDoor(fitOnlyProfile(), { cluster: populated() }));
    const args = cachedArgs(POST_POD(), ['node-small', 'node-big', 'node-ghost']);
    expect((await post(`${url}/priorities`, args)).json).toEqual((await post(`${url}/prioritize`, args)).json);
    const filtered = await post(`${url}/predicates`, args);
    expect(filtered.status).toBe(200);
    expect(filtered.json).toEqual((await post(`${url}/filter`, args)).json);
    expect((filtered.json as { NodeNames: string[] }).NodeNames).toContain('node-big');
  });
});

describe('extender door: bind', () => {
  it('binds a pod it filtered through the Bind chain and records it in the cluster state; repeating is idempotent', async () => {
    const cluster = populated();
    const url = await serve(extenderDoor(defaultProfile(), { cluster }));
    await post(`${url}/filter`, cachedArgs(POST_POD(), ['node-small', 'node-big']));
    const bindArgs = { PodName: 'web-0', PodNamespace: 'default', PodUID: 'uid-web-0', Node: 'node-big' };
    expect(await post(`${url}/bind`, bindArgs)).toEqual({ status: 200, json: { Error: '' } });
    expect(cluster.pod('uid-web-0')).toMatchObject({ nodeName: 'node-big', phase: 'bound' });
    expect(cluster.node('node-big')?.requested.get('cpu')).toBe(3000);
    expect(await post(`${url}/bind`, bindArgs)).toEqual({ status: 200, json: { Error: '' } });

    // The bound pod now counts: 3.5 cpus fit neither node-small (4 cpus) nor what is left of node-big (3 of 6).
    const second = v1Pod('web-1', { cpu: '3500m', memory: '5k' });
    const { json } = await post(`${url}/filter`, cachedArgs(second, ['node-small', 'node-big']));
    expect(json).toMatchObject({ NodeNames: ['node-small'], FailedNodes: { 'node-big': 'Insufficient cpu' } });
  });

  it('answers 200 with Error for a pod it never saw, an unknown node, or a failing Bind chain', async () => {
    const cluster = populated();
    const url = await serve(extenderDoor(defaultProfile(), { cluster }));
    const unseen = await post(`${url}/bind`, { PodName: 'nope', PodNamespace: 'default', PodUID: 'uid-nope', Node: 'node-big' });
    expect(unseen.status).toBe(200);
    expect((unseen.json as { Error: string }).Error).toMatch(/default\/nope .*was not seen in a filter or prioritize call/);

    await post(`${url}/prioritize`, cachedArgs(POST_POD(), ['node-big']));
    const ghost = await post(`${url}/bind`, { PodName: 'web-0', PodNamespace: 'default', PodUID: 'uid-web-0', Node: 'node-ghost' });
    expect((ghost.json as { Error: string }).Error).toMatch(/node "node-ghost" is not in plugd's node cache/);

    const p = fitOnlyProfile();
    const refusing: Profile = { ...p, bind: [{ name: 'Refuse', bind: () => status(Code.Error, 'api server said no') }] };
    const url2 = await serve(extenderDoor(refusing, { cluster }));
    await post(`${url2}/filter`, cachedArgs(POST_POD(), ['node-big']));
    const failed = await post(`${url2}/bind`, { PodName: 'web-0', PodNamespace: 'default', PodUID: 'uid-web-0', Node: 'node-big' });
    expect((failed.json as { Error: string }).Error).toMatch(/Refuse.*api server said no/);
    expect(cluster.pod('uid-web-0')).toBeUndefined(); // unreserved and forgotten
  });
});

describe('extender door: preempt', () => {
  // kube-scheduler's dry run found these victims; the preemptor needs 3 cpus.
  const PREEMPTOR = () => v1Pod('urgent-0', { cpu: '3', memory: '1k' });
  const onNode = (pod: Json, node: string): Json => ({ ...pod, spec: { ...(pod['spec'] as Json), nodeName: node } });
  const uid = (pod: Json): string => (pod['metadata'] as { uid: string }).uid;
  // node-busy (4 cpus) holds db-0 (2 cpus, RUNNING); node-tainted (8 cpus) holds tt-0; node-tiny (2 cpus) holds ty-0.
  const TT = onNode(v1Pod('tt-0', { cpu: '1' }), 'node-tainted');
  const TY = onNode(v1Pod('ty-0', { cpu: '1' }), 'node-tiny');
  function preemptCluster(): ClusterState {
    const c = populated();
    c.addPod(extractPod(TT));
    c.addPod(extractPod(TY));
    return c;
  }
  const meta = (...pods: Json[]) => ({ Pods: pods.map((p) => ({ UID: uid(p) })), NumPDBViolations: 0 });

  it('nodeCacheCapable: keeps a node where the pod fits once its victims are gone, drops the ones where it still cannot, answers by UID', async () => {
    const url = await serve(extenderDoor(defaultProfile(), { cluster: preemptCluster() }));
    const args = {
      Pod: PREEMPTOR(),
      NodeNameToVictims: null,
      NodeNameToMetaVictims: {
        'node-busy': { Pods: [{ UID: uid(RUNNING) }], NumPDBViolations: 1 }, // 4 − 0 ≥ 3: kept, PDB count kept
        'node-tainted': meta(TT), // the taint stays: dropped
        'node-tiny': meta(TY), // 2 cpus in all: dropped
        'node-elsewhere': { Pods: [{ UID: 'uid-unknown' }], NumPDBViolations: 0 }, // plugd has no view of it: kept
        'node-small': { Pods: [], NumPDBViolations: 0 }, // no victims: kube-scheduler would refuse it
      },
    };
    const r = await post(`${url}/preempt`, args);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      NodeNameToMetaVictims: {
        'node-busy': { Pods: [{ UID: 'uid-db-0' }], NumPDBViolations: 1 },
        'node-elsewhere': { Pods: [{ UID: 'uid-unknown' }], NumPDBViolations: 0 },
      },
    });
  });

  it('victims plugd does not account on that node free nothing there', async () => {
    const url = await serve(extenderDoor(defaultProfile(), { cluster: preemptCluster() }));
    // tt-0 runs on node-tainted, not node-busy: node-busy keeps db-0's 2 cpus and 3 do not fit.
    const r = await post(`${url}/preempt`, { Pod: PREEMPTOR(), NodeNameToMetaVictims: { 'node-busy': meta(TT) } });
    expect(r.json).toEqual({ NodeNameToMetaVictims: {} });
  });

  it('nodeCacheCapable=false: full victim Pods come back as MetaVictims by UID', async () => {
    const url = await serve(extenderDoor(defaultProfile(), { cluster: preemptCluster() }));
    const r = await post(`${url}/preempt`, { Pod: PREEMPTOR(), NodeNameToVictims: { 'node-busy': { Pods: [RUNNING], NumPDBViolations: 0 }, 'node-tiny': { Pods: [TY], NumPDBViolations: 0 } }, NodeNameToMetaVictims: null });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ NodeNameToMetaVictims: { 'node-busy': { Pods: [{ UID: 'uid-db-0' }], NumPDBViolations: 0 } } });
  });

  it('leaves the cluster state as it was', async () => {
    const cluster = preemptCluster();
    const before = cluster.node('node-busy');
    const url = await serve(extenderDoor(defaultProfile(), { cluster }));
    await post(`${url}/preempt`, { Pod: PREEMPTOR(), NodeNameToMetaVictims: { 'node-busy': meta(RUNNING) } });
    expect(cluster.node('node-busy')).toBe(before);
    expect(cluster.pod('uid-db-0')).toMatchObject({ nodeName: 'node-busy', phase: 'bound' });
  });

  it('a plugin Error is HTTP 500 (ExtenderPreemptionResult has no Error field)', async () => {
    const broken: FilterPlugin = { name: 'Broken', filter: (_c, nodes) => nodes.map((): PluginStatus => status(Code.Error, 'disk on fire')) };
    const p = fitOnlyProfile();
    const url = await serve(extenderDoor({ ...p, filter: [...p.filter, broken] }, { cluster: preemptCluster() }));
    const r = await post(`${url}/preempt`, { Pod: PREEMPTOR(), NodeNameToMetaVictims: { 'node-busy': meta(RUNNING) } });
    expect(r.status).toBe(500);
    expect((r.json as { message: string }).message).toMatch(/Broken.*disk on fire/);
  });
});

describe('extender door: HTTP errors', () => {
  const cases: [string, string, unknown, RegExp][] = [
    ['invalid JSON', 'filter', '{"Pod": {', /not valid JSON/],
    ['empty body', 'filter', '', /empty request body/],
    ['not an object', 'prioritize', '[1,2]', /ExtenderArgs: expected a JSON object, got an array/],
    ['missing Pod', 'filter', { Nodes: null, NodeNames: ['n1'] }, /ExtenderArgs\.Pod is required/],
    ['Pod of the wrong type', 'filter', { Pod: 'web-0', NodeNames: [] }, /ExtenderArgs\.Pod: expected a v1 Pod object, got string/],
    ['no candidates at all', 'filter', { Pod: v1Pod('p', {}), Nodes: null, NodeNames: null }, /one of Nodes .* or NodeNames .* is required/],
    ['NodeNames of the wrong type', 'filter', { Pod: v1Pod('p', {}), NodeNames: 'n1' }, /ExtenderArgs\.NodeNames: expected an array/],
    ['a non-string node name', 'prioritize', { Pod: v1Pod('p', {}), NodeNames: ['n1', 7] }, /ExtenderArgs\.NodeNames\[1\]: expected a string/],
    ['Nodes.items not an array', 'filter', { Pod: v1Pod('p', {}), Nodes: { items: {} } }, /ExtenderArgs\.Nodes\.items: expected an array/],
    ['a bad allocatable quantity', 'filter', fullArgs(v1Pod('p', {}), [v1Node('n1', 'lots', '1Gi')]), /ExtenderArgs\.Nodes\.items\[0\]\.status\.allocatable\.cpu/],
    ['a node without a name', 'filter', fullArgs(v1Pod('p', {}), [{ metadata: {}, status: {} }]), /ExtenderArgs\.Nodes\.items\[0\]\.metadata\.name is required/],
    ['a bad pod quantity', 'filter', cachedArgs(v1Pod('p', { cpu: 'two' }), []), /ExtenderArgs\.Pod\.spec\.containers\[0\]\.resources\.requests\.cpu/],
    ['bind without Node', 'bind', { PodName: 'p', PodNamespace: 'default', PodUID: 'u' }, /ExtenderBindingArgs\.Node is required/],
    ['bind with a numeric PodUID', 'bind', { PodName: 'p', PodNamespace: 'default', PodUID: 5, Node: 'n' }, /ExtenderBindingArgs\.PodUID: expected a string/],
    ['preempt without victims', 'preempt', { Pod: v1Pod('p', {}), NodeNameToVictims: null, NodeNameToMetaVictims: null }, /one of NodeNameToVictims .* or NodeNameToMetaVictims .* is required/],
    ['preempt victims of the wrong type', 'preempt', { Pod: v1Pod('p', {}), NodeNameToMetaVictims: [] }, /ExtenderPreemptionArgs\.NodeNameToMetaVictims: expected an object/],
    ['a MetaPod without a string UID', 'preempt', { Pod: v1Pod('p', {}), NodeNameToMetaVictims: { n1: { Pods: [{ UID: 7 }] } } }, /NodeNameToMetaVictims\["n1"\]\.Pods\[0\]\.UID: expected a string/],
    ['a fractional NumPDBViolations', 'preempt', { Pod: v1Pod('p', {}), NodeNameToVictims: { n1: { Pods: [], NumPDBViolations: 1.5 } } }, /NodeNameToVictims\["n1"\]\.NumPDBViolations: expected an integer, got 1\.5/],
    ['preempt without Pod', 'preempt', { NodeNameToMetaVictims: {} }, /ExtenderPreemptionArgs\.Pod is required/],
  ];
  for (const [what, verb, body, message] of cases) {
    it(`400 for ${what}`, async () => {
      const url = await serve(extenderDoor(defaultProfile(), { cluster: populated() }));
      const r = await post(`${url}/${verb}`, body);
      expect(r.status).toBe(400);
      expect((r.json as { message: string }).message).toMatch(message);
    });
  }

  it('a malformed Nodes list changes nothing in the cluster state', async () => {
    const cluster = new ClusterState();
    const url = await serve(extenderDoor(defaultProfile(), { cluster }));
    const r = await post(`${url}/filter`, fullArgs(POST_POD(), [SMALL, v1Node('n1', 'lots', '1Gi')]));
    expect(r.status).toBe(400);
    expect(cluster.snapshot().nodes).toHaveLength(0);
  });

  it('405 for a wrong method, 404 for an unknown path, 413 past the body limit', async () => {
    const url = await serve(extenderDoor(defaultProfile(), { maxBodyBytes: 1024 }));
    const get = await fetch(`${url}/filter`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    await get.body?.cancel();
    expect((await post(`${url}/reserve`, cachedArgs(POST_POD(), []))).status).toBe(404);
    expect((await post(`${url.replace(/\/scheduler$/, '')}/filter`, cachedArgs(POST_POD(), []))).status).toBe(404);
    const big = await post(`${url}/filter`, fullArgs(POST_POD(), [SMALL, BIG, TINY]));
    expect(big.status).toBe(413);
    expect((big.json as { message: string }).message).toMatch(/exceeds the limit of 1024 bytes/);
  });
});

describe('extender door: the HTTP server', () => {
  it('keeps idle connections longer than kube-scheduler\'s client (Go\'s 90 s IdleConnTimeout), so the client closes first', async () => {
    const s = await listenExtender(extenderDoor(defaultProfile()), '127.0.0.1', 0);
    servers.push(s);
    expect(s.server.keepAliveTimeout).toBeGreaterThan(90_000);
    expect(s.server.headersTimeout).toBeGreaterThan(s.server.keepAliveTimeout);
  });
});

describe('extender door: library API', () => {
  it('the verbs run without HTTP over a given Framework', async () => {
    const cluster = populated();
    const door = new ExtenderDoor({ framework: new Framework(fitOnlyProfile(), cluster), cluster, prefix: '' });
    expect(door.prefix).toBe('');
    const r = await door.filter({ Pod: POST_POD(), Nodes: null, NodeNames: ['node-big', 'node-tiny'] });
    expect(r.NodeNames).toEqual(['node-big']);
  });
});
