/**
 * The worker pool facility, main-thread API: threads (pool.ts) and the shared memory tasks
 * carry (columns.ts, interner.ts, range.ts). Worker files import those three directly, never
 * this index, which would load piscina into every thread.
 */
export { WorkerPool, inlineModule, defaultThreads, MAX_THREADS } from './pool.js';
export type { WorkerPoolOptions, WorkerModule, RunOptions, ChunkOptions, CloseOptions, TaskHandler, HandlerName, TaskOf, ResultOf } from './pool.js';
export { SharedColumns, MAX_CAPACITY } from './columns.js';
export type { ColumnSchema, ColumnType, ColumnArray, ColumnArrays, ColumnValue, ColumnsDescriptor, CreateColumnsOptions } from './columns.js';
export { Interner } from './interner.js';
export type { InternerDescriptor, CreateInternerOptions } from './interner.js';
export { splitRange, toRange } from './range.js';
export type { IndexRange } from './range.js';
export { workerFile } from './worker-file.js';
export { PoolError, PoolErrorCodes, isPoolError } from './errors.js';
export type { PoolErrorCode, PoolErrorOptions } from './errors.js';
