/**
 * swap: hot-swaps under full load. An embedded host, one admission plugin name served by a
 * real SDK echo plugin in its own process (support/swap-plugin.ts), a closed loop of
 * CONCURRENCY calls in flight through host.invoke for the whole run, and SWAPS hot-swaps:
 * each starts a NEW plugin process on a new socket under the same name (`DIR/swap-<n>.sock`),
 * waits for the registry's 'replaced' and for the superseded process to exit by itself,
 * then pauses. Every call is timed and checked (which instance answered), and every
 * rejection is counted by err.code and placed in the stage of the swap it started in.
 *
 * The run: warm-up, then steady / SWAPS/2 swaps / settle / steady / SWAPS/2 swaps / settle /
 * steady, so that steady state is sampled before, between and after the swaps on a noisy
 * machine. Latency is compared by call start time: steady state vs the swap phase, the stages
 * of a swap (new process starting, host handshake → active, drain + old exit, between swaps)
 * and a profile around 'replaced'. The goal compares medians: the median over the swaps of
 * the p99 of the 1 s window around each ('replaced' ± 0.5 s) against the median p99 of the
 * steady 1 s windows; pooled p99s are shown too (one noisy second sets a pooled p99).
 *
 * Reading it on 2 cores: the swap phase also pays for things that are not the host's swap
 * itself. Each new Node process loads for ~0.5 s at a full core beside the two busy ones,
 * and a fresh plugin process spends ~4× the CPU per call of a warm one for its first 1–2 s
 * (JIT); with a swap every ~1.3 s every instance of the swap phase is cold. The bench also
 * spawns the plugins from the host's own process (spawn() holds the event loop ~20 ms).
 * The profile around 'replaced' and the stage rows tell these apart.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { defaultConfig } from '../host/config.js';
import { PlugdHost } from '../host/host.js';
import type { PluginCallError } from '../host/errors.js';
import { admitRequest } from './support/payloads.js';
import type { AdmitResponse__Output } from '../proto/gen/plugd/admission/v1/AdmitResponse.js';
import { sleep, wallNow } from './support/clock.js';
import { benchScript, Child, mainThreadSched, removeDir, tempDir, type Message } from './support/procs.js';
import { distribution, median, ms, round, roundAll, table, type Distribution } from './support/stats.js';
import { goal, info, type Progress, type Suite, type SuiteResult, type SummaryRow } from './support/suite.js';

const NAME = 'swap';
const CONCURRENCY = 64;
const SWAPS = 20;
/** Load before measuring, not reported: a fresh plugin process needs 1–2 s of calls to warm up (JIT). */
const WARMUP_MS = 3000;
/** Swaps come in BLOCKS blocks, with a steady segment before, between and after them. */
const BLOCKS = 2;
/** Each steady segment; the last one runs on until the run made MIN_CALLS calls. */
const STEADY_SEGMENT_MS = 4000;
/** After a block of swaps, unmeasured: the last new instance warms up before steady is measured again. */
const SETTLE_MS = 2000;
/** After the superseded process exited, before the next swap starts its process. */
const PAUSE_MS = 500;
const MIN_CALLS = 50_000;
/** Half the window around each swap ('replaced' ± this), and the steady windows' length / 2. */
const HALF_WINDOW_MS = 500;
const GOAL_P99_RATIO = 2;
/** The latency profile around a swap: ± this, in bins of PROFILE_BIN_MS. */
const PROFILE_MS = 700;
const PROFILE_BIN_MS = 100;
/** Longest a swap may take (new process start → old process exit) before the suite fails. */
const SWAP_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------------------------------
// The load: a closed loop, every call recorded (start on wallNow(), latency, who answered).

interface FailureRecord {
  /** wallNow() at the call's start and end. */
  start: number;
  end: number;
  code: string;
  grpcCode: number | undefined;
  delivered: boolean | undefined;
  message: string;
  cause: string | undefined;
}

class Calls {
  n = 0;
  start = new Float64Array(1 << 17);
  latency = new Float64Array(1 << 17);
  /** The tag of the instance that answered (its swap number), -1 for a failed call. */
  tag = new Int16Array(1 << 17);
  readonly failures: FailureRecord[] = [];

  add(start: number, latency: number, tag: number): void {
    if (this.n === this.start.length) {
      const grow = <T extends Float64Array | Int16Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.latency = grow(this.latency);
      this.tag = grow(this.tag);
    }
    this.start[this.n] = start;
    this.latency[this.n] = latency;
    this.tag[this.n] = tag;
    this.n++;
  }

  /** Latencies (failed calls included) and failures of the calls that started in [from, to). */
  select(from: number, to: number): { latencies: Float64Array; failed: number } {
    const out: number[] = [];
    let failed = 0;
    for (let i = 0; i < this.n; i++) {
      const s = this.start[i]!;
      if (s >= from && s < to) {
        out.push(this.latency[i]!);
        if (this.tag[i] === -1) failed++;
      }
    }
    return { latencies: Float64Array.from(out), failed };
  }
}

function drive(call: () => Promise<AdmitResponse__Output>, concurrency: number, calls: Calls): { stop(): Promise<void> } {
  let running = true;
  const workers = Promise.all(Array.from({ length: concurrency }, async () => {
    while (running) {
      const t = wallNow();
      try {
        const res = await call();
        calls.add(t, wallNow() - t, Number(res.warnings[0]));
      } catch (err) {
        const end = wallNow();
        calls.add(t, end - t, -1);
        const e = err as PluginCallError;
        const cause = e.cause as { message?: string } | undefined;
        calls.failures.push({ start: t, end, code: String(e.code ?? e.name), grpcCode: e.grpcCode, delivered: e.delivered, message: String(e.message), cause: cause?.message });
      }
    }
  }));
  return { stop: async () => { running = false; await workers; } };
}

// ---------------------------------------------------------------------------------------
// Plugin processes and the registry's view of them.

class SwapPlugin {
  readonly index: number;
  readonly socket: string;
  readonly child: Child;
  readonly spawnedAt: number;
  /** How long spawn() held the bench's (and so the host's) event loop. */
  readonly spawnBlockMs: number;
  readonly messages: Message[] = [];
  exitedAt: number | undefined;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(index: number, socketDir: string) {
    this.index = index;
    this.socket = join(socketDir, `${NAME}-${index}.sock`);
    this.spawnedAt = wallNow();
    this.child = new Child(`swap plugin ${index}`, benchScript('support/swap-plugin.js'),
      ['--name', NAME, '--socket', this.socket, '--tag', String(index)], { PLUGD_LOG_LEVEL: 'warn', PLUGD_BENCH_OWNED_DIR: socketDir });
    this.spawnBlockMs = wallNow() - this.spawnedAt;
    this.child.onMessage((m) => this.messages.push(m));
    void this.child.exited.then((e) => { this.exitedAt = wallNow(); this.exit = e; });
  }

  time(key: 'loaded' | 'bound'): number | undefined {
    const m = this.messages.find((x) => x[key] === true);
    return m ? Number(m.t) : undefined;
  }

  /** When the host told it it was registered (true) or released (false), and the reason. */
  registration(registered: boolean): { t: number; error: string } | undefined {
    const m = this.messages.find((x) => x.registration === true && x.registered === registered);
    return m ? { t: Number(m.t), error: String(m.error) } : undefined;
  }
}

/** What the registry said about each socket, on wallNow(). */
class RegistryLog {
  readonly registered = new Map<string, number>();
  readonly replaced = new Map<string, { t: number; previousSocket: string; previousInflight: number; previousGeneration: number; generation: number }>();
  readonly deregistered = new Map<string, { t: number; reason: string; inflight: number }>();
  /** Health changes of the instance that was active when they happened. */
  readonly activeUnhealthy: Array<{ t: number; socket: string }> = [];

  constructor(host: PlugdHost) {
    const reg = host.registry;
    reg.on('registered', (inst) => this.registered.set(inst.socketPath, wallNow()));
    reg.on('replaced', (next, prev) => this.replaced.set(next.socketPath, {
      t: wallNow(), previousSocket: prev.socketPath, previousInflight: prev.inflight, previousGeneration: prev.generation, generation: next.generation,
    }));
    reg.on('deregistered', (inst, reason) => this.deregistered.set(inst.socketPath, { t: wallNow(), reason, inflight: inst.inflight }));
    reg.on('health', (inst, healthy) => {
      if (!healthy && inst.state === 'active') this.activeUnhealthy.push({ t: wallNow(), socket: inst.socketPath });
    });
  }
}

/** Polls `check` every 5 ms; throws after timeoutMs, or as soon as `broken` names a reason. */
async function until<T>(check: () => T | undefined, what: string, timeoutMs: number, broken?: () => string | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    const why = broken?.();
    if (why) throw new Error(`swap: ${why} while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`swap: no ${what} within ${timeoutMs} ms`);
    await sleep(5);
  }
}

const tailOf = (p: SwapPlugin): string => (p.child.tail.length ? `; its last output:\n  ${p.child.tail.join('\n  ')}` : '');

interface SwapRecord {
  swap: number;
  socket: string;
  spawnBlockMs: number;
  /** Absolute times (wallNow) of each step. */
  at: { spawn: number; loaded: number; bound: number; admitted: number; replaced: number; oldReleased: number; oldNotified: number; oldExited: number };
  oldDeregisterReason: string;
  oldNotification: string;
  oldExit: string;
  /** Calls in flight on the old instance at the moment of the swap. */
  oldInflightAtSwap: number;
}

/** One hot-swap: `next` is already spawned; resolves once the registry replaced `old` by it and `old` exited. */
async function swapTo(next: SwapPlugin, old: SwapPlugin, log: RegistryLog): Promise<SwapRecord> {
  const nextBroken = () => (next.child.alive ? undefined : `new plugin process ${next.index} exited (${JSON.stringify(next.exit)})${tailOf(next)}`);
  const replaced = await until(() => log.replaced.get(next.socket), `'replaced' for ${next.socket}`, SWAP_TIMEOUT_MS, () =>
    nextBroken() ?? (log.deregistered.has(next.socket) ? `the new instance was deregistered (${log.deregistered.get(next.socket)!.reason})` : undefined));
  if (replaced.previousSocket !== old.socket) throw new Error(`swap: ${next.socket} replaced ${replaced.previousSocket}, not ${old.socket}`);
  await until(() => old.exitedAt, `exit of superseded plugin process ${old.index}`, SWAP_TIMEOUT_MS, () => undefined).catch((err: Error) => {
    const released = log.deregistered.get(old.socket);
    throw new Error(`${err.message} (host released it: ${released ? released.reason : 'no'}; it was notified: ${JSON.stringify(old.registration(false) ?? null)})${tailOf(old)}`);
  });
  const released = log.deregistered.get(old.socket);
  const notified = old.registration(false);
  return {
    swap: next.index,
    socket: next.socket,
    spawnBlockMs: next.spawnBlockMs,
    at: {
      spawn: next.spawnedAt,
      loaded: next.time('loaded') ?? Number.NaN,
      bound: next.time('bound') ?? Number.NaN,
      admitted: log.registered.get(next.socket) ?? Number.NaN,
      replaced: replaced.t,
      oldReleased: released?.t ?? Number.NaN,
      oldNotified: notified?.t ?? Number.NaN,
      oldExited: old.exitedAt!,
    },
    oldDeregisterReason: released?.reason ?? '-',
    oldNotification: notified?.error ?? '(none)',
    oldExit: old.exit?.signal ? `signal ${old.exit.signal}` : `code ${old.exit?.code}`,
    oldInflightAtSwap: replaced.previousInflight,
  };
}

// ---------------------------------------------------------------------------------------
// Analysis.

interface PhaseStats {
  phase: string;
  /** Summed length of the intervals (ms). */
  spanMs: number;
  calls: number;
  failed: number;
  callsPerSecond: number;
  latency: Distribution;
}

function phaseStats(calls: Calls, phase: string, intervals: ReadonlyArray<readonly [number, number]>): PhaseStats {
  const parts = intervals.map(([a, b]) => calls.select(a, b));
  const all = new Float64Array(parts.reduce((n, p) => n + p.latencies.length, 0));
  let off = 0;
  for (const p of parts) { all.set(p.latencies, off); off += p.latencies.length; }
  const spanMs = intervals.reduce((s, [a, b]) => s + (b - a), 0);
  return {
    phase,
    spanMs: round(spanMs, 1),
    calls: all.length,
    failed: parts.reduce((n, p) => n + p.failed, 0),
    callsPerSecond: Math.round((all.length / spanMs) * 1000),
    latency: roundAll(distribution(all), 4),
  };
}

interface Segment {
  kind: 'steady' | 'swaps' | 'settle';
  /** wallNow() */
  from: number;
  to: number;
  /** The bench process's (host + load) event-loop delay over the segment. */
  loopDelayMs: { p50: number; p99: number; max: number };
}

/** Which segment, or which stage of which swap, a moment falls in. */
function stageOf(t: number, swaps: readonly SwapRecord[], segments: readonly Segment[]): string {
  const seg = segments.find((x) => t >= x.from && t < x.to);
  if (!seg) return t < (segments[0]?.from ?? 0) ? 'warm-up' : 'after the run';
  if (seg.kind !== 'swaps') return `${seg.kind} segment ${segments.filter((x) => x.kind === seg.kind).indexOf(seg) + 1}`;
  for (let k = swaps.length - 1; k >= 0; k--) {
    const s = swaps[k]!;
    if (t < s.at.spawn) continue;
    const a = s.at;
    const stage = t < a.loaded ? 'new process loading (spawn → loaded)'
      : t < a.bound ? 'new process binding (loaded → bound)'
      : t < a.admitted ? 'host handshake (bound → registered)'
      : t < a.replaced ? 'host health → swap (registered → replaced)'
      : t < a.oldReleased ? 'old draining (replaced → old released)'
      : t < a.oldExited ? 'old exiting (released → old exited)'
      : 'between swaps';
    return `swap ${s.swap}: ${stage}`;
  }
  return 'swap phase, before the first swap';
}

const fmtRatio = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '-');

export const swap: Suite = {
  name: 'swap',
  title: `${SWAPS} hot-swaps of one plugin (a new process each) under ${CONCURRENCY} calls in flight through host.invoke`,
  async run(progress: Progress): Promise<SuiteResult> {
    const socketDir = tempDir('plugd-bench-swap-');
    // Keep the host's own lines (a few per swap): warnings explain failures.
    const hostLog: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const line of chunk.toString().split('\n')) if (line) hostLog.push(JSON.parse(line) as Record<string, unknown>);
        cb();
      },
    });
    const host = new PlugdHost({ socketDir, admin: false, config: defaultConfig(), logger: pino({ level: 'info' }, sink) });
    const plugins: SwapPlugin[] = [];
    let load: { stop(): Promise<void> } | undefined;
    const loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });
    try {
      await host.start();
      const log = new RegistryLog(host);
      plugins.push(new SwapPlugin(0, socketDir));
      await host.waitForPlugin(NAME, 20_000);
      const timeoutMs = host.registry.settingsOf(NAME)!.timeoutMs;
      const request = admitRequest();
      const call = (): Promise<AdmitResponse__Output> => host.invoke<AdmitResponse__Output>(NAME, 'Admit', request);
      const first = await call();
      if (!first.allowed || first.warnings[0] !== '0' || !Buffer.from(first.patch).equals(request.object as Buffer)) {
        throw new Error(`swap: wrong answer from the plugin: ${JSON.stringify(first)}`);
      }

      const calls = new Calls();
      progress(`plugin ${NAME} active (pid ${plugins[0]!.child.pid}); ${CONCURRENCY} calls in flight; warming up ${WARMUP_MS} ms, then ` +
        `${BLOCKS + 1} steady segments of ${STEADY_SEGMENT_MS} ms around ${BLOCKS} blocks of ${SWAPS / BLOCKS} swaps`);
      const t0 = wallNow();
      load = drive(call, CONCURRENCY, calls);
      await sleep(WARMUP_MS);

      // Steady segments before, between and after the swap blocks, so that both sides sample
      // the whole run of a noisy machine; each swap block is followed by an unmeasured settle
      // while the last new instance warms up (a fresh process is slow for its first 1–2 s).
      const segments: Segment[] = [];
      // One histogram, always on, read and reset per segment (re-enabling one would count the pause as a delay).
      loopDelay.enable();
      const sched = { steady: { cpuMs: 0, waitMs: 0, spanMs: 0 }, swaps: { cpuMs: 0, waitMs: 0, spanMs: 0 } };
      const segment = async (kind: Segment['kind'], body: () => Promise<void>): Promise<void> => {
        const from = wallNow();
        const s0 = mainThreadSched();
        loopDelay.reset();
        await body();
        const to = wallNow();
        const s1 = mainThreadSched();
        segments.push({ kind, from, to, loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } });
        if (kind !== 'settle') {
          sched[kind].cpuMs += s1.cpuMs - s0.cpuMs;
          sched[kind].waitMs += s1.waitMs - s0.waitMs;
          sched[kind].spanMs += to - from;
        }
      };
      const swaps: SwapRecord[] = [];
      const afterUntil = Date.now() + 60_000;
      for (let b = 0; b <= BLOCKS; b++) {
        await segment('steady', async () => {
          await sleep(STEADY_SEGMENT_MS);
          // The last segment runs on until the run has made MIN_CALLS calls.
          if (b === BLOCKS) while (calls.n < MIN_CALLS && Date.now() < afterUntil) await sleep(100);
        });
        progress(`steady segment ${b + 1}/${BLOCKS + 1} done: ${calls.n} calls so far, ${calls.failures.length} failed`);
        if (b === BLOCKS) break;
        await segment('swaps', async () => {
          for (let k = 0; k < SWAPS / BLOCKS; k++) {
            const i = swaps.length + 1;
            const old = plugins[plugins.length - 1]!;
            const next = new SwapPlugin(i, socketDir);
            plugins.push(next);
            const rec = await swapTo(next, old, log);
            swaps.push(rec);
            const a = rec.at;
            progress(`swap ${i}/${SWAPS}: spawn→bound ${ms(a.bound - a.spawn)}, bound→replaced ${ms(a.replaced - a.bound)}, replaced→old exited ${ms(a.oldExited - a.replaced)}; ` +
              `${rec.oldInflightAtSwap} in flight on the old one; ${calls.failures.length} failed so far`);
            await sleep(Math.max(0, a.replaced + HALF_WINDOW_MS - wallNow(), PAUSE_MS));
          }
        });
        await segment('settle', () => sleep(SETTLE_MS));
      }
      await load.stop();
      load = undefined;
      const end = wallNow();
      progress(`done: ${calls.n} calls in ${((end - t0) / 1000).toFixed(1)} s, ${calls.failures.length} failed`);

      // ----- analysis
      const spans = (kind: Segment['kind']) => segments.filter((x) => x.kind === kind).map((x) => [x.from, x.to] as const);
      const steadySpans = spans('steady');
      const swapSpans = spans('swaps');
      const steady = phaseStats(calls, `steady (${steadySpans.length} segments: before, between and after the swaps)`, steadySpans);
      const steadyParts = steadySpans.map((x, k) => phaseStats(calls, `· steady segment ${k + 1}/${steadySpans.length}`, [x]));
      const swapPhase = phaseStats(calls, `swap phase (${swapSpans.length} blocks of ${SWAPS / BLOCKS} swaps)`, swapSpans);
      /** Where the swap's block ends (the next spawn or the settle). */
      const blockEnd = (t: number): number => swapSpans.find(([a, b]) => t >= a && t < b)?.[1] ?? t;
      const stage = (label: string, from: (s: SwapRecord) => number, to: (s: SwapRecord, k: number) => number) =>
        phaseStats(calls, label, swaps.map((s, k) => [from(s), to(s, k)] as const));
      const stages = [
        stage('· new process starting (spawn → bound)', (s) => s.at.spawn, (s) => s.at.bound),
        stage('· host registering + swapping (bound → replaced)', (s) => s.at.bound, (s) => s.at.replaced),
        stage('· old draining + exiting (replaced → old exited)', (s) => s.at.replaced, (s) => s.at.oldExited),
        stage('· between swaps (old exited → next spawn)', (s) => s.at.oldExited, (s, k) => Math.min(swaps[k + 1]?.at.spawn ?? Infinity, blockEnd(s.at.spawn))),
      ];
      const windows = swaps.map((s) => phaseStats(calls, `swap ${s.swap}`, [[s.at.replaced - HALF_WINDOW_MS, s.at.replaced + HALF_WINDOW_MS]]));
      const windowsPooled = phaseStats(calls, `± ${HALF_WINDOW_MS / 1000} s around each swap ('replaced'), pooled`, swaps.map((s) => [s.at.replaced - HALF_WINDOW_MS, s.at.replaced + HALF_WINDOW_MS] as const));
      const steadyWindows: PhaseStats[] = [];
      for (const [from, to] of steadySpans) {
        for (let t = from; t + 2 * HALF_WINDOW_MS <= to + 1; t += 2 * HALF_WINDOW_MS) {
          steadyWindows.push(phaseStats(calls, `steady ${steadyWindows.length + 1}`, [[t, t + 2 * HALF_WINDOW_MS]]));
        }
      }
      const medianP99 = { steady: median(steadyWindows.map((w) => w.latency.p99)), swaps: median(windows.map((w) => w.latency.p99)) };
      const medianP50 = { steady: median(steadyWindows.map((w) => w.latency.p50)), swaps: median(windows.map((w) => w.latency.p50)) };
      const ratios = {
        /** The headline: median over swaps of the ±0.5 s window's p99 / median over steady 1 s windows' p99. */
        windowMedianP99: medianP99.swaps / medianP99.steady,
        /** p99 over the whole swap phase / p99 over all steady segments (pooled: any noisy moment weighs in). */
        phaseP99: swapPhase.latency.p99 / steady.latency.p99,
        pooledWindowP99: windowsPooled.latency.p99 / steady.latency.p99,
        worstWindowP99: Math.max(...windows.map((w) => w.latency.p99)) / medianP99.steady,
      };
      const inSwapPhase = (t: number): boolean => swapSpans.some(([a, b]) => t >= a && t < b);

      // Correctness: who answered what, and when.
      let stale = 0; // started after swap k's 'replaced', answered by an instance older than k
      let finishedOnOld = 0; // started before a swap, answered by the old instance after it
      const answeredBy = new Array<number>(SWAPS + 1).fill(0);
      const replacedAt = swaps.map((s) => s.at.replaced);
      for (let i = 0; i < calls.n; i++) {
        const tag = calls.tag[i]!;
        if (tag < 0) continue;
        answeredBy[tag]!++;
        const s = calls.start[i]!;
        let current = 0; // the newest swap whose 'replaced' precedes the call's start
        while (current < replacedAt.length && replacedAt[current]! <= s) current++;
        if (tag < current) stale++;
        if (tag === current && current < replacedAt.length && s + calls.latency[i]! > replacedAt[current]!) finishedOnOld++;
      }
      // Latency against time since the nearest swap ('replaced'), pooled over the swaps.
      const bins = Array.from({ length: (2 * PROFILE_MS) / PROFILE_BIN_MS }, () => ({ lat: [] as number[], byNew: 0 }));
      for (let i = 0; i < calls.n; i++) {
        const s = calls.start[i]!;
        if (!inSwapPhase(s)) continue;
        let k = 0;
        for (let j = 1; j < replacedAt.length; j++) if (Math.abs(replacedAt[j]! - s) < Math.abs(replacedAt[k]! - s)) k = j;
        const b = Math.floor((s - replacedAt[k]! + PROFILE_MS) / PROFILE_BIN_MS);
        if (b < 0 || b >= bins.length) continue;
        bins[b]!.lat.push(calls.latency[i]!);
        if (calls.tag[i] === k + 1) bins[b]!.byNew++;
      }
      const profile = bins.map((b, j) => {
        const d = distribution(b.lat);
        return { fromMs: j * PROFILE_BIN_MS - PROFILE_MS, calls: b.lat.length, callsPerSecond: Math.round(b.lat.length / (swaps.length * PROFILE_BIN_MS / 1000)),
          p50: round(d.p50, 3), p99: round(d.p99, 3), max: round(d.max, 3), answeredByNew: round(b.byNew / Math.max(1, b.lat.length), 3) };
      });
      const byCode = new Map<string, number>();
      const byStage = new Map<string, number>();
      for (const f of calls.failures) {
        byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
        const key = `${f.code} @ ${stageOf(f.start, swaps, segments)}`;
        byStage.set(key, (byStage.get(key) ?? 0) + 1);
      }
      const hostWarnings = hostLog.filter((r) => Number(r.level) >= 40);
      const perSecond = (x: { cpuMs: number; waitMs: number; spanMs: number }) =>
        ({ cpuMsPerS: round((x.cpuMs / x.spanMs) * 1000, 0), runQueueWaitMsPerS: round((x.waitMs / x.spanMs) * 1000, 0) });
      const mainThread = { steady: perSecond(sched.steady), swapPhase: perSecond(sched.swaps) };
      /** Event-loop delay: medians over the segments of a kind of their p50 and p99, and the largest delay. */
      const loopOf = (kind: Segment['kind']) => {
        const l = segments.filter((x) => x.kind === kind).map((x) => x.loopDelayMs);
        return roundAll({ p50: median(l.map((x) => x.p50)), p99: median(l.map((x) => x.p99)), max: Math.max(...l.map((x) => x.max)) }, 3);
      };
      const loopSteady = loopOf('steady');
      const loopSwap = loopOf('swaps');
      const stepMs = (f: (a: SwapRecord['at']) => number) => round(median(swaps.map((s) => f(s.at))), 1);
      const swapTimes = {
        spawnToLoaded: stepMs((a) => a.loaded - a.spawn),
        loadedToBound: stepMs((a) => a.bound - a.loaded),
        boundToRegistered: stepMs((a) => a.admitted - a.bound),
        registeredToReplaced: stepMs((a) => a.replaced - a.admitted),
        replacedToOldReleased: stepMs((a) => a.oldReleased - a.replaced),
        oldReleasedToOldExited: stepMs((a) => a.oldExited - a.oldReleased),
        spawnToOldExited: stepMs((a) => a.oldExited - a.spawn),
        spawnBlockMs: round(median(swaps.map((s) => s.spawnBlockMs)), 2),
      };

      // ----- report
      const phaseRow = (p: PhaseStats, extra = '') => [p.phase, `${(p.spanMs / 1000).toFixed(1)} s`, String(p.calls), String(p.failed), `${p.callsPerSecond}/s`,
        ms(p.latency.p50), ms(p.latency.p90), ms(p.latency.p99), ms(p.latency.max), extra];
      const waitCol = (m: { cpuMsPerS: number; runQueueWaitMsPerS: number }) => `${m.cpuMsPerS} / ${m.runQueueWaitMsPerS} ms/s`;
      const phasesTable = table(['phase (by call start)', 'span', 'calls', 'failed', 'throughput', 'p50', 'p90', 'p99', 'max', 'bench main thread CPU / run-queue wait'], [
        phaseRow(steady, waitCol(mainThread.steady)),
        ...steadyParts.map((p) => phaseRow(p)),
        phaseRow(swapPhase, waitCol(mainThread.swapPhase)),
        ...stages.map((p) => phaseRow(p)),
        phaseRow(windowsPooled),
      ]);
      const swapRows = swaps.map((s, k) => {
        const a = s.at;
        const w = windows[k]!;
        return [String(s.swap), ms(a.loaded - a.spawn), ms(a.bound - a.loaded), ms(a.admitted - a.bound), ms(a.replaced - a.admitted), ms(a.oldReleased - a.replaced), ms(a.oldExited - a.oldReleased),
          String(s.oldInflightAtSwap), String(w.calls), String(w.failed), ms(w.latency.p50), ms(w.latency.p99), ms(w.latency.max)];
      });
      const swapsTable = table(['swap', 'spawn→loaded', 'loaded→bound', 'bound→registered', 'registered→replaced', 'replaced→old released', 'released→old exited',
        'old in flight', `±${HALF_WINDOW_MS / 1000}s calls`, 'failed', 'p50', 'p99', 'max'], swapRows);
      const failureLines = calls.failures.length === 0 ? 'failed calls: none' : [
        `failed calls: ${calls.failures.length}, by code: ${[...byCode].map(([c, n]) => `${c} ${n}`).join(', ')}`,
        table(['code @ stage of the swap the call started in', 'calls'], [...byStage].map(([k, n]) => [k, String(n)])),
        'first failures:',
        ...calls.failures.slice(0, 8).map((f) => `  +${((f.start - t0) / 1000).toFixed(3)} s (${stageOf(f.start, swaps, segments)}), after ${ms(f.end - f.start)}: ${f.code} grpc=${f.grpcCode ?? '-'} delivered=${f.delivered}: ${f.message}${f.cause ? ` [cause: ${f.cause}]` : ''}`),
      ].join('\n');
      const report = [
        `${calls.n} calls (${calls.failures.length} failed) in ${((end - t0) / 1000).toFixed(1)} s, ${CONCURRENCY} in flight, request ~200 B, timeout ${timeoutMs} ms; ` +
          `${SWAPS} swaps, each a new plugin process on a new socket; ${answeredBy.filter((n) => n > 0).length}/${SWAPS + 1} instances answered calls`,
        phasesTable,
        `1 s windows, median p50 / p99: steady ${ms(medianP50.steady)} / ${ms(medianP99.steady)} (${steadyWindows.length} windows, p99 ${ms(Math.min(...steadyWindows.map((w) => w.latency.p99)))}–${ms(Math.max(...steadyWindows.map((w) => w.latency.p99)))}); ` +
          `around swaps ${ms(medianP50.swaps)} / ${ms(medianP99.swaps)} (${windows.length} windows, p99 ${ms(Math.min(...windows.map((w) => w.latency.p99)))}–${ms(Math.max(...windows.map((w) => w.latency.p99)))})`,
        `p99 ratios vs steady: median window ${fmtRatio(ratios.windowMedianP99)} (the goal); pooled: swap phase ${fmtRatio(ratios.phaseP99)}, windows ${fmtRatio(ratios.pooledWindowP99)}; worst window ${fmtRatio(ratios.worstWindowP99)}`,
        `event-loop delay (host + load, one process; medians over segments) p50/p99/max: steady ${ms(loopSteady.p50)} / ${ms(loopSteady.p99)} / ${ms(loopSteady.max)}; swap phase ${ms(loopSwap.p50)} / ${ms(loopSwap.p99)} / ${ms(loopSwap.max)}; spawn() blocks the loop ${ms(swapTimes.spawnBlockMs)} (median)`,
        `routing: ${stale} calls started after a swap were answered by a superseded instance; ${finishedOnOld} calls in flight at a swap finished on the old instance`,
        `latency by call start relative to the nearest swap ('replaced'), pooled over ${swaps.length} swaps:`,
        table(['start vs replaced', 'calls', 'throughput', 'p50', 'p99', 'max', 'answered by the new instance'], profile.map((r) => [
          `${r.fromMs >= 0 ? '+' : ''}${r.fromMs}…${r.fromMs + PROFILE_BIN_MS} ms`, String(r.calls), `${r.callsPerSecond}/s`, ms(r.p50), ms(r.p99), ms(r.max), `${Math.round(r.answeredByNew * 100)}%`])),
        swapsTable,
        failureLines,
        `host warnings: ${hostWarnings.length}${hostWarnings.slice(0, 5).map((r) => `\n  ${String(r.msg)} ${JSON.stringify({ plugin: r.plugin, reason: r.reason, generation: r.generation })}`).join('')}`,
      ].join('\n');

      const summary: SummaryRow[] = [
        goal(`swap failed calls (${calls.n} calls, ${swaps.length} swaps)`, calls.failures.length === 0 ? '0' : `${calls.failures.length} (${[...byCode].map(([c, n]) => `${c} ${n}`).join(', ')})`, '0', calls.failures.length === 0),
        info('swap throughput steady / swap phase', `${steady.callsPerSecond}/s / ${swapPhase.callsPerSecond}/s`),
        info('swap p50 steady / swap phase / ±0.5 s windows', `${ms(steady.latency.p50)} / ${ms(swapPhase.latency.p50)} / ${ms(windowsPooled.latency.p50)}`),
        info('swap p99 steady / swap phase / ±0.5 s windows', `${ms(steady.latency.p99)} / ${ms(swapPhase.latency.p99)} / ${ms(windowsPooled.latency.p99)}`),
        goal('swap p99 ratio swaps / steady (median 1 s window around a swap / median steady 1 s window)', `${fmtRatio(ratios.windowMedianP99)} (${ms(medianP99.swaps)} / ${ms(medianP99.steady)})`,
          `≤ ${GOAL_P99_RATIO}×`, ratios.windowMedianP99 <= GOAL_P99_RATIO),
        info('swap p99 ratio pooled: swap phase / steady (worst swap window / median steady window)', `${fmtRatio(ratios.phaseP99)} (${fmtRatio(ratios.worstWindowP99)})`),
        goal('swap calls routed to a superseded instance', String(stale), '0', stale === 0),
        info('swap median new process spawn → old exited (bound → replaced)', `${ms(swapTimes.spawnToOldExited)} (${ms(stepMs((a) => a.replaced - a.bound))})`),
      ];
      return {
        data: {
          config: { concurrency: CONCURRENCY, swaps: SWAPS, warmupMs: WARMUP_MS, blocks: BLOCKS, steadySegmentMs: STEADY_SEGMENT_MS, settleMs: SETTLE_MS, pauseMs: PAUSE_MS, halfWindowMs: HALF_WINDOW_MS, timeoutMs, minCalls: MIN_CALLS },
          calls: calls.n,
          failed: calls.failures.length,
          failuresByCode: Object.fromEntries(byCode),
          failuresByStage: Object.fromEntries(byStage),
          failures: calls.failures.slice(0, 50).map((f) => ({ ...f, atS: round((f.start - t0) / 1000, 3), stage: stageOf(f.start, swaps, segments) })),
          segments: segments.map((x) => ({ kind: x.kind, fromS: round((x.from - t0) / 1000, 3), toS: round((x.to - t0) / 1000, 3), loopDelayMs: roundAll(x.loopDelayMs, 3) })),
          phases: { steady, steadyParts, swapPhase, stages, windowsPooled },
          windowMedians: { p50: roundAll(medianP50, 4), p99: roundAll(medianP99, 4) },
          ratios: roundAll(ratios, 3),
          steadyWindows: steadyWindows.map((w) => ({ calls: w.calls, p50: w.latency.p50, p99: w.latency.p99 })),
          swapWindows: windows.map((w) => ({ calls: w.calls, failed: w.failed, p50: w.latency.p50, p99: w.latency.p99, max: w.latency.max })),
          swapTimesMedianMs: swapTimes,
          swaps: swaps.map((s) => ({ ...s, steps: {
            spawnToLoaded: round(s.at.loaded - s.at.spawn, 1), loadedToBound: round(s.at.bound - s.at.loaded, 1), boundToRegistered: round(s.at.admitted - s.at.bound, 1),
            registeredToReplaced: round(s.at.replaced - s.at.admitted, 1), replacedToOldReleased: round(s.at.oldReleased - s.at.replaced, 1), oldReleasedToExited: round(s.at.oldExited - s.at.oldReleased, 1),
          }, at: undefined, spawnBlockMs: round(s.spawnBlockMs, 2) })),
          profileAroundSwap: profile,
          routing: { staleRoutes: stale, finishedOnOldAfterSwap: finishedOnOld, answeredByInstance: answeredBy },
          mainThread,
          eventLoopDelayMs: { steady: loopSteady, swapPhase: loopSwap },
          activeInstanceUnhealthy: log.activeUnhealthy.length,
          hostWarnings: hostWarnings.slice(0, 20),
        },
        report,
        summary,
      };
    } finally {
      loopDelay.disable();
      await load?.stop();
      await host.stop();
      await Promise.all(plugins.map((p) => p.child.stop()));
      removeDir(socketDir);
    }
  },
};
