/**
 * CNI's vocabulary as the host speaks it (spec 1.1.0): commands, error codes, the JSON of
 * results and errors, and CniError — the one error a network operation fails with, carrying
 * the CNI code a runtime sees and the plugin that caused it.
 */
import { PlugdError } from '../errors.js';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'STATUS' | 'GC' | 'VERSION';
export const CNI_COMMANDS: readonly CniCommand[] = ['ADD', 'DEL', 'CHECK', 'STATUS', 'GC', 'VERSION'];

/** The spec's error codes (proto: plugd.network.v1.ErrorCode). */
export const CniCode = {
  INCOMPATIBLE_VERSION: 1,
  UNSUPPORTED_FIELD: 2,
  UNKNOWN_CONTAINER: 3,
  INVALID_ENV: 4,
  IO_FAILURE: 5,
  DECODING_FAILURE: 6,
  INVALID_CONFIG: 7,
  TRY_AGAIN_LATER: 11,
  NOT_AVAILABLE: 50,
  NOT_AVAILABLE_LIMITED: 51,
  /** libcni's code for an error without one of its own. */
  INTERNAL: 999,
} as const;

/** The newest CNI version the host speaks, and every version it can convert between. */
export const CNI_VERSION = '1.1.0';
export const SUPPORTED_CNI_VERSIONS: readonly string[] = ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'];

export type JsonObject = Record<string, unknown>;

/** A CNI result as JSON (ADD's output, `prevResult`). Unknown keys are kept as they are. */
export interface CniResult extends JsonObject {
  cniVersion?: string;
  interfaces?: Array<{ name: string; mac?: string; mtu?: number; sandbox?: string; socketPath?: string; pciID?: string }>;
  ips?: Array<{ address: string; gateway?: string; interface?: number; version?: string }>;
  routes?: Array<{ dst: string; gw?: string; mtu?: number; advmss?: number; priority?: number; table?: number; scope?: number }>;
  dns?: { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] };
}

/** A CNI error as printed on stdout. */
export interface CniErrorJson {
  cniVersion: string;
  code: number;
  msg: string;
  details?: string;
}

export const CNI_ERROR = 'PLUGD_ERR_CNI' as const;

/**
 * A failed network operation. `cniCode` is what the runtime sees; `plugin` names the plugin
 * (gRPC or exec'd binary) that failed or answered the error, when one did.
 */
export class CniError extends PlugdError<typeof CNI_ERROR> {
  readonly cniCode: number;
  readonly msg: string;
  readonly details: string;

  constructor(cniCode: number, msg: string, details = '', options: { plugin?: string; cause?: unknown } = {}) {
    super(CNI_ERROR, `${options.plugin ? `plugin ${options.plugin}: ` : ''}CNI error ${cniCode}: ${msg}${details ? ` (${details})` : ''}`, options);
    this.name = 'CniError';
    this.cniCode = cniCode === 0 ? CniCode.INTERNAL : cniCode;
    this.msg = msg;
    this.details = details;
  }

  /** The error as a runtime reads it on stdout. */
  toJson(cniVersion: string): CniErrorJson {
    const out: CniErrorJson = { cniVersion, code: this.cniCode, msg: this.msg };
    if (this.details) out.details = this.details;
    return out;
  }
}

/** Anything thrown → a CniError (999 for what is not one already), naming `plugin` when given. */
export function asCniError(err: unknown, plugin?: string): CniError {
  if (err instanceof CniError) return err;
  return new CniError(CniCode.INTERNAL, (err as Error)?.message ?? String(err), '', { plugin, cause: err });
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses JSON that must be an object; code 6 (decoding failure) naming `what` otherwise. */
export function parseJsonObject(text: string | Buffer, what: string, plugin?: string): JsonObject {
  let v: unknown;
  try {
    v = JSON.parse(text.toString());
  } catch (err) {
    throw new CniError(CniCode.DECODING_FAILURE, `failed to decode ${what}`, (err as Error).message, { plugin, cause: err });
  }
  if (!isObject(v)) throw new CniError(CniCode.DECODING_FAILURE, `failed to decode ${what}`, 'not a JSON object', { plugin });
  return v;
}

/** One attachment of a container to a network (GC's `cni.dev/valid-attachments`). */
export interface Attachment {
  containerID: string;
  ifname: string;
}

/**
 * The runtime's side of an operation, as libcni's RuntimeConf: the CNI_* environment and the
 * capability arguments (runtimeConfig) the plugins' `capabilities` ask for.
 */
export interface RuntimeConf {
  containerID: string;
  /** CNI_NETNS; required for ADD and CHECK, may be empty on DEL. */
  netns?: string;
  ifName: string;
  /** CNI_ARGS as pairs, in order ("K=V;K=V"). */
  args?: ReadonlyArray<readonly [string, string]>;
  /** Capability arguments by capability name (portMappings, bandwidth, ips, …). */
  capabilityArgs?: Readonly<JsonObject>;
}

/** The CNI_* variables skel requires of each command, in skel's order (CNI_ARGS never is). */
export const REQUIRED_ENV: Readonly<Record<CniCommand, readonly string[]>> = {
  ADD: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'],
  CHECK: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'],
  DEL: ['CNI_CONTAINERID', 'CNI_IFNAME', 'CNI_PATH'],
  STATUS: ['CNI_PATH'],
  GC: ['CNI_PATH'],
  VERSION: [],
};

/** CNI's name rule (pkg/utils): container IDs and network names. */
const CNI_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * skel's checks of a container ID and an interface name (pkg/utils), code 4 as skel answers:
 * an ID or name that could not be a file name part (`/`, `..`) never reaches the result cache.
 */
export function validateAttachment(containerID: string, ifName: string): CniError | undefined {
  if (!CNI_NAME.test(containerID)) return new CniError(CniCode.INVALID_ENV, 'invalid characters in containerID', containerID);
  if (Buffer.byteLength(ifName) > 15) return new CniError(CniCode.INVALID_ENV, 'interface name is too long', 'interface name should be less than 16 characters');
  if (ifName === '.' || ifName === '..') return new CniError(CniCode.INVALID_ENV, 'interface name is . or ..');
  if (/[/:\s]/.test(ifName)) return new CniError(CniCode.INVALID_ENV, 'interface name contains / or : or whitespace characters');
  return undefined;
}

/** skel's check of a network name: code 7. */
export function validateNetworkName(name: unknown): CniError | undefined {
  if (typeof name !== 'string' || name === '') return new CniError(CniCode.INVALID_CONFIG, 'missing network name');
  if (!CNI_NAME.test(name)) return new CniError(CniCode.INVALID_CONFIG, 'invalid characters found in network name', name);
  return undefined;
}

/**
 * CNI_ARGS "K=V;K=V" → pairs. An entry without "=" is error 4 naming CNI_ARGS: skel passes the
 * string on unparsed and a plugin's own LoadArgs failure comes out as skel's catch-all 999,
 * but plugd needs the pairs to run any plugin, and an environment variable it cannot use is
 * the spec's code 4 (docs/networking.md).
 */
export function parseCniArgs(raw: string): Array<[string, string]> {
  if (raw === '') return [];
  return raw.split(';').filter((kv) => kv !== '').map((kv) => {
    const i = kv.indexOf('=');
    if (i <= 0) throw new CniError(CniCode.INVALID_ENV, `CNI_ARGS: invalid entry ${JSON.stringify(kv)}`, 'expected K=V pairs separated by ";"');
    return [kv.slice(0, i), kv.slice(i + 1)];
  });
}

export function formatCniArgs(args: RuntimeConf['args']): string {
  return (args ?? []).map(([k, v]) => `${k}=${v}`).join(';');
}
