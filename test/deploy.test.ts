/**
 * The manifests in deploy/ against the real formats they claim: every object validates
 * against Kubernetes' schemas (and has no field Kubernetes lacks), every kustomization
 * resolves (and `kubectl kustomize` builds it, where kubectl is installed), every `plugd`
 * flag and module the containers use exists in this repo's CLI, ports, probes, Services,
 * webhooks and the kube-scheduler extender stanza agree with each other, and the
 * self-signed certificate script makes a certificate kube-apiserver would accept.
 * No cluster runs here: this is as far as a manifest can be checked without one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../host/config.js';
import { loadSchedulerConfiguration } from '../host/scheduling/profile.js';
import type { SchedulerPlugin } from '../host/scheduling/framework-types.js';
import { CLI, cleanup, ROOT, tempDir } from './helpers.js';
import { schemaErrors, unknownFields, type KubeObject } from './kube-schema.js';

const DEPLOY = join(ROOT, 'deploy');
/** Where deploy/Dockerfile puts the repository in the image. */
const IMAGE_ROOT = '/opt/plugd/';
const PROFILES = ['node', 'control-plane', 'control-plane-cert-manager'];

// ---------------------------------------------------------------------------------------
// Loading.

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

function parseDocs(text: string, where: string): unknown[] {
  return parseAllDocuments(text).map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${where} document ${i}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as unknown;
  }).filter((d) => d !== null);
}

interface Manifest { file: string; obj: KubeObject }

const isKustomization = (f: string) => /(^|\/)kustomization\.ya?ml$/.test(f);
const manifests: Manifest[] = yamlFiles(DEPLOY).filter((f) => !isKustomization(f))
  .flatMap((file) => parseDocs(readFileSync(file, 'utf8'), relative(ROOT, file)).map((obj) => ({ file: relative(ROOT, file), obj: obj as KubeObject })));

interface Kustomization {
  namespace?: string;
  resources?: string[];
  patches?: Array<{ path?: string; patch?: string; target?: { group?: string; version?: string; kind?: string; name?: string } }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
}

function kustomization(dir: string): Kustomization {
  return parseDocs(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'), dir)[0] as Kustomization;
}

/** The objects a kustomization directory yields (resources, recursively, namespace applied). */
function resolveKustomization(dir: string, seen: string[] = []): Manifest[] {
  if (seen.includes(dir)) throw new Error(`kustomization cycle: ${[...seen, dir].join(' → ')}`);
  const k = kustomization(dir);
  const out: Manifest[] = [];
  for (const r of k.resources ?? []) {
    const p = resolve(dir, r);
    if (!existsSync(p)) throw new Error(`${relative(ROOT, dir)}/kustomization.yaml: resource ${r} does not exist`);
    if (statSync(p).isDirectory()) out.push(...resolveKustomization(p, [...seen, dir]));
    else out.push(...manifests.filter((m) => m.file === relative(ROOT, p)));
  }
  return out.map((m) => ({ ...m, obj: k.namespace && !CLUSTER_SCOPED.has(m.obj.kind)
    ? { ...m.obj, metadata: { ...m.obj.metadata, namespace: k.namespace } } : m.obj }));
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
const id = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

// ---------------------------------------------------------------------------------------
// Pods, containers and the plugd CLI.

interface Container {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  restartPolicy?: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; runAsUser?: number; capabilities?: { drop?: string[]; add?: string[] } };
}
interface Probe { httpGet?: { path: string; port: number | string }; exec?: { command: string[] } }
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Array<{ name: string; configMap?: { name: string }; secret?: { secretName: string }; emptyDir?: object; hostPath?: { path: string } }>;
  hostNetwork?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  tolerations?: Array<{ operator?: string; key?: string }>;
}
interface Workload extends KubeObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    strategy?: { type: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
    updateStrategy?: { type: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  };
}

const workloads = manifests.map((m) => m.obj).filter((o): o is Workload => o.kind === 'Deployment' || o.kind === 'DaemonSet');
const allContainers = (w: Workload) => [...(w.spec.template.spec.initContainers ?? []), ...w.spec.template.spec.containers];
const isPlugdImage = (image: string) => /(^|\/)plugd(:[\w.-]+)?(@.*)?$/.test(image);
/** Containers that run the plugd CLI (`plugd host`, `plugd serve`), with their workload. */
const plugdContainers = workloads.flatMap((w) => allContainers(w).filter((c) => isPlugdImage(c.image) && c.args?.length).map((c) => ({ w, c })));

let usageText: string | undefined;

/** The flags of `plugd <command>` as the CLI's usage text (`plugd --help`) prints them. */
function usageFlags(command: string): Set<string> {
  usageText ??= execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  const usage = usageText;
  const lines = usage.split('\n');
  const start = lines.findIndex((l) => l.trimStart().startsWith(`plugd ${command} `) || l.trim() === `plugd ${command}`);
  if (start < 0) throw new Error(`no \`plugd ${command}\` in the usage text:\n${usage}`);
  const block = [lines[start]!];
  for (const l of lines.slice(start + 1)) {
    if (/^\s*plugd /.test(l) || l.trim() === '' || /^\S/.test(l)) break;
    block.push(l);
  }
  return new Set(block.join(' ').match(/--[a-z][a-z0-9-]*/g) ?? []);
}

/** `--flag value` pairs (and bare `--flag`s) of an argument list; `--flag=value` too. */
function flagValues(args: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out.set(a.slice(0, eq), a.slice(eq + 1));
    else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) out.set(a, args[++i]!);
    else out.set(a, true);
  }
  return out;
}

/** HOST:PORT flags → the port they listen on. */
const LISTEN_FLAGS = ['--admin', '--webhook', '--extender'];
const portOf = (hostPort: string) => Number(/:(\d+)$/.exec(hostPort)?.[1]);

function resolvePort(c: Container, port: number | string): number | undefined {
  return typeof port === 'number' ? c.ports?.find((p) => p.containerPort === port)?.containerPort : c.ports?.find((p) => p.name === port)?.containerPort;
}

/** The file a container sees at `path`, from the ConfigMap mounted over it: [configMap name, key]. */
function configMapFile(w: Workload, c: Container, path: string): { configMap: string; key: string } | undefined {
  for (const m of c.volumeMounts ?? []) {
    if (!path.startsWith(`${m.mountPath}/`)) continue;
    const vol = w.spec.template.spec.volumes?.find((v) => v.name === m.name);
    if (vol?.configMap) return { configMap: vol.configMap.name, key: path.slice(m.mountPath.length + 1) };
  }
  return undefined;
}

const configMapData = (name: string) => (manifests.find((m) => m.obj.kind === 'ConfigMap' && m.obj.metadata.name === name)?.obj as { data?: Record<string, string> } | undefined)?.data;

// ---------------------------------------------------------------------------------------

afterAll(cleanup);

describe('deploy/: every manifest is a valid Kubernetes object', () => {
  it('finds the manifests of both profiles', () => {
    const kinds = new Set(manifests.map((m) => m.obj.kind));
    for (const k of ['Namespace', 'DaemonSet', 'Deployment', 'PodDisruptionBudget', 'Service', 'MutatingWebhookConfiguration',
      'ValidatingWebhookConfiguration', 'ClusterRole', 'ClusterRoleBinding', 'ServiceAccount', 'ConfigMap', 'Certificate', 'Issuer']) {
      expect(kinds, k).toContain(k);
    }
  });

  it.each(manifests.filter((m) => m.obj.apiVersion !== 'cert-manager.io/v1').map((m) => [`${m.file}: ${m.obj.kind} ${m.obj.metadata?.name}`, m] as const))(
    '%s validates against the Kubernetes schema, with no unknown field', async (_label, m) => {
      expect(await schemaErrors(m.obj)).toEqual([]);
      expect(unknownFields(m.obj)).toEqual([]);
    });

  it('the validators do catch a wrong type, a missing field and a misspelt field', async () => {
    const dep = structuredClone(workloads.find((w) => w.kind === 'Deployment')!);
    dep.spec.template.spec.containers[0]!.ports![0]!.containerPort = '9443' as unknown as number;
    expect((await schemaErrors(dep)).join()).toContain('containerPort must be integer');
    const noContainers = structuredClone(dep) as unknown as { spec: { template: { spec: Record<string, unknown> } } };
    delete noContainers.spec.template.spec['containers'];
    expect((await schemaErrors(noContainers as unknown as KubeObject)).join()).toContain('must have required property containers');
    const typo = structuredClone(workloads.find((w) => w.kind === 'Deployment')!) as unknown as { spec: { template: { spec: { initContainers: Array<Record<string, unknown>> } } } };
    typo.spec.template.spec.initContainers[0]!['restartPolcy'] = 'Always';
    expect(unknownFields(typo as unknown as KubeObject)).toEqual(['spec.template.spec.initContainers[0].restartPolcy']);
  });

  // kubernetes-models has no cert-manager CRDs (no @kubernetes-models/cert-manager installed):
  // these are checked against cert-manager.io/v1's documented shape, field by field.
  it('the cert-manager Issuer and Certificate have cert-manager.io/v1\'s shape', () => {
    const cm = manifests.map((m) => m.obj).filter((o) => o.apiVersion === 'cert-manager.io/v1');
    expect(cm.map((o) => o.kind).sort()).toEqual(['Certificate', 'Issuer']);
    const issuer = cm.find((o) => o.kind === 'Issuer') as KubeObject & { spec: Record<string, unknown> };
    expect(Object.keys(issuer.spec).filter((k) => ['selfSigned', 'ca', 'acme', 'vault', 'venafi'].includes(k))).toHaveLength(1);
    const cert = cm.find((o) => o.kind === 'Certificate') as KubeObject & { spec: Record<string, unknown> & { issuerRef: Record<string, string>; dnsNames: string[]; usages: string[] } };
    const known = ['secretName', 'dnsNames', 'issuerRef', 'duration', 'renewBefore', 'privateKey', 'usages', 'commonName', 'ipAddresses', 'uris',
      'emailAddresses', 'subject', 'isCA', 'secretTemplate', 'keystores', 'revisionHistoryLimit', 'literalSubject', 'additionalOutputFormats', 'nameConstraints', 'otherNames', 'encodeUsagesInRequest'];
    expect(Object.keys(cert.spec).filter((k) => !known.includes(k))).toEqual([]);
    expect(cert.spec.issuerRef).toEqual({ name: issuer.metadata.name, kind: 'Issuer', group: 'cert-manager.io' });
    expect(cert.spec.usages).toContain('server auth');
    expect(cert.spec.secretName).toBe('plugd-webhook-tls');
  });
});

describe('deploy/: kustomizations', () => {
  it.each(PROFILES)('%s resolves: every resource exists, no object twice, every patch has a target', (profile) => {
    const dir = join(DEPLOY, profile);
    const objs = resolveKustomization(dir).map((m) => m.obj);
    const ids = objs.map(id);
    expect(ids.filter((x, i) => ids.indexOf(x) !== i)).toEqual([]);
    for (const p of kustomization(dir).patches ?? []) {
      expect(objs.some((o) => o.kind === p.target?.kind && o.metadata.name === p.target?.name), JSON.stringify(p.target)).toBe(true);
    }
    // Every namespaced object lands in plugd-system, and the Namespace comes with the profile.
    expect(objs.filter((o) => !CLUSTER_SCOPED.has(o.kind)).map((o) => o.metadata.namespace).filter((ns) => ns !== 'plugd-system')).toEqual([]);
    expect(ids).toContain('Namespace//plugd-system');
  });

  it('every manifest file belongs to a profile', () => {
    const used = new Set(PROFILES.flatMap((p) => resolveKustomization(join(DEPLOY, p)).map((m) => m.file)));
    expect([...new Set(manifests.map((m) => m.file))].filter((f) => !used.has(f))).toEqual([]);
  });

  it('every image a profile uses is set by its `images`', () => {
    for (const profile of PROFILES) {
      const k = kustomization(join(DEPLOY, profile));
      const images = [...(k.images ?? []), ...(k.resources ?? []).filter((r) => !r.endsWith('.yaml') && r !== '../base')
        .flatMap((r) => kustomization(resolve(DEPLOY, profile, r)).images ?? [])].map((i) => i.name);
      const used = resolveKustomization(join(DEPLOY, profile)).map((m) => m.obj).filter((o): o is Workload => o.kind === 'Deployment' || o.kind === 'DaemonSet')
        .flatMap((w) => allContainers(w).map((c) => c.image));
      expect(used.filter((i) => !images.includes(i)), profile).toEqual([]);
    }
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  if (!kubectl) console.warn('deploy: kubectl is not installed; `kubectl kustomize` checks skipped (the manifests are still resolved and validated here)');
  it.skipIf(!kubectl).each(PROFILES)('`kubectl kustomize deploy/%s` builds the same objects, and they validate', async (profile) => {
    const built = parseDocs(execFileSync('kubectl', ['kustomize', join(DEPLOY, profile)], { encoding: 'utf8' }), profile) as KubeObject[];
    expect(built.map(id).sort()).toEqual(resolveKustomization(join(DEPLOY, profile)).map((m) => id(m.obj)).sort());
    for (const obj of built.filter((o) => o.apiVersion !== 'cert-manager.io/v1')) {
      expect([...await schemaErrors(obj), ...unknownFields(obj)], id(obj)).toEqual([]);
    }
    for (const w of built.filter((o): o is Workload => o.kind === 'Deployment' || o.kind === 'DaemonSet')) {
      for (const c of allContainers(w)) expect(c.image, `${id(w)} ${c.name}`).toBe('plugd:0.1.0');
    }
    if (profile === 'control-plane-cert-manager') {
      for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
        expect(built.find((o) => o.kind === kind)!.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': 'plugd-system/plugd-webhook' });
      }
    }
  });
});

describe('deploy/: the plugd CLI the containers run', () => {
  it('runs plugd in every workload', () => {
    expect(plugdContainers.map(({ w, c }) => `${w.metadata.name}/${c.name}: ${c.args![0]}`).sort()).toEqual([
      'plugd-control-plane/default-team-label: serve', 'plugd-control-plane/gpu-binpack: serve', 'plugd-control-plane/host: host',
      'plugd-control-plane/pod-security: serve',
      'plugd-example-static-routes/plugin: serve', 'plugd-node/host: host',
    ]);
  });

  it('uses only flags that `plugd host` and `plugd serve` have', () => {
    const missing: string[] = [];
    for (const { w, c } of plugdContainers) {
      const [command, ...rest] = c.args!;
      const known = usageFlags(command!);
      for (const flag of flagValues(rest).keys()) if (!known.has(flag)) missing.push(`plugd ${command} ${flag} (${w.metadata.name}/${c.name})`);
    }
    expect(missing).toEqual([]);
  });

  it('serves modules that exist in the image (the repository under /opt/plugd)', () => {
    for (const { c } of plugdContainers.filter(({ c }) => c.args![0] === 'serve')) {
      const module = c.args![1]!;
      expect(module.startsWith(IMAGE_ROOT), module).toBe(true);
      expect(existsSync(join(ROOT, module.slice(IMAGE_ROOT.length), 'index.ts')), module).toBe(true);
    }
  });

  it('listens (--admin, --webhook, --extender) on exactly the container ports it declares', () => {
    for (const { w, c } of plugdContainers.filter(({ c }) => c.args![0] === 'host')) {
      const flags = flagValues(c.args!.slice(1));
      const listening = LISTEN_FLAGS.filter((f) => flags.has(f)).map((f) => portOf(flags.get(f) as string)).sort();
      expect(listening, `${w.metadata.name}`).toEqual((c.ports ?? []).map((p) => p.containerPort).sort());
      expect(flags.get('--admin'), 'the admin server must not stay on loopback, where kubelet\'s probes cannot reach it').not.toMatch(/^127\./);
    }
  });

  it('points --config and --scheduler-config at mounted ConfigMap keys that plugd accepts', () => {
    let checked = 0;
    for (const { w, c } of plugdContainers.filter(({ c }) => c.args![0] === 'host')) {
      const flags = flagValues(c.args!.slice(1));
      const config = configMapFile(w, c, flags.get('--config') as string);
      expect(config, `${w.metadata.name} --config`).toBeDefined();
      const text = configMapData(config!.configMap)?.[config!.key];
      expect(text, `${config!.configMap}[${config!.key}]`).toBeDefined();
      expect(() => parseConfig(JSON.parse(text!))).not.toThrow();
      checked++;
      if (flags.has('--scheduler-config')) {
        const sc = configMapFile(w, c, flags.get('--scheduler-config') as string)!;
        const doc = JSON.parse(configMapData(sc.configMap)![sc.key]!) as unknown;
        // The profile names the sidecar gpu-binpack, whose hooks are Filter and Score: stand-in
        // for its registration, so that plugd's own parser judges the rest of the document.
        const sidecars = allContainers(w).map((x) => x.name);
        const resolvePlugin = (name: string) => (sidecars.includes(name)
          ? { name, filter: () => undefined, score: () => undefined } as unknown as SchedulerPlugin : undefined);
        expect(loadSchedulerConfiguration(doc, { resolve: resolvePlugin }).profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler']);
        checked++;
      }
    }
    expect(checked).toBe(3);
  });

  it('reads every other file flag from a path the container mounts', () => {
    const FILE_FLAGS = ['--tls-cert', '--tls-key', '--cni-conf-dir', '--cni-path', '--cni-cache-dir', '--socket-dir', '--cni-socket', '--socket'];
    for (const { w, c } of plugdContainers) {
      const flags = flagValues(c.args!.slice(1));
      for (const f of FILE_FLAGS.filter((x) => flags.has(x))) {
        const path = flags.get(f) as string;
        expect(c.volumeMounts?.some((m) => path === m.mountPath || path.startsWith(`${m.mountPath}/`)), `${w.metadata.name}/${c.name} ${f} ${path}`).toBe(true);
      }
    }
  });
});

describe('deploy/: ports, probes, Services and selectors agree', () => {
  it('every probe targets a port its container declares (or checks its plugin\'s socket)', () => {
    for (const w of workloads) {
      for (const c of allContainers(w)) {
        for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe].filter((p): p is Probe => p !== undefined)) {
          if (probe.httpGet) {
            expect(resolvePort(c, probe.httpGet.port), `${w.metadata.name}/${c.name} ${probe.httpGet.path}`).toBeDefined();
            expect(['/healthz', '/readyz']).toContain(probe.httpGet.path);
          } else {
            expect(probe.exec?.command.length, `${w.metadata.name}/${c.name}`).toBeGreaterThan(0);
          }
        }
      }
    }
  });

  it('every host has liveness on /healthz and readiness on /readyz', () => {
    for (const { w, c } of plugdContainers.filter(({ c }) => c.args![0] === 'host')) {
      expect([c.livenessProbe?.httpGet?.path, c.readinessProbe?.httpGet?.path], w.metadata.name).toEqual(['/healthz', '/readyz']);
    }
  });

  it('the Service selects the control-plane pods, and each targetPort is a port they declare', () => {
    const svc = manifests.map((m) => m.obj).find((o) => o.kind === 'Service') as KubeObject & { spec: { selector: Record<string, string>; ports: Array<{ name: string; port: number; targetPort: string | number }> } };
    const selected = workloads.filter((w) => Object.entries(svc.spec.selector).every(([k, v]) => w.spec.template.metadata.labels[k] === v));
    expect(selected.map((w) => w.metadata.name)).toEqual(['plugd-control-plane']);
    const host = selected[0]!.spec.template.spec.containers.find((c) => c.name === 'host')!;
    for (const p of svc.spec.ports) expect(resolvePort(host, p.targetPort), `${p.name} → ${p.targetPort}`).toBeDefined();
  });

  it('the PodDisruptionBudget and the spread constraints select the control-plane pods', () => {
    const dep = workloads.find((w) => w.metadata.name === 'plugd-control-plane')!;
    const pdb = manifests.map((m) => m.obj).find((o) => o.kind === 'PodDisruptionBudget') as KubeObject & { spec: { selector: { matchLabels: Record<string, string> }; minAvailable: number } };
    expect(pdb.spec.selector.matchLabels).toEqual(dep.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBeLessThan(dep.spec.replicas!);
    const spec = dep.spec.template.spec as PodSpec & { topologySpreadConstraints: Array<{ topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }> };
    expect(spec.topologySpreadConstraints.map((t) => t.topologyKey)).toContain('kubernetes.io/hostname');
    for (const t of spec.topologySpreadConstraints) expect(t.labelSelector.matchLabels).toEqual(dep.spec.selector.matchLabels);
    expect(dep.spec.replicas).toBe(2);
  });

  it('each workload\'s selector matches its pod template', () => {
    for (const w of workloads) expect(w.spec.template.metadata.labels).toMatchObject(w.spec.selector.matchLabels);
  });
});

describe('deploy/: admission webhooks and the kube-scheduler extender stanza', () => {
  type Webhook = { name: string; clientConfig: { service: { name: string; namespace: string; path: string; port: number } }; timeoutSeconds: number;
    sideEffects: string; admissionReviewVersions: string[]; failurePolicy: string;
    namespaceSelector: { matchExpressions: Array<{ key: string; operator: string; values: string[] }> } };
  const svc = manifests.map((m) => m.obj).find((o) => o.kind === 'Service') as KubeObject & { spec: { ports: Array<{ name: string; port: number; targetPort: string }> } };
  const host = workloads.find((w) => w.metadata.name === 'plugd-control-plane')!.spec.template.spec.containers.find((c) => c.name === 'host')!;
  const hostFlags = flagValues(host.args!.slice(1));

  it.each([['MutatingWebhookConfiguration', '/mutate'], ['ValidatingWebhookConfiguration', '/validate']])(
    '%s calls the webhook door\'s %s through the Service, on the port --webhook listens on', (kind, path) => {
      const cfg = manifests.map((m) => m.obj).find((o) => o.kind === kind) as KubeObject & { webhooks: Webhook[] };
      expect(cfg.webhooks).toHaveLength(1);
      for (const wh of cfg.webhooks) {
        expect(wh.clientConfig.service).toMatchObject({ name: svc.metadata.name, namespace: 'plugd-system', path });
        const port = svc.spec.ports.find((p) => p.port === wh.clientConfig.service.port)!;
        expect(resolvePort(host, port.targetPort)).toBe(portOf(hostFlags.get('--webhook') as string));
        expect(wh.admissionReviewVersions).toEqual(['v1']);
        expect(wh.sideEffects).toBe('None');
        expect(wh.timeoutSeconds).toBeLessThanOrEqual(5);
        expect(['Fail', 'Ignore']).toContain(wh.failurePolicy);
        expect(wh.namespaceSelector.matchExpressions).toContainEqual({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['plugd-system', 'kube-system'] });
      }
      // The door serves TLS: --tls-cert and --tls-key come from the Secret cert-manager or the script fills.
      expect(hostFlags.has('--tls-cert') && hostFlags.has('--tls-key')).toBe(true);
    });

  it('the serving certificate names the Service as kube-apiserver dials it', () => {
    const cert = manifests.map((m) => m.obj).find((o) => o.kind === 'Certificate') as KubeObject & { spec: { dnsNames: string[]; secretName: string } };
    expect(cert.spec.dnsNames).toContain(`${svc.metadata.name}.plugd-system.svc`);
    const dep = workloads.find((w) => w.metadata.name === 'plugd-control-plane')!;
    expect(dep.spec.template.spec.volumes!.find((v) => v.secret)?.secret?.secretName).toBe(cert.spec.secretName);
  });

  it('the extender stanza is kube-scheduler\'s Extender type, aimed at the extender door', () => {
    const text = configMapData('kube-scheduler-extender')!['scheduler-config.yaml']!;
    const cfg = parseDocs(text, 'scheduler-config.yaml')[0] as { apiVersion: string; kind: string; extenders: Array<Record<string, unknown>> };
    expect([cfg.apiVersion, cfg.kind]).toEqual(['kubescheduler.config.k8s.io/v1', 'KubeSchedulerConfiguration']);
    // kube-scheduler's config/v1 Extender fields.
    const fields = ['urlPrefix', 'filterVerb', 'preemptVerb', 'prioritizeVerb', 'weight', 'bindVerb', 'enableHTTPS', 'tlsConfig', 'httpTimeout', 'nodeCacheCapable', 'managedResources', 'ignorable'];
    expect(cfg.extenders).toHaveLength(1);
    const ext = cfg.extenders[0]!;
    expect(Object.keys(ext).filter((k) => !fields.includes(k))).toEqual([]);
    const url = new URL(ext['urlPrefix'] as string);
    expect(url.hostname).toBe(`${svc.metadata.name}.plugd-system.svc`);
    expect(url.pathname).toBe('/scheduler');
    const port = svc.spec.ports.find((p) => p.port === Number(url.port))!;
    expect(resolvePort(host, port.targetPort)).toBe(portOf(hostFlags.get('--extender') as string));
    expect([ext['filterVerb'], ext['prioritizeVerb']]).toEqual(['filter', 'prioritize']);
    expect(ext['weight']).toBeGreaterThan(0);
    expect(ext['nodeCacheCapable'] === true ? hostFlags.has('--in-cluster') || hostFlags.has('--kubeconfig') : true).toBe(true);
    expect(ext['bindVerb']).toBeUndefined(); // the RBAC grants no pods/binding
  });

  it('RBAC grants the informers list and watch on nodes, pods and namespaces, and nothing else', () => {
    const role = manifests.map((m) => m.obj).find((o) => o.kind === 'ClusterRole') as KubeObject & { rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> };
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['nodes', 'pods', 'namespaces'], verbs: ['list', 'watch'] }]);
    const binding = manifests.map((m) => m.obj).find((o) => o.kind === 'ClusterRoleBinding') as KubeObject & { subjects: Array<{ name: string }>; roleRef: { name: string } };
    expect(binding.roleRef.name).toBe(role.metadata.name);
    const dep = workloads.find((w) => w.metadata.name === 'plugd-control-plane')! as Workload & { spec: { template: { spec: { serviceAccountName: string } } } };
    expect(binding.subjects.map((s) => s.name)).toEqual([dep.spec.template.spec.serviceAccountName]);
  });
});

describe('deploy/: node profile, upgrades and hardening', () => {
  it('the node host runs on the host network on every node, its socket directory a hostPath', () => {
    const ds = workloads.find((w) => w.metadata.name === 'plugd-node')!;
    const spec = ds.spec.template.spec;
    expect(spec.hostNetwork).toBe(true);
    expect(spec.tolerations).toContainEqual({ operator: 'Exists' });
    const host = spec.containers.find((c) => c.name === 'host')!;
    const socketDir = flagValues(host.args!.slice(1)).get('--socket-dir') as string;
    const mount = host.volumeMounts!.find((m) => m.mountPath === socketDir)!;
    expect(spec.volumes!.find((v) => v.name === mount.name)?.hostPath?.path).toBe(socketDir);
  });

  it('the CNI init container installs the shim and a conflist whose plugin is the shim', () => {
    const ds = workloads.find((w) => w.metadata.name === 'plugd-node')!;
    const init = ds.spec.template.spec.initContainers!.find((c) => c.name === 'install-cni')!;
    const script = init.command!.join(' ');
    expect(script).toContain('/opt/plugd/bin/plugd-cni');
    expect(existsSync(join(ROOT, 'bin', 'plugd-cni')), 'bin/plugd-cni (the CNI shim) is in the repository').toBe(true);
    const conflist = JSON.parse(configMapData('plugd-node')!['10-plugd.conflist']!) as { cniVersion: string; name: string; plugins: Array<{ type: string }> };
    expect(conflist.plugins.map((p) => p.type)).toEqual(['plugd-cni']);
    expect(script).toMatch(/\/host\/opt\/cni\/bin\/plugd-cni(\s|$)/);
    expect(script).toMatch(/\/host\/etc\/cni\/net\.d\/10-plugd\.conflist(\s|$)/);
    // The host's own chain for that network name.
    const chain = JSON.parse(configMapData('plugd-node-networks')!['plugd.conflist']!) as { name: string; plugins: Array<{ type: string }> };
    expect(chain.name).toBe(conflist.name);
    expect(chain.plugins.map((p) => p.type)).toContain('static-routes');
  });

  it('plugin rollouts start the new instance before stopping the old (maxSurge 1, maxUnavailable 0)', () => {
    const pluginWorkloads = workloads.filter((w) => allContainers(w).some((c) => c.args?.[0] === 'serve'));
    expect(pluginWorkloads.map((w) => w.metadata.name).sort()).toEqual(['plugd-control-plane', 'plugd-example-static-routes']);
    for (const w of pluginWorkloads) {
      const s = w.kind === 'DaemonSet' ? w.spec.updateStrategy : w.spec.strategy;
      expect(s, w.metadata.name).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    }
  });

  it('a surging plugin DaemonSet names each instance\'s socket after its pod, stays when superseded and is Ready once active', () => {
    const ds = workloads.find((w) => w.metadata.name === 'plugd-example-static-routes')!;
    const c = ds.spec.template.spec.containers[0]!;
    const flags = flagValues(c.args!.slice(2));
    expect(flags.get('--socket')).toMatch(/\$\(POD_NAME\)\.sock$/);
    expect(flags.get('--stay-when-superseded')).toBe(true);
    expect(c.env!.find((e) => e.name === 'PLUGD_SOCKET')?.value).toBe(flags.get('--socket'));
    expect(c.readinessProbe!.exec!.command.join(' ')).toContain("p.state === 'active'");
  });

  it('control-plane sidecars are native sidecars that start before the host and wait for their socket', () => {
    const spec = workloads.find((w) => w.metadata.name === 'plugd-control-plane')!.spec.template.spec;
    const hostDir = flagValues(spec.containers[0]!.args!.slice(1)).get('--socket-dir') as string;
    for (const s of spec.initContainers!) {
      expect(s.restartPolicy).toBe('Always');
      const dir = flagValues(s.args!.slice(2)).get('--socket-dir');
      expect(dir).toBe(hostDir);
      expect(s.startupProbe!.exec!.command).toEqual(['test', '-S', `${hostDir}/${s.name}.sock`]);
    }
  });

  it('every container drops all capabilities, escalates nothing, has a read-only root and sized resources', () => {
    for (const w of workloads) {
      for (const c of allContainers(w)) {
        const where = `${w.metadata.name}/${c.name}`;
        expect(c.securityContext?.allowPrivilegeEscalation, where).toBe(false);
        expect(c.securityContext?.readOnlyRootFilesystem, where).toBe(true);
        expect(c.securityContext?.capabilities?.drop, where).toEqual(['ALL']);
        expect(c.resources?.requests?.cpu && c.resources.requests.memory && c.resources.limits?.memory, where).toBeTruthy();
      }
    }
    const cp = workloads.find((w) => w.metadata.name === 'plugd-control-plane')!.spec.template.spec;
    expect(cp.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    // Only the node host adds capabilities: the CNI binaries its chains exec configure pod netns.
    const adds = workloads.flatMap((w) => allContainers(w).filter((c) => c.securityContext?.capabilities?.add).map((c) => `${w.metadata.name}/${c.name}`));
    expect(adds).toEqual(['plugd-node/host']);
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string> };

  it('builds on node:20-bookworm-slim with `npm ci --omit=dev`, whose prepare step can build dist/', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(dockerfile).toContain('npm ci --omit=dev');
    // --omit=dev keeps `dependencies` only: the build (scripts/build.js) must need nothing else.
    expect(pkg.scripts['prepare']).toBe('node scripts/build.js');
    expect(pkg.dependencies).toHaveProperty('esbuild');
    const imports = [...readFileSync(join(ROOT, 'scripts', 'build.js'), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!).filter((m) => !m.startsWith('node:'));
    expect(imports.filter((m) => !(m in pkg.dependencies))).toEqual([]);
  });

  it('copies every path it names from the repository, and every /opt/plugd path the manifests use', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from=)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/)).map((p) => p.replace(/\/$/, ''));
    for (const p of copied) expect(existsSync(join(ROOT, p)), p).toBe(true);
    // What a build stage makes (COPY --from=STAGE SRC DEST) is in the image though not in the repository.
    const built = [...dockerfile.matchAll(/^COPY --from=\S+ \S+ (\S+)$/gm)].map((m) => m[1]!);
    const used = new Set(manifests.flatMap((m) => JSON.stringify(m.obj).match(/\/opt\/plugd\/[\w./-]+/g) ?? []));
    for (const p of used) {
      const rel = p.slice(IMAGE_ROOT.length);
      if (built.includes(rel)) continue;
      expect(copied.some((c) => rel === c || rel.startsWith(`${c}/`)), `${p} is copied into the image`).toBe(true);
      expect(existsSync(join(ROOT, rel)), `${p} exists in the repository`).toBe(true);
    }
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/opt\/plugd\/bin\/plugd\.js"\]$/m);
  });
});

describe('the CNI shim\'s sender in the image and on the node', () => {
  const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');

  it('is compiled static from bin/plugd-cni-send.c in a build stage and copied beside the shim before npm ci', () => {
    const stage = /^FROM node:20-bookworm-slim AS (\S+)$/m.exec(dockerfile)?.[1];
    expect(stage).toBeTruthy();
    expect(dockerfile).toMatch(/^COPY bin\/plugd-cni-send\.c \/src\/$/m);
    expect(dockerfile).toMatch(/cc .*-static -o \/out\/plugd-cni-send \/src\/plugd-cni-send\.c/);
    const copy = dockerfile.indexOf(`COPY --from=${stage} /out/plugd-cni-send bin/plugd-cni-send`);
    expect(copy).toBeGreaterThan(dockerfile.lastIndexOf('FROM '));
    expect(copy).toBeLessThan(dockerfile.indexOf('RUN npm ci'));
    expect(existsSync(join(ROOT, 'bin', 'plugd-cni-send.c'))).toBe(true);
  });

  it('is installed by the init container beside the shim, before it', () => {
    const ds = workloads.find((w) => w.metadata.name === 'plugd-node')!;
    const script = ds.spec.template.spec.initContainers!.find((c) => c.name === 'install-cni')!.command!.join(' ');
    expect(script).toMatch(/install -m 0755 \/opt\/plugd\/bin\/plugd-cni-send \/host\/opt\/cni\/bin\/\.plugd-cni-send\.tmp/);
    expect(script).toMatch(/mv -f \/host\/opt\/cni\/bin\/\.plugd-cni-send\.tmp \/host\/opt\/cni\/bin\/plugd-cni-send(\s|$)/);
    expect(script.indexOf('/host/opt/cni/bin/plugd-cni-send')).toBeLessThan(script.indexOf('/host/opt/cni/bin/plugd-cni\n'));
  });
});

describe('deploy/control-plane/self-signed-certs.sh', () => {
  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
  if (!openssl) console.warn('deploy: openssl is not installed; the self-signed certificate script is not run');
  it.skipIf(!openssl)('makes a serving certificate for the webhook Service, signed by the CA it makes', () => {
    const out = tempDir('plugd-certs-');
    execFileSync(join(DEPLOY, 'control-plane', 'self-signed-certs.sh'), ['--out', out], { encoding: 'utf8' });
    const ca = new X509Certificate(readFileSync(join(out, 'ca.crt')));
    const cert = new X509Certificate(readFileSync(join(out, 'tls.crt')));
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkHost('plugd.plugd-system.svc')).toBe('plugd.plugd-system.svc');
    expect(cert.checkHost('plugd.plugd-system.svc.cluster.local')).toBe('plugd.plugd-system.svc.cluster.local');
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    expect(statSync(join(out, 'tls.key')).mode & 0o077).toBe(0);
    expect(dirname(join(out, 'tls.key'))).toBe(out);
  });
});
