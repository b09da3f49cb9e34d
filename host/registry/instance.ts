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

export type InstanceState = 'pending' | 'active' | 'draining' | 'gone';

export interface CallSettings {
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly timeoutMs: number;
  /** Hooks safe to retry once on UNAVAILABLE. */
  readonly idempotent: ReadonlySet<string>;
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
}

interface MethodEntry {
  readonly path: string;
  readonly serialize: (value: unknown) => Buffer;
  readonly deserialize: (bytes: Buffer) => unknown;
  readonly recorder: CallRecorder;
}

const GRPC_TO_CODE: Partial<Record<number, ErrorCode>> = {
  [grpc.status.DEADLINE_EXCEEDED]: ErrorCodes.CALL_TIMEOUT,
  [grpc.status.UNAVAILABLE]: ErrorCodes.PLUGIN_UNAVAILABLE,
  [grpc.status.UNIMPLEMENTED]: ErrorCodes.NOT_IMPLEMENTED,
  [grpc.status.RESOURCE_EXHAUSTED]: ErrorCodes.MESSAGE_TOO_LARGE,
};

let nextId = 1;

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
  #watch: grpc.ClientReadableStream<{ status: string }> | undefined;
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
    for (const [rpc, def] of Object.entries(serviceDefinition(init.contract))) {
      this.#methods.set(rpc, {
        path: def.path,
        serialize: def.requestSerialize as (value: unknown) => Buffer,
        deserialize: def.responseDeserialize as (bytes: Buffer) => unknown,
        recorder: init.metrics.recorder(init.name, rpc),
      });
    }
  }

  /** True when calls may be routed here. */
  get inRotation(): boolean {
    return this.state === 'active' && this.healthy;
  }

  /**
   * Calls one hook with a deadline. Resolves with the decoded response; rejects with a
   * PluginCallError (CALL_TIMEOUT, CALL_FAILED, PLUGIN_UNAVAILABLE, NOT_IMPLEMENTED…).
   */
  call<Res>(method: string, request: unknown, timeoutMs: number): Promise<Res> {
    const m = this.#methods.get(method);
    if (m === undefined || !this.implemented.has(method)) {
      return Promise.reject(new PluginCallError(ErrorCodes.NOT_IMPLEMENTED, this.name, method,
        `does not implement ${method} (implements: ${[...this.implemented].join(', ') || 'nothing'})`));
    }
    this.inflight++;
    const started = performance.now();
    return new Promise<Res>((resolve, reject) => {
      this.#client.makeUnaryRequest(m.path, m.serialize, m.deserialize, request, { deadline: Date.now() + timeoutMs },
        (err: grpc.ServiceError | null, res?: unknown) => {
          const seconds = (performance.now() - started) / 1000;
          if (--this.inflight === 0 && this.state === 'draining') this.emit('drained');
          if (err) {
            const e = this.#callError(method, err, timeoutMs);
            m.recorder.failed(seconds, e.code);
            reject(e);
          } else {
            m.recorder.ok(seconds);
            resolve(res as Res);
          }
        });
    });
  }

  #callError(method: string, err: grpc.ServiceError, timeoutMs: number): PluginCallError {
    const code = GRPC_TO_CODE[err.code] ?? ErrorCodes.CALL_FAILED;
    const what = code === ErrorCodes.CALL_TIMEOUT ? `no answer within ${timeoutMs} ms` : `${grpc.status[err.code] ?? err.code}: ${err.details || err.message}`;
    return new PluginCallError(code, this.name, method, what, err, err.code);
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
        this.healthUnimplemented = true;
        this.#log.info({ plugin: this.name, socket: this.socketPath }, 'plugin serves no grpc.health.v1; taking it as SERVING');
        this.#setHealthy(true);
        return;
      }
      this.#watchEnded(err);
    });
    stream.on('end', () => {
      if (!this.#closed && this.#watch === stream && !this.healthUnimplemented) this.#watchEnded(new Error('health stream ended'));
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
    this.state = 'draining';
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

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.state = 'gone';
    this.healthy = false;
    this.#watch?.cancel();
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
