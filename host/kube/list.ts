/**
 * The informers' list request: GET {path}?limit=N, following `metadata.continue` until the
 * last page, as the API server's paged List (client-go pager). The body is kept as the JSON
 * the API server sent, exactly like the watch events, so the object store, the cluster state
 * and the plugins see one shape (the generated client would turn timestamps into Dates and
 * walk every field through its serializer).
 */
import { request as httpRequest, type Agent, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { KubeError, KubeErrorCodes } from './errors.js';

/** A core/v1 object as served: metadata plus whatever the kind carries. */
export interface KubeObject extends KubernetesObject {
  readonly [field: string]: unknown;
}

export type KubeList = KubernetesListObject<KubeObject>;

export interface ListOptions {
  /** Items per page (the `limit` parameter). Default 500, client-go's pager default. */
  readonly pageSize?: number;
  /** Per-request deadline. Default 60 s. */
  readonly timeoutMs?: number;
  readonly resource?: string;
}

/** A Status object's fields, when the body is one (kube-apiserver errors are). */
export function statusOf(body: unknown): { code?: number; reason?: string; message?: string } | undefined {
  if (typeof body !== 'object' || body === null || (body as { kind?: unknown }).kind !== 'Status') return undefined;
  const s = body as { code?: unknown; reason?: unknown; message?: unknown };
  return {
    code: typeof s.code === 'number' ? s.code : undefined,
    reason: typeof s.reason === 'string' ? s.reason : undefined,
    message: typeof s.message === 'string' ? s.message : undefined,
  };
}

/** GET one URL with the kubeconfig's credentials; resolves with the status and parsed JSON body. */
export async function getJson(kc: KubeConfig, url: URL, timeoutMs: number, resource?: string): Promise<{ status: number; body: unknown }> {
  const opts: RequestOptions & { agent?: Agent; auth?: string } = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const headers = { ...(opts.headers as Record<string, string>), accept: 'application/json', 'user-agent': 'plugd' };
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'GET', agent: opts.agent, headers, auth: opts.auth, timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(failed(`GET ${url.pathname}: response broke off: ${err.message}`, resource, err)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text.length > 0 ? JSON.parse(text) : undefined;
        } catch (err) {
          if (res.statusCode === 200) return reject(failed(`GET ${url.pathname}: the body is not JSON`, resource, err));
          body = text;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(failed(`GET ${url.host}${url.pathname}: ${err.message}`, resource, err)));
    req.end();
  });
}

function failed(message: string, resource: string | undefined, cause: unknown, status?: number, reason?: string): KubeError {
  return new KubeError(KubeErrorCodes.REQUEST_FAILED, message, { resource, cause, status, reason });
}

/** Lists every object at `path` (e.g. /api/v1/pods), all pages; the List carries the resourceVersion to watch from. */
export async function listAll(kc: KubeConfig, path: string, opts: ListOptions = {}): Promise<KubeList> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new KubeError(KubeErrorCodes.CONFIG_INVALID, 'no current cluster in the kubeconfig', { resource: opts.resource });
  const items: KubeObject[] = [];
  let cont: string | undefined;
  let list: KubeList | undefined;
  do {
    const url = new URL(server.replace(/\/$/, '') + path);
    url.searchParams.set('limit', String(opts.pageSize ?? 500));
    if (cont !== undefined) url.searchParams.set('continue', cont);
    const { status, body } = await getJson(kc, url, opts.timeoutMs ?? 60_000, opts.resource);
    if (status !== 200) {
      const s = statusOf(body);
      const why = s?.message ?? (typeof body === 'string' && body.length > 0 ? body.slice(0, 200) : `HTTP ${status}`);
      throw failed(`list ${path}: HTTP ${status}${s?.reason ? ` ${s.reason}` : ''}: ${why}`, opts.resource, undefined, status, s?.reason);
    }
    const page = body as Partial<KubeList> | undefined;
    if (page === undefined || !Array.isArray(page.items)) throw failed(`list ${path}: the answer has no items array`, opts.resource, undefined);
    items.push(...page.items);
    list = page as KubeList;
    // Raw JSON: the field is `continue` (the generated model's `_continue` is its TS spelling).
    const next = (list.metadata as Record<string, unknown> | undefined)?.['continue'];
    cont = typeof next === 'string' && next.length > 0 ? next : undefined;
  } while (cont);
  return { apiVersion: list.apiVersion, kind: list.kind, metadata: { resourceVersion: list.metadata?.resourceVersion }, items };
}
