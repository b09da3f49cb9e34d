import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolErrorCodes } from './errors.js';
import { Interner, type InternerDescriptor } from './interner.js';
import { WorkerPool, type WorkerModule } from './pool.js';
import type * as SumWorker from './testdata/sum-worker.js';
import { workerFile } from './worker-file.js';

describe('Interner', () => {
  it('gives dense ids from 0, the same id for the same string, and the string back', () => {
    const i = Interner.create();
    const words = ['zone', 'us-east-1a', '', 'ünïcødé ✓', 'zone', '日本語'];
    const ids = words.map((w) => i.intern(w));
    expect(ids).toEqual([0, 1, 2, 3, 0, 4]);
    expect(i.size).toBe(5);
    expect(ids.map((id) => i.string(id))).toEqual(words);
    expect(i.lookup('us-east-1a')).toBe(1);
    expect(i.lookup('absent')).toBeUndefined();
  });

  it.each([-1, 0.5, 99])('refuses string(%s) with RangeError', (id) => {
    const i = Interner.create();
    i.intern('a');
    expect(() => i.string(id)).toThrow(RangeError);
  });

  it('since(n) lists what a peer that knows n strings lacks', () => {
    const i = Interner.create();
    for (const s of ['a', 'b', 'c']) i.intern(s);
    expect(i.since(0)).toEqual(['a', 'b', 'c']);
    expect(i.since(2)).toEqual(['c']);
    expect(i.since(3)).toEqual([]);
    expect(() => i.since(-1)).toThrow(RangeError);
  });

  it.each([
    ['capacity', { capacity: 0 }, RangeError],
    ['bytes', { bytes: 1.5 }, RangeError],
    ['capacity', { capacity: '8' }, TypeError],
  ])('refuses a bad %s option', (_, options, kind) => {
    expect(() => Interner.create(options as never)).toThrow(kind);
  });
});

describe('Interner replicas', () => {
  it('decode only the strings published since their last sync, across buffer growth', () => {
    const owner = Interner.create({ capacity: 1, bytes: 1 });
    for (const s of ['a', 'bb', 'ccc']) owner.intern(s);
    const replica = Interner.attach(owner.describe());
    expect(replica.owner).toBe(false);
    expect(replica.sync()).toBe(3);
    expect(replica.sync()).toBe(0);

    const before = owner.describe();
    for (let n = 0; n < 500; n++) owner.intern(`label-${n}-✓`);
    expect(owner.describe()).not.toBe(before);
    // The replica on the old buffers still reads a consistent prefix.
    expect(replica.sync()).toBe(0);

    const again = Interner.attach(owner.describe());
    expect(again).toBe(replica);
    expect(again.sync()).toBe(500);
    expect(again.string(3 + 499)).toBe('label-499-✓');
    expect(again.lookup('bb')).toBe(1);
  });

  it('sync on demand when a lookup misses', () => {
    const owner = Interner.create();
    const replica = Interner.attach(owner.describe());
    owner.intern('x');
    owner.intern('y');
    expect(replica.lookup('y')).toBe(1);
    expect(replica.string(0)).toBe('x');
    expect(replica.size).toBe(2);
  });

  it('may look up but not add strings', () => {
    const owner = Interner.create();
    owner.intern('known');
    const replica = Interner.attach(owner.describe());
    expect(replica.intern('known')).toBe(0);
    expect(() => replica.intern('new')).toThrow(expect.objectContaining({ code: PoolErrorCodes.NOT_OWNER }));
  });

  it.each([
    ['not a descriptor', { kind: 'plugd.columns' }],
    ['plain ArrayBuffers', { kind: 'plugd.interner', id: 'x', offsets: new ArrayBuffer(8), bytes: new ArrayBuffer(8) }],
    ['a misaligned offsets buffer', { kind: 'plugd.interner', id: 'x', offsets: new SharedArrayBuffer(10), bytes: new SharedArrayBuffer(8) }],
  ])('refuses %s with LAYOUT_MISMATCH', (_, descriptor) => {
    expect(() => Interner.attach(descriptor as unknown as InternerDescriptor)).toThrow(expect.objectContaining({ code: PoolErrorCodes.LAYOUT_MISMATCH }));
  });

  it('refuses a table whose count runs past its offsets', () => {
    const owner = Interner.create({ capacity: 2 });
    const d = owner.describe();
    new Uint32Array(d.offsets)[0] = 99;
    expect(() => Interner.attach(d).sync()).toThrow(expect.objectContaining({ code: PoolErrorCodes.LAYOUT_MISMATCH }));
  });
});

describe('Interner across a worker thread', () => {
  let pool: WorkerPool;
  let worker: WorkerModule<typeof SumWorker>;
  beforeAll(() => {
    // One thread, so consecutive tasks meet the same replica.
    pool = new WorkerPool({ threads: 1 });
    worker = pool.bind<typeof SumWorker>(workerFile('./testdata/sum-worker.js', import.meta.url));
  });
  afterAll(() => pool.close());

  it('a worker replica syncs incrementally and agrees with the owner on every id', async () => {
    const owner = Interner.create({ capacity: 2, bytes: 8 });
    const first = ['node-role.kubernetes.io/control-plane', 'zone', 'us-east-1a'];
    first.forEach((s) => owner.intern(s));
    expect(await worker.run('internerSync', { interner: owner.describe(), strings: first, ids: [0, 1, 2] })).toEqual({
      decoded: 3,
      size: 3,
      ids: [0, 1, 2],
      strings: first,
    });

    const more = ['gpu', 'nvidia.com/gpu ✓'];
    more.forEach((s) => owner.intern(s));
    expect(await worker.run('internerSync', { interner: owner.describe(), strings: [...more, 'absent'], ids: [4, 0] })).toEqual({
      decoded: 2,
      size: 5,
      ids: [3, 4, null],
      strings: [more[1], first[0]],
    });
  });
});
