/**
 * One registered plugin instance: its connection, its negotiated contract, its health
 * (followed over grpc.health.v1 Watch) and the proxy every hook call goes through, which
 * puts a deadline on the call, counts it in flight (for draining) and turns failures into
 * PluginCallErrors that name the plugin.
 */
import * as grpc from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { HEALTH, REGISTRATION, serviceDefinition, type ContractRef, type PluginType } from '../../proto/index.js';
import { ErrorCodes, PluginCallError, type ErrorCode } from '../errors.js';
import type { CallRecorder, HostMetrics } from '../metrics.js';
import { CircuitBreaker, type BreakerOptions } from './breaker.js';
import { CallStream, StreamCallError } from './call-stream.js';

export type InstanceState = 'pending' | 'active' | 'draining' | 'gone';

export interface CallSettings {
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly timeoutMs: number;
  /** Hooks safe to retry once on UNAVAILABLE. */
  readonly idempotent: ReadonlySet<string>;
  /** Calls in flight at most; excess waits in a queue (bounded by maxQueued and the call's deadline). */
  readonly maxConcurrent: number;
  readonly maxQueued: number;
  readonly breaker: BreakerOptions;
}

export interface InstanceInit {
  readonly name: string;
  readonly type: PluginType;
  readonly version: string;
  /** The socket the plugin dropped in the directory (its identity). */
  readonly socketPath: string;
  /** Where the typed service is served (the socket itself unless PluginInfo.endpoint said otherwise). */
  readonly endpoint: string;
  readonly contract: ContractRef;
  readonly implemented: readonly string[];
  /** The Capabilities message as the plugin sent it (decoded, camelCase). */
  readonly capabilities: Readonly<Record<string, unknown>>;
  readonly ownerUid: number;
  readonly inode: number;
  /** Effective call settings (host config over the plugin's capabilities over interface defaults). */
  readonly settings: CallSettings;
  /** Client on the typed endpoint (also serves Health). */
  readonly client: grpc.Client;
  /** Client on the registration socket (the same object when endpoint is the socket). */
  readonly registrationClient: grpc.Client;
  readonly metrics: HostMetrics;
  readonly logger: Logger;
  /** The channel's message size limit (what a call stream may carry). Default 16 MiB. */
  readonly maxMessageBytes?: number;
}

interface MethodEntry {
  readonly path: string;
  readonly serialize: (value: unknown) => Buffer;
  readonly deserialize: (bytes: Buffer) => unknown;
  /** Resolved on the first call: most instances never see most methods. */
  recorder: CallRecorder | undefined;
}

const GRPC_TO_CODE: Partial<Record<number, ErrorCode>> = {
  [grpc.status.DEADLINE_EXCEEDED]: ErrorCodes.CALL_TIMEOUT,
  [grpc.status.UNAVAILABLE]: ErrorCodes.PLUGIN_UNAVAILABLE,
  [grpc.status.UNIMPLEMENTED]: ErrorCodes.NOT_IMPLEMENTED,
  [grpc.status.RESOURCE_EXHAUSTED]: ErrorCodes.MESSAGE_TOO_LARGE,
};

/** gRPC failures that count toward opening the circuit (not protocol answers like FAILED_PRECONDITION). */
const BREAKER_COUNTS = new Set([grpc.status.DEADLINE_EXCEEDED, grpc.status.UNAVAILABLE, grpc.status.INTERNAL, grpc.status.UNKNOWN]);

/** grpc-js's words for a call that failed before it left the host (no connection to send it on). */
const UNSENT = /^(?:\w+: )?No connection established|^Channel closed before call started/;

let nextId = 1;

/** Pings in flight at once while warming an instance up. */
const WARMUP_CONCURRENCY = 32;

export class PluginInstance extends EventEmitter<{ health: [healthy: boolean]; lost: [cause: Error]; drained: [] }> {
  readonly id = nextId++;
  readonly name: string;
  readonly type: PluginType;
  readonly version: string;
  readonly socketPath: string;
  readonly endpoint: string;
  readonly contract: ContractRef;
  readonly implemented: ReadonlySet<string>;
  readonly capabilities: Readonly<Record<string, unknown>>;
  readonly ownerUid: number;
  readonly inode: number;
  readonly settings: CallSettings;
  readonly registeredAt = Date.now();
  generation = 0;
  state: InstanceState = 'pending';
  healthy = false;
  /** True when the plugin does not serve grpc.health.v1 (kubelet-style): taken as SERVING. */
  healthUnimplemented = false;
  inflight = 0;

  readonly #client: grpc.Client;
  readonly #registrationClient: grpc.Client;
  readonly #methods = new Map<string, MethodEntry>();
  readonly #log: Logger;
  readonly #metrics: HostMetrics;
  readonly #breaker: CircuitBreaker;
  readonly #queue: Array<() => void> = [];
  #watch: grpc.ClientReadableStream<{ status: string }> | undefined;
  /** plugd.calls.v1, when the plugin serves it: calls go there instead of one unary RPC each. */
  #calls: CallStream | undefined;
  readonly #maxMessageBytes: number;
  #closed = false;

  constructor(init: InstanceInit) {
    super();
    this.name = init.name;
    this.type = init.type;
    this.version = init.version;
    this.socketPath = init.socketPath;
    this.endpoint = init.endpoint;
    this.contract = init.contract;
    this.implemented = new Set(init.implemented);
    this.capabilities = init.capabilities;
    this.ownerUid = init.ownerUid;
    this.inode = init.inode;
    this.settings = init.settings;
    this.#client = init.client;
    this.#registrationClient = init.registrationClient;
    this.#log = init.logger;
    this.#metrics = init.metrics;
    this.#breaker = new CircuitBreaker(init.settings.breaker);
    this.#maxMessageBytes = init.maxMessageBytes ?? 16 * 1024 * 1024;
    for (const [rpc, def] of Object.entries(serviceDefinition(init.contract))) {
      this.#methods.set(rpc, {
        path: def.path,
        serialize: def.requestSerialize as (value: unknown) => Buffer,
        deserialize: def.responseDeserialize as (bytes: Buffer) => unknown,
        recorder: undefined,
      });
    }
  }

  /** True when calls may be routed here. */
  get inRotation(): boolean {
    return this.state === 'active' && this.healthy;
  }

  /** closed, open or half-open. */
  get circuit(): string {
    return this.#breaker.state;
  }

  /** Calls waiting for a concurrency slot. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Calls one hook with a deadline. Resolves with the decoded response; rejects with a
   * PluginCallError (CALL_TIMEOUT, CALL_FAILED, PLUGIN_UNAVAILABLE, NOT_IMPLEMENTED,
   * CIRCUIT_OPEN, CONCURRENCY_LIMIT, MESSAGE_TOO_LARGE).
   */
  call<Res>(method: string, request: unknown, timeoutMs: number): Promise<Res> {
    const m = this.#methods.get(method);
    if (m === undefined || !this.implemented.has(method)) {
      return Promise.reject(new PluginCallError(ErrorCodes.NOT_IMPLEMENTED, this.name, method,
        `does not implement ${method} (implements: ${[...this.implemented].join(', ') || 'nothing'})`));
    }
    m.recorder ??= this.#metrics.recorder(this.name, method);
    if (!this.#breaker.allow()) {
      m.recorder.failed(0, ErrorCodes.CIRCUIT_OPEN);
      return Promise.reject(new PluginCallError(ErrorCodes.CIRCUIT_OPEN, this.name, method,
        `circuit open after repeated failures; next probe in ${this.#breaker.retryInMs()} ms`));
    }
    const deadline = Date.now() + timeoutMs;
    if (this.inflight >= this.settings.maxConcurrent) return this.#wait<Res>(m, method, request, deadline);
    return this.#send<Res>(m, method, request, deadline);
  }

  /** Queues a call until a slot frees, within its deadline and the queue bound. */
  #wait<Res>(m: MethodEntry, method: string, request: unknown, deadline: number): Promise<Res> {
    const limit = `${this.inflight} calls in flight (maxConcurrent ${this.settings.maxConcurrent})`;
    if (this.#queue.length >= this.settings.maxQueued) {
      m.recorder!.failed(0, ErrorCodes.CONCURRENCY_LIMIT);
      return Promise.reject(new PluginCallError(ErrorCodes.CONCURRENCY_LIMIT, this.name, method, `${limit} and ${this.#queue.length} waiting (maxQueued ${this.settings.maxQueued})`));
    }
    return new Promise<Res>((resolve, reject) => {
      const resume = (): void => {
        clearTimeout(timer);
        this.#send<Res>(m, method, request, deadline).then(resolve, reject);
      };
      const timer = setTimeout(() => {
        const i = this.#queue.indexOf(resume);
        if (i >= 0) this.#queue.splice(i, 1);
        m.recorder!.failed(0, ErrorCodes.CONCURRENCY_LIMIT);
        reject(new PluginCallError(ErrorCodes.CONCURRENCY_LIMIT, this.name, method, `${limit}; no slot freed before the deadline`));
      }, deadline - Date.now());
      this.#queue.push(resume);
    });
  }

  #send<Res>(m: MethodEntry, method: string, request: unknown, deadline: number): Promise<Res> {
    this.inflight++;
    const started = performance.now();
    return new Promise<Res>((resolve, reject) => {
      const finish = (err: grpc.ServiceError | StreamCallError | null, res?: unknown): void => {
        const seconds = (performance.now() - started) / 1000;
        this.inflight--;
        this.#queue.shift()?.();
        if (this.inflight === 0 && (this.state === 'draining' || this.state === 'gone')) this.emit('drained');
        if (err) {
          const e = this.#callError(method, err, seconds);
          m.recorder!.failed(seconds, e.code);
          if (BREAKER_COUNTS.has(err.code) && this.#breaker.failure()) {
            this.#log.warn({ plugin: this.name, generation: this.generation, retryInMs: this.#breaker.retryInMs() },
              `circuit open for plugin ${this.name}: calls fail fast until a probe succeeds (last failure: ${e.message})`);
          }
          reject(e);
        } else {
          m.recorder!.ok(seconds);
          if (this.#breaker.success()) this.#log.info({ plugin: this.name, generation: this.generation }, `circuit closed for plugin ${this.name}: probe succeeded`);
          resolve(res as Res);
        }
      };
      const calls = this.#calls;
      if (calls?.usable) {
        let bytes: Buffer;
        try {
          bytes = m.serialize(request);
        } catch (err) {
          finish(new StreamCallError(grpc.status.INTERNAL, `request serialization failure: ${(err as Error).message}`, true));
          return;
        }
        calls.send(m.path, bytes, deadline - Date.now(), (err, response) => {
          if (err) return finish(err);
          let res: unknown;
          try {
            res = m.deserialize(response!);
          } catch (e) {
            return finish(new StreamCallError(grpc.status.INTERNAL, `response deserialization failure: ${(e as Error).message}`));
          }
          finish(null, res);
        });
        return;
      }
      this.#client.makeUnaryRequest(m.path, m.serialize, m.deserialize, request, { deadline }, finish);
    });
  }

  #callError(method: string, err: grpc.ServiceError | StreamCallError, seconds: number): PluginCallError {
    const code = GRPC_TO_CODE[err.code] ?? ErrorCodes.CALL_FAILED;
    const details = `${grpc.status[err.code] ?? err.code}: ${err.details || err.message}`;
    const what = code === ErrorCodes.CALL_TIMEOUT ? `no answer within the deadline (${Math.round(seconds * 1000)} ms)`
      : code === ErrorCodes.MESSAGE_TOO_LARGE ? `message over the size limit: ${details}`
      : details;
    const notStarted = err instanceof StreamCallError && err.notStarted;
    const delivered = !(err.code === grpc.status.UNAVAILABLE && (notStarted || UNSENT.test(err.details ?? '')));
    return new PluginCallError(code, this.name, method, what, err, err.code, delivered);
  }

  /**
   * Opens the plugd.calls.v1 stream: once the plugin answers its hello, hook calls travel
   * on it; a plugin that does not serve it keeps being called with unary RPCs.
   */
  openCallStream(): void {
    if (this.#closed || this.#calls) return;
    const calls = new CallStream(this.#client, this.#maxMessageBytes, ({ unsupported, cause }) => {
      if (this.#calls === calls) this.#calls = undefined;
      if (this.#closed) return;
      if (unsupported) {
        this.#log.debug({ plugin: this.name, generation: this.generation }, `plugin ${this.name} serves no plugd.calls.v1; calling it with unary RPCs`);
      } else if (cause !== undefined && cause.code !== grpc.status.CANCELLED && cause.code !== grpc.status.UNAVAILABLE && this.state === 'active') {
        // A lost connection is the health watch's to report (one line: "plugin connection lost"); this is the plugin breaking the protocol.
        this.#log.warn({ plugin: this.name, generation: this.generation, err: cause.message },
          `call stream to plugin ${this.name} failed (${cause.message}); calling it with unary RPCs`);
      }
    });
    this.#calls = calls;
  }

  /**
   * Before a hot-swap routes calls here: waits for the call stream's hello, then sends a burst
   * of pings, all within `capMs`, so the new process runs its first thousands of calls (cold
   * code) on them rather than on real ones. Resolves with the pings answered (0 without a stream).
   */
  async warmUp(pings: number, capMs: number): Promise<number> {
    const calls = this.#calls;
    if (calls === undefined) return 0;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const open = await Promise.race([calls.opened, new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), capMs); })]);
    clearTimeout(timer);
    if (!open) return 0;
    return calls.ping(pings, WARMUP_CONCURRENCY, capMs - (performance.now() - started));
  }

  /** True when hook calls travel on the plugin's plugd.calls.v1 stream. */
  get streaming(): boolean {
    return this.#calls?.usable === true;
  }

  /** Starts following grpc.health.v1 Watch(""); 'health' fires on every change, 'lost' when the plugin is gone. */
  watchHealth(): void {
    const def = serviceDefinition(HEALTH).Watch!;
    const stream = this.#client.makeServerStreamRequest(def.path,
      def.requestSerialize as (v: unknown) => Buffer, def.responseDeserialize as (b: Buffer) => { status: string },
      { service: '' }, {});
    this.#watch = stream;
    stream.on('data', (msg: { status: string }) => this.#setHealthy(msg.status === 'SERVING'));
    stream.on('error', (err: grpc.ServiceError) => {
      if (this.#closed || err.code === grpc.status.CANCELLED) return;
      if (err.code === grpc.status.UNIMPLEMENTED) {
        if (!this.healthUnimplemented) this.#log.info({ plugin: this.name, socket: this.socketPath }, 'plugin serves no grpc.health.v1; taking it as SERVING');
        this.healthUnimplemented = true;
        this.#setHealthy(true);
        this.#watchConnection();
        return;
      }
      this.#watchEnded(err);
    });
    stream.on('end', () => {
      if (!this.#closed && this.#watch === stream && !this.healthUnimplemented) this.#watchEnded(new Error('health stream ended'));
    });
  }

  /**
   * Without a health stream (a kubelet-style plugin), the connection itself is watched: when
   * it leaves READY the plugin stopped or crashed, and the same probe as a broken stream decides.
   */
  #watchConnection(): void {
    const channel = this.#client.getChannel();
    const state = channel.getConnectivityState(false);
    channel.watchConnectivityState(state, Date.now() + 3_600_000, () => {
      if (this.#closed) return;
      const now = channel.getConnectivityState(false);
      if (now === grpc.connectivityState.READY || now === grpc.connectivityState.CONNECTING) this.#watchConnection();
      else this.#watchEnded(new Error(`connection ${grpc.connectivityState[now]}`));
    });
  }

  /** The watch stream broke: the plugin is stopping or gone. One re-watch decides which. */
  #watchEnded(cause: Error): void {
    if (this.#closed) return;
    this.#watch = undefined;
    this.#setHealthy(false);
    this.#client.waitForReady(Date.now() + 250, (err) => {
      if (this.#closed) return;
      if (err) this.emit('lost', new Error(`connection lost (${cause.message})`, { cause }));
      else this.watchHealth();
    });
  }

  #setHealthy(healthy: boolean): void {
    if (this.healthy === healthy) return;
    this.healthy = healthy;
    this.emit('health', healthy);
  }

  /** Takes the instance out of rotation and resolves once no call is in flight (or after timeoutMs). */
  drain(timeoutMs: number): Promise<void> {
    if (this.state !== 'gone') this.state = 'draining';
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.off('drained', done); resolve(); }, timeoutMs);
      const done = () => { clearTimeout(timer); resolve(); };
      this.once('drained', done);
    });
  }

  /** Best-effort NotifyRegistrationStatus to the plugin. */
  notify(registered: boolean, error: string, timeoutMs = 1000): Promise<void> {
    return notifyRegistration(this.#registrationClient, registered, error, timeoutMs);
  }

  /**
   * Leaves rotation at once, and closes the connection once the calls in flight finish (or
   * after timeoutMs): a plugin that unlinked its socket while draining still answers them.
   */
  async closeWhenIdle(timeoutMs: number): Promise<void> {
    this.state = 'gone';
    this.healthy = false;
    await this.drain(timeoutMs);
    this.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.state = 'gone';
    this.healthy = false;
    this.#watch?.cancel();
    // Half-close: the plugin answers what it has (calls still in flight keep their deadlines), then ends.
    this.#calls?.end();
    this.#client.close();
    if (this.#registrationClient !== this.#client) this.#registrationClient.close();
  }
}

/** NotifyRegistrationStatus over any client; never throws (the plugin may already be gone). */
export function notifyRegistration(client: grpc.Client, registered: boolean, error: string, timeoutMs: number): Promise<void> {
  const def = serviceDefinition(REGISTRATION).NotifyRegistrationStatus!;
  return new Promise((resolve) => {
    client.makeUnaryRequest(def.path, def.requestSerialize as (v: unknown) => Buffer, def.responseDeserialize as (b: Buffer) => unknown,
      { pluginRegistered: registered, error }, { deadline: Date.now() + timeoutMs }, () => resolve());
  });
}
