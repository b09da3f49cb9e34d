/**
 * definePlugin: a plugin is a name, an interface type and the hooks it implements.
 * The SDK detects which hooks are present, advertises exactly those, and refuses a
 * plugin that implements none or names a hook its interface does not have.
 */
import type * as grpc from '@grpc/grpc-js';
import { CONTRACTS, contractFor, hookNames, isPluginType, PLUGIN_NAME_PATTERN, PLUGIN_TYPES, type PluginType } from '../proto/index.js';
import type { SchedulerDefinition } from '../proto/gen/plugd/scheduling/v1/Scheduler.js';
import type { Capabilities as SchedulerCapabilities } from '../proto/gen/plugd/scheduling/v1/Capabilities.js';
import type { AdmissionDefinition } from '../proto/gen/plugd/admission/v1/Admission.js';
import type { Capabilities as AdmissionCapabilities } from '../proto/gen/plugd/admission/v1/Capabilities.js';
import type { NetworkDefinition } from '../proto/gen/plugd/network/v1/Network.js';
import type { Capabilities as NetworkCapabilities } from '../proto/gen/plugd/network/v1/Capabilities.js';

/** What a hook receives beside its request. */
export interface CallContext {
  /** The plugin's name. */
  readonly plugin: string;
  /** The caller's deadline, when it set one. */
  readonly deadline: Date | undefined;
  /** Aborted when the caller cancels or the deadline passes. */
  readonly signal: AbortSignal;
  readonly metadata: grpc.Metadata;
}

/** A hook: the decoded request in, the response (or a promise of it) out. Throwing fails the call. */
export type Handler<Req, Res> = (request: Req, ctx: CallContext) => Res | Promise<Res>;

/** The hooks of a service definition, every one optional, GetCapabilities excluded. */
export type HandlersOf<D> = {
  [K in Exclude<keyof D, 'GetCapabilities'>]?: D[K] extends {
    responseSerialize: (value: infer Res) => Buffer;
    requestDeserialize: (bytes: Buffer) => infer ReqOut;
  }
    ? Handler<ReqOut, Res>
    : never;
};

type Defaults<C> = Omit<C, 'implemented'>;

export type SchedulerHandlers = HandlersOf<SchedulerDefinition>;
export type AdmissionHandlers = HandlersOf<AdmissionDefinition>;
export type NetworkHandlers = HandlersOf<NetworkDefinition>;

interface SpecBase<T extends PluginType, H, C> {
  /** Unique per type; [a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}. */
  name: string;
  type: T;
  /** Interface versions advertised in GetInfo; default: every version the SDK serves for the type. */
  versions?: string[];
  /** Defaults the plugin prefers (failure policy, timeout, weight, rules…); the host config may override. */
  capabilities?: Defaults<C>;
  handlers: H;
}

export type SchedulerPluginSpec = SpecBase<'SchedulerPlugin', SchedulerHandlers, SchedulerCapabilities>;
export type AdmissionPluginSpec = SpecBase<'AdmissionPlugin', AdmissionHandlers, AdmissionCapabilities>;
export type NetworkPluginSpec = SpecBase<'NetworkPlugin', NetworkHandlers, NetworkCapabilities>;
export type PluginSpec = SchedulerPluginSpec | AdmissionPluginSpec | NetworkPluginSpec;

type AnyHandler = Handler<unknown, unknown>;

/** A validated plugin, ready for servePlugin or the testing harness. */
export interface PluginDefinition {
  readonly name: string;
  readonly type: PluginType;
  /** Versions advertised in GetInfo. */
  readonly versions: readonly string[];
  /** Versions the SDK serves a typed service for (those of `versions` it has a contract for). */
  readonly servedVersions: readonly string[];
  /** Hook names implemented, as the proto spells them. */
  readonly implemented: readonly string[];
  readonly capabilities: Readonly<Record<string, unknown>>;
  readonly handlers: Readonly<Record<string, AnyHandler>>;
  readonly [definitionBrand]: true;
}

declare const definitionBrand: unique symbol;

export function definePlugin(spec: SchedulerPluginSpec): PluginDefinition;
export function definePlugin(spec: AdmissionPluginSpec): PluginDefinition;
export function definePlugin(spec: NetworkPluginSpec): PluginDefinition;
export function definePlugin(spec: PluginSpec): PluginDefinition;
export function definePlugin(spec: PluginSpec): PluginDefinition {
  if (spec === null || typeof spec !== 'object') throw new TypeError('definePlugin: expected an object');
  const { name, type } = spec;
  if (typeof name !== 'string' || !PLUGIN_NAME_PATTERN.test(name)) {
    throw new TypeError(`definePlugin: invalid name ${JSON.stringify(name)}: must match ${PLUGIN_NAME_PATTERN.source}`);
  }
  if (typeof type !== 'string' || !isPluginType(type)) {
    throw new TypeError(`definePlugin(${name}): unknown type ${JSON.stringify(type)}; known: ${PLUGIN_TYPES.join(', ')}`);
  }
  const known = Object.keys(CONTRACTS[type]);
  const versions = spec.versions ?? known;
  if (!Array.isArray(versions) || versions.length === 0 || versions.some((v) => typeof v !== 'string' || v === '')) {
    throw new TypeError(`definePlugin(${name}): versions must be a non-empty array of strings`);
  }
  const servedVersions = versions.filter((v) => contractFor(type, v) !== undefined);
  if (servedVersions.length === 0) {
    throw new RangeError(`definePlugin(${name}): none of versions [${versions.join(', ')}] has a ${type} contract; the SDK serves [${known.join(', ')}]`);
  }

  const handlers = (spec.handlers ?? {}) as Record<string, unknown>;
  if (typeof handlers !== 'object') throw new TypeError(`definePlugin(${name}): handlers must be an object`);
  const hooks = new Set(servedVersions.flatMap((v) => hookNames(contractFor(type, v)!)));
  const implemented: string[] = [];
  for (const [hook, fn] of Object.entries(handlers)) {
    if (fn === undefined) continue;
    if (!hooks.has(hook)) {
      throw new TypeError(`definePlugin(${name}): ${type} has no hook ${JSON.stringify(hook)}; hooks: ${[...hooks].join(', ')}`);
    }
    if (typeof fn !== 'function') throw new TypeError(`definePlugin(${name}): handler ${hook} must be a function`);
    implemented.push(hook);
  }
  if (implemented.length === 0) {
    throw new TypeError(`definePlugin(${name}): implements no hook; a ${type} implements at least one of ${[...hooks].join(', ')}`);
  }

  return Object.freeze({
    name,
    type,
    versions: Object.freeze([...versions]),
    servedVersions: Object.freeze(servedVersions),
    implemented: Object.freeze(implemented),
    capabilities: Object.freeze({ ...(spec.capabilities ?? {}) }),
    handlers: Object.freeze(Object.fromEntries(implemented.map((h) => [h, handlers[h] as AnyHandler]))),
  }) as PluginDefinition;
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return (
    typeof value === 'object' && value !== null && Object.isFrozen(value) &&
    typeof (value as PluginDefinition).name === 'string' && Array.isArray((value as PluginDefinition).implemented)
  );
}

/** The same plugin under another name (e.g. `plugd serve MODULE --name NAME`), validated again. */
export function renamePlugin(def: PluginDefinition, name: string): PluginDefinition {
  return definePlugin({
    name,
    type: def.type,
    versions: [...def.versions],
    capabilities: def.capabilities,
    handlers: def.handlers,
  } as unknown as PluginSpec);
}
