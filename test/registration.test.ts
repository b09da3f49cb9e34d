/**
 * The registration handshake end to end, on real plugin processes and real unix sockets:
 * kubelet-shaped plugins register unchanged, version negotiation picks the highest common
 * version, and every rejection reaches the plugin as NotifyRegistrationStatus(false, why),
 * the host log as one line naming the socket, and the admin server as a counted reason.
 * The plugins are raw grpc-js servers (test/fixtures/raw-plugin.ts), since the SDK refuses
 * to build most of them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../host/errors.js';
import {
  adminGet, cleanup, dist, fixtureEvents, metricValue, spawnNode, startHost, tempDir, waitFor, waitForFixtureEvent, type PluginProcess, type TestHost,
} from './helpers.js';

const RAW = dist('test/fixtures/raw-plugin.ts');

function raw(scenario: string, socket: string, args: string[] = []): PluginProcess {
  return spawnNode(RAW, [scenario, '--socket', socket, ...args]);
}

/** Host log records at info or above that name `path` (debug retries excluded). */
function linesFor(t: TestHost, path: string): Array<Record<string, unknown>> {
  return t.logs.records.filter((r) => (r.path === path || r.socket === path) && Number(r.level) >= 30);
}

describe('kubelet-compatible registration', () => {
  afterEach(cleanup);

  it('registers a kubelet-style plugin that serves no grpc.health.v1 and takes it as SERVING', async () => {
    const t = await startHost();
    const sock = join(t.socketDir, 'kube.sock');
    const p = raw('kubelet', sock, ['--name', 'kube', '--tag', 'kube-answer']);

    const status = await t.host.waitForPlugin('kube', 15_000);
    expect(status).toMatchObject({ name: 'kube', type: 'AdmissionPlugin', version: 'v1', socket: sock, endpoint: sock, state: 'active', healthy: true, generation: 1 });
    expect(await waitForFixtureEvent(p, 'notify')).toEqual({ fx: 'notify', registered: true, error: '' });
    expect(t.logs.find('plugin serves no grpc.health.v1; taking it as SERVING', { plugin: 'kube' })).toHaveLength(1);
    // The handshake as kubelet's watcher does it: GetInfo, then the typed service, then the verdict.
    expect(fixtureEvents(p).filter((e) => e.fx !== 'listening').map((e) => e.method ?? e.fx).slice(0, 3)).toEqual(['GetInfo', 'GetCapabilities', 'notify']);

    const res = await t.host.invoke<{ allowed: boolean; warnings: string[] }>('kube', 'Admit', { uid: 'u1' });
    expect(res).toMatchObject({ allowed: true, warnings: ['kube-answer'] });
    expect(metricValue(await adminGet(t.host, '/metrics'), 'plugd_registrations_total', { type: 'AdmissionPlugin' })).toBe(1);
  });

  it('deregisters a kubelet-style plugin (no health stream) that crashes, by watching its connection', async () => {
    const t = await startHost();
    const sock = join(t.socketDir, 'crashy.sock');
    const p = raw('crash', sock, ['--name', 'crashy']);
    await t.host.waitForPlugin('crashy', 15_000);
    await expect(t.host.invoke('crashy', 'Admit', {})).rejects.toMatchObject({ plugin: 'crashy' });
    expect((await p.exited).code).toBe(3);
    await t.logs.waitFor('plugin deregistered', { plugin: 'crashy', reason: 'connection-lost' });
    expect(t.host.plugins()).toEqual([]);
  });

  it('follows PluginInfo.endpoint to the typed service on another socket', async () => {
    const t = await startHost();
    const sock = join(t.socketDir, 'reg.sock');
    const typed = join(tempDir('plugd-endpoint-'), 'service.sock');
    raw('kubelet', sock, ['--name', 'split', '--typed-socket', typed, '--endpoint', typed, '--tag', 'from-endpoint']);

    const status = await t.host.waitForPlugin('split', 15_000);
    expect(status).toMatchObject({ socket: sock, endpoint: typed, state: 'active', healthy: true });
    expect(await t.host.invoke('split', 'Admit', { uid: 'u' })).toMatchObject({ warnings: ['from-endpoint'] });
  });

  it('rejects a PluginInfo.endpoint that is not a unix socket, naming it', async () => {
    const t = await startHost();
    const file = join(tempDir('plugd-endpoint-'), 'not-a-socket');
    writeFileSync(file, 'x');
    const p = raw('kubelet', join(t.socketDir, 'bad-endpoint.sock'), ['--name', 'bad-endpoint', '--endpoint', file]);
    const notice = await waitForFixtureEvent(p, 'notify');
    expect(notice).toEqual({ fx: 'notify', registered: false, error: `PluginInfo.endpoint ${file} is not a unix socket` });
    await t.logs.waitFor('rejected', { reason: 'invalid-endpoint', plugin: 'bad-endpoint' });
    expect(t.host.plugins()).toEqual([]);
  });

  it('negotiates the highest version both sides speak: [v1alpha1, v1, v2] gives v1', async () => {
    const t = await startHost();
    const p = raw('multi-version', join(t.socketDir, 'multi.sock'), ['--name', 'multi', '--health']);
    const status = await t.host.waitForPlugin('multi', 15_000);
    expect(status.version).toBe('v1');
    expect((await adminGet(t.host, '/plugins'))).toContain('"version": "v1"');
    expect(await waitForFixtureEvent(p, 'notify')).toMatchObject({ registered: true });
  });

  it('keeps retrying a plugin whose GetInfo does not answer in time, and registers it once it does', async () => {
    const t = await startHost({ config: { registration: { getInfoTimeoutMs: 300, maxBackoffMs: 300 } } });
    const sock = join(t.socketDir, 'slow.sock');
    const p = raw('hang', sock, ['--name', 'slow', '--health']);

    const warned = await t.logs.waitFor(`cannot register ${sock}`, {}, 15_000);
    expect(warned.msg).toContain('no answer to pluginregistration.Registration/GetInfo within 300 ms; retrying with backoff while the socket exists');
    await waitFor(() => fixtureEvents(p, 'call').filter((e) => e.method === 'GetInfo').length >= 3, 'GetInfo to be retried', 15_000);
    expect(t.host.plugins()).toEqual([]);

    p.kill('SIGUSR2'); // GetInfo answers from now on
    await t.host.waitForPlugin('slow', 15_000);
    // One warning for the whole episode, not one per retry.
    expect(linesFor(t, sock).filter((r) => String(r.msg).startsWith('cannot register'))).toHaveLength(1);
  });
});

interface Rejection {
  what: string;
  scenario: string;
  args: string[];
  reason: string;
  /** The plugin name the host log line carries. */
  plugin: string;
  /** The exact NotifyRegistrationStatus.error, given the socket path. */
  message: (socket: string) => string;
}

const REJECTIONS: Rejection[] = [
  {
    what: 'a name with a space', scenario: 'bad-name', args: [], reason: 'invalid-name', plugin: 'bad name!',
    message: () => 'invalid plugin name "bad name!": must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$',
  },
  {
    what: 'a name of 64 characters', scenario: 'healthy', args: ['--name', 'n'.repeat(64)], reason: 'invalid-name', plugin: 'n'.repeat(64),
    message: () => `invalid plugin name "${'n'.repeat(64)}": must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$`,
  },
  {
    what: 'an unknown type', scenario: 'unknown-type', args: ['--name', 'dev'], reason: 'unknown-type', plugin: 'dev',
    message: () => 'unknown plugin type "DevicePlugin"; this host supports SchedulerPlugin, AdmissionPlugin, NetworkPlugin',
  },
  {
    what: 'no common version', scenario: 'no-common-version', args: ['--name', 'old'], reason: 'no-common-version', plugin: 'old',
    message: () => 'no common AdmissionPlugin version: plugin offers [v0, v1beta7], host supports [v1]',
  },
  {
    what: 'no hook implemented', scenario: 'no-hooks', args: ['--name', 'idle'], reason: 'no-capabilities', plugin: 'idle',
    message: () => 'idle implements no AdmissionPlugin v1 hook; hooks are Admit',
  },
  {
    what: 'a hook the interface does not have', scenario: 'unknown-hook', args: ['--name', 'extra'], reason: 'bad-capabilities', plugin: 'extra',
    message: () => 'extra claims hooks AdmissionPlugin v1 does not have: Mutate',
  },
  {
    what: 'GetCapabilities UNIMPLEMENTED', scenario: 'no-capabilities', args: ['--name', 'mute'], reason: 'no-capabilities', plugin: 'mute',
    message: (socket) => `mute advertised AdmissionPlugin v1 but plugd.admission.v1.Admission/GetCapabilities is UNIMPLEMENTED at ${socket}`,
  },
];

describe('registration rejections, seven bad plugins at once', () => {
  let t: TestHost;
  const bad: PluginProcess[] = [];
  const sockets: string[] = [];

  beforeAll(async () => {
    // A generous GetInfo deadline: on a busy machine a starved plugin must not fail it first.
    t = await startHost({ config: { registration: { getInfoTimeoutMs: 5000 } } });
    REJECTIONS.forEach((c, i) => {
      sockets.push(join(t.socketDir, `bad-${i}.sock`));
      bad.push(raw(c.scenario, sockets[i]!, c.args));
    });
    await Promise.allSettled(bad.map((p) => waitForFixtureEvent(p, 'notify', {}, 15_000)));
    // A good plugin dropped afterwards registers: the host is not stuck on the bad ones. By
    // then a rejection mistaken for a transient failure would have been retried many times.
    raw('healthy', join(t.socketDir, 'good.sock'), ['--name', 'good', '--tag', 'good']);
    await t.host.waitForPlugin('good', 15_000).catch(() => undefined);
  }, 60_000);
  afterAll(cleanup);

  it.each(REJECTIONS.map((c, i) => ({ ...c, i })))('rejects $what: the plugin is told exactly why, once; the host logs one line and counts the reason', async (c) => {
    const sock = sockets[c.i]!;
    expect(fixtureEvents(bad[c.i]!, 'notify')).toEqual([{ fx: 'notify', registered: false, error: c.message(sock) }]);
    expect(fixtureEvents(bad[c.i]!, 'call').filter((e) => e.method === 'GetInfo')).toHaveLength(1);
    expect(linesFor(t, sock)).toEqual([expect.objectContaining({ msg: `rejected ${sock}: ${c.message(sock)}`, path: sock, plugin: c.plugin, reason: c.reason, level: 40 })]);

    expect(JSON.parse(await adminGet(t.host, '/discovery'))).toContainEqual({ path: sock, status: 'rejected', reason: c.message(sock) });
    const alike = REJECTIONS.filter((o) => o.reason === c.reason).length;
    expect(metricValue(await adminGet(t.host, '/metrics'), 'plugd_registration_rejections_total', { reason: c.reason })).toBe(alike);
  });

  it('registers the good plugin beside them, and only it is listed and called', async () => {
    expect(t.host.plugins()).toEqual([expect.objectContaining({ name: 'good', state: 'active', healthy: true })]);
    expect(JSON.parse(await adminGet(t.host, '/plugins'))).toEqual([expect.objectContaining({ name: 'good', state: 'active' })]);
    expect(await t.host.invoke('good', 'Admit', { uid: 'u' })).toMatchObject({ warnings: ['good'] });
    const metrics = await adminGet(t.host, '/metrics');
    expect(metricValue(metrics, 'plugd_registration_rejections_total')).toBe(REJECTIONS.length);
    expect(metricValue(metrics, 'plugd_registrations_total', { type: 'AdmissionPlugin' })).toBe(1);
    // A rejected plugin is never routed to.
    await expect(t.host.invoke('old', 'Admit', { uid: 'u' })).rejects.toMatchObject({ code: ErrorCodes.PLUGIN_UNAVAILABLE, plugin: 'old' });
    for (const p of bad) expect(fixtureEvents(p, 'call').filter((e) => e.method === 'Admit')).toEqual([]);
  });
});

describe('registration rejections by the registry', () => {
  afterEach(cleanup);

  it('rejects a name already registered under another type, and the first holder keeps serving', async () => {
    const t = await startHost();
    raw('healthy', join(t.socketDir, 'first.sock'), ['--name', 'dup', '--tag', 'first']);
    await t.host.waitForPlugin('dup', 15_000);
    const sock = join(t.socketDir, 'second.sock');
    const second = raw('healthy', sock, ['--name', 'dup', '--type', 'SchedulerPlugin']);

    const message = 'name dup is already registered by a plugin of type AdmissionPlugin';
    expect(await waitForFixtureEvent(second, 'notify', {}, 15_000)).toEqual({ fx: 'notify', registered: false, error: message });
    expect(await t.logs.waitFor(`rejected ${sock}: ${message}`)).toMatchObject({ plugin: 'dup', reason: 'name-conflict' });
    expect(t.host.plugins()).toEqual([expect.objectContaining({ name: 'dup', type: 'AdmissionPlugin', generation: 1, state: 'active' })]);
    expect(await t.host.invoke('dup', 'Admit', { uid: 'u' })).toMatchObject({ warnings: ['first'] });
    expect(metricValue(await adminGet(t.host, '/metrics'), 'plugd_registration_rejections_total', { reason: 'name-conflict' })).toBe(1);
  });
});
