/**
 * servePlugin: binds a plugin's unix socket and serves the registration handshake,
 * grpc.health.v1 and the typed hooks. On SIGTERM/SIGINT (or when the supervising host
 * dies) it stops advertising health, unlinks its socket, drains in-flight calls and exits.
 */
import * as grpc from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import { lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { contractFor, HEALTH, REGISTRATION, serviceDefinition, SUPERSEDED_PREFIX } from '../proto/index.js';
import type { PluginInfo } from '../proto/gen/pluginregistration/PluginInfo.js';
import type { RegistrationStatus__Output } from '../proto/gen/pluginregistration/RegistrationStatus.js';
import { CallStreams, type StreamMethod } from './call-stream.js';
import type { Handler, PluginDefinition } from './define.js';
import { hookContext, runHook } from './hook-call.js';
import { HealthService } from './health.js';
import { defaultSocketDir } from './paths.js';

export interface ServeOptions {
  /** Directory the socket goes in; default defaultSocketDir(). Ignored when socketPath is set. */
  socketDir?: string;
  /** Exact socket path; default <socketDir>/<name>.sock. */
  socketPath?: string;
  /** Install SIGTERM/SIGINT handlers that close() and exit the process. Default true. */
  handleSignals?: boolean;
  /** How long close() waits for in-flight calls before cutting them. Default 10000 ms. */
  drainTimeoutMs?: number;
  /** Largest message the plugin accepts or sends. Default 16 MiB. */
  maxMessageBytes?: number;
  /**
   * A file descriptor inherited from a supervising host: when it reaches EOF the host is
   * gone and the plugin closes and exits (no orphans, even after the host's SIGKILL).
   * Default: $PLUGD_PARENT_FD when set; null: none, whatever the environment says.
   */
  parentFd?: number | null;
  /**
   * When a live instance holds the socket path, serve beside it on `<name>.<pid>.sock`
   * instead of refusing: the host sees a new instance under the same name and hot-swaps to
   * it once it is SERVING. Default false (`plugd serve --replace` sets it).
   */
  replace?: boolean;
  /**
   * Close and exit the process when the host says this instance was superseded by a newer
   * one (after a hot-swap it has already drained). Default: the value of handleSignals.
   */
  exitWhenSuperseded?: boolean;
  logger?: Logger;
}

export interface RegistrationEvent {
  registered: boolean;
  error: string;
}

export interface ServedPlugin {
  readonly definition: PluginDefinition;
  readonly socketPath: string;
  readonly health: HealthService;
  /** The last status a host notified, if any. */
  readonly lastRegistration: RegistrationEvent | undefined;
  /** Emits 'registration' (RegistrationEvent) on every NotifyRegistrationStatus. */
  readonly events: EventEmitter;
  /** Stops advertising, unlinks the socket (if still ours), drains, closes. Idempotent. */
  close(): Promise<void>;
}

export class SocketInUseError extends Error {
  readonly code = 'PLUGD_SDK_SOCKET_IN_USE';
  constructor(readonly socketPath: string) {
    super(`socket ${socketPath} is held by a live server; refusing to replace it`);
  }
}

/** The socket path is taken by something that is not a socket (a file, a directory…), which is never removed. */
export class SocketPathTakenError extends Error {
  readonly code = 'PLUGD_SDK_SOCKET_PATH_TAKEN';
  constructor(readonly socketPath: string) {
    super(`${socketPath} exists and is not a socket; refusing to remove it`);
  }
}

/** Resolves true when something accepts connections on `path`. */
function isLive(path: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const sock: Socket = connect(path);
    const timer = setTimeout(() => { sock.destroy(); done(true); }, timeoutMs);
    sock.once('connect', () => { clearTimeout(timer); sock.destroy(); done(true); });
    sock.once('error', () => { clearTimeout(timer); done(false); });
  });
}

/** Makes `path` free for binding: removes a stale socket, refuses a live one or a non-socket. */
async function claimSocketPath(path: string): Promise<void> {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new SocketPathTakenError(path);
  if (await isLive(path)) throw new SocketInUseError(path);
  unlinkSync(path);
}

function hookHandler(def: PluginDefinition, fn: Handler<unknown, unknown>): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    const ctx = hookContext(def.name, call.metadata, () => {
      const d = call.getDeadline();
      return d instanceof Date ? d : Number.isFinite(d) ? new Date(d) : undefined;
    }, (abort) => {
      if (call.cancelled) abort();
      else call.once('cancelled', abort);
    });
    runHook(fn, call.request, ctx, (res) => callback(null, res), (err) => callback(toServiceError(err)));
  };
}

function toServiceError(err: unknown): Partial<grpc.StatusObject> {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'number' && e.code > 0 && e.code <= 16 ? e.code : grpc.status.UNKNOWN;
  return { code, details: typeof e?.message === 'string' ? e.message : String(err) };
}

export async function servePlugin(def: PluginDefinition, options: ServeOptions = {}): Promise<ServedPlugin> {
  let socketPath = resolve(options.socketPath ?? join(options.socketDir ?? defaultSocketDir(), `${def.name}.sock`));
  const log = options.logger ?? defaultLogger(def.name);
  const maxBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
  const events = new EventEmitter();
  const ownsProcess = options.handleSignals ?? true;

  mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 });
  try {
    await claimSocketPath(socketPath);
  } catch (err) {
    if (!(err instanceof SocketInUseError) || !options.replace) throw err;
    // A successor beside the live instance: each instance only ever unlinks its own path.
    const successor = socketPath.replace(/(\.sock)?$/, `.${process.pid}.sock`);
    log.info({ holder: socketPath, socket: successor }, 'a live instance holds the socket; serving beside it to replace it');
    socketPath = successor;
    await claimSocketPath(socketPath);
  }

  const server = new grpc.Server({
    'grpc.max_receive_message_length': maxBytes,
    'grpc.max_send_message_length': maxBytes,
    // Channelz bookkeeping costs CPU on every call and nothing here reads it.
    'grpc.enable_channelz': 0,
  });
  const typedServices = def.servedVersions.map((v) => contractFor(def.type, v)!.service);
  const health = new HealthService(typedServices);
  let lastRegistration: RegistrationEvent | undefined;

  server.addService(serviceDefinition(REGISTRATION), {
    GetInfo: (_call: grpc.ServerUnaryCall<unknown, PluginInfo>, cb: grpc.sendUnaryData<PluginInfo>) => {
      cb(null, { type: def.type, name: def.name, endpoint: '', supportedVersions: [...def.versions] });
    },
    NotifyRegistrationStatus: (call: grpc.ServerUnaryCall<RegistrationStatus__Output, object>, cb: grpc.sendUnaryData<object>) => {
      lastRegistration = { registered: call.request.pluginRegistered, error: call.request.error };
      if (lastRegistration.registered) log.info('registered with host');
      else log.warn({ reason: lastRegistration.error }, 'host refused or released registration');
      events.emit('registration', lastRegistration);
      cb(null, {});
      if (!lastRegistration.registered && lastRegistration.error.startsWith(SUPERSEDED_PREFIX) && (options.exitWhenSuperseded ?? ownsProcess)) {
        log.info({ reason: lastRegistration.error }, 'superseded by a newer instance; stopping');
        void close().then(() => process.exit(0));
      }
    },
  });
  server.addService(serviceDefinition(HEALTH), health.handlers());

  // The same handlers over plugd.calls.v1, keyed by the rpcs' full paths.
  const streamMethods = new Map<string, StreamMethod>();
  for (const version of def.servedVersions) {
    // Each version answers its own hooks: the same rpc name means different things in each.
    const hooks = def.byVersion[version]!;
    const capabilities = { ...def.capabilities, implemented: [...hooks.implemented] };
    const impl: grpc.UntypedServiceImplementation = {
      GetCapabilities: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, capabilities),
    };
    const service = serviceDefinition(contractFor(def.type, version)!);
    for (const hook of hooks.implemented) {
      impl[hook] = hookHandler(def, hooks.handlers[hook]!);
      const m = service[hook]!;
      streamMethods.set(m.path, {
        deserialize: m.requestDeserialize as (b: Buffer) => unknown,
        serialize: m.responseSerialize as (v: unknown) => Buffer,
        handler: hooks.handlers[hook]!,
      });
    }
    server.addService(service, impl);
  }
  const callStreams = new CallStreams(def.name, streamMethods, (err) => {
    const e = toServiceError(err);
    return { code: e.code ?? grpc.status.UNKNOWN, details: e.details ?? '' };
  }, log);
  server.addService(...callStreams.service());

  await new Promise<void>((ok, fail) => {
    server.bindAsync(`unix:${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? fail(err) : ok()));
  });
  const boundIno = lstatSync(socketPath).ino;
  log.info({ socket: socketPath, type: def.type, versions: def.versions, hooks: Object.fromEntries(def.servedVersions.map((v) => [v, def.byVersion[v]!.implemented])) }, 'plugin serving');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      health.setAll('NOT_SERVING');
      // Unlink only our own socket: after a same-path restart the file may be a successor's.
      try {
        if (lstatSync(socketPath).ino === boundIno) unlinkSync(socketPath);
      } catch { /* already gone */ }
      health.endWatches();
      // Streams end once the calls they started are answered; tryShutdown then finds none.
      void callStreams.drain();
      await new Promise<void>((done) => {
        const timer = setTimeout(() => { server.forceShutdown(); done(); }, options.drainTimeoutMs ?? 10_000);
        server.tryShutdown(() => { clearTimeout(timer); done(); });
      });
      log.info('plugin stopped');
    })();
    return closing;
  };

  if (ownsProcess) onStopSignal(log, close);
  watchParent(options.parentFd, log, close);

  return {
    definition: def,
    socketPath,
    health,
    events,
    get lastRegistration() { return lastRegistration; },
    close,
  };
}

/** The SDK's logger when the plugin brings none: JSON lines on stderr, level from $PLUGD_LOG_LEVEL. */
function defaultLogger(name: string): Logger {
  return pino({ name, level: process.env.PLUGD_LOG_LEVEL ?? 'info' }, pino.destination({ dest: 2, sync: true }));
}

/** SIGTERM/SIGINT: `close`, then exit 0. */
function onStopSignal(log: Logger, close: () => Promise<unknown>): void {
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'draining');
    void close().then(() => process.exit(0));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/**
 * The supervising host's pipe (`parentFd`, default $PLUGD_PARENT_FD): it holds the other end,
 * so EOF means it died, however it died: `close`, then exit 0.
 */
function watchParent(parentFd: number | null | undefined, log: Logger, close: () => Promise<unknown>): void {
  const fd = parentFd === undefined ? (process.env.PLUGD_PARENT_FD ? Number(process.env.PLUGD_PARENT_FD) : null) : parentFd;
  if (fd === null || !Number.isInteger(fd)) return;
  const pipe = new Socket({ fd, readable: true, writable: false });
  pipe.on('error', () => {});
  pipe.once('close', () => {
    log.warn('supervising host is gone; stopping');
    void close().then(() => process.exit(0));
  });
  pipe.resume();
  pipe.unref();
}

export interface ServePluginsOptions extends Omit<ServeOptions, 'socketPath' | 'replace' | 'logger'> {
  /** A logger per plugin; default: the SDK's JSON logger on stderr, named after the plugin. */
  logger?: (def: PluginDefinition) => Logger;
}

/**
 * Several plugins in one process (a bundle of policies, say): one process to wake and to
 * keep in memory instead of one each. Each plugin keeps its own socket
 * (`<socketDir>/<name>.sock`), registration, health and call stream, and is hot-swapped on its
 * own; the process has one lifecycle: SIGTERM/SIGINT or the supervising host's pipe closing
 * drains every plugin and exits 0; a plugin superseded by a newer instance stops, and the
 * process exits once none is left (unless exitWhenSuperseded is false).
 */
export async function servePlugins(defs: readonly PluginDefinition[], options: ServePluginsOptions = {}): Promise<ServedPlugin[]> {
  if (defs.length === 0) throw new Error('servePlugins: no plugin to serve');
  const names = defs.map((d) => d.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`servePlugins: plugin ${twice} is given twice (one socket per name)`);
  const ownsProcess = options.handleSignals ?? true;
  const exitWhenSuperseded = options.exitWhenSuperseded ?? ownsProcess;
  const served: ServedPlugin[] = [];
  const logs: Logger[] = [];
  try {
    for (const def of defs) {
      const logger = options.logger?.(def) ?? defaultLogger(def.name);
      logs.push(logger);
      served.push(await servePlugin(def, { ...options, logger, handleSignals: false, parentFd: null, exitWhenSuperseded: false }));
    }
  } catch (err) {
    await Promise.all(served.map((p) => p.close()));
    throw err;
  }
  const log = logs[0]!;
  const closeAll = (): Promise<unknown> => Promise.all(served.map((p) => p.close()));
  if (ownsProcess) onStopSignal(log, closeAll);
  watchParent(options.parentFd, log, closeAll);
  if (exitWhenSuperseded) {
    const open = new Set(served);
    for (const p of served) {
      p.events.on('registration', (e: RegistrationEvent) => {
        if (e.registered || !e.error.startsWith(SUPERSEDED_PREFIX) || !open.delete(p)) return;
        logs[served.indexOf(p)]!.info({ reason: e.error }, 'superseded by a newer instance; stopping this plugin');
        void p.close().then(() => {
          if (open.size === 0) process.exit(0);
        });
      });
    }
  }
  return served;
}
