/**
 * A plugin written for kubelet's plugin watcher, not for plugd: Python with Debian's
 * python3-grpcio (test/fixtures/python-kubelet-plugin.py), shaped like kubelet's example plugin
 * (Registration and the typed service on one socket, PluginInfo.endpoint = that socket, no
 * grpc.health.v1, no plugd.calls.v1, no plugd SDK). The host handles it as kubelet would:
 * registered and told so, called over unary RPCs, followed to a CSI-style endpoint elsewhere,
 * told exactly why when refused, deregistered when its socket goes, and registered again when
 * the socket is re-created at the same path — even when the new socket gets the old one's inode.
 * Skips (saying why) when the Python peers are missing, unless PLUGD_REQUIRE_INTEROP=1.
 */
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../host/errors.js';
import {
  cleanup, fixtureEvents, interopPeers, PYTHON, pythonGrpcMissing, ROOT, spawnProcess, startHost, tempDir, waitFor, waitForFixtureEvent, type PluginProcess,
} from './helpers.js';

const have = interopPeers('python kubelet-style plugin', 'its interop peers', pythonGrpcMissing());

const FIXTURE = join(ROOT, 'test/fixtures/python-kubelet-plugin.py');
/** Python, protoc and grpc imports take a while on a busy machine. */
const START_MS = 20_000;

function kubeletPlugin(socket: string, args: string[] = []): PluginProcess {
  return spawnProcess(PYTHON, [FIXTURE, '--socket', socket, ...args]);
}

/**
 * Starts the plugin and lets it bind (removing a stale socket at its path first) while this
 * process — the host's — is blocked: the host sees the socket only once it listens, and a
 * removal and a creation only afterwards, together, as when a restarted plugin re-creates its
 * socket at once (ext4 then hands the new socket the old one's inode).
 */
async function bindWhileHostBlocked(socket: string, args: string[]): Promise<PluginProcess> {
  const bound = join(tempDir('plugd-bound-'), 'bound');
  const plugin = kubeletPlugin(socket, [...args, '--wait-for-go', '--bound-file', bound]);
  await waitForFixtureEvent(plugin, 'ready', {}, START_MS);
  const blocker = new Int32Array(new SharedArrayBuffer(4));
  plugin.kill('SIGUSR1');
  const deadline = Date.now() + 15_000;
  while (!existsSync(bound)) {
    if (Date.now() > deadline) throw new Error(`the plugin did not bind within 15 s (output: ${plugin.output.join('').slice(-500)})`);
    Atomics.wait(blocker, 0, 0, 5);
  }
  return plugin;
}

/**
 * A retry so late that a registration seen within a test was never one, and a GetInfo deadline
 * that a starved plugin on a busy machine still meets (these tests get one handshake each).
 */
const NO_RETRY = { registration: { initialBackoffMs: 60_000, maxBackoffMs: 60_000, getInfoTimeoutMs: 10_000 } };

// Each case waits for Python processes to start, which on a busy machine may take longer than a
// whole test's default 30 s: the waits below, not the test's timeout, are what should fail.
describe.skipIf(!have)('a kubelet-style plugin in Python', { timeout: 90_000 }, () => {
  afterEach(cleanup);

  it('registers as kubelet\'s example plugin does, is called over unary RPCs, and is deregistered when its socket is removed', async () => {
    const t = await startHost();
    const sock = join(t.socketDir, 'kube-py.sock');
    const p = kubeletPlugin(sock, ['--name', 'kube-py', '--tag', 'py-answer']);

    const status = await t.host.waitForPlugin('kube-py', START_MS);
    expect(status).toMatchObject({ name: 'kube-py', type: 'AdmissionPlugin', version: 'v1', socket: sock, endpoint: sock, state: 'active', healthy: true, transport: 'unary' });
    expect(await waitForFixtureEvent(p, 'notify')).toMatchObject({ registered: true, error: '' });
    // kubelet's order: GetInfo, the plugin's own service, then the verdict.
    expect(fixtureEvents(p).filter((e) => e.fx === 'call' || e.fx === 'notify').map((e) => e.method ?? e.fx)).toEqual(['GetInfo', 'GetCapabilities', 'notify']);
    expect(t.logs.find('plugin serves no grpc.health.v1; taking it as SERVING', { plugin: 'kube-py' })).toHaveLength(1);
    expect(await t.host.invoke('kube-py', 'Admit', { uid: 'u1' })).toMatchObject({ allowed: true, warnings: ['py-answer'] });

    // The socket goes while the process lives on: deregistered, as kubelet's watcher does on a delete event.
    unlinkSync(sock);
    expect(await t.logs.waitFor('plugin deregistered', { plugin: 'kube-py' })).toMatchObject({ socket: sock, reason: 'socket-removed' });
    expect(t.host.plugins()).toEqual([]);
    await expect(t.host.invoke('kube-py', 'Admit', { uid: 'u2' })).rejects.toMatchObject({ code: ErrorCodes.PLUGIN_UNAVAILABLE, plugin: 'kube-py' });
    // Deregistration is not announced to the plugin (kubelet sends nothing either).
    expect(fixtureEvents(p, 'notify')).toHaveLength(1);
  });

  it('finds one already serving when the host starts (the initial scan)', async () => {
    const dir = tempDir();
    const p = kubeletPlugin(join(dir, 'early-py.sock'), ['--name', 'early-py', '--tag', 'early']);
    await waitForFixtureEvent(p, 'listening', {}, START_MS);

    const t = await startHost({ socketDir: dir });
    expect(await t.host.waitForPlugin('early-py', 15_000)).toMatchObject({ socket: join(dir, 'early-py.sock'), state: 'active', generation: 1 });
    expect(await waitForFixtureEvent(p, 'notify')).toMatchObject({ registered: true, error: '' });
    expect(await t.host.invoke('early-py', 'Admit', { uid: 'u' })).toMatchObject({ warnings: ['early'] });
  });

  it('follows a CSI-style PluginInfo.endpoint: registration in the watched directory, the service on a socket elsewhere', async () => {
    const t = await startHost();
    const sock = join(t.socketDir, 'csi-style-reg.sock');
    const typed = join(tempDir('plugd-csi-'), 'driver.sock');
    const p = kubeletPlugin(sock, ['--name', 'csi-style', '--typed-socket', typed, '--endpoint', typed, '--tag', 'from-driver']);

    expect(await t.host.waitForPlugin('csi-style', START_MS)).toMatchObject({ socket: sock, endpoint: typed, state: 'active', healthy: true });
    expect(await waitForFixtureEvent(p, 'notify')).toMatchObject({ registered: true, error: '' });
    expect(await t.host.invoke('csi-style', 'Admit', { uid: 'u' })).toMatchObject({ warnings: ['from-driver'] });
  });

  it.each([
    { what: 'CSI\'s type', args: ['--name', 'hostpath.csi.k8s.io', '--type', 'CSIPlugin'],
      error: 'unknown plugin type "CSIPlugin"; this host supports SchedulerPlugin, AdmissionPlugin, NetworkPlugin' },
    { what: 'no common version', args: ['--name', 'old-py', '--versions', 'v1beta1,v1beta2'],
      error: 'no common AdmissionPlugin version: plugin offers [v1beta1, v1beta2], host supports [v1]' },
    { what: 'a name with a slash', args: ['--name', 'example.com/gpu'],
      error: 'invalid plugin name "example.com/gpu": must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$' },
  ])('refuses $what with NotifyRegistrationStatus(false, why)', async ({ args, error }) => {
    const t = await startHost();
    const p = kubeletPlugin(join(t.socketDir, 'refused.sock'), args);
    expect(await waitForFixtureEvent(p, 'notify', {}, START_MS)).toEqual({ fx: 'notify', registered: false, error });
    expect(t.host.plugins()).toEqual([]);
  });

  it('registers a plugin restarted after a crash at once when its new socket replaces the stale one, whatever the inode', async () => {
    const t = await startHost({ config: NO_RETRY });
    const sock = join(t.socketDir, 'phoenix-py.sock');
    const first = await bindWhileHostBlocked(sock, ['--name', 'phoenix-py', '--tag', 'first']);
    await t.host.waitForPlugin('phoenix-py', START_MS);
    first.kill('SIGKILL'); // the socket stays behind, with nobody listening
    await first.exited;
    await t.logs.waitFor('plugin deregistered', { plugin: 'phoenix-py', reason: 'connection-lost' });
    expect(lstatSync(sock).isSocket()).toBe(true);

    await bindWhileHostBlocked(sock, ['--name', 'phoenix-py', '--tag', 'second']);

    await waitFor(() => t.host.plugins().find((p) => p.generation === 2 && p.state === 'active'), 'generation 2 to become active (not by a backoff retry)', 15_000);
    expect(await t.host.invoke('phoenix-py', 'Admit', { uid: 'u' })).toMatchObject({ warnings: ['second'] });
  });

  it('registers a fixed plugin that re-created the socket of a refused one at the same path', async () => {
    const t = await startHost({ config: NO_RETRY });
    const sock = join(t.socketDir, 'fixed-py.sock');
    const refused = await bindWhileHostBlocked(sock, ['--name', 'fixed-py', '--versions', 'v0']);
    expect(await waitForFixtureEvent(refused, 'notify', {}, START_MS)).toMatchObject({ registered: false });
    refused.kill('SIGKILL');
    await refused.exited;

    const fixed = await bindWhileHostBlocked(sock, ['--name', 'fixed-py', '--tag', 'fixed']);

    expect(await t.host.waitForPlugin('fixed-py', 15_000)).toMatchObject({ socket: sock, state: 'active' });
    expect(await waitForFixtureEvent(fixed, 'notify')).toMatchObject({ registered: true, error: '' });
    expect(await t.host.invoke('fixed-py', 'Admit', { uid: 'u' })).toMatchObject({ warnings: ['fixed'] });
  });
});
