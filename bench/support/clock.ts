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
