/**
 * SharedColumns: a table of fixed-width typed columns in one SharedArrayBuffer, written by its
 * owner (the main thread) and read by worker threads that attach to it without copying.
 * Thread-side safe: imports only ./errors.js.
 *
 * Layout of the buffer (offsets follow from schema + capacity, so a descriptor carries none):
 *   header  4 × uint32: [length, generation, retired, reserved]
 *   then each column in schema order, `capacity` elements, starting on an 8-byte boundary.
 * One buffer rather than one per column: every column grows together anyway, so growth is
 * one allocation, a descriptor holds one buffer, the header (length, generation, retired)
 * lives with the data it describes, and the whole table is one contiguous block that can be
 * handed on as a single `bytes` value.
 */
import { PoolError, PoolErrorCodes } from './errors.js';

/** The element types a column may have. */
export type ColumnType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64' | 'bigint64' | 'biguint64';

/** The view `column()` returns for each column type. */
export interface ColumnArrays {
  int8: Int8Array<SharedArrayBuffer>;
  uint8: Uint8Array<SharedArrayBuffer>;
  int16: Int16Array<SharedArrayBuffer>;
  uint16: Uint16Array<SharedArrayBuffer>;
  int32: Int32Array<SharedArrayBuffer>;
  uint32: Uint32Array<SharedArrayBuffer>;
  float32: Float32Array<SharedArrayBuffer>;
  float64: Float64Array<SharedArrayBuffer>;
  bigint64: BigInt64Array<SharedArrayBuffer>;
  biguint64: BigUint64Array<SharedArrayBuffer>;
}

/** A view constructor and element size per column type. */
const VIEWS: { readonly [T in ColumnType]: { readonly bytes: number; make(b: SharedArrayBuffer, offset: number, length: number): ColumnArrays[T] } } = {
  int8: { bytes: 1, make: (b, o, n) => new Int8Array(b, o, n) },
  uint8: { bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  int16: { bytes: 2, make: (b, o, n) => new Int16Array(b, o, n) },
  uint16: { bytes: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  int32: { bytes: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  uint32: { bytes: 4, make: (b, o, n) => new Uint32Array(b, o, n) },
  float32: { bytes: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  float64: { bytes: 8, make: (b, o, n) => new Float64Array(b, o, n) },
  bigint64: { bytes: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
  biguint64: { bytes: 8, make: (b, o, n) => new BigUint64Array(b, o, n) },
};

export type ColumnArray<T extends ColumnType> = ColumnArrays[T];
export type ColumnValue<T extends ColumnType> = T extends 'bigint64' | 'biguint64' ? bigint : number;

/** Column name → element type; the order of the keys is the order of the columns. */
export type ColumnSchema = { readonly [name: string]: ColumnType };

/**
 * What a worker needs to attach: plain data plus the SharedArrayBuffer, so structured cloning
 * it costs the same whatever the table's size. Describes one layout: after the owner grows the
 * table, a new descriptor (new buffer, next `layout`) must be sent.
 */
export interface ColumnsDescriptor<S extends ColumnSchema = ColumnSchema> {
  readonly kind: 'plugd.columns';
  /** Identifies the table across layouts. */
  readonly id: string;
  /** Counts reallocations: two descriptors of one table with the same layout share a buffer. */
  readonly layout: number;
  readonly schema: S;
  readonly capacity: number;
  readonly buffer: SharedArrayBuffer;
}

export interface CreateColumnsOptions {
  /** Rows to allocate up front. Default 64; the table doubles as rows are added. */
  capacity?: number;
}

/** Most rows a table may hold. */
export const MAX_CAPACITY = 2 ** 30;
const DEFAULT_CAPACITY = 64;
const HEADER_BYTES = 16;
const LENGTH = 0;
const GENERATION = 1;
const RETIRED = 2;

const INT_BOUNDS: { readonly [T in ColumnType]?: readonly [number, number] } = {
  int8: [-0x80, 0x7f],
  uint8: [0, 0xff],
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x8000_0000, 0x7fff_ffff],
  uint32: [0, 0xffff_ffff],
};
const BIGINT_BOUNDS: { readonly [T in ColumnType]?: readonly [bigint, bigint] } = {
  bigint64: [-(2n ** 63n), 2n ** 63n - 1n],
  biguint64: [0n, 2n ** 64n - 1n],
};

type AnyColumnArray = ColumnArrays[ColumnType];
/** Element access over any column array; the value's kind is checked before each write. */
type Cells = { [row: number]: number | bigint };

interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** Bytes per element. */
  readonly size: number;
  /** Where the column starts in the current buffer. */
  offset: number;
  array: AnyColumnArray;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Byte offset of each column and the total size, for a schema at a capacity. */
function layoutOf(schema: ColumnSchema, capacity: number): { offsets: number[]; byteLength: number } {
  const offsets: number[] = [];
  let at = HEADER_BYTES;
  for (const type of Object.values(schema)) {
    at = align8(at);
    offsets.push(at);
    at += capacity * VIEWS[type].bytes;
  }
  return { offsets, byteLength: align8(at) };
}

function checkSchema<S extends ColumnSchema>(schema: S, what: string): S {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw new TypeError(`${what} must be an object of column name → type`);
  const entries = Object.entries(schema);
  if (entries.length === 0) throw new TypeError(`${what} must name at least one column`);
  for (const [name, type] of entries) {
    if (name === '') throw new TypeError(`${what}: a column name must not be empty`);
    if (typeof type !== 'string' || !Object.hasOwn(VIEWS, type)) {
      throw new TypeError(`${what}.${name}: unknown column type ${JSON.stringify(type)} (one of ${Object.keys(VIEWS).join(', ')})`);
    }
  }
  return Object.freeze(Object.fromEntries(entries)) as S;
}

function checkCapacity(capacity: unknown, what: string): number {
  if (typeof capacity !== 'number') throw new TypeError(`${what} must be a number`);
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_CAPACITY) {
    throw new RangeError(`${what} must be an integer in [0, ${MAX_CAPACITY}], got ${capacity}`);
  }
  return capacity;
}

function sameSchema(a: ColumnSchema, b: ColumnSchema): boolean {
  const ea = Object.entries(a);
  const eb = Object.entries(b);
  return ea.length === eb.length && ea.every(([n, t], i) => eb[i]![0] === n && eb[i]![1] === t);
}

export class SharedColumns<S extends ColumnSchema> {
  /** The column names and types, frozen. */
  readonly schema: S;
  /** Identifies the table across layouts (the same in the owner and every attached copy). */
  readonly id: string;
  /** True for the table create() made; attached copies may read and set cells, not resize. */
  readonly owner: boolean;
  #buffer: SharedArrayBuffer;
  #header: Uint32Array<SharedArrayBuffer>;
  #columns = new Map<string, Column>();
  #capacity: number;
  #layout: number;
  #descriptor: ColumnsDescriptor<S> | undefined;

  private constructor(schema: S, id: string, owner: boolean, buffer: SharedArrayBuffer, capacity: number, layout: number) {
    this.schema = schema;
    this.id = id;
    this.owner = owner;
    this.#buffer = buffer;
    this.#header = new Uint32Array(buffer, 0, HEADER_BYTES / 4);
    this.#capacity = capacity;
    this.#layout = layout;
    this.#mapColumns();
  }

  /** A new, empty table (length 0) owned by the calling thread. */
  static create<const S extends ColumnSchema>(schema: S, options: CreateColumnsOptions = {}): SharedColumns<S> {
    const checked = checkSchema(schema, 'schema');
    const capacity = checkCapacity(options.capacity ?? DEFAULT_CAPACITY, 'options.capacity');
    const buffer = new SharedArrayBuffer(layoutOf(checked, capacity).byteLength);
    return new SharedColumns(checked, globalThis.crypto.randomUUID(), true, buffer, capacity, 0);
  }

  /**
   * Views over a described table's memory, without copying: writes on either side are seen by
   * the other. Pass `expected` (the schema the caller was compiled against) to refuse a
   * descriptor of another shape with LAYOUT_MISMATCH.
   */
  static attach<S extends ColumnSchema>(descriptor: ColumnsDescriptor<S>, expected?: S): SharedColumns<S> {
    const d: Partial<ColumnsDescriptor<S>> | null = descriptor;
    const mismatch = (why: string): PoolError => new PoolError(PoolErrorCodes.LAYOUT_MISMATCH, `SharedColumns.attach: ${why}`);
    if (d === null || typeof d !== 'object' || d.kind !== 'plugd.columns') throw mismatch('not a SharedColumns descriptor');
    if (typeof d.id !== 'string' || typeof d.layout !== 'number' || !(d.buffer instanceof SharedArrayBuffer)) throw mismatch('malformed descriptor');
    const schema = checkSchema(d.schema as S, 'descriptor.schema');
    const capacity = checkCapacity(d.capacity, 'descriptor.capacity');
    const want = layoutOf(schema, capacity).byteLength;
    if (d.buffer.byteLength !== want) throw mismatch(`buffer holds ${d.buffer.byteLength} bytes, the layout needs ${want}`);
    if (expected !== undefined && !sameSchema(schema, expected)) {
      throw mismatch(`schema ${JSON.stringify(schema)} is not the expected ${JSON.stringify(expected)}`);
    }
    return new SharedColumns(schema, d.id, false, d.buffer, capacity, d.layout);
  }

  /** Rows in use (live: read from shared memory). */
  get length(): number {
    return Atomics.load(this.#header, LENGTH);
  }

  /** Rows the current buffer can hold. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Counts reallocations; views from column() are valid only within one layout. */
  get layout(): number {
    return this.#layout;
  }

  /**
   * Bumped (in shared memory) by every change made through this API and by bump(). Wraps at
   * 2^32: compare generations for equality only.
   */
  get generation(): number {
    return Atomics.load(this.#header, GENERATION);
  }

  /** True once the owner has moved the table to a bigger buffer: this copy sees no later writes. */
  get retired(): boolean {
    return Atomics.load(this.#header, RETIRED) === 1;
  }

  /** Records a change made by writing into column() views directly; returns the new generation. */
  bump(): number {
    return (Atomics.add(this.#header, GENERATION, 1) + 1) >>> 0;
  }

  /**
   * The column's typed array over shared memory, `capacity` long (rows past `length` are zero).
   * Valid until the table grows (see `layout`); writes through it should be followed by bump().
   */
  column<K extends keyof S & string>(name: K): ColumnArray<S[K]> {
    return this.#column(name).array as ColumnArray<S[K]>;
  }

  get<K extends keyof S & string>(row: number, name: K): ColumnValue<S[K]> {
    const column = this.#column(name);
    this.#checkRow(row);
    return (column.array as Cells)[row] as ColumnValue<S[K]>;
  }

  /** Writes one cell of a row in use, checking the value fits the column exactly. */
  set<K extends keyof S & string>(row: number, name: K, value: ColumnValue<S[K]>): void {
    const column = this.#column(name);
    this.#checkRow(row);
    checkValue(column, value);
    (column.array as Cells)[row] = value;
    this.bump();
  }

  /** Sets the number of rows in use: new rows read zero; growing past capacity reallocates. */
  resize(length: number): void {
    this.#mustOwn('resize');
    checkCapacity(length, 'length');
    const old = this.length;
    if (length > this.#capacity) this.#grow(length);
    // Rows past `length` are kept zero, so a row that comes back into use starts clean.
    if (length < old) for (const c of this.#columns.values()) this.#bytes(c, length, old).fill(0);
    Atomics.store(this.#header, LENGTH, length);
    this.bump();
  }

  /** Appends one zeroed row and returns its index. */
  addRow(): number {
    const row = this.length;
    this.resize(row + 1);
    return row;
  }

  /**
   * Removes a row by moving the last row into its place. Returns the former index of the row
   * that moved (now at `row`), or -1 when `row` was the last one.
   */
  swapRemove(row: number): number {
    this.#mustOwn('swapRemove');
    this.#checkRow(row);
    const last = this.length - 1;
    if (row !== last) for (const c of this.#columns.values()) (c.array as Cells)[row] = (c.array as Cells)[last]!;
    this.resize(last);
    return row === last ? -1 : last;
  }

  /** Ensures room for `capacity` rows without further reallocation. */
  reserve(capacity: number): void {
    this.#mustOwn('reserve');
    checkCapacity(capacity, 'capacity');
    if (capacity > this.#capacity) this.#grow(capacity, true);
  }

  /** The descriptor of the current layout (the same object until the table grows). */
  describe(): ColumnsDescriptor<S> {
    this.#descriptor ??= Object.freeze({
      kind: 'plugd.columns',
      id: this.id,
      layout: this.#layout,
      schema: this.schema,
      capacity: this.#capacity,
      buffer: this.#buffer,
    });
    return this.#descriptor;
  }

  #column(name: string): Column {
    const column = this.#columns.get(name);
    if (column === undefined) throw new TypeError(`no column ${JSON.stringify(name)} (columns: ${[...this.#columns.keys()].join(', ')})`);
    return column;
  }

  #checkRow(row: number): void {
    // Typed arrays drop out-of-range writes silently; refuse them instead.
    if (!Number.isInteger(row) || row < 0 || row >= this.length) throw new RangeError(`row ${row} is outside the ${this.length} rows in use`);
  }

  #mustOwn(what: string): void {
    if (!this.owner) throw new PoolError(PoolErrorCodes.NOT_OWNER, `SharedColumns.${what}: only the owner may change the layout of table ${this.id}`);
  }

  #mapColumns(): void {
    const { offsets } = layoutOf(this.schema, this.#capacity);
    Object.entries(this.schema).forEach(([name, type], i) => {
      const offset = offsets[i]!;
      const array: AnyColumnArray = VIEWS[type].make(this.#buffer, offset, this.#capacity);
      const column = this.#columns.get(name);
      if (column) Object.assign(column, { offset, array });
      else this.#columns.set(name, { name, type, size: VIEWS[type].bytes, offset, array });
    });
  }

  /** The bytes of rows [from, to) of a column in `buffer` at `offset` (default: the current ones). */
  #bytes(c: Column, from: number, to: number, buffer = this.#buffer, offset = c.offset): Uint8Array<SharedArrayBuffer> {
    return new Uint8Array(buffer, offset + from * c.size, (to - from) * c.size);
  }

  /** Moves to a bigger buffer; workers see it with the next descriptor they are sent. */
  #grow(min: number, exact = false): void {
    const capacity = exact ? min : Math.min(MAX_CAPACITY, Math.max(min, this.#capacity * 2, 16));
    const buffer = new SharedArrayBuffer(layoutOf(this.schema, capacity).byteLength);
    const oldHeader = this.#header;
    const oldBuffer = this.#buffer;
    const length = Atomics.load(oldHeader, LENGTH);
    const oldOffsets = [...this.#columns.values()].map((c) => c.offset);
    this.#buffer = buffer;
    this.#header = new Uint32Array(buffer, 0, HEADER_BYTES / 4);
    this.#capacity = capacity;
    this.#layout++;
    this.#descriptor = undefined;
    this.#mapColumns();
    [...this.#columns.values()].forEach((c, i) => this.#bytes(c, 0, length).set(this.#bytes(c, 0, length, oldBuffer, oldOffsets[i])));
    Atomics.store(this.#header, LENGTH, length);
    Atomics.store(this.#header, GENERATION, (Atomics.load(oldHeader, GENERATION) + 1) >>> 0);
    Atomics.store(oldHeader, RETIRED, 1);
  }
}

function isBig(type: ColumnType): boolean {
  return type === 'bigint64' || type === 'biguint64';
}

function checkValue(column: Column, value: unknown): void {
  const where = `column ${column.name} (${column.type})`;
  if (isBig(column.type)) {
    if (typeof value !== 'bigint') throw new TypeError(`${where} takes a bigint, got ${typeof value}`);
    const [lo, hi] = BIGINT_BOUNDS[column.type]!;
    if (value < lo || value > hi) throw new RangeError(`${where}: ${value} is out of range [${lo}, ${hi}]`);
    return;
  }
  if (typeof value !== 'number') throw new TypeError(`${where} takes a number, got ${typeof value}`);
  const bounds = INT_BOUNDS[column.type];
  if (bounds && (!Number.isInteger(value) || value < bounds[0] || value > bounds[1])) {
    throw new RangeError(`${where}: ${value} is not an integer in [${bounds[0]}, ${bounds[1]}]`);
  }
}
