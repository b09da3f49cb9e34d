/**
 * The one table through which an interface plugs into discovery and the registry:
 * type name → versions the host speaks → contract and hooks per version → call defaults.
 * Adding an interface (or a version) is adding a row here, nothing else in discovery.
 */
import { CONTRACTS, contractFor, hookNames, type PluginType } from '../proto/index.js';
import type { InterfaceSupport } from './discovery/handshake.js';

export type FailurePolicy = 'Fail' | 'Ignore';

export interface InterfaceEntry extends InterfaceSupport {
  /** Applied when neither the host config nor the plugin's capabilities say otherwise. */
  readonly defaults: { readonly failurePolicy: FailurePolicy; readonly timeoutMs: number };
  /** Hooks that are safe to retry once on UNAVAILABLE within the caller's deadline. */
  readonly idempotent: ReadonlySet<string>;
}

function entry(type: PluginType, defaults: InterfaceEntry['defaults'], idempotent: string[]): InterfaceEntry {
  return {
    type,
    versions: Object.keys(CONTRACTS[type]),
    contract: (version) => {
      const c = contractFor(type, version);
      if (!c) throw new RangeError(`no ${type} contract for version ${version}`);
      return c;
    },
    hooks: (version) => hookNames(contractFor(type, version)!),
    defaults,
    idempotent: new Set(idempotent),
  };
}

/**
 * Defaults, documented in docs/lifecycle.md:
 * - scheduling: Fail, 1 s — a pod's whole cycle must fit kube-scheduler's 5 s extender budget;
 * - admission: Fail, 10 s — kube-apiserver's own webhook defaults (failurePolicy Fail, timeoutSeconds 10);
 * - network: Fail, 30 s — CNI has no "ignore", and runtimes allow minutes per operation.
 */
export const INTERFACES: ReadonlyMap<PluginType, InterfaceEntry> = new Map([
  ['SchedulerPlugin', entry('SchedulerPlugin', { failurePolicy: 'Fail', timeoutMs: 1000 },
    ['GetCapabilities', 'SyncSnapshot', 'PreFilter', 'Filter', 'PostFilter', 'PreScore', 'Score', 'Unreserve'])],
  ['AdmissionPlugin', entry('AdmissionPlugin', { failurePolicy: 'Fail', timeoutMs: 10_000 }, ['GetCapabilities'])],
  ['NetworkPlugin', entry('NetworkPlugin', { failurePolicy: 'Fail', timeoutMs: 30_000 },
    ['GetCapabilities', 'Del', 'Check', 'Status', 'Version', 'GC'])],
]);
