/**
 * Call time-series per plugin name for the status page: a ring of fixed buckets (10 s × 60 by
 * default) each holding a call count, an error count and a log-scale latency histogram, so
 * that calls/s and p50/p99 over the last minutes cost nothing to keep. Keyed by name, not by
 * instance, so a plugin's chart runs on through its hot-swaps.
 */

/** Histogram resolution: 4 buckets per doubling of latency, i.e. within ±9 % of the true value. */
const PER_OCTAVE = 4;
/** 1 µs to 2^26 µs (67 s): past any call deadline. */
const HIST_BUCKETS = 26 * PER_OCTAVE;

export interface SeriesOptions {
  /** Width of one bucket. Default 10 s. */
  readonly bucketMs?: number;
  /** Buckets kept. Default 60 (10 minutes). */
  readonly buckets?: number;
  /** Default Date.now (tests move time themselves). */
  readonly now?: () => number;
}

/** What one plugin's calls looked like: per bucket, oldest first, and over a recent window. */
export interface SeriesView {
  /** Start of the oldest bucket (ms since the epoch). */
  readonly start: number;
  /** Calls per second, per bucket (the current bucket over its elapsed part). */
  readonly rate: number[];
  /** Failed calls per second, per bucket. */
  readonly errors: number[];
  /** Latency percentiles per bucket in ms; null where a bucket saw no call. */
  readonly p50: Array<number | null>;
  readonly p99: Array<number | null>;
  /** Calls since the host first routed one to this name. */
  readonly total: number;
  readonly failed: number;
  /** Over the recent window (see window()): calls/s, failed calls/s, and latency percentiles in ms. */
  readonly recent: { readonly rate: number; readonly errors: number; readonly p50: number | null; readonly p99: number | null };
}

/**
 * The calls of one plugin name. record() is the per-call path: a clock read, two array
 * increments and a logarithm — no allocation.
 */
export class PluginSeries {
  readonly #bucketMs: number;
  readonly #size: number;
  readonly #now: () => number;
  /** Which epoch (time / bucketMs) each slot holds; a slot of an older epoch reads as empty. */
  readonly #epochs: Float64Array;
  readonly #counts: Uint32Array;
  readonly #errors: Uint32Array;
  /** Calls with a latency per slot (the histogram row's sum, kept so reading needs no extra pass). */
  readonly #timed: Uint32Array;
  /** #size rows of HIST_BUCKETS latency counts. */
  readonly #hist: Uint32Array;
  #epoch = -1;
  #slot = 0;
  total = 0;
  failed = 0;
  /** When the last call was recorded (for pruning names long gone). */
  lastAt = 0;

  constructor(bucketMs: number, size: number, now: () => number) {
    this.#bucketMs = bucketMs;
    this.#size = size;
    this.#now = now;
    this.#epochs = new Float64Array(size).fill(-1);
    this.#counts = new Uint32Array(size);
    this.#errors = new Uint32Array(size);
    this.#timed = new Uint32Array(size);
    this.#hist = new Uint32Array(size * HIST_BUCKETS);
  }

  /** One finished call. `seconds` 0 means it failed before it was sent (no latency to count). */
  record(seconds: number, failed: boolean): void {
    const now = this.#now();
    const epoch = Math.floor(now / this.#bucketMs);
    if (epoch !== this.#epoch) this.#advance(epoch);
    const s = this.#slot;
    this.#counts[s]!++;
    this.total++;
    this.lastAt = now;
    if (failed) {
      this.#errors[s]!++;
      this.failed++;
    }
    if (seconds > 0) {
      this.#timed[s]!++;
      this.#hist[s * HIST_BUCKETS + bucketOf(seconds)]!++;
    }
  }

  #advance(epoch: number): void {
    this.#epoch = epoch;
    this.#slot = epoch % this.#size;
    if (this.#epochs[this.#slot] !== epoch) {
      this.#epochs[this.#slot] = epoch;
      this.#counts[this.#slot] = 0;
      this.#errors[this.#slot] = 0;
      this.#timed[this.#slot] = 0;
      this.#hist.fill(0, this.#slot * HIST_BUCKETS, (this.#slot + 1) * HIST_BUCKETS);
    }
  }

  /**
   * The series up to now, and the figures over the last `windowMs` (counted from `since`
   * when that is later: a host up for 5 s has no minute to average over).
   */
  view(windowMs: number, since: number): SeriesView {
    const now = this.#now();
    const current = Math.floor(now / this.#bucketMs);
    const first = current - this.#size + 1;
    const rate: number[] = [];
    const errors: number[] = [];
    const p50: Array<number | null> = [];
    const p99: Array<number | null> = [];
    const windowStart = Math.max(now - windowMs, since);
    const merged = new Uint32Array(HIST_BUCKETS);
    let mergedTimed = 0;
    let recentCalls = 0;
    let recentErrors = 0;
    let recentFrom = now;
    for (let epoch = first; epoch <= current; epoch++) {
      const slot = ((epoch % this.#size) + this.#size) % this.#size;
      const bucketStart = epoch * this.#bucketMs;
      const seconds = Math.max(1, (Math.min(now, bucketStart + this.#bucketMs) - Math.max(bucketStart, since)) / 1000);
      if (this.#epochs[slot] !== epoch) {
        rate.push(0);
        errors.push(0);
        p50.push(null);
        p99.push(null);
        continue;
      }
      const calls = this.#counts[slot]!;
      const errs = this.#errors[slot]!;
      const timed = this.#timed[slot]!;
      rate.push(hundredths(calls / seconds));
      errors.push(hundredths(errs / seconds));
      const row = slot * HIST_BUCKETS;
      p50.push(quantile(this.#hist, row, timed, 0.5));
      p99.push(quantile(this.#hist, row, timed, 0.99));
      // A bucket counts toward the window when most of it lies inside (buckets are the
      // resolution), or, for a host younger than the window, when it holds any of its life.
      const inWindow = since >= now - windowMs ? bucketStart + this.#bucketMs > since : bucketStart + this.#bucketMs / 2 >= windowStart;
      if (inWindow) {
        recentFrom = Math.min(recentFrom, bucketStart);
        recentCalls += calls;
        recentErrors += errs;
        if (timed > 0) {
          mergedTimed += timed;
          for (let i = 0; i < HIST_BUCKETS; i++) merged[i]! += this.#hist[row + i]!;
        }
      }
    }
    // Averaged over exactly the buckets summed (whole buckets, the current one so far).
    const windowSeconds = Math.max(1, (now - Math.max(recentFrom, since)) / 1000);
    return {
      start: first * this.#bucketMs,
      rate, errors, p50, p99,
      total: this.total,
      failed: this.failed,
      recent: {
        rate: hundredths(recentCalls / windowSeconds),
        errors: hundredths(recentErrors / windowSeconds),
        p50: quantile(merged, 0, mergedTimed, 0.5),
        p99: quantile(merged, 0, mergedTimed, 0.99),
      },
    };
  }
}

/** The series of every plugin name the host has called. */
export class CallSeries {
  readonly bucketMs: number;
  readonly buckets: number;
  readonly #now: () => number;
  readonly #byName = new Map<string, PluginSeries>();

  constructor(opts: SeriesOptions = {}) {
    this.bucketMs = opts.bucketMs ?? 10_000;
    this.buckets = opts.buckets ?? 60;
    this.#now = opts.now ?? Date.now;
    if (!Number.isInteger(this.bucketMs) || this.bucketMs < 1) throw new RangeError(`bucketMs must be a positive integer, got ${this.bucketMs}`);
    if (!Number.isInteger(this.buckets) || this.buckets < 1) throw new RangeError(`buckets must be a positive integer, got ${this.buckets}`);
  }

  /** The series of `name`, created on first use (resolve it once per caller, not per call). */
  of(name: string): PluginSeries {
    let s = this.#byName.get(name);
    if (!s) {
      s = new PluginSeries(this.bucketMs, this.buckets, this.#now);
      this.#byName.set(name, s);
    }
    return s;
  }

  get(name: string): PluginSeries | undefined {
    return this.#byName.get(name);
  }

  /** Forgets names not in `keep` whose last call fell out of the window (a plugin gone for good). */
  prune(keep: ReadonlySet<string>): void {
    const horizon = this.#now() - this.bucketMs * this.buckets;
    for (const [name, s] of this.#byName) if (!keep.has(name) && s.lastAt < horizon) this.#byName.delete(name);
  }

  /** Names with a series, including plugins no longer registered whose calls are still in the window. */
  names(): string[] {
    return [...this.#byName.keys()];
  }
}

function bucketOf(seconds: number): number {
  const us = seconds * 1e6;
  if (us <= 1) return 0;
  const i = (Math.log2(us) * PER_OCTAVE) | 0;
  return i < HIST_BUCKETS ? i : HIST_BUCKETS - 1;
}

/**
 * The q-quantile (nearest rank) of the `n` samples in the histogram row at `offset`, in ms
 * (the bucket's geometric middle, to the µs), or null when the row is empty.
 */
function quantile(hist: Uint32Array, offset: number, n: number, q: number): number | null {
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (let i = 0; i < HIST_BUCKETS; i++) {
    seen += hist[offset + i]!;
    if (seen >= rank) return MIDDLE_MS[i]!;
  }
  return null;
}

/** Each histogram bucket's geometric middle in ms, to the µs (the JSON stays short). */
const MIDDLE_MS = Float64Array.from({ length: HIST_BUCKETS }, (_, i) => Math.round(2 ** ((i + 0.5) / PER_OCTAVE)) / 1000);

/** Rates to 0.01/s: finer is noise, and every digit is paid for in each poll's JSON. */
function hundredths(x: number): number {
  return Math.round(x * 100) / 100;
}
