/**
 * The registry: plugin name → instances (active, pending, draining) with a generation per
 * name, typed events, hot-swap and call routing. It knows nothing of scheduling, admission
 * or networking: instances arrive already negotiated, and it only routes calls by name.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { SUPERSEDED_PREFIX, type PluginType } from '../../proto/index.js';
import { ErrorCodes, PluginCallError, RegistrationRejected } from '../errors.js';
import type { HostMetrics } from '../metrics.js';
import type { CallSettings, PluginInstance } from './instance.js';

/**
 * A new instance is swapped in after a burst of pings on its call stream (none without one):
 * a fresh process runs its first calls ~10× slower (swap bench: p50 23 ms for the calls of the
 * first second, 2.5 ms steady); this many, within this long, take most of that cost.
 */
const SWAP_WARMUP_PINGS = 3000;
const SWAP_WARMUP_MS = 400;

export interface RegistryOptions {
  readonly metrics: HostMetrics;
  readonly logger: Logger;
  /** How long a new instance under a taken name has to report SERVING before it is rejected. */
  readonly swapHealthWindowMs: number;
  /** How long a replaced instance may take to finish its in-flight calls. */
  readonly drainTimeoutMs: number;
  /** Most plugin instances at once (every state but gone). */
  readonly maxPlugins: number;
  /**
   * How long a call waits for an instance to come (back) into rotation when its plugin is
   * registered but unhealthy, swapping, or was seen within this window. Capped by the call's deadline.
   */
  readonly unavailableWaitMs: number;
  /** Open a plugd.calls.v1 stream to each instance (used when the plugin serves it). Default true. */
  readonly callStreams?: boolean;
}

export type DeregisterReason = 'socket-removed' | 'connection-lost' | 'superseded' | 'never-healthy' | 'host-stopping';

export interface RegistryEvents {
  registered: [instance: PluginInstance];
  /** An instance entered rotation for its name (first activation or after a swap). */
  activated: [instance: PluginInstance, previous: PluginInstance | undefined];
  replaced: [next: PluginInstance, previous: PluginInstance];
  deregistered: [instance: PluginInstance, reason: DeregisterReason];
  health: [instance: PluginInstance, healthy: boolean];
}

interface Entry {
  readonly name: string;
  readonly type: PluginType;
  generation: number;
  active: PluginInstance | undefined;
  pending: PluginInstance | undefined;
  pendingTimer: NodeJS.Timeout | undefined;
  readonly draining: Set<PluginInstance>;
  readonly waiters: Set<() => void>;
}

/** Everything /plugins and `plugd plugins` show about one instance. */
export interface InstanceStatus {
  name: string;
  type: PluginType;
  version: string;
  socket: string;
  endpoint: string;
  state: string;
  healthy: boolean;
  /** The circuit breaker: closed, open (calls fail fast) or half-open (one probe let through). */
  circuit: string;
  generation: number;
  inflight: number;
  /** How hook calls reach the plugin: `stream` (plugd.calls.v1) or `unary` (one RPC each). */
  transport: 'stream' | 'unary';
  ownerUid: number;
  registeredAt: string;
  capabilities: Readonly<Record<string, unknown>>;
}

export class Registry extends EventEmitter<RegistryEvents> {
  readonly #entries = new Map<string, Entry>();
  readonly #recentlyGone = new Map<string, number>();
  /** Generations per name outlive the entry, so a re-registration is always a new generation. */
  readonly #generations = new Map<string, number>();
  /** The call settings of the newest instance seen per name (for calls when none is in rotation). */
  readonly #lastSettings = new Map<string, CallSettings>();
  readonly #opts: RegistryOptions;
  readonly #log: Logger;

  constructor(opts: RegistryOptions) {
    super();
    this.#opts = opts;
    this.#log = opts.logger;
  }

  /** Number of instances in any live state. */
  get size(): number {
    let n = 0;
    for (const e of this.#entries.values()) n += (e.active ? 1 : 0) + (e.pending ? 1 : 0) + e.draining.size;
    return n;
  }

  /**
   * Takes a freshly handshaken instance. The first instance of a name becomes active at once
   * (in rotation while healthy); a later one waits as pending until SERVING, then replaces the
   * active one, which drains. Throws RegistrationRejected (the caller notifies the plugin).
   */
  admit(inst: PluginInstance): void {
    let entry = this.#entries.get(inst.name);
    if (entry && entry.type !== inst.type) {
      throw new RegistrationRejected('name-conflict', `name ${inst.name} is already registered by a plugin of type ${entry.type}`, { plugin: inst.name });
    }
    const holder = entry?.active ?? entry?.pending;
    if (holder && holder.ownerUid !== inst.ownerUid) {
      throw new RegistrationRejected('name-owned-by-other-user',
        `name ${inst.name} is held by a socket owned by uid ${holder.ownerUid}; this socket is owned by uid ${inst.ownerUid}`, { plugin: inst.name });
    }
    if (this.size >= this.#opts.maxPlugins) {
      throw new RegistrationRejected('max-plugins', `the host already has ${this.size} plugin instances (limit ${this.#opts.maxPlugins})`, { plugin: inst.name });
    }
    if (!entry) {
      entry = { name: inst.name, type: inst.type, generation: this.#generations.get(inst.name) ?? 0, active: undefined, pending: undefined, pendingTimer: undefined, draining: new Set(), waiters: new Set() };
      this.#entries.set(inst.name, entry);
    }
    inst.generation = ++entry.generation;
    this.#generations.set(inst.name, entry.generation);
    this.#lastSettings.set(inst.name, inst.settings);
    const e = entry;
    inst.on('health', (healthy) => this.#onHealth(e, inst, healthy));
    inst.once('lost', (cause) => {
      this.#log.warn({ plugin: inst.name, generation: inst.generation, socket: inst.socketPath, reason: cause.message }, 'plugin connection lost');
      this.remove(inst, 'connection-lost');
    });

    if (!entry.active) {
      inst.state = 'active';
      entry.active = inst;
    } else {
      if (entry.pending) this.#retire(entry.pending, 'superseded', `${SUPERSEDED_PREFIX} ${inst.generation} before it became healthy`);
      inst.state = 'pending';
      entry.pending = inst;
      entry.pendingTimer = setTimeout(() => {
        if (entry.pending !== inst) return;
        const why = `never reported SERVING within ${this.#opts.swapHealthWindowMs} ms; generation ${entry.active?.generation ?? '-'} stays active`;
        this.#log.warn({ plugin: inst.name, generation: inst.generation, socket: inst.socketPath }, `hot-swap rejected: ${why}`);
        this.#opts.metrics.rejections.labels('never-healthy').inc();
        this.#retire(inst, 'never-healthy', why);
      }, this.#opts.swapHealthWindowMs);
    }
    this.#opts.metrics.registrations.labels(inst.type).inc();
    this.emit('registered', inst);
    inst.watchHealth();
    if (this.#opts.callStreams ?? true) inst.openCallStream();
  }

  #onHealth(entry: Entry, inst: PluginInstance, healthy: boolean): void {
    this.emit('health', inst, healthy);
    if (inst === entry.pending && healthy) {
      if (this.#warming.has(inst)) return;
      this.#warming.add(inst);
      const started = performance.now();
      void inst.warmUp(SWAP_WARMUP_PINGS, SWAP_WARMUP_MS).then((pings) => {
        this.#warming.delete(inst);
        if (inst === entry.pending && inst.healthy) this.#promote(entry, inst, { pings, ms: Math.round(performance.now() - started) });
      });
    } else if (inst === entry.active && healthy) {
      this.#announce(inst, undefined);
      this.#wake(entry);
    }
  }

  readonly #wasActive = new WeakSet<PluginInstance>();
  /** Pending instances being warmed up before they are swapped in. */
  readonly #warming = new WeakSet<PluginInstance>();

  #announce(inst: PluginInstance, previous: PluginInstance | undefined): void {
    if (this.#wasActive.has(inst)) return;
    this.#wasActive.add(inst);
    this.emit('activated', inst, previous);
  }

  #promote(entry: Entry, next: PluginInstance, warmUp?: { readonly pings: number; readonly ms: number }): void {
    clearTimeout(entry.pendingTimer);
    entry.pending = undefined;
    const previous = entry.active;
    next.state = 'active';
    entry.active = next;
    if (previous) {
      // The old instance finishes what it has in flight; new calls already route to `next`.
      entry.draining.add(previous);
      const drained = previous.drain(this.#opts.drainTimeoutMs);
      this.#opts.metrics.swaps.labels(entry.name).inc();
      this.#log.info({ plugin: entry.name, from: previous.generation, to: next.generation, inflight: previous.inflight, warmUpPings: warmUp?.pings ?? 0, warmUpMs: warmUp?.ms ?? 0 },
        'hot-swap: new instance active, draining the old one');
      void drained.then(() => {
        if (entry.draining.has(previous)) this.#retire(previous, 'superseded', `${SUPERSEDED_PREFIX} ${next.generation}`);
      });
    }
    this.#announce(next, previous);
    if (previous) this.emit('replaced', next, previous);
    this.#wake(entry);
  }

  /** Why instances being told they are released go: their socket may vanish before the notice returns. */
  readonly #retiring = new WeakMap<PluginInstance, DeregisterReason>();

  /** Tells an instance it is released, closes it and forgets it. */
  #retire(inst: PluginInstance, reason: DeregisterReason, message: string): void {
    this.#retiring.set(inst, reason);
    void inst.notify(false, message).finally(() => this.remove(inst, reason));
  }

  /** Drops an instance from its entry (no-op when already gone). */
  remove(inst: PluginInstance, why: DeregisterReason): void {
    const entry = this.#entries.get(inst.name);
    if (!entry || inst.state === 'gone') return;
    const reason = this.#retiring.get(inst) ?? why;
    if (entry.pending === inst) {
      clearTimeout(entry.pendingTimer);
      entry.pending = undefined;
    }
    entry.draining.delete(inst);
    if (entry.active === inst) {
      entry.active = undefined;
      this.#recentlyGone.set(inst.name, Date.now());
      const pending = entry.pending;
      if (pending?.healthy) this.#promote(entry, pending);
    }
    // Calls in flight still get their answers (a plugin draining after SIGTERM sends them on
    // its open connection); on a truly lost connection they fail by themselves at once.
    if (reason === 'host-stopping') inst.close();
    else void inst.closeWhenIdle(this.#opts.drainTimeoutMs);
    this.#log.info({ plugin: inst.name, generation: inst.generation, socket: inst.socketPath, reason, inflight: inst.inflight }, 'plugin deregistered');
    this.emit('deregistered', inst, reason);
    if (!entry.active && !entry.pending && entry.draining.size === 0) {
      this.#entries.delete(entry.name);
      this.#wake(entry);
    }
  }

  #wake(entry: Entry): void {
    for (const w of entry.waiters) w();
    entry.waiters.clear();
  }

  /** Effective call settings of the plugin's newest instance, if one was ever seen. */
  settingsOf(name: string): CallSettings | undefined {
    return this.#lastSettings.get(name);
  }

  /** The instance calls for `name` go to now, if any is in rotation. */
  route(name: string): PluginInstance | undefined {
    const active = this.#entries.get(name)?.active;
    return active !== undefined && active.healthy && active.state === 'active' ? active : undefined;
  }

  /**
   * Calls a hook on the plugin's instance in rotation, with the instance's own timeout unless
   * one is given. When none is in rotation but one is expected (registered and unhealthy,
   * swapping, or seen within unavailableWaitMs), waits for it within the deadline. A call that
   * failed UNAVAILABLE is retried once within the deadline when it never reached the plugin,
   * or when the hook is idempotent. Rejects with a PluginCallError naming the plugin.
   */
  invoke<Res>(name: string, method: string, request: unknown, timeoutMs?: number): Promise<Res> {
    const inst = this.route(name);
    if (inst === undefined) return this.#invokeSlow<Res>(name, method, request, timeoutMs, Date.now());
    const started = Date.now();
    return inst.call<Res>(method, request, timeoutMs ?? inst.settings.timeoutMs).catch((err: PluginCallError) => {
      // Once more, on whatever instance is in rotation now: when the call never left the host
      // (its instance was going away), or when the hook is idempotent.
      const left = (timeoutMs ?? inst.settings.timeoutMs) - (Date.now() - started);
      const retry = err.code === ErrorCodes.PLUGIN_UNAVAILABLE && left > 0 && (!err.delivered || inst.settings.idempotent.has(method));
      if (!retry) throw err;
      return this.#invokeSlow<Res>(name, method, request, left, Date.now());
    });
  }

  async #invokeSlow<Res>(name: string, method: string, request: unknown, timeoutMs: number | undefined, started: number): Promise<Res> {
    const budget = timeoutMs ?? this.#lastSettings.get(name)?.timeoutMs ?? this.#opts.unavailableWaitMs;
    const inst = await this.waitForRotation(name, Math.min(budget, this.#expectWaitMs(name)));
    if (!inst) {
      throw new PluginCallError(ErrorCodes.PLUGIN_UNAVAILABLE, name, method, this.#entries.has(name)
        ? 'registered but no instance is in rotation (not SERVING)'
        : 'no such plugin is registered');
    }
    const left = (timeoutMs ?? inst.settings.timeoutMs) - (Date.now() - started);
    return inst.call<Res>(method, request, Math.max(1, left));
  }

  #expectWaitMs(name: string): number {
    if (this.#entries.has(name)) return this.#opts.unavailableWaitMs;
    const gone = this.#recentlyGone.get(name);
    return gone !== undefined && Date.now() - gone < this.#opts.unavailableWaitMs ? this.#opts.unavailableWaitMs : 0;
  }

  /** Resolves with the instance in rotation for `name` once there is one, or undefined after waitMs. */
  waitForRotation(name: string, waitMs: number): Promise<PluginInstance | undefined> {
    const now = this.route(name);
    if (now || waitMs <= 0) return Promise.resolve(now);
    const until = Date.now() + waitMs;
    return new Promise((resolve) => {
      const attempt = (): void => {
        const inst = this.route(name);
        const left = until - Date.now();
        if (inst || left <= 0) return resolve(inst);
        let entry = this.#entries.get(name);
        const timer = setTimeout(() => { entry?.waiters.delete(wake); this.off('registered', onRegistered); resolve(this.route(name)); }, left);
        const wake = (): void => { clearTimeout(timer); this.off('registered', onRegistered); attempt(); };
        const onRegistered = (i: PluginInstance): void => {
          if (i.name !== name || entry) return;
          entry = this.#entries.get(name);
          entry?.waiters.add(wake);
        };
        if (entry) entry.waiters.add(wake);
        else this.on('registered', onRegistered);
      };
      attempt();
    });
  }

  /** Every live instance, for /plugins. */
  list(): InstanceStatus[] {
    const out: InstanceStatus[] = [];
    for (const e of [...this.#entries.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      for (const inst of [e.active, e.pending, ...e.draining]) if (inst) out.push(statusOf(inst));
    }
    return out;
  }

  /** The instances registered from one socket path (normally at most one). */
  bySocket(socketPath: string): PluginInstance[] {
    const out: PluginInstance[] = [];
    for (const e of this.#entries.values()) {
      for (const inst of [e.active, e.pending, ...e.draining]) if (inst?.socketPath === socketPath) out.push(inst);
    }
    return out;
  }

  /** Closes every instance (host shutdown). */
  closeAll(): void {
    for (const e of [...this.#entries.values()]) {
      for (const inst of [e.active, e.pending, ...e.draining]) if (inst) this.remove(inst, 'host-stopping');
    }
  }
}

export function statusOf(inst: PluginInstance): InstanceStatus {
  return {
    name: inst.name,
    type: inst.type,
    version: inst.version,
    socket: inst.socketPath,
    endpoint: inst.endpoint,
    state: inst.state,
    healthy: inst.healthy,
    circuit: inst.circuit,
    generation: inst.generation,
    inflight: inst.inflight,
    transport: inst.streaming ? 'stream' : 'unary',
    ownerUid: inst.ownerUid,
    registeredAt: new Date(inst.registeredAt).toISOString(),
    capabilities: inst.capabilities,
  };
}
