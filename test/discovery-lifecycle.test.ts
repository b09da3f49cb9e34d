/**
 * A plugin's life as the socket directory tells it: found by the initial scan or when its
 * socket appears, deregistered when the socket goes or the process dies (even mid-call),
 * registered again as a new generation when the socket comes back, and many at once.
 * Real processes, real unix sockets; the host keeps serving the others throughout.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, PluginCallError } from '../host/errors.js';
import type { PlugdHost } from '../host/host.js';
import {
  adminGet, cleanup, dist, fixtureEvents, metricValue, spawnNode, startHost, tempDir, waitFor, waitForFixtureEvent, type PluginProcess,
} from './helpers.js';

afterEach(cleanup);

const RAW = dist('test/fixtures/raw-plugin.ts');
const SDK = dist('test/fixtures/sdk-plugins.ts');

/** One SDK admission plugin NAME in its own process; Admit answers warnings ["NAME@PID"]. */
function sdkPlugin(socketDir: string, name: string, socket?: string): PluginProcess {
  return spawnNode(SDK, ['--socket-dir', socketDir, '--name', name, ...(socket ? ['--socket', socket] : [])]);
}

async function answeredBy(host: PlugdHost, name: string): Promise<string> {
  const res = await host.invoke<{ warnings: string[] }>(name, 'Admit', { uid: 'u' });
  return res.warnings[0]!;
}

describe('discovery lifecycle', () => {
  it('finds a plugin that was already serving when the host started (initial scan)', async () => {
    const dir = tempDir();
    const p = sdkPlugin(dir, 'early');
    const { pid } = await waitForFixtureEvent(p, 'listening', {}, 15_000);

    const t = await startHost({ socketDir: dir });
    expect(await adminGet(t.host, '/readyz')).toBe('ready\n');
    const status = await t.host.waitForPlugin('early', 15_000);
    expect(status).toMatchObject({ socket: join(dir, 'early.sock'), state: 'active', healthy: true, generation: 1 });
    expect(await answeredBy(t.host, 'early')).toBe(`early@${pid}`);
  });

  it('deregisters a plugin whose socket is removed, and calls to it fail as unavailable', async () => {
    const t = await startHost();
    sdkPlugin(t.socketDir, 'leaving');
    const { socket } = await t.host.waitForPlugin('leaving', 15_000);

    unlinkSync(socket);
    expect(await t.logs.waitFor('plugin deregistered', { plugin: 'leaving' })).toMatchObject({ socket, reason: 'socket-removed', generation: 1 });
    expect(t.host.plugins()).toEqual([]);
    expect(JSON.parse(await adminGet(t.host, '/plugins'))).toEqual([]);
    expect(metricValue(await adminGet(t.host, '/metrics'), 'plugd_plugins')).toBe(0);
    const err = await t.host.invoke('leaving', 'Admit', { uid: 'u' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginCallError);
    expect(err).toMatchObject({ code: ErrorCodes.PLUGIN_UNAVAILABLE, plugin: 'leaving' });
  });

  it('deregisters a plugin whose socket is removed while it is still acknowledging its registration', async () => {
    const t = await startHost();
    const sock = join(t.socketDir, 'slow-ack.sock');
    // Holds NotifyRegistrationStatus(true) unanswered: the host has admitted it but not finished the handshake.
    const p = spawnNode(RAW, ['healthy', '--socket', sock, '--name', 'slow-ack', '--hang', 'NotifyRegistrationStatus']);
    await t.host.waitForPlugin('slow-ack', 15_000);
    expect(await waitForFixtureEvent(p, 'notify')).toMatchObject({ registered: true });

    unlinkSync(sock);
    expect(await t.logs.waitFor('plugin deregistered', { plugin: 'slow-ack' })).toMatchObject({ socket: sock, reason: 'socket-removed' });
    expect(t.host.plugins()).toEqual([]);
  });

  it('re-registers a plugin restarted at the same path as a new generation', async () => {
    const t = await startHost();
    const sock = join(t.socketDir, 'phoenix.sock');
    const first = sdkPlugin(t.socketDir, 'phoenix', sock);
    await t.host.waitForPlugin('phoenix', 15_000);
    const { pid: pid1 } = await waitForFixtureEvent(first, 'listening');
    expect(await answeredBy(t.host, 'phoenix')).toBe(`phoenix@${pid1}`);

    first.kill('SIGTERM'); // graceful: NOT_SERVING, unlinks its socket, exits
    await first.exited;
    await t.logs.waitFor('plugin deregistered', { plugin: 'phoenix', generation: 1 });
    await waitFor(() => t.host.plugins().length === 0, 'phoenix to leave the registry');

    const second = sdkPlugin(t.socketDir, 'phoenix', sock);
    const { pid: pid2 } = await waitForFixtureEvent(second, 'listening', {}, 15_000);
    await waitFor(() => t.host.plugins().find((p) => p.generation === 2 && p.state === 'active' && p.healthy), 'generation 2 to become active', 15_000);
    expect(t.host.plugins()).toEqual([expect.objectContaining({ name: 'phoenix', socket: sock, generation: 2 })]);
    expect(await answeredBy(t.host, 'phoenix')).toBe(`phoenix@${pid2}`);
    expect(metricValue(await adminGet(t.host, '/metrics'), 'plugd_registrations_total', { type: 'AdmissionPlugin' })).toBe(2);
  });

  it('re-registers a plugin killed with SIGKILL once a new process takes over its stale socket', async () => {
    const t = await startHost({ config: { registration: { maxBackoffMs: 200 } } });
    const sock = join(t.socketDir, 'phoenix.sock');
    const first = sdkPlugin(t.socketDir, 'phoenix', sock);
    await t.host.waitForPlugin('phoenix', 15_000);

    first.kill('SIGKILL'); // no cleanup: the socket file stays behind, with nobody listening
    await first.exited;
    expect(await t.logs.waitFor('plugin deregistered', { plugin: 'phoenix' })).toMatchObject({ reason: 'connection-lost', generation: 1 });
    expect(existsSync(sock)).toBe(true);
    await t.logs.waitFor(`cannot register ${sock}: no listener on the socket (stale socket?)`);

    const second = sdkPlugin(t.socketDir, 'phoenix', sock);
    const { pid } = await waitForFixtureEvent(second, 'listening', {}, 15_000);
    await waitFor(() => t.host.plugins().find((p) => p.generation === 2 && p.state === 'active' && p.healthy), 'generation 2 to become active', 15_000);
    expect(await answeredBy(t.host, 'phoenix')).toBe(`phoenix@${pid}`);
    expect(t.host.plugins()).toHaveLength(1);
  });

  it('a plugin crashing mid-call fails that call naming it, is deregistered, and the others keep serving', async () => {
    const t = await startHost();
    sdkPlugin(t.socketDir, 'steady');
    const crashy = spawnNode(RAW, ['crash', '--socket', join(t.socketDir, 'crashy.sock'), '--name', 'crashy', '--health']);
    await Promise.all([t.host.waitForPlugin('steady', 15_000), t.host.waitForPlugin('crashy', 15_000)]);

    const err = await t.host.invoke('crashy', 'Admit', { uid: 'u' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginCallError);
    expect(err).toMatchObject({ plugin: 'crashy', method: 'Admit', code: expect.stringMatching(/^PLUGD_ERR_(PLUGIN_UNAVAILABLE|CALL_FAILED)$/) });
    expect(await crashy.exited).toMatchObject({ code: 3 });
    expect(fixtureEvents(crashy, 'crashing')).toHaveLength(1);

    expect(await t.logs.waitFor('plugin deregistered', { plugin: 'crashy' })).toMatchObject({ reason: 'connection-lost' });
    expect(t.host.plugins().map((p) => p.name)).toEqual(['steady']);
    expect(await answeredBy(t.host, 'steady')).toMatch(/^steady@/);
    await expect(t.host.invoke('crashy', 'Admit', { uid: 'u' })).rejects.toMatchObject({ code: ErrorCodes.PLUGIN_UNAVAILABLE, plugin: 'crashy' });
  });

  it('a plugin hanging in a call times that call out, naming it, while the others keep answering', async () => {
    const t = await startHost();
    sdkPlugin(t.socketDir, 'steady');
    const slow = spawnNode(RAW, ['healthy', '--socket', join(t.socketDir, 'slowpoke.sock'), '--name', 'slowpoke', '--hang', 'Admit', '--tag', 'late']);
    await Promise.all([t.host.waitForPlugin('steady', 15_000), t.host.waitForPlugin('slowpoke', 15_000)]);

    const hung = t.host.invoke('slowpoke', 'Admit', { uid: 'u' }, 1000).catch((e: unknown) => e);
    await waitForFixtureEvent(slow, 'call', { method: 'Admit' });
    // While slowpoke holds its call, steady answers.
    expect(await answeredBy(t.host, 'steady')).toMatch(/^steady@/);
    const err = await hung;
    expect(err).toBeInstanceOf(PluginCallError);
    expect(err).toMatchObject({ code: ErrorCodes.CALL_TIMEOUT, plugin: 'slowpoke', method: 'Admit' });

    // Slow is not gone: once it answers again, it is called again.
    slow.kill('SIGUSR2');
    expect(await answeredBy(t.host, 'slowpoke')).toBe('late');
    expect(t.host.plugins().map((p) => [p.name, p.state, p.generation])).toEqual([['slowpoke', 'active', 1], ['steady', 'active', 1]]);
  });

  it('registers 50 plugins appearing at once (5 processes × 10) and routes each call to its own', async () => {
    const t = await startHost();
    const procs = Array.from({ length: 5 }, (_, i) => spawnNode(SDK, ['--socket-dir', t.socketDir, '--name', `fleet${i}`, '--count', '10']));
    const pids = await Promise.all(procs.map(async (p) => (await waitForFixtureEvent(p, 'listening', {}, 20_000)).pid));
    const names = procs.flatMap((_, i) => Array.from({ length: 10 }, (__, j) => `fleet${i}-${j}`));

    await waitFor(() => t.host.plugins().filter((p) => p.state === 'active' && p.healthy).length === 50,
      '50 active plugins', 20_000);
    const answers = await Promise.all(names.map((n) => answeredBy(t.host, n)));
    expect(answers).toEqual(names.map((n) => `${n}@${pids[Number(/^fleet(\d)/.exec(n)![1])]}`));

    const listed = JSON.parse(await adminGet(t.host, '/plugins')) as Array<{ name: string; generation: number }>;
    expect(listed.map((p) => p.name).sort()).toEqual([...names].sort());
    expect(listed.every((p) => p.generation === 1)).toBe(true);
    const metrics = await adminGet(t.host, '/metrics');
    expect(metricValue(metrics, 'plugd_registrations_total', { type: 'AdmissionPlugin' })).toBe(50);
    expect(metricValue(metrics, 'plugd_plugins', { type: 'AdmissionPlugin', state: 'active' })).toBe(50);
    expect(metricValue(metrics, 'plugd_registration_rejections_total')).toBe(0);
    // Fifty servers binding at once on a busy machine: none is mistaken for a stale socket while
    // it starts listening. (A slow GetInfo may be warned about and retried: that is news.)
    expect(t.logs.find('stale socket?')).toEqual([]);
    await Promise.all(procs.map(async (p) => expect((await waitForFixtureEvent(p, 'listening')).sockets).toHaveLength(10)));
    for (const p of procs) await waitFor(() => fixtureEvents(p, 'notify').filter((e) => e.registered === true).length === 10, 'every plugin told it registered');
  });
});
