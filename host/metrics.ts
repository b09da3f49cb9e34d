/**
 * The host's Prometheus metrics, on a registry of its own (several hosts can live in one
 * process, as in tests), and the per-plugin call series the status page charts. Per-call
 * children are resolved once per instance and method, so the call path pays one observe()
 * and one series record(), not a label lookup.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CallSeries } from './status/series.js';

export class HostMetrics {
  readonly registry = new Registry();
  /** Calls, failures and latency per plugin name over the last minutes (the status page's charts). */
  readonly series = new CallSeries();

  readonly plugins = new Gauge({
    name: 'plugd_plugins',
    help: 'Plugin instances known to the host, by interface type and state',
    labelNames: ['type', 'state'] as const,
    registers: [this.registry],
  });

  readonly registrations = new Counter({
    name: 'plugd_registrations_total',
    help: 'Successful plugin registrations, by interface type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly rejections = new Counter({
    name: 'plugd_registration_rejections_total',
    help: 'Plugins refused at registration, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly ignoredPaths = new Counter({
    name: 'plugd_discovery_ignored_total',
    help: 'Entries in the socket directory that are not plugins, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly swaps = new Counter({
    name: 'plugd_hot_swaps_total',
    help: 'Hot-swaps completed, by plugin',
    labelNames: ['plugin'] as const,
    registers: [this.registry],
  });

  readonly calls = new Counter({
    name: 'plugd_plugin_calls_total',
    help: 'Calls to plugins, by plugin, method and outcome (ok, or an error code)',
    labelNames: ['plugin', 'method', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly callSeconds = new Histogram({
    name: 'plugd_plugin_call_duration_seconds',
    help: 'Latency of calls to plugins, by plugin and method',
    labelNames: ['plugin', 'method'] as const,
    buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly policyApplied = new Counter({
    name: 'plugd_failure_policy_applied_total',
    help: 'Failed plugin calls resolved by a failure policy, by plugin and policy',
    labelNames: ['plugin', 'policy'] as const,
    registers: [this.registry],
  });

  /** A per-method recorder for one plugin: one histogram child and the ok counter, resolved once. */
  recorder(plugin: string, method: string): CallRecorder {
    const latency = this.callSeconds.labels(plugin, method);
    const ok = this.calls.labels(plugin, method, 'ok');
    const series = this.series.of(plugin);
    return {
      ok: (seconds: number) => {
        latency.observe(seconds);
        ok.inc();
        series.record(seconds, false);
      },
      failed: (seconds: number, code: string) => {
        latency.observe(seconds);
        this.calls.labels(plugin, method, code).inc();
        series.record(seconds, true);
      },
    };
  }
}

export interface CallRecorder {
  ok(seconds: number): void;
  failed(seconds: number, code: string): void;
}
