/**
 * A circuit breaker per plugin instance: after `threshold` consecutive failed calls it opens
 * and calls fail fast; after `openMs` one probe call is let through (half-open): success
 * closes it, failure reopens it for twice as long (up to maxOpenMs). Pure state, no timers.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit; 0 disables the breaker. */
  readonly threshold: number;
  readonly openMs: number;
  readonly maxOpenMs: number;
}

export class CircuitBreaker {
  readonly #opts: BreakerOptions;
  #failures = 0;
  #state: BreakerState = 'closed';
  #openUntil = 0;
  #openFor: number;
  #probing = false;

  constructor(opts: BreakerOptions) {
    this.#opts = opts;
    this.#openFor = opts.openMs;
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** Milliseconds until a probe is allowed (0 when calls may go). */
  retryInMs(now = Date.now()): number {
    return this.#state === 'open' ? Math.max(0, this.#openUntil - now) : 0;
  }

  /** Whether a call may go now. In half-open state only one probe is let through at a time. */
  allow(now = Date.now()): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open') {
      if (now < this.#openUntil) return false;
      this.#state = 'half-open';
    }
    if (this.#probing) return false;
    this.#probing = true;
    return true;
  }

  /** Records a success; returns true when this closed an open circuit. */
  success(): boolean {
    this.#failures = 0;
    this.#probing = false;
    if (this.#state === 'closed') return false;
    this.#state = 'closed';
    this.#openFor = this.#opts.openMs;
    return true;
  }

  /** Records a failure; returns true when this opened the circuit. */
  failure(now = Date.now()): boolean {
    this.#failures++;
    if (this.#opts.threshold === 0) return false;
    if (this.#state === 'half-open') {
      this.#probing = false;
      this.#openFor = Math.min(this.#opts.maxOpenMs, this.#openFor * 2);
      this.#state = 'open';
      this.#openUntil = now + this.#openFor;
      return true;
    }
    if (this.#state === 'closed' && this.#failures >= this.#opts.threshold) {
      this.#state = 'open';
      this.#openUntil = now + this.#openFor;
      return true;
    }
    return false;
  }
}
