/**
 * status: what the status page costs. Per call, the series record() the proxy now pays beside
 * the Prometheus recording it already paid (a histogram observe and a counter inc), both
 * measured in one process in alternating blocks over the same latencies; the headline is the
 * median over rounds of record() ns / Prometheus ns. Per poll, building /status.json for 100
 * plugins with ten minutes of traffic, serialising it, and rendering the page from it.
 */
import { HostMetrics } from '../host/metrics.js';
import type { PluginInstance } from '../host/registry/instance.js';
import type { InstanceStatus } from '../host/registry/registry.js';
import { StatusBoard } from '../host/status/board.js';
import { EventLog } from '../host/status/events.js';
import { CallSeries } from '../host/status/series.js';
import { statusView } from '../host/status/view.js';
import { median, roundAll, table } from './support/stats.js';
import { goal, info, type Progress, type Suite, type SuiteResult } from './support/suite.js';

const ROUNDS = 15;
const BLOCK = 200_000;
/** The series may add at most this much to what recording a call cost before it. */
const GOAL_RATIO = 0.5;
const PLUGINS = 100;
const GOAL_SNAPSHOT_MS = 20;

/** Latencies a plugin might answer in (0.1 ms … 100 ms), cycled through so nothing is constant. */
const LATENCIES = Float64Array.from({ length: 4096 }, (_, i) => 0.0001 * 1000 ** (((i * 2654435761) % 4096) / 4096));

function nsPerCall(fn: (seconds: number) => void): number {
  const t = process.hrtime.bigint();
  for (let i = 0; i < BLOCK; i++) fn(LATENCIES[i & 4095]!);
  return Number(process.hrtime.bigint() - t) / BLOCK;
}

function perCall(progress: Progress) {
  const metrics = new HostMetrics();
  const latency = metrics.callSeconds.labels('p', 'Admit');
  const ok = metrics.calls.labels('p', 'Admit', 'ok');
  const series = new CallSeries().of('p');
  const prom = (s: number) => { latency.observe(s); ok.inc(); };
  const rec = (s: number) => series.record(s, false);
  // Warm both paths up to their optimised code before measuring.
  nsPerCall(prom);
  nsPerCall(rec);
  const promNs: number[] = [];
  const seriesNs: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const first = r % 2 === 0;
    const a = first ? nsPerCall(prom) : nsPerCall(rec);
    const b = first ? nsPerCall(rec) : nsPerCall(prom);
    const [p, s] = first ? [a, b] : [b, a];
    promNs.push(p);
    seriesNs.push(s);
    ratios.push(s / p);
  }
  progress(`record() ${median(seriesNs).toFixed(1)} ns, prometheus ${median(promNs).toFixed(1)} ns per call`);
  return { promNs: median(promNs), seriesNs: median(seriesNs), ratio: median(ratios) };
}

/** 100 plugins with ten minutes of calls and a full event log: what one poll of the page costs. */
function perPoll(progress: Progress) {
  let now = Date.UTC(2026, 0, 1);
  const clock = () => now;
  const series = new CallSeries({ now: clock });
  const events = new EventLog({ now: clock });
  const board = new StatusBoard(series, events);
  const names = Array.from({ length: PLUGINS }, (_, i) => `plugin-${String(i).padStart(3, '0')}`);
  const recorders = names.map((n) => series.of(n));
  // Ten minutes, 100 calls per plugin per second of fake time.
  for (let second = 0; second < 600; second++) {
    for (const r of recorders) for (let k = 0; k < 100; k++) r.record(LATENCIES[(second * 100 + k) & 4095]!, k === 0);
    now += 1000;
  }
  for (let i = 0; i < 300; i++) {
    events.add({ kind: 'policy', level: 'warn', plugin: names[i % PLUGINS]!, type: undefined, generation: undefined, reason: 'Ignore CALL_TIMEOUT',
      message: `plugin ${names[i % PLUGINS]}: Admit: no answer within the deadline (1000 ms); failurePolicy Ignore: the plugin was skipped` });
  }
  const types = ['SchedulerPlugin', 'AdmissionPlugin', 'NetworkPlugin'];
  const plugins: InstanceStatus[] = names.map((name, i) => ({
    name, type: types[i % 3] as PluginInstance['type'], version: 'v1', socket: `/run/plugd/${name}.sock`, endpoint: '', state: 'active', healthy: true,
    circuit: 'closed', generation: 1, inflight: 0, transport: 'stream', ownerUid: 0, registeredAt: new Date(now).toISOString(), capabilities: { implemented: ['Admit'] },
  }));
  const source = { socketDir: '/run/plugd', types, plugins: () => plugins, unregistered: () => [], isReady: () => true };
  const view = statusView();
  const snapshotMs: number[] = [];
  const jsonMs: number[] = [];
  const renderMs: number[] = [];
  let bytes = 0;
  let htmlBytes = 0;
  for (let i = 0; i < 30; i++) {
    let t = performance.now();
    const snap = board.snapshot(source);
    snapshotMs.push(performance.now() - t);
    t = performance.now();
    const json = JSON.stringify(snap);
    jsonMs.push(performance.now() - t);
    bytes = json.length;
    t = performance.now();
    htmlBytes = view.render(snap).length;
    renderMs.push(performance.now() - t);
  }
  progress(`snapshot ${median(snapshotMs).toFixed(2)} ms, JSON ${median(jsonMs).toFixed(2)} ms (${(bytes / 1024).toFixed(0)} KiB), render ${median(renderMs).toFixed(2)} ms`);
  return { snapshotMs: median(snapshotMs), jsonMs: median(jsonMs), renderMs: median(renderMs), jsonKiB: bytes / 1024, htmlKiB: htmlBytes / 1024 };
}

export const status: Suite = {
  name: 'status',
  title: 'what the status page costs per call and per poll',
  async run(progress: Progress): Promise<SuiteResult> {
    const call = perCall(progress);
    const poll = perPoll(progress);
    const report = table(['what', 'median'], [
      ['Prometheus per call (histogram observe + counter inc)', `${call.promNs.toFixed(1)} ns`],
      ['series record() per call', `${call.seriesNs.toFixed(1)} ns`],
      ['record() / Prometheus, median over rounds', `${call.ratio.toFixed(2)}×`],
      [`/status.json snapshot, ${PLUGINS} plugins, 10 min of calls`, `${poll.snapshotMs.toFixed(2)} ms`],
      ['  JSON.stringify', `${poll.jsonMs.toFixed(2)} ms (${poll.jsonKiB.toFixed(0)} KiB)`],
      ['  render to HTML (host first paint; the browser per poll)', `${poll.renderMs.toFixed(2)} ms (${poll.htmlKiB.toFixed(0)} KiB)`],
    ]);
    return {
      data: { rounds: ROUNDS, block: BLOCK, plugins: PLUGINS, perCall: roundAll(call), perPoll: roundAll(poll) },
      report,
      summary: [
        goal('status series record() vs Prometheus per call', `${call.seriesNs.toFixed(0)} ns vs ${call.promNs.toFixed(0)} ns (${call.ratio.toFixed(2)}×)`, `≤ ${GOAL_RATIO}×`, call.ratio <= GOAL_RATIO),
        goal(`/status.json for ${PLUGINS} plugins (snapshot + JSON)`, `${(poll.snapshotMs + poll.jsonMs).toFixed(1)} ms`, `≤ ${GOAL_SNAPSHOT_MS} ms`, poll.snapshotMs + poll.jsonMs <= GOAL_SNAPSHOT_MS),
        info(`status page render, ${PLUGINS} plugins`, `${poll.renderMs.toFixed(1)} ms`),
      ],
    };
  },
};
