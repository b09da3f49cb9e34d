/**
 * gRPC network plugins (plugd.network.v1) as a chain sees them: how a name resolves to a
 * registered plugin, the request built from the CNI environment and config, and the
 * structured Result and Error of the answer turned back into CNI JSON (keys omitted where the
 * spec omits them), so a result flows on to an exec'd binary exactly as one binary's would.
 */
import { PluginCallError } from '../errors.js';
import type { PlugdHost } from '../host.js';
import type { PolicyOutcome } from '../policy.js';
import type { Error__Output as ProtoError } from '../../proto/gen/plugd/network/v1/Error.js';
import type { Result__Output as ProtoResult } from '../../proto/gen/plugd/network/v1/Result.js';
import type { RuntimeConf as ProtoRuntimeConf } from '../../proto/gen/plugd/network/v1/RuntimeConf.js';
import { CniError, type CniResult } from './cni.js';

/** What a chain needs to know of a registered network plugin. */
export interface GrpcPluginInfo {
  /** live: an instance is registered now; gone: one was, and none is now. */
  readonly state: 'live' | 'gone';
  /** The versions it speaks (Capabilities.cni_versions). */
  readonly cniVersions: readonly string[];
  /** Its implemented rpcs (Capabilities.implemented). */
  readonly implemented: readonly string[];
}

/** The registry as the chains use it; `pluginsOf(host)` is the real one. */
export interface NetworkPluginDirectory {
  lookup(name: string): GrpcPluginInfo | undefined;
  /**
   * Calls `method` with the plugin's failure policy applied: resolves ok or ignored (Ignore),
   * rejects with the PluginCallError under Fail.
   */
  call<Res>(name: string, method: string, request: unknown): Promise<PolicyOutcome<Res>>;
}

/** The directory of a host's registered NetworkPlugins. */
export function pluginsOf(host: PlugdHost): NetworkPluginDirectory {
  return {
    lookup(name) {
      // The instance in rotation is the common case and costs a map lookup; only a plugin out of
      // rotation (unhealthy, pending) needs the registry's full listing.
      const routed = host.registry.route(name);
      const inst = routed?.type === 'NetworkPlugin' ? routed : host.plugins().find((p) => p.name === name && p.type === 'NetworkPlugin');
      if (inst) {
        const caps = inst.capabilities;
        return {
          state: 'live',
          cniVersions: Array.isArray(caps.cniVersions) ? (caps.cniVersions as string[]) : [],
          implemented: Array.isArray(caps.implemented) ? (caps.implemented as string[]) : [],
        };
      }
      // Seen before and gone (a crash, a restart in progress): still the plugin this name means.
      return host.registry.settingsOf(name) ? { state: 'gone', cniVersions: [], implemented: [] } : undefined;
    },
    // The policy is applied here rather than by callWithPolicy, whose log line would be a
    // second one for the same failure: the chain logs one line naming network, container and plugin.
    async call<Res>(name: string, method: string, request: unknown): Promise<PolicyOutcome<Res>> {
      try {
        return { status: 'ok', response: await host.invoke<Res>(name, method, request) };
      } catch (err) {
        if (!(err instanceof PluginCallError)) throw err;
        const policy = host.config.plugins[name]?.failurePolicy ?? host.registry.settingsOf(name)?.failurePolicy ?? 'Fail';
        err.policy = policy;
        host.metrics.policyApplied.labels(name, policy).inc();
        if (policy === 'Ignore') return { status: 'ignored', error: err };
        throw err;
      }
    },
  };
}

export function protoRuntime(containerID: string, netns: string, ifName: string, args: ReadonlyArray<readonly [string, string]>, rawArgs: string, path: readonly string[]): ProtoRuntimeConf {
  const map: Record<string, string> = {};
  for (const [k, v] of args) map[k] = v;
  return { containerId: containerID, netns, ifname: ifName, args: map, path: [...path], cniArgsRaw: rawArgs };
}

/** A plugin's Error → CniError naming it (code 0 → 999). */
export function fromProtoError(e: ProtoError, plugin: string): CniError {
  return new CniError(e.code, e.msg, e.details, { plugin });
}

/** A structured Result → CNI JSON at `cniVersion` (when the plugin left its version empty). */
export function resultToJson(r: ProtoResult, cniVersion: string): CniResult {
  const out: CniResult = { cniVersion: r.cniVersion || cniVersion };
  if (r.interfaces.length > 0) {
    out.interfaces = r.interfaces.map((i) => {
      const o: NonNullable<CniResult['interfaces']>[number] = { name: i.name };
      if (i.mac) o.mac = i.mac;
      if (i.mtu) o.mtu = i.mtu;
      if (i.sandbox) o.sandbox = i.sandbox;
      if (i.socketPath) o.socketPath = i.socketPath;
      if (i.pciId) o.pciID = i.pciId;
      return o;
    });
  }
  if (r.ips.length > 0) {
    out.ips = r.ips.map((ip) => {
      const o: NonNullable<CniResult['ips']>[number] = { address: ip.address };
      if (ip.gateway) o.gateway = ip.gateway;
      // -1 is unset; so is an index past `interfaces` (a plugin in another language leaving
      // proto3's 0 with no interface to point at): CNI's result would not validate with it.
      if (ip.interface >= 0 && ip.interface < r.interfaces.length) o.interface = ip.interface;
      return o;
    });
  }
  if (r.routes.length > 0) {
    out.routes = r.routes.map((rt) => {
      const o: NonNullable<CniResult['routes']>[number] = { dst: rt.dst };
      if (rt.gw) o.gw = rt.gw;
      if (rt.mtu) o.mtu = rt.mtu;
      if (rt.advmss) o.advmss = rt.advmss;
      if (rt.priority) o.priority = rt.priority;
      if (rt.table) o.table = rt.table;
      if (rt.scope) o.scope = rt.scope;
      return o;
    });
  }
  if (r.dns) {
    const d: NonNullable<CniResult['dns']> = {};
    if (r.dns.nameservers.length) d.nameservers = r.dns.nameservers;
    if (r.dns.domain) d.domain = r.dns.domain;
    if (r.dns.search.length) d.search = r.dns.search;
    if (r.dns.options.length) d.options = r.dns.options;
    out.dns = d;
  }
  return out;
}
