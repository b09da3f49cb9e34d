/**
 * NodePorts: a pod's host ports (schedutil.GetHostPorts), a node's used host ports (NodeInfo
 * UsedPorts, framework HostPortInfo) and the conflict check the Filter runs, with
 * kube-scheduler's defaults (protocol TCP, hostIP 0.0.0.0) and reason string.
 */
import { Code, SKIP, status, SUCCESS, type PluginStatus } from './types.js';

/** NodePorts' Filter reason (nodeports.ErrReason). */
export const ErrReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";
/** framework.DefaultBindAllHostIP: a port on it conflicts with the same protocol/port on every IP. */
export const DefaultBindAllHostIP = '0.0.0.0';
/** v1.ProtocolTCP: what an unset protocol means. */
export const DefaultPortProtocol = 'TCP';

/** A container's host port, defaults applied (hostIP '' → 0.0.0.0, protocol '' → TCP). */
export interface HostPort {
  readonly hostIP: string;
  readonly protocol: string;
  /** > 0: GetHostPorts leaves out ports without one. */
  readonly hostPort: number;
}

/**
 * NodeInfo.UsedPorts: hostIP → "PROTOCOL/port" → how many of the node's pods hold it. kube keeps
 * a set; counting means removing one of two pods that declare the same port leaves it in use.
 * Immutable: withHostPorts returns a new one.
 */
export type HostPortInfo = ReadonlyMap<string, ReadonlyMap<string, number>>;

export const NO_HOST_PORTS: HostPortInfo = new Map();

/** HostPortInfo.sanitize: the defaults kube applies to an unset hostIP and protocol. */
export function hostPort(hostIP: string, protocol: string, port: number): HostPort {
  return { hostIP: hostIP.length === 0 ? DefaultBindAllHostIP : hostIP, protocol: protocol.length === 0 ? DefaultPortProtocol : protocol, hostPort: port };
}

function protocolPort(p: HostPort): string {
  return `${p.protocol}/${p.hostPort}`;
}

/**
 * `used` with `ports` added (sign 1: HostPortInfo.Add for a pod placed on the node) or taken
 * off (-1: Remove). Returns `used` itself when `ports` is empty, so pods without host ports
 * cost nothing.
 */
export function withHostPorts(used: HostPortInfo, ports: readonly HostPort[], sign: 1 | -1): HostPortInfo {
  if (ports.length === 0) return used;
  const copies = new Map<string, Map<string, number>>();
  for (const p of ports) {
    if (p.hostPort <= 0) continue;
    let m = copies.get(p.hostIP);
    if (m === undefined) {
      m = new Map(used.get(p.hostIP));
      copies.set(p.hostIP, m);
    }
    const key = protocolPort(p);
    const next = (m.get(key) ?? 0) + sign;
    if (next > 0) m.set(key, next);
    else m.delete(key);
  }
  const out = new Map(used);
  for (const [ip, m] of copies) {
    if (m.size === 0) out.delete(ip);
    else out.set(ip, m);
  }
  return out;
}

/**
 * HostPortInfo.CheckConflict: a wanted port on 0.0.0.0 conflicts with its protocol/port on any
 * IP; on another IP, with the same protocol/port on that IP or on 0.0.0.0.
 */
export function checkConflict(used: HostPortInfo, want: HostPort): boolean {
  if (want.hostPort <= 0 || used.size === 0) return false;
  const key = protocolPort(want);
  if (want.hostIP === DefaultBindAllHostIP) {
    for (const m of used.values()) if (m.has(key)) return true;
    return false;
  }
  return used.get(DefaultBindAllHostIP)?.has(key) === true || used.get(want.hostIP)?.has(key) === true;
}

/** fitsPorts: none of the wanted ports conflicts with the node's. */
export function fitsPorts(want: readonly HostPort[], used: HostPortInfo): boolean {
  for (const p of want) if (checkConflict(used, p)) return false;
  return true;
}

/** NodePorts PreFilter: Skip for a pod without host ports (its Filter then does not run). */
export function nodePortsPreFilter(podPorts: readonly HostPort[]): PluginStatus {
  return podPorts.length === 0 ? SKIP : SUCCESS;
}

/** The Filter's Error when PreFilter did not run (getPreFilterState wrapping fwk.ErrNotFound). */
export const ErrNodePortsPreFilterState = 'reading "PreFilterNodePorts" from cycleState: not found';

/**
 * NodePorts Filter: Unschedulable when a wanted port is in use. `want` undefined means PreFilter
 * did not run, an Error as in kube.
 */
export function nodePortsFilter(want: readonly HostPort[] | undefined, used: HostPortInfo): PluginStatus {
  if (want === undefined) return status(Code.Error, ErrNodePortsPreFilterState);
  return fitsPorts(want, used) ? SUCCESS : status(Code.Unschedulable, ErrReasonNodePorts);
}
