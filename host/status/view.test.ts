import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { dist } from '../../test/helpers.js';
import { pluginsTable } from './table.js';
import type { StatusSnapshot } from './types.js';
import { statusView } from './view.js';

const NOW = Date.UTC(2026, 10, 23, 21, 0, 0);
const EVIL = '<script>alert(1)</script>"\'`&';

function snapshot(): StatusSnapshot {
  const series = (rate: number) => ({
    start: NOW - 60_000, rate: [0, 0, rate, rate], errors: [0, 0, 0, 0.5], p50: [null, null, 1.2, 1.4], p99: [null, null, 8, 9],
    total: 1234, failed: 5, recent: { rate, errors: 0.5, p50: 1.3, p99: 8.5 },
  });
  const inst = (generation: number, state: string, socket: string, transport: 'stream' | 'unary' = 'stream') => ({
    generation, version: 'v1', state, healthy: true, circuit: 'closed', inflight: 0, transport, socket, registeredAt: new Date(NOW).toISOString(),
  });
  return {
    now: NOW,
    host: { socketDir: '/run/plugd', startedAt: NOW - 30_000, ready: true, pid: 42 },
    series: { bucketMs: 10_000, buckets: 60, recentMs: 60_000 },
    interfaces: [
      { type: 'SchedulerPlugin', plugins: [] },
      { type: 'AdmissionPlugin', plugins: [
        { name: 'alpha', type: 'AdmissionPlugin', hooks: ['Admit'], calls: series(12.5),
          instances: [inst(3, 'active', '/run/plugd/alpha-b.sock'), inst(2, 'draining', '/run/plugd/alpha-a.sock')] },
      ] },
      { type: 'NetworkPlugin', plugins: [] },
    ],
    events: [
      { seq: 2, kind: 'policy', level: 'bad', plugin: 'alpha', type: undefined, generation: undefined, at: NOW - 5000, lastAt: NOW - 1000, count: 4,
        reason: 'Fail CALL_FAILED', message: `plugin alpha: Admit: UNKNOWN: ${EVIL}` },
      { seq: 1, kind: 'rejected', level: 'bad', plugin: EVIL, type: undefined, generation: undefined, at: NOW - 9000, lastAt: NOW - 9000, count: 1,
        reason: 'invalid-name', message: `/run/plugd/x.sock: invalid plugin name ${EVIL}` },
    ],
    unregistered: [{ path: `/run/plugd/${EVIL}.sock`, status: 'rejected', reason: EVIL }],
  };
}

describe('status view', () => {
  it('escapes every plugin-provided string, in text and attributes', () => {
    const html = statusView().render(snapshot());
    expect(html).not.toContain('<script');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#96;&#38;');
    // Only our own markup: every tag is one of the renderer's.
    const tags = new Set([...html.matchAll(/<([a-z0-9]+)/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(['code', 'col', 'colgroup', 'div', 'h2', 'p', 'path', 'section', 'span', 'svg', 'table', 'tbody', 'td', 'th', 'thead', 'time', 'title', 'tr']);
  });

  it('draws each instance of a plugin as a row, its calls once beside them, and folds repeated failures with a count', () => {
    const html = statusView().render(snapshot());
    expect(html).toContain('<tr data-plugin="alpha" data-generation="3" data-state="active"><th scope="row" rowspan="2">');
    expect(html).toContain('<tr data-plugin="alpha" data-generation="2" data-state="draining"><td class="num">2</td>');
    expect(html.match(/class="spark"/g)).toHaveLength(2);
    expect(html).toContain('No scheduling plugins registered.');
    expect(html).toMatch(/×4, last \d\d:\d\d:\d\d/);
  });

  it('says "unary calls" under an active instance that serves no call stream (not under a draining one, nor one with a stream)', () => {
    const s = snapshot();
    const view = statusView();
    expect(view.render(s)).not.toContain('unary calls');
    const alpha = s.interfaces[1]!.plugins[0]!;
    const slow = { ...s, interfaces: [s.interfaces[0]!, { ...s.interfaces[1]!, plugins: [{ ...alpha, instances: alpha.instances.map((i) => ({ ...i, transport: 'unary' as const })) }] }, s.interfaces[2]!] };
    const html = view.render(slow);
    expect(html.match(/>unary calls</g)).toHaveLength(1);
    const row = (gen: number) => html.split('<tr ').find((r) => r.startsWith(`data-plugin="alpha" data-generation="${gen}"`)) ?? '';
    expect(row(3)).toContain('unary calls');
    expect(row(2)).not.toContain('unary calls');
  });

  it('ships as source text that runs on its own, as the browser gets it, from the sources and from dist/', async () => {
    const s = snapshot();
    const expected = statusView().render(s);
    // The browser evaluates `(${statusView.toString()})()` with nothing of this module around it.
    const fromSource = runInNewContext(`(${statusView.toString()})()`, {}) as ReturnType<typeof statusView>;
    expect(fromSource.render(s)).toBe(expected);
    const built = (await import(pathToFileURL(dist('host/status/view.ts')).href)) as { statusView: typeof statusView };
    const fromDist = runInNewContext(`(${built.statusView.toString()})()`, {}) as ReturnType<typeof statusView>;
    expect(fromDist.render(s)).toBe(expected);
  });
});

describe('plugd plugins table', () => {
  it('piped: plain columns, full socket paths, the calls on the newest instance only', () => {
    const out = pluginsTable(snapshot(), { terminal: false });
    expect(out).toBe([
      'NAME   TYPE             VERSION  STATE     GEN  HEALTH   CALLS  P99    SOCKET',
      'alpha  AdmissionPlugin  v1       active    3    serving  1234   8.5ms  /run/plugd/alpha-b.sock',
      'alpha  AdmissionPlugin  v1       draining  2    serving  -      -      /run/plugd/alpha-a.sock',
      '',
    ].join('\n'));
  });

  it('on a terminal: colours, sockets relative to the directory named above, a summary below', () => {
    const out = pluginsTable(snapshot(), { terminal: true });
    expect(out.split('\n')[0]).toBe('socket dir /run/plugd');
    expect(out).toContain('\x1b[32mactive  \x1b[0m');
    const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toContain('alpha-b.sock\n');
    expect(plain).toContain('1 plugin, 2 instances · 13 calls/s in the last minute');
  });

  it('prints no control character a plugin put in a string', () => {
    const s = snapshot();
    const alpha = s.interfaces[1]!.plugins[0]!;
    s.interfaces[1]!.plugins[0] = { ...alpha, instances: [{ ...alpha.instances[0]!, version: 'v1\x1b[2J' }] };
    expect(pluginsTable(s, { terminal: true })).not.toContain('\x1b[2J');
  });

  it('says so when nothing is registered', () => {
    const s = snapshot();
    expect(pluginsTable({ ...s, interfaces: s.interfaces.map((i) => ({ ...i, plugins: [] })) }, { terminal: false })).toBe('no plugins registered\n');
  });
});
