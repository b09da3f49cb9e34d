import { describe, expect, it } from 'vitest';
import { EventLog, type NewStatusEvent } from './events.js';

const event = (plugin: string, message = 'm'): NewStatusEvent =>
  ({ kind: 'policy', level: 'warn', plugin, type: undefined, generation: undefined, reason: 'Ignore CALL_TIMEOUT', message });

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

describe('event log', () => {
  it('keeps the newest entries up to its capacity, newest first', () => {
    const log = new EventLog({ capacity: 3 });
    for (const p of ['a', 'b', 'c', 'd', 'e']) log.add(event(p));
    expect(log.recent().map((e) => e.plugin)).toEqual(['e', 'd', 'c']);
    expect(log.recent(2).map((e) => e.seq)).toEqual([5, 4]);
  });

  it('folds repeats of one failure within the window into one entry with a count and the latest message', () => {
    const c = clock();
    const log = new EventLog({ foldMs: 10_000, now: c.now });
    log.add(event('flaky', 'first'), 'k');
    log.add(event('steady'));
    c.advance(4000);
    log.add(event('flaky', 'second'), 'k');
    log.add(event('flaky', 'third'), 'k');
    const [steady, flaky] = log.recent();
    expect(steady).toMatchObject({ plugin: 'steady', count: 1 });
    expect(flaky).toMatchObject({ plugin: 'flaky', count: 3, message: 'third', at: 1_000_000, lastAt: 1_004_000 });
  });

  it('opens a new entry once the window has passed, or for another fold key', () => {
    const c = clock();
    const log = new EventLog({ foldMs: 10_000, now: c.now });
    log.add(event('flaky'), 'k');
    log.add(event('flaky'), 'other');
    c.advance(10_000);
    log.add(event('flaky'), 'k');
    expect(log.recent().map((e) => e.count)).toEqual([1, 1, 1]);
  });

  it('does not fold into an entry the ring already dropped', () => {
    const log = new EventLog({ capacity: 2 });
    log.add(event('flaky'), 'k');
    log.add(event('a'));
    log.add(event('b'));
    log.add(event('flaky'), 'k');
    expect(log.recent().map((e) => [e.plugin, e.count])).toEqual([['flaky', 1], ['b', 1]]);
  });

  it('cuts a long message (a plugin\'s error text can be anything)', () => {
    const log = new EventLog({ maxMessage: 10 });
    log.add(event('p', 'x'.repeat(5000)));
    expect(log.recent()[0]!.message).toBe(`${'x'.repeat(10)}…`);
  });

  it('hands out copies: the page serialising them cannot change the log', () => {
    const log = new EventLog();
    log.add(event('p'));
    log.recent()[0]!.count = 99;
    expect(log.recent()[0]!.count).toBe(1);
  });
});
