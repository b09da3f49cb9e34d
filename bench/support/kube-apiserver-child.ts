/**
 * The list/watch server of the kube-informer suite in a process of its own, so the informer
 * side is measured alone. Commands arrive as JSON lines on stdin, answers go out as JSON lines
 * on stdout; stdin closing (the bench died) ends it.
 *
 *   {"op":"seed","nodes":N,"pods":M}         → {"op":"seeded","url":…,"rv":…}
 *   {"op":"prepare","kind":"podStatus"|"podBind"|"nodeHeartbeat","n":N} → {"op":"prepared"}
 *   {"op":"fire"}    (the prepared events, one write per watch) → {"op":"fired","rv":…,"serverMs":…}
 *   {"op":"expire"}  (deletes node-0, compacts, expires the node watches) → {"op":"expired","rv":…}
 *   {"op":"state"}   → {"op":"state","rv":…,"nodeLists":…,"nodeWatchers":…,"podWatchers":…}
 */
import { createInterface } from 'node:readline';
import { FakeApiServer, nodeObject, podObject, type Obj } from '../../test/fixtures/kube/apiserver.js';

const api = await new FakeApiServer({ token: 'bench' }).listen();
const pods: Obj[] = [];
let nodes = 0;
let bound = 0;
let beats = 0;
const out = (msg: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ ...msg, rv: api.resourceVersion })}\n`);
};

let prepared: { resource: 'pods' | 'nodes'; objs: Obj[] } | undefined;

/** Builds the burst's objects ahead of time, so firing it costs the server one write. */
function prepare(kind: string, n: number): void {
  const objs: Obj[] = [];
  for (let k = 0; k < n; k++) {
    if (kind === 'podStatus') {
      const p = structuredClone(pods[k % pods.length]!);
      ((p.status as { containerStatuses: Array<Record<string, unknown>> }).containerStatuses[0]!)['restartCount'] = k + 1;
      objs.push(p);
    } else if (kind === 'podBind') {
      objs.push(podObject(`new-${bound}`, { nodeName: `node-${bound % nodes}`, cpu: '100m' }));
      bound++;
    } else {
      const node = structuredClone(api.get('nodes', `node-${1 + (beats % (nodes - 1))}`)!);
      ((node.status as { conditions: Array<Record<string, string>> }).conditions[3]!)['lastHeartbeatTime'] = new Date(1_700_000_000_000 + beats * 1000).toISOString();
      objs.push(node);
      beats++;
    }
  }
  prepared = { resource: kind === 'nodeHeartbeat' ? 'nodes' : 'pods', objs };
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line) as { op: string; nodes?: number; pods?: number; kind?: string; n?: number };
  switch (cmd.op) {
    case 'seed':
      nodes = cmd.nodes ?? 0;
      for (let n = 0; n < nodes; n++) api.put('nodes', nodeObject(`node-${n}`, { cpu: String(8 + (n % 4) * 8), memory: `${32 + (n % 4) * 32}Gi` }));
      for (let p = 0; p < (cmd.pods ?? 0); p++) pods.push(api.put('pods', podObject(`pod-${p}`, { namespace: `ns-${p % 50}`, nodeName: `node-${p % nodes}`, cpu: `${100 + (p % 5) * 100}m`, memory: '256Mi' })));
      // The seeding history is never replayed (watches start from the list): drop it.
      api.compact('nodes');
      api.compact('pods');
      return out({ op: 'seeded', url: api.url });
    case 'prepare':
      prepare(cmd.kind ?? '', cmd.n ?? 0);
      return out({ op: 'prepared' });
    case 'fire': {
      const t = performance.now();
      if (prepared) api.putMany(prepared.resource, prepared.objs);
      prepared = undefined;
      return out({ op: 'fired', serverMs: performance.now() - t });
    }
    case 'expire':
      api.delete('nodes', 'node-0');
      api.compact('nodes');
      api.expireWatches('nodes');
      return out({ op: 'expired' });
    case 'state':
      return out({ op: 'state', nodeLists: api.listRequests('nodes').length, nodeWatchers: api.watchers('nodes'), podWatchers: api.watchers('pods') });
  }
});
process.stdin.on('end', () => {
  void api.close().finally(() => process.exit(0));
});
process.on('SIGTERM', () => {
  void api.close().finally(() => process.exit(0));
});
