import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker.js';

describe('circuit breaker', () => {
  it('opens after `threshold` consecutive failures and lets one probe through after openMs', () => {
    const b = new CircuitBreaker({ threshold: 3, openMs: 100, maxOpenMs: 1000 });
    expect([b.failure(0), b.failure(0), b.failure(0)]).toEqual([false, false, true]);
    expect(b.state).toBe('open');
    expect(b.allow(50)).toBe(false);
    expect(b.retryInMs(50)).toBe(50);
    expect(b.allow(100)).toBe(true);
    expect(b.state).toBe('half-open');
    expect(b.allow(100)).toBe(false); // one probe at a time
    expect(b.success()).toBe(true);
    expect(b.state).toBe('closed');
  });

  it('a failed probe reopens for twice as long, capped', () => {
    const b = new CircuitBreaker({ threshold: 1, openMs: 100, maxOpenMs: 300 });
    b.failure(0);
    expect(b.allow(100)).toBe(true);
    expect(b.failure(100)).toBe(true);
    expect(b.retryInMs(100)).toBe(200);
    expect(b.allow(300)).toBe(true);
    b.failure(300);
    expect(b.retryInMs(300)).toBe(300);
  });

  it('a success resets the count; threshold 0 never opens', () => {
    const b = new CircuitBreaker({ threshold: 2, openMs: 100, maxOpenMs: 100 });
    b.failure(0);
    b.success();
    expect(b.failure(0)).toBe(false);
    const off = new CircuitBreaker({ threshold: 0, openMs: 100, maxOpenMs: 100 });
    for (let i = 0; i < 100; i++) off.failure(0);
    expect(off.allow(0)).toBe(true);
  });
});
