/**
 * The admission bench's load generator, in a process of its own so that it does not share the
 * host's event loop: open-loop (requests leave on schedule whatever the answers do), each one
 * an admission as kube-apiserver makes it — POST /mutate, then POST /validate with the mutated
 * object — over keep-alive connections with TCP_NODELAY, as Go's net/http (kube-apiserver's
 * client) sends them. Latency is taken from the scheduled start, so a backlog shows (no
 * coordinated omission).
 *
 * The client is a minimal HTTP/1.1 one on raw sockets (one write per request, the response
 * parsed for its status, Content-Length or chunks and body), as wrk's is: node:http's client
 * costs ~3× its CPU, which on a 2-core machine is CPU taken from the door being measured.
 *   stdin:  {"cmd":"run","id":…,"url":…,"rate":…,"durationMs":…,"mutateBody":…,"validateBody":…}
 *   stdout: {"id":…,"total":[ms…],"mutate":[ms…],"validate":[ms…],"errors":n,"firstError":…,"sent":n,"wallMs":…}
 */
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { openLoop } from './clock.js';

interface Run {
  id: number;
  url: string;
  rate: number;
  durationMs: number;
  mutateBody: string;
  validateBody: string;
}

interface Pending {
  resolve: (body: string) => void;
  reject: (err: Error) => void;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** One keep-alive HTTP/1.1 connection: one request at a time. */
class Conn {
  readonly socket: Socket;
  #buf: Buffer = Buffer.alloc(0);
  #pending: Pending | undefined;
  dead = false;
  /** Requests sent on this connection; a reused one may meet the server's idle close. */
  sent = 0;
  /** Bytes of the current response received so far. */
  received = 0;

  constructor(host: string, port: number, onFree: (c: Conn) => void, onDead: (c: Conn) => void) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (b: Buffer) => {
      this.received += b.length;
      this.#buf = this.#buf.length === 0 ? b : Buffer.concat([this.#buf, b]);
      const body = this.#parse();
      if (body === undefined) return;
      const p = this.#pending!;
      this.#pending = undefined;
      onFree(this);
      if (body.status !== 200 || !body.text.includes('"allowed":true')) p.reject(new Error(`HTTP ${body.status}: ${body.text.slice(0, 200)}`));
      else p.resolve(body.text);
    });
    const fail = (err: Error): void => {
      this.dead = true;
      onDead(this);
      const p = this.#pending;
      this.#pending = undefined;
      p?.reject(err);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed')));
  }

  send(head: string, body: Buffer, p: Pending): void {
    this.#pending = p;
    this.sent++;
    this.received = 0;
    this.socket.write(Buffer.concat([Buffer.from(head), body]));
  }

  /** A whole response in the buffer: its status and body (and the buffer consumed), else undefined. */
  #parse(): { status: number; text: string } | undefined {
    const end = this.#buf.indexOf(CRLF2);
    if (end < 0) return undefined;
    const head = this.#buf.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    let body: Buffer;
    let rest: Buffer;
    if (length !== null) {
      const n = Number(length[1]);
      if (this.#buf.length < end + 4 + n) return undefined;
      body = this.#buf.subarray(end + 4, end + 4 + n);
      rest = this.#buf.subarray(end + 4 + n);
    } else {
      // Transfer-Encoding: chunked.
      const parts: Buffer[] = [];
      let at = end + 4;
      for (;;) {
        const eol = this.#buf.indexOf('\r\n', at);
        if (eol < 0) return undefined;
        const size = parseInt(this.#buf.subarray(at, eol).toString('latin1'), 16);
        if (this.#buf.length < eol + 2 + size + 2) return undefined;
        if (size === 0) {
          rest = this.#buf.subarray(eol + 4);
          break;
        }
        parts.push(this.#buf.subarray(eol + 2, eol + 2 + size));
        at = eol + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    }
    this.#buf = rest.length === 0 ? Buffer.alloc(0) : Buffer.from(rest);
    return { status, text: body.toString() };
  }
}

/** Keep-alive connections to one server, opened as concurrency needs them. */
class Pool {
  readonly #idle: Conn[] = [];
  readonly #host: string;
  readonly #port: number;

  constructor(url: URL) {
    this.#host = url.hostname;
    this.#port = Number(url.port);
  }

  post(path: string, body: string): Promise<string> {
    const bytes = Buffer.from(body);
    const head = `POST ${path} HTTP/1.1\r\nHost: ${this.#host}:${this.#port}\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      const attempt = (retried: boolean): void => {
        let c = this.#idle.pop();
        while (c?.dead) c = this.#idle.pop();
        const conn = c ?? new Conn(this.#host, this.#port, (free) => this.#idle.push(free), () => {});
        conn.send(head, bytes, {
          resolve,
          // A kept-alive connection the server closed as we reused it: once more on a fresh one (as node:http's agent does).
          reject: (err) => (!retried && conn.dead && conn.sent > 1 && conn.received === 0 ? attempt(true) : reject(err)),
        });
      };
      attempt(false);
    });
  }
}

const pools = new Map<string, Pool>();

async function run(r: Run): Promise<Record<string, unknown>> {
  const url = new URL(r.url);
  const pool = pools.get(url.origin) ?? new Pool(url);
  pools.set(url.origin, pool);
  const n = Math.max(1, Math.round((r.rate * r.durationMs) / 1000));
  const total: number[] = [];
  const mutate: number[] = [];
  const validate: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const gap = 1000 / r.rate;
  const t0 = performance.now() + 5;
  const one = async (i: number, scheduled: number): Promise<void> => {
    const uid = `bench-${r.id}-${i}`;
    try {
      const a = performance.now();
      await pool.post('/mutate?timeout=10s', r.mutateBody.replace('UID_PLACEHOLDER', uid));
      const b = performance.now();
      await pool.post('/validate?timeout=10s', r.validateBody.replace('UID_PLACEHOLDER', uid));
      const c = performance.now();
      mutate.push(b - a);
      validate.push(c - b);
      total.push(c - scheduled);
    } catch (err) {
      errors++;
      firstError ??= (err as Error).message;
    }
  };
  await openLoop(n, gap, t0, one);
  return { id: r.id, total, mutate, validate, errors, firstError, sent: n, wallMs: performance.now() - t0 };
}

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  const msg = JSON.parse(line) as Run & { cmd: string };
  if (msg.cmd !== 'run') return;
  queue = queue.then(async () => {
    process.stdout.write(`${JSON.stringify(await run(msg))}\n`);
  });
});
process.stdin.on('end', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
