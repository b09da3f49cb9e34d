/**
 * One clock for every process in a benchmark: milliseconds since the epoch with
 * sub-millisecond resolution (performance.timeOrigin + performance.now()), so a time taken
 * in a plugin process and one taken in the host compare directly.
 */

/** Epoch milliseconds, sub-millisecond resolution, comparable across processes on one machine. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * An open-loop schedule: starts `start(i, scheduledAt)` for i = 0…n-1 at `t0 + i * gapMs`
 * (performance.now() time) whatever the earlier ones are doing, so a backlog shows as latency
 * from the scheduled start (no coordinated omission). Resolves once every started one settled.
 */
export async function openLoop(n: number, gapMs: number, t0: number, start: (i: number, scheduledAt: number) => Promise<void>): Promise<void> {
  const inflight: Promise<void>[] = [];
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (i < n && t0 + i * gapMs <= now) {
        inflight.push(start(i, t0 + i * gapMs));
        i++;
      }
      if (i >= n) resolve();
      else setTimeout(tick, Math.max(0, t0 + i * gapMs - performance.now()));
    };
    tick();
  });
  await Promise.all(inflight);
}
