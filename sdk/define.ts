/**
 * definePlugin: a plugin is a name, an interface type and the hooks it implements.
 * The SDK detects which hooks are present, advertises exactly those, and refuses a
 * plugin that implements none or names a hook its interface does not have.
 */
import type * as grpc from '@grpc/grpc-js';
import { CONTRACTS, contractFor, hookNames, isPluginType, PLUGIN_NAME_PATTERN, PLUGIN_TYPES, type PluginType } from '../proto/index.js';
import type { SchedulerDefinition } from '../proto/gen/plugd/scheduling/v1/Scheduler.js';
import type { Capabilities as SchedulerCapabilities } from '../proto/gen/plugd/scheduling/v1/Capabilities.js';
import type { SchedulerDefinition as SchedulerV1beta1Definition } from '../proto/gen/plugd/scheduling/v1beta1/Scheduler.js';
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
/** The hooks of plugd.scheduling.v1beta1 (Filter and Score, nodes sent per call). */
export type SchedulerV1beta1Handlers = HandlersOf<SchedulerV1beta1Definition>;
export type AdmissionHandlers = HandlersOf<AdmissionDefinition>;
export type NetworkHandlers = HandlersOf<NetworkDefinition>;

interface SpecBase<T extends PluginType, H, C> {
  /** Unique per type; [a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}. */
  name: string;
  type: T;
  /**
   * Interface versions advertised in GetInfo; default: every version the spec has handlers
   * for. Each listed version plugd has a contract for must have its handlers.
   */
  versions?: string[];
  /** Defaults the plugin prefers (failure policy, timeout, weight, rules…); the host config may override. */
  capabilities?: Defaults<C>;
  handlers: H;
}

/**
 * A scheduling plugin: `handlers` are its plugd.scheduling.v1 hooks, `v1beta1` its
 * plugd.scheduling.v1beta1 hooks; give either or both (a host speaking both picks v1).
 * `capabilities` are v1's; v1beta1 takes the ones it has (failure policy, timeout, weight).
 */
export interface SchedulerPluginSpec extends Omit<SpecBase<'SchedulerPlugin', SchedulerHandlers, SchedulerCapabilities>, 'handlers'> {
  handlers?: SchedulerHandlers;
  v1beta1?: SchedulerV1beta1Handlers;
}
export type AdmissionPluginSpec = SpecBase<'AdmissionPlugin', AdmissionHandlers, AdmissionCapabilities>;
export type NetworkPluginSpec = SpecBase<'NetworkPlugin', NetworkHandlers, NetworkCapabilities>;
export type PluginSpec = SchedulerPluginSpec | AdmissionPluginSpec | NetworkPluginSpec;

type AnyHandler = Handler<unknown, unknown>;

/** grpc.status.FAILED_PRECONDITION: the plugin lacks the snapshot generation a call names. */
const FAILED_PRECONDITION = 9;

/** A validated plugin, ready for servePlugin or the testing harness; `T` is its interface type. */
export interface PluginDefinition<T extends PluginType = PluginType> {
  readonly name: string;
  readonly type: T;
  /** Versions advertised in GetInfo. */
  readonly versions: readonly string[];
  /** Versions the SDK serves a typed service for (those of `versions` it has a contract for), in contract order. */
  readonly servedVersions: readonly string[];
  /** Hook names implemented by servedVersions[0], as the proto spells them. */
  readonly implemented: readonly string[];
  readonly capabilities: Readonly<Record<string, unknown>>;
  /** The handlers of servedVersions[0]. */
  readonly handlers: Readonly<Record<string, AnyHandler>>;
  /** Hooks and handlers of every served version (a version's rpcs mean different things in each). */
  readonly byVersion: Readonly<Record<string, VersionHooks>>;
  readonly [definitionBrand]: true;
}

declare const definitionBrand: unique symbol;

/** What one served version implements. */
export interface VersionHooks {
  readonly implemented: readonly string[];
  readonly handlers: Readonly<Record<string, AnyHandler>>;
}

/** Which key of the spec holds the handlers of each version: `handlers` is v1's everywhere. */
const HANDLER_KEYS: Readonly<Record<PluginType, Readonly<Record<string, string>>>> = {
  SchedulerPlugin: { v1: 'handlers', v1beta1: 'v1beta1' },
  AdmissionPlugin: { v1: 'handlers' },
  NetworkPlugin: { v1: 'handlers' },
};

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
  const keys = HANDLER_KEYS[type];
  const given = (v: string): unknown => (Object.hasOwn(keys, v) ? (spec as unknown as Record<string, unknown>)[keys[v]!] : undefined);
  const withHandlers = known.filter((v) => given(v) !== undefined);
  // With no handlers at all, default to the first version, whose check then says "implements no hook".
  const versions = spec.versions ?? (withHandlers.length > 0 ? withHandlers : known.slice(0, 1));
  if (!Array.isArray(versions) || versions.length === 0 || versions.some((v) => typeof v !== 'string' || v === '')) {
    throw new TypeError(`definePlugin(${name}): versions must be a non-empty array of strings`);
  }
  const servedVersions = known.filter((v) => versions.includes(v));
  if (servedVersions.length === 0) {
    throw new RangeError(`definePlugin(${name}): none of versions [${versions.join(', ')}] has a ${type} contract; the SDK serves [${known.join(', ')}]`);
  }
  // Handlers for a version not served would never be called: refuse them rather than drop them.
  for (const v of known) {
    if (given(v) !== undefined && !servedVersions.includes(v)) {
      throw new TypeError(`definePlugin(${name}): has ${type} ${v} handlers (${keys[v]}) but versions [${versions.join(', ')}] does not list ${v}`);
    }
  }

  const byVersion: Record<string, VersionHooks> = {};
  for (const v of servedVersions) byVersion[v] = bindHooks(name, type, v, given(v), keys[v]!);

  const first = byVersion[servedVersions[0]!]!;
  return Object.freeze({
    name,
    type,
    versions: Object.freeze([...versions]),
    servedVersions: Object.freeze(servedVersions),
    implemented: first.implemented,
    capabilities: Object.freeze({
      // SDK plugins apply deltas carried in per-pod calls (bindHooks wraps them); a spec may still say false.
      ...(type === 'SchedulerPlugin' && byVersion['v1']?.implemented.includes('ApplyDelta') ? { inlineDeltas: true } : {}),
      ...(spec.capabilities ?? {}),
    }),
    handlers: first.handlers,
    byVersion: Object.freeze(byVersion),
  }) as PluginDefinition;
}

/** Validates one version's handlers object against that version's hooks and binds them. */
function bindHooks(name: string, type: PluginType, version: string, given: unknown, key: string): VersionHooks {
  // Name the version only where the type has several, so single-version messages stay as they were.
  const label = Object.keys(CONTRACTS[type]).length > 1 ? `${type} ${version}` : type;
  if ((given === undefined || given === null) && key !== 'handlers') {
    throw new TypeError(`definePlugin(${name}): versions lists ${version} but no ${label} handlers were given (${key})`);
  }
  if (given !== undefined && given !== null && typeof given !== 'object') throw new TypeError(`definePlugin(${name}): ${key} must be an object`);
  const handlers = (given ?? {}) as Record<string, unknown>;
  const hooks = hookNames(contractFor(type, version)!);
  // Every key of a plain object must be a hook: a misspelt hook would otherwise never be
  // called, silently. A class instance's other members (state, helpers) are its own business.
  const proto: unknown = Object.getPrototypeOf(handlers);
  const plain = proto === Object.prototype || proto === null;
  for (const [k, fn] of plain ? Object.entries(handlers) : []) {
    if (fn !== undefined && !hooks.includes(k)) {
      throw new TypeError(`definePlugin(${name}): ${label} has no hook ${JSON.stringify(k)}; hooks: ${hooks.join(', ')}`);
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
    throw new TypeError(`definePlugin(${name}): implements no hook; a ${label} implements at least one of ${hooks.join(', ')}`);
  }
  for (const rule of REQUIRED_HOOKS[type]) {
    const missing = rule.need.filter((h) => hooks.includes(h) && !implemented.includes(h));
    if ((rule.with === undefined || implemented.includes(rule.with)) && missing.length > 0) {
      throw new TypeError(`definePlugin(${name}): ${type} ${rule.with ? `implementing ${rule.with} ` : ''}must also implement ${missing.join(', ')} (${rule.why})`);
    }
  }
  if (type === 'SchedulerPlugin' && version === 'v1' && bound['ApplyDelta'] !== undefined) applyInlineDeltas(bound, bound['ApplyDelta']);
  return Object.freeze({ implemented: Object.freeze(implemented), handlers: Object.freeze(bound) });
}

/** The per-pod scheduling hooks whose requests may carry a snapshot delta (Capabilities.inline_deltas). */
const INLINE_DELTA_HOOKS = ['PreFilter', 'Filter', 'PostFilter', 'PreScore', 'Score'] as const;

/**
 * Wraps the per-pod hooks so a `delta` riding in the request is applied through the plugin's
 * own ApplyDelta before the hook runs: the host then saves a round trip per cycle. A delta the
 * plugin cannot apply (it holds another generation) fails the call with FAILED_PRECONDITION,
 * which makes the host resend the full snapshot and ask again.
 */
function applyInlineDeltas(bound: Record<string, AnyHandler>, applyDelta: AnyHandler): void {
  const check = (ack: unknown, delta: { toGeneration?: unknown }): void => {
    const a = ack as { result?: unknown; generation?: unknown } | undefined;
    if (a?.result !== 'OK' || Number(a.generation) !== Number(delta.toGeneration)) {
      throw Object.assign(new Error(`snapshot delta to generation ${String(delta.toGeneration)} not applied (${String(a?.result)}, holding ${String(a?.generation)})`),
        { code: FAILED_PRECONDITION });
    }
  };
  for (const hook of INLINE_DELTA_HOOKS) {
    const fn = bound[hook];
    if (fn === undefined) continue;
    bound[hook] = (req, ctx) => {
      const delta = (req as { delta?: { toGeneration?: unknown } | null } | null)?.delta;
      if (delta === undefined || delta === null) return fn(req, ctx);
      const ack = applyDelta(delta, ctx);
      if (typeof (ack as { then?: unknown } | null)?.then === 'function') {
        return (ack as Promise<unknown>).then((a) => {
          check(a, delta);
          return fn(req, ctx);
        });
      }
      check(ack, delta);
      return fn(req, ctx);
    };
  }
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return (
    typeof value === 'object' && value !== null && Object.isFrozen(value) &&
    typeof (value as PluginDefinition).name === 'string' && Array.isArray((value as PluginDefinition).implemented)
  );
}

/** The same plugin under another name (e.g. `plugd serve MODULE --name NAME`), validated again. */
export function renamePlugin<T extends PluginType>(def: PluginDefinition<T>, name: string): PluginDefinition<T> {
  const spec: Record<string, unknown> = { name, type: def.type, versions: [...def.versions], capabilities: def.capabilities };
  for (const [v, hooks] of Object.entries(def.byVersion)) spec[HANDLER_KEYS[def.type][v]!] = hooks.handlers;
  return definePlugin(spec as unknown as PluginSpec) as PluginDefinition<T>;
}
