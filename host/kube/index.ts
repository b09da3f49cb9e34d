/**
 * Cluster state from a real API server: `watchCluster(host, kubeConfig)` lists and watches
 * Nodes, Pods and Namespaces and feeds `host.cluster` (what the extender door and the
 * scheduling plugins' snapshots read) and a namespace label lookup. `plugd host --kubeconfig
 * FILE | --in-cluster` runs it. A module of its own: @kubernetes/client-node costs ~0.8 s to
 * import, which a host without a cluster should not pay.
 *
 *   const kc = loadKubeConfig({ kubeconfig: '/etc/plugd/kubeconfig' });
 *   const cluster = watchCluster(host, kc);
 *   await cluster.synced;               // initial lists applied; host /readyz follows it
 *   cluster.namespaces.labels('team-a');
 *   await cluster.stop();
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ClusterSource, PlugdHost } from '../host.js';
import { NamespaceStore, NodeFeed, PodFeed, type NamespaceLookup } from './cluster-feed.js';
import { Informer, type InformerHandlers, type InformerStatus } from './informer.js';
import { serverOf } from './kubeconfig.js';
import { KubeMetrics } from './metrics.js';

export { KubeError, KubeErrorCodes, isKubeError, type KubeErrorCode } from './errors.js';
export { loadKubeConfig, kubeConfigFromFile, inClusterConfig, SERVICE_ACCOUNT_ROOT, type KubeConfigSource, type InClusterOptions } from './kubeconfig.js';
export { Informer, type InformerOptions, type InformerHandlers, type InformerStatus } from './informer.js';
export { NamespaceStore, NodeFeed, PodFeed, type NamespaceLookup } from './cluster-feed.js';
export { listAll, type KubeObject, type KubeList } from './list.js';

export interface WatchClusterOptions {
  /** Default: the host's logger. */
  readonly logger?: Logger;
  /** Also watch Namespaces for `namespaces.labels()`. Default true. */
  readonly namespaces?: boolean;
  /** First retry delay after a failed list or watch; doubles per failure up to maxBackoffMs. Default 500 ms. */
  readonly initialBackoffMs?: number;
  /** Default 30 s. */
  readonly maxBackoffMs?: number;
  /** List page size. Default 500. */
  readonly pageSize?: number;
  /** Watch requests ask the server to close after [min, 2·min) seconds. Default 300. */
  readonly minWatchTimeoutSeconds?: number;
}

export interface ClusterWatch {
  /** Resolves once Nodes, Pods (and Namespaces) have each been listed and applied. Never rejects: failures retry. */
  readonly synced: Promise<void>;
  readonly hasSynced: boolean;
  /** Namespace labels as last listed/watched (empty until synced). */
  readonly namespaces: NamespaceLookup;
  status(): InformerStatus[];
  /** Stops every list and watch; nothing reaches host.cluster afterwards. */
  stop(): Promise<void>;
}

/** What watchCluster needs of the host (PlugdHost satisfies it). */
export type ClusterHost = Pick<PlugdHost, 'cluster' | 'logger' | 'metrics' | 'addClusterSource'>;

export function watchCluster(host: ClusterHost, kubeConfig: KubeConfig, opts: WatchClusterOptions = {}): ClusterWatch {
  const logger = (opts.logger ?? host.logger).child({ component: 'kube' });
  const metrics = new KubeMetrics(host.metrics.registry);
  const namespaces = new NamespaceStore();
  const resources: Array<[string, string, InformerHandlers]> = [
    ['nodes', '/api/v1/nodes', new NodeFeed(host.cluster)],
    ['pods', '/api/v1/pods', new PodFeed(host.cluster)],
  ];
  if (opts.namespaces ?? true) resources.push(['namespaces', '/api/v1/namespaces', namespaces]);
  const informers = resources.map(([resource, path, handlers]) => new Informer({
    kubeConfig, resource, path, handlers, logger, metrics,
    initialBackoffMs: opts.initialBackoffMs, maxBackoffMs: opts.maxBackoffMs, pageSize: opts.pageSize, minWatchTimeoutSeconds: opts.minWatchTimeoutSeconds,
  }));
  const source: ClusterSource = {
    name: `kube-apiserver ${serverOf(kubeConfig)}`,
    get synced() {
      return informers.every((i) => i.hasSynced);
    },
    status: () => ({ server: serverOf(kubeConfig), resources: informers.map((i) => i.status()) }),
  };
  const detach = host.addClusterSource(source);
  logger.info({ server: serverOf(kubeConfig), resources: informers.map((i) => i.resource) }, `watching ${informers.map((i) => i.resource).join(', ')} at ${serverOf(kubeConfig)}`);
  for (const i of informers) i.start();
  const synced = Promise.all(informers.map((i) => i.synced)).then(() => {
    const c = host.cluster.counts();
    logger.info({ nodes: c.nodes, pods: c.pods, generation: host.cluster.generation }, `cluster state synced: ${c.nodes} nodes, ${c.pods} pods`);
  });
  let stopped: Promise<void> | undefined;
  return {
    synced,
    get hasSynced() {
      return source.synced;
    },
    namespaces,
    status: () => informers.map((i) => i.status()),
    stop: () => {
      stopped ??= Promise.all(informers.map((i) => i.stop())).then(() => {
        detach();
      });
      return stopped;
    },
  };
}
