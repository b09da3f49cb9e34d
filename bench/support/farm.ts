/**
 * The parent side of plugin-farm.ts: starts S farm processes that together serve N echo
 * plugins, releases them at one instant, and collects each plugin's bind and registration
 * times (wallNow(), the same clock the host side uses).
 */
import { wallNow } from './clock.js';
import { benchScript, Child } from './procs.js';

export function pluginName(prefix: string, g: number): string {
  return `${prefix}-${String(g).padStart(3, '0')}`;
}

export interface FarmOptions {
  readonly socketDir: string;
  readonly prefix: string;
  readonly total: number;
  /** Processes sharing the plugins (plugin g lives in process g % shards). */
  readonly shards: number;
  /** Plugin g binds at go + g·intervalMs; 0 binds each process's plugins back to back. */
  readonly intervalMs: number;
}

export interface BindTimes {
  /** Before servePlugin() was called. */
  readonly t0: number;
  /** Once servePlugin() resolved: the socket is bound and listening. */
  readonly t: number;
}

export class Farm {
  readonly opts: FarmOptions;
  readonly children: Child[];
  readonly bound = new Map<string, BindTimes>();
  /** When each plugin got NotifyRegistrationStatus(true) from the host. */
  readonly registered = new Map<string, number>();

  private constructor(opts: FarmOptions, children: Child[]) {
    this.opts = opts;
    this.children = children;
    for (const c of children) {
      c.onMessage((m) => {
        if (m.bound) this.bound.set(String(m.name), { t0: Number(m.t0), t: Number(m.t) });
        else if (m.registered) this.registered.set(String(m.name), Number(m.t));
      });
    }
  }

  /** Spawns the farm processes and waits until every one has loaded (nothing bound yet). */
  static async start(opts: FarmOptions): Promise<Farm> {
    const script = benchScript('support/plugin-farm.js');
    const children = Array.from({ length: opts.shards }, (_, k) => new Child(`plugin farm ${k + 1}/${opts.shards}`, script, [
      '--socket-dir', opts.socketDir, '--prefix', opts.prefix, '--total', String(opts.total),
      '--shard', String(k), '--shards', String(opts.shards), '--interval-ms', String(opts.intervalMs),
    ], { PLUGD_LOG_LEVEL: 'silent', PLUGD_BENCH_OWNED_DIR: opts.socketDir }));
    const farm = new Farm(opts, children);
    try {
      await Promise.all(children.map((c) => c.waitFor((m) => m.ready === true, 'ready line', 20_000)));
    } catch (err) {
      await farm.stop();
      throw err;
    }
    return farm;
  }

  /** Names of every plugin of the farm. */
  get names(): string[] {
    return Array.from({ length: this.opts.total }, (_, g) => pluginName(this.opts.prefix, g));
  }

  /** Starts binding (paced plugins from `leadMs` from now); resolves once every plugin is bound. */
  async go(timeoutMs: number, leadMs = 20): Promise<void> {
    const at = wallNow() + leadMs;
    const done = Promise.all(this.children.map((c) => c.waitFor((m) => m.done === true || m.error !== undefined, 'bind completion', timeoutMs)));
    for (const c of this.children) c.send({ go: true, at });
    for (const m of await done) if (m.error !== undefined) throw new Error(`plugin farm failed: ${String(m.error)}`);
  }

  /** CPU time (user + system, ms) every farm process has used so far, summed. */
  async cpuMs(): Promise<number> {
    const answers = await Promise.all(this.children.map((c) => {
      const answer = c.waitFor((m) => m.usage !== undefined, 'cpu usage answer', 5000);
      c.send({ usage: true });
      return answer;
    }));
    return answers.reduce((sum, m) => {
      const u = m.usage as { user: number; system: number };
      return sum + (u.user + u.system) / 1000;
    }, 0);
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop()));
  }
}
