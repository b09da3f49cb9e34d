/**
 * The informers' Prometheus metrics, on the host's registry so they appear on its /metrics.
 * Created once per registry: a second watchCluster() on the same host shares them.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export class KubeMetrics {
  readonly events: Counter<'resource' | 'type'>;
  readonly relists: Counter<'resource' | 'reason'>;
  readonly requestErrors: Counter<'resource' | 'verb'>;
  readonly rejected: Counter<'resource'>;
  readonly lastSync: Gauge<'resource'>;
  readonly synced: Gauge<'resource'>;

  constructor(registry: Registry) {
    this.events = counter(registry, 'plugd_kube_watch_events_total', 'Watch events received from the API server, by resource and type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR)', ['resource', 'type']);
    this.relists = counter(registry, 'plugd_kube_relists_total', 'Lists after the initial one, by resource and reason (expired: 410 Gone; error: retry after a failed request)', ['resource', 'reason']);
    this.requestErrors = counter(registry, 'plugd_kube_request_errors_total', 'Failed list or watch requests (retried with backoff), by resource and verb', ['resource', 'verb']);
    this.rejected = counter(registry, 'plugd_kube_objects_rejected_total', 'Objects the cluster state could not take (malformed), by resource', ['resource']);
    this.lastSync = gauge(registry, 'plugd_kube_last_sync_timestamp_seconds', 'When the last full list of the resource was applied (Unix time)', ['resource']);
    this.synced = gauge(registry, 'plugd_kube_synced', '1 once the resource\'s initial list was applied', ['resource']);
  }
}

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const have = registry.getSingleMetric(name);
  if (have !== undefined) return have as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function gauge<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  const have = registry.getSingleMetric(name);
  if (have !== undefined) return have as Gauge<L>;
  return new Gauge({ name, help, labelNames, registers: [registry] });
}
