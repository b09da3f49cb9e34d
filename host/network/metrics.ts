/**
 * Prometheus metrics of the network chains and the CNI door, on the host's registry.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export class NetworkMetrics {
  readonly operations: Counter<'network' | 'command' | 'outcome'>;
  readonly seconds: Histogram<'command'>;
  readonly execs: Counter<'plugin' | 'command' | 'outcome'>;
  readonly shimInflight: Gauge;
  readonly shimWaiting: Gauge;
  readonly shimRejected: Counter;
  readonly delQueued: Counter<'by'>;
  readonly delQueueDepth: Gauge;
  readonly delReplayed: Counter<'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.operations = new Counter({ name: 'plugd_cni_operations_total', help: 'CNI operations on network chains, by network, command and outcome (ok, or the CNI error code)', labelNames: ['network', 'command', 'outcome'] as const, registers });
    this.seconds = new Histogram({ name: 'plugd_cni_operation_duration_seconds', help: 'Latency of CNI operations on network chains, by command', labelNames: ['command'] as const, buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers });
    this.execs = new Counter({ name: 'plugd_cni_exec_total', help: 'Exec\'d CNI plugin runs, by plugin, command and outcome (ok, or the CNI error code)', labelNames: ['plugin', 'command', 'outcome'] as const, registers });
    this.shimInflight = new Gauge({ name: 'plugd_cni_shim_inflight', help: 'Shim requests being served', registers });
    this.shimWaiting = new Gauge({ name: 'plugd_cni_shim_waiting', help: 'Shim requests waiting for a slot', registers });
    this.shimRejected = new Counter({ name: 'plugd_cni_shim_rejected_total', help: 'Shim requests answered CNI error 11 because every slot and queue place was taken', registers });
    this.delQueued = new Counter({ name: 'plugd_cni_del_queued_total', help: 'DELs written to the durable queue, by who queued them (host: a plugin was unavailable)', labelNames: ['by'] as const, registers });
    this.delQueueDepth = new Gauge({ name: 'plugd_cni_del_queue_entries', help: 'DELs waiting in the durable queue', registers });
    this.delReplayed = new Counter({ name: 'plugd_cni_del_replayed_total', help: 'Queued DELs replayed, by outcome (done, retry, dropped)', labelNames: ['outcome'] as const, registers });
  }
}
