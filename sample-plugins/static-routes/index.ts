/**
 * static-routes — a network plugin meant to run chained after an IPAM/interface plugin.
 * ADD appends the routes from its config (`"routes": [{"dst": "...", "gw": "..."}]`) to the
 * previous result and passes the result on; CHECK verifies they are still there; DEL has
 * nothing to undo (the runtime tears the namespace down) and always succeeds.
 *
 *   plugd serve sample-plugins/static-routes
 */
import { definePlugin } from '../../sdk/index.js';

interface Conf {
  cniVersion?: string;
  routes?: Array<{ dst?: unknown; gw?: unknown }>;
}

interface ResultJson {
  cniVersion?: string;
  interfaces?: unknown[];
  ips?: unknown[];
  routes?: Array<{ dst: string; gw?: string }>;
  dns?: unknown;
}

function routesOf(conf: Conf): Array<{ dst: string; gw: string }> | string {
  if (conf.routes === undefined) return [];
  if (!Array.isArray(conf.routes)) return '"routes" must be an array';
  const out: Array<{ dst: string; gw: string }> = [];
  for (const [i, r] of conf.routes.entries()) {
    if (typeof r?.dst !== 'string' || !r.dst.includes('/')) return `routes[${i}].dst must be a CIDR`;
    out.push({ dst: r.dst, gw: typeof r.gw === 'string' ? r.gw : '' });
  }
  return out;
}

const INVALID_CONFIG = 7;
const DECODE = 6;

export default definePlugin({
  name: 'static-routes',
  type: 'NetworkPlugin',
  capabilities: { cniVersions: ['0.4.0', '1.0.0', '1.1.0'] },
  handlers: {
    Add: (req) => {
      const conf = JSON.parse(req.config.toString()) as Conf;
      const routes = routesOf(conf);
      if (typeof routes === 'string') return { error: { code: INVALID_CONFIG, msg: routes, details: '' } };
      if (req.prevResult.length === 0) return { error: { code: INVALID_CONFIG, msg: 'static-routes must follow a plugin that returns a result', details: '' } };
      let prev: ResultJson;
      try {
        prev = JSON.parse(req.prevResult.toString()) as ResultJson;
      } catch (err) {
        return { error: { code: DECODE, msg: 'cannot decode prevResult', details: (err as Error).message } };
      }
      const have = new Set((prev.routes ?? []).map((r) => r.dst));
      const merged = [...(prev.routes ?? []), ...routes.filter((r) => !have.has(r.dst))];
      return {
        result: {
          cniVersion: req.cniVersion,
          interfaces: (prev.interfaces ?? []) as never,
          ips: ((prev.ips ?? []) as Array<{ address: string; gateway?: string; interface?: number }>).map((ip) => ({ address: ip.address, gateway: ip.gateway ?? '', interface: ip.interface ?? -1 })),
          routes: merged.map((r) => ({ dst: r.dst, gw: r.gw ?? '' })),
          dns: (prev.dns ?? undefined) as never,
        },
      };
    },
    Check: (req) => {
      const routes = routesOf(JSON.parse(req.config.toString()) as Conf);
      if (typeof routes === 'string') return { error: { code: INVALID_CONFIG, msg: routes, details: '' } };
      const prev = JSON.parse(req.prevResult.toString() || '{}') as ResultJson;
      const have = new Set((prev.routes ?? []).map((r) => r.dst));
      const missing = routes.filter((r) => !have.has(r.dst)).map((r) => r.dst);
      return missing.length ? { error: { code: 100, msg: `routes missing from the result: ${missing.join(', ')}`, details: '' } } : {};
    },
    Del: () => ({}),
  },
});
