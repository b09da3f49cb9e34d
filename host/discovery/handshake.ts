/**
 * The registration handshake with one socket, as kubelet's plugin watcher does it:
 * GetInfo (with a deadline), validation of name and type, negotiation of the highest
 * common version, then GetCapabilities on the typed service. The caller admits the
 * result into the registry and sends NotifyRegistrationStatus.
 */
import * as grpc from '@grpc/grpc-js';
import { lstatSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isPluginType, PLUGIN_NAME_PATTERN, PLUGIN_TYPES, REGISTRATION, serviceDefinition, type ContractRef, type PluginType } from '../../proto/index.js';
import type { PluginInfo__Output } from '../../proto/gen/pluginregistration/PluginInfo.js';
import { RegistrationRejected } from '../errors.js';
import { notifyRegistration } from '../registry/instance.js';
import { negotiate, sortVersionsDescending } from './versions.js';

/** What the host knows of an interface: the versions it speaks and how to check capabilities. */
export interface InterfaceSupport {
  readonly type: PluginType;
  /** Versions the host speaks, any order. */
  readonly versions: readonly string[];
  contract(version: string): ContractRef;
  /** The hook names valid for a version (Capabilities.implemented must be a non-empty subset). */
  hooks(version: string): readonly string[];
}

export interface HandshakeOptions {
  readonly socketDir: string;
  readonly getInfoTimeoutMs: number;
  readonly channelOptions: grpc.ChannelOptions;
  readonly interfaces: ReadonlyMap<PluginType, InterfaceSupport>;
}

export interface HandshakeResult {
  readonly info: PluginInfo__Output;
  readonly type: PluginType;
  readonly version: string;
  readonly contract: ContractRef;
  readonly endpoint: string;
  readonly client: grpc.Client;
  readonly registrationClient: grpc.Client;
  readonly capabilities: Readonly<Record<string, unknown>>;
  readonly implemented: readonly string[];
}

/** A handshake that failed for a reason that may pass (no listener yet, no answer, a refused connection). */
export class HandshakeFailure extends Error {
  constructor(message: string, readonly kind: 'no-listener' | 'no-answer' | 'not-grpc' | 'not-a-plugin' | 'failed', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HandshakeFailure';
  }
  /** Whether retrying while the socket exists can help. */
  get transient(): boolean {
    return this.kind !== 'not-a-plugin';
  }
}

function unary<Res>(client: grpc.Client, def: grpc.MethodDefinition<unknown, unknown>, req: unknown, timeoutMs: number): Promise<Res> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, req, { deadline: Date.now() + timeoutMs },
      (err: grpc.ServiceError | null, res?: unknown) => (err ? reject(err) : resolve(res as Res)));
  });
}

function classify(err: grpc.ServiceError, what: string, timeoutMs: number): HandshakeFailure {
  const details = err.details || err.message;
  if (err.code === grpc.status.DEADLINE_EXCEEDED) return new HandshakeFailure(`no answer to ${what} within ${timeoutMs} ms`, 'no-answer', { cause: err });
  if (err.code === grpc.status.UNIMPLEMENTED) {
    return new HandshakeFailure(`serves gRPC but not ${what} (UNIMPLEMENTED); not a plugd or kubelet-style plugin`, 'not-a-plugin', { cause: err });
  }
  if (err.code === grpc.status.UNAVAILABLE && /ECONNREFUSED|ENOENT/.test(details)) {
    return new HandshakeFailure('no listener on the socket (stale socket?)', 'no-listener', { cause: err });
  }
  if (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.INTERNAL) {
    return new HandshakeFailure(`not a gRPC server, or it dropped the connection (${grpc.status[err.code]}: ${details})`, 'not-grpc', { cause: err });
  }
  return new HandshakeFailure(`${what} failed: ${grpc.status[err.code] ?? err.code}: ${details}`, 'failed', { cause: err });
}

export function newClient(socketPath: string, options: grpc.ChannelOptions): grpc.Client {
  return new grpc.Client(`unix:${socketPath}`, grpc.credentials.createInsecure(), options);
}

/** Resolves PluginInfo.endpoint: empty = the socket itself; relative paths are below the socket directory. */
function endpointPath(socketPath: string, endpoint: string, socketDir: string): string {
  if (endpoint === '') return socketPath;
  const path = endpoint.startsWith('unix://') ? endpoint.slice('unix://'.length) : endpoint.startsWith('unix:') ? endpoint.slice('unix:'.length) : endpoint;
  return isAbsolute(path) ? path : join(socketDir, path);
}

/**
 * Runs the handshake. Throws HandshakeFailure (retry if transient) or RegistrationRejected
 * (already notified to the plugin; do not retry until the socket is re-created).
 */
export async function handshake(socketPath: string, opts: HandshakeOptions): Promise<HandshakeResult> {
  const registrationClient = newClient(socketPath, opts.channelOptions);
  let client: grpc.Client | undefined;
  try {
    const reg = serviceDefinition(REGISTRATION);
    let info: PluginInfo__Output;
    try {
      info = await unary<PluginInfo__Output>(registrationClient, reg.GetInfo!, {}, opts.getInfoTimeoutMs);
    } catch (err) {
      throw classify(err as grpc.ServiceError, 'pluginregistration.Registration/GetInfo', opts.getInfoTimeoutMs);
    }

    const reject = async (reason: RegistrationRejected['reason'], message: string): Promise<never> => {
      await notifyRegistration(registrationClient, false, message, opts.getInfoTimeoutMs);
      throw new RegistrationRejected(reason, message, { plugin: info.name || undefined });
    };

    if (!PLUGIN_NAME_PATTERN.test(info.name)) {
      await reject('invalid-name', `invalid plugin name ${JSON.stringify(info.name)}: must match ${PLUGIN_NAME_PATTERN.source}`);
    }
    const support = isPluginType(info.type) ? opts.interfaces.get(info.type) : undefined;
    if (!support) {
      await reject('unknown-type', `unknown plugin type ${JSON.stringify(info.type)}; this host supports ${[...opts.interfaces.keys()].join(', ') || PLUGIN_TYPES.join(', ')}`);
    }
    const type = support!.type;
    const version = negotiate(support!.versions, info.supportedVersions);
    if (version === undefined) {
      await reject('no-common-version', `no common ${type} version: plugin offers [${info.supportedVersions.join(', ')}], host supports [${sortVersionsDescending(support!.versions).join(', ')}]`);
    }
    const contract = support!.contract(version!);
    const endpoint = endpointPath(socketPath, info.endpoint, opts.socketDir);
    if (endpoint !== socketPath) {
      let st;
      try {
        st = lstatSync(endpoint);
      } catch {
        throw new HandshakeFailure(`PluginInfo.endpoint ${endpoint} does not exist (yet)`, 'no-listener');
      }
      if (!st.isSocket()) await reject('invalid-endpoint', `PluginInfo.endpoint ${endpoint} is not a unix socket`);
    }
    client = endpoint === socketPath ? registrationClient : newClient(endpoint, opts.channelOptions);

    let capabilities: Record<string, unknown>;
    try {
      capabilities = await unary<Record<string, unknown>>(client, serviceDefinition(contract).GetCapabilities!, {}, opts.getInfoTimeoutMs);
    } catch (err) {
      const e = err as grpc.ServiceError;
      if (e.code === grpc.status.UNIMPLEMENTED) {
        await reject('no-capabilities', `${info.name} advertised ${type} ${version} but ${contract.service}/GetCapabilities is UNIMPLEMENTED at ${endpoint}`);
      }
      throw classify(e, `${contract.service}/GetCapabilities`, opts.getInfoTimeoutMs);
    }
    const implemented = Array.isArray(capabilities.implemented) ? (capabilities.implemented as string[]) : [];
    const hooks = new Set(support!.hooks(version!));
    const unknown = implemented.filter((h) => !hooks.has(h));
    if (implemented.length === 0) {
      await reject('no-capabilities', `${info.name} implements no ${type} ${version} hook; hooks are ${[...hooks].join(', ')}`);
    }
    if (unknown.length > 0) {
      await reject('bad-capabilities', `${info.name} claims hooks ${type} ${version} does not have: ${unknown.join(', ')}`);
    }
    return { info, type, version: version!, contract, endpoint, client, registrationClient, capabilities, implemented };
  } catch (err) {
    registrationClient.close();
    if (client && client !== registrationClient) client.close();
    throw err;
  }
}
