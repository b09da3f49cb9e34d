/**
 * Test helper: awaits a change of an Int32Array cell without blocking the event loop
 * (Atomics.waitAsync, which lib ES2023's typings do not declare yet).
 */

type WaitAsync = (
  array: Int32Array<SharedArrayBuffer>,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** A safety bound so a broken test fails instead of hanging; not a sleep. */
const LIMIT_MS = 20_000;

/** Resolves with array[index] once it is no longer `value`. */
export async function waitWhile(array: Int32Array<SharedArrayBuffer>, index: number, value: number): Promise<number> {
  for (;;) {
    const r = waitAsync(array, index, value, LIMIT_MS);
    const outcome = r.async ? await r.value : r.value;
    if (outcome === 'timed-out') throw new Error(`cell ${index} stayed ${value} for ${LIMIT_MS} ms`);
    const now = Atomics.load(array, index);
    if (now !== value) return now;
  }
}

/** Stores `value` in array[index] and wakes its waiters. */
export function signal(array: Int32Array<SharedArrayBuffer>, index: number, value: number): void {
  Atomics.store(array, index, value);
  Atomics.notify(array, index);
}
