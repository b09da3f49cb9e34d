/**
 * What the admission chain calls: AdmissionPluginLike, one interface for a registered plugin
 * process (Admit over gRPC through the registry's proxy) and for a handler object living in
 * the same process (the same Admit handler an SDK plugin has, called directly). Both reject
 * with PluginCallErrors naming the plugin, so the host's failure policy treats them alike.
 */
import type { AdmitRequest } from '../../proto/gen/plugd/admission/v1/AdmitRequest.js';
import type { AdmitRequest__Output } from '../../proto/gen/plugd/admission/v1/AdmitRequest.js';
import type { AdmitResponse } from '../../proto/gen/plugd/admission/v1/AdmitResponse.js';
import { ErrorCodes, PluginCallError } from '../errors.js';
import type { CallRecorder, HostMetrics } from '../metrics.js';
import { decodeSettings, type AdmissionPluginSettings, type SettingsOverride } from './match.js';

/** A plugin's answer, normalised (from the wire's defaults or an in-process handler's partial object). */
export interface AdmitVerdict {
  readonly allowed: boolean;
  readonly status: { readonly code: number; readonly message: string; readonly reason: string } | undefined;
  /** The JSONPatch as JSON text; undefined when there is none. */
  readonly patch: string | undefined;
  readonly warnings: readonly string[];
  readonly auditAnnotations: Readonly<Record<string, string>>;
}

/** What the chain calls for one plugin. */
export interface AdmissionPluginLike {
  readonly name: string;
  readonly settings: AdmissionPluginSettings;
  /** Where it runs: a plugin process, or a handler object in this process. */
  readonly source: 'process' | 'in-process';
  /** One Admit call within timeoutMs; rejects with a PluginCallError naming the plugin. */
  admit(request: AdmitRequest, timeoutMs: number): Promise<AdmitVerdict>;
}

/** An in-process plugin: the shape of an SDK definePlugin() result, so the same object can be served or embedded. */
export interface InProcessAdmissionPlugin {
  readonly name: string;
  /** plugd.admission.v1 Capabilities (kind, rules, selectors, failurePolicy, timeoutSeconds…). */
  readonly capabilities?: Readonly<Record<string, unknown>>;
  readonly handlers: { readonly Admit?: (request: AdmitRequest__Output) => AdmitResponse | Promise<AdmitResponse> };
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8') : undefined;
  return s === undefined || s.length === 0 ? undefined : s;
}

/** Normalises an Admit answer; a non-object answer is a malformed one. */
export function toVerdict(plugin: string, raw: unknown): AdmitVerdict {
  if (typeof raw !== 'object' || raw === null) {
    throw new PluginCallError(ErrorCodes.MALFORMED_ANSWER, plugin, 'Admit', `malformed answer: expected an AdmitResponse object, got ${raw === null ? 'null' : typeof raw}`);
  }
  const r = raw as AdmitResponse;
  const s = r.status;
  const warnings = Array.isArray(r.warnings) ? r.warnings.filter((w): w is string => typeof w === 'string' && w.length > 0) : [];
  const audit: Record<string, string> = {};
  if (r.auditAnnotations && typeof r.auditAnnotations === 'object') {
    for (const [k, v] of Object.entries(r.auditAnnotations)) if (typeof v === 'string') audit[k] = v;
  }
  return {
    allowed: r.allowed === true,
    status: s ? { code: Number(s.code ?? 0), message: String(s.message ?? ''), reason: String(s.reason ?? '') } : undefined,
    patch: text(r.patch),
    warnings,
    auditAnnotations: audit,
  };
}

/** The plugin process registered under `name`, called through the host's proxy (deadline, breaker, limits). */
export class ProcessAdmissionPlugin implements AdmissionPluginLike {
  readonly source = 'process' as const;
  constructor(
    readonly name: string,
    readonly settings: AdmissionPluginSettings,
    /** The socket the instance came from: while it exists, a lost plugin is down, not gone. */
    readonly socketPath: string,
    readonly invoke: <Res>(name: string, method: string, request: unknown, timeoutMs?: number) => Promise<Res>,
  ) {}

  async admit(request: AdmitRequest, timeoutMs: number): Promise<AdmitVerdict> {
    return toVerdict(this.name, await this.invoke<unknown>(this.name, 'Admit', request, timeoutMs));
  }
}

/** A handler object run in this process with the same contract: deadline, errors and metrics as a process call. */
export class EmbeddedAdmissionPlugin implements AdmissionPluginLike {
  readonly source = 'in-process' as const;
  readonly name: string;
  readonly settings: AdmissionPluginSettings;
  readonly warnings: readonly string[];
  readonly #admit: (request: AdmitRequest__Output) => AdmitResponse | Promise<AdmitResponse>;
  readonly #recorder: CallRecorder;

  constructor(plugin: InProcessAdmissionPlugin, metrics: HostMetrics, override?: SettingsOverride) {
    const admit = plugin.handlers?.Admit;
    if (typeof admit !== 'function') throw new TypeError(`in-process admission plugin ${plugin.name}: handlers.Admit must be a function`);
    this.name = plugin.name;
    const decoded = decodeSettings(plugin.name, plugin.capabilities ?? {}, override);
    this.settings = decoded.settings;
    this.warnings = decoded.warnings;
    this.#admit = admit;
    this.#recorder = metrics.recorder(plugin.name, 'Admit');
  }

  admit(request: AdmitRequest, timeoutMs: number): Promise<AdmitVerdict> {
    const started = performance.now();
    const done = (code?: string): void => {
      const s = (performance.now() - started) / 1000;
      if (code === undefined) this.#recorder.ok(s);
      else this.#recorder.failed(s, code);
    };
    return new Promise<AdmitVerdict>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        done(ErrorCodes.CALL_TIMEOUT);
        reject(new PluginCallError(ErrorCodes.CALL_TIMEOUT, this.name, 'Admit', `no answer within the deadline (${timeoutMs} ms)`));
      }, timeoutMs);
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      // The handler sees what a served plugin's handler sees: decoded request, Buffers for bytes.
      Promise.resolve()
        .then(() => this.#admit(request as AdmitRequest__Output))
        .then((res) => finish(() => {
          try {
            const v = toVerdict(this.name, res);
            done();
            resolve(v);
          } catch (err) {
            done(ErrorCodes.MALFORMED_ANSWER);
            reject(err);
          }
        }), (err: unknown) => finish(() => {
          done(ErrorCodes.CALL_FAILED);
          reject(new PluginCallError(ErrorCodes.CALL_FAILED, this.name, 'Admit', err instanceof Error ? err.message : String(err), err));
        }));
    });
  }
}
