/**
 * The host's configuration: a JSON file (`--config`) merged over documented defaults,
 * validated whole at start with errors that name the offending key. Relative paths in the
 * file are relative to the file's own directory.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ErrorCodes, PlugdError } from './errors.js';
import type { FailurePolicy } from './interfaces.js';

/** Per-plugin overrides, by plugin name. Unset fields fall back to the plugin's capabilities, then the interface defaults. */
export interface PluginSettings {
  failurePolicy?: FailurePolicy;
  /** Deadline of each call, 1..300000 ms. */
  timeoutMs?: number;
  /** Calls in flight to one instance at most; excess waits (bounded), then fails per policy. */
  maxConcurrent?: number;
  /** Calls waiting for a slot at most; more fail at once with PLUGD_ERR_CONCURRENCY_LIMIT. */
  maxQueued?: number;
  /** Consecutive failures that open the circuit breaker; 0 disables it. */
  breakerThreshold?: number;
  /** How long the circuit stays open before a probe (doubles per failed probe, up to 30 s). */
  breakerOpenMs?: number;
}

/** A plugin process the host runs and supervises. */
export interface LaunchSpec {
  /** For logs and restarts; the plugin's registered name may differ. */
  name: string;
  /** A plugin module to run with `plugd serve` (a path, relative to the config file). */
  module?: string;
  /** Or any command (argv); PLUGD_SOCKET_DIR and PLUGD_PARENT_FD are in its environment. */
  command?: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** always (default) | on-failure | never. */
  restart?: 'always' | 'on-failure' | 'never';
  /** Time between SIGTERM and SIGKILL at stop; default 10000 ms. */
  stopGraceMs?: number;
  /** First restart delay after an exit; doubles per consecutive failure. Default 500 ms. */
  initialBackoffMs?: number;
  /** Longest restart delay. Default 30000 ms. */
  maxBackoffMs?: number;
}

export interface HostConfig {
  socketDir: string | undefined;
  /** HOST:PORT of the admin HTTP server; "" disables it. */
  admin: string | undefined;
  plugins: Record<string, PluginSettings>;
  launch: LaunchSpec[];
  registration: {
    /** Deadline of GetInfo and GetCapabilities. Default 1000 ms (kubelet's), retried with backoff. */
    getInfoTimeoutMs: number;
    initialBackoffMs: number;
    maxBackoffMs: number;
    /** A hot-swap candidate must report SERVING within this window. Default 10000 ms. */
    swapHealthWindowMs: number;
    /** A replaced instance may finish in-flight calls for this long. Default 30000 ms. */
    drainTimeoutMs: number;
    /** Default 1000. */
    maxPlugins: number;
    /** A call waits this long for an expected instance (swap, health flap). Default 1000 ms. */
    unavailableWaitMs: number;
    /** Handshakes in flight at most; a burst of new sockets queues. Default 32. */
    maxConcurrentHandshakes: number;
    /**
     * Carry hook calls to plugins that serve plugd.calls.v1 as messages on one stream per
     * instance instead of one unary RPC each (~5× less CPU per call). Default true.
     */
    callStreams: boolean;
  };
  /** Defaults for every plugin; `plugins.<name>` overrides them one by one. */
  limits: {
    /** Largest message to or from a plugin. Default 16 MiB. */
    maxMessageBytes: number;
    /** Default 256 calls in flight per instance. */
    maxConcurrent: number;
    /** Default 1024 calls waiting per instance. */
    maxQueued: number;
    /** Default 5 consecutive failures. */
    breakerThreshold: number;
    /** Default 1000 ms. */
    breakerOpenMs: number;
  };
  /** The admission chain (docs/admission.md). */
  admission: {
    /** Mutating plugins named here run first, in this order; the others follow by (capabilities order, name). */
    order: string[];
    /**
     * Plugin modules (paths, as `plugd serve` takes them) that `plugd host --webhook` runs inside
     * the host process: no hop per call, and no process isolation or hot-swap (docs/admission.md).
     */
    inProcess: string[];
  };
  /** The AdmissionReview webhook door (docs/admission.md); served when `listen` (or --webhook) is set. */
  webhook: {
    /** HOST:PORT; plain HTTP only on loopback addresses, HTTPS anywhere. */
    listen: string | undefined;
    /** PEM certificate (chain) and key files; both or neither. Reloaded when they change. */
    tlsCert: string | undefined;
    tlsKey: string | undefined;
    /** Largest AdmissionReview body accepted (413 past it). Default 6 MiB: object and oldObject at etcd's 1.5 MiB each, as JSON. */
    maxBodyBytes: number;
    /** Time to receive a request's headers. Default 10000 ms. */
    headersTimeoutMs: number;
    /** Time to receive a whole request. Default 30000 ms (kube-apiserver's longest webhook timeout). */
    requestTimeoutMs: number;
  };
  security: {
    /** Socket owners accepted; default: the host's own uid and root. */
    allowedUids: number[] | undefined;
    /** Start even on a socket directory other users can write to. Default false. */
    allowInsecureSocketDir: boolean;
  };
}

export function defaultConfig(): HostConfig {
  return {
    socketDir: undefined,
    admin: undefined,
    plugins: {},
    launch: [],
    registration: {
      getInfoTimeoutMs: 1000,
      initialBackoffMs: 10,
      maxBackoffMs: 5000,
      swapHealthWindowMs: 10_000,
      drainTimeoutMs: 30_000,
      maxPlugins: 1000,
      unavailableWaitMs: 1000,
      maxConcurrentHandshakes: 32,
      callStreams: true,
    },
    limits: { maxMessageBytes: 16 * 1024 * 1024, maxConcurrent: 256, maxQueued: 1024, breakerThreshold: 5, breakerOpenMs: 1000 },
    admission: { order: [], inProcess: [] },
    webhook: { listen: undefined, tlsCert: undefined, tlsKey: undefined, maxBodyBytes: DEFAULT_WEBHOOK_MAX_BODY_BYTES, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
    security: { allowedUids: undefined, allowInsecureSocketDir: false },
  };
}

export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 6 * 1024 * 1024;

function invalid(message: string): never {
  throw new PlugdError(ErrorCodes.CONFIG_INVALID, `config: ${message}`);
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function int(v: unknown, key: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) invalid(`${key} must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  return v;
}

function str(v: unknown, key: string): string {
  if (typeof v !== 'string' || v === '') invalid(`${key} must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function onlyKeys(obj: Json, key: string, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) invalid(`${key}.${k} is not a known option (known: ${allowed.join(', ')})`);
}

function pluginSettings(v: unknown, key: string): PluginSettings {
  if (!isObject(v)) invalid(`${key} must be an object`);
  onlyKeys(v, key, ['failurePolicy', 'timeoutMs', 'maxConcurrent', 'maxQueued', 'breakerThreshold', 'breakerOpenMs']);
  const out: PluginSettings = {};
  if (v.failurePolicy !== undefined) {
    if (v.failurePolicy !== 'Fail' && v.failurePolicy !== 'Ignore') invalid(`${key}.failurePolicy must be "Fail" or "Ignore", got ${JSON.stringify(v.failurePolicy)}`);
    out.failurePolicy = v.failurePolicy;
  }
  if (v.timeoutMs !== undefined) out.timeoutMs = int(v.timeoutMs, `${key}.timeoutMs`, 1, 300_000);
  if (v.maxConcurrent !== undefined) out.maxConcurrent = int(v.maxConcurrent, `${key}.maxConcurrent`, 1, 100_000);
  if (v.maxQueued !== undefined) out.maxQueued = int(v.maxQueued, `${key}.maxQueued`, 0, 1_000_000);
  if (v.breakerThreshold !== undefined) out.breakerThreshold = int(v.breakerThreshold, `${key}.breakerThreshold`, 0, 10_000);
  if (v.breakerOpenMs !== undefined) out.breakerOpenMs = int(v.breakerOpenMs, `${key}.breakerOpenMs`, 1, 600_000);
  return out;
}

function launchSpec(v: unknown, key: string, base: string): LaunchSpec {
  if (!isObject(v)) invalid(`${key} must be an object`);
  onlyKeys(v, key, ['name', 'module', 'command', 'env', 'cwd', 'restart', 'stopGraceMs', 'initialBackoffMs', 'maxBackoffMs']);
  const spec: LaunchSpec = { name: str(v.name, `${key}.name`) };
  if ((v.module === undefined) === (v.command === undefined)) invalid(`${key} needs exactly one of "module" or "command"`);
  if (v.module !== undefined) spec.module = resolve(base, str(v.module, `${key}.module`));
  if (v.command !== undefined) {
    if (!Array.isArray(v.command) || v.command.length === 0 || v.command.some((a) => typeof a !== 'string')) invalid(`${key}.command must be a non-empty array of strings`);
    spec.command = v.command as string[];
  }
  if (v.env !== undefined) {
    if (!isObject(v.env) || Object.values(v.env).some((x) => typeof x !== 'string')) invalid(`${key}.env must map names to strings`);
    spec.env = v.env as Record<string, string>;
  }
  spec.cwd = resolve(base, v.cwd === undefined ? '.' : str(v.cwd, `${key}.cwd`));
  if (v.restart !== undefined) {
    if (v.restart !== 'always' && v.restart !== 'on-failure' && v.restart !== 'never') invalid(`${key}.restart must be always, on-failure or never`);
    spec.restart = v.restart;
  }
  if (v.stopGraceMs !== undefined) spec.stopGraceMs = int(v.stopGraceMs, `${key}.stopGraceMs`, 0, 600_000);
  if (v.initialBackoffMs !== undefined) spec.initialBackoffMs = int(v.initialBackoffMs, `${key}.initialBackoffMs`, 1, 600_000);
  if (v.maxBackoffMs !== undefined) spec.maxBackoffMs = int(v.maxBackoffMs, `${key}.maxBackoffMs`, 1, 600_000);
  return spec;
}

/** Validates a parsed config object over the defaults. `base` resolves relative paths. */
export function parseConfig(raw: unknown, base = process.cwd()): HostConfig {
  const cfg = defaultConfig();
  if (!isObject(raw)) invalid('the top level must be an object');
  onlyKeys(raw, 'config', ['socketDir', 'admin', 'plugins', 'launch', 'registration', 'limits', 'security', 'admission', 'webhook']);
  if (raw.socketDir !== undefined) cfg.socketDir = resolve(base, str(raw.socketDir, 'socketDir'));
  if (raw.admin !== undefined) {
    if (typeof raw.admin !== 'string') invalid('admin must be "HOST:PORT" or ""');
    cfg.admin = raw.admin;
  }
  if (raw.plugins !== undefined) {
    if (!isObject(raw.plugins)) invalid('plugins must be an object keyed by plugin name');
    for (const [name, v] of Object.entries(raw.plugins)) cfg.plugins[name] = pluginSettings(v, `plugins.${name}`);
  }
  if (raw.launch !== undefined) {
    if (!Array.isArray(raw.launch)) invalid('launch must be an array');
    cfg.launch = raw.launch.map((v, i) => launchSpec(v, `launch[${i}]`, base));
    const names = new Set<string>();
    for (const l of cfg.launch) {
      if (names.has(l.name)) invalid(`launch: duplicate name ${l.name}`);
      names.add(l.name);
    }
  }
  if (raw.registration !== undefined) {
    const r = raw.registration;
    if (!isObject(r)) invalid('registration must be an object');
    onlyKeys(r, 'registration', Object.keys(cfg.registration));
    const { callStreams, ...ints } = r;
    if (callStreams !== undefined) {
      if (typeof callStreams !== 'boolean') invalid('registration.callStreams must be a boolean');
      cfg.registration.callStreams = callStreams;
    }
    const limits: Record<string, [number, number]> = {
      getInfoTimeoutMs: [1, 60_000], initialBackoffMs: [1, 60_000], maxBackoffMs: [1, 600_000], swapHealthWindowMs: [1, 600_000],
      drainTimeoutMs: [0, 600_000], maxPlugins: [1, 100_000], unavailableWaitMs: [0, 60_000], maxConcurrentHandshakes: [1, 10_000],
    };
    for (const [k, v] of Object.entries(ints)) (cfg.registration as unknown as Record<string, number>)[k] = int(v, `registration.${k}`, ...limits[k]!);
  }
  if (raw.limits !== undefined) {
    if (!isObject(raw.limits)) invalid('limits must be an object');
    onlyKeys(raw.limits, 'limits', Object.keys(cfg.limits));
    const ranges: Record<string, [number, number]> = {
      maxMessageBytes: [1024, 1 << 30], maxConcurrent: [1, 100_000], maxQueued: [0, 1_000_000], breakerThreshold: [0, 10_000], breakerOpenMs: [1, 600_000],
    };
    for (const [k, v] of Object.entries(raw.limits)) (cfg.limits as Record<string, number>)[k] = int(v, `limits.${k}`, ...ranges[k]!);
  }
  if (raw.admission !== undefined) {
    const a = raw.admission;
    if (!isObject(a)) invalid('admission must be an object');
    onlyKeys(a, 'admission', ['order', 'inProcess']);
    if (a.order !== undefined) {
      if (!Array.isArray(a.order) || a.order.some((n) => typeof n !== 'string' || n === '')) invalid('admission.order must be an array of plugin names');
      cfg.admission.order = a.order as string[];
    }
    if (a.inProcess !== undefined) {
      if (!Array.isArray(a.inProcess) || a.inProcess.some((m) => typeof m !== 'string' || m === '')) invalid('admission.inProcess must be an array of plugin module paths');
      cfg.admission.inProcess = (a.inProcess as string[]).map((m) => resolve(base, m));
    }
  }
  if (raw.webhook !== undefined) {
    const w = raw.webhook;
    if (!isObject(w)) invalid('webhook must be an object');
    onlyKeys(w, 'webhook', Object.keys(cfg.webhook));
    if (w.listen !== undefined) cfg.webhook.listen = str(w.listen, 'webhook.listen');
    if (w.tlsCert !== undefined) cfg.webhook.tlsCert = resolve(base, str(w.tlsCert, 'webhook.tlsCert'));
    if (w.tlsKey !== undefined) cfg.webhook.tlsKey = resolve(base, str(w.tlsKey, 'webhook.tlsKey'));
    if ((cfg.webhook.tlsCert === undefined) !== (cfg.webhook.tlsKey === undefined)) invalid('webhook.tlsCert and webhook.tlsKey go together');
    if (w.maxBodyBytes !== undefined) cfg.webhook.maxBodyBytes = int(w.maxBodyBytes, 'webhook.maxBodyBytes', 1024, 1 << 30);
    if (w.headersTimeoutMs !== undefined) cfg.webhook.headersTimeoutMs = int(w.headersTimeoutMs, 'webhook.headersTimeoutMs', 100, 600_000);
    if (w.requestTimeoutMs !== undefined) cfg.webhook.requestTimeoutMs = int(w.requestTimeoutMs, 'webhook.requestTimeoutMs', 100, 600_000);
  }
  if (raw.security !== undefined) {
    const s = raw.security;
    if (!isObject(s)) invalid('security must be an object');
    onlyKeys(s, 'security', ['allowedUids', 'allowInsecureSocketDir']);
    if (s.allowedUids !== undefined) {
      if (!Array.isArray(s.allowedUids)) invalid('security.allowedUids must be an array of uids');
      cfg.security.allowedUids = s.allowedUids.map((u, i) => int(u, `security.allowedUids[${i}]`, 0, 2 ** 32 - 1));
    }
    if (s.allowInsecureSocketDir !== undefined) {
      if (typeof s.allowInsecureSocketDir !== 'boolean') invalid('security.allowInsecureSocketDir must be a boolean');
      cfg.security.allowInsecureSocketDir = s.allowInsecureSocketDir;
    }
  }
  return cfg;
}

export function loadConfig(file: string): HostConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PlugdError(ErrorCodes.CONFIG_INVALID, `config: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PlugdError(ErrorCodes.CONFIG_INVALID, `config: ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseConfig(raw, dirname(resolve(file)));
}

/** "HOST:PORT" → parts; throws CONFIG_INVALID naming the flag. */
export function parseHostPort(value: string, what: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value);
  if (!m) throw new PlugdError(ErrorCodes.CONFIG_INVALID, `${what}: expected HOST:PORT, got ${JSON.stringify(value)}`);
  const port = Number(m[3]);
  if (port > 65535) throw new PlugdError(ErrorCodes.CONFIG_INVALID, `${what}: port ${port} is out of range`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}
