/**
 * Structured logs (pino). JSON lines by default; on a terminal, one readable line per
 * event (time, level, message, then key=value), which is what `npm start` shows.
 */
import { pino, type Logger } from 'pino';
import type { Writable } from 'node:stream';

export type LogFormat = 'json' | 'pretty';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name']);

function pretty(out: Writable): { write(line: string): void } {
  return {
    write(line: string) {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const time = new Date(Number(rec.time)).toISOString().slice(11, 23);
      const extra = Object.entries(rec)
        .filter(([k]) => !OMIT.has(k))
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      out.write(`${time} ${LEVELS[Number(rec.level)] ?? rec.level} ${rec.msg ?? ''}${extra ? `  ${extra}` : ''}\n`);
    },
  };
}

export function createLogger(opts: { level?: string; format?: LogFormat; stream?: Writable; name?: string } = {}): Logger {
  const out = opts.stream ?? process.stdout;
  const format = opts.format ?? ((out as { isTTY?: boolean }).isTTY ? 'pretty' : 'json');
  const level = opts.level ?? process.env.PLUGD_LOG_LEVEL ?? 'info';
  const base = { name: opts.name ?? 'plugd', base: undefined };
  return format === 'pretty' ? pino({ ...base, level }, pretty(out)) : pino({ ...base, level }, out === process.stdout ? pino.destination({ dest: 1, sync: true }) : out);
}

/** A logger that drops everything (library use without logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
