/**
 * Network chains: CNI network configuration lists run as libcni runs them, where each plugin
 * `type` is a registered gRPC network plugin of that name or else an executable of that name
 * on the CNI path, so both kinds chain together (a result travels between them as CNI JSON).
 *
 * ADD runs the list in order, each plugin getting the previous result as prevResult, and
 * caches the final result on disk; DEL runs it in reverse with the cached result (from 0.4.0,
 * as libcni), best effort
 * and idempotent (no cache entry: DEL still runs with what is known); CHECK runs in order
 * against the cached result; STATUS asks every plugin; GC deletes cached attachments that are
 * not valid, then passes the valid ones to every plugin. One operation at a time per
 * (containerID, ifName); a plugin that speaks only an older CNI version gets its config and
 * prevResult converted down and its result converted back up.
 *
 * Every failure is a CniError naming the plugin; a gRPC plugin that cannot be reached is
 * error 11 (try again later) under its failure policy Fail, skipped under Ignore.
 */
import type { Logger } from 'pino';
import { Registry as PromRegistry } from 'prom-client';
import { PluginCallError } from '../errors.js';
import { silentLogger } from '../log.js';
import type { AddResponse__Output } from '../../proto/gen/plugd/network/v1/AddResponse.js';
import type { VersionResponse__Output } from '../../proto/gen/plugd/network/v1/VersionResponse.js';
import {
  asCniError, CniCode, CniError, formatCniArgs, isObject, SUPPORTED_CNI_VERSIONS, validateAttachment,
  type Attachment, type CniCommand, type CniResult, type JsonObject, type RuntimeConf,
} from './cni.js';
import { loadConfDir, parseNetworkConfig, type ConfDirScan, type NetworkConfigList, type PluginEntry } from './conflist.js';
import { execPlugin, findInPath, supportedVersions, type ExecEnv } from './exec-plugin.js';
import { fromProtoError, protoRuntime, resultToJson, type GrpcPluginInfo, type NetworkPluginDirectory } from './grpc-plugin.js';
import { NetworkMetrics } from './metrics.js';
import { ResultCache } from './result-cache.js';
import { compareCniVersions, convertConfig, convertResult, negotiateCniVersion } from './version.js';

export interface NetworkChainsOptions {
  /** The registered gRPC network plugins (pluginsOf(host)). */
  plugins: NetworkPluginDirectory;
  /** Where exec'd plugins are found, and their CNI_PATH. Empty: each call's own path. */
  cniPath?: readonly string[];
  /** Root of the result cache (results/ below it, libcni's layout). */
  cacheDir: string;
  /** A directory of *.conflist / *.conf / *.json network configurations. */
  confDir?: string;
  /** Deadline of one exec'd plugin run. Default 60000 ms. */
  execTimeoutMs?: number;
  /**
   * Environment added to every exec'd plugin. The CNI door sets PLUGD_CNI_SOCKET to its own
   * socket, so that a plugin delegating to the shim (bridge to its IPAM `plugd-ipam`, say)
   * reaches this host whatever socket it listens on.
   */
  execEnv?: Readonly<Record<string, string>>;
  logger?: Logger;
  /** Where the metrics register; default a registry of their own. */
  metricsRegistry?: PromRegistry;
}

/** Per-call options beside the runtime configuration. */
export interface OperationOptions {
  /** CNI_PATH of the request, used when the chains have no cniPath of their own. */
  path?: readonly string[];
  /** A result to start ADD from (a runtime's prevResult), or DEL/CHECK's when nothing is cached. */
  prevResult?: CniResult;
}

type Target =
  | { readonly kind: 'grpc'; readonly name: string; readonly info: GrpcPluginInfo }
  | { readonly kind: 'exec'; readonly name: string; readonly binary: string };

const RPC: Readonly<Record<Exclude<CniCommand, 'VERSION'>, string>> = { ADD: 'Add', DEL: 'Del', CHECK: 'Check', STATUS: 'Status', GC: 'GC' };

/** What each command needs of the environment (skel's rules); container ID and ifName are checked as skel checks them. */
const REQUIRED: Readonly<Record<CniCommand, ReadonlyArray<'containerID' | 'netns' | 'ifName'>>> = {
  ADD: ['containerID', 'netns', 'ifName'], CHECK: ['containerID', 'netns', 'ifName'], DEL: ['containerID', 'ifName'], STATUS: [], GC: [], VERSION: [],
};
const ENV_NAME = { containerID: 'CNI_CONTAINERID', netns: 'CNI_NETNS', ifName: 'CNI_IFNAME' } as const;
/** The version from which DEL gets prevResult (the cached ADD result): libcni's DelNetworkList and DelNetwork. */
const DEL_PREV_RESULT_SINCE = '0.4.0';

export class NetworkChains {
  readonly cache: ResultCache;
  readonly metrics: NetworkMetrics;
  readonly #opts: NetworkChainsOptions;
  readonly #log: Logger;
  readonly #library = new Map<string, NetworkConfigList>();
  #fromDir = new Map<string, NetworkConfigList>();
  /** Tail of the operations queued per attachment: one at a time per (containerID, ifName). */
  readonly #tails = new Map<string, Promise<unknown>>();

  constructor(opts: NetworkChainsOptions) {
    this.#opts = opts;
    this.#log = opts.logger ?? silentLogger();
    this.cache = new ResultCache(opts.cacheDir);
    this.metrics = new NetworkMetrics(opts.metricsRegistry ?? new PromRegistry());
    if (opts.confDir) this.loadConfDir();
  }

  // ------------------------------------------------------------------ networks

  /** (Re)reads the config directory; one log line per file skipped, naming it and why. */
  loadConfDir(): ConfDirScan {
    if (!this.#opts.confDir) return { networks: new Map(), skipped: [] };
    const scan = loadConfDir(this.#opts.confDir);
    for (const s of scan.skipped) this.#log.warn({ file: s.file, reason: s.reason }, `network config ${s.file} skipped: ${s.reason}`);
    this.#fromDir = scan.networks;
    return scan;
  }

  /** Adds or replaces a network (library API): a list or a single config, as an object or JSON. Library networks win over the directory's. */
  setNetwork(config: unknown): NetworkConfigList {
    const raw = typeof config === 'string' || Buffer.isBuffer(config) ? JSON.parse(config.toString()) as unknown : config;
    const list = parseNetworkConfig(raw, 'library');
    this.#library.set(list.name, list);
    return list;
  }

  removeNetwork(name: string): boolean {
    return this.#library.delete(name);
  }

  /** A network by name; the directory is read again once when the name is not known yet. */
  network(name: string): NetworkConfigList | undefined {
    const found = this.#library.get(name) ?? this.#fromDir.get(name);
    if (found || !this.#opts.confDir) return found;
    this.loadConfDir();
    return this.#fromDir.get(name);
  }

  networks(): NetworkConfigList[] {
    const out = new Map(this.#fromDir);
    for (const [k, v] of this.#library) out.set(k, v);
    return [...out.values()];
  }

  #list(network: string | NetworkConfigList): NetworkConfigList {
    if (typeof network !== 'string') return network;
    const list = this.network(network);
    if (!list) throw new CniError(CniCode.INVALID_CONFIG, `no network ${JSON.stringify(network)}`, this.#opts.confDir ? `not in ${this.#opts.confDir} nor set through the library API` : 'not set through the library API');
    return list;
  }

  // ------------------------------------------------------------------ operations

  /** ADD: runs the list in order and caches the final result; resolves with it. */
  add(network: string | NetworkConfigList, rt: RuntimeConf, opts: OperationOptions = {}): Promise<CniResult> {
    const list = this.#list(network);
    return this.#op(list, 'ADD', rt, async () => {
      let prev = opts.prevResult ? convertResult(opts.prevResult, list.cniVersion) : undefined;
      for (const entry of list.plugins) {
        const out = await this.#invoke(this.#resolve(entry.type, opts), 'ADD', list, entry, rt, opts, prev);
        if (out) prev = out;
      }
      const result: CniResult = prev ?? { cniVersion: list.cniVersion };
      try {
        await this.cache.write({
          kind: 'cniCacheV1', containerId: rt.containerID, config: Buffer.from(JSON.stringify(listJson(list))).toString('base64'),
          ifName: rt.ifName, networkName: list.name, netns: rt.netns, cniArgs: (rt.args ?? []).map(([k, v]) => [k, v]),
          capabilityArgs: rt.capabilityArgs ? { ...rt.capabilityArgs } : undefined, result,
        });
      } catch (err) {
        throw new CniError(CniCode.IO_FAILURE, `failed to cache the result of network ${list.name}`, (err as Error).message, { cause: err });
      }
      return result;
    });
  }

  /**
   * DEL: runs the list in reverse with the cached result (else opts.prevResult) as prevResult,
   * from 0.4.0 (below it none, as libcni), every plugin even after one failed; rejects with
   * the first failure and keeps the cache entry then, so a retry still has its prevResult;
   * removes the entry once every plugin succeeded. A network no longer configured is deleted
   * with the configuration cached at its ADD.
   */
  async del(network: string | NetworkConfigList, rt: RuntimeConf, opts: OperationOptions = {}): Promise<void> {
    let list = typeof network === 'string' ? this.network(network) : network;
    if (!list) {
      const cached = await this.cache.read(network as string, rt.containerID, rt.ifName);
      if (!cached) {
        // Nothing configured and nothing cached: nothing of ours to delete (DEL is idempotent).
        this.#log.info({ network, containerID: rt.containerID, ifName: rt.ifName }, `DEL on unknown network ${String(network)} with nothing cached: nothing to do`);
        return;
      }
      list = parseNetworkConfig(JSON.parse(Buffer.from(cached.config, 'base64').toString()), `the cache of ${String(network)}`);
    }
    const l = list;
    await this.#op(l, 'DEL', rt, async () => {
      // libcni's DelNetworkList (and DelNetwork, for a single config): a cached result on DEL
      // came with 0.4.0, so a list below it reads none and passes none, not even the caller's.
      const prevRaw = compareCniVersions(l.cniVersion, DEL_PREV_RESULT_SINCE) < 0 ? undefined
        : (await this.cache.read(l.name, rt.containerID, rt.ifName))?.result ?? opts.prevResult;
      const prev = prevRaw ? convertResult(prevRaw, l.cniVersion) : undefined;
      let first: CniError | undefined;
      for (const entry of [...l.plugins].reverse()) {
        try {
          await this.#invoke(this.#resolve(entry.type, opts), 'DEL', l, entry, rt, opts, prev);
        } catch (err) {
          const e = asCniError(err, entry.type);
          first ??= e;
          if (first !== e) this.#log.warn({ network: l.name, plugin: e.plugin, code: e.cniCode, containerID: rt.containerID }, `DEL: ${e.message} (the first failure is reported)`);
        }
      }
      if (first) throw first;
      await this.cache.remove(l.name, rt.containerID, rt.ifName);
    });
  }

  /** CHECK: every plugin in order against the cached ADD result; error 3 when there is none. */
  check(network: string | NetworkConfigList, rt: RuntimeConf, opts: OperationOptions = {}): Promise<void> {
    const list = this.#list(network);
    return this.#op(list, 'CHECK', rt, async () => {
      if (compareCniVersions(list.cniVersion, '0.4.0') < 0) {
        throw new CniError(CniCode.INCOMPATIBLE_VERSION, `configuration version ${list.cniVersion} does not support the CHECK command`);
      }
      if (list.disableCheck) return;
      const cached = await this.cache.read(list.name, rt.containerID, rt.ifName);
      const prevRaw = cached?.result ?? opts.prevResult;
      if (!prevRaw) {
        throw new CniError(CniCode.UNKNOWN_CONTAINER, `container ${rt.containerID} (${rt.ifName}) is unknown on network ${list.name}`, 'CHECK needs the result of a previous ADD, and none is cached');
      }
      const prev = convertResult(prevRaw, list.cniVersion);
      for (const entry of list.plugins) await this.#invoke(this.#resolve(entry.type, opts), 'CHECK', list, entry, rt, opts, prev);
    });
  }

  /** STATUS: resolves when every plugin is ready for ADD (lists before 1.1.0 have no STATUS: always ready). */
  status(network: string | NetworkConfigList, opts: OperationOptions = {}): Promise<void> {
    const list = this.#list(network);
    const rt: RuntimeConf = { containerID: '', ifName: '' };
    return this.#op(list, 'STATUS', rt, async () => {
      if (compareCniVersions(list.cniVersion, '1.1.0') < 0) return;
      for (const entry of list.plugins) await this.#invoke(this.#resolve(entry.type, opts), 'STATUS', list, entry, rt, opts, undefined);
    });
  }

  /**
   * GC (libcni's GCNetworkList): DEL on every cached attachment of the network not in `valid`,
   * then, from 1.1.0, GC on every plugin with the valid attachments. Rejects with the first
   * failure after trying everything.
   */
  gc(network: string | NetworkConfigList, valid: readonly Attachment[], opts: OperationOptions = {}): Promise<void> {
    const list = this.#list(network);
    const rt: RuntimeConf = { containerID: '', ifName: '' };
    return this.#op(list, 'GC', rt, async () => {
      if (list.disableGC) return;
      const keep = new Set(valid.map((a) => `${a.containerID}\0${a.ifname}`));
      const errors: CniError[] = [];
      for (const a of await this.cache.list(list.name)) {
        if (keep.has(`${a.containerId}\0${a.ifName}`)) continue;
        const stale: RuntimeConf = { containerID: a.containerId, ifName: a.ifName, netns: a.netns ?? '', args: a.cniArgs ?? [], capabilityArgs: a.capabilityArgs };
        await this.del(list, stale, opts).catch((err: unknown) => errors.push(asCniError(err)));
      }
      if (compareCniVersions(list.cniVersion, '1.1.0') >= 0) {
        for (const entry of list.plugins) {
          await this.#invoke(this.#resolve(entry.type, opts), 'GC', list, entry, rt, opts, undefined, valid)
            .catch((err: unknown) => errors.push(asCniError(err, entry.type)));
        }
      }
      if (errors.length > 0) throw errors[0];
    });
  }

  /** VERSION of one plugin type: what it supports, by its Version rpc, capabilities or exec. */
  async version(type: string, opts: OperationOptions = {}): Promise<{ cniVersion: string; supportedVersions: string[] }> {
    const target = this.#resolve(type, opts);
    if (target.kind === 'exec') return { cniVersion: '1.1.0', supportedVersions: [...await supportedVersions(target.binary, type, this.#execTimeout)] };
    if (target.info.implemented.includes('Version')) {
      const res = await this.#callGrpc<VersionResponse__Output>(target.name, 'Version', { cniVersion: '1.1.0' });
      if (res?.error) throw fromProtoError(res.error, type);
      if (res) return { cniVersion: res.cniVersion || '1.1.0', supportedVersions: res.supportedVersions };
    }
    return { cniVersion: '1.1.0', supportedVersions: [...target.info.cniVersions] };
  }

  /**
   * One plugin alone, with `conf` as the exact config a runtime gave it (prevResult included):
   * what the shim does when installed under a plugin's name. Not cached (the runtime caches).
   */
  runPlugin(type: string, command: Exclude<CniCommand, 'VERSION'>, rt: RuntimeConf, conf: JsonObject, opts: OperationOptions = {}): Promise<CniResult | undefined> {
    const { prevResult, ...rest } = conf;
    const list = parseNetworkConfig({ ...rest, type }, `the config given to ${type}`);
    const prev = isObject(prevResult) ? convertResult(prevResult, list.cniVersion) : undefined;
    const valid = Array.isArray(conf['cni.dev/valid-attachments']) ? (conf['cni.dev/valid-attachments'] as Attachment[]) : [];
    return this.#op(list, command, rt, async () => {
      if (command === 'CHECK' && !prev) throw new CniError(CniCode.UNKNOWN_CONTAINER, `container ${rt.containerID} (${rt.ifName}) is unknown`, 'CHECK needs prevResult');
      const out = await this.#invoke(this.#resolve(type, opts), command, list, list.plugins[0]!, rt, opts, prev, valid);
      return command === 'ADD' ? out ?? prev ?? { cniVersion: list.cniVersion } : undefined;
    }, `plugin ${type}`);
  }

  // ------------------------------------------------------------------ machinery

  get #execTimeout(): number {
    return this.#opts.execTimeoutMs ?? 60_000;
  }

  #path(opts: OperationOptions): readonly string[] {
    return this.#opts.cniPath && this.#opts.cniPath.length > 0 ? this.#opts.cniPath : opts.path ?? [];
  }

  /** A type → the registered gRPC plugin, else the executable on the CNI path; error 11 when neither is there. */
  #resolve(type: string, opts: OperationOptions): Target {
    const info = this.#opts.plugins.lookup(type);
    if (info?.state === 'live') return { kind: 'grpc', name: type, info };
    const binary = findInPath(type, this.#path(opts));
    if (binary) return { kind: 'exec', name: type, binary };
    if (info) return { kind: 'grpc', name: type, info };
    throw new CniError(CniCode.TRY_AGAIN_LATER, `plugin ${type} is not available`,
      `no network plugin ${type} is registered and no executable ${type} is on the CNI path [${this.#path(opts).join(':')}]`, { plugin: type });
  }

  /**
   * Validation, serialisation per attachment, metrics and the one log line per failure.
   * `scope` separates what is serialised: network operations (the default) one at a time per
   * attachment; single-plugin runs per plugin and attachment, apart from the network
   * operations, since one may be nested in the other (bridge delegating to its IPAM through
   * the shim while this host runs bridge for the same attachment).
   */
  #op<T>(list: NetworkConfigList, command: CniCommand, rt: RuntimeConf, run: () => Promise<T>, scope = ''): Promise<T> {
    const missing = REQUIRED[command].filter((k) => !rt[k]);
    if (missing.length > 0) {
      return Promise.reject(new CniError(CniCode.INVALID_ENV, `required env variables [${missing.map((k) => ENV_NAME[k]).join(',')}] missing`));
    }
    const invalid = REQUIRED[command].includes('containerID') ? validateAttachment(rt.containerID, rt.ifName) : undefined;
    if (invalid) return Promise.reject(invalid);
    const started = performance.now();
    const key = command === 'STATUS' || command === 'GC' ? '' : `${scope}\0${rt.containerID}\0${rt.ifName}`;
    const body = async (): Promise<T> => {
      try {
        const out = await run();
        this.metrics.operations.labels(list.name, command, 'ok').inc();
        return out;
      } catch (err) {
        const e = asCniError(err);
        this.metrics.operations.labels(list.name, command, String(e.cniCode)).inc();
        this.#log.warn({ network: list.name, command, containerID: rt.containerID || undefined, ifName: rt.ifName || undefined, plugin: e.plugin, cniCode: e.cniCode },
          `network ${list.name}: ${command}${rt.containerID ? ` of ${rt.containerID}/${rt.ifName}` : ''} failed: ${e.message}`);
        throw e;
      } finally {
        this.metrics.seconds.labels(command).observe((performance.now() - started) / 1000);
      }
    };
    if (key === '') return body();
    const prev = this.#tails.get(key) ?? Promise.resolve();
    const mine = prev.then(body, body);
    const tail = mine.catch(() => {});
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return mine;
  }

  /**
   * One plugin, one command. Resolves with its result for ADD (undefined: pass prevResult on),
   * undefined otherwise and when the plugin does not take part (an older version without
   * STATUS/GC/CHECK, a gRPC plugin not implementing it, or skipped by failure policy Ignore).
   */
  async #invoke(target: Target, command: Exclude<CniCommand, 'VERSION'>, list: NetworkConfigList, entry: PluginEntry, rt: RuntimeConf,
    opts: OperationOptions, prev: CniResult | undefined, valid: readonly Attachment[] = []): Promise<CniResult | undefined> {
    const plugin = target.name;
    const supported = target.kind === 'exec' ? await supportedVersions(target.binary, plugin, this.#execTimeout)
      : target.info.cniVersions.length > 0 ? target.info.cniVersions : SUPPORTED_CNI_VERSIONS;
    const ver = negotiateCniVersion(list.cniVersion, supported);
    if (!ver) {
      throw new CniError(CniCode.INCOMPATIBLE_VERSION, 'incompatible CNI versions', `config is "${list.cniVersion}", plugin supports [${supported.join(' ')}]`, { plugin });
    }
    // A plugin speaking an older version has no such command: it takes no part (as libcni skips it).
    if ((command === 'STATUS' || command === 'GC') && compareCniVersions(ver, '1.1.0') < 0) return undefined;
    if (command === 'CHECK' && compareCniVersions(ver, '0.4.0') < 0) return undefined;
    const conf = convertConfig(pluginConfig(entry.conf, list, rt), ver);
    // Spoken to below 0.4.0, a plugin gets on DEL what libcni gives a list of its version: no prevResult.
    const prevAt = prev && !(command === 'DEL' && compareCniVersions(ver, DEL_PREV_RESULT_SINCE) < 0) ? convertResult(prev, ver, plugin) : undefined;
    const out = target.kind === 'exec'
      ? await this.#exec(target.binary, plugin, command, conf, rt, opts, prevAt, valid)
      : await this.#grpc(target, command, conf, ver, rt, opts, prevAt, valid);
    return out && command === 'ADD' ? convertResult(out, list.cniVersion, plugin) : undefined;
  }

  async #exec(binary: string, plugin: string, command: Exclude<CniCommand, 'VERSION'>, conf: JsonObject, rt: RuntimeConf, opts: OperationOptions,
    prev: CniResult | undefined, valid: readonly Attachment[]): Promise<CniResult | undefined> {
    const stdin: JsonObject = { ...conf };
    if (prev) stdin.prevResult = prev;
    if (command === 'GC') stdin['cni.dev/valid-attachments'] = valid;
    const env: ExecEnv = {
      command, containerID: rt.containerID, netns: rt.netns ?? '', ifName: rt.ifName, args: formatCniArgs(rt.args), path: this.#path(opts), extra: this.#opts.execEnv,
    };
    let stdout: Buffer;
    try {
      const res = await execPlugin(binary, plugin, env, Buffer.from(JSON.stringify(stdin)), this.#execTimeout);
      stdout = res.stdout;
      if (res.stderr) this.#log.debug({ plugin, command, stderr: res.stderr.slice(0, 2000) }, `plugin ${plugin} wrote to stderr`);
      this.metrics.execs.labels(plugin, command, 'ok').inc();
    } catch (err) {
      this.metrics.execs.labels(plugin, command, String(asCniError(err).cniCode)).inc();
      throw err;
    }
    if (command !== 'ADD') return undefined;
    let result: unknown;
    try {
      result = JSON.parse(stdout.toString());
    } catch (err) {
      throw new CniError(CniCode.DECODING_FAILURE, `failed to decode the ADD result of ${plugin}`, (err as Error).message, { plugin });
    }
    if (!isObject(result)) throw new CniError(CniCode.DECODING_FAILURE, `failed to decode the ADD result of ${plugin}`, 'not a JSON object', { plugin });
    return result as CniResult;
  }

  async #grpc(target: Extract<Target, { kind: 'grpc' }>, command: Exclude<CniCommand, 'VERSION'>, conf: JsonObject, ver: string, rt: RuntimeConf,
    opts: OperationOptions, prev: CniResult | undefined, valid: readonly Attachment[]): Promise<CniResult | undefined> {
    const method = RPC[command];
    // An rpc the plugin does not implement: the spec's "nothing to do" (Add and Del are required).
    if (target.info.state === 'live' && target.info.implemented.length > 0 && !target.info.implemented.includes(method)) return undefined;
    const request: JsonObject = {
      runtime: protoRuntime(rt.containerID, rt.netns ?? '', rt.ifName, rt.args ?? [], formatCniArgs(rt.args), this.#path(opts)),
      config: Buffer.from(JSON.stringify(conf)),
      cniVersion: ver,
    };
    if (command === 'GC') request.validAttachments = valid.map((a) => ({ containerId: a.containerID, ifname: a.ifname }));
    else if (command !== 'STATUS') request.prevResult = prev ? Buffer.from(JSON.stringify(prev)) : Buffer.alloc(0);
    const res = await this.#callGrpc<AddResponse__Output>(target.name, method, request);
    if (!res) return undefined;
    if (res.error) throw fromProtoError(res.error, target.name);
    return command === 'ADD' && res.result ? resultToJson(res.result, ver) : undefined;
  }

  /** A gRPC call under the plugin's failure policy: undefined when Ignore skipped it; Fail → error 11 naming the plugin. */
  async #callGrpc<Res>(plugin: string, method: string, request: unknown): Promise<Res | undefined> {
    let outcome;
    try {
      outcome = await this.#opts.plugins.call<Res>(plugin, method, request);
    } catch (err) {
      if (err instanceof PluginCallError) {
        throw new CniError(CniCode.TRY_AGAIN_LATER, `plugin ${plugin} is unavailable, try again later`, `${method}: ${err.message} [${err.code}]`, { plugin, cause: err });
      }
      throw asCniError(err, plugin);
    }
    if (outcome.status === 'ok') return outcome.response;
    this.#log.warn({ plugin, method, code: outcome.error.code }, `plugin ${plugin}: ${method} failed (${outcome.error.message}); failurePolicy Ignore: skipped`);
    return undefined;
  }
}

/** libcni's buildOneConfig: the plugin's entry with name, cniVersion and runtimeConfig (from its capabilities) injected. */
function pluginConfig(entry: Readonly<JsonObject>, list: NetworkConfigList, rt: RuntimeConf): JsonObject {
  const conf: JsonObject = { ...entry, name: list.name, cniVersion: list.cniVersion };
  const caps = entry.capabilities;
  if (isObject(caps) && rt.capabilityArgs) {
    const rc: JsonObject = {};
    for (const [cap, on] of Object.entries(caps)) if (on === true && Object.hasOwn(rt.capabilityArgs, cap)) rc[cap] = rt.capabilityArgs[cap];
    if (Object.keys(rc).length > 0) conf.runtimeConfig = rc;
  }
  return conf;
}

/** A list back to CNI JSON (what the cache keeps, as libcni keeps the list's bytes). */
export function listJson(list: NetworkConfigList): JsonObject {
  const out: JsonObject = { cniVersion: list.cniVersion, name: list.name, plugins: list.plugins.map((p) => p.conf) };
  if (list.disableCheck) out.disableCheck = true;
  if (list.disableGC) out.disableGC = true;
  return out;
}
