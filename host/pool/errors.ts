/**
 * The worker pool's coded errors. Argument mistakes are TypeError/RangeError as in piscina;
 * everything a caller may need to react to at run time is a PoolError with a stable `code`
 * (match on `err.code`, never on the message) and the underlying `cause`. Imports only the
 * dependency-free error base, so thread-side code can use it.
 */
import { PlugdError } from '../errors.js';

export const PoolErrorCodes = {
  /** The pool was closed: run() after close(), or a task dropped by close({ force: true }). */
  CLOSED: 'PLUGD_ERR_POOL_CLOSED',
  /** More tasks than threads + maxQueue were submitted; nothing of the call was queued. */
  QUEUE_FULL: 'PLUGD_ERR_POOL_QUEUE_FULL',
  /** The caller's AbortSignal fired before the task finished (a running task's thread is replaced). */
  ABORTED: 'PLUGD_ERR_POOL_ABORTED',
  /** The task threw in its worker, the export is missing, or the thread died; see `cause`. */
  TASK_FAILED: 'PLUGD_ERR_POOL_TASK_FAILED',
  /** A worker module's compiled file is missing (run `npm run build`). */
  WORKER_NOT_FOUND: 'PLUGD_ERR_POOL_WORKER_NOT_FOUND',
  /** A shared-memory descriptor does not match its schema, its buffer or the expected schema. */
  LAYOUT_MISMATCH: 'PLUGD_ERR_POOL_LAYOUT_MISMATCH',
  /** A layout change (resize, grow, intern) was tried on an attached copy; only the owner may. */
  NOT_OWNER: 'PLUGD_ERR_POOL_NOT_OWNER',
} as const;

export type PoolErrorCode = (typeof PoolErrorCodes)[keyof typeof PoolErrorCodes];

export interface PoolErrorOptions {
  /** The worker module and export concerned, as `file#export`, when there is one. */
  worker?: string;
  cause?: unknown;
}

export class PoolError extends PlugdError<PoolErrorCode> {
  /** The worker module and export concerned, as `file#export`, when there is one. */
  readonly worker: string | undefined;

  constructor(code: PoolErrorCode, message: string, options: PoolErrorOptions = {}) {
    super(code, message, { cause: options.cause });
    this.name = 'PoolError';
    this.worker = options.worker;
  }
}

export function isPoolError(err: unknown): err is PoolError {
  return err instanceof PoolError;
}
