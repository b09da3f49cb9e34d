/**
 * WorkerPool: the host's threads, one piscina pool behind a small facade. Each user binds its
 * own worker module (`pool.bind<typeof import('./x-worker.js')>(file)`) and gets a typed
 * WorkerModule; `inlineModule(module)` gives the same interface running on the calling thread,
 * so a caller can pick main thread or pool per call (small inputs, benchmarks) with one code path.
 * Tasks should carry shared-memory descriptors (see columns.ts), not node objects: cloning
 * objects costs ~100× more than packing them into a SharedArrayBuffer (DESIGN.md §6).
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { Piscina } from 'piscina';
import { PoolError, PoolErrorCodes } from './errors.js';
import { splitRange, type IndexRange } from './range.js';

/** A worker export: one structured-cloneable task in, a structured-cloneable result (or its promise) out. */
export type TaskHandler = (task: never) => unknown;
/** The names of a module's exports that are task handlers. */
export type HandlerName<M> = { [K in keyof M]-?: M[K] extends TaskHandler ? K : never }[keyof M] & string;
export type TaskOf<M, K extends keyof M> = M[K] extends (task: infer T) => unknown ? T : never;
export type ResultOf<M, K extends keyof M> = M[K] extends (task: never) => infer R ? Awaited<R> : never;

export interface RunOptions {
  /** Aborting rejects with ABORTED; a task already running has its thread replaced. */
  signal?: AbortSignal;
}

export interface ChunkOptions extends RunOptions {
  /** How many chunks to cut the range into. Default: the module's parallelism. */
  chunks?: number;
}

/** A worker module bound to where its tasks run (pool threads or the calling thread). */
export interface WorkerModule<M> {
  /** The worker file, or 'inline'. Errors name it as `where#export`. */
  readonly where: string;
  /** Tasks that can run at once; the default number of chunks. */
  readonly parallelism: number;
  /** Runs the export `name` on one task. */
  run<K extends HandlerName<M>>(name: K, task: TaskOf<M, K>, options?: RunOptions): Promise<ResultOf<M, K>>;
  /**
   * Cuts `range` (or 0..count) into min(chunks, length) contiguous chunks (splitRange), makes one
   * task per chunk and runs them in parallel; results come in chunk order. An empty range runs
   * nothing and gives []. The tasks are admitted together or not at all (QUEUE_FULL).
   */
  runChunks<K extends HandlerName<M>>(
    name: K,
    range: IndexRange | number,
    task: (chunk: IndexRange, index: number) => TaskOf<M, K>,
    options?: ChunkOptions,
  ): Promise<ResultOf<M, K>[]>;
}

export interface WorkerPoolOptions {
  /** Most threads. Default min(os.availableParallelism(), 4), at least 1. */
  threads?: number;
  /** Threads kept even when idle. Default `threads`: all warm, so no task waits for a thread to start. */
  minThreads?: number;
  /** Milliseconds a thread above minThreads may sit idle before it exits. Default 30 000. */
  idleTimeout?: number;
  /** Tasks that may wait beyond the `threads` running; more are refused with QUEUE_FULL. Default 1024. */
  maxQueue?: number;
  /**
   * Called with a thread failure no task was waiting on (a thread that fails to start, an
   * uncaught error while idle); the thread is replaced. Default: process.emitWarning.
   */
  onError?: (err: Error) => void;
}

export interface CloseOptions {
  /** Drop queued tasks and stop running ones (they reject with CLOSED) instead of letting them finish. */
  force?: boolean;
}

/** Most threads a pool may have. */
export const MAX_THREADS = 256;
const DEFAULT_IDLE_TIMEOUT = 30_000;
const DEFAULT_MAX_QUEUE = 1024;
const OPTION_NAMES = new Set(['threads', 'minThreads', 'idleTimeout', 'maxQueue', 'onError']);

/** The default thread count: min(os.availableParallelism(), 4), at least 1. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

function intOption(options: WorkerPoolOptions, key: 'threads' | 'minThreads' | 'idleTimeout' | 'maxQueue', fallback: number, min: number, max: number, infinite = false): number {
  const v: unknown = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number') throw new TypeError(`WorkerPool: options.${key} must be a number, got ${typeof v}`);
  if (infinite && v === Infinity) return v;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`WorkerPool: options.${key} must be an integer in [${min}, ${max}]${infinite ? ' or Infinity' : ''}, got ${v}`);
  }
  return v;
}

/** How one module's tasks are executed; the results come in task order. */
interface Executor {
  readonly where: string;
  readonly parallelism: number;
  execute(name: string, tasks: readonly unknown[], signal: AbortSignal | undefined): Promise<unknown[]>;
}

class BoundModule<M> implements WorkerModule<M> {
  readonly #executor: Executor;

  constructor(executor: Executor) {
    this.#executor = executor;
  }

  get where(): string {
    return this.#executor.where;
  }

  get parallelism(): number {
    return this.#executor.parallelism;
  }

  async run<K extends HandlerName<M>>(name: K, task: TaskOf<M, K>, options: RunOptions = {}): Promise<ResultOf<M, K>> {
    checkName(name);
    const [result] = await this.#executor.execute(name, [task], checkSignal(options));
    return result as ResultOf<M, K>;
  }

  async runChunks<K extends HandlerName<M>>(
    name: K,
    range: IndexRange | number,
    task: (chunk: IndexRange, index: number) => TaskOf<M, K>,
    options: ChunkOptions = {},
  ): Promise<ResultOf<M, K>[]> {
    checkName(name);
    if (typeof task !== 'function') throw new TypeError('runChunks: task must be a function (chunk, index) => task');
    const signal = checkSignal(options);
    const chunks = options.chunks ?? this.#executor.parallelism;
    if (typeof chunks !== 'number' || !Number.isInteger(chunks) || chunks < 1) throw new RangeError(`runChunks: options.chunks must be an integer >= 1, got ${chunks}`);
    const tasks = splitRange(range, chunks).map(task);
    if (tasks.length === 0) return [];
    return (await this.#executor.execute(name, tasks, signal)) as ResultOf<M, K>[];
  }
}

function checkName(name: unknown): void {
  if (typeof name !== 'string' || name === '') throw new TypeError(`the export name must be a non-empty string, got ${JSON.stringify(name)}`);
}

function checkSignal(options: RunOptions): AbortSignal | undefined {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new TypeError('options.signal must be an AbortSignal');
  return options.signal;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The facade over piscina: owns the threads; bind() a worker module to run tasks on them. */
export class WorkerPool {
  readonly #pool: Piscina<unknown, unknown>;
  readonly #threads: number;
  readonly #maxQueue: number;
  /** Aborted by close({ force: true }): every task's signal follows it. */
  readonly #closer = new AbortController();
  readonly #inFlight = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;

  constructor(options: WorkerPoolOptions = {}) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError('WorkerPool: options must be an object');
    for (const key of Object.keys(options)) {
      if (!OPTION_NAMES.has(key)) throw new TypeError(`WorkerPool: unknown option ${JSON.stringify(key)} (known: ${[...OPTION_NAMES].join(', ')})`);
    }
    const threads = intOption(options, 'threads', defaultThreads(), 1, MAX_THREADS);
    const minThreads = intOption(options, 'minThreads', threads, 0, threads);
    const idleTimeout = intOption(options, 'idleTimeout', DEFAULT_IDLE_TIMEOUT, 0, 2 ** 31 - 1);
    this.#maxQueue = intOption(options, 'maxQueue', DEFAULT_MAX_QUEUE, 0, 2 ** 31 - 1, true);
    const onError = options.onError ?? ((err: Error) => process.emitWarning(err));
    if (typeof onError !== 'function') throw new TypeError(`WorkerPool: options.onError must be a function, got ${typeof onError}`);
    this.#threads = threads;
    // One listener per task in flight on the closer's signal: no leak, so no warning wanted.
    setMaxListeners(0, this.#closer.signal);
    // Admission (QUEUE_FULL) is ours, so piscina's own queue is unbounded.
    this.#pool = new Piscina({ minThreads, maxThreads: threads, idleTimeout });
    // Without a listener, piscina's 'error' event would throw and take the host down.
    this.#pool.on('error', (err: unknown) => onError(err instanceof Error ? err : new Error(String(err))));
  }

  /** Most threads. */
  get threads(): number {
    return this.#threads;
  }

  /** Tasks submitted and not yet settled (running or queued). */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** True once close() was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Binds the worker module at `filename` (absolute, compiled JS: see workerFile()) to this
   * pool's threads. `M` is the module's type, e.g. `typeof import('./score-worker.js')`,
   * imported with `import type` so the main thread never loads the worker code.
   */
  bind<M>(filename: string): WorkerModule<M> {
    if (typeof filename !== 'string' || !isAbsolute(filename)) throw new TypeError(`WorkerPool.bind: filename must be an absolute path, got ${JSON.stringify(filename)}`);
    if (!existsSync(filename)) throw new PoolError(PoolErrorCodes.WORKER_NOT_FOUND, `worker module ${filename} does not exist`, { worker: filename });
    return new BoundModule<M>({
      where: filename,
      parallelism: this.#threads,
      execute: (name, tasks, signal) => this.#execute(filename, name, tasks, signal),
    });
  }

  /**
   * Stops the pool; calls after the first return the same promise (a later force upgrades it).
   * Runs submitted afterwards reject with CLOSED. Gracefully, tasks already submitted finish
   * first; with `force`, they reject with CLOSED at once.
   */
  close(options: CloseOptions = {}): Promise<void> {
    if (options === null || typeof options !== 'object') return Promise.reject(new TypeError('WorkerPool.close: options must be an object'));
    if (options.force !== undefined && typeof options.force !== 'boolean') return Promise.reject(new TypeError('WorkerPool.close: options.force must be a boolean'));
    if (options.force) this.#closer.abort(new PoolError(PoolErrorCodes.CLOSED, 'worker pool closed'));
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#inFlight]);
      await this.#pool.destroy();
    })();
    return this.#closing;
  }

  async #execute(filename: string, name: string, tasks: readonly unknown[], signal: AbortSignal | undefined): Promise<unknown[]> {
    const where = `${filename}#${name}`;
    if (this.#closing) throw new PoolError(PoolErrorCodes.CLOSED, `worker pool is closed: ${where} not run`, { worker: where });
    const room = this.#threads + this.#maxQueue - this.#inFlight.size;
    if (tasks.length > room) {
      throw new PoolError(PoolErrorCodes.QUEUE_FULL, `worker pool queue is full (${this.#inFlight.size} tasks in flight, ${this.#threads} threads + maxQueue ${this.#maxQueue}): ${where} refused ${tasks.length} task(s)`, { worker: where });
    }
    const taskSignal = signal ? AbortSignal.any([this.#closer.signal, signal]) : this.#closer.signal;
    return Promise.all(tasks.map((task) => this.#track(this.#pool.run(task, { filename, name, signal: taskSignal }).catch((err: unknown) => {
      throw this.#failure(err, where, signal);
    }))));
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const untrack = (): void => void this.#inFlight.delete(promise);
    promise.then(untrack, untrack);
    return promise;
  }

  #failure(err: unknown, where: string, signal: AbortSignal | undefined): PoolError {
    if (this.#closer.signal.aborted) return new PoolError(PoolErrorCodes.CLOSED, `worker pool closed before ${where} finished`, { worker: where, cause: err });
    if (signal?.aborted) return new PoolError(PoolErrorCodes.ABORTED, `${where} aborted`, { worker: where, cause: err });
    return new PoolError(PoolErrorCodes.TASK_FAILED, `${where} failed: ${messageOf(err)}`, { worker: where, cause: err });
  }
}

/**
 * The same interface running the module's exports on the calling thread, one task after the
 * other (parallelism 1). Tasks are passed by reference, not cloned: handlers must not mutate
 * them. For small inputs, where a thread hop costs more than the work, and for benchmarks.
 */
export function inlineModule<M extends object>(module: M, where = 'inline'): WorkerModule<M> {
  const exports = module as { readonly [name: string]: unknown };
  return new BoundModule<M>({
    where,
    parallelism: 1,
    async execute(name, tasks, signal) {
      const at = `${where}#${name}`;
      const handler = exports[name];
      if (typeof handler !== 'function') throw new PoolError(PoolErrorCodes.TASK_FAILED, `${at} failed: no such export`, { worker: at });
      const results: unknown[] = [];
      for (const task of tasks) {
        if (signal?.aborted) throw new PoolError(PoolErrorCodes.ABORTED, `${at} aborted`, { worker: at, cause: signal.reason });
        try {
          results.push(await (handler as (task: unknown) => unknown)(task));
        } catch (err) {
          throw new PoolError(PoolErrorCodes.TASK_FAILED, `${at} failed: ${messageOf(err)}`, { worker: at, cause: err });
        }
      }
      return results;
    },
  });
}
