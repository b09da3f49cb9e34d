/**
 * The contracts, loaded at runtime with @grpc/proto-loader. Both the host and the SDK
 * import service definitions from here and nowhere else, so the .proto files stay the
 * single source of truth; generated TypeScript types live in proto/gen (npm run gen).
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

export const PROTO_ROOT = fileURLToPath(new URL('.', import.meta.url));

/** Loader options; proto/gen is generated with the same ones (scripts/gen-types.js). */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

/** The plugin types plugd knows, as PluginInfo.type spells them. */
export type PluginType = 'SchedulerPlugin' | 'AdmissionPlugin' | 'NetworkPlugin';
export const PLUGIN_TYPES: readonly PluginType[] = ['SchedulerPlugin', 'AdmissionPlugin', 'NetworkPlugin'];

export interface ContractRef {
  /** Path below proto/. */
  readonly file: string;
  /** Fully-qualified service name, e.g. plugd.scheduling.v1.Scheduler. */
  readonly service: string;
}

/** Every typed interface version plugd has a contract for: type → version → service. */
export const CONTRACTS: Readonly<Record<PluginType, Readonly<Record<string, ContractRef>>>> = {
  SchedulerPlugin: {
    v1: { file: 'plugd/scheduling/v1/scheduling.proto', service: 'plugd.scheduling.v1.Scheduler' },
    v1beta1: { file: 'plugd/scheduling/v1beta1/scheduling.proto', service: 'plugd.scheduling.v1beta1.Scheduler' },
  },
  AdmissionPlugin: {
    v1: { file: 'plugd/admission/v1/admission.proto', service: 'plugd.admission.v1.Admission' },
  },
  NetworkPlugin: {
    v1: { file: 'plugd/network/v1/network.proto', service: 'plugd.network.v1.Network' },
  },
};

export const REGISTRATION: ContractRef = { file: 'pluginregistration/api.proto', service: 'pluginregistration.Registration' };
/** The optional fast path: many hook calls as messages on one stream (proto/plugd/calls/v1). */
export const CALLS: ContractRef = { file: 'plugd/calls/v1/calls.proto', service: 'plugd.calls.v1.CallStream' };
export const HEALTH: ContractRef = { file: 'grpc/health/v1/health.proto', service: 'grpc.health.v1.Health' };

/** The plugin name rule of the registration contract (kubelet-compatible). */
export const PLUGIN_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

/**
 * NotifyRegistrationStatus(false, error) with an error starting with this means the instance
 * was replaced by a hot-swap and has drained: the SDK then stops (a convention of plugd's
 * hosts, carried in the free-text error field so the registration contract stays kubelet's).
 */
export const SUPERSEDED_PREFIX = 'superseded by generation';

export function isPluginType(value: string): value is PluginType {
  return (PLUGIN_TYPES as readonly string[]).includes(value);
}

const packages = new Map<string, grpc.GrpcObject>();

function lookup(obj: grpc.GrpcObject, dotted: string): unknown {
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    cur = (cur as Record<string, unknown> | undefined)?.[part];
  }
  return cur;
}

/** The service definition of a contract (loaded once per file, then cached). */
export function serviceDefinition(ref: ContractRef): grpc.ServiceDefinition {
  let pkg = packages.get(ref.file);
  if (!pkg) {
    pkg = grpc.loadPackageDefinition(protoLoader.loadSync(ref.file, LOADER_OPTIONS));
    packages.set(ref.file, pkg);
  }
  const ctor = lookup(pkg, ref.service) as (grpc.ServiceClientConstructor | undefined);
  if (!ctor || typeof ctor !== 'function' || !ctor.service) {
    throw new Error(`proto: no service ${ref.service} in ${ref.file}`);
  }
  return ctor.service;
}

/** A client constructor for a contract, for callers that want grpc-js's generated methods. */
export function clientConstructor(ref: ContractRef): grpc.ServiceClientConstructor {
  serviceDefinition(ref);
  return lookup(packages.get(ref.file)!, ref.service) as grpc.ServiceClientConstructor;
}

/** The contract of one interface version, or undefined when plugd has none. */
export function contractFor(type: PluginType, version: string): ContractRef | undefined {
  return Object.hasOwn(CONTRACTS[type], version) ? CONTRACTS[type][version] : undefined;
}

/** The rpc names of a typed service other than GetCapabilities: the hooks a plugin may implement. */
export function hookNames(ref: ContractRef): string[] {
  // Keys of a service definition are the rpc names as the .proto spells them.
  return Object.keys(serviceDefinition(ref)).filter((n) => n !== 'GetCapabilities');
}
