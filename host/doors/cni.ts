/**
 * The CNI door: what bin/plugd-cni (the shim a container runtime execs as a CNI plugin) talks
 * to. HTTP over a unix socket (mode 0600 by default):
 *
 *   POST /v1/cni   headers CNI-Command, CNI-ContainerID, CNI-Netns, CNI-Ifname, CNI-Args,
 *                  CNI-Path, Plugd-As (the name the shim was run as); body = the shim's stdin
 *   → 200 + the stdout of a successful CNI call (a result for ADD, nothing otherwise), or
 *     422 + a CNI error JSON ({cniVersion, code, msg, details}) that the shim prints, exit 1.
 *
 * Run as `plugd-cni` (its own name) the shim asks for the network chain named by the config's
 * `plugdNetwork`, else its `name`, from the host's networks; run under another name (a
 * symlink), it asks for that one gRPC plugin with the config as given. The door only
 * translates: NetworkChains does the work, so the library API and the door share one path.
 *
 * Bounded: at most `maxConcurrent` requests run and `maxQueued` wait; more are answered
 * error 11 at once, so a burst of pod creations cannot exhaust memory (Multus#1346). A DEL
 * that fails for want of a plugin (error 11), or finds no room, is queued durably and
 * answered with success.
 */
import { chmodSync, mkdirSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { asCniError, CNI_COMMANDS, CNI_VERSION, CniCode, CniError, isObject, parseCniArgs, parseJsonObject, REQUIRED_ENV, SUPPORTED_CNI_VERSIONS,
  validateAttachment, validateNetworkName, type Attachment, type CniCommand, type CniResult, type RuntimeConf } from '../network/cni.js';
import type { PlugdHost } from '../host.js';
import { NetworkChains } from '../network/chains.js';
import { pluginsOf } from '../network/grpc-plugin.js';
import { checkConfigVersion, convertResult, negotiateCniVersion } from '../network/version.js';
import { DelQueue, type ReplayOutcome, type ShimRequest } from './cni-del-queue.js';

/** The shim's own name: run under it, it runs a network chain; under any other, that plugin. */
export const SHIM_NAME = 'plugd-cni';
/** Defaults the shim shares (bin/plugd-cni). */
export const DEFAULT_CNI_SOCKET = '/run/plugd/cni.sock';
export const DEFAULT_CNI_CACHE_DIR = '/var/lib/plugd/cni';

const MAX_BODY = 1 << 20;
const DEFAULT_MAX_CONCURRENT = 32;
const DEFAULT_MAX_QUEUED = 512;
const HEADERS: ReadonlyArray<[string, string]> = [
  ['cni-command', 'CNI_COMMAND'], ['cni-containerid', 'CNI_CONTAINERID'], ['cni-netns', 'CNI_NETNS'],
  ['cni-ifname', 'CNI_IFNAME'], ['cni-args', 'CNI_ARGS'], ['cni-path', 'CNI_PATH'], ['plugd-as', 'PLUGD_AS'],
];

export interface CniDoorOptions {
  readonly socketPath: string;
  readonly chains: NetworkChains;
  /** The durable DEL queue; the shim must write to the same one (see docs/networking.md). */
  readonly delQueueDir: string;
  /** Requests served at once. Default 32. */
  readonly maxConcurrent?: number;
  /** Requests waiting for a slot at most; more are answered error 11. Default 512. */
  readonly maxQueued?: number;
  /** Socket file mode; 0o660 lets a group in. Default 0o600. */
  readonly socketMode?: number;
  readonly logger: Logger;
}

type Answer = { readonly ok: true; readonly stdout: string } | { readonly ok: false; readonly error: CniError; readonly cniVersion: string };

export class CniDoor {
  readonly socketPath: string;
  readonly queue: DelQueue;
  readonly #opts: CniDoorOptions;
  readonly #server: Server;
  #inflight = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(opts: CniDoorOptions) {
    this.#opts = opts;
    this.socketPath = opts.socketPath;
    this.queue = new DelQueue({
      dir: opts.delQueueDir, logger: opts.logger, metrics: opts.chains.metrics,
      replay: (req) => this.#replay(req),
    });
    this.#server = createServer((req, res) => this.#onRequest(req, res));
  }

  /** Binds the socket (replacing a stale one, refusing a live one) and starts replaying the DEL queue. */
  async start(): Promise<void> {
    mkdirSync(dirname(this.socketPath), { recursive: true, mode: 0o700 });
    if (await isLive(this.socketPath)) throw new CniError(CniCode.IO_FAILURE, `another process serves ${this.socketPath}`);
    try {
      unlinkSync(this.socketPath);
    } catch { /* none there */ }
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.socketPath, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    chmodSync(this.socketPath, this.#opts.socketMode ?? 0o600);
    this.queue.start();
    this.#opts.logger.info({ socket: this.socketPath, delQueue: this.queue.dir, maxConcurrent: this.#opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT, maxQueued: this.#opts.maxQueued ?? DEFAULT_MAX_QUEUED },
      `CNI door listening on ${this.socketPath}`);
  }

  async close(): Promise<void> {
    await this.queue.close();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    try {
      unlinkSync(this.socketPath);
    } catch { /* gone */ }
  }

  /**
   * The shim protocol without HTTP: env + stdin → stdout or a CNI error (tests, other transports).
   * Checked as skel checks a plugin's call, in skel's order: the environment (4), the config
   * (6 undecodable, 7 no valid name), then its cniVersion (1: one the host does not speak, or
   * a command it does not have — CHECK before 0.4.0, STATUS and GC before 1.1.0).
   */
  async handle(req: ShimRequest, fromQueue = false): Promise<Answer> {
    let cniVersion = CNI_VERSION;
    try {
      const command = req.env.CNI_COMMAND;
      if (!command) throw new CniError(CniCode.INVALID_ENV, 'required env variables [CNI_COMMAND] missing');
      if (!CNI_COMMANDS.includes(command as CniCommand)) throw new CniError(CniCode.INVALID_ENV, `unknown CNI_COMMAND: ${command}`);
      const as = req.env.PLUGD_AS || SHIM_NAME;
      const path = (req.env.CNI_PATH ?? '').split(':').filter((p) => p !== '');
      if (command === 'VERSION') {
        // skel reads no config for VERSION: any stdin, or none, gets the answer.
        if (as === SHIM_NAME) return { ok: true, stdout: JSON.stringify({ cniVersion: CNI_VERSION, supportedVersions: SUPPORTED_CNI_VERSIONS }) };
        // What the host accepts for that plugin: its own versions and those it converts down to them.
        const own = await this.#opts.chains.version(as, { path });
        const accepted = SUPPORTED_CNI_VERSIONS.filter((v) => negotiateCniVersion(v, own.supportedVersions) !== undefined);
        return { ok: true, stdout: JSON.stringify({ cniVersion: CNI_VERSION, supportedVersions: accepted }) };
      }
      const cmd = command as Exclude<CniCommand, 'VERSION'>;
      const missing = REQUIRED_ENV[cmd].filter((k) => !req.env[k] || (k === 'CNI_PATH' && path.length === 0));
      if (missing.length > 0) throw new CniError(CniCode.INVALID_ENV, `required env variables [${missing.join(',')}] missing`);
      const badAttachment = REQUIRED_ENV[cmd].includes('CNI_CONTAINERID') ? validateAttachment(req.env.CNI_CONTAINERID!, req.env.CNI_IFNAME!) : undefined;
      if (badAttachment) throw badAttachment;
      const conf = parseJsonObject(req.stdin, 'the network configuration on stdin');
      if (typeof conf.cniVersion === 'string' && conf.cniVersion !== '') cniVersion = conf.cniVersion;
      const badConf = validateNetworkName(conf.name) ?? checkConfigVersion(cmd, conf.cniVersion, SUPPORTED_CNI_VERSIONS);
      if (badConf) throw badConf;
      const rt: RuntimeConf = {
        containerID: req.env.CNI_CONTAINERID ?? '',
        netns: req.env.CNI_NETNS ?? '',
        ifName: req.env.CNI_IFNAME ?? '',
        args: parseCniArgs(req.env.CNI_ARGS ?? ''),
        capabilityArgs: isObject(conf.runtimeConfig) ? conf.runtimeConfig : undefined,
      };
      const prevResult = isObject(conf.prevResult) ? (conf.prevResult as CniResult) : undefined;
      const chains = this.#opts.chains;
      let result: CniResult | undefined;
      try {
        if (as !== SHIM_NAME) {
          result = await chains.runPlugin(as, cmd, rt, conf, { path });
        } else {
          const network = typeof conf.plugdNetwork === 'string' ? conf.plugdNetwork : String(conf.name ?? '');
          const opts = { path, prevResult };
          if (cmd === 'ADD') result = await chains.add(network, rt, opts);
          else if (cmd === 'DEL') await chains.del(network, rt, opts);
          else if (cmd === 'CHECK') await chains.check(network, rt, opts);
          else if (cmd === 'STATUS') await chains.status(network, opts);
          else await chains.gc(network, validAttachments(conf), opts);
        }
      } catch (err) {
        const e = asCniError(err);
        if (cmd !== 'DEL' || e.cniCode !== CniCode.TRY_AGAIN_LATER || fromQueue) throw e;
        // A DEL that could not run for want of a plugin: durable, answered as done, replayed later.
        await this.queue.enqueue(req);
        this.#opts.logger.warn({ containerID: rt.containerID, ifName: rt.ifName, plugin: e.plugin }, `DEL of ${rt.containerID}/${rt.ifName} queued for replay: ${e.message}`);
        return { ok: true, stdout: '' };
      }
      return { ok: true, stdout: result ? JSON.stringify(convertResult(result, cniVersion)) : '' };
    } catch (err) {
      return { ok: false, error: asCniError(err), cniVersion };
    }
  }

  async #replay(req: ShimRequest): Promise<ReplayOutcome> {
    const answer = await this.handle(req, true);
    if (answer.ok) return { outcome: 'done' };
    if (answer.error.cniCode === CniCode.TRY_AGAIN_LATER) return { outcome: 'retry', why: answer.error.message };
    return { outcome: 'drop', why: answer.error.message };
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST' || req.url !== '/v1/cni') {
      res.writeHead(req.url === '/v1/cni' ? 405 : 404, { 'content-type': 'text/plain' }).end(`plugd CNI door: POST /v1/cni\n`);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const env: Record<string, string> = {};
      for (const [h, k] of HEADERS) {
        const v = req.headers[h];
        if (typeof v === 'string' && v !== '') env[k] = v;
      }
      if (size > MAX_BODY) {
        send(res, { ok: false, error: new CniError(CniCode.DECODING_FAILURE, `the network configuration is over ${MAX_BODY} bytes`), cniVersion: CNI_VERSION });
        return;
      }
      void this.#bounded({ env, stdin: Buffer.concat(chunks) }).then((a) => send(res, a));
    });
  }

  /** A slot, a place in the bounded wait, or error 11 at once. */
  async #bounded(req: ShimRequest): Promise<Answer> {
    const max = this.#opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    const metrics = this.#opts.chains.metrics;
    if (this.#inflight >= max) {
      if (this.#waiting.length >= (this.#opts.maxQueued ?? DEFAULT_MAX_QUEUED)) {
        // A DEL is never turned away: runtimes rarely retry one. It waits on disk instead.
        if (req.env.CNI_COMMAND === 'DEL') {
          await this.queue.enqueue(req);
          return { ok: true, stdout: '' };
        }
        metrics.shimRejected.inc();
        // Not logged per request: a burst would flood the log; the counter says how many.
        return { ok: false, cniVersion: CNI_VERSION, error: new CniError(CniCode.TRY_AGAIN_LATER, 'plugd host busy, try again later', `${this.#inflight} operations in flight and ${this.#waiting.length} waiting`) };
      }
      metrics.shimWaiting.inc();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
      metrics.shimWaiting.dec();
    } else {
      this.#inflight++;
    }
    metrics.shimInflight.set(this.#inflight);
    try {
      return await this.handle(req);
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#inflight--;
      metrics.shimInflight.set(this.#inflight);
    }
  }
}

function send(res: ServerResponse, a: Answer): void {
  if (a.ok) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(a.stdout) }).end(a.stdout);
    return;
  }
  const body = JSON.stringify(a.error.toJson(a.cniVersion));
  res.writeHead(422, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

/** GC's `cni.dev/valid-attachments`, checked. */
function validAttachments(conf: Record<string, unknown>): Attachment[] {
  const raw = conf['cni.dev/valid-attachments'];
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || !raw.every((a) => isObject(a) && typeof a.containerID === 'string' && typeof a.ifname === 'string')) {
    throw new CniError(CniCode.INVALID_CONFIG, 'cni.dev/valid-attachments must be an array of {"containerID", "ifname"}');
  }
  return raw as Attachment[];
}

/** True when something accepts connections on `path`. */
function isLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface CniServiceOptions {
  readonly socketPath: string;
  readonly confDir?: string;
  /** Where exec'd plugins are found; empty: each request's CNI_PATH. */
  readonly cniPath?: readonly string[];
  /** Result cache root; the DEL queue is `<cacheDir>/del-queue`. Default /var/lib/plugd/cni. */
  readonly cacheDir?: string;
  readonly maxConcurrent?: number;
  readonly maxQueued?: number;
  readonly socketMode?: number;
}

/** Network chains over a host's plugins and the door in front of them, started (what `plugd host --cni-socket` runs). */
export async function startCniService(host: PlugdHost, opts: CniServiceOptions): Promise<{ chains: NetworkChains; door: CniDoor }> {
  const cacheDir = opts.cacheDir ?? DEFAULT_CNI_CACHE_DIR;
  const chains = new NetworkChains({
    plugins: pluginsOf(host), cniPath: opts.cniPath, cacheDir, confDir: opts.confDir,
    logger: host.logger, metricsRegistry: host.metrics.registry,
    // A plugin this host execs that delegates to the shim (bridge → plugd-ipam) comes back here.
    execEnv: { PLUGD_CNI_SOCKET: opts.socketPath },
  });
  const door = new CniDoor({
    socketPath: opts.socketPath, chains, delQueueDir: join(cacheDir, 'del-queue'), logger: host.logger,
    maxConcurrent: opts.maxConcurrent, maxQueued: opts.maxQueued, socketMode: opts.socketMode,
  });
  await door.start();
  return { chains, door };
}
