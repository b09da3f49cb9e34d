/**
 * A bench plugin process: serves many real SDK plugins from one process, each with its own
 * servePlugin() (its own gRPC server and socket), bound one at a time on a schedule.
 *
 *   node dist/bench/support/plugin-farm.js --socket-dir DIR --prefix P --total N [--shard K --shards S] [--interval-ms I]
 *
 * Plugin g (0 ≤ g < N, g % S = K) is named P-<g> and is an admission plugin whose Admit
 * echoes the request's object back as the patch. JSON lines: stdout {"ready"} once loaded;
 * stdin {"go","at"} starts binding, plugin g at `at + g·I` ms (I = 0: back to back, a burst);
 * stdout {"bound",name,t0,t} per plugin (t0 before servePlugin, t once it is listening, both
 * wallNow()), {"registered",name,t} when the host notifies the registration, {"done"}.
 * stdin {"usage"} answers {"usage": process.cpuUsage()}. Stops, unlinking its sockets, on
 * {"stop"} or SIGTERM; on stdin EOF (the bench died) also removes $PLUGD_BENCH_OWNED_DIR.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { definePlugin, servePlugin, type ServedPlugin } from '../../sdk/index.js';
import { sleep, wallNow } from './clock.js';
import { pluginName } from './farm.js';

const { values } = parseArgs({
  options: {
    'socket-dir': { type: 'string' },
    prefix: { type: 'string', default: 'bench' },
    total: { type: 'string', default: '1' },
    shard: { type: 'string', default: '0' },
    shards: { type: 'string', default: '1' },
    'interval-ms': { type: 'string', default: '0' },
  },
});
const socketDir = values['socket-dir'];
if (!socketDir) throw new Error('plugin-farm: --socket-dir is required');
const total = Number(values.total);
const shard = Number(values.shard);
const shards = Number(values.shards);
const intervalMs = Number(values['interval-ms']);

const out = (msg: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
};

function echoPlugin(name: string) {
  return definePlugin({
    name,
    type: 'AdmissionPlugin',
    capabilities: { kind: 'VALIDATING', sideEffects: 'NONE' },
    handlers: {
      Admit: (req) => ({ allowed: true, patch: req.object, warnings: [req.uid] }),
    },
  });
}

const logger = pino({ level: 'silent' });
const served: ServedPlugin[] = [];
let stopping = false;

async function stop(benchGone = false): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled(served.map((s) => s.close()));
  // The bench died without cleaning up: its temp socket dir is ours to remove.
  if (benchGone && process.env.PLUGD_BENCH_OWNED_DIR) rmSync(process.env.PLUGD_BENCH_OWNED_DIR, { recursive: true, force: true });
  process.exit(0);
}

async function bindAll(at: number): Promise<void> {
  for (let g = shard; g < total && !stopping; g += shards) {
    const name = pluginName(values.prefix!, g);
    if (intervalMs > 0) {
      const wait = at + g * intervalMs - wallNow();
      if (wait > 0) await sleep(wait);
    }
    const t0 = wallNow();
    const plugin = await servePlugin(echoPlugin(name), { socketDir, handleSignals: false, drainTimeoutMs: 1000, logger });
    const t = wallNow();
    served.push(plugin);
    out({ bound: true, name, t0, t });
    plugin.events.on('registration', (e: { registered: boolean }) => {
      if (e.registered) out({ registered: true, name, t: wallNow() });
    });
  }
  out({ done: true, count: served.length });
}

process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop(true));
createInterface({ input: process.stdin }).on('line', (line) => {
  const msg = JSON.parse(line) as { go?: boolean; at?: number; stop?: boolean; usage?: boolean };
  if (msg.stop) void stop();
  else if (msg.usage) out({ usage: process.cpuUsage() });
  else if (msg.go) {
    bindAll(msg.at ?? wallNow()).catch((err: unknown) => {
      out({ error: String((err as Error)?.stack ?? err) });
      void stop();
    });
  }
});
out({ ready: true, pid: process.pid });
