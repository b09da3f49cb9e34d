/**
 * The admission bench's load generator, in a process of its own so that it does not share the
 * host's event loop: open-loop (requests leave on schedule whatever the answers do), each one
 * an admission as kube-apiserver makes it — POST /mutate, then POST /validate with the mutated
 * object — over keep-alive connections. Latency is taken from the scheduled start, so a
 * backlog shows (no coordinated omission).
 *   stdin:  {"cmd":"run","id":…,"url":…,"rate":…,"durationMs":…,"mutateBody":…,"validateBody":…}
 *   stdout: {"id":…,"total":[ms…],"mutate":[ms…],"validate":[ms…],"errors":n,"firstError":…,"sent":n,"wallMs":…}
 */
import * as http from 'node:http';
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

// TCP_NODELAY as Go's net/http (kube-apiserver's client) sets it.
const agent = new http.Agent({ keepAlive: true, maxSockets: 512, noDelay: true });

function post(url: URL, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200 || !text.includes('"allowed":true')) reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
        else resolve(text);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function run(r: Run): Promise<Record<string, unknown>> {
  const mutateUrl = new URL(`${r.url}/mutate?timeout=10s`);
  const validateUrl = new URL(`${r.url}/validate?timeout=10s`);
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
      await post(mutateUrl, r.mutateBody.replace('UID_PLACEHOLDER', uid));
      const b = performance.now();
      await post(validateUrl, r.validateBody.replace('UID_PLACEHOLDER', uid));
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
