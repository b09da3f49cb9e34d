/**
 * pod-security — a validating admission plugin enforcing the Pod Security Standards
 * "baseline" profile (baseline.ts) on Pods and on the pod templates of the workload
 * resources. A deny reads as kube-apiserver's own PodSecurity admission's (code 403, reason
 * Forbidden, `violates PodSecurity "baseline:latest": …`, every violation in one message),
 * followed by the full path of each offending field.
 *
 *   plugd serve sample-plugins/pod-security
 *
 * Configuration (environment, read once at start): PLUGD_POD_SECURITY_EXEMPT_NAMESPACES,
 * _EXEMPT_USERNAMES, _EXEMPT_RUNTIME_CLASSES (comma-separated, as upstream's exemptions) and
 * PLUGD_POD_SECURITY_WORKLOADS=deny|warn (what a violating pod template gets).
 */
import { definePlugin, type PluginDefinition } from '../../sdk/index.js';
import type { AdmitRequest__Output } from '../../proto/gen/plugd/admission/v1/AdmitRequest.js';
import type { AdmitResponse } from '../../proto/gen/plugd/admission/v1/AdmitResponse.js';
import { checkBaseline, forbiddenDetail, type Json, type JsonObject, type PodView } from './baseline.js';

export interface PodSecurityConfig {
  /** Requests in these namespaces are not checked. */
  exemptNamespaces: readonly string[];
  /** Requests by these users (userInfo.username) are not checked. */
  exemptUsernames: readonly string[];
  /** Pods (and templates) with one of these spec.runtimeClassName are not checked. */
  exemptRuntimeClasses: readonly string[];
  /**
   * What a workload whose pod template violates the profile gets. "deny" (default): the same
   * 403 as a pod, so `kubectl apply` fails at once instead of the controller failing to create
   * pods later. "warn": admitted with a warning, as upstream's PodSecurity admission does.
   */
  workloads: 'deny' | 'warn';
}

export const POLICY = 'baseline:latest';

/** Where each kind keeps its pod template, as a path of keys from the object's root. */
const TEMPLATE_AT: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  PodTemplate: ['template'],
  ReplicationController: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Upstream ignores these pod subresources (they cannot change the pod spec); any other is checked. */
const IGNORED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The pod template of `object`, or undefined when the object has none (e.g. a CronJob without a template). */
function locate(kind: string, object: JsonObject): PodView | undefined {
  const at = TEMPLATE_AT[kind];
  if (!at) return undefined;
  let node: Json | undefined = object;
  for (const key of at) node = isObject(node) ? node[key] : undefined;
  if (!isObject(node)) return undefined;
  const prefix = at.join('.');
  const join = (p: string): string => (prefix ? `${prefix}.${p}` : p);
  return {
    metadata: isObject(node.metadata) ? node.metadata : {},
    spec: isObject(node.spec) ? node.spec : {},
    paths: { metadata: join('metadata'), spec: join('spec') },
  };
}

function parse(bytes: Buffer): JsonObject | undefined {
  try {
    const v = JSON.parse(bytes.toString('utf8')) as Json;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const list = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
/** An annotation's value, "" when absent (Go's map lookup, so absent and "" compare equal). */
const annotation = (pod: JsonObject, key: string): Json => (isObject(pod.metadata) && isObject(pod.metadata.annotations) ? pod.metadata.annotations[key] ?? '' : '');

/**
 * Upstream's isSignificantPodUpdate: a pod's spec is immutable but for images and ephemeral
 * containers, so an update that changes neither (nor the seccomp annotations) is not re-checked.
 * A pod admitted before the policy applied can still be relabelled.
 */
function significantPodUpdate(pod: JsonObject, old: JsonObject): boolean {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const oldSpec = isObject(old.spec) ? old.spec : {};
  const podKey = 'seccomp.security.alpha.kubernetes.io/pod';
  if (annotation(pod, podKey) !== annotation(old, podKey)) return true;
  const changed = (c: JsonObject, o: JsonObject): boolean => {
    const key = `container.seccomp.security.alpha.kubernetes.io/${String(c.name)}`;
    return (c.image ?? '') !== (o.image ?? '') || annotation(pod, key) !== annotation(old, key);
  };
  for (const field of ['containers', 'initContainers']) {
    const now = list(spec[field]);
    const before = list(oldSpec[field]);
    if (now.length !== before.length || now.some((c, i) => changed(c, before[i]!))) return true;
  }
  const oldEphemeral = list(oldSpec.ephemeralContainers);
  return list(spec.ephemeralContainers).some((c) => {
    const o = oldEphemeral.find((e) => e.name === c.name);
    return o === undefined || changed(c, o);
  });
}

const deny = (code: number, reason: string, message: string): AdmitResponse => ({ allowed: false, status: { code, reason, message } });

/** The answer to one request (exported so a TS program can embed the policy without a plugin process). */
export function admit(req: AdmitRequest__Output, config: PodSecurityConfig): AdmitResponse {
  if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return { allowed: true };
  const object = parse(req.object);
  // The request's kind, else the object's own (a caller that left request.kind out).
  const kind = req.kind?.kind || (typeof object?.kind === 'string' ? object.kind : '');
  const isPod = kind === 'Pod';
  if (kind === '') return deny(400, 'BadRequest', 'failed to decode object: no kind in the request and the object is not a JSON object with one');
  if (!Object.hasOwn(TEMPLATE_AT, kind)) return { allowed: true };
  if (isPod ? IGNORED_POD_SUBRESOURCES.has(req.subResource) : req.subResource !== '') return { allowed: true };
  if (config.exemptNamespaces.includes(req.namespace) && req.namespace !== '') return { allowed: true, auditAnnotations: { exempt: 'namespace' } };
  const username = req.userInfo?.username ?? '';
  if (username !== '' && config.exemptUsernames.includes(username)) return { allowed: true, auditAnnotations: { exempt: 'user' } };

  if (!object) {
    // Upstream admits an undecodable workload, saying why in an audit annotation; it only warns on workloads.
    if (!isPod && config.workloads === 'warn') return { allowed: true, auditAnnotations: { error: 'failed to decode object: the object is not a JSON object' } };
    return deny(400, 'BadRequest', `failed to decode ${isPod ? 'pod' : kind}: the object is not a JSON object`);
  }
  if (isPod && req.operation === 'UPDATE') {
    const old = parse(req.oldObject);
    if (!old) return deny(400, 'BadRequest', 'failed to decode old pod: the old object is not a JSON object');
    if (!significantPodUpdate(object, old)) return { allowed: true };
  }
  const view = locate(kind, object);
  // A workload without a pod template has nothing to check (upstream skips it the same way).
  if (!view) return { allowed: true };
  const runtimeClass = view.spec.runtimeClassName;
  if (typeof runtimeClass === 'string' && runtimeClass !== '' && config.exemptRuntimeClasses.includes(runtimeClass)) {
    return { allowed: true, auditAnnotations: { exempt: 'runtimeClass' } };
  }

  const violations = checkBaseline(view);
  if (violations.length === 0) return { allowed: true };
  const detail = forbiddenDetail(violations);
  const fields = violations.flatMap((v) => v.fields).join(', ');
  if (!isPod && config.workloads === 'warn') {
    return { allowed: true, warnings: [`would violate PodSecurity "${POLICY}": ${detail}`], auditAnnotations: { audit: `would violate PodSecurity "${POLICY}": ${detail}` } };
  }
  return deny(403, 'Forbidden', `violates PodSecurity "${POLICY}": ${detail}; forbidden fields: ${fields}`);
}

/** The configuration from the environment; throws a RangeError naming the variable on a bad value. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PodSecurityConfig {
  const names = (key: string): string[] => (env[key] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const workloads = env.PLUGD_POD_SECURITY_WORKLOADS ?? 'deny';
  if (workloads !== 'deny' && workloads !== 'warn') {
    throw new RangeError(`pod-security: PLUGD_POD_SECURITY_WORKLOADS must be "deny" or "warn", got ${JSON.stringify(workloads)}`);
  }
  return {
    exemptNamespaces: names('PLUGD_POD_SECURITY_EXEMPT_NAMESPACES'),
    exemptUsernames: names('PLUGD_POD_SECURITY_EXEMPT_USERNAMES'),
    exemptRuntimeClasses: names('PLUGD_POD_SECURITY_EXEMPT_RUNTIME_CLASSES'),
    workloads,
  };
}

/** The plugin with `config` (the default export reads the environment). */
export function podSecurity(config: PodSecurityConfig): PluginDefinition<'AdmissionPlugin'> {
  return definePlugin({
    name: 'pod-security',
    type: 'AdmissionPlugin',
    capabilities: {
      kind: 'VALIDATING',
      rules: [{
        operations: ['CREATE', 'UPDATE'],
        apiGroups: ['', 'apps', 'batch'],
        apiVersions: ['v1'],
        resources: ['pods', 'pods/ephemeralcontainers', 'podtemplates', 'replicationcontrollers', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs'],
        scope: 'Namespaced',
      }],
      // kube-system runs the node agents (kube-proxy, CNI daemons) that baseline forbids by
      // design; leaving it out also means a pod-security outage never blocks the control plane.
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NOT_IN', values: ['kube-system'] }] },
      // A security control fails closed: with IGNORE, crashing or slowing the plugin would be a bypass.
      failurePolicy: 'FAIL',
      timeoutMs: 3000,
      sideEffects: 'NONE',
    },
    handlers: { Admit: (req) => admit(req, config) },
  });
}

export default podSecurity(configFromEnv());
