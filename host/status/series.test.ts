import { describe, expect, it } from 'vitest';
import { CallSeries } from './series.js';

/** A clock the test moves by hand. */
function clock(start = 1_000_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; }, at: () => t };
}

describe('call series', () => {
  it('counts calls and failures per bucket, the current bucket over its elapsed part', () => {
    const c = clock();
    const series = new CallSeries({ bucketMs: 10_000, buckets: 6, now: c.now });
    const s = series.of('p');
    for (let i = 0; i < 50; i++) s.record(0.001, false);
    c.advance(10_000);
    for (let i = 0; i < 20; i++) s.record(0.001, i < 5);
    c.advance(5_000);
    const v = s.view(60_000, 0);
    expect(v.rate).toHaveLength(6);
    // The bucket of the first 50 calls ended; the second one is half way (20 calls in 5 s).
    const [older, current] = [v.rate.at(-2), v.rate.at(-1)];
    expect({ older, current }).toEqual({ older: 5, current: 4 });
    expect(v.errors.at(-1)).toBe(1);
    expect(v).toMatchObject({ total: 70, failed: 5 });
    expect(v.start).toBe((Math.floor(c.at() / 10_000) - 5) * 10_000);
  });

  it('a host younger than the window counts the calls of its first, partial bucket', () => {
    const c = clock();
    const series = new CallSeries({ bucketMs: 10_000, buckets: 6, now: c.now });
    const s = series.of('p');
    // Started 8 s into a bucket: all 40 calls in its last 2 s, read 1 s into the next bucket.
    c.advance(8_000);
    const since = c.at();
    for (let i = 0; i < 40; i++) s.record(0.001, false);
    c.advance(3_000);
    const v = s.view(60_000, since);
    expect(v.recent.rate).toBe(13.33);
    expect(v.recent.p50).not.toBeNull();
  });

  it('forgets buckets older than the ring, and reads a bucket reused after a gap as new', () => {
    const c = clock();
    const series = new CallSeries({ bucketMs: 1000, buckets: 4, now: c.now });
    const s = series.of('p');
    for (let i = 0; i < 10; i++) s.record(0.002, false);
    c.advance(4000); // the same slot again, four buckets later
    s.record(0.002, false);
    const v = s.view(10_000, 0);
    expect(v.rate.reduce((a, b) => a + b, 0)).toBe(1);
    expect(v.p50.filter((x) => x !== null)).toHaveLength(1);
    c.advance(10_000);
    expect(s.view(10_000, 0).rate).toEqual([0, 0, 0, 0]);
    expect(s.view(10_000, 0).total).toBe(11);
  });

  it('finds p50 and p99 within 10 % of the exact values', () => {
    const c = clock();
    const s = new CallSeries({ now: c.now }).of('p');
    // 10 000 latencies spread log-uniformly over 0.1 ms … 100 ms, in a scrambled order.
    const ms = Array.from({ length: 10_000 }, (_, i) => 0.1 * 1000 ** (((i * 7919) % 10_000) / 10_000));
    for (const v of ms) s.record(v / 1000, false);
    const sorted = [...ms].sort((a, b) => a - b);
    const exact = (q: number) => sorted[Math.ceil(q * sorted.length) - 1]!;
    const v = s.view(60_000, 0);
    expect(v.recent.p50! / exact(0.5)).toBeGreaterThan(0.9);
    expect(v.recent.p50! / exact(0.5)).toBeLessThan(1.1);
    expect(v.recent.p99! / exact(0.99)).toBeGreaterThan(0.9);
    expect(v.recent.p99! / exact(0.99)).toBeLessThan(1.1);
  });

  it('counts a call refused before it was sent (0 s) as a failure without a latency', () => {
    const c = clock();
    const s = new CallSeries({ now: c.now }).of('p');
    s.record(0, true);
    s.record(0, true);
    const v = s.view(60_000, 0);
    expect(v).toMatchObject({ total: 2, failed: 2, recent: { p50: null, p99: null } });
  });

  it('averages the recent rate over the time the host has been up, not a minute it has not seen', () => {
    const c = clock();
    const started = c.at();
    const s = new CallSeries({ now: c.now }).of('p');
    c.advance(4000);
    for (let i = 0; i < 40; i++) s.record(0.001, false);
    expect(s.view(60_000, started).recent.rate).toBeCloseTo(10, 5);
  });

  it('prunes the series of names gone for longer than the ring, and keeps registered ones', () => {
    const c = clock();
    const series = new CallSeries({ bucketMs: 1000, buckets: 10, now: c.now });
    series.of('gone').record(0.001, false);
    series.of('idle-but-registered').record(0.001, false);
    c.advance(5_000);
    series.prune(new Set(['idle-but-registered']));
    expect(series.names().sort()).toEqual(['gone', 'idle-but-registered']);
    c.advance(6_000);
    series.prune(new Set(['idle-but-registered']));
    expect(series.names()).toEqual(['idle-but-registered']);
  });

  it('refuses a resolution that is not a positive integer', () => {
    expect(() => new CallSeries({ bucketMs: 0 })).toThrow(RangeError);
    expect(() => new CallSeries({ buckets: 2.5 })).toThrow(/buckets must be a positive integer/);
  });
});
