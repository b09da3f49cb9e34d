/**
 * Interner: strings (label keys and values, taint keys…) to small stable integer ids, so
 * columns and per-task messages carry ints and workers compare ints. The table lives in shared
 * memory, append-only: a worker's replica decodes only the strings added since it last looked,
 * whichever thread ran the previous task. Thread-side safe: imports only node:buffer and ./errors.js.
 *
 * Layout: `offsets` is a Uint32Array [count, end_0, end_1, …] (string i is bytes end_{i-1}..end_i
 * of `bytes`, UTF-8). The owner writes the bytes and the end, then publishes with
 * Atomics.store(count): a reader that Atomics.loads the count sees every string below it.
 * Two buffers, not one: strings and bytes grow at different rates, and a replica holding old
 * buffers still reads a consistent (older) prefix.
 */
import { Buffer } from 'node:buffer';
import { PoolError, PoolErrorCodes } from './errors.js';

/** What a worker needs to attach a replica: plain data plus the two SharedArrayBuffers. */
export interface InternerDescriptor {
  readonly kind: 'plugd.interner';
  readonly id: string;
  readonly offsets: SharedArrayBuffer;
  readonly bytes: SharedArrayBuffer;
}

export interface CreateInternerOptions {
  /** Strings to allocate room for up front. Default 256. */
  capacity?: number;
  /** UTF-8 bytes to allocate up front. Default 4096. */
  bytes?: number;
}

const COUNT = 0;
/** Replicas kept per thread (one per interner a worker has been sent). */
const MAX_REPLICAS = 64;
const replicas = new Map<string, Interner>();

function positiveInt(v: unknown, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number') throw new TypeError(`${what} must be a number`);
  if (!Number.isInteger(v) || v < 1 || v > 2 ** 30) throw new RangeError(`${what} must be an integer in [1, 2^30], got ${v}`);
  return v;
}

export class Interner {
  readonly id: string;
  /** True for the interner create() made; replicas only look strings up. */
  readonly owner: boolean;
  #offsets: Uint32Array<SharedArrayBuffer>;
  #bytes: Buffer;
  #byteEnd = 0;
  /** Strings known to this thread, by id: all of them for the owner, those decoded so far for a replica. */
  readonly #strings: string[] = [];
  readonly #ids = new Map<string, number>();
  #descriptor: InternerDescriptor | undefined;

  private constructor(id: string, owner: boolean, offsets: SharedArrayBuffer, bytes: SharedArrayBuffer) {
    this.id = id;
    this.owner = owner;
    this.#offsets = new Uint32Array(offsets);
    this.#bytes = Buffer.from(bytes);
  }

  /** A new, empty interner owned by the calling thread. */
  static create(options: CreateInternerOptions = {}): Interner {
    const capacity = positiveInt(options.capacity, 'options.capacity', 256);
    const bytes = positiveInt(options.bytes, 'options.bytes', 4096);
    return new Interner(globalThis.crypto.randomUUID(), true, new SharedArrayBuffer(4 * (capacity + 1)), new SharedArrayBuffer(bytes));
  }

  /**
   * This thread's replica of a described interner, without copying the table. Attaching the
   * same interner again returns the same replica, moved onto the descriptor's buffers, so the
   * strings it already decoded are kept and only newer ones are ever decoded.
   */
  static attach(descriptor: InternerDescriptor): Interner {
    const d: Partial<InternerDescriptor> | null = descriptor;
    const mismatch = (why: string): PoolError => new PoolError(PoolErrorCodes.LAYOUT_MISMATCH, `Interner.attach: ${why}`);
    if (d === null || typeof d !== 'object' || d.kind !== 'plugd.interner' || typeof d.id !== 'string') throw mismatch('not an Interner descriptor');
    if (!(d.offsets instanceof SharedArrayBuffer) || !(d.bytes instanceof SharedArrayBuffer) || d.offsets.byteLength < 8 || d.offsets.byteLength % 4 !== 0) {
      throw mismatch('malformed buffers');
    }
    let replica = replicas.get(d.id);
    if (replica === undefined) {
      replica = new Interner(d.id, false, d.offsets, d.bytes);
    } else {
      replicas.delete(d.id);
      replica.#offsets = new Uint32Array(d.offsets);
      replica.#bytes = Buffer.from(d.bytes);
    }
    replicas.set(d.id, replica);
    if (replicas.size > MAX_REPLICAS) replicas.delete(replicas.keys().next().value!);
    return replica;
  }

  /** Strings interned so far (for a replica: published by the owner, decoded or not). */
  get size(): number {
    return Atomics.load(this.#offsets, COUNT);
  }

  /** The id of `s`, adding it if new. Owner only. Ids are dense from 0 and never change. */
  intern(s: string): number {
    const known = this.owner ? this.#ids.get(s) : this.lookup(s);
    if (known !== undefined) return known;
    if (!this.owner) throw new PoolError(PoolErrorCodes.NOT_OWNER, `Interner.intern: only the owner may add strings to interner ${this.id}`);
    if (typeof s !== 'string') throw new TypeError(`Interner.intern takes a string, got ${typeof s}`);
    const id = this.#strings.length;
    const end = this.#byteEnd + Buffer.byteLength(s, 'utf8');
    if (end > 0xffff_ffff) throw new RangeError('Interner: more than 4 GiB of strings');
    if (end > this.#bytes.length) this.#growBytes(end);
    if (id + 2 > this.#offsets.length) this.#growOffsets(id + 2);
    this.#bytes.write(s, this.#byteEnd, 'utf8');
    this.#byteEnd = end;
    this.#offsets[id + 1] = end;
    // Publishes the string: everything written above is visible to a reader that loads the count.
    Atomics.store(this.#offsets, COUNT, id + 1);
    this.#strings.push(s);
    this.#ids.set(s, id);
    return id;
  }

  /** The id of `s`, or undefined if it was never interned. */
  lookup(s: string): number | undefined {
    return this.#ids.get(s) ?? (this.sync() > 0 ? this.#ids.get(s) : undefined);
  }

  /** The string with id `id`; RangeError if there is none. */
  string(id: number): string {
    if (!Number.isInteger(id) || id < 0) throw new RangeError(`Interner ids are non-negative integers, got ${id}`);
    if (id >= this.#strings.length) this.sync();
    const s = this.#strings[id];
    if (s === undefined) throw new RangeError(`Interner ${this.id} has no string with id ${id}`);
    return s;
  }

  /** Strings with ids from `from` on, in id order: what a peer that knows `from` strings lacks. */
  since(from: number): string[] {
    if (!Number.isInteger(from) || from < 0) throw new RangeError(`from must be a non-negative integer, got ${from}`);
    this.sync();
    return this.#strings.slice(from);
  }

  /** Decodes the strings published since the last sync; returns how many (always 0 for the owner). */
  sync(): number {
    if (this.owner) return 0;
    const offsets = this.#offsets;
    const count = Atomics.load(offsets, COUNT);
    const from = this.#strings.length;
    if (count + 1 > offsets.length) throw new PoolError(PoolErrorCodes.LAYOUT_MISMATCH, `Interner ${this.id}: count ${count} exceeds the offsets table`);
    for (let i = from; i < count; i++) {
      const start = i === 0 ? 0 : offsets[i]!;
      const end = offsets[i + 1]!;
      if (end < start || end > this.#bytes.length) throw new PoolError(PoolErrorCodes.LAYOUT_MISMATCH, `Interner ${this.id}: string ${i} lies outside the byte table`);
      const s = this.#bytes.toString('utf8', start, end);
      this.#strings.push(s);
      this.#ids.set(s, i);
    }
    return count - from;
  }

  /** The descriptor of the current buffers (the same object until the table grows). */
  describe(): InternerDescriptor {
    this.#descriptor ??= Object.freeze({
      kind: 'plugd.interner',
      id: this.id,
      offsets: this.#offsets.buffer,
      bytes: this.#bytes.buffer as SharedArrayBuffer,
    });
    return this.#descriptor;
  }

  #growBytes(min: number): void {
    const next = Buffer.from(new SharedArrayBuffer(Math.min(0xffff_ffff, Math.max(min, this.#bytes.length * 2))));
    this.#bytes.copy(next, 0, 0, this.#byteEnd);
    this.#bytes = next;
    this.#descriptor = undefined;
  }

  #growOffsets(min: number): void {
    const next = new Uint32Array(new SharedArrayBuffer(4 * Math.max(min, this.#offsets.length * 2)));
    next.set(this.#offsets.subarray(0, this.#strings.length + 1));
    this.#offsets = next;
    this.#descriptor = undefined;
  }
}
