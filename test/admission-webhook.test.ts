/**
 * The AdmissionReview v1 webhook door over real plugin processes: complete CREATE, UPDATE,
 * DELETE and CONNECT reviews as kube-apiserver sends them, answers checked as kube-apiserver
 * checks them; every malformed input (bad JSON, wrong apiVersion or kind, no request or uid,
 * too large, wrong method, path or Content-Type, truncated body, slow client); HTTPS with a
 * certificate made by openssl and reloaded when its files change (Secret-volume style);
 * the metrics; and `plugd host --webhook` as users run it.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { applyPatch } from 'rfc6902';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdmissionChain } from '../host/admission/chain.js';
import type { JsonObject } from '../host/admission/review.js';
import { listenWebhook, WebhookDoor, type WebhookServer } from '../host/doors/webhook.js';
import { createPodReview, deletePodReview, execPodReview, requestOf, updatePodReview } from './admission-reviews.js';
import type { FixtureSpec } from './fixtures/admission-plugins.js';
import { adminGet, cleanup, CLI, dist, metricValue, onCleanup, spawnNode, startHost, tempDir, waitFor, type TestHost } from './helpers.js';

const RULE = (ops: string[], resources = ['pods']) => [{ operations: ops, apiGroups: [''], apiVersions: ['v1'], resources }];
const SPECS: FixtureSpec[] = [
  { name: 'inject', capabilities: { kind: 'MUTATING', sideEffects: 'NONE', rules: RULE(['CREATE']) },
    actions: [{ patch: [{ op: 'add', path: '/spec/containers/-', value: { name: 'log-shipper', image: 'fluent-bit:3.1' } }] }, { setLabel: ['injected', 'true'] }] },
  { name: 'team', capabilities: { kind: 'MUTATING', sideEffects: 'NONE', rules: RULE(['CREATE']) }, actions: [{ setLabel: ['team', 'shop'] }] },
  { name: 'policy', capabilities: { kind: 'VALIDATING', sideEffects: 'NONE', rules: RULE(['CREATE', 'UPDATE']) },
    actions: [{ requireLabel: 'team' }, { warn: 'checked' }, { audit: { rule: 'team-label' } }] },
  { name: 'no-exec', capabilities: { kind: 'VALIDATING', sideEffects: 'NONE', rules: RULE(['CONNECT'], ['pods/exec']) }, actions: [{ deny: { message: 'exec is disabled in shop' } }] },
  { name: 'guard-delete', capabilities: { kind: 'VALIDATING', sideEffects: 'NONE', rules: RULE(['DELETE']), objectSelector: { matchLabels: { protected: 'true' } } },
    actions: [{ deny: { message: 'protected pod' } }] },
];

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: () => Record<string, unknown>;
  cert?: string;
}

/** One HTTP(S) request on a fresh connection. */
function request(url: string, body: string | Buffer | undefined, opts: { method?: string; headers?: Record<string, string>; ca?: Buffer } = {}): Promise<Reply> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(u, { method: opts.method ?? 'POST', headers: { 'Content-Type': 'application/json', ...opts.headers }, agent: false, ...(opts.ca ? { ca: opts.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      const peer = (res.socket as { getPeerCertificate?: () => { fingerprint256?: string } }).getPeerCertificate?.();
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown>, cert: peer?.fingerprint256 });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A raw TCP conversation: what the server wrote, once it closed the connection. */
function raw(port: number, write: (s: Socket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('close', () => resolve(Buffer.concat(chunks).toString()));
    s.on('error', reject);
    s.on('connect', () => write(s));
  });
}

type Response = { uid: string; allowed: boolean; status?: { code: number; message: string; reason: string }; patch?: string; patchType?: string; warnings?: string[]; auditAnnotations?: Record<string, string> };

function reviewResponse(r: Reply): Response {
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toBe('application/json');
  const body = r.json();
  expect(body.apiVersion).toBe('admission.k8s.io/v1');
  expect(body.kind).toBe('AdmissionReview');
  const res = body.response as Response;
  // kube-apiserver's own check: patch and patchType together or not at all.
  expect(res.patch === undefined).toBe(res.patchType === undefined);
  return res;
}

let th: TestHost;
let chain: AdmissionChain;
let door: WebhookDoor;
let srv: WebhookServer;

beforeAll(async () => {
  th = await startHost();
  spawnNode(dist('test/fixtures/admission-plugins.ts'), ['--socket-dir', th.socketDir, '--spec', JSON.stringify(SPECS)]);
  chain = new AdmissionChain(th.host);
  await waitFor(() => chain.plugins().mutating.length + chain.plugins().validating.length === SPECS.length, 'the fixture plugins in the chain', 30_000);
  door = new WebhookDoor({ chain, logger: th.host.logger, metrics: th.host.metrics.registry, maxBodyBytes: 64 * 1024 });
  srv = await listenWebhook(door, { host: '127.0.0.1', port: 0, headersTimeoutMs: 500, requestTimeoutMs: 1000 }, th.host.logger);
  onCleanup(() => srv.close());
}, 60_000);

afterAll(async () => {
  chain.close();
  await cleanup();
});

describe('AdmissionReview v1 in and out', () => {
  it('CREATE on /mutate: uid echoed, one base64 JSONPatch with patchType that turns the object into the chain\'s result', async () => {
    const review = createPodReview();
    const res = reviewResponse(await request(`${srv.url}/mutate?timeout=10s`, JSON.stringify(review)));
    expect(res.uid).toBe(requestOf(review).uid);
    expect(res.allowed).toBe(true);
    expect(res.status).toBeUndefined();
    expect(res.patchType).toBe('JSONPatch');
    const ops = JSON.parse(Buffer.from(res.patch!, 'base64').toString());
    const object = structuredClone(requestOf(review).object) as JsonObject;
    expect(applyPatch(object, ops).every((e) => e === null)).toBe(true);
    const direct = await chain.mutate(requestOf(createPodReview()));
    expect(object).toEqual(direct.allowed ? direct.object : undefined);
    expect((object.metadata as { labels: Record<string, string> }).labels).toMatchObject({ injected: 'true', team: 'shop' });
    expect((object.spec as { containers: Array<{ name: string }> }).containers.map((c) => c.name)).toEqual(['web', 'log-shipper']);
  });

  it('CREATE on /validate: 403 naming the plugin for the raw object, allowed with warnings and audit annotations for the mutated one', async () => {
    const review = createPodReview();
    const denied = reviewResponse(await request(`${srv.url}/validate`, JSON.stringify(review)));
    expect(denied).toMatchObject({ uid: requestOf(review).uid, allowed: false, status: { code: 403, reason: 'Forbidden', message: 'admission plugin "policy" denied the request: label team is required' } });
    expect(denied.patch).toBeUndefined();
    const labelled = createPodReview({ labels: { team: 'shop' } });
    const ok = reviewResponse(await request(`${srv.url}/validate`, JSON.stringify(labelled)));
    expect(ok).toEqual({ uid: requestOf(labelled).uid, allowed: true, warnings: ['policy: checked'], auditAnnotations: { 'policy.rule': 'team-label' } });
  });

  it('UPDATE with oldObject: validated; no mutating rule for UPDATE, so no patch at all', async () => {
    const review = updatePodReview({ labels: { team: 'shop' } });
    expect(reviewResponse(await request(`${srv.url}/validate`, JSON.stringify(review)))).toMatchObject({ allowed: true });
    const m = reviewResponse(await request(`${srv.url}/mutate`, JSON.stringify(review)));
    expect(m).toEqual({ uid: requestOf(review).uid, allowed: true });
  });

  it('DELETE (oldObject only): the old object\'s labels decide', async () => {
    const review = deletePodReview({ labels: { protected: 'true' } });
    expect(reviewResponse(await request(`${srv.url}/validate`, JSON.stringify(review)))).toMatchObject({ allowed: false, status: { code: 403, message: 'admission plugin "guard-delete" denied the request: protected pod' } });
    expect(reviewResponse(await request(`${srv.url}/validate`, JSON.stringify(deletePodReview())))).toMatchObject({ allowed: true });
    expect(reviewResponse(await request(`${srv.url}/mutate`, JSON.stringify(review)))).toMatchObject({ allowed: true });
  });

  it('CONNECT pods/exec with PodExecOptions', async () => {
    const review = execPodReview();
    expect(reviewResponse(await request(`${srv.url}/validate`, JSON.stringify(review)))).toMatchObject({
      uid: requestOf(review).uid, allowed: false, status: { code: 403, message: 'admission plugin "no-exec" denied the request: exec is disabled in shop' },
    });
  });
});

describe('malformed input: a clear 4xx, and the door keeps serving', () => {
  const good = () => createPodReview();
  const withRequest = (f: (r: JsonObject) => void) => {
    const r = good();
    f(requestOf(r));
    return JSON.stringify(r);
  };
  it.each([
    ['malformed JSON', '{"apiVersion":"admission.k8s.io/v1",', {}, 400, /not valid JSON/],
    ['an empty body', '', {}, 400, /empty body/],
    ['a JSON array', '[]', {}, 400, /expected an AdmissionReview object/],
    ['apiVersion v1beta1', JSON.stringify({ ...good(), apiVersion: 'admission.k8s.io/v1beta1' }), {}, 400, /expected "admission.k8s.io\/v1", got "admission.k8s.io\/v1beta1".*admissionReviewVersions/],
    ['no apiVersion', JSON.stringify({ ...good(), apiVersion: undefined }), {}, 400, /apiVersion: expected "admission.k8s.io\/v1", got none/],
    ['another kind', JSON.stringify({ ...good(), kind: 'ConversionReview' }), {}, 400, /kind: expected "AdmissionReview", got "ConversionReview"/],
    ['no request', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), {}, 400, /request is missing/],
    ['no uid', withRequest((r) => delete r.uid), {}, 400, /request\.uid is missing/],
    ['a bad operation', withRequest((r) => { r.operation = 7; }), {}, 400, /request\.operation/],
    ['an object that is not an object', withRequest((r) => { r.object = 'pod'; }), {}, 400, /request\.object/],
    ['text/plain', JSON.stringify(good()), { 'Content-Type': 'text/plain' }, 415, /Content-Type must be application\/json/],
    ['a body over the limit', JSON.stringify({ ...good(), padding: 'x'.repeat(70 * 1024) }), {}, 413, /exceeds the limit of 65536 bytes/],
  ])('%s', async (_name, body, headers, status, message) => {
    const r = await request(`${srv.url}/mutate`, body, { headers: headers as Record<string, string> });
    expect(r.status).toBe(status);
    expect(r.json().message).toMatch(message);
  });

  it('wrong method and wrong path', async () => {
    const get = await request(`${srv.url}/mutate`, undefined, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const other = await request(`${srv.url}/admit`, JSON.stringify(good()));
    expect(other.status).toBe(404);
    expect(other.json().message).toMatch(/POST \/mutate and POST \/validate/);
  });

  it('a body over the limit streamed without Content-Length', async () => {
    const r = await request(`${srv.url}/validate`, Buffer.alloc(70 * 1024, 0x20), { headers: { 'Transfer-Encoding': 'chunked' } });
    expect(r.status).toBe(413);
  });

  it('a truncated body (the client stops sending) is answered or closed, never a crash or a hang', async () => {
    const text = JSON.stringify(good());
    const answer = await raw(Number(new URL(srv.url).port), (s) => {
      s.write(`POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${text.length}\r\n\r\n${text.slice(0, 100)}`);
      s.end();
    });
    expect(answer === '' || /^HTTP\/1\.1 (400|408)/.test(answer)).toBe(true);
    expect(reviewResponse(await request(`${srv.url}/mutate`, JSON.stringify(good()))).allowed).toBe(true);
  });

  it('a slow client (slowloris) is cut at the header timeout; a trickling body at the request timeout', async () => {
    const port = Number(new URL(srv.url).port);
    const headers = await raw(port, (s) => s.write('POST /mutate HTTP/1.1\r\nHost: x\r\n'));
    expect(headers).toMatch(/^HTTP\/1\.1 408/);
    const text = JSON.stringify(good());
    let timer: NodeJS.Timeout | undefined;
    const body = await raw(port, (s) => {
      s.write(`POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${text.length}\r\n\r\n`);
      let i = 0;
      timer = setInterval(() => { if (!s.destroyed && i < text.length) s.write(text[i++]!); }, 100);
    });
    clearInterval(timer);
    expect(body === '' || /^HTTP\/1\.1 (400|408)/.test(body)).toBe(true);
    expect(reviewResponse(await request(`${srv.url}/mutate`, JSON.stringify(good()))).allowed).toBe(true);
  });

  it('garbage that is not HTTP gets a 400 and the connection closed', async () => {
    const answer = await raw(Number(new URL(srv.url).port), (s) => s.write('\x16\x03\x01 hello, not http\r\n\r\n'));
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
  });

  it('counts requests by door, path and code, and logs each failure once', async () => {
    const metrics = await adminGet(th.host, '/metrics');
    expect(metricValue(metrics, 'plugd_door_requests_total', { door: 'webhook', path: '/mutate', code: '200' })).toBeGreaterThan(0);
    expect(metricValue(metrics, 'plugd_door_requests_total', { door: 'webhook', path: '/mutate', code: '400' })).toBeGreaterThan(0);
    expect(metricValue(metrics, 'plugd_door_requests_total', { door: 'webhook', path: '/mutate', code: '413' })).toBeGreaterThan(0);
    expect(metricValue(metrics, 'plugd_door_request_duration_seconds_count', { door: 'webhook', path: '/validate' })).toBeGreaterThan(0);
    expect(th.logs.find('webhook POST /mutate: 400: not an AdmissionReview admission.k8s.io/v1 request: request.uid is missing').length).toBe(1);
    expect(th.logs.find('denied by plugin no-exec (403)').length).toBe(1);
  });
});

describe('TLS', () => {
  function makeCert(dir: string, name: string): { cert: string; key: string } {
    const cert = join(dir, `${name}.crt`);
    const key = join(dir, `${name}.key`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'pipe' });
    return { cert, key };
  }
  const fingerprint = (file: string) => new X509Certificate(readFile(file)).fingerprint256;
  const readFile = (f: string) => readFileSync(f);

  it('plain HTTP is refused on a non-loopback address', async () => {
    await expect(listenWebhook(door, { host: '0.0.0.0', port: 0 }, th.host.logger)).rejects.toMatchObject({ code: 'PLUGD_ERR_CONFIG_INVALID', message: expect.stringMatching(/plain HTTP is served on loopback addresses only/) });
  });

  it('serves HTTPS and reloads the pair when a Secret volume swaps its ..data symlink; a bad pair keeps the old one', async () => {
    const dir = tempDir('plugd-tls-');
    const one = makeCert(dir, 'one');
    const two = makeCert(dir, 'two');
    // The layout kubelet gives a Secret volume: tls.crt → ..data/tls.crt, ..data → ..<timestamp>/.
    const vol = join(dir, 'vol');
    mkdirSync(join(vol, '..v1'), { recursive: true });
    writeFileSync(join(vol, '..v1', 'tls.crt'), readFile(one.cert));
    writeFileSync(join(vol, '..v1', 'tls.key'), readFile(one.key));
    symlinkSync('..v1', join(vol, '..data'));
    symlinkSync('..data/tls.crt', join(vol, 'tls.crt'));
    symlinkSync('..data/tls.key', join(vol, 'tls.key'));
    const tls = await listenWebhook(door, { host: '127.0.0.1', port: 0, tlsCert: join(vol, 'tls.crt'), tlsKey: join(vol, 'tls.key'), certPollMs: 60_000 }, th.host.logger);
    onCleanup(() => tls.close());
    expect(tls.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = Buffer.concat([readFile(one.cert), readFile(two.cert)]);
    const first = await request(`${tls.url}/mutate`, JSON.stringify(createPodReview()), { ca });
    expect(reviewResponse(first).allowed).toBe(true);
    expect(first.cert).toBe(fingerprint(one.cert));

    const swap = (version: string, cert: Buffer, key: Buffer) => {
      mkdirSync(join(vol, version));
      writeFileSync(join(vol, version, 'tls.crt'), cert);
      writeFileSync(join(vol, version, 'tls.key'), key);
      symlinkSync(version, join(vol, '..data_tmp'));
      renameSync(join(vol, '..data_tmp'), join(vol, '..data'));
    };
    swap('..v2', readFile(two.cert), readFile(two.key));
    await waitFor(() => tls.reloads() === 1, 'the certificate reload');
    const second = await request(`${tls.url}/validate`, JSON.stringify(createPodReview({ labels: { team: 'shop' } })), { ca });
    expect(second.cert).toBe(fingerprint(two.cert));
    expect(reviewResponse(second).allowed).toBe(true);

    swap('..v3', readFile(one.cert), readFile(two.key)); // mismatched pair
    await th.logs.waitFor('webhook TLS: keeping the current certificate');
    const third = await request(`${tls.url}/mutate`, JSON.stringify(createPodReview()), { ca });
    expect(third.cert).toBe(fingerprint(two.cert));
    expect(tls.reloads()).toBe(1);
  });
});

describe('plugd host --webhook', () => {
  it('serves the door beside the host, and refuses plain HTTP off loopback', async () => {
    const socketDir = tempDir();
    const p = spawnNode(CLI, ['host', '--socket-dir', socketDir, '--admin', '127.0.0.1:0', '--webhook', '127.0.0.1:0', '--webhook-max-body-bytes', '16384']);
    const line = await waitFor(() => /admission webhook on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.output.join('')), 'the webhook URL on stderr', 20_000);
    const url = line[1]!;
    const res = reviewResponse(await request(`${url}/mutate`, JSON.stringify(createPodReview())));
    expect(res).toMatchObject({ allowed: true });
    expect((await request(`${url}/mutate`, JSON.stringify({ ...createPodReview(), pad: 'x'.repeat(20_000) }))).status).toBe(413);
    p.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);

    const refused = spawnNode(CLI, ['host', '--socket-dir', tempDir(), '--admin', '127.0.0.1:0', '--webhook', '0.0.0.0:0']);
    expect((await refused.exited).code).toBe(1);
    expect(refused.output.join('')).toMatch(/plain HTTP is served on loopback addresses only.*--tls-cert FILE --tls-key FILE/);
    const half = spawnNode(CLI, ['host', '--webhook', '127.0.0.1:0', '--tls-cert', 'x.pem']);
    expect((await half.exited).code).toBe(2);
    expect(half.output.join('')).toMatch(/--tls-cert and --tls-key go together/);
  }, 60_000);
});
