/**
 * gpu-binpack — a scheduling plugin. Filter: a pod that requests nvidia.com/gpu fits only
 * nodes with that many GPUs free. Score: GPU pods pack onto the fullest GPU nodes that fit;
 * pods without GPUs keep off GPU nodes. Node state arrives once as a snapshot, then deltas.
 *
 *   plugd serve sample-plugins/gpu-binpack
 */
import { definePlugin } from '../../sdk/index.js';
import { Code, NodeSnapshot, podIntegerRequest, unpackIndices } from '../../sdk/scheduling.js';

const GPU = 'nvidia.com/gpu';
const nodes = new NodeSnapshot();

function free(node: { allocatable: Record<string, number>; requested: Record<string, number> }): number {
  return (node.allocatable[GPU] ?? 0) - (node.requested[GPU] ?? 0);
}

export default definePlugin({
  name: 'gpu-binpack',
  type: 'SchedulerPlugin',
  capabilities: { weight: 2, failurePolicy: 'FAIL', timeoutMs: 500 },
  handlers: {
    SyncSnapshot: (snapshot) => nodes.sync(snapshot),
    ApplyDelta: (delta) => nodes.apply(delta),
    Filter: (req) => {
      const all = nodes.at(req.snapshotGeneration);
      const want = podIntegerRequest(JSON.parse(req.podJson.toString()), GPU);
      const candidates = unpackIndices(req.candidates);
      const codes = Buffer.alloc(candidates.length, Code.SUCCESS);
      const reasons: Record<number, string> = {};
      if (want > 0) {
        candidates.forEach((idx, pos) => {
          const node = all[idx];
          if (!node) codes[pos] = Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
          else if (free(node) < want) {
            codes[pos] = Code.UNSCHEDULABLE;
            reasons[pos] = `Insufficient ${GPU} (${free(node)} free, ${want} requested)`;
          }
        });
      }
      return { codes, reasons };
    },
    Score: (req) => {
      const all = nodes.at(req.snapshotGeneration);
      const want = podIntegerRequest(JSON.parse(req.podJson.toString()), GPU);
      const candidates = unpackIndices(req.candidates);
      const scores = Buffer.alloc(candidates.length);
      candidates.forEach((idx, pos) => {
        const node = all[idx];
        const cap = node?.allocatable[GPU] ?? 0;
        if (!node) scores[pos] = 0;
        else if (want === 0) scores[pos] = cap === 0 ? 100 : 0;
        else scores[pos] = cap === 0 ? 0 : Math.floor((Math.min(cap, (node.requested[GPU] ?? 0) + want) * 100) / cap);
      });
      return { scores };
    },
  },
});
