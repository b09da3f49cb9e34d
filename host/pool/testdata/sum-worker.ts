/**
 * A worker module for the pool's tests only: sums a column range, and a few handlers that
 * prove memory is shared (handshakes through Atomics on the `sync` column) or fail on purpose.
 * Like any worker it imports only what it computes with.
 */
import { threadId } from 'node:worker_threads';
import { SharedColumns, type ColumnsDescriptor } from '../columns.js';
import { Interner, type InternerDescriptor } from '../interner.js';
import type { IndexRange } from '../range.js';

export const SUM_SCHEMA = { value: 'float64', sync: 'int32' } as const;
export type SumTable = ColumnsDescriptor<typeof SUM_SCHEMA>;

/** A safety bound for the handshakes, so a broken test fails instead of hanging; not a sleep. */
const WAIT_LIMIT_MS = 20_000;

/** Σ value over the range. */
export function sum(task: { table: SumTable; range: IndexRange }): number {
  const value = SharedColumns.attach(task.table, SUM_SCHEMA).column('value');
  let total = 0;
  for (let i = task.range.start; i < task.range.end; i++) total += value[i]!;
  return total;
}

/** What the worker sees of the table's header. */
export function inspect(task: { table: SumTable }): { length: number; capacity: number; generation: number; retired: boolean } {
  const t = SharedColumns.attach(task.table, SUM_SCHEMA);
  return { length: t.length, capacity: t.capacity, generation: t.generation, retired: t.retired };
}

/**
 * Sets sync[row] to 1 (running), waits until the main thread moves it on, then returns
 * value[row] as it is then, and writes -value into value[row + 1] when that row exists.
 */
export function hold(task: { table: SumTable; row: number }): number {
  const t = SharedColumns.attach(task.table, SUM_SCHEMA);
  const sync = t.column('sync');
  Atomics.store(sync, task.row, 1);
  Atomics.notify(sync, task.row);
  if (Atomics.wait(sync, task.row, 1, WAIT_LIMIT_MS) === 'timed-out') throw new Error(`hold: row ${task.row} was never released`);
  const seen = t.get(task.row, 'value');
  if (task.row + 1 < t.length) t.set(task.row + 1, 'value', -seen);
  return seen;
}

/** Waits until `parties` tasks have arrived at sync[row]; returns the thread it ran on. */
export function barrier(task: { table: SumTable; row: number; parties: number }): number {
  const sync = SharedColumns.attach(task.table, SUM_SCHEMA).column('sync');
  let seen = Atomics.add(sync, task.row, 1) + 1;
  Atomics.notify(sync, task.row);
  while (seen < task.parties) {
    if (Atomics.wait(sync, task.row, seen, WAIT_LIMIT_MS) === 'timed-out') throw new Error(`barrier: ${seen} of ${task.parties} arrived`);
    seen = Atomics.load(sync, task.row);
  }
  return threadId;
}

/** Syncs this thread's replica: how many strings it decoded now, and lookups both ways. */
export function internerSync(task: { interner: InternerDescriptor; strings: readonly string[]; ids: readonly number[] }): {
  decoded: number;
  size: number;
  ids: (number | null)[];
  strings: string[];
} {
  const replica = Interner.attach(task.interner);
  const decoded = replica.sync();
  return {
    decoded,
    size: replica.size,
    ids: task.strings.map((s) => replica.lookup(s) ?? null),
    strings: task.ids.map((id) => replica.string(id)),
  };
}

/** Ends the worker thread mid-task. */
export function exit(task: { code: number }): never {
  process.exit(task.code);
}

/** Always throws. */
export function fail(task: { message: string }): never {
  throw new Error(task.message);
}
