/**
 * Hot-swap: a new instance under a taken name becomes active only once SERVING, in-flight
 * calls finish on the old one, new calls go to the new one, and no call fails for it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PlugdHost } from '../host/host.js';
import { existsSync } from 'node:fs';
import { cleanup, dist, servePluginProcess, spawnNode, startHost, waitFor, type PluginProcess } from './helpers.js';

afterEach(cleanup);

const FIXTURE = dist('test/fixtures/lifecycle-plugin.ts');

function fixture(socketDir: string, env: Record<string, string>, args: string[] = []): PluginProcess {
  return spawnNode(FIXTURE, ['--socket-dir', socketDir, ...args], { FIXTURE_NAME: 'swap-me', ...env });
}

interface Load {
  ok: number;
  failures: unknown[];
  /** Tags in the order they were first seen, and how often each answered. */
  order: string[];
  counts: Map<string, number>;
  stop(): Promise<void>;
}

/** Calls the plugin continuously from `concurrency` workers until stop(). */
function drive(host: PlugdHost, name: string, concurrency = 8): Load {
  let running = true;
  const load: Load = {
    ok: 0, failures: [], order: [], counts: new Map(),
    stop: async () => { running = false; await workers; },
  };
  const workers = Promise.all(Array.from({ length: concurrency }, async () => {
    while (running) {
      try {
        const res = await host.invoke<{ warnings: string[] }>(name, 'Admit', { uid: 'u' });
        const tag = res.warnings[0]!;
        load.ok++;
        if (!load.counts.has(tag)) load.order.push(tag);
        load.counts.set(tag, (load.counts.get(tag) ?? 0) + 1);
      } catch (err) {
        load.failures.push(err);
      }
    }
  }));
  return load;
}

describe('hot-swap', () => {
  it('swaps to a new socket under load with no failed call, and supersedes the old instance', async () => {
    const { host, socketDir, logs } = await startHost({ config: { registration: { drainTimeoutMs: 10_000 } } });
    const old = fixture(socketDir, { FIXTURE_TAG: 'old', FIXTURE_DELAY_MS: '20' }, ['--socket', `${socketDir}/swap-me-a.sock`]);
    await host.waitForPlugin('swap-me', 15_000);
    const load = drive(host, 'swap-me');
    await waitFor(() => load.ok > 50, 'calls to the old instance');

    let during: ReturnType<PlugdHost['plugins']> = [];
    host.registry.once('replaced', () => { during = host.plugins(); });
    fixture(socketDir, { FIXTURE_TAG: 'new' }, ['--socket', `${socketDir}/swap-me-b.sock`]);
    await waitFor(() => (load.counts.get('new') ?? 0) > 100, 'calls answered by the new instance', 20_000);
    await load.stop();

    expect(load.failures).toEqual([]);
    expect(load.order).toEqual(['old', 'new']);
    // During the swap both instances are listed: the new one active, the old one draining.
    expect(during.map((p) => [p.generation, p.state]).sort()).toEqual([[1, 'draining'], [2, 'active']]);
    // The old instance is told it was superseded, then leaves the registry.
    await waitFor(() => old.output.join('').includes('superseded by generation 2'), 'the superseded notification');
    await waitFor(() => host.plugins().length === 1, 'the old instance to leave');
    // It leaves as superseded, even when its socket vanished before the notice returned.
    expect(logs.find('plugin deregistered', { plugin: 'swap-me', generation: 1 })).toMatchObject([{ reason: 'superseded' }]);
    expect(host.plugins()[0]).toMatchObject({ name: 'swap-me', generation: 2, state: 'active' });
    expect(logs.find('hot-swap: new instance active')).toHaveLength(1);
  });

  it('rejects a successor that never reports SERVING and keeps the old one', async () => {
    const { host, socketDir, logs } = await startHost({ config: { registration: { swapHealthWindowMs: 1500 } } });
    fixture(socketDir, { FIXTURE_TAG: 'old' }, ['--socket', `${socketDir}/a.sock`]);
    await host.waitForPlugin('swap-me', 15_000);
    const sick = fixture(socketDir, { FIXTURE_TAG: 'sick', FIXTURE_HEALTH: 'NOT_SERVING' }, ['--socket', `${socketDir}/b.sock`]);
    const load = drive(host, 'swap-me', 2);
    await logs.waitFor('hot-swap rejected', { plugin: 'swap-me' }, 15_000);
    await waitFor(() => sick.output.join('').includes('never reported SERVING'), 'the rejection notification to reach the plugin');
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(load.order).toEqual(['old']);
    // The rejected instance leaves once its notice is acknowledged.
    await waitFor(() => host.plugins().length === 1, 'the rejected instance to leave');
    expect(host.plugins()).toMatchObject([{ name: 'swap-me', generation: 1, state: 'active', healthy: true }]);
  });

  it('a restart at the same path loses no call (calls wait for the successor)', async () => {
    const { host, socketDir } = await startHost({ config: { registration: { unavailableWaitMs: 10_000 } } });
    const path = `${socketDir}/same.sock`;
    const first = fixture(socketDir, { FIXTURE_TAG: 'first' }, ['--socket', path]);
    await host.waitForPlugin('swap-me', 15_000);
    const load = drive(host, 'swap-me', 4);
    await waitFor(() => load.ok > 20, 'calls to the first instance');
    first.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    fixture(socketDir, { FIXTURE_TAG: 'second' }, ['--socket', path]);
    await waitFor(() => (load.counts.get('second') ?? 0) > 20, 'calls answered after the restart', 20_000);
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(load.order).toEqual(['first', 'second']);
    expect(host.plugins()).toMatchObject([{ name: 'swap-me', generation: 2, socket: path, state: 'active' }]);
  });

  it('`plugd serve --replace` on a held default socket swaps in beside it, and the old process exits', async () => {
    const { host, socketDir } = await startHost();
    const first = servePluginProcess('sample-plugins/gpu-binpack', socketDir);
    await host.waitForPlugin('gpu-binpack', 15_000);
    // Without --replace a second copy refuses the live socket.
    const refused = servePluginProcess('sample-plugins/gpu-binpack', socketDir);
    expect((await refused.exited).code).not.toBe(0);
    expect(refused.output.join('')).toContain('held by a live server');

    const second = servePluginProcess('sample-plugins/gpu-binpack', socketDir, ['--replace']);
    expect(await first.exited).toEqual({ code: 0, signal: null });
    await waitFor(() => host.plugins().length === 1 && host.plugins()[0]!.generation === 2, 'the successor alone');
    expect(host.plugins()[0]).toMatchObject({ state: 'active', healthy: true, socket: `${socketDir}/gpu-binpack.${second.proc.pid}.sock` });
    expect(existsSync(`${socketDir}/gpu-binpack.sock`)).toBe(false);
  });

  it('rolls back by re-registering the old version', async () => {
    const { host, socketDir } = await startHost();
    fixture(socketDir, { FIXTURE_TAG: 'v1' }, ['--socket', `${socketDir}/v1.sock`]);
    await host.waitForPlugin('swap-me', 15_000);
    fixture(socketDir, { FIXTURE_TAG: 'v2' }, ['--socket', `${socketDir}/v2.sock`]);
    await waitFor(async () => (await host.invoke<{ warnings: string[] }>('swap-me', 'Admit', {})).warnings[0] === 'v2', 'v2 to answer');
    fixture(socketDir, { FIXTURE_TAG: 'v1-again' }, ['--socket', `${socketDir}/v1-again.sock`]);
    await waitFor(async () => (await host.invoke<{ warnings: string[] }>('swap-me', 'Admit', {})).warnings[0] === 'v1-again', 'the rollback to answer');
    await waitFor(() => host.plugins().length === 1, 'the replaced instances to leave');
    expect(host.plugins()[0]).toMatchObject({ generation: 3, state: 'active' });
  });
});
