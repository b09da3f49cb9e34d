/**
 * One instance of a hot-swapped bench plugin, in a process of its own (swap suite): a real
 * SDK admission plugin whose Admit echoes the request's object back as the patch and names
 * this instance (its tag) as the only warning, so the bench sees which instance answered.
 *
 *   node dist/bench/support/swap-plugin.js --name N --socket PATH --tag T
 *
 * It binds at once, as `plugd serve` would, and exits by itself when the host says it was
 * superseded (the SDK's own exitWhenSuperseded, on since it owns its process). JSON lines on
 * stdout, times on wallNow(): {"loaded",pid,t} once the modules are loaded (before binding),
 * {"bound",t0,t} once the socket listens, {"registration",registered,error,t} on every
 * NotifyRegistrationStatus. SIGTERM/SIGINT drain and exit (the SDK's handlers); on stdin EOF
 * (the bench died) it also removes $PLUGD_BENCH_OWNED_DIR.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { definePlugin, servePlugin, type ServedPlugin } from '../../sdk/index.js';
import { wallNow } from './clock.js';

const { values } = parseArgs({
  options: {
    name: { type: 'string', default: 'swap' },
    socket: { type: 'string' },
    tag: { type: 'string', default: String(process.pid) },
  },
});
if (!values.socket) throw new Error('swap-plugin: --socket is required');
const tag = values.tag!;

const out = (msg: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
};

const plugin = definePlugin({
  name: values.name!,
  type: 'AdmissionPlugin',
  capabilities: { kind: 'VALIDATING', sideEffects: 'NONE' },
  handlers: {
    Admit: (req) => ({ allowed: true, patch: req.object, warnings: [tag] }),
  },
});

let served: ServedPlugin | undefined;
process.stdin.on('end', () => {
  // The bench is gone: nobody will stop us or remove the temp dir.
  const owned = process.env.PLUGD_BENCH_OWNED_DIR;
  void (served?.close() ?? Promise.resolve()).finally(() => {
    if (owned) rmSync(owned, { recursive: true, force: true });
    process.exit(0);
  });
});
process.stdin.resume();

out({ loaded: true, pid: process.pid, t: wallNow() });
const t0 = wallNow();
served = await servePlugin(plugin, {
  socketPath: values.socket,
  drainTimeoutMs: 5000,
  parentFd: null,
  logger: pino({ level: process.env.PLUGD_LOG_LEVEL ?? 'silent' }, pino.destination({ dest: 2, sync: true })),
});
out({ bound: true, t0, t: wallNow() });
served.events.on('registration', (e: { registered: boolean; error: string }) => {
  out({ registration: true, registered: e.registered, error: e.error, t: wallNow() });
});
