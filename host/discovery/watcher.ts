/**
 * Discovery: watches the socket directory (chokidar), classifies each entry, and runs the
 * handshake for every socket, retrying transient failures with backoff while the socket
 * exists. Garbage gets one log line naming the path and the reason. A removed socket
 * deregisters its instance; a re-created one (new inode or birth time) is a new instance.
 */
import { watch, type FSWatcher } from 'chokidar';
import { EventEmitter } from 'node:events';
import { lstatSync, watch as fsWatch, type FSWatcher as NodeFsWatcher, type Stats } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import type { HostMetrics } from '../metrics.js';
import { RegistrationRejected } from '../errors.js';
import { handshake, HandshakeFailure, type HandshakeOptions, type HandshakeResult } from './handshake.js';

export interface DiscoveryOptions extends HandshakeOptions {
  readonly logger: Logger;
  readonly metrics: HostMetrics;
  /** First retry delay after a transient failure; doubles up to maxBackoffMs. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /**
   * Admits a handshaken plugin (the registry). Throws RegistrationRejected to refuse it;
   * the discovery then notifies the plugin and stops retrying that socket.
   */
  readonly admit: (result: HandshakeResult, socket: { path: string; stats: Stats }) => Promise<void>;
  /** Handshakes run at once at most; more wait their turn (a burst must not starve the loop). */
  readonly maxConcurrentHandshakes: number;
  /** The socket is gone: deregister what came from it. */
  readonly removed: (path: string) => void;
  /**
   * The path now holds a different socket (a successor renamed over it, or it was re-created).
   * What registered from the old socket keeps serving on its open connection until the
   * successor takes over (hot-swap) or proves not to be one.
   */
  readonly replaced: (path: string) => void;
}

type PathStatus = 'handshaking' | 'waiting' | 'registered' | 'rejected' | 'ignored';

interface PathState {
  readonly path: string;
  /** Which file the path held when seen (fileId). */
  readonly file: string;
  status: PathStatus;
  attempt: number;
  timer: NodeJS.Timeout | undefined;
  /** The kind of the last failure, so that one failure mode is logged once, not per retry. */
  lastFailure: string | undefined;
  /** When the socket was seen (or its instance lost), for telling a server still starting from a dead one. */
  since: number;
}

/** A socket refused at registration: for the status page's event list (the log line says it too). */
export interface RejectedSocket {
  readonly path: string;
  /** The name the plugin gave, when the handshake got that far. */
  readonly plugin: string | undefined;
  readonly reason: string;
  readonly message: string;
}

export class Discovery extends EventEmitter<{ ready: []; rejected: [RejectedSocket] }> {
  readonly #opts: DiscoveryOptions;
  readonly #log: Logger;
  readonly #paths = new Map<string, PathState>();
  #watcher: FSWatcher | undefined;
  #fast: NodeFsWatcher | undefined;
  #handshakes = 0;
  readonly #queue: PathState[] = [];
  #ready = false;
  #closed = false;

  constructor(opts: DiscoveryOptions) {
    super();
    this.#opts = opts;
    this.#log = opts.logger;
  }

  get ready(): boolean {
    return this.#ready;
  }

  /**
   * Starts watching; resolves once the initial scan has been seen (handshakes continue after).
   * chokidar does the scan and the bookkeeping; a plain fs.watch on the directory is a fast
   * path beside it (chokidar re-reads the whole directory per event, tens of ms under load),
   * and whichever reports an entry first wins: #seen and #gone are idempotent per file (fileId).
   */
  start(): Promise<void> {
    try {
      this.#fast = fsWatch(this.#opts.socketDir, (_event, name) => {
        if (!name || this.#closed) return;
        const path = join(this.#opts.socketDir, name.toString());
        if (safeLstat(path)) this.#seen(path);
        else this.#gone(path);
      });
      this.#fast.on('error', () => { this.#fast?.close(); this.#fast = undefined; });
    } catch {
      this.#fast = undefined; // chokidar alone still sees everything
    }
    const w = watch(this.#opts.socketDir, {
      depth: 0,
      ignoreInitial: false,
      atomic: false,
      ignorePermissionErrors: true,
    });
    this.#watcher = w;
    w.on('add', (path) => this.#seen(path));
    w.on('change', (path) => this.#seen(path));
    w.on('addDir', (path) => {
      if (path !== this.#opts.socketDir) this.#seen(path);
    });
    w.on('unlink', (path) => this.#gone(path));
    w.on('unlinkDir', (path) => this.#gone(path));
    w.on('error', (err) => this.#log.error({ err, dir: this.#opts.socketDir }, 'socket directory watch error'));
    return new Promise((resolve) => {
      w.once('ready', () => {
        this.#ready = true;
        this.emit('ready');
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const st of this.#paths.values()) clearTimeout(st.timer);
    this.#paths.clear();
    this.#queue.length = 0;
    this.#fast?.close();
    await this.#watcher?.close();
  }

  /** Handshakes again with a socket whose instance was lost, if the same socket file is still there. */
  recheck(path: string): void {
    const st = this.#paths.get(path);
    if (!st || this.#closed) return;
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch {
      return this.#gone(path);
    }
    if (fileId(stats) !== st.file) return this.#seen(path);
    st.status = 'waiting';
    st.attempt = 0;
    st.since = Date.now();
    this.#schedule(st);
  }

  /** A summary per path that is not a registered plugin, for the admin view. */
  unregistered(): Array<{ path: string; status: PathStatus; reason: string | undefined }> {
    return [...this.#paths.values()].filter((s) => s.status !== 'registered').map((s) => ({ path: s.path, status: s.status, reason: s.lastFailure }));
  }

  #seen(path: string): void {
    if (this.#closed) return;
    // The entry itself (lstat), not what a symlink points to (chokidar's stats follow links):
    // that is what the retry timer and recheck() compare (fileId).
    const stats = safeLstat(path);
    if (!stats) return;
    const prev = this.#paths.get(path);
    if (prev && prev.file === fileId(stats)) return; // a change event on the same socket: nothing new
    if (prev) {
      // Same path, new file: handshake with the newcomer; the old instance is not dropped yet.
      clearTimeout(prev.timer);
      this.#paths.delete(path);
      if (prev.status === 'registered') this.#opts.replaced(path);
    }
    const name = basename(path);
    if (name.startsWith('.')) return this.#ignore(path, stats, 'a dotfile');
    if (stats.isDirectory()) return this.#ignore(path, stats, 'a directory, not a socket');
    if (!stats.isSocket()) return this.#ignore(path, stats, stats.isSymbolicLink() ? 'a symbolic link, not a socket' : 'not a socket');
    const st: PathState = { path, file: fileId(stats), status: 'handshaking', attempt: 0, timer: undefined, lastFailure: undefined, since: Date.now() };
    this.#paths.set(path, st);
    this.#run(st);
  }

  #ignore(path: string, stats: Stats | undefined, reason: string): void {
    this.#paths.set(path, { path, file: stats ? fileId(stats) : '', status: 'ignored', attempt: 0, timer: undefined, lastFailure: reason, since: Date.now() });
    this.#opts.metrics.ignoredPaths.labels(reason).inc();
    this.#log.info({ path, reason }, `ignoring ${path}: ${reason}`);
  }

  #gone(path: string): void {
    const st = this.#paths.get(path);
    if (!st) return;
    clearTimeout(st.timer);
    this.#paths.delete(path);
    if (st.status === 'registered') this.#opts.removed(path);
  }

  /** Starts a handshake now, or queues it behind the ones running (FIFO). */
  #run(st: PathState): void {
    if (this.#handshakes >= this.#opts.maxConcurrentHandshakes) {
      st.status = 'waiting';
      this.#queue.push(st);
      return;
    }
    this.#handshakes++;
    void this.#attempt(st).finally(() => {
      this.#handshakes--;
      // Only entries that are still current: a socket may have gone while it waited.
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        if (this.#paths.get(next.path) === next && !this.#closed) return this.#run(next);
      }
    });
  }

  async #attempt(st: PathState): Promise<void> {
    st.status = 'handshaking';
    const stats = safeLstat(st.path);
    if (!stats || fileId(stats) !== st.file) return this.#gone(st.path);
    try {
      const result = await handshake(st.path, this.#opts);
      if (this.#paths.get(st.path) !== st) {
        // The socket went away (or was replaced) while we talked to it.
        result.client.close();
        if (result.registrationClient !== result.client) result.registrationClient.close();
        return;
      }
      await this.#opts.admit(result, { path: st.path, stats });
      if (this.#paths.get(st.path) !== st) {
        // The socket went away (or was replaced) while the plugin was being admitted and
        // notified: #gone/#seen saw it still handshaking, so undo the registration here.
        if (this.#paths.has(st.path)) this.#opts.replaced(st.path);
        else this.#opts.removed(st.path);
        return;
      }
      st.status = 'registered';
      st.lastFailure = undefined;
    } catch (err) {
      if (this.#paths.get(st.path) !== st) return;
      if (err instanceof RegistrationRejected) {
        st.status = 'rejected';
        st.lastFailure = err.message;
        this.#opts.metrics.rejections.labels(err.reason).inc();
        this.#log.warn({ path: st.path, plugin: err.plugin, reason: err.reason }, `rejected ${st.path}: ${err.message}`);
        this.emit('rejected', { path: st.path, plugin: err.plugin, reason: err.reason, message: err.message });
        return;
      }
      const failure = err instanceof HandshakeFailure ? err : new HandshakeFailure(String((err as Error)?.message ?? err), 'failed', { cause: err });
      if (!failure.transient) {
        st.status = 'rejected';
        st.lastFailure = failure.message;
        this.#opts.metrics.rejections.labels(failure.kind).inc();
        this.#log.warn({ path: st.path, reason: failure.kind }, `ignoring ${st.path}: ${failure.message}`);
        this.emit('rejected', { path: st.path, plugin: undefined, reason: failure.kind, message: failure.message });
        return;
      }
      // A server binds its socket a moment before it listens: a refused connection soon after the
      // socket appeared is expected, and only worth a warning once it outlasts a GetInfo deadline.
      const starting = failure.kind === 'no-listener' && Date.now() - st.since < this.#opts.getInfoTimeoutMs;
      if (st.lastFailure !== failure.kind && !starting) {
        this.#log.warn({ path: st.path, reason: failure.kind }, `cannot register ${st.path}: ${failure.message}; retrying with backoff while the socket exists`);
      } else {
        this.#log.debug({ path: st.path, reason: failure.kind, attempt: st.attempt }, 'registration retry failed');
      }
      if (!starting) st.lastFailure = failure.kind;
      st.status = 'waiting';
      this.#schedule(st);
    }
  }

  #schedule(st: PathState): void {
    const base = Math.min(this.#opts.maxBackoffMs, this.#opts.initialBackoffMs * 2 ** st.attempt++);
    const delay = base / 2 + Math.random() * (base / 2);
    clearTimeout(st.timer);
    st.timer = setTimeout(() => this.#run(st), delay);
  }
}

/**
 * Tells one file at a path from the next. The inode alone does not: a socket removed and bound
 * again at once (a restarted plugin clearing its stale socket) gets the freed inode back on
 * ext4, and both events arrive together. kubelet re-registers on every re-creation (it keys
 * the path by the event's time), so the birth time is part of the identity (0 where the file
 * system keeps none, leaving the inode).
 */
function fileId(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.birthtimeMs}`;
}

function safeLstat(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
