/**
 * `plugd plugins` as a table, from /status.json. On a terminal: coloured states, sockets
 * relative to the socket directory (named once above the table) and a closing summary. On a
 * pipe: the same columns with no colour and no decoration, full paths, and one
 * whitespace-free token per cell ("-" when empty), so that awk and cut can rely on it.
 */
import { relative } from 'node:path';
import type { StatusSnapshot } from './types.js';

export interface TableOptions {
  /** Colours and a terminal's shortcuts. */
  readonly terminal: boolean;
}

const COLUMNS = ['NAME', 'TYPE', 'VERSION', 'STATE', 'GEN', 'HEALTH', 'CALLS', 'P99', 'SOCKET'] as const;

const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const;
type Colour = keyof typeof SGR;

const STATE_COLOUR: Record<string, Colour> = { active: 'green', pending: 'yellow', draining: 'cyan' };
const HEALTH_COLOUR: Record<string, Colour> = { serving: 'green', probing: 'yellow' };

interface Cell {
  readonly text: string;
  readonly colour: Colour | undefined;
}

/** Latency without a space, so a pipe reader gets one token: 420µs, 1.9ms, 1.2s. */
function latency(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 10) return `${ms.toFixed(1)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${(ms / 1000).toFixed(1)}s`;
}

function health(healthy: boolean, circuit: string): string {
  if (circuit === 'open') return 'circuit-open';
  if (!healthy) return 'not-serving';
  return circuit === 'half-open' ? 'probing' : 'serving';
}

export function pluginsTable(s: StatusSnapshot, opts: TableOptions): string {
  const rows: Cell[][] = [];
  let instances = 0;
  let rate = 0;
  for (const iface of s.interfaces) {
    for (const p of iface.plugins) {
      rate += p.calls?.recent.rate ?? 0;
      p.instances.forEach((i, n) => {
        instances++;
        const h = health(i.healthy, i.circuit);
        const socket = opts.terminal && !relative(s.host.socketDir, i.socket).startsWith('..') ? relative(s.host.socketDir, i.socket) : i.socket;
        // The name's calls belong to the plugin, not to one generation: shown once, on its newest instance.
        const calls = n === 0 ? String(p.calls?.total ?? 0) : '-';
        const p99 = n === 0 && p.calls ? latency(p.calls.recent.p99) : '-';
        rows.push([
          { text: p.name, colour: undefined }, { text: iface.type, colour: undefined }, { text: i.version, colour: undefined },
          { text: i.state, colour: STATE_COLOUR[i.state] }, { text: String(i.generation), colour: undefined },
          { text: h, colour: HEALTH_COLOUR[h] ?? 'red' }, { text: calls, colour: undefined }, { text: p99, colour: undefined },
          { text: socket, colour: 'dim' },
        ]);
      });
    }
  }
  if (rows.length === 0) return 'no plugins registered\n';
  const paint = (c: Cell, padded: string): string => (opts.terminal && c.colour ? `\x1b[${SGR[c.colour]}m${padded}\x1b[0m` : padded);
  const head: Cell[] = COLUMNS.map((text) => ({ text, colour: 'bold' }));
  // Names and messages are the plugin's own: a terminal must not take its control characters.
  const all = [head, ...rows].map((r) => r.map((c) => ({ ...c, text: c.text.replace(/[\x00-\x1f\x7f]/g, '?') })));
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.text.length)));
  const lines = all.map((r) => r.map((c, i) => paint(c, i === r.length - 1 ? c.text : c.text.padEnd(widths[i]!))).join('  ').trimEnd());
  if (!opts.terminal) return `${lines.join('\n')}\n`;
  const names = s.interfaces.reduce((n, i) => n + i.plugins.filter((p) => p.instances.length > 0).length, 0);
  const rateText = rate === 0 ? 'no calls' : `${rate < 10 ? rate.toFixed(1) : Math.round(rate)} calls/s`;
  return `socket dir ${s.host.socketDir}\n${lines.join('\n')}\n` +
    `${paint({ text: '', colour: 'dim' }, `${names} plugin${names === 1 ? '' : 's'}, ${instances} instance${instances === 1 ? '' : 's'} · ${rateText} in the last minute · CALLS since the host started, P99 over the last minute`)}\n`;
}
