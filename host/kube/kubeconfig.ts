/**
 * Where the informers' API server and credentials come from: a kubeconfig file (`--kubeconfig`)
 * or the pod's service account (`--in-cluster`). Either is checked at start, so a config that
 * cannot work fails with one error naming the file and the field instead of a retry loop.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeError, KubeErrorCodes } from './errors.js';

/** Where a pod's service account is mounted (client-go rest.InClusterConfig). */
export const SERVICE_ACCOUNT_ROOT = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeConfigSource {
  /** A kubeconfig file; its current-context names the cluster and user. */
  readonly kubeconfig?: string | undefined;
  /** Use the service account token and CA mounted into the pod, and KUBERNETES_SERVICE_HOST/PORT. */
  readonly inCluster?: boolean | undefined;
}

function invalid(message: string, cause?: unknown): KubeError {
  return new KubeError(KubeErrorCodes.CONFIG_INVALID, message, { cause });
}

/** Loads exactly one of `kubeconfig` or `inCluster`; throws KubeError (CONFIG_INVALID) naming the problem. */
export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  if (source.kubeconfig !== undefined && source.inCluster) throw invalid('--kubeconfig and --in-cluster exclude each other: pick one');
  if (source.inCluster) return inClusterConfig();
  if (source.kubeconfig === undefined) throw invalid('no cluster configured: pass --kubeconfig FILE or --in-cluster');
  return kubeConfigFromFile(source.kubeconfig);
}

/** Reads a kubeconfig file (relative cert/key/token paths resolve against its directory). */
export function kubeConfigFromFile(file: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw invalid(`kubeconfig ${file}: ${why}`, err);
  }
  checkKubeConfig(kc, `kubeconfig ${file}`);
  return kc;
}

export interface InClusterOptions {
  /** Default process.env: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default /var/run/secrets/kubernetes.io/serviceaccount (token, ca.crt, namespace). */
  readonly serviceAccountRoot?: string;
}

/**
 * The in-cluster config as client-node's loadFromCluster builds it (https unless the port is
 * 80/8080/8001, the token re-read from its file as kubelet rotates it), after checking that
 * the environment and the token file are there: outside a pod they are not, and the library
 * would only fail at the first request.
 */
export function inClusterConfig(opts: InClusterOptions = {}): KubeConfig {
  const env = opts.env ?? process.env;
  const root = opts.serviceAccountRoot ?? SERVICE_ACCOUNT_ROOT;
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port) throw invalid('--in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set (not running in a pod?)');
  const tokenFile = join(root, 'token');
  const caFile = join(root, 'ca.crt');
  if (!existsSync(tokenFile)) throw invalid(`--in-cluster: no service account token at ${tokenFile} (automountServiceAccountToken false?)`);
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const nsFile = join(root, 'namespace');
  const namespace = existsSync(nsFile) ? readFileSync(nsFile, 'utf8').trim() : undefined;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'inCluster', server, caFile: existsSync(caFile) ? caFile : undefined, skipTLSVerify: false }],
    users: [{ name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser', namespace }],
    currentContext: 'inClusterContext',
  });
  checkKubeConfig(kc, '--in-cluster');
  return kc;
}

/** What the library would only discover at the first request: no context, no server, plain http without skip-verify. */
export function checkKubeConfig(kc: KubeConfig, origin: string): void {
  const ctxName = kc.getCurrentContext();
  if (!ctxName) throw invalid(`${origin}: no current-context`);
  if (kc.getContextObject(ctxName) === null) throw invalid(`${origin}: current-context ${JSON.stringify(ctxName)} is not among its contexts`);
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw invalid(`${origin}: context ${JSON.stringify(ctxName)} names no known cluster`);
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch (err) {
    throw invalid(`${origin}: cluster ${JSON.stringify(cluster.name)}: server ${JSON.stringify(cluster.server)} is not a URL`, err);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(`${origin}: cluster ${JSON.stringify(cluster.name)}: server must be https:// or http://, got ${cluster.server}`);
  if (url.protocol === 'http:' && !cluster.skipTLSVerify && !cluster.proxyUrl) {
    throw invalid(`${origin}: cluster ${JSON.stringify(cluster.name)}: plain http server ${cluster.server} needs insecure-skip-tls-verify: true (the client library refuses it otherwise)`);
  }
}

/** The API server URL of the current context (for logs). */
export function serverOf(kc: KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? '';
}
