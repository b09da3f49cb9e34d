/**
 * Validation of Kubernetes objects against Kubernetes' own OpenAPI schemas, for tests of the
 * manifests in deploy/: kubernetes-models' validators (types, enums, required fields) plus a
 * strict unknown-field check over @kubernetes/client-node's models (what `kubectl apply
 * --validate=strict` rejects), since the kubernetes-models schemas accept any extra key.
 */
import * as k8s from '@kubernetes/client-node';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

interface Attribute {
  name: string;
  baseName: string;
  type: string;
}

type ModelClass = { getAttributeTypeMap(): Attribute[] };

const models = k8s as unknown as Record<string, ModelClass | undefined>;

/** The client-node model class of a top-level kind (V1Deployment for apps/v1 Deployment), if any. */
function modelOf(apiVersion: string, kind: string): ModelClass | undefined {
  const version = apiVersion.split('/').pop()!;
  return models[`${version[0]!.toUpperCase()}${version.slice(1)}${kind}`];
}

const SCALARS = new Set(['string', 'number', 'boolean', 'Date', 'IntOrString', 'any', 'object']);

/** Paths of fields the Kubernetes schema does not have, e.g. `spec.template.spec.containers[0].restartPolcy`. */
export function unknownFields(obj: KubeObject): string[] {
  const model = modelOf(obj.apiVersion, obj.kind);
  if (!model) return [`(no client-node model for ${obj.apiVersion} ${obj.kind})`];
  const out: string[] = [];
  walk(obj, model, '', out);
  return out;
}

function walk(value: unknown, model: ModelClass, path: string, out: string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const attrs = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, v] of Object.entries(value)) {
    const type = attrs.get(key);
    const at = path ? `${path}.${key}` : key;
    if (type === undefined) {
      out.push(at);
      continue;
    }
    walkType(v, type, at, out);
  }
}

function walkType(value: unknown, type: string, path: string, out: string[]): void {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => walkType(item, array[1]!, `${path}[${i}]`, out));
    return;
  }
  if (SCALARS.has(type) || type.startsWith('{')) return;
  const model = models[type];
  if (model?.getAttributeTypeMap) walk(value, model, path, out);
}

type Validating = new (data: unknown) => { validate(): void };

/**
 * Validates `obj` with the kubernetes-models class for its apiVersion and kind
 * (`apps/v1` Deployment → kubernetes-models/apps/v1/Deployment; core `v1` → kubernetes-models/v1/…).
 * Resolves with the validation error messages; an unknown kind is an error too.
 */
export async function schemaErrors(obj: KubeObject): Promise<string[]> {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const spec = `kubernetes-models/${group ? `${group}/` : ''}${version}/${obj.kind}`;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(spec)) as Record<string, unknown>;
  } catch {
    return [`kubernetes-models has no ${obj.apiVersion} ${obj.kind} (${spec})`];
  }
  const Model = mod[obj.kind] as Validating | undefined;
  if (!Model) return [`${spec} exports no ${obj.kind}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}
