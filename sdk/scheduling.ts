/**
 * Helpers for scheduling plugins: the node snapshot a plugin keeps (full snapshot, then
 * deltas, STALE when a generation is missed) and the packed encodings of candidate sets,
 * codes and scores that keep per-pod calls compact.
 */
import * as grpc from '@grpc/grpc-js';
import type { Node__Output } from '../proto/gen/plugd/scheduling/v1/Node.js';
import type { Snapshot__Output } from '../proto/gen/plugd/scheduling/v1/Snapshot.js';
import type { SnapshotDelta__Output } from '../proto/gen/plugd/scheduling/v1/SnapshotDelta.js';
import type { SyncAck } from '../proto/gen/plugd/scheduling/v1/SyncAck.js';

export type SchedulingNode = Node__Output;

/** Status codes, as kube-scheduler numbers them. */
export const Code = { SUCCESS: 0, ERROR: 1, UNSCHEDULABLE: 2, UNSCHEDULABLE_AND_UNRESOLVABLE: 3, WAIT: 4, SKIP: 5, PENDING: 6 } as const;

/** Packed little-endian uint32 node indices → Uint32Array. */
export function unpackIndices(buf: Uint8Array): Uint32Array {
  if (buf.length % 4 !== 0) throw new RangeError(`packed indices: ${buf.length} bytes is not a multiple of 4`);
  if (buf.byteOffset % 4 === 0) return new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  return new Uint32Array(new Uint8Array(buf).buffer); // copy: the view is not 4-byte aligned
}

/** Node indices → packed little-endian uint32 bytes. */
export function packIndices(indices: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(indices.length * 4);
  for (let i = 0; i < indices.length; i++) out.writeUInt32LE(indices[i]!, i * 4);
  return out;
}

/**
 * The plugin's copy of the cluster's nodes, by snapshot index. Feed it SyncSnapshot and
 * ApplyDelta; call `at(generation)` in per-pod hooks: it throws FAILED_PRECONDITION when the
 * plugin lacks that generation, which makes the host resend the snapshot and retry.
 */
export class NodeSnapshot {
  generation = 0;
  nodes: Array<SchedulingNode | undefined> = [];
  readonly #byName = new Map<string, number>();

  sync(s: Snapshot__Output): SyncAck {
    this.nodes = new Array(s.indexEnd);
    this.#byName.clear();
    for (const n of s.nodes) this.#put(n);
    this.generation = s.generation;
    return { result: 'OK', generation: this.generation };
  }

  apply(d: SnapshotDelta__Output): SyncAck {
    if (d.fromGeneration !== this.generation) return { result: 'STALE', generation: this.generation };
    for (const name of d.removed) {
      const i = this.#byName.get(name);
      if (i !== undefined) this.nodes[i] = undefined;
      this.#byName.delete(name);
    }
    for (const n of d.upserted) this.#put(n);
    if (this.nodes.length < d.indexEnd) this.nodes.length = d.indexEnd;
    this.generation = d.toGeneration;
    return { result: 'OK', generation: this.generation };
  }

  #put(n: SchedulingNode): void {
    this.nodes[n.index] = n;
    this.#byName.set(n.name, n.index);
  }

  /** The nodes array, provided the plugin holds `generation`. */
  at(generation: number): Array<SchedulingNode | undefined> {
    if (generation !== this.generation) {
      throw Object.assign(new Error(`snapshot generation ${generation} not held (have ${this.generation})`), { code: grpc.status.FAILED_PRECONDITION });
    }
    return this.nodes;
  }
}

interface PodSpecLike {
  spec?: { containers?: Array<{ resources?: { requests?: Record<string, string | number> } }> };
}

/** Sum of the containers' requests for one extended (integer) resource, e.g. nvidia.com/gpu. */
export function podIntegerRequest(pod: PodSpecLike, resource: string): number {
  let total = 0;
  for (const c of pod.spec?.containers ?? []) {
    const v = c.resources?.requests?.[resource];
    if (v !== undefined) total += Number(v);
  }
  return total;
}
