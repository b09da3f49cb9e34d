/**
 * discovery: how long from a plugin binding its socket to the host having it active (in
 * rotation, SERVING), over 200 real SDK plugins served by separate farm processes. Bind
 * times come from the plugin processes, activation times from the registry's 'activated'
 * event in the (embedded) host, both on wallNow(). Three schedules: paced (one bind every
 * 20 ms, then every 5 ms, across the farms) and a burst (every farm binding back to back).
 * Also reported, to tell a slow registration from a queue of them: the path in stages,
 * the CPU the host and the plugin processes spent per plugin, and the host's event-loop delay.
 */
import { watch } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { defaultConfig } from '../host/config.js';
import { PlugdHost } from '../host/host.js';
import { wallNow } from './support/clock.js';
import { Farm } from './support/farm.js';
import { mainThreadSched, removeDir, tempDir } from './support/procs.js';
import { distribution, ms, round, roundAll, table, type Distribution } from './support/stats.js';
import { goal, info, type Progress, type Suite, type SuiteResult, type SummaryRow } from './support/suite.js';

const PLUGINS = 200;
const SHARDS = 2;
const GOAL_P99_MS = 100;
/** How long a schedule may take to get every plugin active. */
const WAIT_MS = 30_000;

interface Variant {
  readonly name: string;
  readonly intervalMs: number;
  readonly label: string;
  readonly plugins: number;
}

/** Run first and not reported: the first registrations in a process load the contracts and JIT the path. */
const WARM_UP: Variant = { name: 'warm-up', intervalMs: 10, label: 'warm-up, a bind every 10 ms', plugins: 20 };

const VARIANTS: readonly Variant[] = [
  // Slow enough that registrations do not queue behind each other: the latency of one.
  { name: 'paced 20 ms', intervalMs: 20, label: 'paced, a bind every 20 ms', plugins: PLUGINS },
  { name: 'paced 5 ms', intervalMs: 5, label: 'paced, a bind every 5 ms', plugins: PLUGINS },
  { name: 'burst', intervalMs: 0, label: 'burst, back to back', plugins: PLUGINS },
];

interface VariantResult {
  variant: string;
  plugins: number;
  /** Plugins active within the wait (the rest count as infinite latency). */
  active: number;
  farms: number;
  intervalMs: number;
  /** Socket bound (servePlugin resolved, plugin process) → 'activated' (host): the headline. */
  bindToActive: Distribution;
  /** The same path in stages (host process clock points). */
  stages: {
    /** bind → an fs.watch observer in the host process sees the socket (inotify + the host's event-loop lag). */
    bindToSeen: Distribution;
    /** seen → the registry's 'registered' (chokidar, GetInfo, GetCapabilities, admit). */
    seenToRegistered: Distribution;
    /** 'registered' → 'activated' (the first SERVING on the health Watch). */
    registeredToActive: Distribution;
    /** bind → NotifyRegistrationStatus(true) received by the plugin. */
    bindToNotified: Distribution;
  };
  /** servePlugin() duration in the plugin process. */
  bindDuration: Distribution;
  /** First bind → last activation. */
  spanMs: number;
  /** Plugins activated per second over the span. */
  perSecond: number;
  /** CPU (user + system, every thread) the host process used per plugin, from go to the last activation. */
  hostCpuMsPerPlugin: number;
  /** The host's main thread alone: on-CPU time per plugin. */
  hostMainThreadCpuMsPerPlugin: number;
  /** How long the host's main thread was runnable but waiting for a CPU (a busy machine), over the same time. */
  hostRunQueueWaitMs: number;
  /** CPU the farm processes used per plugin over the same time (binding and answering the handshakes). */
  farmCpuMsPerPlugin: number;
  /** The host process's event-loop delay over the same time. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** Warnings the host logged, counted by reason (e.g. handshake retries). */
  hostWarnings: Record<string, number>;
}

async function runVariant(v: Variant, progress: Progress): Promise<VariantResult> {
  const socketDir = tempDir('plugd-bench-discovery-');
  const warnings = new Map<string, number>();
  const logger = pino({ level: 'warn' }, {
    write(line: string) {
      const rec = JSON.parse(line) as { msg?: string; reason?: string };
      const key = rec.reason ?? String(rec.msg).replace(/\/[^ ]*\.sock/g, '<socket>');
      warnings.set(key, (warnings.get(key) ?? 0) + 1);
    },
  });
  const host = new PlugdHost({ socketDir, admin: false, config: defaultConfig(), logger });
  const seen = new Map<string, number>();
  const registered = new Map<string, number>();
  const activated = new Map<string, number>();
  let allActive!: () => void;
  const everyOne = new Promise<void>((resolve) => { allActive = resolve; });
  host.registry.on('registered', (inst) => {
    if (!registered.has(inst.name)) registered.set(inst.name, wallNow());
  });
  host.registry.on('activated', (inst, previous) => {
    if (previous || activated.has(inst.name)) return;
    activated.set(inst.name, wallNow());
    if (activated.size === v.plugins) allActive();
  });
  // A bare inotify observer in the host process: when the host *could* first know of a socket.
  const observer = watch(socketDir, (_event, file) => {
    const name = typeof file === 'string' && file.endsWith('.sock') ? file.slice(0, -'.sock'.length) : undefined;
    if (name !== undefined && !seen.has(name)) seen.set(name, wallNow());
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  let farm: Farm | undefined;
  try {
    await host.start();
    farm = await Farm.start({ socketDir, prefix: v === WARM_UP ? 'warm' : `disc${v.intervalMs}`, total: v.plugins, shards: SHARDS, intervalMs: v.intervalMs });
    progress(`${v.name}: ${SHARDS} farm processes loaded; binding ${v.plugins} plugins (${v.label})`);
    const farmCpu0 = await farm.cpuMs();
    const cpu0 = process.cpuUsage();
    const sched0 = mainThreadSched();
    loopDelay.enable();
    await farm.go(60_000);
    progress(`${v.name}: all ${v.plugins} bound; ${activated.size} active so far`);
    // A plugin not active within the wait counts as never (an infinite latency), not as an error.
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([everyOne.then(() => false), new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), WAIT_MS);
    })]).finally(() => clearTimeout(timer));
    loopDelay.disable();
    if (gaveUp) {
      const missing = farm.names.filter((n) => !activated.has(n));
      progress(`${v.name}: only ${activated.size}/${v.plugins} active after ${WAIT_MS / 1000} s (${registered.size} registered); ` +
        `missing e.g. ${missing.slice(0, 4).join(', ')}; host warnings ${JSON.stringify(Object.fromEntries(warnings))}`);
    }
    const cpu = process.cpuUsage(cpu0);
    const sched = mainThreadSched();
    const farmCpu = (await farm.cpuMs()) - farmCpu0;
    progress(`${v.name}: ${activated.size}/${v.plugins} active`);

    const series = { toActive: [] as number[], toSeen: [] as number[], toRegistered: [] as number[], toActivated: [] as number[], toNotified: [] as number[], bind: [] as number[] };
    let first = Infinity;
    let last = -Infinity;
    for (const name of farm.names) {
      const b = farm.bound.get(name)!;
      const a = activated.get(name) ?? Infinity;
      const r = registered.get(name) ?? Infinity;
      const s = seen.get(name);
      series.toActive.push(a - b.t);
      series.bind.push(b.t - b.t0);
      if (Number.isFinite(r)) series.toActivated.push(a - r);
      if (s !== undefined) {
        series.toSeen.push(s - b.t);
        series.toRegistered.push(r - s);
      }
      const n = farm.registered.get(name);
      if (n !== undefined) series.toNotified.push(n - b.t);
      first = Math.min(first, b.t);
      if (Number.isFinite(a)) last = Math.max(last, a);
    }
    const spanMs = last - first;
    const nsToMs = (ns: number) => round(ns / 1e6, 2);
    return {
      variant: v.name,
      plugins: v.plugins,
      active: activated.size,
      farms: SHARDS,
      intervalMs: v.intervalMs,
      bindToActive: roundAll(distribution(series.toActive)),
      stages: {
        bindToSeen: roundAll(distribution(series.toSeen)),
        seenToRegistered: roundAll(distribution(series.toRegistered)),
        registeredToActive: roundAll(distribution(series.toActivated)),
        bindToNotified: roundAll(distribution(series.toNotified)),
      },
      bindDuration: roundAll(distribution(series.bind)),
      spanMs: Math.round(spanMs),
      perSecond: Math.round((v.plugins / spanMs) * 1000),
      hostCpuMsPerPlugin: round((cpu.user + cpu.system) / 1000 / v.plugins, 2),
      hostMainThreadCpuMsPerPlugin: round((sched.cpuMs - sched0.cpuMs) / v.plugins, 2),
      hostRunQueueWaitMs: Math.round(sched.waitMs - sched0.waitMs),
      farmCpuMsPerPlugin: round(farmCpu / v.plugins, 2),
      eventLoopDelayMs: { p50: nsToMs(loopDelay.percentile(50)), p99: nsToMs(loopDelay.percentile(99)), max: nsToMs(loopDelay.max) },
      hostWarnings: Object.fromEntries(warnings),
    };
  } finally {
    loopDelay.disable();
    observer.close();
    await host.stop();
    await farm?.stop();
    removeDir(socketDir);
  }
}

export const discovery: Suite = {
  name: 'discovery',
  title: `socket bind → active, ${PLUGINS} SDK plugins in ${SHARDS} processes, embedded host`,
  async run(progress: Progress): Promise<SuiteResult> {
    const warm = await runVariant(WARM_UP, progress);
    const results: VariantResult[] = [];
    for (const v of VARIANTS) results.push(await runVariant(v, progress));
    const rows = results.map((r) => [
      r.variant, r.active === r.plugins ? String(r.plugins) : `${r.active}/${r.plugins}`, ms(r.bindToActive.p50), ms(r.bindToActive.p99), ms(r.bindToActive.max), ms(r.bindToActive.mean),
      ms(r.stages.bindToNotified.p50), ms(r.bindDuration.p50), `${r.spanMs} ms`, `${r.perSecond}/s`,
    ]);
    const stageRows = results.map((r) => [
      r.variant, `${ms(r.stages.bindToSeen.p50)} / ${ms(r.stages.bindToSeen.p99)}`,
      `${ms(r.stages.seenToRegistered.p50)} / ${ms(r.stages.seenToRegistered.p99)}`,
      `${ms(r.stages.registeredToActive.p50)} / ${ms(r.stages.registeredToActive.p99)}`,
      `${r.hostCpuMsPerPlugin.toFixed(2)} / ${r.hostMainThreadCpuMsPerPlugin.toFixed(2)} ms`, `${r.farmCpuMsPerPlugin.toFixed(2)} ms`,
      `${r.hostRunQueueWaitMs} ms`,
      `${ms(r.eventLoopDelayMs.p99)} / ${ms(r.eventLoopDelayMs.max)}`,
    ]);
    const report = `${table(['schedule', 'active', 'p50', 'p99', 'max', 'mean', 'notified p50', 'bind p50', 'span', 'rate'], rows)}\n\n` +
      `stages (p50 / p99); CPU per plugin; how long the host's main thread waited for a CPU; its event-loop delay (p99 / max):\n` +
      table(['schedule', 'bind→seen', 'seen→registered', 'registered→active', 'host CPU/plugin (all / main)', 'farm CPU/plugin', 'host CPU wait', 'loop delay'], stageRows);
    const summary: SummaryRow[] = [];
    for (const r of results) {
      summary.push(info(`discovery bind→active p50 (${r.variant})`, ms(r.bindToActive.p50)));
      summary.push(goal(`discovery bind→active p99 (${r.variant})`, ms(r.bindToActive.p99), `≤ ${GOAL_P99_MS} ms`, r.bindToActive.p99 <= GOAL_P99_MS));
      summary.push(info(`discovery bind→active max (${r.variant})`, ms(r.bindToActive.max)));
    }
    const calm = results[0]!;
    summary.push(info(`discovery host CPU per registration, main thread (${calm.variant})`, ms(calm.hostMainThreadCpuMsPerPlugin)));
    return { data: { warmUp: warm, variants: results }, report, summary };
  },
};
