/**
 * sidecar-injector — a mutating admission plugin: the sidecar pattern. A pod annotated
 * `sidecar.plugd.dev/inject: "true"` gets a log-shipping sidecar (fluent-bit tailing
 * /var/log/app/*.log to its stdout) and an emptyDir shared with every container. The answer is
 * an RFC 6902 JSONPatch that adds only what is missing (inject.ts), so it is idempotent and,
 * reinvoked after a later plugin added a container, mounts the volume into that one too.
 *
 *   plugd serve sample-plugins/sidecar-injector
 *
 * Configuration (environment, read once at start; README.md lists the defaults):
 * PLUGD_SIDECAR_IMAGE, PLUGD_SIDECAR_ARGS (JSON array), PLUGD_SIDECAR_RESOURCES (JSON
 * ResourceRequirements), PLUGD_SIDECAR_CONTAINER_NAME, PLUGD_SIDECAR_VOLUME_NAME,
 * PLUGD_SIDECAR_MOUNT_PATH, PLUGD_SIDECAR_MODE=native|container.
 */
import { definePlugin, type PluginDefinition } from '../../sdk/index.js';
import type { AdmitRequest__Output } from '../../proto/gen/plugd/admission/v1/AdmitRequest.js';
import type { AdmitResponse } from '../../proto/gen/plugd/admission/v1/AdmitResponse.js';
import { INJECT_ANNOTATION, plan, type Json, type JsonObject, type SidecarConfig } from './inject.js';

const DEFAULT_MOUNT_PATH = '/var/log/app';

/** fluent-bit's command line: tail every *.log under `mountPath`, print the records to stdout. */
const tailArgs = (mountPath: string): string[] => ['-i', 'tail', '-p', `path=${mountPath.replace(/\/$/, '')}/*.log`, '-o', 'stdout'];

export const DEFAULTS: Readonly<SidecarConfig> = Object.freeze({
  image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.10',
  args: tailArgs(DEFAULT_MOUNT_PATH),
  resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
  containerName: 'log-shipper',
  volumeName: 'plugd-logs',
  mountPath: DEFAULT_MOUNT_PATH,
  mode: 'native',
});

/** A DNS-1123 label: what Kubernetes accepts as a container or volume name. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The configuration from the environment; throws a RangeError naming the variable on a bad value. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SidecarConfig {
  const bad = (key: string, why: string): never => {
    throw new RangeError(`sidecar-injector: ${key}=${JSON.stringify(env[key])}: ${why}`);
  };
  const json = (key: string): Json | undefined => {
    const raw = env[key];
    if (raw === undefined || raw === '') return undefined;
    try {
      return JSON.parse(raw) as Json;
    } catch (err) {
      return bad(key, `not JSON (${(err as Error).message})`);
    }
  };
  const name = (key: string, fallback: string): string => {
    const v = env[key] || fallback;
    return DNS_LABEL.test(v) ? v : bad(key, 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63)');
  };

  const mountPath = env.PLUGD_SIDECAR_MOUNT_PATH || DEFAULTS.mountPath;
  if (!mountPath.startsWith('/') || mountPath.includes(':')) bad('PLUGD_SIDECAR_MOUNT_PATH', 'must be an absolute path without ":"');
  const args = json('PLUGD_SIDECAR_ARGS') ?? tailArgs(mountPath);
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) bad('PLUGD_SIDECAR_ARGS', 'must be a JSON array of strings');
  const resources = json('PLUGD_SIDECAR_RESOURCES') ?? DEFAULTS.resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)
    || Object.entries(resources).some(([k, v]) => !['requests', 'limits'].includes(k) || typeof v !== 'object' || v === null || Array.isArray(v)
      || Object.values(v).some((q) => typeof q !== 'string'))) {
    bad('PLUGD_SIDECAR_RESOURCES', 'must be a JSON object like {"requests":{"cpu":"10m"},"limits":{"memory":"64Mi"}} (quantities as strings)');
  }
  const mode = env.PLUGD_SIDECAR_MODE || DEFAULTS.mode;
  if (mode !== 'native' && mode !== 'container') bad('PLUGD_SIDECAR_MODE', 'must be "native" or "container"');
  const image = env.PLUGD_SIDECAR_IMAGE || DEFAULTS.image;
  if (/\s/.test(image)) bad('PLUGD_SIDECAR_IMAGE', 'must be an image reference without spaces');
  return {
    image,
    args: args as string[],
    resources: resources as JsonObject,
    containerName: name('PLUGD_SIDECAR_CONTAINER_NAME', DEFAULTS.containerName),
    volumeName: name('PLUGD_SIDECAR_VOLUME_NAME', DEFAULTS.volumeName),
    mountPath,
    mode: mode as SidecarConfig['mode'],
  };
}

function parse(bytes: Buffer): JsonObject | undefined {
  try {
    const v = JSON.parse(bytes.toString('utf8')) as Json;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The answer to one request (exported so a TS program can embed the injection without a plugin process). */
export function admit(req: AdmitRequest__Output, config: SidecarConfig): AdmitResponse {
  // Only a CREATE can inject: a pod's containers are immutable afterwards.
  if (req.operation !== 'CREATE' || req.subResource !== '') return { allowed: true };
  const object = parse(req.object);
  // Not ours to judge: kube-apiserver (or the host) rejects an undecodable object anyway.
  if (!object) return { allowed: true, warnings: [`${INJECT_ANNOTATION}: the object is not a JSON object, no sidecar injected`] };
  const p = plan(req.kind?.kind || String(object.kind ?? ''), object, config);
  switch (p.kind) {
    case 'skip':
      return { allowed: true, warnings: p.warning ? [p.warning] : [] };
    case 'conflict':
      return {
        allowed: false,
        status: {
          code: 403,
          reason: 'Forbidden',
          message: `${INJECT_ANNOTATION}: cannot inject the ${config.containerName} sidecar: ${p.problems.join('; ')}. Rename the conflicting volume or mount, or remove the annotation`,
        },
      };
    case 'patch':
      return { allowed: true, ...(p.ops.length > 0 ? { patch: Buffer.from(JSON.stringify(p.ops)) } : {}) };
  }
}

/** The plugin with `config` (the default export reads the environment). */
export function sidecarInjector(config: SidecarConfig): PluginDefinition<'AdmissionPlugin'> {
  return definePlugin({
    name: 'sidecar-injector',
    type: 'AdmissionPlugin',
    capabilities: {
      kind: 'MUTATING',
      // Pods only, as Istio and Linkerd inject: every controller's pods pass here, and a
      // Deployment keeps the spec its owner applied (no GitOps drift, no rollout on upgrade).
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }],
      // A container a later mutating plugin adds gets the shared volume too.
      reinvocationPolicy: 'IF_NEEDED',
      sideEffects: 'NONE',
      // Losing log shipping for a pod beats blocking every pod while the plugin is down.
      failurePolicy: 'IGNORE',
      timeoutMs: 2000,
    },
    handlers: { Admit: (req) => admit(req, config) },
  });
}

export default sidecarInjector(configFromEnv());
