/**
 * proxy: a typed call through the host (host.invoke → registry → instance proxy) against a
 * bare grpc-js call (makeUnaryRequest on a plain grpc.Client with the host's channel options,
 * the same method definition and the same deadline) to the same plugin socket, with the same
 * ~200 B AdmitRequest, answered by a trivial echo in its own process. The host side twice: as
 * it runs (the SDK plugin serves plugd.calls.v1, so calls travel on its call stream) and with
 * call streams off (unary RPCs, as for a plugin that does not serve it: the proxy's own cost).
 * All sides run in one run, in rounds of alternating blocks, sequentially and with 64 in
 * flight; the headline is the median over rounds of (host median / bare median).
 */
import * as grpc from '@grpc/grpc-js';
import { join } from 'node:path';
import { defaultConfig } from '../host/config.js';
import { PlugdHost } from '../host/host.js';
import { contractFor, serviceDefinition } from '../proto/index.js';
import { admitRequest } from './support/payloads.js';
import type { AdmitResponse__Output } from '../proto/gen/plugd/admission/v1/AdmitResponse.js';
import { Farm, pluginName } from './support/farm.js';
import { mainThreadSched, removeDir, tempDir } from './support/procs.js';
import { distribution, median, ms, round, roundAll, table, type Distribution } from './support/stats.js';
import { goal, info, type Progress, type Suite, type SuiteResult, type SummaryRow } from './support/suite.js';

const ROUNDS = 10;
const WARMUP = 2000;
const GOAL_RATIO = 1.15;

/**
 * A round is `calls` per side, run as alternating blocks of `block` calls (host, bare, bare,
 * host, …), so both sides of a round sample the same moments of a noisy machine.
 */
const MODES = [
  { name: 'sequential', concurrency: 1, calls: 1000, block: 100 },
  { name: '64 in flight', concurrency: 64, calls: 2000, block: 500 },
] as const;

type Call = () => Promise<unknown>;
const SIDES = ['host', 'unary', 'bare'] as const;
type SideName = (typeof SIDES)[number];

/** Runs `n` calls, `concurrency` at a time; per-call latencies in ms and the wall time. */
async function measure(call: Call, n: number, concurrency: number): Promise<{ latencies: Float64Array; wallMs: number }> {
  const latencies = new Float64Array(n);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      await call();
      latencies[i] = performance.now() - t;
    }
  }));
  return { latencies, wallMs: performance.now() - started };
}

interface SideResult {
  /** Every call of every round. */
  latency: Distribution;
  /** Median latency of each round. */
  roundMedians: number[];
  /** Calls per second, median over rounds. */
  callsPerSecond: number;
  /** Main-thread CPU of the calling process per call (µs): the client side's own cost, whatever the machine's load. */
  callerCpuUsPerCall: number;
}

interface ModeResult {
  mode: string;
  concurrency: number;
  rounds: number;
  callsPerRoundPerSide: number;
  /** Calls per side before the sides alternate. */
  blockSize: number;
  /** host.invoke over the plugin's call stream. */
  host: SideResult;
  /** host.invoke with call streams off: unary RPCs through the proxy. */
  unary: SideResult;
  bare: SideResult;
  /** host/bare of each round's medians. */
  roundRatios: number[];
  /** Median over rounds of host median / bare median: the headline number. */
  medianRatio: number;
  /** The same for host.invoke over unary RPCs: what the proxy adds to a call. */
  unaryRoundRatios: number[];
  unaryMedianRatio: number;
  /** Bare throughput / host throughput, median over rounds. */
  throughputRatio: number;
}

async function runMode(mode: (typeof MODES)[number], sides: Record<SideName, Call>, progress: Progress): Promise<ModeResult> {
  const per = <T>(f: () => T): Record<SideName, T> => ({ host: f(), unary: f(), bare: f() });
  const all = per(() => [] as Float64Array[]);
  const medians = per(() => [] as number[]);
  const rates = per(() => [] as number[]);
  const cpuMs = per(() => 0);
  const blocks = mode.calls / mode.block;
  for (let r = 0; r < ROUNDS; r++) {
    const round = per(() => new Float64Array(mode.calls));
    const wall = per(() => 0);
    for (let b = 0; b < blocks; b++) {
      // Rotating order: no side always goes first, onto a warmer or quieter machine.
      const k = (r * blocks + b) % SIDES.length;
      const order = [...SIDES.slice(k), ...SIDES.slice(0, k)];
      for (const side of order) {
        const sched0 = mainThreadSched();
        const { latencies, wallMs } = await measure(sides[side], mode.block, mode.concurrency);
        cpuMs[side] += mainThreadSched().cpuMs - sched0.cpuMs;
        round[side].set(latencies, b * mode.block);
        wall[side] += wallMs;
      }
    }
    for (const side of SIDES) {
      all[side].push(round[side]);
      medians[side].push(median(round[side]));
      rates[side].push((mode.calls / wall[side]) * 1000);
    }
    progress(`${mode.name}: round ${r + 1}/${ROUNDS}: host ${ms(medians.host[r]!)}, host unary ${ms(medians.unary[r]!)}, bare ${ms(medians.bare[r]!)}, ratio ${(medians.host[r]! / medians.bare[r]!).toFixed(3)}`);
  }
  const side = (s: SideName): SideResult => {
    const calls = ROUNDS * mode.calls;
    const pooled = new Float64Array(ROUNDS * mode.calls);
    all[s].forEach((l, i) => pooled.set(l, i * mode.calls));
    return {
      latency: roundAll(distribution(pooled), 4),
      roundMedians: medians[s].map((m) => round(m, 4)),
      callsPerSecond: Math.round(median(rates[s])),
      callerCpuUsPerCall: round((cpuMs[s] * 1000) / calls, 1),
    };
  };
  const ratios = medians.host.map((h, i) => h / medians.bare[i]!);
  const unaryRatios = medians.unary.map((h, i) => h / medians.bare[i]!);
  return {
    mode: mode.name,
    concurrency: mode.concurrency,
    rounds: ROUNDS,
    callsPerRoundPerSide: mode.calls,
    blockSize: mode.block,
    host: side('host'),
    unary: side('unary'),
    bare: side('bare'),
    roundRatios: ratios.map((x) => round(x, 4)),
    medianRatio: round(median(ratios), 4),
    unaryRoundRatios: unaryRatios.map((x) => round(x, 4)),
    unaryMedianRatio: round(median(unaryRatios), 4),
    throughputRatio: round(median(rates.bare.map((b, i) => b / rates.host[i]!)), 4),
  };
}

export const proxy: Suite = {
  name: 'proxy',
  title: 'typed call through host.invoke (call stream, and unary) vs a bare grpc-js unary call, same plugin socket, interleaved rounds',
  async run(progress: Progress): Promise<SuiteResult> {
    const socketDir = tempDir('plugd-bench-proxy-');
    const config = defaultConfig();
    const host = new PlugdHost({ socketDir, admin: false, config });
    // A second host on the same directory with call streams off: the same proxy over unary RPCs.
    const unaryConfig = defaultConfig();
    unaryConfig.registration.callStreams = false;
    const unaryHost = new PlugdHost({ socketDir, admin: false, config: unaryConfig });
    let farm: Farm | undefined;
    let bareClient: grpc.Client | undefined;
    try {
      await host.start();
      await unaryHost.start();
      farm = await Farm.start({ socketDir, prefix: 'proxy', total: 1, shards: 1, intervalMs: 0 });
      await farm.go(20_000);
      const name = pluginName('proxy', 0);
      await host.waitForPlugin(name, 10_000);
      await unaryHost.waitForPlugin(name, 10_000);
      const transports = [host, unaryHost].map((h) => h.plugins().find((p) => p.name === name && p.state === 'active')?.transport);
      if (transports[1] !== 'unary') throw new Error(`proxy: the unary host calls ${name} over ${transports[1]}`);
      for (const end = Date.now() + 5000; host.plugins().find((p) => p.name === name)?.transport !== 'stream';) {
        if (Date.now() > end) throw new Error(`proxy: ${name} never got a call stream`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const timeoutMs = host.registry.settingsOf(name)!.timeoutMs;

      // The host's channel options (host/host.ts), so both sides speak over identical channels.
      bareClient = new grpc.Client(`unix:${join(socketDir, `${name}.sock`)}`, grpc.credentials.createInsecure(), {
        'grpc.max_receive_message_length': config.limits.maxMessageBytes,
        'grpc.max_send_message_length': config.limits.maxMessageBytes,
        'grpc-node.flow_control_window': 16 * 1024 * 1024,
        'grpc.enable_channelz': 0,
      });
      const client = bareClient;
      await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 5000, (err) => (err ? reject(err) : resolve())));
      const def = serviceDefinition(contractFor('AdmissionPlugin', 'v1')!).Admit!;
      const request = admitRequest();
      const requestBytes = (def.requestSerialize as (v: unknown) => Buffer)(request).length;

      const sides = {
        host: (): Promise<unknown> => host.invoke(name, 'Admit', request),
        unary: (): Promise<unknown> => unaryHost.invoke(name, 'Admit', request),
        bare: (): Promise<unknown> => new Promise((resolve, reject) => {
          client.makeUnaryRequest(def.path, def.requestSerialize as (v: unknown) => Buffer, def.responseDeserialize as (b: Buffer) => unknown,
            request, { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res?: unknown) => (err ? reject(err) : resolve(res)));
        }),
      };
      for (const [s, call] of Object.entries(sides)) {
        const res = (await call()) as AdmitResponse__Output;
        if (!res.allowed || res.warnings[0] !== request.uid || !Buffer.from(res.patch).equals(request.object as Buffer)) {
          throw new Error(`proxy: the ${s} side got a wrong answer: ${JSON.stringify(res)}`);
        }
      }
      progress(`plugin ${name} active; request ${requestBytes} B; warming up (${WARMUP} calls per side)`);
      for (const sideName of SIDES) await measure(sides[sideName], WARMUP, 8);

      const results: ModeResult[] = [];
      for (const mode of MODES) results.push(await runMode(mode, sides, progress));

      const rows = results.flatMap((r) => [
        [r.mode, 'host.invoke (stream)', ms(r.host.latency.p50), ms(r.host.latency.p99), `${r.host.callsPerSecond}/s`, `${r.host.callerCpuUsPerCall} µs`, r.medianRatio.toFixed(3),
          `${Math.min(...r.roundRatios).toFixed(2)}–${Math.max(...r.roundRatios).toFixed(2)}`],
        [r.mode, 'host.invoke (unary)', ms(r.unary.latency.p50), ms(r.unary.latency.p99), `${r.unary.callsPerSecond}/s`, `${r.unary.callerCpuUsPerCall} µs`, r.unaryMedianRatio.toFixed(3),
          `${Math.min(...r.unaryRoundRatios).toFixed(2)}–${Math.max(...r.unaryRoundRatios).toFixed(2)}`],
        [r.mode, 'bare grpc-js', ms(r.bare.latency.p50), ms(r.bare.latency.p99), `${r.bare.callsPerSecond}/s`, `${r.bare.callerCpuUsPerCall} µs`, '', ''],
      ]);
      const report = `request ${requestBytes} B; ${ROUNDS} rounds per mode, each ${MODES.map((m) => `${m.calls} calls per side in alternating blocks of ${m.block} (${m.name})`).join(', ')}\n` +
        table(['mode', 'side', 'p50', 'p99', 'throughput', 'caller CPU/call', 'median ratio host/bare', 'round ratios'], rows);
      const summary: SummaryRow[] = [];
      for (const r of results) {
        summary.push(info(`proxy median latency host stream / host unary / bare (${r.mode})`, `${ms(median(r.host.roundMedians))} / ${ms(median(r.unary.roundMedians))} / ${ms(median(r.bare.roundMedians))}`));
        summary.push(goal(`proxy median ratio host/bare (${r.mode})`, `${r.medianRatio.toFixed(3)}×`, `≤ ${GOAL_RATIO}×`, r.medianRatio <= GOAL_RATIO));
        summary.push(goal(`proxy median ratio host unary/bare (${r.mode})`, `${r.unaryMedianRatio.toFixed(3)}×`, `≤ ${GOAL_RATIO}×`, r.unaryMedianRatio <= GOAL_RATIO));
        summary.push(info(`proxy caller CPU per call host stream / unary / bare (${r.mode})`, `${r.host.callerCpuUsPerCall} / ${r.unary.callerCpuUsPerCall} / ${r.bare.callerCpuUsPerCall} µs`));
      }
      return { data: { requestBytes, timeoutMs, modes: results }, report, summary };
    } finally {
      bareClient?.close();
      await unaryHost.stop();
      await host.stop();
      await farm?.stop();
      removeDir(socketDir);
    }
  },
};
