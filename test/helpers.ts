/**
 * Shared test plumbing: temp socket directories, an embedded host whose log lines can be
 * awaited, plugin processes started from dist/ (as users run them), and waiting on
 * conditions with a deadline. Never sleep to synchronise: wait on an event or poll here.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { it } from 'vitest';
import { parseConfig, type HostConfig } from '../host/config.js';
import { PlugdHost } from '../host/host.js';
import { packageRoot } from '../host/paths.js';

export const ROOT = packageRoot();
export const CLI = join(ROOT, 'bin', 'plugd.js');

const cleanups: Array<() => unknown> = [];

/** Runs every registered cleanup (call from afterEach/afterAll). */
export async function cleanup(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!();
}

/** A fresh 0700 directory under the OS temp dir, removed at cleanup(). */
export function tempDir(prefix = 'plugd-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Polls `check` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000, intervalMs = 10): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Structured log records captured from a host, awaitable. */
export class LogCapture extends Writable {
  readonly records: Array<Record<string, unknown>> = [];
  constructor() {
    super({ decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, cb: () => void): void {
    for (const line of chunk.toString().split('\n')) if (line) this.records.push(JSON.parse(line) as Record<string, unknown>);
    cb();
  }
  /** Records whose msg contains `text` (and whose fields match `fields`). */
  find(text: string, fields: Record<string, unknown> = {}): Array<Record<string, unknown>> {
    return this.records.filter((r) => String(r.msg ?? '').includes(text) && Object.entries(fields).every(([k, v]) => r[k] === v));
  }
  waitFor(text: string, fields: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    return waitFor(() => this.find(text, fields)[0], `a log line containing ${JSON.stringify(text)} ${JSON.stringify(fields)}`, timeoutMs);
  }
}

export interface TestHost {
  host: PlugdHost;
  logs: LogCapture;
  socketDir: string;
}

/** Starts an embedded host on a temp socket dir (admin on a free loopback port); stopped at cleanup(). */
export async function startHost(opts: { socketDir?: string; config?: Record<string, unknown>; admin?: string | false } = {}): Promise<TestHost> {
  const socketDir = opts.socketDir ?? tempDir();
  const logs = new LogCapture();
  const config: HostConfig = parseConfig(opts.config ?? {});
  const host = new PlugdHost({ socketDir, config, admin: opts.admin ?? '127.0.0.1:0', logger: pino({ level: 'debug' }, logs) });
  await host.start();
  cleanups.push(() => host.stop());
  return { host, logs, socketDir };
}

export interface PluginProcess {
  readonly proc: ChildProcess;
  readonly output: string[];
  /** Resolves with the exit code/signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Runs any executable as a plugin process, its output kept; killed at cleanup(), or earlier by
 * killProcesses() (tests that share one host across cases stop their plugins per case).
 */
export function spawnProcess(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; stdio?: StdioOptions } = {}): PluginProcess {
  const proc = spawn(command, args, { env: opts.env ?? process.env, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  proc.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  proc.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const p: PluginProcess = { proc, output, exited, kill: (signal = 'SIGTERM') => proc.kill(signal) };
  cleanups.push(() => killProcesses([p]));
  return p;
}

/** SIGKILLs the processes still running and waits until they are gone. */
export async function killProcesses(procs: Iterable<PluginProcess>): Promise<void> {
  await Promise.all([...procs].map(async ({ proc, exited }) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  }));
}

/** Runs a node script (from dist/) as a plugin process; killed at cleanup(). */
export function spawnNode(script: string, args: string[], env: Record<string, string> = {}): PluginProcess {
  return spawnProcess(process.execPath, [script, ...args], { env: { ...process.env, PLUGD_LOG_LEVEL: 'warn', ...env } });
}

/** `plugd serve MODULE` as a child process, exactly as a user runs it. */
export function servePluginProcess(module: string, socketDir: string, extra: string[] = []): PluginProcess {
  return spawnNode(CLI, ['serve', module, '--socket-dir', socketDir, ...extra]);
}

/** A compiled file under dist/ (tests run plugin code the way `plugd serve` does). */
export function dist(path: string): string {
  return join(ROOT, 'dist', path.replace(/\.ts$/, '.js'));
}

/** The JSON lines a fixture process wrote with an "fx" key (see test/fixtures/), in order. */
export function fixtureEvents(p: PluginProcess, fx?: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of p.output.join('').split('\n')) {
    if (!line.startsWith('{"fx":')) continue;
    try {
      const ev = JSON.parse(line) as Record<string, unknown>;
      if (fx === undefined || ev.fx === fx) out.push(ev);
    } catch { /* a line still being written */ }
  }
  return out;
}

/** Resolves with the first fixture event of kind `fx` matching `fields`. */
export function waitForFixtureEvent(p: PluginProcess, fx: string, fields: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  return waitFor(() => fixtureEvents(p, fx).find((ev) => Object.entries(fields).every(([k, v]) => ev[k] === v)),
    `fixture event ${fx} ${JSON.stringify(fields)} (output so far: ${p.output.join('').slice(-500)})`, timeoutMs);
}

/** GET on the host's admin server: the body as text. */
export async function adminGet(host: PlugdHost, path: string): Promise<string> {
  const res = await fetch(`${host.adminUrl}${path}`);
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.text();
}

/** The sum of the Prometheus samples of `name` whose labels include `labels` (0 when none). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = new Map([...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
    if (Object.entries(labels).every(([k, v]) => got.get(k) === v)) sum += Number(m[3]);
  }
  return sum;
}

/** Registers `fn` to run at cleanup() (e.g. killing the grandchildren of a killed host). */
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn);
}

/**
 * True while `pid` runs. A zombie (exited, not yet reaped by whoever inherited it) counts as
 * gone: process.kill(pid, 0) still succeeds on one.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export interface HostProcess extends PluginProcess {
  /** The host's JSON log records (its stdout), in order, awaitable. */
  readonly logs: LogCapture;
  /** The admin server's base URL, once the host logged that it started. */
  adminUrl(timeoutMs?: number): Promise<string>;
}

/**
 * `plugd host` as a child process, exactly as a user runs it: admin on a free loopback port,
 * JSON logs at info, `config` (if any) written to a temp file and passed with --config.
 */
export function spawnHostProcess(socketDir: string, config?: Record<string, unknown>): HostProcess {
  const args = ['host', '--socket-dir', socketDir, '--admin', '127.0.0.1:0', '--log-level', 'info', '--log-format', 'json'];
  if (config) {
    const file = join(tempDir('plugd-config-'), 'plugd.json');
    writeFileSync(file, JSON.stringify(config));
    args.push('--config', file);
  }
  const p = spawnNode(CLI, args);
  const logs = new LogCapture();
  // Whole lines only: a pipe chunk may end mid-record.
  createInterface({ input: p.proc.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    if (line.startsWith('{')) logs.write(`${line}\n`);
  });
  return {
    ...p,
    logs,
    adminUrl: async (timeoutMs = 15_000) => String((await logs.waitFor('plugd host started', {}, timeoutMs)).admin),
  };
}

/** Debian's python3 with grpcio and protobuf, and protoc: what is missing to run a Python plugin, or undefined. */
export const PYTHON = '/usr/bin/python3';
export function pythonGrpcMissing(): string | undefined {
  const py = spawnSync(PYTHON, ['-c', 'import grpc, grpc.aio, google.protobuf'], { encoding: 'utf8' });
  if (py.error) return `${PYTHON} cannot run (${py.error.message}); install python3`;
  if (py.status !== 0) {
    const why = py.stderr.trim().split('\n').pop();
    return `${PYTHON} cannot import grpc and google.protobuf (${why}); apt-get install python3-grpcio python3-protobuf`;
  }
  const protoc = spawnSync('protoc', ['--version'], { encoding: 'utf8' });
  if (protoc.error || protoc.status !== 0) return 'protoc is not on PATH; apt-get install protobuf-compiler';
  return undefined;
}

/**
 * The guard of an interop test (a real peer: Debian's CNI binaries, Python's or Go's gRPC,
 * Chromium). `missing` says what is absent, or is undefined when everything is there. Absent
 * peers make the caller skip, saying why — except under PLUGD_REQUIRE_INTEROP=1 (CI), where a
 * test named after `what` fails instead. Returns whether the peers are there.
 */
export function interopPeers(label: string, what: string, missing: string | undefined): boolean {
  const required = process.env.PLUGD_REQUIRE_INTEROP === '1';
  if (missing !== undefined && !required) console.warn(`${label}: skipping, ${missing}`);
  it.runIf(missing !== undefined && required)(`has ${what} (PLUGD_REQUIRE_INTEROP=1)`, () => {
    throw new Error(`${label} cannot run: ${missing}`);
  });
  return missing === undefined;
}
