/**
 * Whatever lands in the socket directory that is not a plugin (files, directories, dotfiles,
 * dead sockets, servers that never answer or speak HTTP/1, gRPC servers that are not
 * plugins) costs one log line naming the path and the reason, never blocks discovery, and
 * never stops the host from registering and serving the plugins that are there.
 */
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adminGet, cleanup, dist, fixtureEvents, metricValue, spawnNode, startHost, tempDir, waitFor, waitForFixtureEvent, type PluginProcess, type TestHost,
} from './helpers.js';

const RAW = dist('test/fixtures/raw-plugin.ts');
const GARBAGE = dist('test/fixtures/garbage.ts');
const SDK = dist('test/fixtures/sdk-plugins.ts');

/**
 * Short backoff so that the transient cases are retried many times within a test, and a
 * GetInfo deadline long enough that a starved process on a busy machine still answers in it.
 */
const FAST_RETRY = { registration: { getInfoTimeoutMs: 2000, initialBackoffMs: 10, maxBackoffMs: 200 } };

/**
 * Starts a socket server in a staging directory and renames its socket into `dir` once it
 * listens, so the entry appears in one step (never bound-but-not-listening).
 */
async function staged(dir: string, name: string, start: (path: string) => PluginProcess): Promise<PluginProcess> {
  const path = join(tempDir('plugd-stage-'), name);
  const p = start(path);
  // A stale one SIGKILLs itself once bound (its last words may not make it out).
  if (name.startsWith('stale')) await p.exited;
  else await waitForFixtureEvent(p, 'listening');
  renameSync(path, join(dir, name));
  return p;
}

interface Garbage {
  what: string;
  /** Entry name in the socket directory. */
  name: string;
  make(dir: string, path: string): Promise<PluginProcess | undefined>;
  /** The one log line: its message (given the path) and its reason field. */
  line(path: string): string;
  reason: string;
  /** Transient failures are retried (quietly) while the socket exists; the rest are final. */
  retried: boolean;
  /** What /discovery shows for it. */
  status: 'ignored' | 'waiting' | 'rejected';
  /** A good plugin behind it that the host must never even dial. */
  neverDialed?: boolean;
}

/** A raw plugin serving everything right, outside the socket directory. */
async function pluginElsewhere(name: string): Promise<{ proc: PluginProcess; socket: string }> {
  const socket = join(tempDir('plugd-elsewhere-'), `${name}.sock`);
  const proc = spawnNode(RAW, ['healthy', '--socket', socket, '--name', name]);
  await waitForFixtureEvent(proc, 'listening');
  return { proc, socket };
}

const CASES: Garbage[] = [
  {
    what: 'a regular file', name: 'notes.txt', reason: 'not a socket', retried: false, status: 'ignored',
    make: async (_dir, path) => { writeFileSync(path, 'hello\n'); return undefined; },
    line: (path) => `ignoring ${path}: not a socket`,
  },
  {
    what: 'a regular file named like a socket', name: 'fake.sock', reason: 'not a socket', retried: false, status: 'ignored',
    make: async (_dir, path) => { writeFileSync(path, ''); return undefined; },
    line: (path) => `ignoring ${path}: not a socket`,
  },
  {
    what: 'a directory', name: 'subdir', reason: 'a directory, not a socket', retried: false, status: 'ignored',
    make: async (_dir, path) => { mkdirSync(path); return undefined; },
    line: (path) => `ignoring ${path}: a directory, not a socket`,
  },
  {
    what: 'a dotfile socket (even one serving a good plugin)', name: '.hidden.sock', reason: 'a dotfile', retried: false, status: 'ignored', neverDialed: true,
    make: (dir) => staged(dir, '.hidden.sock', (p) => spawnNode(RAW, ['healthy', '--socket', p, '--name', 'hidden'])),
    line: (path) => `ignoring ${path}: a dotfile`,
  },
  {
    what: 'a symbolic link to a regular file', name: 'file-link.sock', reason: 'a symbolic link, not a socket', retried: false, status: 'ignored',
    make: async (_dir, path) => {
      const target = join(tempDir('plugd-elsewhere-'), 'file');
      writeFileSync(target, 'hello\n');
      symlinkSync(target, path);
      return undefined;
    },
    line: (path) => `ignoring ${path}: a symbolic link, not a socket`,
  },
  {
    what: 'a symbolic link to a plugin socket elsewhere', name: 'link.sock', reason: 'a symbolic link, not a socket', retried: false, status: 'ignored', neverDialed: true,
    make: async (_dir, path) => {
      const { proc, socket } = await pluginElsewhere('linked');
      symlinkSync(socket, path);
      return proc;
    },
    line: (path) => `ignoring ${path}: a symbolic link, not a socket`,
  },
  {
    what: 'a stale socket with no listener', name: 'stale.sock', reason: 'no-listener', retried: true, status: 'waiting',
    make: (dir) => staged(dir, 'stale.sock', (p) => spawnNode(GARBAGE, ['stale', '--socket', p])),
    line: (path) => `cannot register ${path}: no listener on the socket (stale socket?); retrying with backoff while the socket exists`,
  },
  {
    what: 'a server that accepts and never answers', name: 'silent.sock', reason: 'no-answer', retried: true, status: 'waiting',
    make: (dir) => staged(dir, 'silent.sock', (p) => spawnNode(GARBAGE, ['silent', '--socket', p])),
    line: (path) => `cannot register ${path}: no answer to pluginregistration.Registration/GetInfo within 2000 ms; retrying with backoff while the socket exists`,
  },
  {
    what: 'an HTTP/1.1 server', name: 'http.sock', reason: 'not-grpc', retried: true, status: 'waiting',
    make: (dir) => staged(dir, 'http.sock', (p) => spawnNode(GARBAGE, ['http1', '--socket', p])),
    line: (path) => `cannot register ${path}: not a gRPC server, or it dropped the connection`,
  },
  {
    what: 'a gRPC server without the Registration service', name: 'grpc.sock', reason: 'not-a-plugin', retried: false, status: 'rejected',
    make: (dir) => staged(dir, 'grpc.sock', (p) => spawnNode(RAW, ['not-a-plugin', '--socket', p])),
    line: (path) => `ignoring ${path}: serves gRPC but not pluginregistration.Registration/GetInfo (UNIMPLEMENTED); not a plugd or kubelet-style plugin`,
  },
];

/** Host log records at info or above naming `path`. */
function linesFor(t: TestHost, path: string): Array<Record<string, unknown>> {
  return t.logs.records.filter((r) => (r.path === path || r.socket === path) && Number(r.level) >= 30);
}

function retriesOf(t: TestHost, path: string): number {
  return t.logs.find('registration retry failed', { path }).length;
}

describe('garbage dropped into the directory of a running host', () => {
  let t: TestHost;
  const procs = new Map<string, PluginProcess | undefined>();

  beforeAll(async () => {
    t = await startHost({ config: FAST_RETRY });
    await Promise.all(CASES.map(async (c) => procs.set(c.name, await c.make(t.socketDir, join(t.socketDir, c.name)))));
    // Once each entry has been classified (and each transient one retried a few times) —
    // however that went; the tests below say what went wrong — a good plugin arrives.
    await Promise.allSettled(CASES.map(async (c) => {
      const path = join(t.socketDir, c.name);
      await t.logs.waitFor(c.line(path), { path }, 15_000);
      if (c.retried) await waitFor(() => retriesOf(t, path) >= 3, `retries of ${path}`, 15_000);
    }));
    spawnNode(SDK, ['--socket-dir', t.socketDir, '--name', 'good']);
    await t.host.waitForPlugin('good', 15_000).catch(() => undefined);
  }, 60_000);
  afterAll(cleanup);

  it('registers and serves a good plugin dropped after all of it', async () => {
    expect(t.host.plugins()).toEqual([expect.objectContaining({ name: 'good', state: 'active', healthy: true })]);
    expect(await t.host.invoke('good', 'Admit', { uid: 'u' })).toMatchObject({ allowed: true, warnings: [expect.stringMatching(/^good@/)] });
    expect(JSON.parse(await adminGet(t.host, '/plugins'))).toEqual([expect.objectContaining({ name: 'good' })]);
    expect(metricValue(await adminGet(t.host, '/metrics'), 'plugd_registrations_total')).toBe(1);
    expect(await adminGet(t.host, '/healthz')).toBe('ok\n');
  });

  it.each(CASES)('$what: exactly one log line, naming the path and why', async (c) => {
    const path = join(t.socketDir, c.name);
    const lines = linesFor(t, path);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ path, reason: c.reason, msg: expect.stringContaining(c.line(path)) });
    // Transient failures are retried quietly (debug) while the socket exists; the rest never.
    if (c.retried) expect(retriesOf(t, path)).toBeGreaterThanOrEqual(3);
    else expect(retriesOf(t, path)).toBe(0);
    if (c.neverDialed) expect(fixtureEvents(procs.get(c.name)!, 'call')).toEqual([]);

    const discovery = JSON.parse(await adminGet(t.host, '/discovery')) as Array<{ path: string; status: string; reason: string }>;
    expect(discovery).toContainEqual({ path, status: c.status === 'waiting' ? expect.stringMatching(/^(waiting|handshaking)$/) : c.status, reason: expect.any(String) });
    const metrics = await adminGet(t.host, '/metrics');
    const alike = CASES.filter((o) => o.reason === c.reason).length;
    if (c.status === 'ignored') expect(metricValue(metrics, 'plugd_discovery_ignored_total', { reason: c.reason })).toBe(alike);
    if (c.status === 'rejected') expect(metricValue(metrics, 'plugd_registration_rejections_total', { reason: c.reason })).toBe(alike);
  });
});

describe('garbage present before the host starts', () => {
  afterEach(cleanup);

  it('the initial scan finishes, logs each entry once, and the plugins there and dropped later register', async () => {
    const dir = tempDir();
    for (const c of CASES) await c.make(dir, join(dir, c.name));
    const early = spawnNode(SDK, ['--socket-dir', dir, '--name', 'early']);
    await waitForFixtureEvent(early, 'listening');

    const t = await startHost({ socketDir: dir, config: FAST_RETRY });
    expect(await adminGet(t.host, '/readyz')).toBe('ready\n');
    await t.host.waitForPlugin('early', 15_000);
    for (const c of CASES) {
      const path = join(dir, c.name);
      await t.logs.waitFor(c.line(path), { path }, 15_000);
      if (c.retried) await waitFor(() => retriesOf(t, path) >= 3, `retries of ${path}`, 15_000);
    }
    // A plugin dropped while all of it is being retried registers too.
    spawnNode(SDK, ['--socket-dir', dir, '--name', 'late']);
    await t.host.waitForPlugin('late', 15_000);

    for (const c of CASES) expect(linesFor(t, join(dir, c.name)), c.what).toHaveLength(1);
    expect(t.host.plugins().map((p) => p.name).sort()).toEqual(['early', 'late']);
    expect(await t.host.invoke('early', 'Admit', { uid: 'u' })).toMatchObject({ allowed: true });
    expect(await t.host.invoke('late', 'Admit', { uid: 'u' })).toMatchObject({ allowed: true });
  });
});

describe('sockets that refuse connections', () => {
  afterEach(cleanup);

  it('are given a GetInfo deadline to start listening before they are reported, then reported once', async () => {
    // A server binds its socket a moment before it listens; on a busy node that moment can be
    // long. Refusals within the GetInfo deadline are retried quietly; a stale socket is still
    // reported, once.
    const t = await startHost({ config: { registration: { getInfoTimeoutMs: 2000, initialBackoffMs: 10, maxBackoffMs: 50 } } });
    const path = join(t.socketDir, 'stale.sock');
    await staged(t.socketDir, 'stale.sock', (p) => spawnNode(GARBAGE, ['stale', '--socket', p]));

    const warned = await t.logs.waitFor(`cannot register ${path}: no listener on the socket (stale socket?)`, { path }, 15_000);
    const quietRetries = t.logs.records.slice(0, t.logs.records.indexOf(warned)).filter((r) => r.msg === 'registration retry failed' && r.path === path);
    expect(quietRetries.length).toBeGreaterThanOrEqual(3);
    await waitFor(() => retriesOf(t, path) >= quietRetries.length + 3, 'retries after the warning', 15_000);
    expect(linesFor(t, path)).toEqual([warned]);
  });
});

