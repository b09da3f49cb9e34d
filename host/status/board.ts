/**
 * The status board: turns what the registry, discovery and the failure policy report into
 * the event log, and assembles /status.json from the registry, the call series and the log.
 */
import { basename } from 'node:path';
import type { PluginCallError } from '../errors.js';
import type { FailurePolicy } from '../interfaces.js';
import type { PluginInstance } from '../registry/instance.js';
import type { DeregisterReason, InstanceStatus, Registry } from '../registry/registry.js';
import { EventLog, type StatusEventLevel } from './events.js';
import type { CallSeries } from './series.js';
import type { PluginView, StatusSnapshot } from './types.js';

/** The window of the "recent" figures (calls/s, p50, p99 beside the charts). */
export const RECENT_MS = 60_000;
/** Events /status.json carries (the log keeps more). */
const EVENTS_SHOWN = 100;

export interface BoardSource {
  readonly socketDir: string;
  /** Every interface type the host speaks, in display order. */
  readonly types: readonly string[];
  plugins(): InstanceStatus[];
  unregistered(): Array<{ path: string; status: string; reason: string | undefined }>;
  isReady(): boolean;
}

/** A registration refused by discovery (the handshake or the registry said no). */
export interface Rejection {
  readonly path: string;
  /** The name the plugin gave, when it got that far. */
  readonly plugin: string | undefined;
  readonly reason: string;
  readonly message: string;
}

const DEREGISTERED: Record<DeregisterReason, { level: StatusEventLevel; why: string }> = {
  'socket-removed': { level: 'info', why: 'its socket was removed' },
  'connection-lost': { level: 'warn', why: 'its connection was lost (crashed or killed?)' },
  superseded: { level: 'info', why: 'superseded by a newer generation' },
  'never-healthy': { level: 'bad', why: 'never reported SERVING' },
  'host-stopping': { level: 'info', why: 'the host is stopping' },
};

export class StatusBoard {
  readonly events: EventLog;
  readonly series: CallSeries;
  readonly startedAt = Date.now();
  /** Instances whose health went down while in rotation, so that coming back is news. */
  readonly #wentDown = new WeakSet<PluginInstance>();
  /** The interface of each name seen (a plugin gone whose calls are still charted needs its section). */
  readonly #typeOf = new Map<string, string>();

  constructor(series: CallSeries, events = new EventLog()) {
    this.series = series;
    this.events = events;
  }

  /** Follows the registry's events for the rest of its life. */
  watch(registry: Registry): void {
    const ev = this.events;
    const about = (inst: PluginInstance) => ({ plugin: inst.name, type: inst.type, generation: inst.generation });
    registry.on('registered', (inst) => {
      this.#typeOf.set(inst.name, inst.type);
      const waiting = inst.state === 'pending' ? '; pending until it reports SERVING, the active generation serves meanwhile' : '';
      ev.add({ kind: 'registered', level: 'info', ...about(inst), reason: inst.state,
        message: `generation ${inst.generation} registered from ${basename(inst.socketPath)} (${inst.type} ${inst.version})${waiting}` });
    });
    registry.on('activated', (inst, previous) => {
      if (previous) return; // the swap tells it
      ev.add({ kind: 'activated', level: 'good', ...about(inst), reason: 'active', message: `generation ${inst.generation} is in rotation` });
    });
    registry.on('replaced', (next, prev) => {
      ev.add({ kind: 'swapped', level: 'good', ...about(next), reason: 'hot-swap',
        message: `hot-swap: generation ${prev.generation} (${prev.version}) → ${next.generation} (${next.version}); ` +
          `generation ${prev.generation} drains ${prev.inflight} call${prev.inflight === 1 ? '' : 's'} in flight` });
    });
    registry.on('deregistered', (inst, reason) => {
      const d = DEREGISTERED[reason];
      if (reason === 'never-healthy') {
        ev.add({ kind: 'rejected', level: 'bad', ...about(inst), reason,
          message: `hot-swap rejected: generation ${inst.generation} never reported SERVING; the active generation stays` });
        return;
      }
      ev.add({ kind: 'deregistered', level: d.level, ...about(inst), reason,
        message: `generation ${inst.generation} deregistered: ${d.why}${inst.inflight ? ` (${inst.inflight} calls in flight finish first)` : ''}` });
    });
    registry.on('health', (inst, healthy) => {
      // Only the instance in rotation: a pending one is not in it yet, a draining one no longer.
      if (inst.state !== 'active') return;
      if (!healthy) {
        this.#wentDown.add(inst);
        ev.add({ kind: 'health', level: 'warn', ...about(inst), reason: 'NOT_SERVING', message: `generation ${inst.generation} is not serving: out of rotation` });
      } else if (this.#wentDown.has(inst)) {
        this.#wentDown.delete(inst);
        ev.add({ kind: 'health', level: 'good', ...about(inst), reason: 'SERVING', message: `generation ${inst.generation} is serving again: back in rotation` });
      }
    });
  }

  /** A socket refused at registration. */
  rejected(r: Rejection): void {
    this.events.add({ kind: 'rejected', level: 'bad', plugin: r.plugin ?? basename(r.path), type: undefined, generation: undefined,
      reason: r.reason, message: `${r.path}: ${r.message}` });
  }

  /** A failed call resolved by the plugin's failure policy; repeats fold into one entry. */
  policyApplied(plugin: string, policy: FailurePolicy, err: PluginCallError): void {
    const effect = policy === 'Ignore' ? 'failurePolicy Ignore: the plugin was skipped' : 'failurePolicy Fail: the request failed';
    this.events.add({ kind: 'policy', level: policy === 'Fail' ? 'bad' : 'warn', plugin, type: undefined, generation: undefined,
      reason: `${policy} ${err.code.replace(/^PLUGD_ERR_/, '')}`, message: `${err.message}; ${effect}` },
    `policy\0${plugin}\0${policy}\0${err.code}\0${err.method}`);
  }

  /** /status.json. */
  snapshot(src: BoardSource): StatusSnapshot {
    const now = Date.now();
    const byName = new Map<string, { type: string; instances: InstanceStatus[] }>();
    for (const p of src.plugins()) {
      let e = byName.get(p.name);
      if (!e) byName.set(p.name, (e = { type: p.type, instances: [] }));
      e.instances.push(p);
    }
    this.series.prune(new Set(byName.keys()));
    for (const name of this.#typeOf.keys()) if (!byName.has(name) && !this.series.get(name)) this.#typeOf.delete(name);
    const views = new Map<string, PluginView[]>(src.types.map((t) => [t, []]));
    for (const [name, e] of byName) {
      const instances = e.instances.sort((a, b) => b.generation - a.generation);
      const hooks = instances[0]!.capabilities.implemented;
      views.get(e.type)?.push({
        name,
        type: e.type,
        instances: instances.map((i) => ({ generation: i.generation, version: i.version, state: i.state, healthy: i.healthy, circuit: i.circuit,
          inflight: i.inflight, transport: i.transport, socket: i.socket, registeredAt: i.registeredAt })),
        hooks: Array.isArray(hooks) ? hooks.map(String) : [],
        calls: this.series.get(name)?.view(RECENT_MS, this.startedAt),
      });
    }
    // Plugins gone whose calls are still in the window keep their chart, without instances.
    for (const name of this.series.names()) {
      if (byName.has(name)) continue;
      const type = this.#typeOf.get(name);
      if (type) views.get(type)?.push({ name, type, instances: [], hooks: [], calls: this.series.get(name)!.view(RECENT_MS, this.startedAt) });
    }
    for (const list of views.values()) list.sort((a, b) => a.name.localeCompare(b.name));
    return {
      now,
      host: { socketDir: src.socketDir, startedAt: this.startedAt, ready: src.isReady(), pid: process.pid },
      series: { bucketMs: this.series.bucketMs, buckets: this.series.buckets, recentMs: RECENT_MS },
      interfaces: [...views].map(([type, plugins]) => ({ type, plugins })),
      events: this.events.recent(EVENTS_SHOWN),
      unregistered: src.unregistered(),
    };
  }
}
