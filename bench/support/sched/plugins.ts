/**
 * The two scheduling plugins of the scheduling bench, each Filter + Score over the node
 * snapshot the host feeds (SyncSnapshot once, then ApplyDelta), as a plugin author would
 * write them with the SDK. The same definitions run as separate processes (zone.ts,
 * spread.ts, served by `plugd serve`) and in-process, so the two runs differ only in transport.
 *
 *  - bench-zone: a pod labelled `bench.plugd.dev/zone: zN` fits only nodes in that zone;
 *    Score prefers nodes with more memory free.
 *  - bench-spread: nodes labelled `bench.plugd.dev/maintenance: "true"` fit nobody; Score
 *    prefers nodes with less CPU requested.
 */
import { definePlugin, type PluginDefinition } from '../../../sdk/index.js';
import { Code, NodeSnapshot, unpackIndices, type SchedulingNode } from '../../../sdk/scheduling.js';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const POD_ZONE_LABEL = 'bench.plugd.dev/zone';
export const MAINTENANCE_LABEL = 'bench.plugd.dev/maintenance';

interface PodJson {
  metadata?: { labels?: Record<string, string> };
}

function freeFraction(node: SchedulingNode, resource: string): number {
  const alloc = node.allocatable[resource] ?? 0;
  return alloc <= 0 ? 0 : Math.max(0, alloc - (node.nonZeroRequested[resource] ?? node.requested[resource] ?? 0)) / alloc;
}

type Reject = (node: SchedulingNode | undefined) => string | undefined;

/**
 * Filter: `forPod` turns the pod into a rule (undefined: every node passes); candidates the rule
 * names a reason for get `code`, the rest pass.
 */
function filterBy(nodes: NodeSnapshot, forPod: (podJson: Buffer) => Reject | undefined, code: number = Code.UNSCHEDULABLE) {
  return (req: { snapshotGeneration: number; podJson: Buffer; candidates: Buffer }) => {
    const all = nodes.at(req.snapshotGeneration);
    const reject = forPod(req.podJson);
    const candidates = unpackIndices(req.candidates);
    const codes = Buffer.alloc(candidates.length, Code.SUCCESS);
    const reasons: Record<number, string> = {};
    for (let i = 0; reject !== undefined && i < candidates.length; i++) {
      const why = reject(all[candidates[i] as number]);
      if (why !== undefined) {
        codes[i] = code;
        reasons[i] = why;
      }
    }
    return { codes, reasons };
  };
}

/** Score: one byte per candidate from `score` (0 for an index the plugin does not hold). */
function scoreBy(nodes: NodeSnapshot, score: (node: SchedulingNode) => number) {
  return (req: { snapshotGeneration: number; candidates: Buffer }) => {
    const all = nodes.at(req.snapshotGeneration);
    const candidates = unpackIndices(req.candidates);
    const scores = Buffer.alloc(candidates.length);
    for (let i = 0; i < candidates.length; i++) {
      const n = all[candidates[i] as number];
      scores[i] = n === undefined ? 0 : score(n);
    }
    return { scores };
  };
}

export function zonePlugin(): PluginDefinition {
  const nodes = new NodeSnapshot();
  return definePlugin({
    name: 'bench-zone',
    type: 'SchedulerPlugin',
    capabilities: { failurePolicy: 'FAIL', timeoutMs: 1000 },
    handlers: {
      SyncSnapshot: (s) => nodes.sync(s),
      ApplyDelta: (d) => nodes.apply(d),
      Filter: filterBy(nodes, (podJson) => {
        const want = (JSON.parse(podJson.toString()) as PodJson).metadata?.labels?.[POD_ZONE_LABEL];
        if (want === undefined) return undefined;
        return (node) => {
          const zone = node?.labels[ZONE_LABEL];
          return zone === want ? undefined : `node is in zone ${zone ?? '(none)'}, pod wants ${want}`;
        };
      }, Code.UNSCHEDULABLE_AND_UNRESOLVABLE),
      Score: scoreBy(nodes, (n) => Math.floor(freeFraction(n, 'memory') * 100)),
    },
  });
}

export function spreadPlugin(): PluginDefinition {
  const nodes = new NodeSnapshot();
  return definePlugin({
    name: 'bench-spread',
    type: 'SchedulerPlugin',
    capabilities: { failurePolicy: 'FAIL', timeoutMs: 1000 },
    handlers: {
      SyncSnapshot: (s) => nodes.sync(s),
      ApplyDelta: (d) => nodes.apply(d),
      Filter: filterBy(nodes, () => (node) => (node?.labels[MAINTENANCE_LABEL] === 'true' ? 'node is in maintenance' : undefined)),
      Score: scoreBy(nodes, (n) => Math.floor(freeFraction(n, 'cpu') * 100)),
    },
  });
}
