import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { packageRoot } from '../paths.js';
import { SharedColumns } from './columns.js';
import { PoolErrorCodes } from './errors.js';
import { defaultThreads, inlineModule, WorkerPool, type HandlerName, type ResultOf, type TaskOf, type WorkerModule, type WorkerPoolOptions } from './pool.js';
import { splitRange, type IndexRange } from './range.js';
import * as sumWorker from './testdata/sum-worker.js';
import { SUM_SCHEMA, type SumTable } from './testdata/sum-worker.js';
import { signal, waitWhile } from './testdata/wait.js';
import { workerFile } from './worker-file.js';

const SUM_WORKER = workerFile('./testdata/sum-worker.js', import.meta.url);

const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close({ force: true })));
});

function open(options: WorkerPoolOptions = {}): { pool: WorkerPool; worker: WorkerModule<typeof sumWorker> } {
  const pool = new WorkerPool(options);
  pools.push(pool);
  return { pool, worker: pool.bind<typeof sumWorker>(SUM_WORKER) };
}

/** A table of `rows` integer values (so any summation order gives the exact same total). */
function table(rows: number): SharedColumns<typeof SUM_SCHEMA> {
  const t = SharedColumns.create(SUM_SCHEMA, { capacity: rows });
  t.resize(rows);
  const value = t.column('value');
  for (let i = 0; i < rows; i++) value[i] = ((i * 7919) % 1009) + 1;
  t.bump();
  return t;
}

const isCode = (code: string) => expect.objectContaining({ code });

describe('splitRange', () => {
  it.each([
    [{ start: 0, end: 10 }, 3, [[0, 4], [4, 7], [7, 10]]],
    [{ start: 5, end: 9 }, 2, [[5, 7], [7, 9]]],
    [3, 8, [[0, 1], [1, 2], [2, 3]]],
    [0, 4, []],
    [{ start: 4, end: 4 }, 1, []],
    [7, 1, [[0, 7]]],
  ])('cuts %j into %i chunks', (range, parts, want) => {
    expect(splitRange(range, parts).map((c) => [c.start, c.end])).toEqual(want);
  });

  it.each([
    [{ start: 3, end: 2 }, 1, RangeError],
    [-1, 1, RangeError],
    [1.5, 1, RangeError],
    [4, 0, RangeError],
    [4, 1.5, RangeError],
    ['4', 1, TypeError],
  ])('refuses range %j in %s parts', (range, parts, kind) => {
    expect(() => splitRange(range as number, parts)).toThrow(kind);
  });
});

describe('WorkerPool options', () => {
  it.each([
    [{ threads: 0 }, RangeError, /threads/],
    [{ threads: 1.5 }, RangeError, /threads/],
    [{ threads: 257 }, RangeError, /threads/],
    [{ threads: '2' }, TypeError, /threads/],
    [{ threads: 2, minThreads: 3 }, RangeError, /minThreads/],
    [{ minThreads: -1 }, RangeError, /minThreads/],
    [{ idleTimeout: -5 }, RangeError, /idleTimeout/],
    [{ idleTimeout: Infinity }, RangeError, /idleTimeout/],
    [{ idleTimeout: null }, TypeError, /idleTimeout/],
    [{ maxQueue: -1 }, RangeError, /maxQueue/],
    [{ maxQueue: NaN }, RangeError, /maxQueue/],
    [{ thread: 2 }, TypeError, /unknown option "thread"/],
    [{ onError: 'log' }, TypeError, /onError/],
    [null, TypeError, /options/],
  ])('refuses %o', (options, kind, message) => {
    expect(() => new WorkerPool(options as WorkerPoolOptions)).toThrow(kind);
    expect(() => new WorkerPool(options as WorkerPoolOptions)).toThrow(message);
  });

  it('defaults to min(availableParallelism, 4) threads, at least one', async () => {
    const { pool } = open();
    expect(pool.threads).toBe(defaultThreads());
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
    expect(defaultThreads()).toBeLessThanOrEqual(4);
  });

  it('accepts an unbounded queue', () => {
    expect(open({ threads: 1, maxQueue: Infinity, minThreads: 0, idleTimeout: 0 }).pool.threads).toBe(1);
  });
});

describe('WorkerModule typing', () => {
  it("offers only the module's function exports, typed by their task and result", () => {
    expectTypeOf<HandlerName<typeof sumWorker>>().toEqualTypeOf<'sum' | 'inspect' | 'hold' | 'barrier' | 'internerSync' | 'exit' | 'fail'>();
    expectTypeOf<TaskOf<typeof sumWorker, 'sum'>>().toEqualTypeOf<{ table: SumTable; range: IndexRange }>();
    expectTypeOf<ResultOf<typeof sumWorker, 'sum'>>().toEqualTypeOf<number>();
    expectTypeOf<ResultOf<typeof sumWorker, 'barrier'>>().toEqualTypeOf<number>();
  });
});

describe('workerFile and bind', () => {
  const root = packageRoot();

  it('points TypeScript sources at their compiled twin in dist/', () => {
    expect(SUM_WORKER).toBe(join(root, 'dist', 'host', 'pool', 'testdata', 'sum-worker.js'));
  });

  it('points compiled code at its sibling', () => {
    const base = pathToFileURL(join(root, 'dist', 'host', 'pool', 'pool.js'));
    expect(workerFile('./testdata/sum-worker.js', base)).toBe(SUM_WORKER);
  });

  it('fails with WORKER_NOT_FOUND when the compiled file is missing', () => {
    expect(() => workerFile('./testdata/no-such-worker.js', import.meta.url)).toThrow(isCode(PoolErrorCodes.WORKER_NOT_FOUND));
    expect(() => open({ threads: 1 }).pool.bind(join(fileURLToPath(new URL('.', import.meta.url)), 'nope.js'))).toThrow(
      isCode(PoolErrorCodes.WORKER_NOT_FOUND),
    );
  });

  it.each([['sum-worker.js'], ['/abs/sum-worker.js'], ['']])('refuses the non-relative specifier %j', (specifier) => {
    expect(() => workerFile(specifier, import.meta.url)).toThrow(TypeError);
  });

  it('bind refuses a relative filename', () => {
    expect(() => open({ threads: 1 }).pool.bind('testdata/sum-worker.js')).toThrow(TypeError);
  });
});

describe('WorkerPool runs', () => {
  it('runChunks over the pool gives the sequential result, one chunk per thread by default', async () => {
    const { worker } = open({ threads: 2 });
    const t = table(100_003);
    const d = t.describe();
    const sequential = sumWorker.sum({ table: d, range: { start: 0, end: t.length } });
    const parts = await worker.runChunks('sum', t.length, (range) => ({ table: d, range }));
    expect(parts).toHaveLength(2);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(sequential);

    const seven = await worker.runChunks('sum', { start: 10, end: t.length }, (range) => ({ table: d, range }), { chunks: 7 });
    expect(seven).toHaveLength(7);
    expect(seven.reduce((a, b) => a + b, 0)).toBe(sumWorker.sum({ table: d, range: { start: 10, end: t.length } }));
  });

  it('the inline module gives the same results on the calling thread', async () => {
    const { worker } = open({ threads: 2 });
    const inline = inlineModule(sumWorker);
    const d = table(5_000).describe();
    const make = (range: { start: number; end: number }) => ({ table: d, range });
    expect(inline.parallelism).toBe(1);
    const [pooled, local, localIn4] = await Promise.all([
      worker.runChunks('sum', 5_000, make, { chunks: 4 }),
      inline.runChunks('sum', 5_000, make),
      inline.runChunks('sum', 5_000, make, { chunks: 4 }),
    ]);
    expect(local).toHaveLength(1);
    expect(localIn4).toEqual(pooled);
    expect(local[0]).toBe(pooled.reduce((a, b) => a + b, 0));
  });

  it('runs the chunks at the same time on distinct threads', async () => {
    const { worker } = open({ threads: 2 });
    const t = table(1);
    // Each task waits at a barrier until both arrived: this only completes if they overlap.
    const threads = await worker.runChunks('barrier', 2, () => ({ table: t.describe(), row: 0, parties: 2 }));
    expect(new Set(threads).size).toBe(2);
  });

  it('an empty range runs nothing', async () => {
    const { worker } = open({ threads: 1 });
    let made = 0;
    expect(await worker.runChunks('sum', 0, () => (made++, { table: table(1).describe(), range: { start: 0, end: 0 } }))).toEqual([]);
    expect(made).toBe(0);
  });

  it.each([
    ['a task that throws', 'fail', /boom/],
    ['an export that does not exist', 'nope', /.+/],
  ])('reports %s as TASK_FAILED naming the worker', async (_, name, cause) => {
    const { worker } = open({ threads: 1 });
    const err = await worker.run(name as 'fail', { message: 'boom' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: PoolErrorCodes.TASK_FAILED, worker: `${SUM_WORKER}#${name}` });
    expect(String((err as Error).cause)).toMatch(cause);
  });

  it('reports a thread that dies mid-task as TASK_FAILED and replaces the thread', async () => {
    const { worker } = open({ threads: 1 });
    await expect(worker.run('exit', { code: 3 })).rejects.toMatchObject({ code: PoolErrorCodes.TASK_FAILED, message: expect.stringMatching(/code: 3/) });
    const t = table(3);
    expect(await worker.run('sum', { table: t.describe(), range: { start: 0, end: 3 } })).toBe(t.get(0, 'value') + t.get(1, 'value') + t.get(2, 'value'));
  });

  it('reports an abort as ABORTED and keeps serving', async () => {
    const { worker } = open({ threads: 1 });
    const t = table(1);
    const controller = new AbortController();
    const held = worker.run('hold', { table: t.describe(), row: 0 }, { signal: controller.signal }).catch((e: unknown) => e);
    await waitWhile(t.column('sync'), 0, 0);
    controller.abort();
    expect(await held).toMatchObject({ code: PoolErrorCodes.ABORTED });
    expect(await worker.run('sum', { table: t.describe(), range: { start: 0, end: 1 } })).toBe(t.get(0, 'value'));
    await expect(worker.run('sum', { table: t.describe(), range: { start: 0, end: 1 } }, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: PoolErrorCodes.ABORTED,
    });
  });

  it('refuses tasks past threads + maxQueue with QUEUE_FULL, whole runChunks calls at once', async () => {
    const { pool, worker } = open({ threads: 1, maxQueue: 2 });
    const t = table(2);
    const d = t.describe();
    const held = worker.run('hold', { table: d, row: 0 });
    await waitWhile(t.column('sync'), 0, 0);
    const queued = worker.run('sum', { table: d, range: { start: 0, end: 2 } });
    expect(pool.inFlight).toBe(2);
    await expect(worker.runChunks('sum', 2, (range) => ({ table: d, range }), { chunks: 2 })).rejects.toMatchObject({ code: PoolErrorCodes.QUEUE_FULL });
    expect(pool.inFlight).toBe(2);
    const last = worker.run('sum', { table: d, range: { start: 0, end: 1 } });
    await expect(worker.run('sum', { table: d, range: { start: 0, end: 1 } })).rejects.toMatchObject({ code: PoolErrorCodes.QUEUE_FULL });
    signal(t.column('sync'), 0, 2);
    const value0 = t.get(0, 'value');
    expect(await Promise.all([held, queued, last])).toEqual([value0, value0 + -value0, value0]);
  });

  it.each([
    ['a bad export name', (w: WorkerModule<typeof sumWorker>) => w.run('' as 'sum', { table: table(1).describe(), range: { start: 0, end: 1 } }), TypeError],
    ['a bad signal', (w: WorkerModule<typeof sumWorker>) => w.run('sum', { table: table(1).describe(), range: { start: 0, end: 1 } }, { signal: {} as AbortSignal }), TypeError],
    ['zero chunks', (w: WorkerModule<typeof sumWorker>) => w.runChunks('sum', 4, (range) => ({ table: table(4).describe(), range }), { chunks: 0 }), RangeError],
    ['a reversed range', (w: WorkerModule<typeof sumWorker>) => w.runChunks('sum', { start: 2, end: 1 }, (range) => ({ table: table(4).describe(), range })), RangeError],
  ])('rejects %s', async (_, call, kind) => {
    const { worker } = open({ threads: 1 });
    await expect(call(worker)).rejects.toThrow(kind);
  });
});

describe('WorkerPool.close', () => {
  it('lets submitted tasks finish, then refuses new runs with CLOSED', async () => {
    const { pool, worker } = open({ threads: 1 });
    const t = table(2);
    const d = t.describe();
    const held = worker.run('hold', { table: d, row: 0 });
    await waitWhile(t.column('sync'), 0, 0);
    const queued = worker.run('sum', { table: d, range: { start: 0, end: 1 } });
    const closing = pool.close();
    expect(pool.closed).toBe(true);
    expect(pool.close()).toBe(closing);
    await expect(worker.run('sum', { table: d, range: { start: 0, end: 1 } })).rejects.toMatchObject({ code: PoolErrorCodes.CLOSED });
    await expect(worker.runChunks('sum', 2, (range) => ({ table: d, range }))).rejects.toMatchObject({ code: PoolErrorCodes.CLOSED });
    signal(t.column('sync'), 0, 2);
    expect(await held).toBe(t.get(0, 'value'));
    expect(await queued).toBe(t.get(0, 'value'));
    await closing;
    expect(pool.inFlight).toBe(0);
  });

  it('with force, rejects running and queued tasks with CLOSED at once', async () => {
    const { pool, worker } = open({ threads: 1 });
    const t = table(1);
    const d = t.describe();
    const held = worker.run('hold', { table: d, row: 0 }).catch((e: unknown) => e);
    await waitWhile(t.column('sync'), 0, 0);
    const queued = worker.run('sum', { table: d, range: { start: 0, end: 1 } }).catch((e: unknown) => e);
    await pool.close({ force: true });
    expect(await held).toMatchObject({ code: PoolErrorCodes.CLOSED });
    expect(await queued).toMatchObject({ code: PoolErrorCodes.CLOSED });
    await expect(worker.run('sum', { table: d, range: { start: 0, end: 1 } })).rejects.toMatchObject({ code: PoolErrorCodes.CLOSED });
  });

  it('refuses bad close options', async () => {
    const { pool } = open({ threads: 1 });
    await expect(pool.close({ force: 'yes' as unknown as boolean })).rejects.toThrow(TypeError);
  });
});

describe('inlineModule', () => {
  it('wraps failures and aborts the same way as the pool', async () => {
    const inline = inlineModule(sumWorker, 'sum-worker(inline)');
    await expect(inline.run('fail', { message: 'boom' })).rejects.toMatchObject({ code: PoolErrorCodes.TASK_FAILED, worker: 'sum-worker(inline)#fail' });
    await expect(inline.run('nope' as 'fail', { message: '' })).rejects.toMatchObject({ code: PoolErrorCodes.TASK_FAILED });
    await expect(inline.run('fail', { message: '' }, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: PoolErrorCodes.ABORTED });
  });
});
