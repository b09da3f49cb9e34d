/**
 * NodeColumns: the cluster's nodes as a columnar table in shared memory (layout in
 * score-worker.ts), one row per node, for the worker pool's resource scoring. Kept up to date
 * incrementally, from a ClusterState snapshot (sync: only replaced NodeInfo objects are
 * rewritten) or from single node changes (upsert/remove). Main-thread side: the only writer.
 *
 * Writers and readers share memory without locks: change the table only while no scoring
 * task over it is in flight (a scheduling cycle's tasks finish before the next change; the
 * generation lets a reader detect a write that raced it).
 */
import type { ClusterSnapshot, NodeInfo } from './cluster-state.js';
import { isScalarResourceName, ResourceCPU, ResourceEphemeralStorage, ResourceMemory, ResourcePods } from './pod.js';
import { SharedColumns } from '../pool/columns.js';
import { EXTENDED_SCHEMA, NODE_SCHEMA, type ExtendedSchema, type NodeColumnsDescriptor, type NodeSchema } from './score-worker.js';

export type { NodeColumnsDescriptor } from './score-worker.js';

export interface NodeColumnsOptions {
  /** Rows to allocate up front. Default 64; the table doubles as nodes are added. */
  capacity?: number;
  /** Extended-resource slots per node to allocate up front. Default 4; doubles when exceeded. */
  extendedSlots?: number;
}

/** What sync() changed. */
export interface SyncResult {
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
}

/** A node name the table does not hold. */
export class NodeColumnsError extends Error {
  readonly code = 'PLUGD_ERR_NODE_COLUMNS' as const;
  constructor(message: string) {
    super(message);
    this.name = 'NodeColumnsError';
  }
}

export class NodeColumns {
  readonly #nodes: SharedColumns<NodeSchema>;
  #ext: SharedColumns<ExtendedSchema>;
  #stride: number;
  /** Scalar resource name → slot; slots are never reused. */
  readonly #slots = new Map<string, number>();
  readonly #slotNames: string[] = [];
  readonly #rows = new Map<string, number>();
  /** The NodeInfo each row was written from (immutable objects: identity means unchanged). */
  readonly #infos: NodeInfo[] = [];
  #generation = 0;
  #descriptor: NodeColumnsDescriptor | undefined;
  /** The generation each row was last written at (a batch computed before it must redo that row). */
  readonly #rowGen: number[] = [];
  /** Bumped when rows move, appear or go, or slots are added: positions computed before are void. */
  #layout = 0;
  /** The snapshot the table was last synced to, for journal-based syncs. */
  #synced: ClusterSnapshot | undefined;

  constructor(options: NodeColumnsOptions = {}) {
    const capacity = options.capacity ?? 64;
    const slots = options.extendedSlots ?? 4;
    if (!Number.isInteger(slots) || slots < 1 || slots > 1024) throw new RangeError(`NodeColumns: options.extendedSlots must be an integer in [1, 1024], got ${slots}`);
    this.#nodes = SharedColumns.create(NODE_SCHEMA, { capacity });
    this.#stride = slots;
    this.#ext = SharedColumns.create(EXTENDED_SCHEMA, { capacity: capacity * slots });
  }

  /** Nodes (rows) in the table. */
  get length(): number {
    return this.#infos.length;
  }

  /** Bumped by every change; equal generations mean equal contents. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Bumped whenever rows are added, removed (the last row moves) or extended slots are added:
   * results by row computed at another layout generation do not line up with the table.
   */
  get layoutGeneration(): number {
    return this.#layout;
  }

  /** Rows written after `generation` (their contents changed since a task computed at it started). */
  rowsWrittenSince(generation: number): number[] {
    const out: number[] = [];
    const gens = this.#rowGen;
    for (let row = 0; row < gens.length; row++) if ((gens[row] as number) > generation) out.push(row);
    return out;
  }

  /** Extended-resource names by slot. */
  get slots(): readonly string[] {
    return this.#slotNames;
  }

  rowOf(name: string): number | undefined {
    return this.#rows.get(name);
  }

  /** The NodeInfo row `row` holds. */
  infoAt(row: number): NodeInfo {
    const info = this.#infos[row];
    if (info === undefined) throw new RangeError(`row ${row} is outside the ${this.#infos.length} nodes`);
    return info;
  }

  /** The slot of a scalar resource some node has, if any. */
  slotOf(resource: string): number | undefined {
    return this.#slots.get(resource);
  }

  /** The rows of these nodes (by NodeInfo or name), in order, in shared memory for a task. */
  rowsOf(nodes: readonly (NodeInfo | string)[]): Uint32Array<SharedArrayBuffer> {
    const rows = new Uint32Array(new SharedArrayBuffer(nodes.length * 4));
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as NodeInfo | string;
      const name = typeof n === 'string' ? n : n.name;
      const row = this.#rows.get(name);
      if (row === undefined) throw new NodeColumnsError(`node ${name} is not in the node columns (sync them with the cluster state first)`);
      rows[i] = row;
    }
    return rows;
  }

  /** Writes a node's row (adding it when new); a no-op for the NodeInfo already written. Returns its row. */
  upsert(info: NodeInfo): number {
    this.#synced = undefined; // changed by hand: the next sync compares every node
    return this.#upsert(info);
  }

  /** Removes a node's row (the last row moves into its place). Returns whether it was there. */
  remove(name: string): boolean {
    this.#synced = undefined;
    return this.#remove(name);
  }

  #upsert(info: NodeInfo): number {
    let row = this.#rows.get(info.name);
    if (row !== undefined && this.#infos[row] === info) return row;
    if (row === undefined) {
      row = this.#nodes.addRow();
      this.#ext.resize((row + 1) * this.#stride);
      this.#rows.set(info.name, row);
      this.#infos.push(info);
      this.#layout++;
    } else {
      this.#infos[row] = info;
    }
    this.#write(row, info);
    return row;
  }

  #remove(name: string): boolean {
    const row = this.#rows.get(name);
    if (row === undefined) return false;
    const last = this.#infos.length - 1;
    const moved = this.#nodes.swapRemove(row);
    if (moved !== -1) {
      const ext = this.#extColumns();
      const from = last * this.#stride;
      const to = row * this.#stride;
      ext.alloc.copyWithin(to, from, from + this.#stride);
      ext.req.copyWithin(to, from, from + this.#stride);
      const movedInfo = this.#infos[last] as NodeInfo;
      this.#infos[row] = movedInfo;
      this.#rows.set(movedInfo.name, row);
    }
    this.#infos.pop();
    this.#rowGen.length = this.#infos.length;
    this.#layout++;
    this.#rows.delete(name);
    this.#ext.resize(last * this.#stride);
    this.#changed();
    if (row < this.#infos.length) this.#rowGen[row] = this.#generation;
    return true;
  }

  /**
   * Brings the table to a snapshot's nodes: rewrites the rows whose NodeInfo was replaced,
   * adds new nodes, removes the ones gone. O(nodes) reference checks plus O(changes) writes.
   */
  sync(snapshot: ClusterSnapshot | readonly NodeInfo[]): SyncResult {
    if (!Array.isArray(snapshot)) {
      const snap = snapshot as ClusterSnapshot;
      const last = this.#synced;
      this.#synced = snap;
      // A newer snapshot of the same state: only the nodes its change journal names.
      const changed = last !== undefined && last.source === snap.source && last.generation <= snap.generation ? snap.changedSince(last.generation) : undefined;
      if (changed !== undefined) return this.#syncChanged(snap, changed);
    } else this.#synced = undefined;
    const nodes = Array.isArray(snapshot) ? (snapshot as readonly NodeInfo[]) : (snapshot as ClusterSnapshot).nodes;
    let added = 0;
    let updated = 0;
    const seen = new Set<string>();
    for (const info of nodes) {
      seen.add(info.name);
      const row = this.#rows.get(info.name);
      if (row !== undefined && this.#infos[row] === info) continue;
      if (row === undefined) added++;
      else updated++;
      this.#upsert(info);
    }
    let removed = 0;
    // Every node seen is in the table now, so any extra row is a node that is gone.
    if (this.#infos.length > seen.size) {
      const gone = this.#infos.filter((i) => !seen.has(i.name)).map((i) => i.name);
      for (const name of gone) if (this.#remove(name)) removed++;
    }
    return { added, updated, removed };
  }

  #syncChanged(snapshot: ClusterSnapshot, changed: readonly string[]): SyncResult {
    let added = 0;
    let updated = 0;
    let removed = 0;
    for (const name of changed) {
      const info = snapshot.get(name);
      const row = this.#rows.get(name);
      if (info === undefined) {
        if (this.#remove(name)) removed++;
      } else if (row === undefined || this.#infos[row] !== info) {
        if (row === undefined) added++;
        else updated++;
        this.#upsert(info);
      }
    }
    return { added, updated, removed };
  }

  /** What a scoring task needs to read the table (valid until the table next grows). */
  describe(): NodeColumnsDescriptor {
    const nodes = this.#nodes.describe();
    const extended = this.#ext.describe();
    const d = this.#descriptor;
    if (d !== undefined && d.nodes === nodes && d.extended === extended && d.slots.length === this.#slotNames.length) return d;
    this.#descriptor = Object.freeze({
      kind: 'plugd.node-columns',
      nodes,
      extended,
      stride: this.#stride,
      slots: Object.freeze([...this.#slotNames]),
    });
    return this.#descriptor;
  }

  #write(row: number, info: NodeInfo): void {
    for (const name of info.allocatable.keys()) if (isScalarResourceName(name) && !this.#slots.has(name)) this.#addSlot(name);
    const t = this.#nodes;
    const a = info.allocatable;
    const r = info.requested;
    t.column('allocCpu')[row] = a.get(ResourceCPU) ?? 0;
    t.column('allocMemory')[row] = a.get(ResourceMemory) ?? 0;
    t.column('allocEphemeral')[row] = a.get(ResourceEphemeralStorage) ?? 0;
    t.column('allocPods')[row] = a.get(ResourcePods) ?? 0;
    t.column('reqCpu')[row] = r.get(ResourceCPU) ?? 0;
    t.column('reqMemory')[row] = r.get(ResourceMemory) ?? 0;
    t.column('reqEphemeral')[row] = r.get(ResourceEphemeralStorage) ?? 0;
    t.column('nonZeroCpu')[row] = info.nonZeroRequested.milliCPU;
    t.column('nonZeroMemory')[row] = info.nonZeroRequested.memory;
    t.column('podCount')[row] = info.podCount;
    t.column('unschedulable')[row] = info.node.unschedulable ? 1 : 0;
    const ext = this.#extColumns();
    const base = row * this.#stride;
    for (let s = 0; s < this.#slotNames.length; s++) {
      const name = this.#slotNames[s] as string;
      ext.alloc[base + s] = a.get(name) ?? 0;
      ext.req[base + s] = r.get(name) ?? 0;
    }
    t.bump();
    this.#ext.bump();
    this.#changed();
    this.#rowGen[row] = this.#generation;
  }

  #extColumns(): { alloc: Float64Array<SharedArrayBuffer>; req: Float64Array<SharedArrayBuffer> } {
    return { alloc: this.#ext.column('alloc'), req: this.#ext.column('req') };
  }

  /** Allocates a slot; past the stride, moves the extended table to one with twice the slots per node. */
  #addSlot(name: string): void {
    this.#layout++;
    const slot = this.#slotNames.length;
    if (slot >= this.#stride) {
      const stride = this.#stride * 2;
      const rows = this.#infos.length;
      const next = SharedColumns.create(EXTENDED_SCHEMA, { capacity: Math.max(this.#nodes.capacity, rows) * stride });
      next.resize(rows * stride);
      const old = this.#extColumns();
      const alloc = next.column('alloc');
      const req = next.column('req');
      for (let row = 0; row < rows; row++) {
        alloc.set(old.alloc.subarray(row * this.#stride, (row + 1) * this.#stride), row * stride);
        req.set(old.req.subarray(row * this.#stride, (row + 1) * this.#stride), row * stride);
      }
      next.bump();
      this.#ext = next;
      this.#stride = stride;
    }
    this.#slots.set(name, slot);
    this.#slotNames.push(name);
    // Rows written before this slot existed had no such allocatable: their cells are zero already.
    this.#changed();
  }

  #changed(): void {
    this.#generation++;
  }
}
