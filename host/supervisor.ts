/**
 * Supervised plugins: processes the host starts from its config, restarts with exponential
 * backoff when they exit, and stops gracefully (SIGTERM, a grace period, then SIGKILL).
 * Each child inherits a pipe on fd 3 (PLUGD_PARENT_FD): when the host dies, however it dies,
 * the pipe reaches EOF and SDK plugins exit, so no plugin outlives its host.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { LaunchSpec } from './config.js';
import { cliScript } from './paths.js';

export interface SupervisorOptions {
  readonly specs: readonly LaunchSpec[];
  readonly socketDir: string;
  readonly logger: Logger;
  /** First restart delay; doubles per consecutive failure up to maxBackoffMs. A spec's own values win. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A run longer than this resets the backoff. */
  readonly stableAfterMs?: number;
}

export interface ProcessStatus {
  name: string;
  pid: number | undefined;
  state: 'running' | 'backoff' | 'stopped' | 'exited';
  restarts: number;
  lastExit: string | undefined;
}

interface Child {
  readonly spec: LaunchSpec;
  proc: ChildProcess | undefined;
  state: ProcessStatus['state'];
  restarts: number;
  failures: number;
  startedAt: number;
  timer: NodeJS.Timeout | undefined;
  lastExit: string | undefined;
}

const LEVEL_NAMES: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

export class Supervisor {
  readonly #opts: SupervisorOptions;
  readonly #log: Logger;
  readonly #children: Child[];
  #stopping = false;

  constructor(opts: SupervisorOptions) {
    this.#opts = opts;
    this.#log = opts.logger;
    this.#children = opts.specs.map((spec) => ({ spec, proc: undefined, state: 'stopped', restarts: 0, failures: 0, startedAt: 0, timer: undefined, lastExit: undefined }));
  }

  start(): void {
    for (const c of this.#children) this.#spawn(c);
  }

  status(): ProcessStatus[] {
    return this.#children.map((c) => ({ name: c.spec.name, pid: c.proc?.pid, state: c.state, restarts: c.restarts, lastExit: c.lastExit }));
  }

  #argv(spec: LaunchSpec): [string, string[]] {
    if (spec.module) return [process.execPath, [cliScript(), 'serve', spec.module, '--socket-dir', this.#opts.socketDir]];
    const [cmd, ...args] = spec.command!;
    return [cmd!, args];
  }

  #spawn(c: Child): void {
    const [cmd, args] = this.#argv(c.spec);
    const proc = spawn(cmd, args, {
      cwd: c.spec.cwd,
      env: { ...process.env, ...c.spec.env, PLUGD_SOCKET_DIR: this.#opts.socketDir, PLUGD_PARENT_FD: '3', PLUGD_LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    c.proc = proc;
    c.state = 'running';
    c.startedAt = Date.now();
    const log = this.#log.child({ plugin: c.spec.name, pid: proc.pid });
    proc.on('error', (err) => log.error({ err: err.message }, `cannot start plugin process: ${err.message}`));
    this.#capture(proc.stdout!, log, 'info');
    this.#capture(proc.stderr!, log, 'warn');
    // fd 3 is only a liveness pipe: never read or written by the host.
    (proc.stdio[3] as Readable | null)?.on('error', () => {});
    proc.once('exit', (code, signal) => this.#exited(c, proc, code, signal));
    log.info({ cmd: [cmd, ...args].join(' ') }, 'plugin process started');
  }

  /** Relays a child's output into the host's log with the plugin's name; pino JSON keeps its level. */
  #capture(stream: Readable, log: Logger, textLevel: 'info' | 'warn'): void {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (line.startsWith('{')) {
        try {
          const rec = JSON.parse(line) as { level?: number; msg?: string; time?: number; pid?: number; hostname?: string; name?: string };
          const { level, msg, time: _t, pid: _p, hostname: _h, name: _n, ...rest } = rec;
          log[LEVEL_NAMES[level ?? 30] ?? 'info'](rest, msg ?? '');
          return;
        } catch { /* not JSON after all */ }
      }
      if (line.trim() !== '') log[textLevel](line);
    });
  }

  #exited(c: Child, proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (c.proc !== proc) return;
    c.proc = undefined;
    c.lastExit = signal ? `signal ${signal}` : `code ${code}`;
    const log = this.#log.child({ plugin: c.spec.name });
    if (this.#stopping) {
      c.state = 'stopped';
      log.info({ exit: c.lastExit }, 'plugin process stopped');
      return;
    }
    const policy = c.spec.restart ?? 'always';
    if (policy === 'never' || (policy === 'on-failure' && code === 0)) {
      c.state = 'exited';
      log.warn({ exit: c.lastExit }, 'plugin process exited; not restarting (restart policy)');
      return;
    }
    if (Date.now() - c.startedAt > (this.#opts.stableAfterMs ?? 30_000)) c.failures = 0;
    // The spec's own backoff wins over the supervisor-wide one.
    const initial = c.spec.initialBackoffMs ?? this.#opts.initialBackoffMs ?? 500;
    const max = c.spec.maxBackoffMs ?? this.#opts.maxBackoffMs ?? 30_000;
    const delay = Math.min(max, initial * 2 ** c.failures++);
    c.state = 'backoff';
    log.warn({ exit: c.lastExit, restartInMs: delay, restarts: c.restarts }, `plugin process exited (${c.lastExit}); restarting in ${delay} ms`);
    c.timer = setTimeout(() => {
      c.restarts++;
      this.#spawn(c);
    }, delay);
  }

  /** SIGTERM every child, SIGKILL those still running after their grace period. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#children.map(async (c) => {
      clearTimeout(c.timer);
      const proc = c.proc;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const grace = c.spec.stopGraceMs ?? 10_000;
      const timer = setTimeout(() => {
        this.#log.warn({ plugin: c.spec.name, graceMs: grace }, 'plugin process ignored SIGTERM; killing it');
        proc.kill('SIGKILL');
      }, grace);
      await exited;
      clearTimeout(timer);
    }));
  }
}
