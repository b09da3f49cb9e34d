/**
 * The scheduler's view of the cluster (kube-scheduler's cache): nodes, and pods bound, assumed
 * or removed, with each node's requested / non-zero-requested totals, pod count and used host
 * ports kept incrementally, and how many nodes hold each container image. NodeInfo objects are
 * immutable and replaced on every change, so a snapshot is an array of references and a
 * scheduling cycle never sees a half-applied change.
 */
import { isTrackedResource, type NodeResources } from './builtins/fit.js';
import { extractNode, type NodeSchedulingInfo } from './builtins/node.js';
import { NO_HOST_PORTS, withHostPorts, type HostPortInfo } from './builtins/ports.js';
import type { NonZeroRequest, PodSchedulingInfo } from './pod.js';

/** One node as a cycle sees it: the node and its NodeInfo accounting (fit.ts NodeResources). */
export interface NodeInfo extends NodeResources {
  readonly name: string;
  readonly node: NodeSchedulingInfo;
  /** NodeInfo.UsedPorts: the host ports the node's pods (bound and assumed) hold. */
  readonly usedPorts: HostPortInfo;
  /** The cluster-state generation at which this node's info last changed. */
  readonly generation: number;
}

/** An immutable view of the nodes at one generation, in the order the nodes were added. */
export interface ClusterSnapshot {
  readonly generation: number;
  readonly nodes: readonly NodeInfo[];
  /** name → node, for PreFilter results and bind targets. */
  get(name: string): NodeInfo | undefined;
  /**
   * Image name → how many of the snapshot's nodes list it in status.images (kube's
   * ImageStateSummary.NumNodes, for ImageLocality's spread). Names no node lists are absent.
   */
  readonly imageNodes: ReadonlyMap<string, number>;
  /**
   * The names of the nodes (or node-less entries) that changed after `generation` up to this
   * snapshot's, in order, possibly repeated; undefined when the state no longer remembers that
   * far back (then compare whole snapshots). What lets a delta cost O(changes), not O(nodes).
   */
  changedSince(generation: number): readonly string[] | undefined;
  /** The ClusterState the snapshot was taken of (generations compare only within one). */
  readonly source: object;
}

/** How many node changes a ClusterState remembers for changedSince (older asks get undefined). */
export const CHANGE_JOURNAL = 16_384;

export type PodPhase = 'bound' | 'assumed';

/** A pod the state accounts for. */
export interface TrackedPod {
  readonly key: string;
  readonly pod: PodSchedulingInfo;
  readonly nodeName: string;
  readonly phase: PodPhase;
}

/** A state transition the cache refuses (assuming a pod twice, binding one never assumed, …). */
export class ClusterStateError extends Error {
  readonly code = 'PLUGD_ERR_CLUSTER_STATE' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ClusterStateError';
  }
}

/** The key a pod is tracked by: its uid, or namespace/name when it has none (hand-written fixtures). */
export function podKey(pod: Pick<PodSchedulingInfo, 'uid' | 'namespace' | 'name'>): string {
  return pod.uid.length > 0 ? pod.uid : `${pod.namespace}/${pod.name}`;
}

interface Aggregate {
  readonly name: string;
  node: NodeSchedulingInfo | undefined;
  requested: Map<string, number>;
  nonZero: { milliCPU: number; memory: number };
  pods: Set<string>;
  ports: HostPortInfo;
  info: NodeInfo | undefined;
}

const ZERO_NON_ZERO: NonZeroRequest = Object.freeze({ milliCPU: 0, memory: 0 });

export class ClusterState {
  // Keyed by node name; an entry may exist without a node (pods bound to a node not yet seen,
  // or whose node was removed), as kube's cache keeps such "imaginary" nodes.
  readonly #nodes = new Map<string, Aggregate>();
  readonly #pods = new Map<string, TrackedPod>();
  #generation = 0;
  #snapshot: ClusterSnapshot | undefined;
  // Incremental snapshots (kube's UpdateSnapshot): while no node joins or leaves, the next
  // snapshot is the last one's array with the changed nodes' infos swapped in, and name → index
  // lookups share one map. A scheduling cycle changes one node (the assumed pod's), so copying
  // 5000 references beats rebuilding 5000 map entries by two orders of magnitude.
  #position = new Map<string, number>();
  #dirty = new Set<Aggregate>();
  #membershipChanged = true;
  // The change journal: the node name changed at each generation, oldest first, trimmed by
  // halves; #journalFloor is the newest generation changedSince can no longer answer for.
  #journalNames: string[] = [];
  #journalGens: number[] = [];
  #journalFloor = 0;
  // Image name → nodes listing it. Copied on write once a snapshot holds it, so a snapshot's
  // counts stay those of its generation; image lists change rarely (node add/remove, pulls).
  #imageNodes = new Map<string, number>();
  #imageNodesShared = false;

  /** Bumped on every change; a snapshot carries the generation it was taken at. */
  get generation(): number {
    return this.#generation;
  }

  // ---- nodes

  /** Adds a node, from a v1 Node object or an extracted one. Replaces a node of the same name. */
  addNode(node: NodeSchedulingInfo | object): NodeInfo {
    const n = isExtracted(node) ? node : extractNode(node);
    const agg = this.#aggregate(n.name);
    if (agg.node === undefined || !sameImages(agg.node.images, n.images)) {
      if (agg.node !== undefined) this.#countImages(agg.node.images, -1);
      this.#countImages(n.images, 1);
    }
    agg.node = n;
    return this.#changed(agg) as NodeInfo;
  }

  /** updateNode is addNode: the node's pods and totals are kept. */
  updateNode(node: NodeSchedulingInfo | object): NodeInfo {
    return this.addNode(node);
  }

  /** Removes a node; its pods stay accounted for until they are removed. Returns whether it existed. */
  removeNode(name: string): boolean {
    const agg = this.#nodes.get(name);
    if (agg?.node === undefined) return false;
    this.#countImages(agg.node.images, -1);
    agg.node = undefined;
    this.#changed(agg);
    if (agg.pods.size === 0) this.#nodes.delete(name);
    return true;
  }

  node(name: string): NodeInfo | undefined {
    return this.#nodes.get(name)?.info;
  }

  // ---- pods

  /** A pod that is already running: spec.nodeName must be set. */
  addPod(pod: PodSchedulingInfo): void {
    if (pod.nodeName.length === 0) throw new ClusterStateError(`pod ${pod.namespace}/${pod.name} has no spec.nodeName: it is not bound`);
    const key = podKey(pod);
    if (this.#pods.has(key)) throw new ClusterStateError(`pod ${key} is already in the cluster state`);
    this.#place(key, pod, pod.nodeName, 'bound');
  }

  /** Accounts a pod on a node before it is bound (scheduler cache AssumePod). */
  assume(pod: PodSchedulingInfo, nodeName: string): void {
    const key = podKey(pod);
    if (this.#pods.has(key)) throw new ClusterStateError(`pod ${key} is already in the cluster state`);
    this.#place(key, pod, nodeName, 'assumed');
  }

  /** Undoes assume (ForgetPod). */
  forget(key: string): void {
    const p = this.#pods.get(key);
    if (p === undefined || p.phase !== 'assumed') throw new ClusterStateError(`pod ${key} is not assumed`);
    this.#unplace(p);
  }

  /** An assumed pod's binding succeeded (FinishBinding + the informer's confirmation). */
  bind(key: string): void {
    const p = this.#pods.get(key);
    if (p === undefined || p.phase !== 'assumed') throw new ClusterStateError(`pod ${key} is not assumed`);
    this.#pods.set(key, { ...p, phase: 'bound' });
    this.#generation++;
  }

  /** A pod was deleted (bound or assumed). Returns whether it was tracked. */
  removePod(key: string): boolean {
    const p = this.#pods.get(key);
    if (p === undefined) return false;
    this.#unplace(p);
    return true;
  }

  pod(key: string): TrackedPod | undefined {
    return this.#pods.get(key);
  }

  /** How many nodes and pods (bound, assumed) the state holds: for status pages, not for cycles. */
  counts(): { nodes: number; pods: number; assumed: number } {
    let nodes = 0;
    for (const agg of this.#nodes.values()) if (agg.node !== undefined) nodes++;
    let assumed = 0;
    for (const p of this.#pods.values()) if (p.phase === 'assumed') assumed++;
    return { nodes, pods: this.#pods.size, assumed };
  }

  // ---- snapshots

  /** The nodes (not the node-less entries) at the current generation; cached until the next change. */
  snapshot(): ClusterSnapshot {
    const last = this.#snapshot;
    if (last?.generation === this.#generation) return last;
    let nodes: NodeInfo[];
    if (last === undefined || this.#membershipChanged) {
      nodes = [];
      this.#position = new Map();
      for (const agg of this.#nodes.values()) {
        if (agg.info === undefined) continue;
        this.#position.set(agg.info.name, nodes.length);
        nodes.push(agg.info);
      }
    } else {
      nodes = last.nodes.slice();
      for (const agg of this.#dirty) nodes[this.#position.get((agg.info as NodeInfo).name) as number] = agg.info as NodeInfo;
    }
    this.#dirty.clear();
    this.#membershipChanged = false;
    const position = this.#position;
    const generation = this.#generation;
    const imageNodes = this.#imageNodes;
    this.#imageNodesShared = true;
    this.#snapshot = {
      generation,
      nodes,
      get: (name) => {
        const i = position.get(name);
        return i === undefined ? undefined : nodes[i];
      },
      imageNodes,
      changedSince: (from) => this.#changedSince(from, generation),
      source: this,
    };
    return this.#snapshot;
  }

  #changedSince(from: number, to: number): readonly string[] | undefined {
    if (from < this.#journalFloor || from > to) return undefined;
    const gens = this.#journalGens;
    // First entry after `from` (binary search: generations only grow).
    let lo = 0;
    let hi = gens.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((gens[mid] as number) <= from) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < gens.length && (gens[i] as number) <= to; i++) out.push(this.#journalNames[i] as string);
    return out;
  }

  #countImages(images: ReadonlyMap<string, number>, sign: 1 | -1): void {
    if (images.size === 0) return;
    if (this.#imageNodesShared) {
      this.#imageNodes = new Map(this.#imageNodes);
      this.#imageNodesShared = false;
    }
    for (const name of images.keys()) {
      const next = (this.#imageNodes.get(name) ?? 0) + sign;
      if (next > 0) this.#imageNodes.set(name, next);
      else this.#imageNodes.delete(name);
    }
  }

  #journal(name: string): void {
    this.#journalNames.push(name);
    this.#journalGens.push(this.#generation);
    if (this.#journalNames.length > 2 * CHANGE_JOURNAL) {
      this.#journalFloor = this.#journalGens[CHANGE_JOURNAL - 1] as number;
      this.#journalNames = this.#journalNames.slice(CHANGE_JOURNAL);
      this.#journalGens = this.#journalGens.slice(CHANGE_JOURNAL);
    }
  }

  #aggregate(name: string): Aggregate {
    let agg = this.#nodes.get(name);
    if (agg === undefined) {
      agg = { name, node: undefined, requested: new Map(), nonZero: { milliCPU: 0, memory: 0 }, pods: new Set(), ports: NO_HOST_PORTS, info: undefined };
      this.#nodes.set(name, agg);
    }
    return agg;
  }

  #place(key: string, pod: PodSchedulingInfo, nodeName: string, phase: PodPhase): void {
    const agg = this.#aggregate(nodeName);
    this.#account(agg, pod, 1);
    agg.pods.add(key);
    this.#pods.set(key, { key, pod, nodeName, phase });
    this.#changed(agg);
  }

  #unplace(p: TrackedPod): void {
    const agg = this.#nodes.get(p.nodeName);
    this.#pods.delete(p.key);
    if (agg === undefined) return;
    this.#account(agg, p.pod, -1);
    agg.pods.delete(p.key);
    this.#changed(agg);
    if (agg.node === undefined && agg.pods.size === 0) this.#nodes.delete(p.nodeName);
  }

  /** NodeInfo.AddPod / RemovePod arithmetic: tracked resources, non-zero cpu/memory, host ports. */
  #account(agg: Aggregate, pod: PodSchedulingInfo, sign: 1 | -1): void {
    for (const [name, v] of pod.requests) {
      if (!isTrackedResource(name)) continue;
      const next = (agg.requested.get(name) ?? 0) + sign * v;
      if (next === 0) agg.requested.delete(name);
      else agg.requested.set(name, next);
    }
    agg.nonZero.milliCPU += sign * pod.nonZero.milliCPU;
    agg.nonZero.memory += sign * pod.nonZero.memory;
    agg.ports = withHostPorts(agg.ports, pod.hostPorts, sign);
  }

  #changed(agg: Aggregate): NodeInfo | undefined {
    this.#generation++;
    this.#journal(agg.name);
    const node = agg.node;
    if ((agg.info === undefined) !== (node === undefined)) this.#membershipChanged = true;
    else if (node !== undefined) this.#dirty.add(agg);
    agg.info =
      node === undefined
        ? undefined
        : Object.freeze({
            name: node.name,
            node,
            generation: this.#generation,
            allocatable: node.allocatable,
            requested: new Map(agg.requested),
            nonZeroRequested: agg.pods.size === 0 ? ZERO_NON_ZERO : Object.freeze({ ...agg.nonZero }),
            podCount: agg.pods.size,
            usedPorts: agg.ports,
          });
    return agg.info;
  }
}

/**
 * `info` as it would be without `pods` (kube's NodeInfo.RemovePod on a clone, as preemption's
 * dry run uses): their tracked requests, non-zero requests, count and host ports taken off. The pods must
 * be ones the state accounts on that node; the state itself is not touched.
 */
export function nodeInfoWithout(info: NodeInfo, pods: readonly PodSchedulingInfo[]): NodeInfo {
  if (pods.length === 0) return info;
  const requested = new Map(info.requested);
  let { milliCPU, memory } = info.nonZeroRequested;
  let usedPorts = info.usedPorts;
  for (const pod of pods) {
    usedPorts = withHostPorts(usedPorts, pod.hostPorts, -1);
    for (const [name, v] of pod.requests) {
      if (!isTrackedResource(name)) continue;
      const next = (requested.get(name) ?? 0) - v;
      if (next === 0) requested.delete(name);
      else requested.set(name, next);
    }
    milliCPU -= pod.nonZero.milliCPU;
    memory -= pod.nonZero.memory;
  }
  const podCount = info.podCount - pods.length;
  return Object.freeze({ ...info, requested, nonZeroRequested: podCount === 0 ? ZERO_NON_ZERO : Object.freeze({ milliCPU, memory }), podCount, usedPorts });
}

function sameImages(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const name of a.keys()) if (!b.has(name)) return false;
  return true;
}

function isExtracted(n: NodeSchedulingInfo | object): n is NodeSchedulingInfo {
  return 'allocatable' in n && (n as { allocatable: unknown }).allocatable instanceof Map;
}
