/**
 * Index ranges and how a range is cut into chunks for parallel runs. Pure and import-free,
 * so worker code and the main thread share the exact same chunk boundaries.
 */

/** Rows `start` (inclusive) to `end` (exclusive). */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

/** Largest index a range may reach (typed-array lengths stay below 2^32). */
export const MAX_INDEX = 2 ** 32 - 1;

/** Validates a range (or a count n, meaning 0..n) and returns it as an IndexRange. */
export function toRange(range: IndexRange | number, what = 'range'): IndexRange {
  if (typeof range === 'number') range = { start: 0, end: range };
  if (range === null || typeof range !== 'object') throw new TypeError(`${what} must be a count or { start, end }`);
  const { start, end } = range;
  if (typeof start !== 'number' || typeof end !== 'number') throw new TypeError(`${what}.start and ${what}.end must be numbers`);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > MAX_INDEX) {
    throw new RangeError(`${what} must satisfy 0 <= start <= end <= ${MAX_INDEX} in integers, got [${start}, ${end})`);
  }
  return { start, end };
}

/**
 * Cuts `range` into min(parts, its length) contiguous chunks, in order, whose sizes differ by
 * at most one (the larger ones first). An empty range gives no chunks.
 */
export function splitRange(range: IndexRange | number, parts: number): IndexRange[] {
  const { start, end } = toRange(range);
  if (typeof parts !== 'number') throw new TypeError('parts must be a number');
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`parts must be an integer >= 1, got ${parts}`);
  const count = end - start;
  const n = Math.min(parts, count);
  const chunks: IndexRange[] = [];
  const base = Math.floor(count / Math.max(n, 1));
  let extra = count - base * n;
  let at = start;
  for (let i = 0; i < n; i++) {
    const size = base + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
    chunks.push({ start: at, end: at + size });
    at += size;
  }
  return chunks;
}
