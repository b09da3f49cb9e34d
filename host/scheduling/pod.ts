/**
 * What the built-in scheduling plugins need from a core/v1 Pod, extracted once per pod:
 * effective resource requests computed as k8s.io/component-helpers/resource.PodRequests does
 * (containers summed, init containers as a running max, sidecars with restartPolicy Always
 * added as in KEP-753, pod-level requests, overhead), kube-scheduler's "non-zero" variants,
 * tolerations, nodeSelector, node affinity, spec.nodeName, host ports and container images.
 */
import { normalizedImageName } from './builtins/images.js';
import { isQualifiedName } from './builtins/labels.js';
import { hostPort, type HostPort } from './builtins/ports.js';
import type {
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PreferredSchedulingTerm,
  Toleration,
} from './builtins/types.js';
import {
  addQuantities,
  compareQuantities,
  parseQuantity,
  quantityMilliValue,
  quantityValue,
  QuantityError,
  ZERO_QUANTITY,
  type Quantity,
} from './quantity.js';

export const ResourceCPU = 'cpu';
export const ResourceMemory = 'memory';
export const ResourceEphemeralStorage = 'ephemeral-storage';
export const ResourcePods = 'pods';

/** schedutil.DefaultMilliCPURequest: what a container with no cpu request counts as (100m). */
export const DefaultMilliCPURequest = 100;
/** schedutil.DefaultMemoryRequest: what a container with no memory request counts as (200 MiB). */
export const DefaultMemoryRequest = 200 * 1024 * 1024;

const HUGEPAGES_PREFIX = 'hugepages-';
const ATTACHABLE_VOLUMES_PREFIX = 'attachable-volumes-';
const DEFAULT_NAMESPACE_PREFIX = 'kubernetes.io/';
const REQUESTS_PREFIX = 'requests.';

/** In the kubernetes.io/ namespace, or unprefixed (v1helper.IsNativeResource). */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes(DEFAULT_NAMESPACE_PREFIX);
}

/** A device-plugin style resource such as nvidia.com/gpu (v1helper.IsExtendedResourceName). */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith(REQUESTS_PREFIX)) return false;
  return isQualifiedName(REQUESTS_PREFIX + name).length === 0;
}

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith(HUGEPAGES_PREFIX);
}

/**
 * Extended, hugepages-*, *kubernetes.io/* and attachable-volumes-* resources: the ones
 * kube-scheduler tracks in Resource.ScalarResources (schedutil.IsScalarResourceName).
 */
export function isScalarResourceName(name: string): boolean {
  return (
    isExtendedResourceName(name) ||
    isHugePageResourceName(name) ||
    name.includes(DEFAULT_NAMESPACE_PREFIX) ||
    name.startsWith(ATTACHABLE_VOLUMES_PREFIX)
  );
}

/** The integer kube-scheduler keeps for a resource: millicores for cpu, base units otherwise. */
export function resourceValue(name: string, q: Quantity, label?: string): number {
  return name === ResourceCPU ? quantityMilliValue(q, label) : quantityValue(q, label);
}

/** A malformed Pod: names the JSON path and keeps the underlying error as `cause`. */
export class PodSpecError extends Error {
  readonly code = 'PLUGD_ERR_POD_INVALID' as const;
  readonly path: string;
  constructor(path: string, message: string, cause?: unknown) {
    super(`${path}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'PodSpecError';
    this.path = path;
  }
}

export type ResourceList = ReadonlyMap<string, Quantity>;

interface ContainerRequests {
  readonly requests: ResourceList;
  readonly restartAlways: boolean;
}

/** The parts of a PodSpec that resource arithmetic reads, parsed to exact quantities. */
export interface PodResourceSpec {
  readonly containers: readonly ContainerRequests[];
  readonly initContainers: readonly ContainerRequests[];
  /** spec.resources.requests (pod-level resources), when given. */
  readonly podLevelRequests: ResourceList | undefined;
  /** spec.overhead, when given. */
  readonly overhead: ResourceList | undefined;
}

export interface PodRequestsOptions {
  /** Honour spec.resources (PodLevelResources, beta and on by default since kube 1.34). Default true. */
  readonly podLevelResources?: boolean;
  /** Leave spec.overhead out. Default false. */
  readonly excludeOverhead?: boolean;
  /** Substitutes for resources a container does not list at all (an explicit "0" is kept). */
  readonly nonMissingContainerRequests?: ResourceList;
}

function addInto(list: Map<string, Quantity>, add: ResourceList): void {
  for (const [name, q] of add) {
    const have = list.get(name);
    list.set(name, have === undefined ? q : addQuantities(have, q));
  }
}

function maxInto(list: Map<string, Quantity>, other: ResourceList): void {
  for (const [name, q] of other) {
    const have = list.get(name);
    if (have === undefined || compareQuantities(q, have) > 0) list.set(name, q);
  }
}

function applyNonMissing(requests: ResourceList, nonMissing: ResourceList): ResourceList {
  const out = new Map(requests);
  for (const [name, q] of nonMissing) if (!requests.has(name)) out.set(name, q);
  return out;
}

const POD_LEVEL_NAMES = new Set([ResourceCPU, ResourceMemory]);

function isSupportedPodLevelResource(name: string): boolean {
  return POD_LEVEL_NAMES.has(name) || name.startsWith(HUGEPAGES_PREFIX);
}

function isPodLevelRequestsSet(spec: PodResourceSpec): boolean {
  if (spec.podLevelRequests === undefined) return false;
  for (const name of spec.podLevelRequests.keys()) if (isSupportedPodLevelResource(name)) return true;
  return false;
}

/**
 * resourcehelper.PodRequests without status resources: regular containers summed; each init
 * container needs its own requests plus every earlier sidecar's; sidecars (restartPolicy
 * Always) also add to the running total; the result is max(total, neediest init step); then
 * pod-level cpu/memory/hugepages requests replace the aggregate, and overhead is added.
 */
export function podRequests(spec: PodResourceSpec, opts: PodRequestsOptions = {}): Map<string, Quantity> {
  const nonMissing = opts.nonMissingContainerRequests;
  const withDefaults = (r: ResourceList): ResourceList =>
    nonMissing !== undefined && nonMissing.size > 0 ? applyNonMissing(r, nonMissing) : r;

  const result = new Map<string, Quantity>();
  for (const c of spec.containers) addInto(result, withDefaults(c.requests));

  const sidecars = new Map<string, Quantity>();
  const initMax = new Map<string, Quantity>();
  for (const c of spec.initContainers) {
    const requests = withDefaults(c.requests);
    if (c.restartAlways) {
      addInto(result, requests);
      addInto(sidecars, requests);
      maxInto(initMax, sidecars);
    } else {
      const combined = new Map(requests);
      addInto(combined, sidecars);
      maxInto(initMax, combined);
    }
  }
  maxInto(result, initMax);

  if ((opts.podLevelResources ?? true) && isPodLevelRequestsSet(spec) && spec.podLevelRequests !== undefined) {
    for (const [name, q] of spec.podLevelRequests) if (isSupportedPodLevelResource(name)) result.set(name, q);
  }
  if (!opts.excludeOverhead && spec.overhead !== undefined) addInto(result, spec.overhead);
  return result;
}

const DEFAULT_NON_MISSING: ResourceList = new Map([
  [ResourceCPU, { unscaled: BigInt(DefaultMilliCPURequest), scale: 3, format: 'DecimalSI' }],
  [ResourceMemory, { unscaled: BigInt(DefaultMemoryRequest), scale: 0, format: 'DecimalSI' }],
]);

/** What a pod contributes to a node's NonZeroRequested (framework PodInfo.calculateResource). */
export interface NonZeroRequest {
  readonly milliCPU: number;
  readonly memory: number;
}

/** Everything the built-in plugins read from one pod. */
export interface PodSchedulingInfo {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** spec.nodeName; '' when unset (pending). */
  readonly nodeName: string;
  /** Effective requests (PodRequests): cpu in millicores, the rest in base units; a key per listed resource. */
  readonly requests: ReadonlyMap<string, number>;
  /**
   * Requests with 100m cpu / 200 MiB memory substituted for every container that omits them:
   * what the NodeResourcesFit scorers count for the incoming pod (calculatePodResourceRequest).
   */
  readonly nonZeroRequests: ReadonlyMap<string, number>;
  /** What this pod adds to a node's NonZeroRequested once bound or assumed. */
  readonly nonZero: NonZeroRequest;
  /** Some init container has restartPolicy Always (a sidecar). */
  readonly hasRestartableInitContainer: boolean;
  readonly tolerations: readonly Toleration[];
  /** spec.nodeSelector; undefined when absent (an empty object is kept: it is not nil to kube). */
  readonly nodeSelector: Readonly<Record<string, string>> | undefined;
  /** spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, when set. */
  readonly requiredNodeAffinity: NodeSelector | undefined;
  /** spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution, when set. */
  readonly preferredNodeAffinity: readonly PreferredSchedulingTerm[] | undefined;
  /**
   * schedutil.GetHostPorts: the host ports (> 0) of sidecar init containers (restartPolicy
   * Always), then of containers, with kube's defaults applied (hostIP 0.0.0.0, protocol TCP).
   */
  readonly hostPorts: readonly HostPort[];
  /** normalizedImageName of every init container's image, then every container's (ImageLocality). */
  readonly images: readonly string[];
  /** The parsed resource spec, for callers that need other PodRequests variants. */
  readonly resources: PodResourceSpec;
}

export interface ExtractPodOptions {
  /** PodLevelResources feature gate (default true, as in kube ≥ 1.34). */
  readonly podLevelResources?: boolean;
}

// ---- JSON reading: defensive, with paths in every error ----

type JsonObject = { readonly [key: string]: unknown };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objectAt(v: unknown, path: string): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new PodSpecError(path, `expected an object, got ${describe(v)}`);
  return v;
}

function arrayAt(v: unknown, path: string): readonly unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new PodSpecError(path, `expected an array, got ${describe(v)}`);
  return v;
}

function stringAt(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new PodSpecError(path, `expected a string, got ${describe(v)}`);
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? JSON.stringify(v) : typeof v;
}

function resourceListAt(v: unknown, path: string): Map<string, Quantity> | undefined {
  const o = objectAt(v, path);
  if (o === undefined) return undefined;
  const out = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(o)) {
    const at = `${path}.${name}`;
    // Quantity.UnmarshalJSON takes strings and bare JSON numbers alike.
    let text: string;
    if (typeof raw === 'string') text = raw;
    else if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
    else throw new PodSpecError(at, `expected a quantity, got ${describe(raw)}`);
    try {
      out.set(name, parseQuantity(text));
    } catch (err) {
      if (err instanceof QuantityError) throw new PodSpecError(at, err.message, err);
      throw err;
    }
  }
  return out;
}

function containersAt(v: unknown, path: string): ContainerRequests[] {
  const list = arrayAt(v, path) ?? [];
  return list.map((raw, i) => {
    const at = `${path}[${i}]`;
    const c = objectAt(raw, at) ?? {};
    const resources = objectAt(c['resources'], `${at}.resources`);
    const requests = resourceListAt(resources?.['requests'], `${at}.resources.requests`) ?? new Map();
    return { requests, restartAlways: stringAt(c['restartPolicy'], `${at}.restartPolicy`) === 'Always' };
  });
}

function integerAt(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new PodSpecError(path, `expected an integer, got ${describe(v)}`);
  return v;
}

/** GetHostPorts and the containers' images, in one pass over spec.initContainers and spec.containers. */
function hostPortsAndImagesAt(spec: JsonObject): { hostPorts: HostPort[]; images: string[] } {
  const hostPorts: HostPort[] = [];
  const images: string[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    (arrayAt(spec[field], `spec.${field}`) ?? []).forEach((raw, i) => {
      const at = `spec.${field}[${i}]`;
      const c = objectAt(raw, at) ?? {};
      images.push(normalizedImageName(stringAt(c['image'], `${at}.image`)));
      // Only init containers running for the pod's whole life (sidecars) hold their ports.
      if (field === 'initContainers' && c['restartPolicy'] !== 'Always') return;
      (arrayAt(c['ports'], `${at}.ports`) ?? []).forEach((rawPort, j) => {
        const pat = `${at}.ports[${j}]`;
        const p = objectAt(rawPort, pat) ?? {};
        const port = integerAt(p['hostPort'], `${pat}.hostPort`);
        if (port > 0) hostPorts.push(hostPort(stringAt(p['hostIP'], `${pat}.hostIP`), stringAt(p['protocol'], `${pat}.protocol`), port));
      });
    });
  }
  return { hostPorts, images };
}

function stringsAt(v: unknown, path: string): string[] {
  return (arrayAt(v, path) ?? []).map((s, i) => stringAt(s, `${path}[${i}]`));
}

function requirementsAt(v: unknown, path: string): NodeSelectorRequirement[] {
  return (arrayAt(v, path) ?? []).map((raw, i) => {
    const at = `${path}[${i}]`;
    const r = objectAt(raw, at) ?? {};
    return {
      key: stringAt(r['key'], `${at}.key`),
      operator: stringAt(r['operator'], `${at}.operator`),
      values: stringsAt(r['values'], `${at}.values`),
    };
  });
}

function termAt(v: unknown, path: string): NodeSelectorTerm {
  const t = objectAt(v, path) ?? {};
  return {
    matchExpressions: requirementsAt(t['matchExpressions'], `${path}.matchExpressions`),
    matchFields: requirementsAt(t['matchFields'], `${path}.matchFields`),
  };
}

/** Reads a v1.NodeSelector (as found in a pod or in NodeAffinityArgs); undefined when nil. */
export function nodeSelectorFromJson(v: unknown, path: string): NodeSelector | undefined {
  const ns = objectAt(v, path);
  if (ns === undefined) return undefined;
  const terms = arrayAt(ns['nodeSelectorTerms'], `${path}.nodeSelectorTerms`) ?? [];
  return { nodeSelectorTerms: terms.map((t, i) => termAt(t, `${path}.nodeSelectorTerms[${i}]`)) };
}

/** Reads []v1.PreferredSchedulingTerm; undefined when nil. */
export function preferredTermsFromJson(v: unknown, path: string): PreferredSchedulingTerm[] | undefined {
  const list = arrayAt(v, path);
  if (list === undefined) return undefined;
  return list.map((raw, i) => {
    const at = `${path}[${i}]`;
    const p = objectAt(raw, at) ?? {};
    const weight = p['weight'] ?? 0;
    if (typeof weight !== 'number' || !Number.isInteger(weight)) {
      throw new PodSpecError(`${at}.weight`, `expected an integer, got ${describe(weight)}`);
    }
    return { weight, preference: termAt(p['preference'], `${at}.preference`) };
  });
}

function tolerationsAt(v: unknown, path: string): Toleration[] {
  return (arrayAt(v, path) ?? []).map((raw, i) => {
    const at = `${path}[${i}]`;
    const t = objectAt(raw, at) ?? {};
    return {
      key: stringAt(t['key'], `${at}.key`),
      operator: stringAt(t['operator'], `${at}.operator`),
      value: stringAt(t['value'], `${at}.value`),
      effect: stringAt(t['effect'], `${at}.effect`),
    };
  });
}

function stringMapAt(v: unknown, path: string): Record<string, string> | undefined {
  const o = objectAt(v, path);
  if (o === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) out[k] = stringAt(val, `${path}.${k}`);
  return out;
}

function toNumbers(list: ReadonlyMap<string, Quantity>, path: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, q] of list) {
    try {
      out.set(name, resourceValue(name, q));
    } catch (err) {
      if (err instanceof QuantityError) throw new PodSpecError(`${path}.${name}`, err.message, err);
      throw err;
    }
  }
  return out;
}

/** Parses just the resource-bearing parts of a PodSpec. */
export function podResourceSpecFromJson(spec: unknown, path = 'spec'): PodResourceSpec {
  const s = objectAt(spec, path) ?? {};
  const podResources = objectAt(s['resources'], `${path}.resources`);
  return {
    containers: containersAt(s['containers'], `${path}.containers`),
    initContainers: containersAt(s['initContainers'], `${path}.initContainers`),
    podLevelRequests: resourceListAt(podResources?.['requests'], `${path}.resources.requests`),
    overhead: resourceListAt(s['overhead'], `${path}.overhead`),
  };
}

/**
 * Extracts what the plugins need from a v1 Pod object (as `kubectl get pod -o json` prints it).
 * Throws PodSpecError, naming the JSON path, on a wrong type or a malformed quantity.
 */
export function extractPod(pod: unknown, opts: ExtractPodOptions = {}): PodSchedulingInfo {
  const root = objectAt(pod, 'pod');
  if (root === undefined) throw new PodSpecError('pod', 'expected a Pod object');
  const meta = objectAt(root['metadata'], 'metadata') ?? {};
  const spec = objectAt(root['spec'], 'spec') ?? {};
  const podLevelResources = opts.podLevelResources ?? true;

  const resources = podResourceSpecFromJson(spec);
  const requestsQ = podRequests(resources, { podLevelResources });
  const scoringQ = podRequests(resources, { podLevelResources, nonMissingContainerRequests: DEFAULT_NON_MISSING });

  // framework PodInfo.calculateResource: with pod-level requests set, defaults apply only to
  // resources that neither containers nor the pod level (nor overhead) mention.
  const podLevelSet = podLevelResources && isPodLevelRequestsSet(resources);
  let nonMissing: ResourceList = DEFAULT_NON_MISSING;
  if (podLevelSet) {
    const m = new Map<string, Quantity>();
    for (const [name, q] of DEFAULT_NON_MISSING) if (!requestsQ.has(name)) m.set(name, q);
    nonMissing = m;
  }
  const nonZeroQ =
    nonMissing.size > 0 ? podRequests(resources, { podLevelResources, nonMissingContainerRequests: nonMissing }) : requestsQ;

  const { hostPorts, images } = hostPortsAndImagesAt(spec);
  const affinity = objectAt(spec['affinity'], 'spec.affinity');
  const nodeAffinity = objectAt(affinity?.['nodeAffinity'], 'spec.affinity.nodeAffinity');
  const naPath = 'spec.affinity.nodeAffinity';

  return {
    namespace: stringAt(meta['namespace'], 'metadata.namespace'),
    name: stringAt(meta['name'], 'metadata.name'),
    uid: stringAt(meta['uid'], 'metadata.uid'),
    nodeName: stringAt(spec['nodeName'], 'spec.nodeName'),
    requests: toNumbers(requestsQ, 'requests'),
    nonZeroRequests: toNumbers(scoringQ, 'requests'),
    nonZero: {
      milliCPU: quantityMilliValue(nonZeroQ.get(ResourceCPU) ?? ZERO_QUANTITY),
      memory: quantityValue(nonZeroQ.get(ResourceMemory) ?? ZERO_QUANTITY),
    },
    hasRestartableInitContainer: resources.initContainers.some((c) => c.restartAlways),
    tolerations: tolerationsAt(spec['tolerations'], 'spec.tolerations'),
    nodeSelector: stringMapAt(spec['nodeSelector'], 'spec.nodeSelector'),
    requiredNodeAffinity: nodeSelectorFromJson(
      nodeAffinity?.['requiredDuringSchedulingIgnoredDuringExecution'],
      `${naPath}.requiredDuringSchedulingIgnoredDuringExecution`,
    ),
    preferredNodeAffinity: preferredTermsFromJson(
      nodeAffinity?.['preferredDuringSchedulingIgnoredDuringExecution'],
      `${naPath}.preferredDuringSchedulingIgnoredDuringExecution`,
    ),
    hostPorts,
    images,
    resources,
  };
}
