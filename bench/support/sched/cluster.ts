/**
 * The scheduling bench's cluster and pods, deterministic: nodes of varied sizes in five zones,
 * some tainted, cordoned or in maintenance, a few pods already running; pending pods with varied
 * requests, some tolerating the taint, some preferring or requiring a zone, some pinned to a
 * zone through the bench-zone plugin's label.
 */
import { makeNodeJson, makePod } from '../../../host/scheduling/builtins/testing.js';
import { ClusterState } from '../../../host/scheduling/cluster-state.js';
import type { PodSchedulingInfo } from '../../../host/scheduling/pod.js';
import { MAINTENANCE_LABEL, POD_ZONE_LABEL, ZONE_LABEL } from './plugins.js';

const ZONES = 5;

export function buildCluster(nodes: number): ClusterState {
  const state = new ClusterState();
  for (let i = 0; i < nodes; i++) {
    const labels: Record<string, string> = { [ZONE_LABEL]: `z${i % ZONES}`, 'kubernetes.io/hostname': `node-${i}` };
    if (i % 97 === 0) labels[MAINTENANCE_LABEL] = 'true';
    const taints = i % 20 === 0 ? [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] : [];
    state.addNode(makeNodeJson(`node-${i}`, { cpu: `${8 + (i % 4) * 8}`, memory: `${32 + (i % 3) * 32}Gi`, pods: '110', 'ephemeral-storage': '100Gi' },
      { labels, taints, unschedulable: i % 250 === 0 }));
    if (i % 3 === 0) state.addPod(makePod().name(`running-${i}`).node(`node-${i}`).req({ cpu: '2', memory: '4Gi' }).obj());
  }
  return state;
}

export interface PendingPod {
  readonly info: PodSchedulingInfo;
  /** The v1 Pod object, as out-of-process plugins are sent it. */
  readonly object: unknown;
}

export function pendingPods(n: number): PendingPod[] {
  return Array.from({ length: n }, (_, i) => {
    const b = makePod().name(`pending-${i}`).req({ cpu: `${100 + (i % 8) * 100}m`, memory: `${256 + (i % 6) * 256}Mi` });
    if (i % 5 === 0) b.tolerations([{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }]);
    if (i % 7 === 0) {
      b.affinity({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [`z${i % ZONES}`] }] } }] });
    } else if (i % 11 === 0) {
      b.affinity({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'NotIn', values: ['z0'] }] }] } });
    }
    const object = b.json() as { metadata: { labels?: Record<string, string> } };
    if (i % 13 === 0) object.metadata.labels = { ...(object.metadata.labels ?? {}), [POD_ZONE_LABEL]: `z${(i + 2) % ZONES}` };
    return { info: b.obj(), object };
  });
}
