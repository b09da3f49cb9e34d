/**
 * PlugdHost: the library API and what `plugd host` runs. Wires the socket directory,
 * discovery, the registry, the admin server and supervised plugin processes, and offers
 * invoke(): call a plugin's hook by name, through the per-instance proxy.
 */
import type { Stats } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { HEALTH, REGISTRATION, serviceDefinition } from '../proto/index.js';
import { defaultSocketDir } from '../sdk/paths.js';
import { startAdmin, type AdminServer } from './admin.js';
import { AdmissionChain } from './admission/chain.js';
import { defaultConfig, parseHostPort, type HostConfig } from './config.js';
import type { HandshakeResult } from './discovery/handshake.js';
import { Discovery } from './discovery/watcher.js';
import { ErrorCodes, PlugdError, RegistrationRejected } from './errors.js';
import { INTERFACES } from './interfaces.js';
import { PolicyApplier, type CallPolicyOptions, type PolicyOutcome } from './policy.js';
import { silentLogger } from './log.js';
import { HostMetrics } from './metrics.js';
import { PluginInstance, type CallSettings } from './registry/instance.js';
import { Registry, type InstanceStatus } from './registry/registry.js';
import { prepareSocketDir } from './security.js';
import { ClusterState } from './scheduling/cluster-state.js';
import { StatusBoard } from './status/board.js';
import type { StatusSnapshot } from './status/types.js';
import { Supervisor, type ProcessStatus } from './supervisor.js';

export const DEFAULT_ADMIN = '127.0.0.1:9740';

/**
 * Where the cluster state comes from when it is not this process (the API server's informers,
 * host/kube): /readyz waits until it has synced, GET /cluster shows its status.
 */
export interface ClusterSource {
  readonly name: string;
  /** True once the initial lists were applied to host.cluster. */
  readonly synced: boolean;
  status(): Readonly<Record<string, unknown>>;
}

export interface HostOptions {
  /** Default: config.socketDir, else defaultSocketDir(). */
  socketDir?: string;
  /** HOST:PORT for the admin server ("…:0" picks a free port); false disables it. Default: config.admin, else 127.0.0.1:9740. */
  admin?: string | false;
  config?: HostConfig;
  logger?: Logger;
}

export class PlugdHost {
  readonly config: HostConfig;
  readonly socketDir: string;
  readonly logger: Logger;
  readonly metrics = new HostMetrics();
  readonly registry: Registry;
  /**
   * The cluster's nodes and pods as the scheduling side sees them: fed from a kubectl List
   * file or the API server's informers, read by the extender door and the plugins' snapshots.
   */
  readonly cluster = new ClusterState();
  readonly #discovery: Discovery;
  readonly #supervisor: Supervisor;
  readonly #adminListen: string | false;
  readonly #policy: PolicyApplier;
  /** What the admin server's status page shows: recent events, and calls from the metrics' series. */
  readonly #board: StatusBoard;
  readonly #onStop: Array<() => Promise<void>> = [];
  #admin: AdminServer | undefined;
  readonly #clusterSources = new Set<ClusterSource>();
  #admission: AdmissionChain | undefined;
  #state: 'new' | 'running' | 'stopped' = 'new';

  constructor(options: HostOptions = {}) {
    this.config = options.config ?? defaultConfig();
    this.socketDir = resolve(options.socketDir ?? this.config.socketDir ?? defaultSocketDir());
    this.logger = options.logger ?? silentLogger();
    const admin = options.admin ?? this.config.admin ?? DEFAULT_ADMIN;
    this.#adminListen = admin === '' ? false : admin;
    const reg = this.config.registration;
    this.registry = new Registry({
      metrics: this.metrics,
      logger: this.logger,
      swapHealthWindowMs: reg.swapHealthWindowMs,
      drainTimeoutMs: reg.drainTimeoutMs,
      maxPlugins: reg.maxPlugins,
      unavailableWaitMs: reg.unavailableWaitMs,
      callStreams: reg.callStreams,
    });
    const channelOptions = {
      'grpc.max_receive_message_length': this.config.limits.maxMessageBytes,
      'grpc.max_send_message_length': this.config.limits.maxMessageBytes,
      'grpc-node.flow_control_window': 16 * 1024 * 1024,
      // Channelz bookkeeping costs ~15% of a call's client CPU (proxy suite) and nothing reads it.
      'grpc.enable_channelz': 0,
    };
    this.#discovery = new Discovery({
      socketDir: this.socketDir,
      getInfoTimeoutMs: reg.getInfoTimeoutMs,
      initialBackoffMs: reg.initialBackoffMs,
      maxBackoffMs: reg.maxBackoffMs,
      maxConcurrentHandshakes: reg.maxConcurrentHandshakes,
      channelOptions,
      interfaces: INTERFACES,
      logger: this.logger,
      metrics: this.metrics,
      admit: (result, socket) => this.#admit(result, socket),
      removed: (path) => {
        for (const inst of this.registry.bySocket(path)) this.registry.remove(inst, 'socket-removed');
      },
      replaced: (path) => this.#socketReplaced(path),
    });
    this.registry.on('deregistered', (inst, reason) => {
      if (reason === 'connection-lost') this.#discovery.recheck(inst.socketPath);
    });
    this.registry.on('activated', (inst, previous) => {
      this.logger.info({ plugin: inst.name, type: inst.type, version: inst.version, generation: inst.generation, socket: inst.socketPath, hooks: [...inst.implemented] },
        previous ? `plugin ${inst.name} active (generation ${inst.generation}, replacing ${previous.generation})` : `plugin ${inst.name} active`);
    });
    this.#board = new StatusBoard(this.metrics.series);
    this.#board.watch(this.registry);
    this.#discovery.on('rejected', (r) => this.#board.rejected(r));
    this.#policy = new PolicyApplier(this.metrics, this.logger, (plugin, policy, err) => this.#board.policyApplied(plugin, policy, err));
    this.#supervisor = new Supervisor({ specs: this.config.launch, socketDir: this.socketDir, logger: this.logger });
  }

  /** Prepares the socket directory, scans it, starts watching, serving admin and launching plugins. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new PlugdError(ErrorCodes.HOST_CLOSED, 'a host starts once');
    const dir = prepareSocketDir(this.socketDir, this.config.security.allowInsecureSocketDir);
    if (dir.created) this.logger.info({ socketDir: this.socketDir }, 'created socket directory (mode 0700)');
    if (dir.warning) this.logger.warn({ socketDir: this.socketDir }, dir.warning);
    this.#state = 'running';
    // Parse every contract now rather than inside the first plugin's handshake.
    for (const iface of INTERFACES.values()) for (const v of iface.versions) serviceDefinition(iface.contract(v));
    serviceDefinition(REGISTRATION);
    serviceDefinition(HEALTH);
    await this.#discovery.start();
    if (this.#adminListen !== false) {
      this.#admin = await startAdmin({
        metrics: this.metrics,
        plugins: () => this.plugins(),
        unregistered: () => this.#discovery.unregistered(),
        isReady: () => this.#discovery.ready && [...this.#clusterSources].every((c) => c.synced),
        notReadyReason: () => this.#notReadyReason(),
        cluster: () => this.clusterStatus(),
        status: () => this.status(),
      }, parseHostPort(this.#adminListen, '--admin'), this.logger);
    }
    this.#supervisor.start();
    this.logger.info({ socketDir: this.socketDir, admin: this.#admin?.url ?? 'off', launched: this.config.launch.length }, 'plugd host started');
  }

  /** Stops launched plugins gracefully, stops watching and closes every connection. */
  async stop(): Promise<void> {
    if (this.#state !== 'running') return;
    this.#state = 'stopped';
    // Front doors first (newest first), so no request arrives while plugins go away.
    for (const close of this.#onStop.splice(0).reverse()) {
      await close().catch((err: unknown) => this.logger.warn({ err }, 'closing a front door failed'));
    }
    await this.#supervisor.stop();
    await this.#discovery.close();
    this.#admission?.close();
    this.registry.closeAll();
    await this.#admin?.close();
    this.logger.info('plugd host stopped');
  }

  /** Runs `close` first in stop() (front doors served over this host register here). */
  onStop(close: () => Promise<void>): void {
    this.#onStop.push(close);
  }

  /**
   * The admission chain over this host's admission plugins (docs/admission.md), made on first
   * use: review(), mutate() and validate() take AdmissionReview v1 requests. For a namespace
   * lookup, a configured order or in-process plugins, make your own `new AdmissionChain(host, options)`.
   */
  get admission(): AdmissionChain {
    this.#admission ??= new AdmissionChain(this);
    return this.#admission;
  }

  /** The admin server's base URL, once started. */
  get adminUrl(): string | undefined {
    return this.#admin?.url;
  }

  /** Attaches a cluster-state source: not ready until it syncs. Returns the detach. */
  addClusterSource(source: ClusterSource): () => void {
    this.#clusterSources.add(source);
    return () => this.#clusterSources.delete(source);
  }

  /** What GET /cluster answers: the cluster state's size and generation, and its sources. */
  clusterStatus(): { generation: number; nodes: number; pods: number; assumedPods: number; synced: boolean; sources: Array<Readonly<Record<string, unknown>>> } {
    const c = this.cluster.counts();
    const sources = [...this.#clusterSources];
    return {
      generation: this.cluster.generation,
      nodes: c.nodes,
      pods: c.pods,
      assumedPods: c.assumed,
      synced: sources.every((s) => s.synced),
      sources: sources.map((s) => ({ name: s.name, synced: s.synced, ...s.status() })),
    };
  }

  #notReadyReason(): string {
    if (!this.#discovery.ready) return 'initial scan of the socket directory not finished';
    const pending = [...this.#clusterSources].filter((c) => !c.synced).map((c) => c.name);
    return `cluster state not synced yet: ${pending.join(', ')}`;
  }

  plugins(): InstanceStatus[] {
    return this.registry.list();
  }

  /** What the status page shows (/status.json): plugins by interface with their calls, recent events. */
  status(): StatusSnapshot {
    return this.#board.snapshot({
      socketDir: this.socketDir,
      types: [...INTERFACES.keys()],
      plugins: () => this.plugins(),
      unregistered: () => this.#discovery.unregistered(),
      isReady: () => this.#discovery.ready,
    });
  }

  processes(): ProcessStatus[] {
    return this.#supervisor.status();
  }

  /**
   * Calls `method` on plugin `name`. The deadline defaults to the plugin's effective timeout.
   * Rejects with a PluginCallError (err.code, err.plugin); the caller applies the policy,
   * see settingsOf().
   */
  invoke<Res>(name: string, method: string, request: unknown, timeoutMs?: number): Promise<Res> {
    return this.registry.invoke<Res>(name, method, request, timeoutMs);
  }

  /**
   * invoke() with the plugin's failure policy applied: resolves { status: 'ok', response } or,
   * under Ignore, { status: 'ignored', error }; under Fail rejects with the PluginCallError
   * (err.policy = 'Fail'). Either way the failure is logged and counted with the plugin's name.
   * A plugin never seen takes `fallback` (default Fail). Errors `passThrough` accepts are
   * protocol answers the caller handles itself (a lost snapshot generation): rethrown as they are.
   */
  callWithPolicy<Res>(name: string, method: string, request: unknown, opts: CallPolicyOptions = {}): Promise<PolicyOutcome<Res>> {
    const policy = this.config.plugins[name]?.failurePolicy ?? this.registry.settingsOf(name)?.failurePolicy ?? opts.fallback ?? 'Fail';
    return this.#policy.run(name, policy, this.registry.invoke<Res>(name, method, request, opts.timeoutMs), opts.passThrough);
  }

  /** Resolves with the plugin's instance in rotation, waiting up to timeoutMs for one. */
  async waitForPlugin(name: string, timeoutMs: number): Promise<InstanceStatus> {
    const inst = await this.registry.waitForRotation(name, timeoutMs);
    if (!inst) throw new PlugdError(ErrorCodes.PLUGIN_UNAVAILABLE, `plugin ${name} did not come into rotation within ${timeoutMs} ms`, { plugin: name });
    return this.registry.list().find((s) => s.name === name && s.generation === inst.generation)!;
  }

  /** Effective call settings: the host config over the plugin's own defaults over the interface's. */
  settingsFor(name: string, type: PluginInstance['type'], capabilities: Readonly<Record<string, unknown>>): CallSettings {
    const iface = INTERFACES.get(type)!;
    const cfg = this.config.plugins[name] ?? {};
    const fp = capabilities.failurePolicy;
    const own = fp === 'IGNORE' ? 'Ignore' : fp === 'FAIL' ? 'Fail' : undefined;
    const ownTimeout = typeof capabilities.timeoutMs === 'number' && capabilities.timeoutMs > 0 ? capabilities.timeoutMs : undefined;
    const limits = this.config.limits;
    return {
      failurePolicy: cfg.failurePolicy ?? own ?? iface.defaults.failurePolicy,
      timeoutMs: cfg.timeoutMs ?? ownTimeout ?? iface.defaults.timeoutMs,
      idempotent: iface.idempotent,
      maxConcurrent: cfg.maxConcurrent ?? limits.maxConcurrent,
      maxQueued: cfg.maxQueued ?? limits.maxQueued,
      breaker: { threshold: cfg.breakerThreshold ?? limits.breakerThreshold, openMs: cfg.breakerOpenMs ?? limits.breakerOpenMs, maxOpenMs: 30_000 },
    };
  }

  /**
   * A new socket took the path of a registered one (e.g. `plugd serve --replace` renames its
   * socket over its predecessor's). The old instance keeps serving on its open connection;
   * if no instance of the same name registers from the path within the swap window, the
   * successor was not one and the old instance goes, as for a removed socket.
   */
  #socketReplaced(path: string): void {
    const previous = this.registry.bySocket(path);
    if (previous.length === 0) return;
    this.logger.info({ socket: path, plugins: previous.map((p) => p.name) }, 'socket replaced at the same path; old instance serves until its successor takes over');
    const timer = setTimeout(() => {
      for (const old of previous) {
        const successor = this.registry.bySocket(path).some((i) => i !== old && i.name === old.name);
        if (!successor) this.registry.remove(old, 'socket-removed');
      }
    }, this.config.registration.swapHealthWindowMs + this.config.registration.getInfoTimeoutMs);
    timer.unref();
  }

  async #admit(result: HandshakeResult, socket: { path: string; stats: Stats }): Promise<void> {
    const allowed = this.config.security.allowedUids ?? [process.getuid?.() ?? socket.stats.uid, 0];
    const inst = new PluginInstance({
      name: result.info.name,
      type: result.type,
      version: result.version,
      socketPath: socket.path,
      endpoint: result.endpoint,
      contract: result.contract,
      implemented: result.implemented,
      capabilities: result.capabilities,
      ownerUid: socket.stats.uid,
      inode: socket.stats.ino,
      settings: this.settingsFor(result.info.name, result.type, result.capabilities),
      client: result.client,
      registrationClient: result.registrationClient,
      metrics: this.metrics,
      logger: this.logger,
      maxMessageBytes: this.config.limits.maxMessageBytes,
    });
    try {
      if (!allowed.includes(socket.stats.uid)) {
        throw new RegistrationRejected('owner-not-allowed', `socket ${socket.path} is owned by uid ${socket.stats.uid}, which is not in the allowed owners [${allowed.join(', ')}]`, { plugin: inst.name });
      }
      this.registry.admit(inst);
    } catch (err) {
      if (err instanceof RegistrationRejected) await inst.notify(false, err.message);
      inst.close();
      throw err;
    }
    this.logger.debug({ plugin: inst.name, version: inst.version, generation: inst.generation }, 'plugin registered');
    await inst.notify(true, '');
  }
}
