/**
 * Host restarts: plugins the host did not start keep serving while a host stops, starts or
 * is SIGKILLed; a new host on the same socket directory re-registers every one of them
 * without restarting it (same process, same socket inode, a second
 * NotifyRegistrationStatus(true)) and calls through it succeed.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlugdHost } from '../host/host.js';
import type { InstanceStatus } from '../host/registry/registry.js';
import { cleanup, dist, servePluginProcess, spawnHostProcess, spawnNode, startHost, tempDir, waitFor, type PluginProcess } from './helpers.js';

afterEach(cleanup);

const FIXTURE = dist('test/fixtures/lifecycle-plugin.ts');
const NAMES = ['keeper-a', 'keeper-b', 'gpu-binpack'] as const;

interface Plugins {
  /** Lifecycle fixtures: answer Admit with their pid, print every registration event. */
  a: PluginProcess;
  b: PluginProcess;
  /** The sample, as a user runs it with `plugd serve`. */
  binpack: PluginProcess;
}

function startPlugins(socketDir: string): Plugins {
  return {
    a: spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'keeper-a' }),
    b: spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'keeper-b' }),
    binpack: servePluginProcess('sample-plugins/gpu-binpack', socketDir),
  };
}

const all = (p: Plugins): PluginProcess[] => [p.a, p.b, p.binpack];
const socketOf = (socketDir: string, name: string) => join(socketDir, `${name}.sock`);

/** The NotifyRegistrationStatus calls a lifecycle fixture received, in order. */
function registrations(p: PluginProcess): Array<{ registered: boolean; error: string }> {
  return p.output.join('').split('\n').filter((l) => l.startsWith('{"registration":'))
    .map((l) => (JSON.parse(l) as { registration: { registered: boolean; error: string } }).registration);
}

async function acceptedTimes(p: PluginProcess, n: number): Promise<void> {
  await waitFor(() => registrations(p).filter((r) => r.registered).length >= n,
    `registration #${n} to reach the plugin (got ${JSON.stringify(registrations(p))})`, 20_000);
}

/** What a restart would change: the processes, and the sockets' inodes (a new server re-binds). */
function identity(socketDir: string, p: Plugins): { pids: Array<number | undefined>; inodes: number[] } {
  return { pids: all(p).map((x) => x.proc.pid), inodes: NAMES.map((n) => statSync(socketOf(socketDir, n)).ino) };
}

async function registeredWith(host: PlugdHost): Promise<void> {
  for (const name of NAMES) await host.waitForPlugin(name, 20_000);
}

/** One call to each plugin through `host`; the fixtures name the process that answered. */
async function callAll(host: PlugdHost, p: Plugins, generation: number): Promise<void> {
  await expect(host.invoke('keeper-a', 'Admit', { uid: 'a' })).resolves.toMatchObject({ allowed: true, warnings: [`pid-${p.a.proc.pid}`] });
  await expect(host.invoke('keeper-b', 'Admit', { uid: 'b' })).resolves.toMatchObject({ allowed: true, warnings: [`pid-${p.b.proc.pid}`] });
  await expect(host.invoke('gpu-binpack', 'SyncSnapshot', { generation, indexEnd: 0, nodes: [] })).resolves.toEqual({ result: 'OK', generation });
}

function expectAllRunning(p: Plugins): void {
  expect(all(p).map((x) => [x.proc.exitCode, x.proc.signalCode])).toEqual([[null, null], [null, null], [null, null]]);
}

describe('host restart', { timeout: 60_000 }, () => {
  it.each([
    { order: 'plugins before the host' },
    { order: 'the host before plugins' },
  ])('a stopped host\'s successor re-registers live plugins without restarting them ($order)', async ({ order }) => {
    const socketDir = tempDir();
    let plugins: Plugins;
    let first: PlugdHost;
    if (order === 'plugins before the host') {
      plugins = startPlugins(socketDir);
      // All bound before the host exists: the first host finds them in its initial scan.
      await waitFor(() => NAMES.every((n) => statSync(socketOf(socketDir, n), { throwIfNoEntry: false })?.isSocket()), 'the plugins\' sockets', 20_000);
      first = (await startHost({ socketDir })).host;
    } else {
      first = (await startHost({ socketDir })).host;
      plugins = startPlugins(socketDir);
    }
    await registeredWith(first);
    await callAll(first, plugins, 1);
    await acceptedTimes(plugins.a, 1);
    await acceptedTimes(plugins.b, 1);
    const before = identity(socketDir, plugins);

    await first.stop();
    // The plugins outlive it, sockets and all.
    expectAllRunning(plugins);
    expect(identity(socketDir, plugins)).toEqual(before);

    const second = (await startHost({ socketDir })).host;
    await registeredWith(second);
    await acceptedTimes(plugins.a, 2);
    await acceptedTimes(plugins.b, 2);
    await callAll(second, plugins, 2);
    expect(second.plugins().map((s: InstanceStatus) => [s.name, s.state, s.healthy]).sort()).toEqual(NAMES.map((n) => [n, 'active', true]).sort());
    expect(identity(socketDir, plugins)).toEqual(before);
    expectAllRunning(plugins);
  });

  it('plugins outlive a SIGKILLed host and register with the next one', async () => {
    const socketDir = tempDir();
    const plugins = startPlugins(socketDir);
    const first = spawnHostProcess(socketDir);
    const admin = await first.adminUrl(20_000);
    await waitFor(async () => {
      const rows = (await (await fetch(`${admin}/plugins`)).json()) as InstanceStatus[];
      return NAMES.every((n) => rows.some((r) => r.name === n && r.state === 'active' && r.healthy));
    }, `every plugin active at ${admin}/plugins`, 20_000);
    await acceptedTimes(plugins.a, 1);
    await acceptedTimes(plugins.b, 1);
    const before = identity(socketDir, plugins);

    first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const second = (await startHost({ socketDir })).host;
    await registeredWith(second);
    await acceptedTimes(plugins.a, 2);
    await acceptedTimes(plugins.b, 2);
    // The killed host could not tell them anything: exactly two acceptances, nothing between.
    expect(registrations(plugins.a)).toEqual([{ registered: true, error: '' }, { registered: true, error: '' }]);
    expect(registrations(plugins.b)).toEqual([{ registered: true, error: '' }, { registered: true, error: '' }]);
    await callAll(second, plugins, 2);
    expect(identity(socketDir, plugins)).toEqual(before);
    expectAllRunning(plugins);
  });
});
