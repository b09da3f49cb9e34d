/**
 * The admission chain: kube-apiserver's webhook admission semantics over plugd's plugins.
 * Mutating plugins run in series, each on the object as the previous one left it (its
 * JSONPatch applied with rfc6902 and checked), IfNeeded plugins are reinvoked once when a
 * later plugin changed the object; validating plugins then run in parallel on the final
 * object and any deny wins. Each plugin's failures go through the host's failure policy.
 * The webhook door and the library API share this one code path.
 */
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { Counter, type Registry as PromRegistry } from 'prom-client';
import { applyPatch, type Operation as PatchOp } from 'rfc6902';
import type { AdmitRequest } from '../../proto/gen/plugd/admission/v1/AdmitRequest.js';
import { ErrorCodes, PlugdError, PluginCallError } from '../errors.js';
import type { HostMetrics } from '../metrics.js';
import { PolicyApplier } from '../policy.js';
import type { PluginInstance } from '../registry/instance.js';
import type { DeregisterReason, InstanceStatus, Registry } from '../registry/registry.js';
import {
  decodeSettings,
  namespaceSelectorMatches,
  objectSelectorMatches,
  rulesMatch,
  type NamespaceLookup,
  type SettingsOverride,
} from './match.js';
import { EmbeddedAdmissionPlugin, ProcessAdmissionPlugin, type AdmissionPluginLike, type AdmitVerdict, type InProcessAdmissionPlugin } from './plugins.js';
import { isJsonObject, parseAdmissionRequest, type AdmissionRequest, type AdmissionStatus, type JsonObject, type JsonValue } from './review.js';

/** What the chain needs of the host (PlugdHost satisfies it). */
export interface AdmissionHost {
  readonly config: {
    readonly plugins: Readonly<Record<string, SettingsOverride>>;
    readonly admission?: { readonly order?: readonly string[] };
  };
  readonly registry: Pick<Registry, 'on' | 'off' | 'list'>;
  readonly logger: Logger;
  readonly metrics: HostMetrics;
  invoke<Res>(name: string, method: string, request: unknown, timeoutMs?: number): Promise<Res>;
}

export interface AdmissionChainOptions {
  /** Namespace labels for namespaceSelector; without one only kubernetes.io/metadata.name can be evaluated. */
  namespaces?: NamespaceLookup;
  /** Mutating plugins named here run first, in this order; the rest by (order, name). Default: config admission.order. */
  order?: readonly string[];
  /** In-process plugins (handler objects), beside the registered plugin processes. */
  plugins?: readonly InProcessAdmissionPlugin[];
}

export interface ReviewOptions {
  /** The time the whole review may take (e.g. kube-apiserver's ?timeout=); each plugin's deadline is cut to fit. */
  timeoutMs?: number;
}

/** What happened with one plugin for one request. */
export interface PluginCall {
  readonly plugin: string;
  readonly phase: 'mutating' | 'validating';
  /** 0, or 1 for a reinvocation. */
  readonly round: 0 | 1;
  readonly verdict: 'allowed' | 'patched' | 'denied' | 'ignored' | 'failed' | 'dry-run-unsupported';
  readonly ms: number;
  /** The failure, for ignored and failed calls. */
  readonly error?: string;
}

interface OutcomeBase {
  /** Each prefixed with the plugin's name: "NAME: text". */
  readonly warnings: string[];
  /** Keyed "<plugin>/<key>", as kube-apiserver keys a webhook's. */
  readonly auditAnnotations: Record<string, string>;
  readonly calls: PluginCall[];
}

export interface AdmittedOutcome extends OutcomeBase {
  readonly allowed: true;
  /** The object after the mutating plugins (the request's object when none changed it). */
  readonly object: JsonObject | null;
  /** One JSONPatch from the request's object to `object`; [] when unchanged. */
  readonly patch: PatchOp[];
}

export interface DeniedOutcome extends OutcomeBase {
  readonly allowed: false;
  /** 403 for a plugin's deny (or the code it gave, if 400–599), 500 for a failed plugin under Fail, 400 for a dry run it cannot take. */
  readonly status: AdmissionStatus;
  /** The plugin that denied or failed. */
  readonly plugin: string;
}

export type AdmissionOutcome = AdmittedOutcome | DeniedOutcome;

const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict',
  410: 'Gone', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

/** A qualified name's name part: what kube-apiserver accepts after "<webhook>/" in an audit annotation key. */
const AUDIT_KEY = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const WIRE_EMPTY = Buffer.alloc(0);

/** RFC 6902's operations. */
const PATCH_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** A copy of a JSON value (what JSON.parse gives: plain objects, arrays, primitives); ~8× cheaper than structuredClone. */
function cloneJson<T extends JsonValue>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const a: JsonValue[] = new Array<JsonValue>(v.length);
    for (let i = 0; i < v.length; i++) a[i] = cloneJson(v[i]!);
    return a as T;
  }
  const o: JsonObject = {};
  for (const k of Object.keys(v)) o[k] = cloneJson((v as JsonObject)[k]!);
  return o as T;
}

function malformed(plugin: string, what: string): PluginCallError {
  return new PluginCallError(ErrorCodes.MALFORMED_ANSWER, plugin, 'Admit', `malformed answer: ${what}`);
}

function meta(obj: JsonObject): JsonObject {
  return isJsonObject(obj.metadata) ? obj.metadata : {};
}

/** A plugin's patch applied: the object it gives and the operations, as the plugin sent them. */
export interface AppliedPatch {
  /** null only for an empty patch on a request without an object. */
  readonly object: JsonObject | null;
  readonly ops: PatchOp[];
}

/**
 * Applies a plugin's JSONPatch to a copy of `current` and checks the result keeps what a
 * mutating webhook may not change: apiVersion, kind, metadata.uid, and the name and namespace.
 */
export function applyPluginPatch(plugin: string, current: JsonObject | null, patchText: string): AppliedPatch {
  let ops: unknown;
  try {
    ops = JSON.parse(patchText);
  } catch (err) {
    throw malformed(plugin, `patch is not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(ops)) throw malformed(plugin, 'patch is not a JSONPatch (an array of operations)');
  // Checked whole, as RFC 6902 words it: the ops are forwarded to kube-apiserver as they are.
  ops.forEach((op, i) => {
    const bad = !isJsonObject(op) || typeof op.path !== 'string' || !PATCH_OPS.has(op.op as string)
      || (op.op === 'move' || op.op === 'copy' ? typeof op.from !== 'string' : op.op !== 'remove' && !Object.hasOwn(op, 'value'));
    if (bad) throw malformed(plugin, `patch operation ${i} is not an RFC 6902 operation: ${JSON.stringify(op)}`);
  });
  // kube-apiserver takes an empty patch as no change, with or without an object.
  if (ops.length === 0) return { object: current === null ? null : cloneJson(current), ops: [] };
  if (current === null) throw malformed(plugin, 'a patch on a request without an object (DELETE)');
  // rfc6902 copies each op's value, so the plugin's ops stay as sent (they join the combined patch).
  const next = cloneJson(current);
  const results = applyPatch(next, ops as PatchOp[]);
  const failed = results.findIndex((r) => r !== null);
  if (failed >= 0) {
    const op = ops[failed] as { op: string; path: string };
    throw malformed(plugin, `patch operation ${failed} (${op.op} ${op.path}) does not apply: ${results[failed]!.name}: ${results[failed]!.message}`);
  }
  if (!isJsonObject(next)) throw malformed(plugin, 'the patched object is not an object');
  for (const field of ['apiVersion', 'kind'] as const) {
    if (!deepEqual(current[field], next[field])) throw malformed(plugin, `the patch changes ${field} (${JSON.stringify(current[field])} → ${JSON.stringify(next[field])})`);
  }
  const before = meta(current);
  const after = meta(next);
  if (!deepEqual(before.uid, after.uid)) throw malformed(plugin, 'the patch changes metadata.uid');
  for (const field of ['name', 'namespace'] as const) {
    // On a generateName CREATE the name is unset; naming the object is not renaming it.
    const was = before[field];
    if (was !== undefined && was !== '' && !deepEqual(was, after[field])) throw malformed(plugin, `the patch changes metadata.${field} (${JSON.stringify(was)} → ${JSON.stringify(after[field])})`);
  }
  return { object: next, ops: ops as PatchOp[] };
}

function counter(registry: PromRegistry, name: string, help: string, labelNames: string[]): Counter<string> {
  return (registry.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

interface RequestContext {
  readonly req: AdmissionRequest;
  readonly base: AdmitRequest;
  readonly deadline: number;
  readonly out: OutcomeBase;
}

/** A plugin's step; `changed` is set when its patch changed the object. */
type Step = { readonly kind: 'ok'; readonly verdict: AdmitVerdict; readonly changed?: AppliedPatch } | { readonly kind: 'ignored' } | { readonly kind: 'stop'; readonly outcome: DeniedOutcome };

export class AdmissionChain {
  readonly #host: AdmissionHost;
  readonly #log: Logger;
  readonly #policy: PolicyApplier;
  readonly #namespaces: NamespaceLookup | undefined;
  readonly #order: readonly string[];
  readonly #process = new Map<string, ProcessAdmissionPlugin>();
  /** Plugin processes that died with their socket left behind: still in the chain, failing per policy. */
  readonly #down = new Set<string>();
  readonly #embedded = new Map<string, EmbeddedAdmissionPlugin>();
  readonly #verdicts: Counter<string>;
  #sorted: { mutating: AdmissionPluginLike[]; validating: AdmissionPluginLike[] } | undefined;
  readonly #onActivated = (inst: PluginInstance): void => this.#adopt(inst.name, inst.type, inst.capabilities, inst.socketPath);
  readonly #onDeregistered = (inst: PluginInstance, reason: DeregisterReason): void => this.#release(inst, reason);

  constructor(host: AdmissionHost, options: AdmissionChainOptions = {}) {
    this.#host = host;
    this.#log = host.logger;
    this.#policy = new PolicyApplier(host.metrics, host.logger);
    this.#namespaces = options.namespaces;
    this.#order = options.order ?? host.config.admission?.order ?? [];
    this.#verdicts = counter(host.metrics.registry, 'plugd_admission_verdicts_total',
      'Admission plugin calls by plugin, phase and verdict (allowed, patched, denied, ignored, failed, dry-run-unsupported)', ['plugin', 'phase', 'verdict']);
    for (const p of options.plugins ?? []) this.use(p);
    for (const s of host.registry.list()) if (s.state === 'active') this.#adoptStatus(s);
    host.registry.on('activated', this.#onActivated);
    host.registry.on('deregistered', this.#onDeregistered);
  }

  /** Stops following the registry. */
  close(): void {
    this.#host.registry.off('activated', this.#onActivated);
    this.#host.registry.off('deregistered', this.#onDeregistered);
  }

  /** Adds an in-process plugin (e.g. an SDK definePlugin() result); it shadows a plugin process of the same name. */
  use(plugin: InProcessAdmissionPlugin): this {
    if (this.#embedded.has(plugin.name)) throw new PlugdError(ErrorCodes.CONFIG_INVALID, `in-process admission plugin ${plugin.name} is already in the chain`, { plugin: plugin.name });
    const p = new EmbeddedAdmissionPlugin(plugin, this.#host.metrics, this.#host.config.plugins[plugin.name]);
    for (const w of p.warnings) this.#log.warn({ plugin: p.name }, `admission plugin ${p.name}: ${w}`);
    this.#embedded.set(plugin.name, p);
    this.#sorted = undefined;
    return this;
  }

  /** The plugins in the chain now, in the order they run (validating ones by name). */
  plugins(): { mutating: readonly AdmissionPluginLike[]; validating: readonly AdmissionPluginLike[] } {
    return this.#lists();
  }

  /** Both phases: the mutating plugins, then the validating ones on the final object. */
  async review(request: AdmissionRequest | unknown, opts: ReviewOptions = {}): Promise<AdmissionOutcome> {
    const ctx = this.#context(request, opts);
    const mutated = await this.#mutate(ctx);
    if (!mutated.allowed) return mutated;
    const validated = await this.#validate(ctx, mutated.object);
    return validated.allowed ? { ...validated, object: mutated.object, patch: mutated.patch } : validated;
  }

  /** The mutating phase only (the webhook door's /mutate). */
  async mutate(request: AdmissionRequest | unknown, opts: ReviewOptions = {}): Promise<AdmissionOutcome> {
    return this.#mutate(this.#context(request, opts));
  }

  /** The validating phase only, on the request's object (the webhook door's /validate). */
  async validate(request: AdmissionRequest | unknown, opts: ReviewOptions = {}): Promise<AdmissionOutcome> {
    const ctx = this.#context(request, opts);
    const out = await this.#validate(ctx, ctx.req.object ?? null);
    return out.allowed ? { ...out, object: ctx.req.object ?? null, patch: [] } : out;
  }

  // ---------------------------------------------------------------- phases

  async #mutate(ctx: RequestContext): Promise<AdmissionOutcome> {
    const original = ctx.req.object ?? null;
    let current = original;
    let currentWire: Buffer | undefined;
    const wire = (): Buffer => (currentWire ??= current === null ? WIRE_EMPTY : Buffer.from(JSON.stringify(current)));
    const plugins = this.#lists().mutating;
    // Every op that changed the object, in the order applied: applied in order to the original,
    // they give the final object, so they are the combined patch (no diff of the two objects).
    const ops: PatchOp[] = [];
    // kube's reinvocation bookkeeping: IfNeeded plugins called so far, and those a later change owes a second call.
    let previouslyInvoked = new Set<string>();
    const reinvoke = new Set<string>();
    for (const round of [0, 1] as const) {
      if (round === 1 && reinvoke.size === 0) break;
      for (const p of plugins) {
        if (round === 1 && !reinvoke.has(p.name)) continue;
        const step = await this.#step(ctx, p, 'mutating', round, current, wire);
        if (step === undefined) continue;
        if (step.kind === 'stop') return step.outcome;
        if (step.kind === 'ok' && step.changed !== undefined) {
          current = step.changed.object;
          currentWire = undefined;
          ops.push(...step.changed.ops);
          for (const n of previouslyInvoked) reinvoke.add(n);
          previouslyInvoked = new Set();
        }
        if (p.settings.reinvocationPolicy === 'IfNeeded') previouslyInvoked.add(p.name);
      }
    }
    // Changes that undo each other leave no patch, as a diff of the two objects would.
    const patch = ops.length === 0 || deepEqual(original, current) ? [] : ops;
    return { allowed: true, object: current, patch, ...ctx.out };
  }

  async #validate(ctx: RequestContext, object: JsonObject | null): Promise<AdmissionOutcome> {
    const buf = object === null ? WIRE_EMPTY : Buffer.from(JSON.stringify(object));
    const wire = (): Buffer => buf;
    const steps = await Promise.all(this.#lists().validating.map((p) => this.#step(ctx, p, 'validating', 0, object, wire)));
    // Any deny wins; of several, the first in name order, so the answer does not depend on timing.
    const stops = steps.filter((s): s is Extract<Step, { kind: 'stop' }> => s?.kind === 'stop');
    const denied = stops.find((s) => s.outcome.status.code !== 500) ?? stops[0];
    if (denied) return { ...denied.outcome, ...ctx.out };
    return { allowed: true, object, patch: [], ...ctx.out };
  }

  /**
   * One plugin for one request: match, dry-run check, call through the failure policy, then
   * the answer's checks. Undefined when the plugin does not match the request.
   */
  async #step(ctx: RequestContext, p: AdmissionPluginLike, phase: 'mutating' | 'validating', round: 0 | 1, object: JsonObject | null, wire: () => Buffer): Promise<Step | undefined> {
    const { req } = ctx;
    const s = p.settings;
    if (!rulesMatch(s.rules, req)) return undefined;
    const started = performance.now();
    const record = (verdict: PluginCall['verdict'], error?: string): void => {
      ctx.out.calls.push({ plugin: p.name, phase, round, verdict, ms: performance.now() - started, ...(error === undefined ? {} : { error }) });
      this.#verdicts.labels(p.name, phase, verdict).inc();
    };
    // As kube's ShouldCallHook: a selector that does not match wins over one that cannot be evaluated.
    const nsVerdict = namespaceSelectorMatches(s.namespaceSelector, req, this.#namespaces);
    if ('match' in nsVerdict && !nsVerdict.match) return undefined;
    if (!objectSelectorMatches(s.objectSelector, object, req.oldObject)) return undefined;
    let call: Promise<AdmitVerdict>;
    if ('error' in nsVerdict) {
      call = Promise.reject(new PluginCallError(ErrorCodes.NAMESPACE_LABELS_UNKNOWN, p.name, 'Admit', nsVerdict.error, undefined, undefined, false));
    } else {
      if (req.dryRun === true && (s.sideEffects === 'Some' || s.sideEffects === 'Unknown')) {
        // kube-apiserver rejects the request outright (not per failurePolicy): the plugin would have acted on a dry run.
        record('dry-run-unsupported');
        const message = `admission plugin "${p.name}" does not support dry run (sideEffects ${s.sideEffects})`;
        return { kind: 'stop', outcome: { allowed: false, status: { code: 400, reason: 'BadRequest', message }, plugin: p.name, ...ctx.out } };
      }
      const timeout = Math.min(s.timeoutMs, ctx.deadline - Date.now());
      call = timeout <= 0
        ? Promise.reject(new PluginCallError(ErrorCodes.CALL_TIMEOUT, p.name, 'Admit', 'the review\'s deadline passed before the plugin\'s turn', undefined, undefined, false))
        : p.admit({ ...ctx.base, object: wire(), mutatingPhase: phase === 'mutating', reinvocation: round }, timeout);
    }
    let applied: AppliedPatch | undefined;
    const checked = call.then((v) => {
      if (v.allowed && v.patch !== undefined) {
        if (phase === 'validating') throw malformed(p.name, 'a patch from a validating plugin');
        applied = applyPluginPatch(p.name, object, v.patch);
      }
      return v;
    });
    let outcome;
    try {
      outcome = await this.#policy.run(p.name, s.failurePolicy, checked);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      record('failed', message);
      if (!(err instanceof PluginCallError)) this.#log.error({ plugin: p.name, err }, `admission plugin ${p.name}: unexpected failure: ${message}`);
      return { kind: 'stop', outcome: { allowed: false, status: { code: 500, reason: 'InternalError', message: `failed calling admission plugin "${p.name}" (failurePolicy Fail): ${message}` }, plugin: p.name, ...ctx.out } };
    }
    if (outcome.status === 'ignored') {
      record('ignored', outcome.error.message);
      return { kind: 'ignored' };
    }
    const v = outcome.response;
    this.#gather(ctx.out, p.name, v);
    if (!v.allowed) {
      record('denied');
      // An HTTP error code, as kube-apiserver writes it back to its client; anything else is a plain 403.
      const code = v.status !== undefined && v.status.code >= 400 && v.status.code <= 599 ? v.status.code : 403;
      const reason = v.status?.reason || REASONS[code] || 'Forbidden';
      const why = v.status?.message || v.status?.reason || '';
      const message = `admission plugin "${p.name}" denied the request${why ? `: ${why}` : ' without explanation'}`;
      return { kind: 'stop', outcome: { allowed: false, status: { code, reason, message }, plugin: p.name, ...ctx.out } };
    }
    const changed = applied !== undefined && !deepEqual(applied.object, object) ? applied : undefined;
    record(changed !== undefined ? 'patched' : 'allowed');
    return changed === undefined ? { kind: 'ok', verdict: v } : { kind: 'ok', verdict: v, changed };
  }

  #gather(out: OutcomeBase, plugin: string, v: AdmitVerdict): void {
    for (const w of v.warnings) out.warnings.push(`${plugin}: ${w}`);
    for (const [k, val] of Object.entries(v.auditAnnotations)) {
      if (k.length > 63 || !AUDIT_KEY.test(k)) {
        this.#log.warn({ plugin, key: k }, `admission plugin ${plugin}: audit annotation key ${JSON.stringify(k)} is not a valid name (≤ 63 characters, alphanumeric, '-', '_', '.'); dropped`);
        continue;
      }
      out.auditAnnotations[`${plugin}/${k}`] = val;
    }
  }

  // ---------------------------------------------------------------- requests

  #context(request: AdmissionRequest | unknown, opts: ReviewOptions): RequestContext {
    // A request typed by the caller is still checked: a library caller may hand over kube's JSON as it is.
    const req = parseAdmissionRequest(request);
    const ui = req.userInfo;
    const extra: Record<string, { values: string[] }> = {};
    for (const [k, v] of Object.entries(ui.extra ?? {})) extra[k] = { values: [...v] };
    const base: AdmitRequest = {
      uid: req.uid,
      kind: req.kind,
      resource: req.resource,
      subResource: req.subResource ?? '',
      requestKind: req.requestKind ?? req.kind,
      requestResource: req.requestResource ?? req.resource,
      requestSubResource: req.requestSubResource ?? req.subResource ?? '',
      name: req.name ?? '',
      namespace: req.namespace ?? '',
      operation: req.operation,
      userInfo: { username: ui.username ?? '', uid: ui.uid ?? '', groups: [...(ui.groups ?? [])], extra },
      oldObject: req.oldObject ? Buffer.from(JSON.stringify(req.oldObject)) : WIRE_EMPTY,
      options: req.options ? Buffer.from(JSON.stringify(req.options)) : WIRE_EMPTY,
      dryRun: req.dryRun === true,
    };
    const timeoutMs = opts.timeoutMs ?? Number.POSITIVE_INFINITY;
    return { req, base, deadline: Date.now() + timeoutMs, out: { warnings: [], auditAnnotations: {}, calls: [] } };
  }

  // ---------------------------------------------------------------- membership

  #lists(): { mutating: AdmissionPluginLike[]; validating: AdmissionPluginLike[] } {
    for (const name of this.#down) {
      // A dead plugin's socket removed (by its owner or an operator): it left the chain.
      const p = this.#process.get(name);
      if (p === undefined || !existsSync(p.socketPath)) {
        this.#down.delete(name);
        if (p !== undefined) this.#drop(name, 'its process is gone and its socket was removed');
      }
    }
    if (this.#sorted) return this.#sorted;
    const all = new Map<string, AdmissionPluginLike>(this.#process);
    for (const [n, p] of this.#embedded) all.set(n, p);
    const rank = new Map(this.#order.map((n, i) => [n, i]));
    const byOrder = (a: AdmissionPluginLike, b: AdmissionPluginLike): number => {
      const ra = rank.get(a.name) ?? Infinity;
      const rb = rank.get(b.name) ?? Infinity;
      if (ra !== rb) return ra < rb ? -1 : 1;
      if (a.settings.order !== b.settings.order) return a.settings.order - b.settings.order;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    };
    const list = [...all.values()];
    this.#sorted = {
      mutating: list.filter((p) => p.settings.kind === 'Mutating').sort(byOrder),
      validating: list.filter((p) => p.settings.kind === 'Validating').sort((a, b) => (a.name < b.name ? -1 : 1)),
    };
    return this.#sorted;
  }

  #adoptStatus(s: InstanceStatus): void {
    this.#adopt(s.name, s.type, s.capabilities, s.socket);
  }

  #adopt(name: string, type: string, capabilities: Readonly<Record<string, unknown>>, socketPath: string): void {
    if (type !== 'AdmissionPlugin') return;
    this.#down.delete(name);
    try {
      const { settings, warnings } = decodeSettings(name, capabilities, this.#host.config.plugins[name]);
      for (const w of warnings) this.#log.warn({ plugin: name }, `admission plugin ${name}: ${w}`);
      const known = this.#process.has(name);
      this.#process.set(name, new ProcessAdmissionPlugin(name, settings, socketPath, (n, m, r, t) => this.#host.invoke(n, m, r, t)));
      this.#sorted = undefined;
      if (!known) {
        this.#log.info({ plugin: name, kind: settings.kind, failurePolicy: settings.failurePolicy, timeoutMs: settings.timeoutMs, rules: settings.rules.length },
          `admission plugin ${name} joined the ${settings.kind.toLowerCase()} chain`);
      }
    } catch (err) {
      this.#log.error({ plugin: name, code: (err as PlugdError).code }, `admission plugin ${name} left out of the chain: ${(err as Error).message}`);
      this.#drop(name);
    }
  }

  #release(inst: PluginInstance, reason: DeregisterReason): void {
    if (inst.type !== 'AdmissionPlugin' || !this.#process.has(inst.name)) return;
    // A successor already took over the name (hot-swap): nothing changes for the chain.
    if (this.#host.registry.list().some((s) => s.name === inst.name && s.state === 'active' && s.generation !== inst.generation)) return;
    if (reason === 'connection-lost') {
      // Crashed, or its connection broke: it stays in the chain while its socket exists, and
      // every call it matches fails per its failurePolicy until it is back (kube's "webhook down").
      this.#down.add(inst.name);
      this.#log.warn({ plugin: inst.name }, `admission plugin ${inst.name} is down: requests it matches are handled by its failurePolicy (${this.#process.get(inst.name)!.settings.failurePolicy}) until it is back or its socket is removed`);
      return;
    }
    this.#drop(inst.name, `deregistered (${reason})`);
  }

  #drop(name: string, why?: string): void {
    if (this.#process.delete(name)) {
      this.#sorted = undefined;
      if (why) this.#log.info({ plugin: name }, `admission plugin ${name} left the chain: ${why}`);
    }
  }
}
