/**
 * admission: an admission as kube-apiserver makes it (POST /mutate, then POST /validate with
 * the mutated object) through the webhook door of a `plugd host --webhook` process of its own
 * (as deployed, not sharing this process's heap) to four plugin processes (two mutating, two
 * validating; bench/support/admission-handlers.ts), under a steady open-loop load from a
 * separate process; side by side in one run with the same chain and the same four plugins
 * in-process (library API, handler objects, no HTTP, no gRPC), a door whose host process runs
 * the four itself (admission.inProcess: HTTP, no gRPC), a door whose four plugins share one
 * process (servePlugins: one process to wake instead of four), and two floors under all of them:
 * a server process answering every request with a fixed AdmissionReview (the load generator,
 * loopback TCP and node:http, nothing else), and the door's process shape with none of its work
 * (that server relaying the raw body through four echo processes standing where the plugins
 * stand: bench/support/hop-shape.ts), in alternating blocks. Then the door's
 * highest sustained rate, stepping the load up until p99 or completion breaks.
 *
 * The goal is on each webhook request (/mutate, /validate), as kube-apiserver measures a
 * webhook (apiserver_admission_webhook_admission_duration_seconds, whose smallest bucket is
 * the goal's 5 ms); the two requests of one admission, summed, are reported beside it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { AdmissionChain } from '../host/admission/chain.js';
import type { AdmissionRequest, JsonObject } from '../host/admission/review.js';
import { PlugdHost } from '../host/host.js';
import { benchPlugins, benchReview } from './support/admission-handlers.js';
import { openLoop } from './support/clock.js';
import { benchScript, Child, removeDir, tempDir } from './support/procs.js';
import { distribution, ms, round, roundAll, table, type Distribution } from './support/stats.js';
import { goal, info, type Progress, type Suite, type SuiteResult } from './support/suite.js';

const RATE = 200;
/** A rate low enough that nothing queues: the latency of one admission on its own. */
const QUIET_RATE = 20;
const QUIET_MS = 5000;
const BLOCK_MS = 3000;
const ROUNDS = 4;
const GOAL_P99_MS = 5;
/** The load steps of the sustained-rate search; a step holds when every admission completed and p99 ≤ 50 ms. */
const STEPS = [25, 50, 100, 200, 300, 400, 600, 800, 1000, 1300, 1600, 2000, 2500];
const STEP_MS = 2000;
const SUSTAIN_P99_MS = 50;

interface BlockResult {
  total: number[];
  mutate: number[];
  validate: number[];
  errors: number;
  firstError?: string;
  sent: number;
  wallMs: number;
}

/** The same open-loop schedule as the load generator, on the library API in this process. */
async function inProcessBlock(chain: AdmissionChain, rate: number, durationMs: number, mutateBody: string, validateBody: string): Promise<BlockResult> {
  const n = Math.max(1, Math.round((rate * durationMs) / 1000));
  const out: BlockResult = { total: [], mutate: [], validate: [], errors: 0, sent: n, wallMs: 0 };
  const gap = 1000 / rate;
  const t0 = performance.now() + 5;
  const one = async (i: number, scheduled: number): Promise<void> => {
    const uid = `inproc-${i}`;
    try {
      const a = performance.now();
      // Parsed from JSON text as the door does, so the two sides differ by HTTP and gRPC only.
      const m = await chain.mutate((JSON.parse(mutateBody.replace('UID_PLACEHOLDER', uid)) as { request: AdmissionRequest }).request);
      const b = performance.now();
      const v = await chain.validate((JSON.parse(validateBody.replace('UID_PLACEHOLDER', uid)) as { request: AdmissionRequest }).request);
      const c = performance.now();
      if (!m.allowed || !v.allowed) throw new Error(`denied: ${JSON.stringify(m.allowed ? v : m)}`);
      out.mutate.push(b - a);
      out.validate.push(c - b);
      out.total.push(c - scheduled);
    } catch (err) {
      out.errors++;
      out.firstError ??= (err as Error).message;
    }
  };
  await openLoop(n, gap, t0, one);
  out.wallMs = performance.now() - t0;
  return out;
}

const cpusCount = (): number => cpus().length;

/** CPU ms a process used so far (utime + stime from /proc, at the usual 100 ticks/s). */
function procCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** This process's CPU ms so far. */
function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

let runId = 0;
async function doorBlock(load: Child, url: string, rate: number, durationMs: number, mutateBody: string, validateBody: string): Promise<BlockResult> {
  const id = ++runId;
  const reply = load.waitFor((m) => m.id === id, `load run ${id}`, durationMs + 60_000);
  load.send({ cmd: 'run', id, url, rate, durationMs, mutateBody, validateBody });
  return (await reply) as unknown as BlockResult;
}

interface Side {
  total: Distribution;
  mutate: Distribution;
  validate: Distribution;
  errors: number;
  admissions: number;
}

function side(blocks: BlockResult[]): Side {
  const all = (k: 'total' | 'mutate' | 'validate') => blocks.flatMap((b) => b[k]);
  return {
    total: roundAll(distribution(all('total')), 3),
    mutate: roundAll(distribution(all('mutate')), 3),
    validate: roundAll(distribution(all('validate')), 3),
    errors: blocks.reduce((s, b) => s + b.errors, 0),
    admissions: blocks.reduce((s, b) => s + b.total.length, 0),
  };
}

/** A `plugd host --webhook` process and its plugin processes (each group of names one process). */
interface Door {
  readonly host: Child;
  readonly plugins: Child[];
  readonly url: string;
}

async function startDoor(socketDir: string, groups: string[][], children: Child[], inProcess: string[] = []): Promise<Door> {
  // `plugd host --webhook` as deployed; its log lines arrive as messages. Modules in `inProcess` run inside it (admission.inProcess).
  const config = join(socketDir, 'plugd.json');
  writeFileSync(config, JSON.stringify({ admission: { inProcess } }));
  const host = new Child('plugd host', benchScript('support/host-child.js'),
    ['host', '--socket-dir', socketDir, '--config', config, '--admin', '127.0.0.1:0', '--webhook', '127.0.0.1:0', '--log-level', 'info', '--log-format', 'json'],
    { PLUGD_LOG_LEVEL: 'info', PLUGD_BENCH_OWNED_DIR: socketDir });
  children.push(host);
  const active = new Set<string>();
  host.onMessage((m) => {
    const name = /^plugin (\S+) active/.exec(String(m.msg ?? ''))?.[1];
    if (name !== undefined) active.add(name);
  });
  const listening = await host.waitFor((m) => typeof m.url === 'string' && String(m.msg).startsWith('webhook door listening'), 'webhook door listening', 20_000);
  const plugins = groups.map((names) => new Child(names.join('+'), benchScript('support/admission-plugin.js'), ['--name', names.join(','), '--socket-dir', socketDir]));
  children.push(...plugins);
  await Promise.all(plugins.map((c) => c.waitFor((m) => m.bound === true, 'bound', 20_000)));
  const all = groups.flat();
  for (const end = Date.now() + 20_000; !all.every((n) => active.has(n));) {
    if (Date.now() > end) throw new Error(`admission bench: plugins never active in the host: ${all.filter((n) => !active.has(n)).join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { host, plugins, url: String(listening.url) };
}

/** The door answers as the in-process chain does: both mutating plugins patch. */
async function probeDoor(url: string, mutateBody: string): Promise<void> {
  const probe = await fetch(`${url}/mutate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: mutateBody.replace('UID_PLACEHOLDER', 'probe') });
  const probed = (await probe.json()) as { response?: { allowed?: boolean; patch?: string } };
  const ops = probed.response?.patch === undefined ? [] : (JSON.parse(Buffer.from(probed.response.patch, 'base64').toString()) as unknown[]);
  if (probe.status !== 200 || probed.response?.allowed !== true || ops.length !== 2) throw new Error(`admission bench: unexpected answer from the door at ${url}: ${JSON.stringify(probed)}`);
}

export const admission: Suite = {
  name: 'admission',
  title: `webhook door with 2 mutating + 2 validating plugin processes vs the same chain in-process, open-loop ${RATE} admissions/s (${RATE * 2} requests/s)`,
  async run(progress: Progress): Promise<SuiteResult> {
    const socketDir = tempDir('plugd-bench-admission-');
    const idleDir = tempDir('plugd-bench-admission-inproc-');
    const bundleDir = tempDir('plugd-bench-admission-bundle-');
    const shapeDir = tempDir('plugd-bench-admission-shape-');
    const children: Child[] = [];
    let inChain: AdmissionChain | undefined;
    const idleHost = new PlugdHost({ socketDir: idleDir, admin: false });
    try {
      const defs = benchPlugins();
      const names = defs.map((d) => d.name);
      // The door as the goal has it: four plugin processes; and a second one with the four in one process.
      const { host, plugins, url } = await startDoor(socketDir, names.map((n) => [n]), children);
      const bundle = await startDoor(bundleDir, [names], children);
      // The in-process side: the same definitions as handler objects, on a host with no plugin processes.
      inChain = new AdmissionChain(idleHost, { plugins: defs });
      // Where the door's time goes: a door whose four plugins run inside its host process (admission.inProcess: HTTP, no gRPC).
      const inHostDir = tempDir('plugd-bench-admission-inhost-');
      const inHost = await startDoor(inHostDir, [], children, ['default-team', 'admitted-by', 'require-name', 'no-latest'].map((m) => benchScript(`support/admission-modules/${m}.js`)));
      // The floor in a process of its own, as the door is: the load generator, loopback TCP and node:http alone.
      const floorChild = new Child('floor', benchScript('support/floor-server.js'), []);
      children.push(floorChild);
      const floor = { url: String((await floorChild.waitFor((m) => typeof m.url === 'string', 'floor listening', 10_000)).url) };
      // The door's process shape with none of its work: node:http relaying raw bytes through four echo processes.
      const echoes = ['a', 'b', 'c', 'd'].map((n) => new Child(`echo ${n}`, benchScript('support/hop-shape.js'), ['echo', join(shapeDir, n)]));
      children.push(...echoes);
      await Promise.all(echoes.map((c) => c.waitFor((m) => m.bound === true, 'echo bound', 10_000)));
      const relay = new Child('shape relay', benchScript('support/hop-shape.js'), ['relay', ...['a', 'b', 'c', 'd'].map((n) => join(shapeDir, n))]);
      children.push(relay);
      const shape = { url: String((await relay.waitFor((m) => typeof m.url === 'string', 'shape relay listening', 10_000)).url) };

      const review = benchReview();
      const mutateBody = JSON.stringify(review);
      const first = await inChain.mutate({ ...(review.request as JsonObject), uid: 'probe' });
      if (!first.allowed || first.patch.length !== 2) throw new Error(`admission bench: unexpected mutate outcome ${JSON.stringify(first)}`);
      const validateBody = JSON.stringify({ ...review, request: { ...(review.request as JsonObject), object: first.object } });
      await probeDoor(url, mutateBody);
      await probeDoor(bundle.url, mutateBody);
      await probeDoor(inHost.url, mutateBody);
      progress(`plugd host pid ${host.pid}, 4 plugin processes active; door ${url}; review ${mutateBody.length} B; warming up`);

      const load = new Child('admission-load', benchScript('support/admission-load.js'), []);
      children.push(load);
      await load.waitFor((m) => m.ready === true, 'ready', 10_000);
      // Warm-up: five JIT-compiling processes (host, four plugins) plus the generator need a few thousand admissions.
      for (let w = 0; w < 3; w++) await doorBlock(load, url, RATE, 3000, mutateBody, validateBody);
      await doorBlock(load, bundle.url, RATE, 3000, mutateBody, validateBody);
      await inProcessBlock(inChain, RATE, 2000, mutateBody, validateBody);

      const quietDoor = side([await doorBlock(load, url, QUIET_RATE, QUIET_MS, mutateBody, validateBody)]);
      const quietIn = side([await inProcessBlock(inChain, QUIET_RATE, QUIET_MS, mutateBody, validateBody)]);
      progress(`${QUIET_RATE}/s: door p50 ${ms(quietDoor.total.p50)} p99 ${ms(quietDoor.total.p99)}; in-process p50 ${ms(quietIn.total.p50)} p99 ${ms(quietIn.total.p99)}`);
      const door: BlockResult[] = [];
      const inproc: BlockResult[] = [];
      const httpOnly: BlockResult[] = [];
      const bundled: BlockResult[] = [];
      const floored: BlockResult[] = [];
      const shaped: BlockResult[] = [];
      const loadAtStart = loadavg()[0]!;

      const cpu = { doorHost: 0, doorPlugins: 0, inproc: 0, bundleHost: 0, bundlePlugins: 0, inHost: 0 };
      for (let r = 0; r < ROUNDS; r++) {
        // ABBA: neither side always runs first, onto a warmer or quieter machine.
        const order = r % 2 === 0 ? ['door', 'inproc', 'http', 'bundle', 'shape', 'floor'] : ['floor', 'shape', 'bundle', 'http', 'inproc', 'door'];
        for (const s of order) {
          const self0 = selfCpuMs();
          const host0 = procCpuMs(host.pid);
          const plug0 = plugins.reduce((t, ch) => t + procCpuMs(ch.pid), 0);
          if (s === 'door') {
            door.push(await doorBlock(load, url, RATE, BLOCK_MS, mutateBody, validateBody));
            cpu.doorHost += procCpuMs(host.pid) - host0;
            cpu.doorPlugins += plugins.reduce((t, ch) => t + procCpuMs(ch.pid), 0) - plug0;
          } else if (s === 'bundle') {
            const h0 = procCpuMs(bundle.host.pid);
            const p0 = procCpuMs(bundle.plugins[0]!.pid);
            bundled.push(await doorBlock(load, bundle.url, RATE, BLOCK_MS, mutateBody, validateBody));
            cpu.bundleHost += procCpuMs(bundle.host.pid) - h0;
            cpu.bundlePlugins += procCpuMs(bundle.plugins[0]!.pid) - p0;
          } else if (s === 'floor') {
            floored.push(await doorBlock(load, floor.url, RATE, BLOCK_MS, mutateBody, validateBody));
          } else if (s === 'shape') {
            shaped.push(await doorBlock(load, shape.url, RATE, BLOCK_MS, mutateBody, validateBody));
          } else if (s === 'http') {
            const h0 = procCpuMs(inHost.host.pid);
            httpOnly.push(await doorBlock(load, inHost.url, RATE, BLOCK_MS, mutateBody, validateBody));
            cpu.inHost += procCpuMs(inHost.host.pid) - h0;
          } else {
            inproc.push(await inProcessBlock(inChain, RATE, BLOCK_MS, mutateBody, validateBody));
            cpu.inproc += selfCpuMs() - self0;
          }
        }
        const d = distribution(door.at(-1)!.total);
        const p = distribution(inproc.at(-1)!.total);
        progress(`round ${r + 1}/${ROUNDS}: door p50 ${ms(d.p50)} p99 ${ms(d.p99)}; in-process p50 ${ms(p.p50)} p99 ${ms(p.p99)}`);
      }
      const doorSide = side(door);
      const inSide = side(inproc);
      const httpSide = side(httpOnly);
      const bundleSide = side(bundled);
      const floorSide = side(floored);
      const shapeSide = side(shaped);
      const loadAtEnd = loadavg()[0]!;
      // The goal's figure: the worse of the two webhook requests' p99.
      const requestP99 = Math.max(doorSide.mutate.p99, doorSide.validate.p99);
      const firstError = [...door, ...inproc].find((b) => b.firstError)?.firstError;
      // CPU per admission: what the machine's load cannot inflate (µs of CPU, not of waiting).
      const cpuUs = {
        doorHost: round((cpu.doorHost * 1000) / Math.max(1, doorSide.admissions), 0),
        doorPlugins: round((cpu.doorPlugins * 1000) / Math.max(1, doorSide.admissions), 0),
        inproc: round((cpu.inproc * 1000) / Math.max(1, inSide.admissions), 0),
        bundleHost: round((cpu.bundleHost * 1000) / Math.max(1, bundleSide.admissions), 0),
        bundlePlugins: round((cpu.bundlePlugins * 1000) / Math.max(1, bundleSide.admissions), 0),
        inHost: round((cpu.inHost * 1000) / Math.max(1, httpSide.admissions), 0),
      };

      // The highest rate the door sustains: every admission completes, p99 within SUSTAIN_P99_MS.
      const steps: Array<{ rate: number; p50: number; p99: number; completed: number; sent: number; ok: boolean }> = [];
      // From the top of the side-by-side rate when it held, else from the bottom: the table shows where it breaks.
      let sustained = doorSide.total.p99 <= SUSTAIN_P99_MS && doorSide.errors === 0 ? RATE : 0;
      for (const rate of STEPS.filter((x) => x > sustained)) {
        const b = await doorBlock(load, url, rate, STEP_MS, mutateBody, validateBody);
        const d = distribution(b.total);
        const ok = b.errors === 0 && b.total.length === b.sent && d.p99 <= SUSTAIN_P99_MS;
        steps.push({ rate, p50: round(d.p50), p99: round(d.p99), completed: b.total.length, sent: b.sent, ok });
        progress(`step ${rate}/s: p50 ${ms(d.p50)} p99 ${ms(d.p99)} ${ok ? 'held' : 'broke'}`);
        if (!ok) break;
        sustained = rate;
      }

      const ratioP50 = doorSide.total.p50 / inSide.total.p50;
      const ratioP99 = doorSide.total.p99 / inSide.total.p99;
      const row = (name: string, s: Side) => [name, String(s.admissions), ms(s.total.p50), ms(s.total.p99), ms(s.mutate.p50), ms(s.mutate.p99), ms(s.validate.p50), ms(s.validate.p99)];
      const report = `${ROUNDS} rounds of ${BLOCK_MS / 1000} s per side at ${RATE} admissions/s = ${RATE * 2} webhook requests/s (open-loop; an admission = /mutate then /validate; ` +
        `its latency from its scheduled start, each request's from when it was sent)\n` +
        table(['side', 'admissions', 'admission p50', 'admission p99', 'mutate p50', 'mutate p99', 'validate p50', 'validate p99'], [
          row(`webhook door, 4 plugin processes, ${RATE}/s`, doorSide), row(`in-process chain, 4 handler objects, ${RATE}/s`, inSide),
          row(`webhook door, the 4 plugins in the host process (admission.inProcess), ${RATE}/s`, httpSide),
          row(`webhook door, the 4 plugins in one process, ${RATE}/s`, bundleSide),
          row(`shape floor: node:http + 4 echo processes, no door, ${RATE}/s`, shapeSide),
          row(`floor: a fixed answer, no door, ${RATE}/s`, floorSide),
          row(`webhook door, ${QUIET_RATE}/s (nothing queues)`, quietDoor), row(`in-process chain, ${QUIET_RATE}/s`, quietIn)]) +
        `\nratio door/in-process: p50 ${ratioP50.toFixed(2)}×, p99 ${ratioP99.toFixed(2)}×\n` +
        `sustained-rate search (${STEP_MS / 1000} s per step, holds when all complete and p99 ≤ ${SUSTAIN_P99_MS} ms):\n` +
        table(['rate', 'p50', 'p99', 'completed', 'held'], steps.map((s) => [`${s.rate}/s`, ms(s.p50), ms(s.p99), `${s.completed}/${s.sent}`, s.ok ? 'yes' : 'no'])) +
        `\ndoor sustains ${sustained} admissions/s (${sustained * 2} HTTP requests/s)` +
        `\nCPU per admission: door side ${cpuUs.doorHost} µs in the host + ${cpuUs.doorPlugins} µs in the 4 plugin processes; in-process ${cpuUs.inproc} µs; ` +
        `the 4 plugins in one process ${cpuUs.bundleHost} µs in the host + ${cpuUs.bundlePlugins} µs in the plugin process; ` +
        `the 4 plugins in the host process ${cpuUs.inHost} µs` +
        `\nfailed admissions: door ${doorSide.errors}, in-process ${inSide.errors}${firstError ? ` (first: ${firstError})` : ''}` +
        `\nmachine load average (1 min) ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end, on ${cpusCount()} cores`;
      return {
        data: { quiet: { rate: QUIET_RATE, door: quietDoor, inProcess: quietIn }, httpOnly: httpSide, bundled: bundleSide, floor: floorSide, shapeFloor: shapeSide, requestP99, loadAtStart, loadAtEnd, cpuUsPerAdmission: cpuUs, rate: RATE, blockMs: BLOCK_MS, rounds: ROUNDS, reviewBytes: mutateBody.length, door: doorSide, inProcess: inSide, ratioP50: round(ratioP50), ratioP99: round(ratioP99), steps, sustained },
        report,
        summary: [
          goal(`admission door p99 per webhook request, 4 plugins, ${RATE * 2} requests/s (worse of /mutate, /validate)`, ms(requestP99), `≤ ${GOAL_P99_MS} ms`, requestP99 <= GOAL_P99_MS && doorSide.errors === 0),
          info('admission door p50 / p99 per request: /mutate, /validate', `${ms(doorSide.mutate.p50)} / ${ms(doorSide.mutate.p99)}, ${ms(doorSide.validate.p50)} / ${ms(doorSide.validate.p99)}`),
          info('admission door, a whole admission (/mutate + /validate) p50 / p99', `${ms(doorSide.total.p50)} / ${ms(doorSide.total.p99)}`),
          info('admission floor (fixed answer, no door) p99 per request: /mutate, /validate', `${ms(floorSide.mutate.p99)}, ${ms(floorSide.validate.p99)}`),
          info('admission shape floor (the door\'s 4 process hops, no work) p99 per request: /mutate, /validate', `${ms(shapeSide.mutate.p99)}, ${ms(shapeSide.validate.p99)}`),
          info('admission in-process chain p50 / p99', `${ms(inSide.total.p50)} / ${ms(inSide.total.p99)}`),
          info('admission door, the 4 plugins in the host process (admission.inProcess), p99 per request: /mutate, /validate', `${ms(httpSide.mutate.p99)}, ${ms(httpSide.validate.p99)}`),
          info('admission door, the 4 plugins in one process, p50 / p99', `${ms(bundleSide.total.p50)} / ${ms(bundleSide.total.p99)}`),
          info(`admission at ${QUIET_RATE}/s: door p50 / p99, in-process p50 / p99`, `${ms(quietDoor.total.p50)} / ${ms(quietDoor.total.p99)}, ${ms(quietIn.total.p50)} / ${ms(quietIn.total.p99)}`),
          info('admission door / in-process (p50, p99)', `${ratioP50.toFixed(2)}×, ${ratioP99.toFixed(2)}×`),
          info('admission door sustained rate (p99 ≤ 50 ms)', `${sustained} admissions/s`),
          info('admission CPU per admission: door host + plugins / in-process', `${cpuUs.doorHost} + ${cpuUs.doorPlugins} µs / ${cpuUs.inproc} µs`),
          info('admission machine load average during the run', `${loadAtStart.toFixed(1)} → ${loadAtEnd.toFixed(1)}`),
        ],
      };
    } finally {
      inChain?.close();
      await Promise.all(children.map((c) => c.stop(5000)));
      await idleHost.stop();
      removeDir(socketDir);
      removeDir(idleDir);
      removeDir(bundleDir);
      removeDir(shapeDir);
    }
  },
};
