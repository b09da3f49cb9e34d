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

/**
 * The rpc names of a generated `*Definition`, without grpc.ServiceDefinition's string index
 * signature (which would otherwise widen every key to `string` and every hook to `any`).
 */
export type MethodNamesOf<D> = keyof { [K in keyof D as string extends K ? never : number extends K ? never : K]: D[K] } & string;

/** The hooks of a service definition, every one optional, GetCapabilities excluded. */
export type HandlersOf<D> = {
  [K in Exclude<MethodNamesOf<D>, 'GetCapabilities'>]?: D[K] extends {
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

/** A validated plugin, ready for servePlugin or the testing harness; `T` is its interface type. */
export interface PluginDefinition<T extends PluginType = PluginType> {
  readonly name: string;
  readonly type: T;
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

/** Hooks the contracts require together: `need` always, or only when `with` is implemented. */
const REQUIRED_HOOKS: Readonly<Record<PluginType, ReadonlyArray<{ with?: string; need: readonly string[]; why: string }>>> = {
  SchedulerPlugin: [{ with: 'SyncSnapshot', need: ['ApplyDelta'], why: 'after the first snapshot, node state arrives only as deltas' }],
  AdmissionPlugin: [],
  NetworkPlugin: [{ need: ['Add', 'Del'], why: 'CNI requires both; a plugin with nothing to undo answers Del with success' }],
};

export function definePlugin(spec: SchedulerPluginSpec): PluginDefinition<'SchedulerPlugin'>;
export function definePlugin(spec: AdmissionPluginSpec): PluginDefinition<'AdmissionPlugin'>;
export function definePlugin(spec: NetworkPluginSpec): PluginDefinition<'NetworkPlugin'>;
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
  // Every key of a plain object must be a hook: a misspelt hook would otherwise never be
  // called, silently. A class instance's other members (state, helpers) are its own business.
  const proto: unknown = Object.getPrototypeOf(handlers);
  const plain = proto === Object.prototype || proto === null;
  for (const [key, fn] of plain ? Object.entries(handlers) : []) {
    if (fn !== undefined && !hooks.has(key)) {
      throw new TypeError(`definePlugin(${name}): ${type} has no hook ${JSON.stringify(key)}; hooks: ${[...hooks].join(', ')}`);
    }
  }
  // Look each hook up by name, so methods of a class instance count as well as own properties.
  const implemented: string[] = [];
  const bound: Record<string, AnyHandler> = {};
  for (const hook of hooks) {
    const fn = handlers[hook];
    if (fn === undefined) continue;
    if (typeof fn !== 'function') throw new TypeError(`definePlugin(${name}): handler ${hook} must be a function, got ${typeof fn}`);
    implemented.push(hook);
    bound[hook] = (fn as AnyHandler).bind(handlers);
  }
  if (implemented.length === 0) {
    throw new TypeError(`definePlugin(${name}): implements no hook; a ${type} implements at least one of ${[...hooks].join(', ')}`);
  }
  for (const rule of REQUIRED_HOOKS[type]) {
    const missing = rule.need.filter((h) => !implemented.includes(h));
    if ((rule.with === undefined || implemented.includes(rule.with)) && missing.length > 0) {
      throw new TypeError(`definePlugin(${name}): ${type} ${rule.with ? `implementing ${rule.with} ` : ''}must also implement ${missing.join(', ')} (${rule.why})`);
    }
  }

  return Object.freeze({
    name,
    type,
    versions: Object.freeze([...versions]),
    servedVersions: Object.freeze(servedVersions),
    implemented: Object.freeze(implemented),
    capabilities: Object.freeze({ ...(spec.capabilities ?? {}) }),
    handlers: Object.freeze(bound),
  }) as PluginDefinition;
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return (
    typeof value === 'object' && value !== null && Object.isFrozen(value) &&
    typeof (value as PluginDefinition).name === 'string' && Array.isArray((value as PluginDefinition).implemented)
  );
}

/** The same plugin under another name (e.g. `plugd serve MODULE --name NAME`), validated again. */
export function renamePlugin<T extends PluginType>(def: PluginDefinition<T>, name: string): PluginDefinition<T> {
  return definePlugin({
    name,
    type: def.type,
    versions: [...def.versions],
    capabilities: def.capabilities,
    handlers: def.handlers,
  } as unknown as PluginSpec) as PluginDefinition<T>;
}
