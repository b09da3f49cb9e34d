/**
 * No orphaned plugins (go-plugin#210): `plugd host` runs as a real process with a launch
 * list; however it goes, SIGKILL included, every plugin it launched exits promptly and
 * unlinks its socket (the inherited PLUGD_PARENT_FD pipe reaches EOF).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceStatus } from '../host/registry/registry.js';
import { CLI, cleanup, dist, isProcessAlive, onCleanup, ROOT, spawnHostProcess, tempDir, waitFor, type HostProcess } from './helpers.js';

afterEach(cleanup);

const FIXTURE = dist('test/fixtures/lifecycle-plugin.ts');
const GPU_BINPACK = join(ROOT, 'sample-plugins', 'gpu-binpack');
/** Plugins log at info (spawnNode's environment says warn), so their "draining" line shows. */
const INFO = { PLUGD_LOG_LEVEL: 'info' };

function ppidOf(pid: number): number {
  // "pid (comm) state ppid …"; comm may hold spaces and parentheses.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

const sockets = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.sock'));

interface Launched {
  socketDir: string;
  host: HostProcess;
  /** Launch entry name → plugin pid, from the host's log. */
  pids: Map<string, number>;
}

/**
 * A `plugd host` process launching `launch(socketDir)` (each entry's command line naming
 * socketDir), once every plugin in `plugins` is active on its admin server.
 */
async function launchedHost(plugins: string[], launch: (socketDir: string) => Array<Record<string, unknown>>): Promise<Launched> {
  const socketDir = tempDir();
  // Whatever happens to the host, no plugin it launched survives the test. Registered before
  // the host so that it runs after the host is killed (cleanups run last-in first-out) and
  // no supervisor restarts what it kills.
  let host: HostProcess | undefined;
  onCleanup(() => {
    for (const r of host?.logs.find('plugin process started') ?? []) {
      const pid = Number(r.pid);
      if (isProcessAlive(pid) && cmdlineOf(pid).includes(socketDir)) process.kill(pid, 'SIGKILL');
    }
  });
  host = spawnHostProcess(socketDir, { launch: launch(socketDir) });
  const admin = await host.adminUrl(20_000);
  await waitFor(async () => {
    const rows = (await (await fetch(`${admin}/plugins`)).json()) as InstanceStatus[];
    return plugins.every((name) => rows.some((r) => r.name === name && r.state === 'active' && r.healthy));
  }, `${plugins.join(', ')} active at ${admin}/plugins`, 20_000);

  const pids = new Map(host.logs.find('plugin process started').map((r) => [String(r.plugin), Number(r.pid)]));
  expect(pids.size).toBe(plugins.length);
  for (const pid of pids.values()) expect(ppidOf(pid)).toBe(host.proc.pid);
  expect(sockets(socketDir).sort()).toEqual(plugins.map((p) => `${p}.sock`).sort());
  return { socketDir, host, pids };
}

/** Two `module` entries and a `command` one (running `plugd serve` itself). */
const PLUGINS = ['gpu-binpack', 'default-team-label', 'gpu-binpack-cmd'];
const launchThree = (socketDir: string) => [
  { name: 'binpack', module: GPU_BINPACK, env: INFO },
  { name: 'team-label', module: join(ROOT, 'sample-plugins', 'default-team-label'), env: INFO },
  { name: 'binpack-cmd', command: [process.execPath, CLI, 'serve', GPU_BINPACK, '--name', 'gpu-binpack-cmd', '--socket-dir', socketDir], env: INFO },
];

/** Waits until none of `pids` runs; the error names those still running. */
async function allExit(pids: Map<string, number>, timeoutMs = 20_000): Promise<void> {
  const running = () => [...pids].filter(([, pid]) => isProcessAlive(pid)).map(([name, pid]) => `${name} (pid ${pid})`);
  await waitFor(() => running().length === 0, 'every launched plugin to exit', timeoutMs).catch((err: Error) => {
    throw new Error(`${err.message}; still running: ${running().join(', ')}`);
  });
}

describe('no orphans', { timeout: 60_000 }, () => {
  it('every launched plugin exits and unlinks its socket when the host is SIGKILLed', async () => {
    const { socketDir, host, pids } = await launchedHost(PLUGINS, launchThree);

    host.kill('SIGKILL');
    expect(await host.exited).toEqual({ code: null, signal: 'SIGKILL' });

    await allExit(pids);
    // They closed, not crashed: each unlinked its own socket on the way out.
    expect(sockets(socketDir)).toEqual([]);
  });

  // Regression: servePlugin()'s default logger was an async SonicBoom on stderr; with the host
  // gone nobody reads that pipe, and pino's exit-time flushSync retried EPIPE forever, so the
  // plugin never exited. The SDK now logs synchronously.
  it('a plugin on servePlugin()\'s default logger exits too when the host is SIGKILLed', async () => {
    const { socketDir, host, pids } = await launchedHost(['orphan-check'], (dir) => [
      { name: 'life', command: [process.execPath, FIXTURE, '--socket-dir', dir], env: { ...INFO, FIXTURE_NAME: 'orphan-check' } },
    ]);

    host.kill('SIGKILL');
    expect(await host.exited).toEqual({ code: null, signal: 'SIGKILL' });

    await allExit(pids);
    expect(sockets(socketDir)).toEqual([]);
  });

  it('a SIGTERMed host stops every launched plugin gracefully before it exits 0', async () => {
    const { socketDir, host, pids } = await launchedHost(PLUGINS, launchThree);

    host.kill('SIGTERM');
    expect(await host.exited).toEqual({ code: 0, signal: null });

    // The host waited for its children: they are gone the moment it is.
    expect([...pids.values()].filter(isProcessAlive)).toEqual([]);
    expect(sockets(socketDir)).toEqual([]);
    for (const name of pids.keys()) {
      expect(await host.logs.waitFor('plugin process stopped', { plugin: name })).toMatchObject({ exit: 'code 0' });
      expect(await host.logs.waitFor('draining', { plugin: name })).toMatchObject({ signal: 'SIGTERM' });
    }
    expect(host.logs.find('ignored SIGTERM')).toEqual([]);
  });
});
