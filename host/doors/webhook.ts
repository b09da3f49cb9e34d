/**
 * The admission webhook door: kube-apiserver's AdmissionReview v1 over HTTP(S) in front of the
 * admission chain.
 *
 *   POST /mutate    the mutating plugins; one combined JSONPatch from the object kube sent to the final one
 *   POST /validate  the validating plugins, in parallel; never a patch
 *
 * In and out exactly as kube-apiserver checks: apiVersion admission.k8s.io/v1, kind
 * AdmissionReview, response.uid echoed, patch and patchType together or not at all, status.code
 * 403 on a deny. A body kube would never send gets a 4xx naming what is wrong: malformed JSON,
 * another apiVersion or kind, no request or uid (400), too large (413), wrong method (405),
 * path (404) or Content-Type (415). Slow clients are cut by header and request timeouts.
 * HTTPS when given a certificate, reloaded when its files change; plain HTTP only on loopback.
 */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry as PromRegistry } from 'prom-client';
import type { AdmissionOutcome, ReviewOptions } from '../admission/chain.js';
import {
  ADMISSION_API_VERSION,
  ADMISSION_REVIEW_KIND,
  AdmissionRequestError,
  parseAdmissionReview,
  type AdmissionRequest,
  type AdmissionResponse,
  type AdmissionReviewResponse,
} from '../admission/review.js';
import { DEFAULT_WEBHOOK_MAX_BODY_BYTES } from '../config.js';
import { ErrorCodes, PlugdError } from '../errors.js';

/** What the door calls (AdmissionChain satisfies it). */
export interface AdmissionReviewer {
  mutate(request: AdmissionRequest, opts?: ReviewOptions): Promise<AdmissionOutcome>;
  validate(request: AdmissionRequest, opts?: ReviewOptions): Promise<AdmissionOutcome>;
}

export interface WebhookDoorOptions {
  readonly chain: AdmissionReviewer;
  readonly logger: Logger;
  /** The host's Prometheus registry (HostMetrics.registry). */
  readonly metrics: PromRegistry;
  /** Default 6 MiB (config webhook.maxBodyBytes, --webhook-max-body-bytes). */
  readonly maxBodyBytes?: number;
}

/** An answer the door gives at the HTTP level instead of an AdmissionReview. */
class DoorError extends Error {
  constructor(readonly httpStatus: number, message: string) {
    super(message);
  }
}

type Path = '/mutate' | '/validate';

// kube-apiserver appends ?timeout=<Go duration>; answer a little before it gives up.
const DEADLINE_MARGIN_MS = 50;
const DURATION = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("10s", "1m30s", "500ms") in ms; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (!/^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(DURATION)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms;
}

function metric<T>(registry: PromRegistry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** Audit annotation keys as kube-apiserver keeps them: it prefixes "<webhook>/", so ours carry no "/" ("plugin.key"). */
const AUDIT_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** The AdmissionReview answer for an outcome; `patch` only on /mutate, and only when the object changed. */
export function admissionResponse(uid: string, outcome: AdmissionOutcome, withPatch: boolean, log?: Logger): AdmissionReviewResponse {
  const response: AdmissionResponse = { uid, allowed: outcome.allowed };
  if (!outcome.allowed) response.status = { status: 'Failure', code: outcome.status.code, message: outcome.status.message, reason: outcome.status.reason };
  else if (withPatch && outcome.patch.length > 0) {
    response.patch = Buffer.from(JSON.stringify(outcome.patch)).toString('base64');
    response.patchType = 'JSONPatch';
  }
  if (outcome.warnings.length > 0) response.warnings = outcome.warnings;
  const audit: Record<string, string> = {};
  for (const [k, v] of Object.entries(outcome.auditAnnotations)) {
    const flat = k.replace('/', '.');
    if (flat.length <= 63 && AUDIT_NAME.test(flat)) audit[flat] = v;
    else log?.warn({ key: k }, `audit annotation ${JSON.stringify(k)} cannot be a valid key once kube-apiserver prefixes it (${JSON.stringify(flat)} is over 63 characters or not a name); dropped`);
  }
  if (Object.keys(audit).length > 0) response.auditAnnotations = audit;
  return { apiVersion: ADMISSION_API_VERSION, kind: ADMISSION_REVIEW_KIND, response };
}

export class WebhookDoor {
  readonly #chain: AdmissionReviewer;
  readonly #log: Logger;
  readonly #maxBody: number;
  readonly #requests: Counter<'door' | 'path' | 'code'>;
  readonly #seconds: Histogram<'door' | 'path'>;

  constructor(opts: WebhookDoorOptions) {
    this.#chain = opts.chain;
    this.#log = opts.logger;
    this.#maxBody = opts.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES;
    const registers = [opts.metrics];
    this.#requests = metric(opts.metrics, 'plugd_door_requests_total', () => new Counter({
      name: 'plugd_door_requests_total', help: 'Requests to a front door, by door, path and HTTP status', labelNames: ['door', 'path', 'code'] as const, registers,
    }));
    this.#seconds = metric(opts.metrics, 'plugd_door_request_duration_seconds', () => new Histogram({
      name: 'plugd_door_request_duration_seconds', help: 'Latency of front-door requests, by door and path', labelNames: ['door', 'path'] as const,
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers,
    }));
  }

  /** The node:http request listener. Never throws: every failure is an HTTP answer and a log line. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const path: Path | undefined = rawPath === '/mutate' || rawPath === '/validate' ? rawPath : undefined;
    const label = path ?? 'other';
    res.once('finish', () => {
      this.#requests.labels('webhook', label, String(res.statusCode)).inc();
      this.#seconds.labels('webhook', label).observe((performance.now() - started) / 1000);
    });
    this.#serve(req, res, rawPath, path).catch((err: unknown) => {
      if (err instanceof DoorError) {
        this.#log.warn({ door: 'webhook', path: rawPath, status: err.httpStatus, remote: req.socket?.remoteAddress }, `webhook ${req.method ?? '?'} ${rawPath}: ${err.httpStatus}: ${err.message}`);
        this.#send(req, res, err.httpStatus, { message: err.message }, err.httpStatus === 413);
        return;
      }
      this.#log.error({ door: 'webhook', path: rawPath, err }, `webhook ${rawPath}: internal error: ${(err as Error)?.message ?? String(err)}`);
      this.#send(req, res, 500, { message: `internal error: ${(err as Error)?.message ?? String(err)}` }, false);
    });
  };

  async #serve(req: IncomingMessage, res: ServerResponse, rawPath: string, path: Path | undefined): Promise<void> {
    if (path === undefined) {
      req.resume();
      throw new DoorError(404, `no webhook at ${rawPath}: serving POST /mutate and POST /validate`);
    }
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('Allow', 'POST');
      throw new DoorError(405, `${req.method ?? '?'} ${path}: AdmissionReview webhooks take POST only`);
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      throw new DoorError(415, `Content-Type must be application/json (kube-apiserver sends AdmissionReview as JSON), got ${req.headers['content-type'] === undefined ? 'none' : JSON.stringify(req.headers['content-type'])}`);
    }
    const text = await this.#readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new DoorError(400, text.trim() === '' ? 'empty body: expected an AdmissionReview' : `body is not valid JSON: ${(err as Error).message}`);
    }
    let request: AdmissionRequest;
    try {
      request = parseAdmissionReview(body);
    } catch (err) {
      if (err instanceof AdmissionRequestError) throw new DoorError(400, `not an AdmissionReview ${ADMISSION_API_VERSION} request: ${err.message}`);
      throw err;
    }
    const q = (req.url ?? '').indexOf('?');
    const timeout = q < 0 ? null : new URLSearchParams(req.url!.slice(q + 1)).get('timeout');
    const kubeMs = timeout === null ? undefined : parseGoDuration(timeout);
    const opts: ReviewOptions = kubeMs === undefined ? {} : { timeoutMs: Math.max(1, kubeMs - DEADLINE_MARGIN_MS) };
    const outcome = path === '/mutate' ? await this.#chain.mutate(request, opts) : await this.#chain.validate(request, opts);
    if (!outcome.allowed) {
      const failed = outcome.status.code >= 500;
      this.#log[failed ? 'warn' : 'info']({ door: 'webhook', path, uid: request.uid, plugin: outcome.plugin, code: outcome.status.code, operation: request.operation, resource: request.resource.resource, namespace: request.namespace, name: request.name },
        `webhook ${path}: ${request.operation} ${request.resource.resource} ${request.namespace ? `${request.namespace}/` : ''}${request.name ?? ''} ${failed ? 'failed' : 'denied'} by plugin ${outcome.plugin} (${outcome.status.code}): ${outcome.status.message}`);
    }
    this.#send(req, res, 200, admissionResponse(request.uid, outcome, path === '/mutate', this.#log), false);
  }

  /**
   * Reads the body within the limit. Past it, the rest is drained (not read into memory) so the
   * 413 reaches the client; destroying the request instead would reset the connection unanswered.
   */
  #readBody(req: IncomingMessage): Promise<string> {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.#maxBody) {
      req.resume();
      return Promise.reject(new DoorError(413, `request body of ${declared} bytes exceeds the limit of ${this.#maxBody} bytes (webhook.maxBodyBytes)`));
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        fn();
      };
      req.on('data', (b: Buffer) => {
        if (settled) return;
        size += b.length;
        if (size > this.#maxBody) {
          chunks.length = 0;
          settle(() => reject(new DoorError(413, `request body exceeds the limit of ${this.#maxBody} bytes (webhook.maxBodyBytes)`)));
        } else chunks.push(b);
      });
      req.on('end', () => settle(() => {
        if (Number.isFinite(declared) && size < declared) reject(new DoorError(400, `request body truncated: ${size} of ${declared} bytes`));
        else resolve(Buffer.concat(chunks, size).toString('utf8'));
      }));
      req.on('error', (err) => settle(() => reject(new DoorError(400, `request body truncated: ${err.message}`))));
      req.on('close', () => settle(() => reject(new DoorError(400, `request body truncated: the client closed the connection after ${size} bytes`))));
    });
  }

  #send(req: IncomingMessage, res: ServerResponse, code: number, body: unknown, close: boolean): void {
    if (res.headersSent || res.destroyed || req.socket === null || req.socket.destroyed) return;
    const text = JSON.stringify(body);
    const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) };
    if (close) headers.Connection = 'close';
    res.writeHead(code, headers);
    res.end(text);
  }
}

// ---------------------------------------------------------------- listening

export interface WebhookListenOptions {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  /** PEM files; without them the door speaks plain HTTP, which only a loopback address may. */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** Default 10000 ms. */
  readonly headersTimeoutMs?: number;
  /** Default 30000 ms. */
  readonly requestTimeoutMs?: number;
  /** How often the certificate files are re-read besides file-change events. Default 10000 ms. */
  readonly certPollMs?: number;
}

export interface WebhookServer {
  readonly server: Server;
  /** https://host:port or http://host:port (the port the OS chose when 0 was asked for). */
  readonly url: string;
  /** Certificate reloads that took effect so far. */
  readonly reloads: () => number;
  close(): Promise<void>;
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return false;
}

interface PemPair {
  cert: Buffer;
  key: Buffer;
}

function readPair(certFile: string, keyFile: string): PemPair {
  const pair = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  createSecureContext(pair); // throws on a mismatched or unparsable pair
  return pair;
}

/**
 * Keeps the server's certificate in step with its files. Kubernetes updates a Secret volume by
 * swapping a `..data` symlink in the directory, so the directories are watched (not the files,
 * whose inodes are replaced), with a periodic re-read besides; a pair that does not load (half
 * written, mismatched) is logged and the old one keeps serving until the next change.
 */
class CertReloader {
  readonly #watchers: FSWatcher[] = [];
  readonly #poll: NodeJS.Timeout;
  #debounce: NodeJS.Timeout | undefined;
  #current: PemPair;
  #failedOn: string | undefined;
  reloads = 0;

  constructor(
    readonly certFile: string,
    readonly keyFile: string,
    initial: PemPair,
    readonly apply: (pair: PemPair) => void,
    readonly log: Logger,
    pollMs: number,
  ) {
    this.#current = initial;
    for (const dir of new Set([dirname(certFile), dirname(keyFile)])) {
      try {
        const w = watch(dir, () => this.#soon());
        w.on('error', (err) => this.log.warn({ dir, err }, `webhook TLS: watching ${dir} failed (${err.message}); certificate changes are picked up by polling`));
        this.#watchers.push(w);
      } catch (err) {
        this.log.warn({ dir }, `webhook TLS: cannot watch ${dir} (${(err as Error).message}); certificate changes are picked up by polling`);
      }
    }
    this.#poll = setInterval(() => this.check(), pollMs);
    this.#poll.unref();
  }

  #soon(): void {
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => this.check(), 50);
    this.#debounce.unref();
  }

  /** Re-reads the files; applies a new pair that loads. */
  check(): void {
    let cert: Buffer;
    let key: Buffer;
    try {
      cert = readFileSync(this.certFile);
      key = readFileSync(this.keyFile);
    } catch (err) {
      this.#failed(`cannot read: ${(err as Error).message}`);
      return;
    }
    if (cert.equals(this.#current.cert) && key.equals(this.#current.key)) return;
    try {
      createSecureContext({ cert, key });
    } catch (err) {
      this.#failed(`the new certificate and key do not load together (${(err as Error).message})`);
      return;
    }
    this.#current = { cert, key };
    this.#failedOn = undefined;
    this.apply(this.#current);
    this.reloads++;
    this.log.info({ cert: this.certFile, key: this.keyFile, reloads: this.reloads }, 'webhook TLS: certificate reloaded');
  }

  #failed(why: string): void {
    // One line per distinct problem: a half-written pair is retried at the next change or poll.
    if (this.#failedOn === why) return;
    this.#failedOn = why;
    this.log.warn({ cert: this.certFile, key: this.keyFile }, `webhook TLS: keeping the current certificate: ${why}`);
  }

  close(): void {
    clearInterval(this.#poll);
    clearTimeout(this.#debounce);
    for (const w of this.#watchers) w.close();
  }
}

/** Listens and serves the door: HTTPS with the given pair, or plain HTTP on a loopback address only. */
export async function listenWebhook(door: WebhookDoor, opts: WebhookListenOptions, log: Logger): Promise<WebhookServer> {
  const tls = opts.tlsCert !== undefined || opts.tlsKey !== undefined;
  if (tls && (opts.tlsCert === undefined || opts.tlsKey === undefined)) {
    throw new PlugdError(ErrorCodes.CONFIG_INVALID, '--tls-cert and --tls-key go together');
  }
  if (!tls && !isLoopback(opts.host)) {
    throw new PlugdError(ErrorCodes.CONFIG_INVALID,
      `--webhook ${opts.host}:${opts.port}: plain HTTP is served on loopback addresses only (kube-apiserver calls webhooks over HTTPS); give --tls-cert FILE --tls-key FILE, or listen on 127.0.0.1`);
  }
  const headersTimeout = opts.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(opts.requestTimeoutMs ?? 30_000, headersTimeout);
  // Node checks both timeouts on this interval (30 s by default): tighter, so a slow client is cut on time.
  // Idle keep-alive connections outlive Go's 90 s IdleConnTimeout (kube-apiserver's client): the client, not the
  // server, closes them, so a POST never races the server's close (Go does not retry a POST on a reset).
  const serverOpts = { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))), keepAliveTimeout: 120_000 };
  let server: Server;
  let reloader: CertReloader | undefined;
  if (tls) {
    let pair: PemPair;
    try {
      pair = readPair(opts.tlsCert!, opts.tlsKey!);
    } catch (err) {
      throw new PlugdError(ErrorCodes.WEBHOOK_TLS, `webhook TLS: cannot load --tls-cert ${opts.tlsCert} and --tls-key ${opts.tlsKey}: ${(err as Error).message}`, { cause: err });
    }
    const https = createHttpsServer({ ...serverOpts, cert: pair.cert, key: pair.key }, door.handle);
    reloader = new CertReloader(opts.tlsCert!, opts.tlsKey!, pair, (p) => https.setSecureContext({ cert: p.cert, key: p.key }), log, opts.certPollMs ?? 10_000);
    server = https;
  } else {
    server = createHttpServer(serverOpts, door.handle);
  }
  // A client that errs at the TLS or HTTP level (garbage, a reset) gets a 400 and the connection closed, never a crash.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  server.on('tlsClientError', (err) => log.debug({ err: err.message }, 'webhook TLS: handshake failed'));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    reloader?.close();
    throw new PlugdError(ErrorCodes.CONFIG_INVALID, `--webhook ${opts.host}:${opts.port}: cannot listen: ${(err as Error).message}`, { cause: err });
  }
  server.on('error', (err) => log.error({ err }, `webhook server error: ${err.message}`));
  const addr = server.address() as AddressInfo;
  const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${tls ? 'https' : 'http'}://${h}:${addr.port}`;
  log.info({ url, tls }, `webhook door listening on ${url} (POST /mutate, POST /validate)`);
  return {
    server,
    url,
    reloads: () => reloader?.reloads ?? 0,
    close: () => new Promise<void>((resolve) => {
      reloader?.close();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
