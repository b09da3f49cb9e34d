import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedColumns, type ColumnSchema, type ColumnsDescriptor } from './columns.js';
import { PoolErrorCodes } from './errors.js';
import { WorkerPool, type WorkerModule } from './pool.js';
import { SUM_SCHEMA } from './testdata/sum-worker.js';
import type * as SumWorker from './testdata/sum-worker.js';
import { signal, waitWhile } from './testdata/wait.js';
import { workerFile } from './worker-file.js';

describe('SharedColumns schema and options', () => {
  it.each([
    ['null', null, TypeError],
    ['an array', ['int8'], TypeError],
    ['no columns', {}, TypeError],
    ['an unknown type', { a: 'int128' }, TypeError],
    ['an empty name', { '': 'int8' }, TypeError],
  ])('refuses a schema with %s', (_, schema, kind) => {
    expect(() => SharedColumns.create(schema as unknown as ColumnSchema)).toThrow(kind);
  });

  it.each([
    [-1, RangeError],
    [1.5, RangeError],
    [2 ** 31, RangeError],
    ['3', TypeError],
  ])('refuses capacity %s', (capacity, kind) => {
    expect(() => SharedColumns.create({ a: 'int8' }, { capacity: capacity as number })).toThrow(kind);
  });

  it('starts empty with the requested capacity and a frozen schema', () => {
    const t = SharedColumns.create({ a: 'int8', b: 'float64' }, { capacity: 10 });
    expect([t.length, t.capacity, t.layout, t.owner]).toEqual([0, 10, 0, true]);
    expect(Object.isFrozen(t.schema)).toBe(true);
    expect(Object.keys(t.schema)).toEqual(['a', 'b']);
  });
});

describe('SharedColumns cells', () => {
  const schema = { u8: 'uint8', f64: 'float64', u16: 'uint16', i64: 'bigint64', i32: 'int32', u32: 'uint32', u64: 'biguint64', i8: 'int8' } as const;

  it('aligns every column to its element size and keeps columns apart', () => {
    const t = SharedColumns.create(schema, { capacity: 3 });
    t.resize(3);
    for (const name of Object.keys(schema) as (keyof typeof schema)[]) {
      const col = t.column(name);
      expect(col.byteOffset % col.BYTES_PER_ELEMENT).toBe(0);
      expect(col.length).toBe(3);
    }
    for (let r = 0; r < 3; r++) {
      t.set(r, 'u8', 250 + r);
      t.set(r, 'f64', r + 0.5);
      t.set(r, 'u16', 65_000 + r);
      t.set(r, 'i64', -(2n ** 62n) - BigInt(r));
      t.set(r, 'i32', -(2 ** 31) + r);
      t.set(r, 'u32', 2 ** 32 - 1 - r);
      t.set(r, 'u64', 2n ** 64n - 1n - BigInt(r));
      t.set(r, 'i8', -128 + r);
    }
    for (let r = 0; r < 3; r++) {
      expect([t.get(r, 'u8'), t.get(r, 'f64'), t.get(r, 'u16'), t.get(r, 'i32'), t.get(r, 'u32'), t.get(r, 'i8')]).toEqual([
        250 + r, r + 0.5, 65_000 + r, -(2 ** 31) + r, 2 ** 32 - 1 - r, -128 + r,
      ]);
      expect([t.get(r, 'i64'), t.get(r, 'u64')]).toEqual([-(2n ** 62n) - BigInt(r), 2n ** 64n - 1n - BigInt(r)]);
    }
  });

  it.each([
    ['int8 above its range', 'i8', 128, RangeError],
    ['uint8 below zero', 'u8', -1, RangeError],
    ['uint32 past 2^32 - 1', 'u32', 2 ** 32, RangeError],
    ['a fraction in an int32 column', 'i32', 1.5, RangeError],
    ['NaN in an int32 column', 'i32', NaN, RangeError],
    ['a number in a bigint64 column', 'i64', 5, TypeError],
    ['a bigint in a float64 column', 'f64', 5n, TypeError],
    ['a negative biguint64', 'u64', -1n, RangeError],
    ['a bigint64 past 2^63 - 1', 'i64', 2n ** 63n, RangeError],
  ])('refuses %s', (_, column, value, kind) => {
    const t = SharedColumns.create(schema);
    t.addRow();
    expect(() => t.set(0, column as 'i32', value as number)).toThrow(kind);
    expect(t.get(0, column as 'i32')).toBe(column === 'i64' || column === 'u64' ? 0n : 0);
  });

  it('accepts any number in float columns', () => {
    const t = SharedColumns.create({ f: 'float64' });
    t.addRow();
    for (const v of [1.5, -0, Infinity, 2 ** 53]) {
      t.set(0, 'f', v);
      expect(t.get(0, 'f')).toBe(v);
    }
  });

  it.each([
    ['a row past length', 1],
    ['a negative row', -1],
    ['a fractional row', 0.5],
  ])('refuses %s instead of dropping the write', (_, row) => {
    const t = SharedColumns.create({ a: 'int32' }, { capacity: 8 });
    t.addRow();
    expect(() => t.set(row, 'a', 1)).toThrow(RangeError);
    expect(() => t.get(row, 'a')).toThrow(RangeError);
  });

  it('refuses an unknown column', () => {
    const t = SharedColumns.create({ a: 'int32' });
    t.addRow();
    expect(() => t.set(0, 'b' as 'a', 1)).toThrow(TypeError);
  });
});

describe('SharedColumns rows, generation and growth', () => {
  it('bumps the generation on every change made through the API', () => {
    const t = SharedColumns.create({ a: 'int32' });
    const g0 = t.generation;
    const row = t.addRow();
    const g1 = t.generation;
    t.set(row, 'a', 7);
    const g2 = t.generation;
    t.column('a')[row] = 8;
    const g3 = t.bump();
    expect(new Set([g0, g1, g2, g3]).size).toBe(4);
    expect(t.generation).toBe(g3);
  });

  it('grows past capacity keeping the data, and retires the old buffer', () => {
    const t = SharedColumns.create({ a: 'int32', b: 'float64' }, { capacity: 2 });
    t.addRow();
    t.addRow();
    t.set(0, 'a', 11);
    t.set(1, 'b', 2.5);
    const before = t.describe();
    expect(t.describe()).toBe(before);
    const old = SharedColumns.attach(before);

    const row = t.addRow();
    expect(row).toBe(2);
    expect(t.capacity).toBeGreaterThanOrEqual(3);
    expect(t.layout).toBe(1);
    expect([t.get(0, 'a'), t.get(1, 'b'), t.get(2, 'a')]).toEqual([11, 2.5, 0]);
    const after = t.describe();
    expect(after).not.toBe(before);
    expect(after.buffer).not.toBe(before.buffer);
    expect([after.layout, after.capacity]).toEqual([1, t.capacity]);
    expect(old.retired).toBe(true);
    expect(t.retired).toBe(false);
  });

  it('reserve() grows to exactly the capacity asked for', () => {
    const t = SharedColumns.create({ a: 'uint8' }, { capacity: 1 });
    t.reserve(1000);
    expect(t.capacity).toBe(1000);
    t.reserve(10);
    expect(t.capacity).toBe(1000);
  });

  it('zeroes the rows a shrink removes, so they come back clean', () => {
    const t = SharedColumns.create({ a: 'int32', big: 'bigint64' }, { capacity: 4 });
    t.resize(3);
    t.set(2, 'a', 5);
    t.set(2, 'big', 6n);
    t.resize(2);
    expect(t.length).toBe(2);
    t.resize(3);
    expect([t.get(2, 'a'), t.get(2, 'big')]).toEqual([0, 0n]);
  });

  it('swapRemove moves the last row into the hole', () => {
    const t = SharedColumns.create({ a: 'int32' });
    for (const v of [10, 20, 30]) t.set(t.addRow(), 'a', v);
    expect(t.swapRemove(0)).toBe(2);
    expect([t.length, t.get(0, 'a'), t.get(1, 'a')]).toEqual([2, 30, 20]);
    expect(t.swapRemove(1)).toBe(-1);
    expect([t.length, t.get(0, 'a')]).toEqual([1, 30]);
    expect(t.column('a')[1]).toBe(0);
  });
});

describe('SharedColumns.attach', () => {
  it('shares memory with the owner, both ways', () => {
    const t = SharedColumns.create({ a: 'int32' });
    t.addRow();
    const copy = SharedColumns.attach(t.describe(), { a: 'int32' });
    expect([copy.owner, copy.id, copy.length]).toEqual([false, t.id, 1]);
    t.set(0, 'a', 3);
    expect(copy.get(0, 'a')).toBe(3);
    copy.set(0, 'a', 4);
    expect(t.get(0, 'a')).toBe(4);
    expect(copy.generation).toBe(t.generation);
  });

  it.each([
    ['resize', (c: SharedColumns<{ a: 'int32' }>) => c.resize(5)],
    ['addRow', (c: SharedColumns<{ a: 'int32' }>) => c.addRow()],
    ['reserve', (c: SharedColumns<{ a: 'int32' }>) => c.reserve(500)],
    ['swapRemove', (c: SharedColumns<{ a: 'int32' }>) => c.swapRemove(0)],
  ])('refuses %s on an attached copy with NOT_OWNER', (_, change) => {
    const t = SharedColumns.create({ a: 'int32' });
    t.addRow();
    const copy = SharedColumns.attach(t.describe());
    expect(() => change(copy)).toThrow(expect.objectContaining({ code: PoolErrorCodes.NOT_OWNER }));
  });

  const good = SharedColumns.create({ a: 'int32', b: 'float64' }, { capacity: 4 }).describe();
  it.each([
    ['not a descriptor', { kind: 'other' }],
    ['a buffer of the wrong size', { ...good, buffer: new SharedArrayBuffer(8) }],
    ['a plain ArrayBuffer', { ...good, buffer: new ArrayBuffer(good.buffer.byteLength) }],
    ['a capacity the buffer cannot hold', { ...good, capacity: 5 }],
  ])('refuses %s with LAYOUT_MISMATCH', (_, descriptor) => {
    expect(() => SharedColumns.attach(descriptor as unknown as ColumnsDescriptor)).toThrow(expect.objectContaining({ code: PoolErrorCodes.LAYOUT_MISMATCH }));
  });

  it('refuses a descriptor of another schema than expected', () => {
    expect(() => SharedColumns.attach(good, { a: 'int32', b: 'float32' } as ColumnSchema)).toThrow(
      expect.objectContaining({ code: PoolErrorCodes.LAYOUT_MISMATCH }),
    );
    expect(() => SharedColumns.attach(good, { b: 'float64', a: 'int32' } as ColumnSchema)).toThrow(
      expect.objectContaining({ code: PoolErrorCodes.LAYOUT_MISMATCH }),
    );
  });
});

describe('SharedColumns across a worker thread', () => {
  let pool: WorkerPool;
  let worker: WorkerModule<typeof SumWorker>;
  beforeAll(() => {
    pool = new WorkerPool({ threads: 1 });
    worker = pool.bind<typeof SumWorker>(workerFile('./testdata/sum-worker.js', import.meta.url));
  });
  afterAll(() => pool.close());

  it('a running task sees writes the main thread makes after describe(), and the main thread sees its writes', async () => {
    const t = SharedColumns.create(SUM_SCHEMA, { capacity: 4 });
    t.resize(2);
    t.set(0, 'value', 1);
    const held = worker.run('hold', { table: t.describe(), row: 0 });
    // The task is now blocked inside the worker: anything it reads from here on was not cloned.
    expect(await waitWhile(t.column('sync'), 0, 0)).toBe(1);
    t.set(0, 'value', 7.25);
    signal(t.column('sync'), 0, 2);
    expect(await held).toBe(7.25);
    expect(t.get(1, 'value')).toBe(-7.25);
  });

  it('sees the header the main thread wrote: length, generation, capacity', async () => {
    const t = SharedColumns.create(SUM_SCHEMA, { capacity: 8 });
    t.resize(5);
    t.bump();
    expect(await worker.run('inspect', { table: t.describe() })).toEqual({ length: 5, capacity: 8, generation: t.generation, retired: false });
  });

  it('growth reaches a worker with the next descriptor; the old one reads as retired', async () => {
    const t = SharedColumns.create(SUM_SCHEMA, { capacity: 4 });
    for (let i = 0; i < 3; i++) t.set(t.addRow(), 'value', i + 1);
    const first = t.describe();
    expect(await worker.run('sum', { table: first, range: { start: 0, end: 3 } })).toBe(6);

    for (let i = 3; i < 100; i++) t.set(t.addRow(), 'value', i + 1);
    const second = t.describe();
    expect(second.layout).toBeGreaterThan(first.layout);
    expect(await worker.run('sum', { table: second, range: { start: 0, end: 100 } })).toBe(5050);
    expect(await worker.run('inspect', { table: first })).toMatchObject({ retired: true, capacity: 4 });
    expect(await worker.run('inspect', { table: second })).toEqual({ length: 100, capacity: t.capacity, generation: t.generation, retired: false });
  });
});
