/**
 * The admin HTTP server: / (the live status page), /status.json (what it renders), /healthz,
 * /readyz, /metrics (Prometheus), /plugins (JSON, one object per instance), /discovery, /cluster.
 * Read-only; bind it to loopback or protect it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { HostMetrics } from './metrics.js';
import type { InstanceStatus } from './registry/registry.js';
import { pageHeaders, pageNonce, statusPage } from './status/page.js';
import type { StatusSnapshot } from './status/types.js';

export interface AdminSource {
  readonly metrics: HostMetrics;
  plugins(): InstanceStatus[];
  /** Discovery entries that are not registered plugins (rejected, waiting, ignored). */
  unregistered(): Array<{ path: string; status: string; reason: string | undefined }>;
  isReady(): boolean;
  /** The status page's data. */
  status(): StatusSnapshot;
  /** What /readyz names while not ready (default: the socket directory's initial scan). */
  notReadyReason?(): string;
  /** GET /cluster: the cluster state summary (nodes, pods, generation, sources and their sync). */
  cluster?(): unknown;
}

export interface AdminServer {
  readonly url: string;
  readonly address: AddressInfo;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export async function startAdmin(src: AdminSource, listen: { host: string; port: number }, log: Logger): Promise<AdminServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/': {
        const nonce = pageNonce();
        res.writeHead(200, pageHeaders(nonce));
        res.end(req.method === 'HEAD' ? undefined : statusPage(src.status(), nonce));
        return;
      }
      case '/status.json':
        return send(res, 200, 'application/json', `${JSON.stringify(src.status())}\n`);
      case '/healthz':
        return send(res, 200, 'text/plain', 'ok\n');
      case '/readyz':
        return src.isReady() ? send(res, 200, 'text/plain', 'ready\n')
          : send(res, 503, 'text/plain', `${src.notReadyReason?.() ?? 'initial scan of the socket directory not finished'}\n`);
      case '/metrics': {
        const gauge = src.metrics.plugins;
        gauge.reset();
        for (const p of src.plugins()) gauge.labels(p.type, p.state === 'active' && !p.healthy ? 'unhealthy' : p.state).inc();
        return send(res, 200, src.metrics.registry.contentType, await src.metrics.registry.metrics());
      }
      case '/plugins':
        return send(res, 200, 'application/json', `${JSON.stringify(src.plugins(), null, 2)}\n`);
      case '/cluster':
        if (src.cluster === undefined) break;
        return send(res, 200, 'application/json', `${JSON.stringify(src.cluster(), null, 2)}\n`);
      case '/discovery':
        return send(res, 200, 'application/json', `${JSON.stringify(src.unregistered(), null, 2)}\n`);
    }
    return send(res, 404, 'text/plain', 'not found: try /, /status.json, /plugins, /metrics, /healthz, /readyz, /discovery, /cluster\n');
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'admin request failed');
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    address,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
