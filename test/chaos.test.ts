/**
 * Chaos: for a bounded time, calls flow while plugins are SIGKILLed, SIGSTOPped, restarted
 * and hot-swapped at random (seeded: PLUGD_CHAOS_SEED; length: PLUGD_CHAOS_SECONDS, default 20).
 * The host must never crash, every call must resolve — an answer, an Ignore, or a coded
 * PluginCallError — within its deadline plus a small margin, and no descriptors or memory leak.
 */
import { readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, expect, it } from 'vitest';
import { PluginCallError } from '../host/errors.js';
import { seededRandom } from '../host/scheduling/framework.js';
import { cleanup, dist, spawnNode, startHost, waitFor, type PluginProcess } from './helpers.js';

afterEach(cleanup);

const FIXTURE = dist('test/fixtures/lifecycle-plugin.ts');
const SECONDS = Number(process.env.PLUGD_CHAOS_SECONDS ?? 20);
const SEED = Number(process.env.PLUGD_CHAOS_SEED ?? Date.now() % 100_000);
const TIMEOUT_MS = 400;
const MARGIN_MS = 500;

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

it(`survives ${SECONDS} s of random kills, stops, restarts and swaps (seed ${SEED})`, async () => {
  const random = seededRandom(SEED); // replayable: the seed is in the test's name
  const names = ['chaos-a', 'chaos-b', 'chaos-c', 'chaos-d'];
  const policies: Record<string, Record<string, unknown>> = {};
  names.forEach((n, i) => { policies[n] = { failurePolicy: i % 2 ? 'Ignore' : 'Fail', timeoutMs: TIMEOUT_MS, breakerThreshold: 3, breakerOpenMs: 200 }; });
  const { host, socketDir } = await startHost({ config: { plugins: policies, registration: { unavailableWaitMs: 300, drainTimeoutMs: 2000, swapHealthWindowMs: 3000 } } });

  const fdsBefore = openFds();
  const heapBefore = heapAfterGc();
  const live = new Map<string, PluginProcess[]>();
  let serial = 0;
  const start = (name: string): void => {
    const p = spawnNode(FIXTURE, ['--socket-dir', socketDir, '--socket', `${socketDir}/${name}-${serial++}.sock`], { FIXTURE_NAME: name, FIXTURE_DELAY_MS: '2' });
    live.set(name, [...(live.get(name) ?? []), p]);
    void p.exited.then(() => live.set(name, (live.get(name) ?? []).filter((q) => q !== p)));
  };
  for (const n of names) start(n);
  for (const n of names) await host.waitForPlugin(n, 20_000);

  const outcomes = { ok: 0, ignored: 0, failed: 0 };
  const failures = new Map<string, number>();
  const durations: number[] = [];
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  let running = true;
  const workers = Array.from({ length: 8 }, async (_, w) => {
    while (running) {
      const name = names[(w + outcomes.ok + outcomes.failed) % names.length]!;
      const t0 = performance.now();
      try {
        const out = await host.callWithPolicy(name, 'Admit', { uid: `c${w}` });
        if (out.status === 'ok') outcomes.ok++;
        else {
          outcomes.ignored++;
          failures.set(out.error.code, (failures.get(out.error.code) ?? 0) + 1);
        }
      } catch (err) {
        // Anything but a coded PluginCallError under Fail is a host bug.
        expect(err).toBeInstanceOf(PluginCallError);
        expect((err as PluginCallError).policy).toBe('Fail');
        outcomes.failed++;
        failures.set((err as PluginCallError).code, (failures.get((err as PluginCallError).code) ?? 0) + 1);
      }
      durations.push(performance.now() - t0);
      // Fast failures (an open circuit) resolve in microtasks: let timers and I/O run too.
      await new Promise((r) => setImmediate(r));
    }
  });

  const actions: Record<string, number> = {};
  const until = Date.now() + SECONDS * 1000;
  const stopped = new Set<PluginProcess>();
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100 + random() * 300));
    const name = names[Math.floor(random() * names.length)]!;
    const procs = live.get(name) ?? [];
    const victim = procs[Math.floor(random() * procs.length)];
    const roll = random();
    const action = !victim ? 'start' : roll < 0.25 ? 'kill' : roll < 0.45 ? 'stop' : roll < 0.6 ? 'term' : roll < 0.8 ? 'swap' : 'cont';
    actions[action] = (actions[action] ?? 0) + 1;
    if (action === 'start' || action === 'swap') start(name);
    else if (action === 'kill' || action === 'term') {
      if (action === 'kill') victim!.kill('SIGKILL');
      else { victim!.kill('SIGCONT'); victim!.kill('SIGTERM'); }
      // As a supervisor would: a replacement comes up a little later.
      setTimeout(() => { if (running) start(name); }, 200 + random() * 600);
    }
    else if (action === 'stop') { victim!.kill('SIGSTOP'); stopped.add(victim!); }
    else for (const p of stopped) { p.kill('SIGCONT'); stopped.delete(p); }
  }
  for (const p of stopped) p.kill('SIGCONT');
  running = false;
  await Promise.all(workers);

  lag.disable();
  durations.sort((a, b) => a - b);
  const p99 = durations[Math.floor(durations.length * 0.99)]!;
  const slowest = durations[durations.length - 1]!;
  const maxLagMs = lag.max / 1e6;
  console.log(`chaos seed ${SEED}: actions ${JSON.stringify(actions)}, outcomes ${JSON.stringify(outcomes)}, failed or ignored by code ${JSON.stringify(Object.fromEntries(failures))}, p99 ${p99.toFixed(0)} ms, slowest ${slowest.toFixed(0)} ms, event-loop delay max ${maxLagMs.toFixed(0)} ms`);
  // Deadlines hold: late answers are only as late as the event loop itself was (2 noisy cores).
  expect(p99).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
  expect(slowest).toBeLessThan(TIMEOUT_MS + MARGIN_MS + maxLagMs);
  expect(outcomes.ok).toBeGreaterThan(100);

  // The host recovers: a fresh instance of every plugin serves.
  for (const n of names) start(n);
  const lastErrors = new Map<string, string>();
  await waitFor(async () => {
    for (const n of names) {
      const out = await host.callWithPolicy(n, 'Admit', { uid: 'after' }).catch((e: Error) => ({ status: 'failed', error: e }));
      if (out.status !== 'ok') {
        lastErrors.set(n, String((out as { error: Error }).error?.message));
        return false;
      }
      lastErrors.delete(n);
    }
    return true;
  }, 'every plugin to serve again', 20_000, 100).catch((err: Error) => {
    throw new Error(`${err.message}: ${JSON.stringify([...lastErrors])}; instances ${JSON.stringify(host.plugins().map((p) => [p.name, p.generation, p.state, p.healthy, p.inflight]))}`);
  });

  // Tear every plugin down: nothing of theirs may stay open in the host.
  for (const procs of live.values()) for (const p of procs) p.kill('SIGKILL');
  await waitFor(() => host.plugins().length === 0, 'every instance to be deregistered', 20_000);
  await waitFor(() => openFds() <= fdsBefore + 4, `descriptors back to ${fdsBefore} (now ${openFds()})`, 10_000, 100);
  expect(heapAfterGc() - heapBefore).toBeLessThan(32 * 1024 * 1024);
}, (SECONDS + 90) * 1000);
