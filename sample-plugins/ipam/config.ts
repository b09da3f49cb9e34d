/**
 * plugd-ipam's configuration: host-local's keys (`ranges`, `routes`, `dataDir`, and the
 * deprecated single range at the top level), validated whole before anything touches the
 * disk, with the defaults host-local applies (rangeStart = network + 1, rangeEnd = the last
 * address, IPv4's broadcast excluded, gateway = network + 1). Every refusal is CNI error 7
 * naming the key; JSON that does not parse is error 6.
 */
import { contains, formatIp, lastOf, parseCidr, parseIp, type Addr, type Cidr } from './ip.js';

/** CNI error codes (spec 1.1.0) and this plugin's own (100 and up). */
export const CODES = {
  INVALID_ENV: 4,
  IO: 5,
  DECODE: 6,
  INVALID_CONFIG: 7,
  /** STATUS: not available, ADD cannot be serviced. */
  NOT_AVAILABLE: 50,
  /** ADD: a range set has no free address (host-local answers this as 999, its internal error). */
  RANGE_EXHAUSTED: 100,
  /** CHECK: the container holds no address in a range set, or not the one prevResult names. */
  NOT_ALLOCATED: 101,
  /** ADD: a requested address is taken, a gateway, or in no range set (host-local: 999). */
  REQUESTED_UNAVAILABLE: 102,
} as const;

/** A CNI error this plugin answers: thrown inside, returned as the response's `error`. */
export class CniError extends Error {
  constructor(readonly code: number, message: string, readonly details = '') {
    super(message);
  }
}

/** One range of a range set, canonical: every address present, families equal. */
export interface Range {
  readonly subnet: Cidr;
  readonly start: bigint;
  readonly end: bigint;
  readonly gateway: Addr;
}

export interface IpamConfig {
  /** The network's name: the reservations live in `<dataDir>/<name>`. */
  readonly network: string;
  readonly dataDir: string;
  /** One address is allocated from each set; a set's ranges are one pool. */
  readonly rangeSets: readonly (readonly Range[])[];
  readonly routes: ReadonlyArray<{ dst: string; gw: string }>;
  /**
   * Addresses the runtime asks for, as host-local reads them: CNI_ARGS `IP=`, then the
   * config's `args.cni.ips`, then `runtimeConfig.ips` (the `ips` capability); each goes to the
   * first range set that contains it.
   */
  readonly requested: readonly Addr[];
}

/** host-local's default, so both find the same reservations for the same network. */
export const DEFAULT_DATA_DIR = '/var/lib/cni/networks';

/** The spec's network name (it becomes a directory name: no "/" nor ".."). */
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

const invalid = (msg: string): never => {
  throw new CniError(CODES.INVALID_CONFIG, msg);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "10.1.2.1-10.1.2.6,10.1.3.1-10.1.3.6", as host-local prints a range set. */
export const rangeSetText = (set: readonly Range[]): string =>
  set.map((r) => `${formatIp({ family: r.subnet.family, value: r.start })}-${formatIp({ family: r.subnet.family, value: r.end })}`).join(',');

function address(v: unknown, key: string, subnet: Cidr): bigint | undefined {
  if (v === undefined || v === '') return undefined;
  const a = parseIp(v);
  if (!a) return invalid(`${key} must be an IP address, got ${JSON.stringify(v)}`);
  if (!contains(subnet, a)) invalid(`${key} ${String(v)} is not in subnet ${String(subnetText(subnet))}`);
  return a.value;
}

const subnetText = (s: Cidr): string => `${formatIp({ family: s.family, value: s.network })}/${s.prefix}`;

function range(v: unknown, key: string): Range {
  if (!isObject(v)) return invalid(`${key} must be an object with a "subnet"`);
  const subnet = parseCidr(v.subnet);
  if (!subnet) return invalid(`${key}.subnet must be a CIDR, e.g. "10.22.0.0/16", got ${JSON.stringify(v.subnet)}`);
  if (subnet.given !== subnet.network) {
    invalid(`${key}.subnet ${String(v.subnet)} has host bits set; for a prefix of ${subnet.prefix} the network address is ${formatIp({ family: subnet.family, value: subnet.network })}`);
  }
  // host-local's floor: a network, a gateway and one address at least.
  if (subnet.prefix > (subnet.family === 4 ? 30 : 126)) invalid(`${key}.subnet ${String(v.subnet)} is too small to allocate from`);
  const last = lastOf(subnet) - (subnet.family === 4 ? 1n : 0n);
  const start = address(v.rangeStart, `${key}.rangeStart`, subnet) ?? subnet.network + 1n;
  const end = address(v.rangeEnd, `${key}.rangeEnd`, subnet) ?? last;
  if (start > end) invalid(`${key}: rangeStart ${String(v.rangeStart ?? '')} is after rangeEnd ${String(v.rangeEnd ?? formatIp({ family: subnet.family, value: end }))}`);
  const gateway = address(v.gateway, `${key}.gateway`, subnet) ?? subnet.network + 1n;
  return { subnet, start, end, gateway: { family: subnet.family, value: gateway } };
}

const overlaps = (a: Range, b: Range): boolean => a.subnet.family === b.subnet.family && a.start <= b.end && b.start <= a.end;

/** Range sets as `key` holds them ([[{subnet, …}, …], …]), each set checked on its own. */
function rangeSetsAt(raw: unknown[], key: string): Range[][] {
  return raw.map((set: unknown, i) => {
    if (!Array.isArray(set) || set.length === 0) return invalid(`${key}[${i}] must be a non-empty array of ranges`);
    const rs = set.map((r: unknown, j) => range(r, `${key}[${i}][${j}]`));
    for (const [j, r] of rs.entries()) {
      if (r.subnet.family !== rs[0]!.subnet.family) invalid(`${key}[${i}] mixes address families: ${key}[${i}][${j}] is IPv${r.subnet.family}, ${key}[${i}][0] IPv${rs[0]!.subnet.family}`);
      const k = rs.findIndex((o, x) => x < j && overlaps(o, r));
      if (k >= 0) invalid(`${key}[${i}][${j}] overlaps ${key}[${i}][${k}]`);
    }
    return rs;
  });
}

/** The range sets: runtimeConfig.ipRanges (the `ipRanges` capability) first, then the config's, as host-local orders them. */
function rangeSets(ipam: Record<string, unknown>, runtimeRanges: unknown): Range[][] {
  let raw = ipam.ranges;
  if (raw === undefined && ipam.subnet !== undefined) {
    // The deprecated single range at the top level (host-local still reads it).
    raw = [[{ subnet: ipam.subnet, rangeStart: ipam.rangeStart, rangeEnd: ipam.rangeEnd, gateway: ipam.gateway }]];
  }
  if (runtimeRanges !== undefined && !Array.isArray(runtimeRanges)) invalid('"runtimeConfig.ipRanges" must be an array of range sets');
  const fromRuntime = rangeSetsAt((runtimeRanges as unknown[] | undefined) ?? [], 'runtimeConfig.ipRanges');
  if (raw === undefined && fromRuntime.length === 0) return invalid('no IP ranges specified: "ranges" is required, e.g. [[{"subnet": "10.22.0.0/16"}]]');
  if (raw !== undefined && (!Array.isArray(raw) || (raw.length === 0 && fromRuntime.length === 0))) return invalid('"ranges" must be a non-empty array of range sets (arrays of ranges)');
  const sets = [...fromRuntime, ...rangeSetsAt((raw as unknown[] | undefined) ?? [], 'ranges')];
  for (const [i, set] of sets.entries()) {
    for (const [k, other] of sets.slice(0, i).entries()) {
      if (set.some((r) => other.some((o) => overlaps(o, r)))) invalid(`range set ${i} overlaps range set ${k}`);
    }
  }
  return sets;
}

function routes(v: unknown): Array<{ dst: string; gw: string }> {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return invalid('"routes" must be an array');
  return v.map((r: unknown, i) => {
    if (!isObject(r) || !parseCidr(r.dst)) return invalid(`routes[${i}].dst must be a CIDR, e.g. "0.0.0.0/0"`);
    if (r.gw !== undefined && !parseIp(r.gw)) return invalid(`routes[${i}].gw must be an IP address`);
    return { dst: r.dst as string, gw: (r.gw as string | undefined) ?? '' };
  });
}

/** One requested address: a plain IP, or (runtimeConfig.ips) an IP with a prefix, whose prefix is ignored as host-local does. */
function requestedAddr(v: unknown, key: string, withPrefix: boolean, code: number = CODES.INVALID_CONFIG): Addr {
  const text = typeof v === 'string' ? v.trim() : undefined;
  const a = text === undefined ? undefined : withPrefix && text.includes('/') ? parseCidr(text) : parseIp(text);
  if (!a) throw new CniError(code, `${key} must be an IP address${withPrefix ? ' (optionally with a prefix, "10.1.2.3/24")' : ''}, got ${JSON.stringify(v)}`);
  return 'given' in a ? { family: a.family, value: a.given } : a;
}

/** The requested addresses in host-local's order, without repeats. */
function requestedAddrs(conf: Record<string, unknown>, env: Readonly<Record<string, string>>): Addr[] {
  const out: Addr[] = [];
  // CNI_ARGS "IP=10.1.2.3" (host-local's IPAMEnvArgs): a malformed one is the environment's fault.
  if (env.IP !== undefined && env.IP !== '') out.push(requestedAddr(env.IP, 'CNI_ARGS IP', false, CODES.INVALID_ENV));
  const args = isObject(conf.args) && isObject(conf.args.cni) ? conf.args.cni.ips : undefined;
  if (args !== undefined) {
    if (!Array.isArray(args)) invalid('"args.cni.ips" must be an array of IP addresses');
    (args as unknown[]).forEach((v, i) => out.push(requestedAddr(v, `args.cni.ips[${i}]`, false)));
  }
  const rt = isObject(conf.runtimeConfig) ? conf.runtimeConfig.ips : undefined;
  if (rt !== undefined) {
    if (!Array.isArray(rt)) invalid('"runtimeConfig.ips" must be an array of IP addresses');
    (rt as unknown[]).forEach((v, i) => out.push(requestedAddr(v, `runtimeConfig.ips[${i}]`, true)));
  }
  return out.filter((a, i) => out.findIndex((b) => b.family === a.family && b.value === a.value) === i);
}

/**
 * The configuration in `bytes` (this plugin's entry of the list, or a main plugin's whole
 * config when it delegates to this one as its IPAM). The keys are read from `ipam` when
 * present, as host-local does when delegated to, else from the top level; `args` and
 * `runtimeConfig` from the top level, where the runtime puts them. The requested addresses
 * are read only for an ADD (`env`, its CNI_ARGS, given): nothing else uses them, and a DEL
 * must not fail over a request it has no use for.
 */
export function parseConfig(bytes: Buffer, env?: Readonly<Record<string, string>>): IpamConfig {
  let conf: unknown;
  try {
    conf = JSON.parse(bytes.toString());
  } catch (err) {
    throw new CniError(CODES.DECODE, 'cannot decode the network configuration', (err as Error).message);
  }
  if (!isObject(conf)) return invalid('the network configuration must be a JSON object');
  if (typeof conf.name !== 'string' || !NETWORK_NAME.test(conf.name)) {
    invalid(`"name" must be a network name (${NETWORK_NAME.source}), got ${JSON.stringify(conf.name)}`);
  }
  if (conf.ipam !== undefined && !isObject(conf.ipam)) invalid('"ipam" must be an object');
  const ipam = (conf.ipam as Record<string, unknown> | undefined) ?? conf;
  if (ipam.dataDir !== undefined && (typeof ipam.dataDir !== 'string' || !ipam.dataDir.startsWith('/'))) invalid('"dataDir" must be an absolute path');
  return {
    network: conf.name as string,
    dataDir: (ipam.dataDir as string | undefined) ?? DEFAULT_DATA_DIR,
    rangeSets: rangeSets(ipam, isObject(conf.runtimeConfig) ? conf.runtimeConfig.ipRanges : undefined),
    routes: routes(ipam.routes),
    requested: env === undefined ? [] : requestedAddrs(conf, env),
  };
}
