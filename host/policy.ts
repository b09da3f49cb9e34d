/**
 * Failure policy, applied explicitly: a failed or timed-out call either fails the caller's
 * request (Fail) or is skipped (Ignore) — never silently. Each application is counted
 * (plugd_failure_policy_applied_total) and logged with the plugin's name and the policy;
 * logs are rate-limited per plugin so that a plugin that is down cannot flood them.
 */
import type { Logger } from 'pino';
import { PluginCallError } from './errors.js';
import type { FailurePolicy } from './interfaces.js';
import type { HostMetrics } from './metrics.js';

/** Options of PlugdHost.callWithPolicy. */
export interface CallPolicyOptions {
  timeoutMs?: number;
  /** The policy of a plugin the host has never seen. Default Fail. */
  fallback?: FailurePolicy;
  /** Failures the caller handles itself, outside the failure policy. */
  passThrough?: (err: PluginCallError) => boolean;
}

export type PolicyOutcome<Res> =
  | { readonly status: 'ok'; readonly response: Res }
  | { readonly status: 'ignored'; readonly error: PluginCallError };

interface LogBudget {
  windowStart: number;
  logged: number;
  suppressed: number;
}

const LOGS_PER_WINDOW = 5;
const WINDOW_MS = 10_000;

/** Told of every application (the status page's event list); the log line is rate-limited, this is not. */
export type PolicyListener = (plugin: string, policy: FailurePolicy, err: PluginCallError) => void;

export class PolicyApplier {
  readonly #metrics: HostMetrics;
  readonly #log: Logger;
  readonly #listener: PolicyListener | undefined;
  readonly #budgets = new Map<string, LogBudget>();

  constructor(metrics: HostMetrics, log: Logger, listener?: PolicyListener) {
    this.#metrics = metrics;
    this.#log = log;
    this.#listener = listener;
  }

  /**
   * Runs `call`; on a PluginCallError applies `policy`: Ignore resolves { status: 'ignored' },
   * Fail rethrows the error with err.policy = 'Fail'. Other errors, and those `passThrough`
   * accepts, propagate untouched (not counted, not logged).
   */
  async run<Res>(plugin: string, policy: FailurePolicy, call: Promise<Res>, passThrough?: (err: PluginCallError) => boolean): Promise<PolicyOutcome<Res>> {
    try {
      return { status: 'ok', response: await call };
    } catch (err) {
      // Not a failure yet for the caller (e.g. a protocol answer it handles itself): untouched.
      if (!(err instanceof PluginCallError) || passThrough?.(err)) throw err;
      err.policy = policy;
      this.#metrics.policyApplied.labels(plugin, policy).inc();
      this.#report(plugin, policy, err);
      this.#listener?.(plugin, policy, err);
      if (policy === 'Ignore') return { status: 'ignored', error: err };
      throw err;
    }
  }

  #report(plugin: string, policy: FailurePolicy, err: PluginCallError): void {
    const now = Date.now();
    let b = this.#budgets.get(plugin);
    if (!b || now - b.windowStart > WINDOW_MS) {
      if (b?.suppressed) this.#log.warn({ plugin, suppressed: b.suppressed }, `plugin ${plugin}: ${b.suppressed} more failed calls were handled by policy in the last ${WINDOW_MS / 1000} s`);
      b = { windowStart: now, logged: 0, suppressed: 0 };
      this.#budgets.set(plugin, b);
    }
    if (b.logged >= LOGS_PER_WINDOW) {
      b.suppressed++;
      return;
    }
    b.logged++;
    const effect = policy === 'Ignore' ? 'failurePolicy Ignore: the plugin is skipped' : 'failurePolicy Fail: the request fails';
    this.#log.warn({ plugin, method: err.method, code: err.code, policy }, `${err.message}; ${effect}`);
  }
}
