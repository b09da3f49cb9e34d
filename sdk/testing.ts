/**
 * testPlugin: a plugin author's test harness. It serves the plugin for real (servePlugin on a
 * temp socket) and calls it over gRPC with the contracts' own service definitions, so a test
 * exercises exactly the encoding, hook detection and error mapping the host will meet,
 * without a host or a cluster.
 *
 *   const h = await testPlugin(plugin);
 *   const res = await h.call('Admit', { uid: 'u1', object: Buffer.from('{}') });
 *   await h.close();
 *
 * A plugin's other interface versions are called with `{ version }`, e.g. a scheduling plugin's
 * plugd.scheduling.v1beta1 hooks: `testPlugin(plugin, { version: 'v1beta1' })`.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { contractFor, HEALTH, REGISTRATION, serviceDefinition, type ContractRef, type PluginType } from '../proto/index.js';
import type { SchedulerDefinition } from '../proto/gen/plugd/scheduling/v1/Scheduler.js';
import type { SchedulerDefinition as SchedulerV1beta1Definition } from '../proto/gen/plugd/scheduling/v1beta1/Scheduler.js';
import type { AdmissionDefinition } from '../proto/gen/plugd/admission/v1/Admission.js';
import type { NetworkDefinition } from '../proto/gen/plugd/network/v1/Network.js';
import type { RegistrationDefinition } from '../proto/gen/pluginregistration/Registration.js';
import type { HealthDefinition } from '../proto/gen/grpc/health/v1/Health.js';
import { isPluginDefinition, type MethodNamesOf, type PluginDefinition } from './define.js';
import type { ServingStatus } from './health.js';
import { servePlugin, type ServedPlugin } from './serve.js';

/** The generated service definition of each interface version the harness can call. */
interface Contracts {
  SchedulerPlugin: { v1: SchedulerDefinition; v1beta1: SchedulerV1beta1Definition };
  AdmissionPlugin: { v1: AdmissionDefinition };
  NetworkPlugin: { v1: NetworkDefinition };
}

/** The interface versions of type `T` the harness can call. */
export type VersionOf<T extends PluginType> = keyof Contracts[T] & string;
type Contract<T extends PluginType, V extends VersionOf<T>> = Contracts[T][V];

const DEFAULT_VERSION = 'v1';

type RequestOf<M> = M extends { requestSerialize: (value: infer Req) => Buffer } ? Req : never;
type ResponseOf<M> = M extends { responseDeserialize: (bytes: Buffer) => infer Res } ? Res : never;

/** The hooks of interface `T` at version `V` (every rpc but GetCapabilities). */
export type HookName<T extends PluginType, V extends VersionOf<T> = 'v1'> = Exclude<MethodNamesOf<Contract<T, V>>, 'GetCapabilities'>;
/** What a test passes to hook `M` of interface `T` at version `V`: the contract's request type. */
export type HookRequest<T extends PluginType, M extends HookName<T, V>, V extends VersionOf<T> = 'v1'> = RequestOf<Contract<T, V>[M]>;
/** What a test gets back from hook `M`: the decoded response, every field present (proto defaults). */
export type HookResponse<T extends PluginType, M extends HookName<T, V>, V extends VersionOf<T> = 'v1'> = ResponseOf<Contract<T, V>[M]>;
/** The decoded Capabilities of interface `T` at version `V`. */
export type CapabilitiesOf<T extends PluginType, V extends VersionOf<T> = 'v1'> = ResponseOf<Contract<T, V>['GetCapabilities' & keyof Contract<T, V>]>;
/** The decoded kubelet-shaped PluginInfo. */
export type PluginInfoOf = ResponseOf<RegistrationDefinition['GetInfo']>;

export interface TestPluginOptions<V extends string = 'v1'> {
  /** The interface version to call (default v1); the plugin must serve it. */
  version?: V;
  /** Directory for the socket; default a fresh temp directory, removed by close(). */
  socketDir?: string;
  /** Exact socket path (overrides socketDir). */
  socketPath?: string;
  /** Deadline of every call unless the call says otherwise. Default 10000 ms. */
  deadlineMs?: number;
  /** The plugin's logger. Default: silent. */
  logger?: Logger;
  /** Passed to servePlugin. */
  drainTimeoutMs?: number;
  maxMessageBytes?: number;
}

export interface HarnessCallOptions {
  /** Deadline of this call; default the harness's deadlineMs. */
  deadlineMs?: number;
  metadata?: grpc.Metadata;
}

export interface PluginHarness<T extends PluginType, V extends VersionOf<T> = 'v1'> {
  readonly definition: PluginDefinition<T>;
  /** The interface version `call` and `capabilities` speak. */
  readonly version: V;
  /** The running plugin: its socket path, its HealthService (to flip status), its registration events. */
  readonly served: ServedPlugin;
  readonly socketPath: string;
  /**
   * Calls hook `hook` through gRPC. Resolves with the decoded response; rejects with the
   * grpc ServiceError (err.code is the gRPC status, e.g. UNIMPLEMENTED for a hook the plugin
   * does not implement, or the code a handler threw).
   */
  call<M extends HookName<T, V>>(hook: M, request: HookRequest<T, M, V>, options?: HarnessCallOptions): Promise<HookResponse<T, M, V>>;
  /** Registration.GetInfo, as the host's discovery calls it. */
  info(): Promise<PluginInfoOf>;
  /** The interface's GetCapabilities, as the host's handshake calls it. */
  capabilities(): Promise<CapabilitiesOf<T, V>>;
  /** grpc.health.v1 Check of `service` ("" = the plugin as a whole). */
  health(service?: string): Promise<ServingStatus>;
  /** Registration.NotifyRegistrationStatus, as the host sends it after the handshake. */
  notify(registered: boolean, error?: string): Promise<void>;
  /** Closes the client and the plugin, and removes the temp directory. Idempotent. */
  close(): Promise<void>;
}

type UnknownMethod = grpc.MethodDefinition<unknown, unknown>;

function methodOf(ref: ContractRef, name: string): UnknownMethod {
  const method = serviceDefinition(ref)[name] as UnknownMethod | undefined;
  if (!method) throw new Error(`testPlugin: ${ref.service} has no rpc ${name}`);
  return method;
}

/** Serves `definition` on a temp socket and returns a client typed by its interface's contract. */
export async function testPlugin<T extends PluginType, V extends VersionOf<T> = 'v1'>(definition: PluginDefinition<T>, options: TestPluginOptions<V> = {}): Promise<PluginHarness<T, V>> {
  if (!isPluginDefinition(definition)) throw new TypeError('testPlugin: expected a definition returned by definePlugin()');
  const version = (options.version ?? DEFAULT_VERSION) as V;
  const contract = contractFor(definition.type, version);
  if (!contract || !definition.servedVersions.includes(version)) {
    const hint = definition.servedVersions.length > 0 ? `; pass { version: '${definition.servedVersions[0]}' }` : '';
    throw new RangeError(`testPlugin(${definition.name}): the harness calls ${definition.type} ${version}, which the plugin does not serve (it serves ${definition.servedVersions.join(', ')})${hint}`);
  }
  const ownDir = options.socketDir === undefined && options.socketPath === undefined ? mkdtempSync(join(tmpdir(), 'plugd-harness-')) : undefined;
  const deadlineMs = options.deadlineMs ?? 10_000;
  const maxBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;

  let served: ServedPlugin;
  try {
    served = await servePlugin(definition, {
      socketDir: ownDir ?? options.socketDir,
      socketPath: options.socketPath,
      handleSignals: false,
      parentFd: null,
      logger: options.logger ?? pino({ level: 'silent' }),
      drainTimeoutMs: options.drainTimeoutMs,
      maxMessageBytes: maxBytes,
    });
  } catch (err) {
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    throw err;
  }

  const client = new grpc.Client(`unix:${served.socketPath}`, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': maxBytes,
    'grpc.max_send_message_length': maxBytes,
  });

  const unary = <Res>(method: UnknownMethod, request: unknown, opts: HarnessCallOptions = {}): Promise<Res> =>
    new Promise((resolve, reject) => {
      client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request,
        opts.metadata ?? new grpc.Metadata(), { deadline: Date.now() + (opts.deadlineMs ?? deadlineMs) },
        (err, res) => (err ? reject(err) : resolve(res as Res)));
    });

  let closing: Promise<void> | undefined;
  return {
    definition,
    version,
    served,
    socketPath: served.socketPath,
    call: (hook, request, opts) => unary(methodOf(contract, hook), request, opts),
    info: () => unary(methodOf(REGISTRATION, 'GetInfo' satisfies keyof RegistrationDefinition), {}),
    capabilities: () => unary(methodOf(contract, 'GetCapabilities'), {}),
    health: async (service = '') => {
      const res = await unary<ResponseOf<HealthDefinition['Check']>>(methodOf(HEALTH, 'Check' satisfies keyof HealthDefinition), { service });
      return res.status;
    },
    notify: async (registered, error = '') => {
      await unary(methodOf(REGISTRATION, 'NotifyRegistrationStatus' satisfies keyof RegistrationDefinition), { pluginRegistered: registered, error });
    },
    close: () => {
      closing ??= (async () => {
        client.close();
        await served.close();
        if (ownDir) rmSync(ownDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
