/**
 * The durable DEL queue: a directory of files, one per DEL that could not run — written by the
 * shim (bin/plugd-cni) when the host is unreachable, and by the door when a plugin is — and
 * replayed by the host at start, when new entries appear, and with backoff while they fail.
 * Runtimes rarely retry a failed DEL (Multus#1080, Cilium's deletion queue), so a DEL is
 * answered with success once it is on disk here.
 *
 * An entry is written atomically (a dotfile written, then renamed), in a format a POSIX shell
 * can write with printf:
 *   plugd-cni-del v1\n  KEY=VALUE\n …  \n  <stdin bytes>
 * KEY is one of CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS, CNI_PATH, PLUGD_AS.
 */
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { syncDir } from '../network/result-cache.js';
import type { NetworkMetrics } from '../network/metrics.js';

export const DEL_QUEUE_MAGIC = 'plugd-cni-del v1';

/** What the shim sends: the CNI environment and stdin. */
export interface ShimRequest {
  readonly env: Readonly<Record<string, string>>;
  readonly stdin: Buffer;
}

/** What replaying an entry came to: done (remove it), retry (keep it), drop (remove it: it can never succeed). */
export type ReplayOutcome = { outcome: 'done' } | { outcome: 'retry'; why: string } | { outcome: 'drop'; why: string };

const KEYS = new Set(['CNI_COMMAND', 'CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_ARGS', 'CNI_PATH', 'PLUGD_AS']);

export function encodeEntry(req: ShimRequest): Buffer {
  const lines = [DEL_QUEUE_MAGIC];
  for (const [k, v] of Object.entries(req.env)) if (KEYS.has(k) && !/[\n\r]/.test(v)) lines.push(`${k}=${v}`);
  return Buffer.concat([Buffer.from(`${lines.join('\n')}\n\n`), req.stdin]);
}

export function decodeEntry(bytes: Buffer): ShimRequest | undefined {
  const sep = bytes.indexOf('\n\n');
  if (sep < 0) return undefined;
  const [magic, ...lines] = bytes.subarray(0, sep).toString().split('\n');
  if (magic !== DEL_QUEUE_MAGIC) return undefined;
  const env: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf('=');
    if (i > 0 && KEYS.has(line.slice(0, i))) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return { env, stdin: bytes.subarray(sep + 2) };
}

export interface DelQueueOptions {
  readonly dir: string;
  readonly replay: (req: ShimRequest) => Promise<ReplayOutcome>;
  readonly logger: Logger;
  readonly metrics: NetworkMetrics;
  /** First retry delay after a pass left entries; doubles up to maxBackoffMs. Default 1000. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

let seq = 0;

export class DelQueue {
  readonly dir: string;
  readonly #opts: DelQueueOptions;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #backoff: number;
  #closed = false;

  constructor(opts: DelQueueOptions) {
    this.dir = opts.dir;
    this.#opts = opts;
    this.#backoff = opts.initialBackoffMs ?? 1000;
  }

  /** Creates the directory (0700), starts watching it and replays what is there. */
  start(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.#watcher = watch(this.dir, (_event, name) => {
      if (name && !name.startsWith('.')) this.kick();
    });
    this.#watcher.on('error', (err) => this.#opts.logger.warn({ dir: this.dir, err }, `DEL queue: watching ${this.dir} failed; entries are replayed on the retry timer only`));
    this.kick();
  }

  /** Writes an entry atomically and durably (temp file, fsync, rename, fsync dir). */
  async enqueue(req: ShimRequest): Promise<void> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const name = `${process.hrtime.bigint()}-${process.pid}-${++seq}.del`;
    const tmp = join(this.dir, `.tmp.${name}`);
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(encodeEntry(req));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(this.dir, name));
    await syncDir(this.dir);
    this.#opts.metrics.delQueued.labels('host').inc();
  }

  /** Runs a replay pass soon (coalesced with one in progress). */
  kick(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#pass().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.kick();
      }
    });
  }

  /** Resolves when no pass is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#watcher?.close();
    await this.idle();
  }

  async #pass(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => !n.startsWith('.')).sort();
    } catch {
      return;
    }
    let left = 0;
    for (const name of names) {
      if (this.#closed) return;
      const file = join(this.dir, name);
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch {
        continue; // replayed and removed by an earlier pass
      }
      const req = decodeEntry(bytes);
      const res: ReplayOutcome = req ? await this.#opts.replay(req) : { outcome: 'drop', why: 'not a DEL queue entry' };
      this.#opts.metrics.delReplayed.labels(res.outcome === 'drop' ? 'dropped' : res.outcome).inc();
      const who = `${req?.env.CNI_CONTAINERID ?? '?'}/${req?.env.CNI_IFNAME ?? '?'}`;
      if (res.outcome === 'retry') {
        left++;
        this.#opts.logger.info({ entry: file, containerID: req?.env.CNI_CONTAINERID }, `queued DEL of ${who} not replayed yet: ${res.why}`);
        continue;
      }
      if (res.outcome === 'drop') this.#opts.logger.warn({ entry: file, containerID: req?.env.CNI_CONTAINERID }, `queued DEL of ${who} dropped: ${res.why}`);
      else this.#opts.logger.info({ entry: file, containerID: req?.env.CNI_CONTAINERID }, `queued DEL of ${who} replayed`);
      await rm(file, { force: true });
    }
    this.#opts.metrics.delQueueDepth.set(left);
    if (left > 0 && !this.#closed) {
      this.#timer = setTimeout(() => this.kick(), this.#backoff);
      this.#timer.unref();
      this.#backoff = Math.min(this.#backoff * 2, this.#opts.maxBackoffMs ?? 60_000);
    } else {
      this.#backoff = this.#opts.initialBackoffMs ?? 1000;
    }
  }
}
