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

/**
 * A synchronous destination on fd 1 or 2 that gives up quietly once its reader is gone
 * (EPIPE): a host or plugin whose log pipe closed must still stop, never spin on a flush.
 */
export function fdDestination(fd: 1 | 2): Writable {
  const dest = pino.destination({ dest: fd, sync: true });
  dest.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') process.emitWarning(`plugd: log destination fd ${fd}: ${err.message}`);
  });
  return dest as unknown as Writable;
}

export function createLogger(opts: { level?: string; format?: LogFormat; stream?: Writable; name?: string } = {}): Logger {
  const out = opts.stream ?? process.stdout;
  const format = opts.format ?? ((out as { isTTY?: boolean }).isTTY ? 'pretty' : 'json');
  const level = opts.level ?? process.env.PLUGD_LOG_LEVEL ?? 'info';
  const base = { name: opts.name ?? 'plugd', base: undefined };
  const sink = out === process.stdout ? fdDestination(1) : out === process.stderr ? fdDestination(2) : out;
  return format === 'pretty' ? pino({ ...base, level }, pretty(sink)) : pino({ ...base, level }, sink);
}

/** A logger that drops everything (library use without logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
