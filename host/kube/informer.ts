/**
 * One resource's list-and-watch (kube's reflector) on client-node's ListWatch: the library
 * keeps the object store, lists when it has no resourceVersion, diffs a relist against the store
 * (vanished objects come out as deletes) and drops its resourceVersion on 410 Gone. This adds
 * what it lacks: retry with exponential backoff after a failed list or watch (the library emits
 * `error` and stops), a `synced` promise for the first applied list, a log line per failure and
 * relist, and metrics. Handlers that throw (a malformed object) are logged and skipped.
 */
import { ListWatch, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { listAll, type KubeList, type KubeObject } from './list.js';
import type { KubeMetrics } from './metrics.js';
import { KubeWatch, toKubeError } from './watch.js';

export interface InformerHandlers {
  /** An object was added or changed (from a list or a watch event). */
  upsert(obj: KubeObject): void;
  /** An object was deleted, or vanished between two lists. */
  remove(obj: KubeObject): void;
}

export interface InformerOptions {
  readonly kubeConfig: KubeConfig;
  /** Plural resource name: nodes, pods, namespaces (labels metrics and logs). */
  readonly resource: string;
  /** Collection path, e.g. /api/v1/nodes. */
  readonly path: string;
  readonly handlers: InformerHandlers;
  readonly logger: Logger;
  readonly metrics: KubeMetrics;
  /** First retry delay after a failed request; doubles per failure. Default 500 ms. */
  readonly initialBackoffMs?: number;
  /** Cap of the retry delay. Default 30 s. */
  readonly maxBackoffMs?: number;
  /** List page size. Default 500. */
  readonly pageSize?: number;
  /** Watch timeoutSeconds lies in [min, 2·min). Default 300 (reflector's minWatchTimeout). */
  readonly minWatchTimeoutSeconds?: number;
}

export interface InformerStatus {
  readonly resource: string;
  readonly synced: boolean;
  readonly objects: number;
  readonly resourceVersion: string;
  readonly lastSync: string | undefined;
  readonly relists: number;
  readonly errors: number;
}

export class Informer {
  readonly resource: string;
  /** Resolves once the first list has been applied to the handlers; never rejects (failures retry). */
  readonly synced: Promise<void>;
  readonly #opts: InformerOptions;
  readonly #lw: ListWatch<KubeObject>;
  readonly #watch: KubeWatch;
  readonly #log: Logger;
  #markSynced!: () => void;
  #synced = false;
  #stopped = false;
  #started = false;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #verb: 'list' | 'watch' = 'list';
  #lists = 0;
  #listed = false;
  #relistReason: 'expired' | 'error' = 'error';
  #expiredVersion = '';
  #lastSync: Date | undefined;
  #relists = 0;
  #errors = 0;
  #objects = 0;

  constructor(opts: InformerOptions) {
    this.#opts = opts;
    this.resource = opts.resource;
    this.#log = opts.logger;
    this.synced = new Promise((resolve) => {
      this.#markSynced = resolve;
    });
    const min = opts.minWatchTimeoutSeconds ?? 300;
    this.#watch = new KubeWatch(opts.kubeConfig, {
      resource: opts.resource,
      timeoutSeconds: () => Math.floor(min * (1 + Math.random())),
      hooks: {
        starting: (rv) => this.#watchStarting(rv),
        event: (type) => {
          this.#failures = 0;
          opts.metrics.events.labels(opts.resource, type).inc();
        },
        emptyClose: () => this.#nextDelay(),
        ended: (err) => {
          if (err?.expired) this.#relistReason = 'expired';
        },
      },
    });
    this.#lw = new ListWatch<KubeObject>(opts.path, this.#watch, () => this.#list(), false);
    // ListWatch says `add` only for objects new to its store and `delete` only for ones it held,
    // so the count is the store's size without walking it (status() is served on every GET /cluster).
    this.#lw.on('add', (obj) => {
      this.#objects++;
      this.#apply('upsert', obj);
    });
    this.#lw.on('update', (obj) => this.#apply('upsert', obj));
    this.#lw.on('delete', (obj) => {
      this.#objects--;
      this.#apply('remove', obj);
    });
    this.#lw.on('error', (err) => this.#failed(err));
  }

  get hasSynced(): boolean {
    return this.#synced;
  }

  /** The resourceVersion the next watch resumes from ('' while a list is due). */
  get resourceVersion(): string {
    return this.#lw.latestResourceVersion();
  }

  /** The objects as last listed and watched (the informer's store). */
  list(): readonly KubeObject[] {
    return this.#lw.list();
  }

  status(): InformerStatus {
    return {
      resource: this.resource,
      synced: this.#synced,
      objects: this.#objects,
      resourceVersion: this.resourceVersion,
      lastSync: this.#lastSync?.toISOString(),
      relists: this.#relists,
      errors: this.#errors,
    };
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#opts.metrics.synced.labels(this.resource).set(0);
    void this.#lw.start();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#watch.abortAll();
    await this.#lw.stop();
  }

  async #list(): Promise<KubeList> {
    this.#verb = 'list';
    if (this.#lists++ > 0) {
      this.#relists++;
      this.#opts.metrics.relists.labels(this.resource, this.#relistReason).inc();
      this.#log.warn({ resource: this.resource, reason: this.#relistReason, resourceVersion: this.#expiredVersion || undefined },
        this.#relistReason === 'expired'
          ? `relisting ${this.resource}: resourceVersion ${this.#expiredVersion} expired (410 Gone); objects deleted meanwhile will be removed`
          : `relisting ${this.resource} after a failed list`);
    }
    this.#relistReason = 'error';
    const list = await listAll(this.#opts.kubeConfig, this.#opts.path, { pageSize: this.#opts.pageSize, resource: this.resource });
    this.#listed = true;
    return list;
  }

  /** ListWatch calls watch() right after applying a list: that is when the list counts as synced. */
  #watchStarting(resourceVersion: string): boolean {
    if (this.#stopped) return false;
    this.#verb = 'watch';
    if (this.#listed) {
      this.#listed = false;
      this.#failures = 0;
      this.#lastSync = new Date();
      this.#opts.metrics.lastSync.labels(this.resource).set(this.#lastSync.getTime() / 1000);
      const objects = this.#objects;
      if (!this.#synced) {
        this.#synced = true;
        this.#opts.metrics.synced.labels(this.resource).set(1);
        this.#log.info({ resource: this.resource, objects, resourceVersion }, `${this.resource} synced: ${objects} listed at resourceVersion ${resourceVersion}`);
        this.#markSynced();
      } else {
        this.#log.info({ resource: this.resource, objects, resourceVersion }, `${this.resource} relisted: ${objects} at resourceVersion ${resourceVersion}`);
      }
    }
    // Remembered so a 410 on this watch can name the version that expired.
    this.#expiredVersion = resourceVersion;
    return true;
  }

  #apply(kind: 'upsert' | 'remove', obj: KubeObject): void {
    if (this.#stopped) return;
    try {
      this.#opts.handlers[kind](obj);
    } catch (err) {
      this.#opts.metrics.rejected.labels(this.resource).inc();
      const m = obj.metadata;
      const name = m?.namespace ? `${m.namespace}/${m.name ?? ''}` : (m?.name ?? '?');
      this.#log.error({ resource: this.resource, object: name, err }, `${this.resource} ${name}: ignored: ${(err as Error).message}`);
    }
  }

  /** ListWatch emits `error` for everything but a 410 and then stops: retry after a backoff. */
  #failed(raw: unknown): void {
    if (this.#stopped) return;
    const err = toKubeError(raw, this.resource);
    const verb = this.#verb;
    this.#errors++;
    this.#opts.metrics.requestErrors.labels(this.resource, verb).inc();
    const delay = this.#nextDelay();
    const rv = this.resourceVersion;
    if (rv === '') this.#relistReason = 'error';
    // The error's own message starts with the request ("watch nodes: …"); the line says it once.
    const why = err.message.replace(/^(list|watch) \S+: /, '');
    this.#log.warn({ resource: this.resource, verb, err: err.message, status: err.status, retryInMs: delay, resourceVersion: rv || undefined },
      `${verb} ${this.resource} failed: ${why}; retrying in ${delay} ms ${rv ? `from resourceVersion ${rv}` : 'with a fresh list'}`);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (!this.#stopped) void this.#lw.start();
    }, delay);
  }

  #nextDelay(): number {
    const base = this.#opts.initialBackoffMs ?? 500;
    const max = this.#opts.maxBackoffMs ?? 30_000;
    const exp = Math.min(max, base * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    // ±20 % jitter: replicas that lost the API server together do not come back in step.
    return Math.round(exp * (0.8 + Math.random() * 0.4));
  }
}
