/**
 * What the informers do with Nodes, Pods and Namespaces: nodes and the pods bound to them go
 * into the scheduling side's ClusterState (kube-scheduler's cache event handlers), namespaces
 * into a label lookup for admission's namespaceSelector. Changes that do not touch what
 * scheduling reads (a node's heartbeat, a pod's container statuses) leave the state alone, so
 * they cost the plugins no snapshot delta.
 */
import { extractNode, type NodeSchedulingInfo } from '../scheduling/builtins/node.js';
import { podKey, type ClusterState } from '../scheduling/cluster-state.js';
import { extractPod, type PodSchedulingInfo } from '../scheduling/pod.js';
import type { InformerHandlers } from './informer.js';
import type { KubeObject } from './list.js';

/** Labels by namespace name, for admission's namespaceSelector (the admission chain's NamespaceLookup). */
export interface NamespaceLookup {
  labels(namespace: string): Readonly<Record<string, string>> | undefined;
}

function meta(obj: KubeObject): { name: string; namespace: string; uid: string } {
  const m = obj.metadata;
  if (m === undefined || typeof m.name !== 'string' || m.name.length === 0) throw new TypeError('metadata.name is missing');
  return { name: m.name, namespace: m.namespace ?? '', uid: m.uid ?? '' };
}

function sameMap(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] === a[k]);
}

/** Equal in everything NodeInfo and the plugins' wire Node carry (status.images included: ImageLocality reads them). */
export function sameNode(a: NodeSchedulingInfo, b: NodeSchedulingInfo): boolean {
  return a.name === b.name && a.unschedulable === b.unschedulable && sameMap(a.allocatable, b.allocatable) && sameMap(a.images, b.images) && sameRecord(a.labels, b.labels) &&
    a.taints.length === b.taints.length && a.taints.every((t, i) => t.key === b.taints[i]!.key && t.value === b.taints[i]!.value && t.effect === b.taints[i]!.effect);
}

/** Equal in what a pod adds to its node's accounting. */
function sameAccounting(a: PodSchedulingInfo, b: PodSchedulingInfo): boolean {
  return a.nodeName === b.nodeName && a.nonZero.milliCPU === b.nonZero.milliCPU && a.nonZero.memory === b.nonZero.memory && sameMap(a.requests, b.requests);
}

export class NodeFeed implements InformerHandlers {
  readonly #cluster: ClusterState;

  constructor(cluster: ClusterState) {
    this.#cluster = cluster;
  }

  upsert(obj: KubeObject): void {
    meta(obj);
    const node = extractNode(obj);
    const have = this.#cluster.node(node.name);
    if (have !== undefined && sameNode(have.node, node)) return;
    this.#cluster.addNode(node);
  }

  remove(obj: KubeObject): void {
    this.#cluster.removeNode(meta(obj).name);
  }
}

/** Succeeded and Failed pods hold no resources: kube-scheduler's cache drops them too. */
function isTerminal(obj: KubeObject): boolean {
  const phase = (obj['status'] as { phase?: unknown } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export class PodFeed implements InformerHandlers {
  readonly #cluster: ClusterState;
  // namespace/name → the key tracked for it: a pod deleted and re-created under the same name
  // while the watch was down comes back from the relist as an update with a new uid.
  readonly #byName = new Map<string, string>();

  constructor(cluster: ClusterState) {
    this.#cluster = cluster;
  }

  upsert(obj: KubeObject): void {
    const m = meta(obj);
    const ref = `${m.namespace}/${m.name}`;
    const key = podKey(m);
    const previous = this.#byName.get(ref);
    if (previous !== undefined && previous !== key) {
      this.#cluster.removePod(previous);
      this.#byName.delete(ref);
    }
    const tracked = this.#cluster.pod(key);
    if (isTerminal(obj)) {
      if (tracked !== undefined) this.#cluster.removePod(key);
      this.#byName.delete(ref);
      return;
    }
    const pod = extractPod(obj);
    // Pending: the scheduler's business (it may hold it assumed while its binding is in flight).
    if (pod.nodeName.length === 0) return;
    this.#byName.set(ref, key);
    if (tracked === undefined) {
      this.#cluster.addPod(pod);
      return;
    }
    if (tracked.phase === 'assumed' && tracked.nodeName === pod.nodeName) {
      // The API server confirms the scheduler's binding (kube's cache: AddPod of an assumed pod).
      this.#cluster.bind(key);
      if (sameAccounting(tracked.pod, pod)) return;
    } else if (tracked.phase === 'bound' && sameAccounting(tracked.pod, pod)) return;
    // Bound elsewhere than assumed, moved, or resized: account it where the API server says.
    this.#cluster.removePod(key);
    this.#cluster.addPod(pod);
  }

  remove(obj: KubeObject): void {
    const m = meta(obj);
    const ref = `${m.namespace}/${m.name}`;
    const key = this.#byName.get(ref) ?? podKey(m);
    this.#byName.delete(ref);
    this.#cluster.removePod(key);
  }
}

export class NamespaceStore implements InformerHandlers, NamespaceLookup {
  readonly #labels = new Map<string, Readonly<Record<string, string>>>();

  labels(namespace: string): Readonly<Record<string, string>> | undefined {
    return this.#labels.get(namespace);
  }

  get size(): number {
    return this.#labels.size;
  }

  upsert(obj: KubeObject): void {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj.metadata?.labels ?? {})) if (typeof v === 'string') labels[k] = v;
    this.#labels.set(meta(obj).name, Object.freeze(labels));
  }

  remove(obj: KubeObject): void {
    this.#labels.delete(meta(obj).name);
  }
}
