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

export function zonePlugin(): PluginDefinition {
  const nodes = new NodeSnapshot();
  return definePlugin({
    name: 'bench-zone',
    type: 'SchedulerPlugin',
    capabilities: { failurePolicy: 'FAIL', timeoutMs: 1000 },
    handlers: {
      SyncSnapshot: (s) => nodes.sync(s),
      ApplyDelta: (d) => nodes.apply(d),
      Filter: (req) => {
        const all = nodes.at(req.snapshotGeneration);
        const want = (JSON.parse(req.podJson.toString()) as PodJson).metadata?.labels?.[POD_ZONE_LABEL];
        const candidates = unpackIndices(req.candidates);
        const codes = Buffer.alloc(candidates.length, Code.SUCCESS);
        const reasons: Record<number, string> = {};
        if (want !== undefined) {
          for (let i = 0; i < candidates.length; i++) {
            const zone = all[candidates[i] as number]?.labels[ZONE_LABEL];
            if (zone !== want) {
              codes[i] = Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
              reasons[i] = `node is in zone ${zone ?? '(none)'}, pod wants ${want}`;
            }
          }
        }
        return { codes, reasons };
      },
      Score: (req) => {
        const all = nodes.at(req.snapshotGeneration);
        const candidates = unpackIndices(req.candidates);
        const scores = Buffer.alloc(candidates.length);
        for (let i = 0; i < candidates.length; i++) {
          const n = all[candidates[i] as number];
          scores[i] = n === undefined ? 0 : Math.floor(freeFraction(n, 'memory') * 100);
        }
        return { scores };
      },
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
      Filter: (req) => {
        const all = nodes.at(req.snapshotGeneration);
        const candidates = unpackIndices(req.candidates);
        const codes = Buffer.alloc(candidates.length, Code.SUCCESS);
        const reasons: Record<number, string> = {};
        for (let i = 0; i < candidates.length; i++) {
          if (all[candidates[i] as number]?.labels[MAINTENANCE_LABEL] === 'true') {
            codes[i] = Code.UNSCHEDULABLE;
            reasons[i] = 'node is in maintenance';
          }
        }
        return { codes, reasons };
      },
      Score: (req) => {
        const all = nodes.at(req.snapshotGeneration);
        const candidates = unpackIndices(req.candidates);
        const scores = Buffer.alloc(candidates.length);
        for (let i = 0; i < candidates.length; i++) {
          const n = all[candidates[i] as number];
          scores[i] = n === undefined ? 0 : Math.floor(freeFraction(n, 'cpu') * 100);
        }
        return { scores };
      },
    },
  });
}
