/**
 * plugd-ipam — host-local-style IP address management as a long-lived gRPC network plugin.
 * ADD reserves one address per range set (round-robin, gateway skipped) and answers them with
 * the configured routes; DEL releases; CHECK verifies; GC releases what the valid attachments
 * no longer hold; STATUS says whether an ADD could be served. Reservations live on disk in
 * host-local's own format, written so that no address is handed out twice, across plugin
 * instances, plugin crashes and host crashes. See README.md.
 *
 *   plugd serve sample-plugins/ipam
 */
import { definePlugin } from '../../sdk/index.js';
import type { Error as ProtoError } from '../../proto/gen/plugd/network/v1/Error.js';
import type { Result } from '../../proto/gen/plugd/network/v1/Result.js';
import type { RuntimeConf__Output } from '../../proto/gen/plugd/network/v1/RuntimeConf.js';
import { allocate, check, collect, exhausted, release, type Attachment } from './allocator.js';
import { CODES, CniError, parseConfig } from './config.js';

const CNI_VERSIONS = ['0.4.0', '1.0.0', '1.1.0'];

/** The spec's CNI_CONTAINERID. */
const CONTAINER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** A CNI result as JSON (prevResult), as far as this plugin reads it. */
interface ResultJson {
  interfaces?: Array<{ name?: string; mac?: string; mtu?: number; sandbox?: string; socketPath?: string; pciID?: string }>;
  ips?: Array<{ address?: string; gateway?: string; interface?: number }>;
  routes?: Array<{ dst?: string; gw?: string; mtu?: number; advmss?: number; priority?: number; table?: number; scope?: number }>;
  dns?: { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] };
}

/** The attachment the environment names, or CNI error 4 naming the variable. */
function attachment(rt: RuntimeConf__Output | null): Attachment {
  const containerId = rt?.containerId ?? '';
  const ifname = rt?.ifname ?? '';
  if (!CONTAINER_ID.test(containerId)) throw new CniError(CODES.INVALID_ENV, `CNI_CONTAINERID must match ${CONTAINER_ID.source}, got ${JSON.stringify(containerId)}`);
  if (ifname === '' || ifname.length > 15 || ifname === '.' || ifname === '..' || /[/:\s]/.test(ifname)) {
    throw new CniError(CODES.INVALID_ENV, `CNI_IFNAME must be an interface name (1-15 characters, no "/", ":" or space), got ${JSON.stringify(ifname)}`);
  }
  return { containerId, ifname };
}

function prevResultOf(bytes: Buffer): ResultJson | undefined {
  if (bytes.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString());
  } catch (err) {
    throw new CniError(CODES.DECODE, 'cannot decode prevResult', (err as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CniError(CODES.DECODE, 'prevResult is not a JSON object');
  return value as ResultJson;
}

/** prevResult (when there is one) with the allocations and the configured routes appended. */
function resultOf(prev: ResultJson | undefined, cniVersion: string, ips: ReadonlyArray<{ address: string; gateway: string }>, routes: ReadonlyArray<{ dst: string; gw: string }>): Result {
  const r = (x: NonNullable<ResultJson['routes']>[number]) =>
    ({ dst: x.dst ?? '', gw: x.gw ?? '', mtu: x.mtu ?? 0, advmss: x.advmss ?? 0, priority: x.priority ?? 0, table: x.table ?? 0, scope: x.scope ?? 0 });
  return {
    cniVersion,
    interfaces: (prev?.interfaces ?? []).map((i) => ({
      name: i.name ?? '', mac: i.mac ?? '', mtu: i.mtu ?? 0, sandbox: i.sandbox ?? '', socketPath: i.socketPath ?? '', pciId: i.pciID ?? '',
    })),
    // -1 = no interface: an IPAM plugin does not know which interface the address goes on.
    ips: [
      ...(prev?.ips ?? []).map((ip) => ({ address: ip.address ?? '', gateway: ip.gateway ?? '', interface: ip.interface ?? -1 })),
      ...ips.map((ip) => ({ ...ip, interface: -1 })),
    ],
    routes: [...(prev?.routes ?? []).map(r), ...routes.map(r)],
    dns: prev?.dns ? { nameservers: prev.dns.nameservers ?? [], domain: prev.dns.domain ?? '', search: prev.dns.search ?? [], options: prev.dns.options ?? [] } : null,
  };
}

/**
 * Runs `fn`, turning a CniError into the response's error, and a failed system call (reading
 * the data directory, say) into CNI error 5. Anything else is a bug: it fails the call, and
 * the host applies its failure policy.
 */
async function answer<T extends object>(fn: () => Promise<T>): Promise<T | { error: ProtoError }> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CniError) return { error: { code: err.code, msg: err.message, details: err.details } };
    const sys = err as NodeJS.ErrnoException;
    if (typeof sys.syscall === 'string') return { error: { code: CODES.IO, msg: `I/O failure: ${sys.syscall} ${sys.path ?? ''}`.trim(), details: sys.message } };
    throw err;
  }
}

export default definePlugin({
  name: 'plugd-ipam',
  type: 'NetworkPlugin',
  capabilities: { cniVersions: CNI_VERSIONS },
  handlers: {
    Add: (req) => answer(async () => {
      const conf = parseConfig(req.config, req.runtime?.args ?? {});
      const a = attachment(req.runtime);
      const prev = prevResultOf(req.prevResult);
      const ips = await allocate(conf, a);
      return { result: resultOf(prev, req.cniVersion, ips, conf.routes) };
    }),
    Del: (req) => answer(async () => {
      const conf = parseConfig(req.config);
      await release(conf, attachment(req.runtime));
      return {};
    }),
    Check: (req) => answer(async () => {
      const conf = parseConfig(req.config);
      const prev = prevResultOf(req.prevResult);
      await check(conf, attachment(req.runtime), prev?.ips?.map((ip) => ip.address ?? ''));
      return {};
    }),
    GC: (req) => answer(async () => {
      const conf = parseConfig(req.config);
      await collect(conf, req.validAttachments.map((v) => ({ containerId: v.containerId, ifname: v.ifname })));
      return {};
    }),
    // Not ready when an ADD for a new container would fail: a range set is full, or the data
    // directory is unusable. Both clear up without a restart (DEL, GC, an operator).
    Status: (req) => answer(async () => {
      const conf = parseConfig(req.config);
      let full: string[];
      try {
        full = await exhausted(conf);
      } catch (err) {
        if (err instanceof CniError && err.code === CODES.IO) throw new CniError(CODES.NOT_AVAILABLE, err.message, err.details);
        throw err;
      }
      if (full.length > 0) throw new CniError(CODES.NOT_AVAILABLE, `no free address in ${full.join(', ')}`);
      return {};
    }),
    Version: (req) => ({ cniVersion: req.cniVersion || '1.1.0', supportedVersions: CNI_VERSIONS }),
  },
});
