/**
 * Child processes and temp directories of a bench run, tracked so that every one is gone
 * when the run ends, however it ends: each suite stops its own in `finally`, and run.ts
 * calls cleanupAll() on errors and signals and cleanupSync() on exit. Children speak JSON
 * lines on stdout; their stdin is a lifeline (they stop when it closes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const children = new Set<Child>();
const dirs = new Set<string>();

/** A fresh 0700 directory, removed by removeDir() or at cleanup. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** A compiled bench module beside this one (dist/bench/...), as a script path. */
export function benchScript(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

export type Message = Record<string, unknown>;

export class Child {
  readonly proc: ChildProcess;
  readonly label: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines of stderr and non-JSON stdout, for error messages. */
  readonly tail: string[] = [];
  readonly #listeners = new Set<(msg: Message) => void>();

  constructor(label: string, script: string, args: string[], env: NodeJS.ProcessEnv = {}, execArgv: string[] = []) {
    this.label = label;
    const base = { ...process.env };
    // Nothing of the bench's own node flags or a supervising host leaks into the children.
    delete base.NODE_OPTIONS;
    delete base.PLUGD_PARENT_FD;
    // PLUGD_BENCH_PROF_DIR=DIR: every child writes a V8 CPU profile there (where a bench's time goes);
    // PLUGD_BENCH_NODE_ARGS: node flags for every child (e.g. GC settings), split on spaces.
    const prof = process.env.PLUGD_BENCH_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PLUGD_BENCH_PROF_DIR}`] : [];
    prof.push(...(process.env.PLUGD_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''));
    this.proc = spawn(process.execPath, [...prof, ...execArgv, script, ...args], { env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdin!.on('error', () => {});
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => {
      children.delete(this);
      resolve({ code, signal });
    }));
    children.add(this);
    createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      let msg: Message | undefined;
      if (line.startsWith('{')) {
        try { msg = JSON.parse(line) as Message; } catch { /* not ours */ }
      }
      if (!msg) return this.#keep(line);
      for (const l of [...this.#listeners]) l(msg);
    });
    createInterface({ input: this.proc.stderr! }).on('line', (line) => this.#keep(line));
  }

  #keep(line: string): void {
    this.tail.push(line);
    if (this.tail.length > 20) this.tail.shift();
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  onMessage(fn: (msg: Message) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Resolves with the first message `match` accepts; rejects on timeout or exit. */
  waitFor(match: (msg: Message) => boolean, what: string, timeoutMs: number): Promise<Message> {
    return new Promise((resolve, reject) => {
      const done = (fn: () => void) => { clearTimeout(timer); off(); fn(); };
      const off = this.onMessage((msg) => { if (match(msg)) done(() => resolve(msg)); });
      const timer = setTimeout(() => done(() => reject(new Error(`${this.label}: no ${what} within ${timeoutMs} ms${this.#tailText()}`))), timeoutMs);
      void this.exited.then((e) => done(() => reject(new Error(`${this.label} exited (code ${e.code}, signal ${e.signal}) before ${what}${this.#tailText()}`))));
    });
  }

  #tailText(): string {
    return this.tail.length ? `; its last output:\n  ${this.tail.join('\n  ')}` : '';
  }

  send(msg: Message): void {
    if (this.alive) this.proc.stdin!.write(`${JSON.stringify(msg)}\n`);
  }

  /**
   * SIGTERM, then after graceMs SIGKILL; resolves once it exited. The lifeline (stdin) is
   * closed only then: a child takes a closed lifeline for the bench's death and may stop hard.
   */
  async stop(graceMs = 5000): Promise<void> {
    if (this.alive) {
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    this.proc.stdin!.destroy();
  }
}

/** Stops every child still running and removes every temp dir. */
export async function cleanupAll(): Promise<void> {
  await Promise.all([...children].map((c) => c.stop(3000)));
  for (const dir of [...dirs]) removeDir(dir);
}

/** The last resort on process exit: SIGKILL what is left, remove the dirs. */
export function cleanupSync(): void {
  for (const c of children) if (c.alive) c.proc.kill('SIGKILL');
  for (const dir of [...dirs]) removeDir(dir);
}

/** Reads a /proc/PID/status field in kB (VmRSS, VmHWM), as bytes. */
export async function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(m[1]) * 1024;
}

/**
 * This process's main thread from /proc/self/schedstat: time on a CPU and time spent
 * runnable but waiting for one (ms). The wait tells a busy machine from a slow program.
 */
export function mainThreadSched(): { cpuMs: number; waitMs: number } {
  try {
    const [cpu, wait] = readFileSync('/proc/self/schedstat', 'utf8').split(' ').map(Number);
    return { cpuMs: cpu! / 1e6, waitMs: wait! / 1e6 };
  } catch {
    return { cpuMs: Number.NaN, waitMs: Number.NaN };
  }
}
