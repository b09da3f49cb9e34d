/**
 * client-node's Watch with what kube's reflector adds and the library lacks: bookmarks
 * (allowWatchBookmarks), a server-side timeoutSeconds so a half-open connection is replaced
 * (the library's own 30 s AbortSignal is overwritten before use, watch.js 1.4), an ERROR event
 * ends the watch as the error it carries (the library only notes a 410 and waits for the server
 * to hang up), errors become KubeErrors, and `done` is called at most once, never before watch()
 * returned and never after abortAll() (ListWatch stores the controller watch() resolves with, so
 * an earlier `done` leaves it holding a dead request while a live one runs on unstoppable).
 */
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { KubeError, KubeErrorCodes } from './errors.js';
import { statusOf } from './list.js';

/** What the informer learns from each watch request. */
export interface WatchHooks {
  /** A watch request is about to go out from `resourceVersion`. Returning false cancels it (stopping). */
  starting(resourceVersion: string): boolean;
  /** One event arrived (BOOKMARK and ERROR included), before it reaches the cache. */
  event(type: string): void;
  /**
   * The stream ended cleanly having delivered nothing, soon after it started: returns how long
   * to wait before the cache re-watches, so a server that hangs up at once is not hammered.
   */
  emptyClose(): number;
  /** The request ended: null when the stream closed cleanly, else why (status 410: the version expired). */
  ended(err: KubeError | null): void;
}

export interface KubeWatchOptions {
  readonly resource: string;
  readonly hooks: WatchHooks;
  /** timeoutSeconds for each request; reflector picks minWatchTimeout (5 min) × [1, 2). */
  readonly timeoutSeconds: () => number;
  /** A clean close sooner than this with no event counts as empty. Default 1000 ms. */
  readonly minWatchMs?: number;
}

type Done = (err: unknown) => void;
type Callback = (phase: string, apiObj: unknown, watchObj?: unknown) => void;

/** Turns whatever the library or the server handed over into a KubeError. */
export function toKubeError(err: unknown, resource: string): KubeError {
  if (err instanceof KubeError) return err;
  const e = err as { statusCode?: unknown; message?: unknown } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const what = status !== undefined ? `HTTP ${status} ${String(e?.message ?? '')}`.trim() : String(e?.message ?? err);
  return new KubeError(KubeErrorCodes.REQUEST_FAILED, `watch ${resource}: ${what}`, { resource, status, cause: err });
}

export class KubeWatch extends Watch {
  readonly #opts: KubeWatchOptions;
  readonly #live = new Set<AbortController>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(kc: KubeConfig, opts: KubeWatchOptions) {
    super(kc);
    this.#opts = opts;
  }

  override async watch(path: string, queryParams: Record<string, string | number | boolean | undefined>, callback: Callback, done: Done): Promise<AbortController> {
    const resourceVersion = String(queryParams['resourceVersion'] ?? '');
    if (this.#closed || !this.#opts.hooks.starting(resourceVersion)) return abortedController();
    const params = { ...queryParams, allowWatchBookmarks: true, timeoutSeconds: this.#opts.timeoutSeconds() };
    const { resource, hooks } = this.#opts;
    const started = Date.now();
    let events = 0;
    let finished = false;
    let returned = false;
    let controller: AbortController | undefined;
    const finish = (err: KubeError | null): void => {
      if (finished) return;
      finished = true;
      if (!this.#closed) this.#opts.hooks.ended(err);
      if (controller !== undefined) {
        controller.abort();
        this.#live.delete(controller);
      }
      const deliver = (): void => {
        if (!this.#closed) done(err);
      };
      // ListWatch assigns watch()'s result after awaiting it: report the end only after that.
      if (returned) deliver();
      else this.#later(0, deliver);
    };
    const onEvent: Callback = (phase, obj, raw) => {
      if (finished || this.#closed) return;
      events++;
      hooks.event(phase);
      if (phase === 'ERROR') {
        const s = statusOf(obj);
        finish(new KubeError(KubeErrorCodes.WATCH_ERROR,
          `watch ${resource}: ERROR event: ${s?.code ?? '?'} ${s?.reason ?? ''}${s?.message ? `: ${s.message}` : ''}`.replace(/ +:/, ':'),
          { resource, status: s?.code, reason: s?.reason }));
        return;
      }
      callback(phase, obj, raw);
    };
    const onDone: Done = (err) => {
      if (finished) return;
      if (err !== null && err !== undefined) return finish(toKubeError(err, resource));
      if (events === 0 && Date.now() - started < (this.#opts.minWatchMs ?? 1000)) {
        const wait = hooks.emptyClose();
        if (wait > 0) {
          this.#later(wait, () => finish(null));
          return;
        }
      }
      finish(null);
    };
    try {
      controller = await super.watch(path, params, onEvent, onDone);
    } catch (err) {
      // applyToFetchOptions can throw (an exec credential plugin failing): an error like any other.
      controller = abortedController();
      finish(toKubeError(err, resource));
    }
    returned = true;
    // abortAll() ran while the request was being made: it never saw this controller.
    if (finished || this.#closed) controller.abort();
    else this.#live.add(controller);
    return controller;
  }

  /** Aborts every request in flight and swallows their ends: nothing reaches the cache afterwards. */
  abortAll(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const c of this.#live) c.abort();
    this.#live.clear();
  }

  #later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }
}

function abortedController(): AbortController {
  const c = new AbortController();
  c.abort();
  return c;
}
