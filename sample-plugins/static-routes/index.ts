/**
 * static-routes — a network plugin meant to run chained after an IPAM/interface plugin.
 * ADD appends the routes from its config (`"routes": [{"dst": "...", "gw": "..."}]`) to the
 * previous result and merges its DNS settings (`"dns": {"nameservers", "domain", "search",
 * "options"}`) into the result's, then passes the result on; CHECK verifies they are still
 * there; DEL has nothing to undo (the runtime tears the namespace down) and always succeeds.
 * What an earlier plugin set wins: a destination already routed keeps its route, a domain
 * already set stays; configured nameservers, search domains and options are appended after
 * the result's own, each once.
 *
 *   plugd serve sample-plugins/static-routes
 */
import { isIP } from 'node:net';
import { definePlugin } from '../../sdk/index.js';
import type { Error as CniError } from '../../proto/gen/plugd/network/v1/Error.js';
import type { Result } from '../../proto/gen/plugd/network/v1/Result.js';
import type { DNS } from '../../proto/gen/plugd/network/v1/DNS.js';
import type { Route } from '../../proto/gen/plugd/network/v1/Route.js';

/** CNI error codes (spec 1.1.0) this plugin answers. */
const DECODE = 6;
const INVALID_CONFIG = 7;
/** Plugin-specific (100 and up): CHECK found the result lacks a configured route. */
const ROUTE_MISSING = 100;
/** Plugin-specific: CHECK found the result lacks a configured DNS setting. */
const DNS_MISSING = 101;

const DNS_KEYS = ['nameservers', 'domain', 'search', 'options'] as const;

/** A CNI result as JSON (prevResult), as far as this plugin reads it. */
interface ResultJson {
  interfaces?: Array<{ name?: string; mac?: string; mtu?: number; sandbox?: string; socketPath?: string; pciID?: string }>;
  ips?: Array<{ address?: string; gateway?: string; interface?: number }>;
  routes?: Array<{ dst?: string; gw?: string; mtu?: number; advmss?: number; priority?: number; table?: number; scope?: number }>;
  dns?: { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] };
}

const fail = (code: number, msg: string, details = ''): { error: CniError } => ({ error: { code, msg, details } });

function isCidr(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const [addr, prefix, ...rest] = value.split('/');
  const family = isIP(addr ?? '');
  if (rest.length > 0 || family === 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** What the config asks for: routes to append, DNS settings to merge. */
interface Configured {
  routes: Route[];
  dns: DNS | undefined;
}

/** The configured routes and DNS, or the reason the configuration is invalid. */
function configured(config: Buffer): Configured | { error: CniError } {
  let conf: { routes?: unknown; dns?: unknown };
  try {
    conf = JSON.parse(config.toString()) as { routes?: unknown; dns?: unknown };
  } catch (err) {
    return fail(DECODE, 'cannot decode the network configuration', (err as Error).message);
  }
  const routes: Route[] = [];
  if (conf.routes !== undefined && !Array.isArray(conf.routes)) return fail(INVALID_CONFIG, '"routes" must be an array');
  for (const [i, r] of ((conf.routes ?? []) as Array<{ dst?: unknown; gw?: unknown } | null>).entries()) {
    if (!isCidr(r?.dst)) return fail(INVALID_CONFIG, `routes[${i}].dst must be a CIDR, e.g. "10.96.0.0/12"`);
    if (r.gw !== undefined && (typeof r.gw !== 'string' || isIP(r.gw) === 0)) return fail(INVALID_CONFIG, `routes[${i}].gw must be an IP address`);
    routes.push({ dst: r.dst, gw: r.gw ?? '' });
  }
  const dns = configuredDns(conf.dns);
  return 'error' in dns ? dns : { routes, dns: dns.value };
}

function configuredDns(v: unknown): { value: DNS | undefined } | { error: CniError } {
  if (v === undefined) return { value: undefined };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(INVALID_CONFIG, '"dns" must be an object');
  const d = v as Record<string, unknown>;
  // A misspelt key ("nameserver") would otherwise be dropped without a word.
  const unknown = Object.keys(d).filter((k) => !(DNS_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) return fail(INVALID_CONFIG, `dns: unknown key ${JSON.stringify(unknown[0])}; keys: ${DNS_KEYS.join(', ')}`);
  const list = (k: 'nameservers' | 'search' | 'options'): string[] | string => {
    if (d[k] === undefined) return [];
    if (!Array.isArray(d[k]) || d[k].some((x) => typeof x !== 'string' || x === '')) return `dns.${k} must be an array of non-empty strings`;
    return d[k] as string[];
  };
  const nameservers = list('nameservers');
  const search = list('search');
  const options = list('options');
  for (const x of [nameservers, search, options]) if (typeof x === 'string') return fail(INVALID_CONFIG, x);
  const bad = (nameservers as string[]).findIndex((ns) => isIP(ns) === 0);
  if (bad >= 0) return fail(INVALID_CONFIG, `dns.nameservers[${bad}] must be an IP address, got ${JSON.stringify((nameservers as string[])[bad])}`);
  if (d.domain !== undefined && typeof d.domain !== 'string') return fail(INVALID_CONFIG, 'dns.domain must be a string');
  return { value: { nameservers: nameservers as string[], domain: (d.domain as string | undefined) ?? '', search: search as string[], options: options as string[] } };
}

/** `prev`'s DNS with `extra` merged in: lists appended without repeats, the domain kept if set. */
function mergeDns(prev: DNS | null, extra: DNS | undefined): DNS | null {
  if (!extra) return prev;
  const union = (a: string[] = [], b: string[] = []): string[] => [...new Set([...a, ...b])];
  return {
    nameservers: union(prev?.nameservers, extra.nameservers),
    domain: prev?.domain || extra.domain || '',
    search: union(prev?.search, extra.search),
    options: union(prev?.options, extra.options),
  };
}

/** What of `want` the result's DNS lacks, as "nameserver 10.96.0.10" etc. */
function missingDns(have: ResultJson['dns'], want: DNS): string[] {
  const out: string[] = [];
  for (const [k, label] of [['nameservers', 'nameserver'], ['search', 'search'], ['options', 'option']] as const) {
    for (const x of want[k] ?? []) if (!(have?.[k] ?? []).includes(x)) out.push(`${label} ${x}`);
  }
  if (want.domain && !have?.domain) out.push(`domain ${want.domain}`);
  return out;
}

function decodeResult(bytes: Buffer): ResultJson | { error: CniError } {
  try {
    const value: unknown = JSON.parse(bytes.toString());
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(DECODE, 'prevResult is not a JSON object');
    return value as ResultJson;
  } catch (err) {
    return fail(DECODE, 'cannot decode prevResult', (err as Error).message);
  }
}

/** The previous result, field for field, with `extra` routes appended (those not already present) and DNS merged. */
function withConfigured(prev: ResultJson, cniVersion: string, { routes: extra, dns }: Configured): Result {
  const routes: Route[] = (prev.routes ?? []).map((r) => ({
    dst: r.dst ?? '', gw: r.gw ?? '', mtu: r.mtu ?? 0, advmss: r.advmss ?? 0, priority: r.priority ?? 0, table: r.table ?? 0, scope: r.scope ?? 0,
  }));
  const have = new Set(routes.map((r) => r.dst));
  for (const r of extra) {
    if (have.has(r.dst)) continue;
    have.add(r.dst);
    routes.push(r);
  }
  return {
    cniVersion,
    interfaces: (prev.interfaces ?? []).map((i) => ({
      name: i.name ?? '', mac: i.mac ?? '', mtu: i.mtu ?? 0, sandbox: i.sandbox ?? '', socketPath: i.socketPath ?? '', pciId: i.pciID ?? '',
    })),
    // -1 = no interface: 0 would point at the first one.
    ips: (prev.ips ?? []).map((ip) => ({ address: ip.address ?? '', gateway: ip.gateway ?? '', interface: ip.interface ?? -1 })),
    routes,
    dns: mergeDns(prev.dns ? { nameservers: prev.dns.nameservers ?? [], domain: prev.dns.domain ?? '', search: prev.dns.search ?? [], options: prev.dns.options ?? [] } : null, dns),
  };
}

export default definePlugin({
  name: 'static-routes',
  type: 'NetworkPlugin',
  capabilities: { cniVersions: ['0.4.0', '1.0.0', '1.1.0'] },
  handlers: {
    Add: (req) => {
      const conf = configured(req.config);
      if ('error' in conf) return conf;
      if (req.prevResult.length === 0) return fail(INVALID_CONFIG, 'static-routes must follow a plugin that returns a result (no prevResult)');
      const prev = decodeResult(req.prevResult);
      if ('error' in prev) return prev;
      return { result: withConfigured(prev, req.cniVersion, conf) };
    },
    Check: (req) => {
      const conf = configured(req.config);
      if ('error' in conf) return conf;
      if (req.prevResult.length === 0) return fail(INVALID_CONFIG, 'CHECK needs the prevResult of the ADD');
      const prev = decodeResult(req.prevResult);
      if ('error' in prev) return prev;
      const have = new Set((prev.routes ?? []).map((r) => r.dst));
      const missing = conf.routes.filter((r) => !have.has(r.dst!)).map((r) => r.dst);
      if (missing.length) return fail(ROUTE_MISSING, `routes missing from the result: ${missing.join(', ')}`);
      const dns = conf.dns ? missingDns(prev.dns, conf.dns) : [];
      return dns.length ? fail(DNS_MISSING, `dns settings missing from the result: ${dns.join(', ')}`) : {};
    },
    Del: () => ({}),
  },
});
