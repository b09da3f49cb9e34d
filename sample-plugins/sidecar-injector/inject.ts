/**
 * The injection itself, pure: from a pod (or a workload's pod template) and the sidecar
 * configuration to the RFC 6902 operations that converge it on "has the log-shipping sidecar,
 * the shared emptyDir, and that volume mounted in every container". Only what is missing is
 * added, so running it on its own output yields no operation (idempotent), and running it
 * again after another plugin added a container mounts the volume into that one only.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** An RFC 6902 "add", the only operation injection needs: it never replaces or removes. */
export interface AddOperation {
  op: 'add';
  path: string;
  value: Json;
}

export interface SidecarConfig {
  /** The sidecar's image. */
  image: string;
  /** The sidecar's args (the image's entrypoint runs them). */
  args: readonly string[];
  /** The sidecar's resources (a core/v1 ResourceRequirements). */
  resources: JsonObject;
  /** The sidecar container's name; a container of that name counts as the sidecar. */
  containerName: string;
  /** The shared emptyDir volume's name. */
  volumeName: string;
  /** Where every container (and the sidecar, read-only) mounts the volume. */
  mountPath: string;
  /**
   * "native": a native sidecar (Kubernetes 1.29+), first in initContainers with
   * restartPolicy Always, so it starts before the app and outlives it (a Job's pod still
   * completes, and the last log lines are shipped). "container": appended to containers.
   */
  mode: 'native' | 'container';
}

/** The opt-in annotation: "true" injects. */
export const INJECT_ANNOTATION = 'sidecar.plugd.dev/inject';
/** Set on every injected pod, so `kubectl get pod -o yaml` tells why the sidecar is there. */
export const STATUS_ANNOTATION = 'sidecar.plugd.dev/status';

/** Where each kind keeps its pod template (an RFC 6901 pointer to it; "" is the object itself). */
export const TEMPLATE_AT: Readonly<Record<string, string>> = {
  Pod: '',
  PodTemplate: '/template',
  ReplicationController: '/spec/template',
  ReplicaSet: '/spec/template',
  Deployment: '/spec/template',
  StatefulSet: '/spec/template',
  DaemonSet: '/spec/template',
  Job: '/spec/template',
  CronJob: '/spec/jobTemplate/spec/template',
};

/** What injection decided. */
export type Plan =
  | { kind: 'skip'; warning?: string }
  | { kind: 'patch'; ops: AddOperation[] }
  | { kind: 'conflict'; problems: string[] };

/** RFC 6901: "~" becomes "~0" and "/" becomes "~1" (in that order) inside a reference token. */
export const escapeToken = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolve(root: JsonObject, pointer: string): Json | undefined {
  let node: Json | undefined = root;
  for (const token of pointer.split('/').slice(1)) node = isObject(node) ? node[token.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  return node;
}

/** "/spec/template/spec" as a field path for messages: "spec.template.spec". */
const fieldPath = (pointer: string): string => pointer.slice(1).replaceAll('/', '.');

/**
 * `add` of `value` to the array at `pointer`: the whole array when it is absent (or null,
 * which "add" replaces), else appended with "-" (or inserted at `index`).
 */
function addToArray(parent: JsonObject, key: string, pointer: string, value: JsonObject, index?: number): AddOperation {
  return Array.isArray(parent[key])
    ? { op: 'add', path: `${pointer}/${escapeToken(key)}/${index ?? '-'}`, value }
    : { op: 'add', path: `${pointer}/${escapeToken(key)}`, value: [value] };
}

/** The sidecar container, as it is added. */
export function sidecarContainer(config: SidecarConfig): JsonObject {
  return {
    name: config.containerName,
    image: config.image,
    args: [...config.args],
    resources: structuredClone(config.resources),
    volumeMounts: [{ name: config.volumeName, mountPath: config.mountPath, readOnly: true }],
    // Passes the "restricted" Pod Security Standard, so injecting never makes a pod fail it.
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65534,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(config.mode === 'native' ? { restartPolicy: 'Always' } : {}),
  };
}

/** What to do with `object` of kind `kind`. */
export function plan(kind: string, object: JsonObject, config: SidecarConfig): Plan {
  const at = TEMPLATE_AT[kind];
  if (at === undefined) return { kind: 'skip' };
  const template = at === '' ? object : resolve(object, at);
  if (!isObject(template)) return { kind: 'skip' };
  const metadata = template.metadata;
  const annotations = isObject(metadata) && isObject(metadata.annotations) ? metadata.annotations : undefined;
  const wanted = annotations?.[INJECT_ANNOTATION];
  if (wanted === undefined || wanted === 'false') return { kind: 'skip' };
  if (wanted !== 'true') {
    return { kind: 'skip', warning: `${INJECT_ANNOTATION}=${JSON.stringify(wanted)} is neither "true" nor "false": no sidecar injected` };
  }
  const spec = template.spec;
  if (!isObject(spec)) return { kind: 'skip', warning: `${INJECT_ANNOTATION}: the pod has no spec, no sidecar injected` };

  const specPtr = `${at}/spec`;
  const ops: AddOperation[] = [];
  const problems: string[] = [];

  // Mounts first: they address containers by index, which inserting the sidecar would shift.
  const mount: JsonObject = { name: config.volumeName, mountPath: config.mountPath };
  for (const list of ['initContainers', 'containers']) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, i) => {
      if (!isObject(c)) return;
      const mounts = Array.isArray(c.volumeMounts) ? c.volumeMounts.filter(isObject) : [];
      if (mounts.some((m) => m.name === config.volumeName)) return;
      const clash = mounts.findIndex((m) => m.mountPath === config.mountPath);
      if (clash >= 0) {
        problems.push(`${fieldPath(specPtr)}.${list}[${i}] (${JSON.stringify(c.name)}) already mounts volume ${JSON.stringify(mounts[clash]!.name)} at ${config.mountPath}`);
        return;
      }
      const own = c.name === config.containerName;
      ops.push(addToArray(c, 'volumeMounts', `${specPtr}/${list}/${i}`, own ? { ...mount, readOnly: true } : mount));
    });
  }

  const volumes = Array.isArray(spec.volumes) ? spec.volumes : undefined;
  const vi = volumes?.findIndex((v) => isObject(v) && v.name === config.volumeName) ?? -1;
  if (vi < 0) {
    ops.push(addToArray(spec, 'volumes', specPtr, { name: config.volumeName, emptyDir: {} }));
  } else if (!isObject((volumes![vi] as JsonObject).emptyDir)) {
    const source = Object.keys(volumes![vi] as JsonObject).find((k) => k !== 'name') ?? 'no source';
    problems.push(`${fieldPath(specPtr)}.volumes[${vi}] (${JSON.stringify(config.volumeName)}) is a ${source} volume, not the emptyDir the sidecar shares`);
  }

  const present = ['initContainers', 'containers'].some((list) => Array.isArray(spec[list]) && (spec[list] as Json[]).some((c) => isObject(c) && c.name === config.containerName));
  if (!present) {
    ops.push(config.mode === 'native'
      ? addToArray(spec, 'initContainers', specPtr, sidecarContainer(config), 0)
      : addToArray(spec, 'containers', specPtr, sidecarContainer(config)));
  }

  if (problems.length > 0) return { kind: 'conflict', problems };
  if (annotations![STATUS_ANNOTATION] !== 'injected') {
    ops.push({ op: 'add', path: `${at}/metadata/annotations/${escapeToken(STATUS_ANNOTATION)}`, value: 'injected' });
  }
  return { kind: 'patch', ops };
}
