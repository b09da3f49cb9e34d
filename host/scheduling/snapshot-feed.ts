/**
 * SnapshotFeeder: delivers the node state to v1 scheduling plugins once, as a full snapshot,
 * then as deltas (scheduling.proto SyncSnapshot / ApplyDelta), and keeps the one lineage of
 * node indices per-pod calls name candidates by. Per-pod calls never carry node state.
 */
import type { Node as WireNode } from '../../proto/gen/plugd/scheduling/v1/Node.js';
import type { SyncAck__Output } from '../../proto/gen/plugd/scheduling/v1/SyncAck.js';
import { ErrorCodes, PlugdError, type PluginCallError } from '../errors.js';
import type { FailurePolicy } from '../interfaces.js';
import type { CallPolicyOptions, PolicyOutcome } from '../policy.js';
import type { PluginInstance } from '../registry/instance.js';
import type { Registry } from '../registry/registry.js';
import type { ClusterSnapshot, NodeInfo } from './cluster-state.js';

/** What the scheduling side needs of the host (PlugdHost satisfies it); keeps the framework off host.ts. */
export interface SchedulingHost {
  readonly config: { readonly plugins: Readonly<Record<string, { readonly failurePolicy?: FailurePolicy | undefined }>> };
  readonly registry: Pick<Registry, 'route' | 'settingsOf' | 'on' | 'off'>;
  callWithPolicy<Res>(name: string, method: string, request: unknown, opts?: CallPolicyOptions): Promise<PolicyOutcome<Res>>;
}

/** The outcome of bringing a plugin up to a generation: it holds it, or its failure was ignored by policy. */
export type FeedOutcome = { readonly status: 'synced' } | { readonly status: 'ignored'; readonly error: PluginCallError };

/**
 * What a per-pod call needs to carry to a plugin that takes inline deltas: nothing (synced), or
 * a delta; `done(applied)` must then be called once the call has answered (the feeder holds
 * that plugin's feed until it is).
 */
export type Carry =
  | { readonly status: 'synced'; readonly delta?: undefined; readonly done?: undefined }
  | { readonly status: 'synced'; readonly delta: unknown; done(outcome: CarryOutcome): void }
  | { readonly status: 'ignored'; readonly error: PluginCallError; readonly delta?: undefined; readonly done?: undefined };

/** How a call that carried a delta ended: answered (so applied), FAILED_PRECONDITION (not applied), or failed otherwise. */
export type CarryOutcome = 'applied' | 'stale' | 'failed';

/** Counters per plugin, for tests and diagnostics. */
export interface FeedStats {
  fullSyncs: number;
  deltas: number;
  /** Deltas the plugin could not apply: ApplyDelta answered STALE or a call carrying one FAILED_PRECONDITION (each followed by a full snapshot). */
  stale: number;
  /** Explicit invalidations (a per-pod call answered FAILED_PRECONDITION). */
  invalidated: number;
}

interface Held {
  /** The instance that acknowledged (undefined when none was in rotation to name). */
  readonly instance: PluginInstance | undefined;
  readonly generation: number;
  /** The snapshot the plugin was brought to: deltas are computed from its change journal. */
  readonly snapshot: ClusterSnapshot;
}

/** The least time a full SyncSnapshot gets. */
export const SYNC_TIMEOUT_MS = 30_000;

const SYNCED: FeedOutcome = Object.freeze({ status: 'synced' });

function toRecord(m: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of m) out[k] = v;
  return out;
}

export class SnapshotFeeder {
  readonly #host: SchedulingHost;
  // The lineage: one index per node name, never reused. The lineage moves at each snapshot it is
  // used with: a node seen removed there and added later gets a new index; one removed and
  // re-added between two such snapshots is, to plugins, a changed node and keeps its index.
  readonly #index = new Map<string, number>();
  /** The last candidates packed; forgotten when the lineage moves (the only time indices change). */
  #lastPack: { readonly snapshot: ClusterSnapshot; readonly nodes: readonly NodeInfo[]; readonly packed: Buffer } | undefined;
  #names: (string | undefined)[] = [];
  #lineage: ClusterSnapshot | undefined;
  // name → the lineage generation its index was retired at (so a delta over that window
  // removes the old index before upserting the new one).
  readonly #retiredAt = new Map<string, number>();
  readonly #held = new Map<string, Held>();
  readonly #stats = new Map<string, FeedStats>();
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #wire = new WeakMap<NodeInfo, WireNode>();
  #cycles = 0;

  constructor(host: SchedulingHost) {
    this.#host = host;
    // A new or replacing instance holds nothing: the next ensure() sends it a full snapshot.
    const forget = (inst: PluginInstance): void => {
      const h = this.#held.get(inst.name);
      if (h !== undefined && h.instance !== undefined && h.instance !== inst) this.#held.delete(inst.name);
    };
    host.registry.on('activated', forget);
    host.registry.on('deregistered', (inst) => {
      if (this.#held.get(inst.name)?.instance === inst) this.#held.delete(inst.name);
    });
  }

  /** A fresh cycle id, "<pod key>/<attempt>" (attempts count per feeder, so unique per host). */
  nextCycleId(podKey: string): string {
    return `${podKey}/${this.#cycles++}`;
  }

  /** The nodes' indices in the lineage as packed little-endian uint32 (scheduling.proto `candidates`). */
  pack(snapshot: ClusterSnapshot, nodes: readonly NodeInfo[]): Buffer {
    // The plugins of one point get the same candidates: packed once for all of them.
    const last = this.#lastPack;
    if (last !== undefined && last.snapshot === snapshot && last.nodes === nodes) return last.packed;
    this.#advance(snapshot);
    const out = Buffer.allocUnsafe(nodes.length * 4);
    for (let i = 0; i < nodes.length; i++) {
      const idx = this.#index.get((nodes[i] as NodeInfo).name);
      if (idx === undefined) throw new RangeError(`node ${(nodes[i] as NodeInfo).name} is not in the snapshot lineage`);
      out.writeUInt32LE(idx, i * 4);
    }
    this.#lastPack = { snapshot, nodes, packed: out };
    return out;
  }

  /** The node name an index names in the current lineage (undefined for holes and unknown indices). */
  nameAt(index: number): string | undefined {
    return this.#names[index];
  }

  /** The generation the plugin acknowledged last, if the feeder believes it holds one. */
  heldGeneration(plugin: string): number | undefined {
    return this.#held.get(plugin)?.generation;
  }

  stats(plugin: string): FeedStats {
    let s = this.#stats.get(plugin);
    if (s === undefined) {
      s = { fullSyncs: 0, deltas: 0, stale: 0, invalidated: 0 };
      this.#stats.set(plugin, s);
    }
    return s;
  }

  /** Forgets what the plugin holds (it answered FAILED_PRECONDITION): the next ensure() sends a full snapshot. */
  invalidate(plugin: string): void {
    this.#held.delete(plugin);
    this.stats(plugin).invalidated++;
  }

  /**
   * Brings the plugin's instance in rotation to exactly snapshot.generation: nothing when it
   * holds it, ApplyDelta when it holds an older one, SyncSnapshot when it holds none, is a new
   * instance, or answered STALE. Calls go through the plugin's failure policy: under Fail a
   * failure rejects (PluginCallError with policy 'Fail'); under Ignore it resolves 'ignored'.
   * Serialised per plugin.
   */
  ensure(plugin: string, snapshot: ClusterSnapshot): Promise<FeedOutcome> {
    return this.#serialised(plugin, (release) => this.#ensure(plugin, snapshot).finally(release));
  }

  /**
   * For a per-pod call at snapshot.generation: a plugin whose instance takes inline deltas
   * (Capabilities.inline_deltas) and is behind by what the change journal still holds gets the
   * delta to carry in the call itself, saving the ApplyDelta round trip; anything else is
   * brought up to date as ensure() does. Serialised per plugin with ensure(), up to `done`.
   */
  carry(plugin: string, snapshot: ClusterSnapshot): Promise<Carry> {
    return this.#serialised(plugin, async (release): Promise<Carry> => {
      try {
        this.#advance(snapshot);
        const inst = this.#host.registry.route(plugin);
        const held = this.#held.get(plugin);
        if (inst?.capabilities['inlineDeltas'] === true && held !== undefined && held.instance === inst && held.generation < snapshot.generation) {
          const delta = this.#delta(held, snapshot);
          if (delta !== undefined) {
            let settled = false;
            return {
              status: 'synced',
              delta,
              done: (outcome) => {
                if (settled) return;
                settled = true;
                const stats = this.stats(plugin);
                if (outcome !== 'failed') stats.deltas++;
                if (outcome === 'stale') stats.stale++;
                if (outcome === 'applied') this.#held.set(plugin, { instance: inst, generation: snapshot.generation, snapshot });
                // A call that failed may or may not have applied it: only a full snapshot is sure.
                else if (this.#held.get(plugin) === held) this.#held.delete(plugin);
                release();
              },
            };
          }
        }
      } catch (err) {
        release();
        throw err;
      }
      return this.#ensure(plugin, snapshot).finally(release);
    });
  }

  /** Runs fn once every earlier feed operation of the plugin has released its turn. */
  #serialised<T>(plugin: string, fn: (release: () => void) => Promise<T>): Promise<T> {
    const prev = this.#locks.get(plugin) ?? Promise.resolve();
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    this.#locks.set(plugin, turn);
    void turn.then(() => {
      if (this.#locks.get(plugin) === turn) this.#locks.delete(plugin);
    });
    return prev.then(() => fn(release));
  }

  async #ensure(plugin: string, snapshot: ClusterSnapshot): Promise<FeedOutcome> {
    this.#advance(snapshot);
    const inst = this.#host.registry.route(plugin);
    // A plugin that takes no node state gets none (scheduling.proto Capabilities.implemented).
    if (inst !== undefined && !inst.implemented.has('SyncSnapshot')) return SYNCED;
    let held = this.#held.get(plugin);
    if (held !== undefined && inst !== undefined && held.instance !== undefined && held.instance !== inst) held = undefined;
    if (held?.generation === snapshot.generation) return SYNCED;
    const delta = held !== undefined && held.generation < snapshot.generation ? this.#delta(held, snapshot) : undefined;
    if (delta !== undefined) {
      const out = await this.#host.callWithPolicy<SyncAck__Output>(plugin, 'ApplyDelta', delta);
      if (out.status === 'ignored') return out;
      this.stats(plugin).deltas++;
      if (out.response.result === 'OK' && out.response.generation === snapshot.generation) {
        this.#held.set(plugin, { instance: inst ?? this.#host.registry.route(plugin), generation: snapshot.generation, snapshot });
        return SYNCED;
      }
      this.stats(plugin).stale++;
    }
    this.#held.delete(plugin);
    const full = this.#full(snapshot);
    // A full snapshot is a bulk transfer (thousands of nodes): it gets at least SYNC_TIMEOUT_MS,
    // whatever deadline the plugin's per-pod calls have.
    const timeoutMs = Math.max(this.#host.registry.settingsOf(plugin)?.timeoutMs ?? 0, SYNC_TIMEOUT_MS);
    const out = await this.#host.callWithPolicy<SyncAck__Output>(plugin, 'SyncSnapshot', full, { timeoutMs });
    if (out.status === 'ignored') return out;
    this.stats(plugin).fullSyncs++;
    if (out.response.result !== 'OK' || out.response.generation !== snapshot.generation) {
      throw new PlugdError(ErrorCodes.CALL_FAILED,
        `plugin ${plugin}: SyncSnapshot: answered ${out.response.result} generation ${out.response.generation} to a full snapshot of generation ${snapshot.generation}`, { plugin });
    }
    this.#held.set(plugin, { instance: inst ?? this.#host.registry.route(plugin), generation: snapshot.generation, snapshot });
    return SYNCED;
  }

  /** Keeps the lineage in step with the newest snapshot seen: retires removed names, appends new ones. */
  #advance(snapshot: ClusterSnapshot): void {
    const last = this.#lineage;
    if (last !== undefined && last.source === snapshot.source && snapshot.generation <= last.generation) return;
    this.#lineage = snapshot;
    this.#lastPack = undefined;
    const changed = last === undefined || last.source !== snapshot.source ? undefined : snapshot.changedSince(last.generation);
    if (changed === undefined) {
      for (const name of this.#index.keys()) if (snapshot.get(name) === undefined) this.#retire(name, snapshot.generation);
      for (const n of snapshot.nodes) this.#append(n.name);
      return;
    }
    for (const name of changed) {
      if (snapshot.get(name) === undefined) this.#retire(name, snapshot.generation);
      else this.#append(name);
    }
  }

  #retire(name: string, generation: number): void {
    const idx = this.#index.get(name);
    if (idx === undefined) return;
    this.#index.delete(name);
    this.#names[idx] = undefined;
    this.#retiredAt.set(name, generation);
  }

  #append(name: string): void {
    if (this.#index.has(name)) return;
    this.#index.set(name, this.#names.length);
    this.#names.push(name);
  }

  #toWire(info: NodeInfo, index: number): WireNode {
    const cached = this.#wire.get(info);
    if (cached?.index === index) return cached;
    const requested = toRecord(info.requested);
    requested['pods'] = info.podCount;
    const w: WireNode = {
      index,
      name: info.name,
      labels: { ...info.node.labels },
      taints: info.node.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      unschedulable: info.node.unschedulable,
      allocatable: toRecord(info.allocatable),
      requested,
      nonZeroRequested: { cpu: info.nonZeroRequested.milliCPU, memory: info.nonZeroRequested.memory },
    };
    this.#wire.set(info, w);
    return w;
  }

  #full(snapshot: ClusterSnapshot): unknown {
    const wire: WireNode[] = [];
    for (const info of snapshot.nodes) wire.push(this.#toWire(info, this.#index.get(info.name) as number));
    return { generation: snapshot.generation, nodes: wire, indexEnd: this.#names.length };
  }

  /** The ApplyDelta from what the plugin holds to `snapshot`, from the state's change journal; undefined → send it all. */
  #delta(held: Held, snapshot: ClusterSnapshot): unknown {
    const changed = snapshot.changedSince(held.generation);
    // Another state's snapshot, or one that forgot that far back.
    if (changed === undefined || held.snapshot.source !== snapshot.source) return undefined;
    const upserted: WireNode[] = [];
    const removed: string[] = [];
    const seen = new Set<string>();
    for (const name of changed) {
      if (seen.has(name)) continue;
      seen.add(name);
      const info = snapshot.get(name);
      const retired = this.#retiredAt.get(name);
      // Gone, or removed and re-added under a new index: either way its old index is a hole now.
      if (info === undefined || (retired !== undefined && retired > held.generation)) {
        if (held.snapshot.get(name) !== undefined) removed.push(name);
      }
      if (info !== undefined) upserted.push(this.#toWire(info, this.#index.get(name) as number));
    }
    return { fromGeneration: held.generation, toGeneration: snapshot.generation, upserted, removed, indexEnd: this.#names.length };
  }
}
