/**
 * What the built-in plugins read from a core/v1 Node: name, labels, taints,
 * spec.unschedulable, status.allocatable as kube's NodeInfo keeps it (NewResource: cpu in
 * millicores; memory, ephemeral-storage, pods and scalar resources in base units) and
 * status.images (ImageLocality).
 */
import { isTrackedResource } from './fit.js';
import { ResourcePods, resourceValue } from '../pod.js';
import { parseQuantity, QuantityError } from '../quantity.js';
import type { NodeMeta, Taint } from './types.js';

export interface NodeSchedulingInfo extends NodeMeta {
  readonly taints: readonly Taint[];
  readonly unschedulable: boolean;
  readonly allocatable: ReadonlyMap<string, number>;
  /** status.images: every name of every image → its sizeBytes (the first entry naming it wins). */
  readonly images: ReadonlyMap<string, number>;
}

const NO_IMAGES: ReadonlyMap<string, number> = new Map();

/** A malformed Node: names the JSON path and keeps the underlying error as `cause`. */
export class NodeSpecError extends Error {
  readonly code = 'PLUGD_ERR_NODE_INVALID' as const;
  readonly path: string;
  constructor(path: string, message: string, cause?: unknown) {
    super(`${path}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'NodeSpecError';
    this.path = path;
  }
}

type JsonObject = { readonly [key: string]: unknown };

function objectAt(v: unknown, path: string): JsonObject {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new NodeSpecError(path, 'expected an object');
  return v as JsonObject;
}

function stringAt(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new NodeSpecError(path, 'expected a string');
  return v;
}

/** Extracts a node from a v1 Node object (as `kubectl get node -o json` prints it). */
export function extractNode(node: unknown): NodeSchedulingInfo {
  const root = objectAt(node, 'node');
  const meta = objectAt(root['metadata'], 'metadata');
  const spec = objectAt(root['spec'], 'spec');
  const st = objectAt(root['status'], 'status');

  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(objectAt(meta['labels'], 'metadata.labels'))) labels[k] = stringAt(v, `metadata.labels.${k}`);

  const rawTaints = spec['taints'] ?? [];
  if (!Array.isArray(rawTaints)) throw new NodeSpecError('spec.taints', 'expected an array');
  const taints = rawTaints.map((raw: unknown, i): Taint => {
    const t = objectAt(raw, `spec.taints[${i}]`);
    return {
      key: stringAt(t['key'], `spec.taints[${i}].key`),
      value: stringAt(t['value'], `spec.taints[${i}].value`),
      effect: stringAt(t['effect'], `spec.taints[${i}].effect`),
    };
  });

  const allocatable = new Map<string, number>();
  for (const [name, raw] of Object.entries(objectAt(st['allocatable'], 'status.allocatable'))) {
    if (name !== ResourcePods && !isTrackedResource(name)) continue;
    const at = `status.allocatable.${name}`;
    if (typeof raw !== 'string' && typeof raw !== 'number') throw new NodeSpecError(at, 'expected a quantity');
    try {
      allocatable.set(name, resourceValue(name, parseQuantity(String(raw))));
    } catch (err) {
      if (err instanceof QuantityError) throw new NodeSpecError(at, err.message, err);
      throw err;
    }
  }

  const rawImages = st['images'] ?? [];
  if (!Array.isArray(rawImages)) throw new NodeSpecError('status.images', 'expected an array');
  const images = rawImages.length === 0 ? NO_IMAGES : new Map<string, number>();
  rawImages.forEach((raw: unknown, i) => {
    const at = `status.images[${i}]`;
    const img = objectAt(raw, at);
    const size = img['sizeBytes'] ?? 0;
    if (typeof size !== 'number' || !Number.isInteger(size)) throw new NodeSpecError(`${at}.sizeBytes`, 'expected an integer');
    const names = img['names'] ?? [];
    if (!Array.isArray(names)) throw new NodeSpecError(`${at}.names`, 'expected an array');
    names.forEach((n: unknown, j) => {
      const name = stringAt(n, `${at}.names[${j}]`);
      if (!images.has(name)) (images as Map<string, number>).set(name, size);
    });
  });

  return {
    name: stringAt(meta['name'], 'metadata.name'),
    labels,
    taints,
    unschedulable: spec['unschedulable'] === true,
    allocatable,
    images,
  };
}
