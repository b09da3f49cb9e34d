/**
 * static-routes — a network plugin meant to run chained after an IPAM/interface plugin.
 * ADD appends the routes from its config (`"routes": [{"dst": "...", "gw": "..."}]`) to the
 * previous result and passes the result on; CHECK verifies they are still there; DEL has
 * nothing to undo (the runtime tears the namespace down) and always succeeds.
 *
 *   plugd serve sample-plugins/static-routes
 */
import { isIP } from 'node:net';
import { definePlugin } from '../../sdk/index.js';
import type { Error as CniError } from '../../proto/gen/plugd/network/v1/Error.js';
import type { Result } from '../../proto/gen/plugd/network/v1/Result.js';
import type { Route } from '../../proto/gen/plugd/network/v1/Route.js';

/** CNI error codes (spec 1.1.0) this plugin answers. */
const DECODE = 6;
const INVALID_CONFIG = 7;
/** Plugin-specific (100 and up): CHECK found the result lacks a configured route. */
const ROUTE_MISSING = 100;

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

/** The configured routes, or the reason the configuration is invalid. */
function configuredRoutes(config: Buffer): Route[] | { error: CniError } {
  let conf: { routes?: unknown };
  try {
    conf = JSON.parse(config.toString()) as { routes?: unknown };
  } catch (err) {
    return fail(DECODE, 'cannot decode the network configuration', (err as Error).message);
  }
  if (conf.routes === undefined) return [];
  if (!Array.isArray(conf.routes)) return fail(INVALID_CONFIG, '"routes" must be an array');
  const out: Route[] = [];
  for (const [i, r] of (conf.routes as Array<{ dst?: unknown; gw?: unknown } | null>).entries()) {
    if (!isCidr(r?.dst)) return fail(INVALID_CONFIG, `routes[${i}].dst must be a CIDR, e.g. "10.96.0.0/12"`);
    if (r.gw !== undefined && (typeof r.gw !== 'string' || isIP(r.gw) === 0)) return fail(INVALID_CONFIG, `routes[${i}].gw must be an IP address`);
    out.push({ dst: r.dst, gw: r.gw ?? '' });
  }
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

/** The previous result, field for field, with `extra` routes appended (those not already present). */
function withRoutes(prev: ResultJson, cniVersion: string, extra: Route[]): Result {
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
    dns: prev.dns ? { nameservers: prev.dns.nameservers ?? [], domain: prev.dns.domain ?? '', search: prev.dns.search ?? [], options: prev.dns.options ?? [] } : null,
  };
}

export default definePlugin({
  name: 'static-routes',
  type: 'NetworkPlugin',
  capabilities: { cniVersions: ['0.4.0', '1.0.0', '1.1.0'] },
  handlers: {
    Add: (req) => {
      const routes = configuredRoutes(req.config);
      if ('error' in routes) return routes;
      if (req.prevResult.length === 0) return fail(INVALID_CONFIG, 'static-routes must follow a plugin that returns a result (no prevResult)');
      const prev = decodeResult(req.prevResult);
      if ('error' in prev) return prev;
      return { result: withRoutes(prev, req.cniVersion, routes) };
    },
    Check: (req) => {
      const routes = configuredRoutes(req.config);
      if ('error' in routes) return routes;
      if (req.prevResult.length === 0) return fail(INVALID_CONFIG, 'CHECK needs the prevResult of the ADD');
      const prev = decodeResult(req.prevResult);
      if ('error' in prev) return prev;
      const have = new Set((prev.routes ?? []).map((r) => r.dst));
      const missing = routes.filter((r) => !have.has(r.dst!)).map((r) => r.dst);
      return missing.length ? fail(ROUTE_MISSING, `routes missing from the result: ${missing.join(', ')}`) : {};
    },
    Del: () => ({}),
  },
});
