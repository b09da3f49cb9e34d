/**
 * Test plumbing for the network chains and the CNI shim: the gRPC network fixtures as
 * processes, `plugd host --cni-socket` as a child process, and the shim run exactly as a
 * container runtime runs a CNI plugin (CNI_* environment, config on stdin, exit code, stdout).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLI, dist, LogCapture, ROOT, spawnNode, waitFor, waitForFixtureEvent, type PluginProcess } from './helpers.js';

export const SHIM = join(ROOT, 'bin', 'plugd-cni');
/** The shim's sender, compiled by scripts/build.js when a C compiler is there; else the shim uses curl. */
export const SEND = join(ROOT, 'bin', 'plugd-cni-send');
export const CNI_BIN = '/usr/lib/cni';
/** Debian's containernetworking-plugins are here (CI installs them; .ci/run). */
export const HAVE_CNI_PLUGINS = existsSync(join(CNI_BIN, 'host-local')) && existsSync(join(CNI_BIN, 'bandwidth'));

/** A network fixture (test/fixtures/network-<kind>.ts) serving as `name`, once it listens; `args` are more of its flags. */
export async function startNetworkFixture(kind: 'ipam' | 'edit', socketDir: string, name: string, args: readonly string[] = []): Promise<PluginProcess> {
  const p = spawnNode(dist(`test/fixtures/network-${kind}.ts`), ['--socket-dir', socketDir, '--name', name, ...args]);
  await waitForFixtureEvent(p, 'listening', {}, 20_000);
  return p;
}

export interface ShimRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is JSON. */
  json: Record<string, unknown> | undefined;
  ms: number;
}

/**
 * Runs the shim (or `argv0`, e.g. a symlink to it) as a runtime runs a CNI plugin: only the
 * given environment (plus PATH), the config on stdin.
 */
export function runShim(env: Record<string, string>, stdin: string, argv0 = SHIM): Promise<ShimRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv0, [], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
    child.on('close', (code) => {
      let json: Record<string, unknown> | undefined;
      try {
        json = stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : undefined;
      } catch { /* not JSON */ }
      resolve({ code, stdout, stderr, json, ms: performance.now() - started });
    });
  });
}

export interface CniHostProcess extends PluginProcess {
  readonly logs: LogCapture;
}

/** `plugd host --cni-socket …` as a child process, resolved once the CNI door listens. */
export async function spawnCniHost(o: { socketDir: string; cniSocket: string; confDir: string; cacheDir: string; cniPath?: string; extraArgs?: string[] }): Promise<CniHostProcess> {
  const args = ['host', '--socket-dir', o.socketDir, '--admin', '127.0.0.1:0', '--log-level', 'debug', '--log-format', 'json',
    '--cni-socket', o.cniSocket, '--cni-conf-dir', o.confDir, '--cni-cache-dir', o.cacheDir, ...(o.extraArgs ?? [])];
  if (o.cniPath) args.push('--cni-path', o.cniPath);
  const p = spawnNode(CLI, args);
  const logs = new LogCapture();
  createInterface({ input: p.proc.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    if (line.startsWith('{')) logs.write(`${line}\n`);
  });
  await waitFor(() => logs.find('CNI door listening').length > 0 || p.proc.exitCode !== null, 'the CNI door to listen', 20_000);
  if (p.proc.exitCode !== null) throw new Error(`plugd host exited: ${p.output.join('')}`);
  return { ...p, logs };
}

/** A CNI error as the spec shapes it: cniVersion, a numeric code, msg (and details when given). */
export function isCniErrorJson(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  const keys = Object.keys(e).sort();
  return typeof e.cniVersion === 'string' && typeof e.code === 'number' && typeof e.msg === 'string' && e.msg !== '' &&
    (e.details === undefined || typeof e.details === 'string') && keys.every((k) => ['cniVersion', 'code', 'msg', 'details'].includes(k));
}
