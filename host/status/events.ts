/**
 * The host's recent lifecycle events for the status page: registrations, activations,
 * hot-swaps, rejections, deregistrations, health changes and failure-policy applications, in
 * a bounded ring. A plugin failing a thousand calls a second must not flush the rest out, so
 * repeats of one failure (same plugin, kind and code) within a window fold into one entry
 * with a count.
 */

export type StatusEventKind = 'registered' | 'activated' | 'swapped' | 'rejected' | 'deregistered' | 'health' | 'policy';

/** How the page colours an event: routine, good news, worth a look, something failed. */
export type StatusEventLevel = 'info' | 'good' | 'warn' | 'bad';

export interface StatusEvent {
  /** Increases by one per new entry (not per fold): the page keys rows by it. */
  readonly seq: number;
  readonly kind: StatusEventKind;
  readonly level: StatusEventLevel;
  /** The plugin's name as it gave it (untrusted text), or the socket's file name when it never gave one. */
  readonly plugin: string;
  readonly type: string | undefined;
  readonly generation: number | undefined;
  /** When it first happened, and last happened (folded repeats), in ms since the epoch. */
  readonly at: number;
  lastAt: number;
  /** How many times it happened (1 unless folded). */
  count: number;
  /** A short code: the deregistration or rejection reason, the error code, "Fail"/"Ignore"… */
  readonly reason: string;
  /** The whole story in one line (the newest occurrence's, when folded). Untrusted text: escape it. */
  message: string;
}

export type NewStatusEvent = Omit<StatusEvent, 'seq' | 'at' | 'lastAt' | 'count'>;

export interface EventLogOptions {
  /** Entries kept. Default 200. */
  readonly capacity?: number;
  /** Repeats of one failure within this long fold into its entry. Default 10 s. */
  readonly foldMs?: number;
  /** Longest message kept; the rest is cut (plugin error texts can be anything). Default 600. */
  readonly maxMessage?: number;
  readonly now?: () => number;
}

export class EventLog {
  readonly #capacity: number;
  readonly #foldMs: number;
  readonly #maxMessage: number;
  readonly #now: () => number;
  /** Oldest first; bounded by #capacity. */
  readonly #ring: StatusEvent[] = [];
  /** The newest entry per fold key, while it can still absorb repeats. */
  readonly #open = new Map<string, StatusEvent>();
  #seq = 0;

  constructor(opts: EventLogOptions = {}) {
    this.#capacity = opts.capacity ?? 200;
    this.#foldMs = opts.foldMs ?? 10_000;
    this.#maxMessage = opts.maxMessage ?? 600;
    this.#now = opts.now ?? Date.now;
  }

  /**
   * Adds an event. With a `foldKey`, a repeat within the fold window of the entry it opened
   * updates that entry (count, lastAt, message) instead of adding one.
   */
  add(event: NewStatusEvent, foldKey?: string): void {
    const now = this.#now();
    const message = event.message.length > this.#maxMessage ? `${event.message.slice(0, this.#maxMessage)}…` : event.message;
    if (foldKey !== undefined) {
      const open = this.#open.get(foldKey);
      if (open && now - open.at < this.#foldMs && open.seq >= this.#ring[0]!.seq) {
        open.count++;
        open.lastAt = now;
        open.message = message;
        return;
      }
    }
    const entry: StatusEvent = { ...event, message, seq: ++this.#seq, at: now, lastAt: now, count: 1 };
    this.#ring.push(entry);
    if (this.#ring.length > this.#capacity) this.#ring.shift();
    if (foldKey !== undefined) this.#open.set(foldKey, entry);
    // Fold keys live only as long as their window: a host with many plugins failing once must not grow a map.
    if (this.#open.size > this.#capacity) {
      for (const [k, e] of this.#open) if (now - e.at >= this.#foldMs) this.#open.delete(k);
    }
  }

  /** Up to `limit` entries, newest first (copies: the page serialises them). */
  recent(limit = this.#capacity): StatusEvent[] {
    const out: StatusEvent[] = [];
    for (let i = this.#ring.length - 1; i >= 0 && out.length < limit; i--) out.push({ ...this.#ring[i]! });
    return out;
  }
}
