import { describe, expect, it } from 'vitest';
import { ClusterState, nodeInfoWithout, podKey, type NodeInfo } from '../cluster-state.js';
import { CycleState, type CycleContext } from '../framework-types.js';
import { Framework } from '../framework.js';
import { extractPod, type PodSchedulingInfo } from '../pod.js';
import { nodePortsPlugin } from '../plugins.js';
import { defaultProfile } from '../profile.js';
import { checkConflict, ErrNodePortsPreFilterState, ErrReasonNodePorts, hostPort, NO_HOST_PORTS, withHostPorts } from './ports.js';
import { makeNodeJson, makePod } from './testing.js';
import { Code, SKIP, status, SUCCESS, type PluginStatus } from './types.js';

/** node_ports_test.go newPod: "PROTOCOL/hostIP/hostPort" each, all in one container. */
function newPod(host: string, ...hostPortInfos: string[]): PodSchedulingInfo {
  const ports = hostPortInfos.map((info) => {
    const [protocol, hostIP, port] = info.split('/') as [string, string, string];
    return { hostIP, hostPort: Number(port), protocol };
  });
  return makePod().name(`${host}-${hostPortInfos.join(',')}`).node(host).containerPort(ports).obj();
}

/** framework.NewNodeInfo(pods...): a node whose NodeInfo accounts for these pods, through ClusterState. */
function nodeInfoWith(...pods: PodSchedulingInfo[]): NodeInfo {
  const cluster = new ClusterState();
  cluster.addNode(makeNodeJson('m1', { pods: '110' }));
  for (const p of pods) cluster.addPod(p);
  return cluster.snapshot().get('m1') as NodeInfo;
}

function context(pod: PodSchedulingInfo): CycleContext {
  return { pod, state: new CycleState(), snapshot: new ClusterState().snapshot() };
}

const plugin = nodePortsPlugin();
const runPreFilter = async (ctx: CycleContext): Promise<PluginStatus> => (await plugin.preFilter?.(ctx))?.status as PluginStatus;
const runFilter = async (ctx: CycleContext, n: NodeInfo): Promise<PluginStatus> => ((await plugin.filter?.(ctx, [n])) ?? [])[0] as PluginStatus;
const unfit = status(Code.Unschedulable, ErrReasonNodePorts);

// kubernetes/kubernetes pkg/scheduler/framework/plugins/nodeports/node_ports_test.go, TestNodePorts.
describe('NodePorts (TestNodePorts)', () => {
  const cases: { name: string; pod: PodSchedulingInfo; nodeInfo: NodeInfo; wantPreFilter?: PluginStatus; wantFilter?: PluginStatus }[] = [
    { name: 'skip filter', pod: extractPod({}), nodeInfo: nodeInfoWith(), wantPreFilter: SKIP },
    { name: 'other port', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: nodeInfoWith(newPod('m1', 'UDP/127.0.0.1/9090')) },
    { name: 'same udp port', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: nodeInfoWith(newPod('m1', 'UDP/127.0.0.1/8080')), wantFilter: unfit },
    { name: 'same tcp port', pod: newPod('m1', 'TCP/127.0.0.1/8080'), nodeInfo: nodeInfoWith(newPod('m1', 'TCP/127.0.0.1/8080')), wantFilter: unfit },
    { name: 'different host ip', pod: newPod('m1', 'TCP/127.0.0.1/8080'), nodeInfo: nodeInfoWith(newPod('m1', 'TCP/127.0.0.2/8080')) },
    { name: 'different protocol', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: nodeInfoWith(newPod('m1', 'TCP/127.0.0.1/8080')) },
    {
      name: 'second udp port conflict',
      pod: newPod('m1', 'UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'),
      nodeInfo: nodeInfoWith(newPod('m1', 'UDP/127.0.0.1/8080')),
      wantFilter: unfit,
    },
    {
      name: 'first tcp port conflict',
      pod: newPod('m1', 'TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'),
      nodeInfo: nodeInfoWith(newPod('m1', 'TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081')),
      wantFilter: unfit,
    },
    {
      name: 'first tcp port conflict due to 0.0.0.0 hostIP',
      pod: newPod('m1', 'TCP/0.0.0.0/8001'),
      nodeInfo: nodeInfoWith(newPod('m1', 'TCP/127.0.0.1/8001')),
      wantFilter: unfit,
    },
    {
      name: 'TCP hostPort conflict due to 0.0.0.0 hostIP',
      pod: newPod('m1', 'TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'),
      nodeInfo: nodeInfoWith(newPod('m1', 'TCP/127.0.0.1/8001')),
      wantFilter: unfit,
    },
    {
      name: 'second tcp port conflict to 0.0.0.0 hostIP',
      pod: newPod('m1', 'TCP/127.0.0.1/8001'),
      nodeInfo: nodeInfoWith(newPod('m1', 'TCP/0.0.0.0/8001')),
      wantFilter: unfit,
    },
    { name: 'second different protocol', pod: newPod('m1', 'UDP/127.0.0.1/8001'), nodeInfo: nodeInfoWith(newPod('m1', 'TCP/0.0.0.0/8001')) },
    {
      name: 'UDP hostPort conflict due to 0.0.0.0 hostIP',
      pod: newPod('m1', 'UDP/127.0.0.1/8001'),
      nodeInfo: nodeInfoWith(newPod('m1', 'TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001')),
      wantFilter: unfit,
    },
  ];
  it.each(cases)('$name', async ({ pod, nodeInfo, wantPreFilter, wantFilter }) => {
    const ctx = context(pod);
    const pre = await runPreFilter(ctx);
    expect(pre).toEqual(wantPreFilter ?? SUCCESS);
    if (pre.code === Code.Skip) return;
    expect(await runFilter(ctx, nodeInfo)).toEqual(wantFilter ?? SUCCESS);
  });
});

// node_ports_test.go, TestPreFilterDisabled: Filter without PreFilter's state is an Error (fwk.ErrNotFound).
describe('NodePorts (TestPreFilterDisabled)', () => {
  it('answers Error when PreFilter did not run', async () => {
    const cluster = new ClusterState();
    cluster.addNode(makeNodeJson('n'));
    const got = await runFilter(context(extractPod({})), cluster.snapshot().get('n') as NodeInfo);
    expect(got).toEqual(status(Code.Error, ErrNodePortsPreFilterState));
  });
});

// node_ports_test.go, TestGetContainerPorts (one pod at a time: plugd extracts per pod).
describe('host ports of a pod (TestGetContainerPorts, schedutil.GetHostPorts)', () => {
  it('keeps only ports with a hostPort, in container order, with defaults applied', () => {
    const p = (n: number, host = true): Record<string, unknown> => ({ containerPort: n, ...(host ? { hostPort: n } : {}), protocol: 'TCP' });
    const pod = makePod().containerPort([p(8001), p(8002)]).containerPort([p(8003), p(8004)]).containerPort([p(8005, false)]).obj();
    expect(pod.hostPorts).toEqual([8001, 8002, 8003, 8004].map((n) => hostPort('', 'TCP', n)));
    expect(hostPort('', '', 80)).toEqual({ hostIP: '0.0.0.0', protocol: 'TCP', hostPort: 80 });
  });
  it('counts sidecar (restartPolicy Always) init containers first and ignores other init containers', () => {
    const json = makePod().containerPort([{ hostPort: 80 }]).sidecarPort([{ hostPort: 9000, protocol: 'UDP' }]).json();
    (json['spec'] as { initContainers: unknown[] }).initContainers.push({ name: 'plain', ports: [{ hostPort: 7000 }] });
    expect(extractPod(json).hostPorts).toEqual([hostPort('', 'UDP', 9000), hostPort('', 'TCP', 80)]);
  });
});

describe('NodeInfo.usedPorts in the cluster state', () => {
  const web = (name: string, node: string): PodSchedulingInfo => makePod().name(name).node(node).containerPort([{ hostPort: 80 }]).obj();

  it('follows pods added, assumed, forgotten and removed, and snapshots keep their own', () => {
    const cluster = new ClusterState();
    cluster.addNode(makeNodeJson('n', { pods: '110' }));
    const a = web('a', 'n');
    cluster.addPod(a);
    const withA = cluster.snapshot();
    expect(checkConflict(withA.get('n')?.usedPorts ?? NO_HOST_PORTS, hostPort('10.0.0.1', 'TCP', 80))).toBe(true);
    const b = makePod().name('b').containerPort([{ hostPort: 443, hostIP: '10.0.0.2' }]).obj();
    cluster.assume(b, 'n');
    const used = cluster.node('n')?.usedPorts ?? NO_HOST_PORTS;
    expect(checkConflict(used, hostPort('', 'TCP', 443))).toBe(true);
    expect(checkConflict(used, hostPort('10.0.0.3', 'TCP', 443))).toBe(false);
    cluster.forget(podKey(b));
    expect(checkConflict(cluster.node('n')?.usedPorts ?? NO_HOST_PORTS, hostPort('', 'TCP', 443))).toBe(false);
    cluster.removePod(podKey(a));
    expect(cluster.node('n')?.usedPorts.size).toBe(0);
    // The earlier snapshot is unchanged.
    expect(checkConflict(withA.get('n')?.usedPorts ?? NO_HOST_PORTS, hostPort('', 'TCP', 80))).toBe(true);
  });

  it('keeps a port held by two pods until both are gone (counted, where kube keeps a set)', () => {
    const cluster = new ClusterState();
    cluster.addNode(makeNodeJson('n', { pods: '110' }));
    cluster.addPod(web('a', 'n'));
    cluster.addPod(web('b', 'n'));
    cluster.removePod('a');
    expect(checkConflict(cluster.node('n')?.usedPorts ?? NO_HOST_PORTS, hostPort('', 'TCP', 80))).toBe(true);
    cluster.removePod('b');
    expect(cluster.node('n')?.usedPorts.size).toBe(0);
  });

  it('keeps pods without host ports free of copies, and nodeInfoWithout frees the victims\' ports', () => {
    const cluster = new ClusterState();
    cluster.addNode(makeNodeJson('n', { pods: '110' }));
    cluster.addPod(makePod().name('plain').node('n').req({ cpu: '1' }).obj());
    expect(cluster.node('n')?.usedPorts).toBe(NO_HOST_PORTS);
    const a = web('a', 'n');
    cluster.addPod(a);
    const info = cluster.node('n') as NodeInfo;
    expect(nodeInfoWithout(info, [a]).usedPorts.size).toBe(0);
    expect(info.usedPorts.size).toBe(1);
  });

  it('withHostPorts leaves its input alone', () => {
    const one = withHostPorts(NO_HOST_PORTS, [hostPort('', 'TCP', 80)], 1);
    const two = withHostPorts(one, [hostPort('', 'TCP', 81), hostPort('1.2.3.4', 'UDP', 53)], 1);
    expect([...(one.get('0.0.0.0') ?? new Map()).keys()]).toEqual(['TCP/80']);
    expect(withHostPorts(two, [hostPort('', 'TCP', 80), hostPort('', 'TCP', 81)], -1)).toEqual(new Map([['1.2.3.4', new Map([['UDP/53', 1]])]]));
  });
});

describe('NodePorts in the default profile', () => {
  it('spreads pods wanting one host port over nodes, counting assumed pods, and reports the reason when none is left', async () => {
    const cluster = new ClusterState();
    for (const n of ['n1', 'n2']) cluster.addNode(makeNodeJson(n, { cpu: '4', memory: '8Gi', pods: '110' }));
    const fw = new Framework(defaultProfile(), cluster, { seed: 1, columns: false });
    const pod = (name: string): PodSchedulingInfo => makePod().name(name).containerPort([{ hostPort: 8080 }]).obj();
    const first = await fw.scheduleOne(pod('a'));
    const second = await fw.scheduleOne(pod('b'));
    expect(new Set([first.node, second.node])).toEqual(new Set(['n1', 'n2']));
    const third = await fw.scheduleOne(pod('c'));
    expect(third.node).toBeNull();
    expect([...third.filtered.values()].map((s) => [s.plugin, s.code, s.reasons])).toEqual([
      ['NodePorts', Code.Unschedulable, [ErrReasonNodePorts]],
      ['NodePorts', Code.Unschedulable, [ErrReasonNodePorts]],
    ]);
    expect(third.message).toContain(`2 ${ErrReasonNodePorts}`);
  });
});
