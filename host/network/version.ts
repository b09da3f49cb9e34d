/**
 * CNI versions: comparing them, skel's gate on a call's config version, choosing the version
 * to speak to a plugin that does not support the network's, and converting results between versions as libcni's `convert`
 * does (pkg/types/100 ↔ pkg/types/040: 0.3.x and 0.4.0 results carry `ips[].version`,
 * 1.x results do not; 1.0.0 and 1.1.0 share one result type). Configs are converted by their
 * `cniVersion` alone.
 */
import { CniCode, CniError, isObject, SUPPORTED_CNI_VERSIONS, type CniCommand, type CniResult, type JsonObject } from './cni.js';

function parts(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function isCniVersion(v: unknown): v is string {
  return typeof v === 'string' && parts(v) !== undefined;
}

/** <0, 0, >0 as a is older, equal or newer than b (both must be x.y.z). */
export function compareCniVersions(a: string, b: string): number {
  const pa = parts(a) ?? [0, 0, 0];
  const pb = parts(b) ?? [0, 0, 0];
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

/**
 * The version to speak to a plugin supporting `supported` when the network is at `want`:
 * `want` itself when supported, else the newest supported version below it that the host
 * can convert to (0.3.0 and up). Undefined when there is none.
 */
export function negotiateCniVersion(want: string, supported: readonly string[]): string | undefined {
  if (supported.includes(want)) return want;
  let best: string | undefined;
  for (const v of supported) {
    if (!SUPPORTED_CNI_VERSIONS.includes(v) || compareCniVersions(v, want) > 0) continue;
    if (best === undefined || compareCniVersions(v, best) > 0) best = v;
  }
  return best;
}

/** The version a command came with: CHECK in 0.4.0, STATUS and GC in 1.1.0. */
const SINCE: Partial<Readonly<Record<CniCommand, string>>> = { CHECK: '0.4.0', STATUS: '1.1.0', GC: '1.1.0' };

/**
 * skel's version gate, for a plugin speaking `supported`: a command newer than the config's
 * version is refused ("config version does not allow CHECK"), and so is a version the plugin
 * does not speak ("incompatible CNI versions"); both error 1. A config without cniVersion is
 * 0.1.0, as skel's ConfigDecoder reads it.
 */
export function checkConfigVersion(command: CniCommand, configVersion: unknown, supported: readonly string[]): CniError | undefined {
  const v = typeof configVersion === 'string' && configVersion !== '' ? configVersion : '0.1.0';
  const since = SINCE[command];
  if (since && isCniVersion(v) && compareCniVersions(v, since) < 0) {
    return new CniError(CniCode.INCOMPATIBLE_VERSION, `config version does not allow ${command}`);
  }
  if (!supported.includes(v)) {
    return new CniError(CniCode.INCOMPATIBLE_VERSION, 'incompatible CNI versions', `config is ${JSON.stringify(v)}, plugin supports [${supported.map((x) => JSON.stringify(x)).join(' ')}]`);
  }
  return undefined;
}

/** The config `conf` with its cniVersion set to `to` (nothing else differs between 0.3.0 and 1.1.0). */
export function convertConfig(conf: JsonObject, to: string): JsonObject {
  return conf.cniVersion === to ? conf : { ...conf, cniVersion: to };
}

/**
 * A result in version `to`. 0.3.x/0.4.0 ↔ 1.x: `ips[].version` ("4"/"6") is added going down
 * and dropped going up, and interfaces keep only name, mac and sandbox going down (1.x's mtu,
 * socketPath and pciID have no place in 0.x); everything else (1.1.0's route attributes
 * included) is kept as libcni keeps it. Versions before 0.3.0 had another result shape: error 1.
 */
export function convertResult(result: JsonObject, to: string, plugin?: string): CniResult {
  const from = typeof result.cniVersion === 'string' ? result.cniVersion : to;
  for (const v of [from, to]) {
    if (!SUPPORTED_CNI_VERSIONS.includes(v)) {
      throw new CniError(CniCode.INCOMPATIBLE_VERSION, `cannot convert a result from ${from} to ${to}`, `supported: ${SUPPORTED_CNI_VERSIONS.join(', ')}`, { plugin });
    }
  }
  const out: CniResult = { ...(result as CniResult), cniVersion: to };
  const oldShape = compareCniVersions(to, '1.0.0') < 0;
  if (oldShape && Array.isArray(result.interfaces)) {
    // 0.x interfaces are {name, mac, sandbox} (types040.Interface): libcni drops the rest going down.
    out.interfaces = (result.interfaces as unknown[]).filter(isObject).map((i) => {
      const o: JsonObject = { name: i.name };
      if (i.mac !== undefined) o.mac = i.mac;
      if (i.sandbox !== undefined) o.sandbox = i.sandbox;
      return o as NonNullable<CniResult['interfaces']>[number];
    });
  }
  if (Array.isArray(result.ips)) {
    out.ips = (result.ips as unknown[]).filter(isObject).map((ip) => {
      const { version: _v, ...rest } = ip as { version?: string; address: string };
      if (!oldShape) return rest;
      return { ...rest, version: typeof ip.address === 'string' && ip.address.includes(':') ? '6' : '4' };
    });
  }
  return out;
}
