/**
 * Test fixtures shaped like kube-scheduler's own (pkg/scheduler/testing st.MakePod/MakeNode,
 * noderesources makeNode, cache.NewSnapshot), so its test tables transcribe line for line.
 * Builds plain v1 JSON objects and runs them through extractPod/extractNode.
 */
import { extractPod, type PodSchedulingInfo } from '../pod.js';
import { nodeResources, type NodeResources } from './fit.js';
import { extractNode, type NodeSchedulingInfo } from './node.js';
import type { Profile } from '../framework.js';
import { SUCCESS, type Taint, type Toleration } from './types.js';

type Json = Record<string, unknown>;
type ResourceMap = Readonly<Record<string, string>>;

/** st.MakePod(): every Req() adds a container; SidecarReq() a restartPolicy Always init container. */
export class PodBuilder {
  readonly #containers: Json[] = [];
  readonly #initContainers: Json[] = [];
  readonly #spec: Json = {};
  readonly #meta: Json = { namespace: 'default', name: 'pod' };

  name(n: string): this {
    this.#meta['name'] = n;
    this.#meta['uid'] = n;
    return this;
  }
  node(n: string): this {
    this.#spec['nodeName'] = n;
    return this;
  }
  /** A container with these requests. */
  req(requests: ResourceMap): this {
    this.#containers.push({ name: `c${this.#containers.length}`, resources: { requests: { ...requests } } });
    return this;
  }
  /** A container with these ports (st.MakePod().ContainerPort(ports)). */
  containerPort(ports: readonly Json[]): this {
    this.#containers.push({ name: `c${this.#containers.length}`, ports: ports.map((p) => ({ ...p })) });
    return this;
  }
  /** A container running this image (st.MakePod().Container(image)). */
  image(image: string): this {
    this.#containers.push({ name: `c${this.#containers.length}`, image });
    return this;
  }
  /** An init container running this image. */
  initImage(image: string): this {
    this.#initContainers.push({ name: `i${this.#initContainers.length}`, image });
    return this;
  }
  /** A sidecar (restartPolicy Always init container) with these ports. */
  sidecarPort(ports: readonly Json[]): this {
    this.#initContainers.push({ name: `s${this.#initContainers.length}`, restartPolicy: 'Always', ports: ports.map((p) => ({ ...p })) });
    return this;
  }
  /** A container with no resources at all (st.MakePod().Container("container")). */
  container(): this {
    this.#containers.push({ name: `c${this.#containers.length}` });
    return this;
  }
  initReq(requests: ResourceMap): this {
    this.#initContainers.push({ name: `i${this.#initContainers.length}`, resources: { requests: { ...requests } } });
    return this;
  }
  sidecarReq(requests: ResourceMap): this {
    this.#initContainers.push({
      name: `s${this.#initContainers.length}`,
      restartPolicy: 'Always',
      resources: { requests: { ...requests } },
    });
    return this;
  }
  overhead(o: ResourceMap): this {
    this.#spec['overhead'] = { ...o };
    return this;
  }
  podLevelRequests(r: ResourceMap): this {
    this.#spec['resources'] = { requests: { ...r } };
    return this;
  }
  tolerations(t: readonly Partial<Toleration>[]): this {
    this.#spec['tolerations'] = t.map((x) => ({ ...x }));
    return this;
  }
  nodeSelector(s: ResourceMap): this {
    this.#spec['nodeSelector'] = { ...s };
    return this;
  }
  affinity(nodeAffinity: Json): this {
    this.#spec['affinity'] = { nodeAffinity };
    return this;
  }
  json(): Json {
    const spec: Json = { ...this.#spec, containers: this.#containers };
    if (this.#initContainers.length > 0) spec['initContainers'] = this.#initContainers;
    return { apiVersion: 'v1', kind: 'Pod', metadata: { ...this.#meta }, spec };
  }
  obj(opts?: { podLevelResources?: boolean }): PodSchedulingInfo {
    return extractPod(this.json(), opts);
  }
}

export function makePod(): PodBuilder {
  return new PodBuilder();
}

/** st.MakeNode().Name(n).Capacity(m): capacity and allocatable both set to m. */
export interface NodeExtras {
  readonly taints?: readonly Taint[];
  readonly labels?: ResourceMap;
  readonly unschedulable?: boolean;
  /** status.images (v1.ContainerImage: names, sizeBytes). */
  readonly images?: readonly { readonly names: readonly string[]; readonly sizeBytes: number }[];
}

export function makeNodeJson(name: string, capacity: ResourceMap = {}, extra: NodeExtras = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { ...(extra.labels ?? {}) } },
    spec: { taints: extra.taints ?? [], unschedulable: extra.unschedulable ?? false },
    status: {
      capacity: { ...capacity },
      allocatable: { ...capacity },
      ...(extra.images === undefined ? {} : { images: extra.images.map((i) => ({ names: [...i.names], sizeBytes: i.sizeBytes })) }),
    },
  };
}

export function makeNode(name: string, capacity: ResourceMap = {}): NodeSchedulingInfo {
  return extractNode(makeNodeJson(name, capacity));
}

/** noderesources' makeNode(name, milliCPU, memory, extended): cpu as a milli quantity. */
export function makeResourceNode(
  name: string,
  milliCPU: number,
  memory: number,
  extended: Readonly<Record<string, number>> = {},
): NodeSchedulingInfo {
  const capacity: Record<string, string> = { cpu: `${milliCPU}m`, memory: String(memory) };
  for (const [k, v] of Object.entries(extended)) capacity[k] = String(v);
  return makeNode(name, capacity);
}

/** cache.NewSnapshot(pods, nodes): each node's NodeInfo with the pods bound to it. */
export function snapshot(existing: readonly PodSchedulingInfo[], nodes: readonly NodeSchedulingInfo[]): Map<string, NodeResources> {
  const out = new Map<string, NodeResources>();
  for (const n of nodes) out.set(n.name, nodeResources(n.allocatable, existing.filter((p) => p.nodeName === n.name)));
  return out;
}

/** A profile with no plugin but a Binder that always binds, as framework_test's; `parts` override. */
export function testProfile(parts: Partial<Profile> = {}): Profile {
  return {
    schedulerName: 'test',
    percentageOfNodesToScore: 0,
    preFilter: [],
    filter: [],
    postFilter: [],
    preScore: [],
    score: [],
    reserve: [],
    permit: [],
    preBind: [],
    bind: [{ name: 'Binder', bind: () => SUCCESS }],
    postBind: [],
    ...parts,
  };
}
