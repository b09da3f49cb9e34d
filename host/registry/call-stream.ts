/**
 * The host's end of plugd.calls.v1 (proto/plugd/calls/v1/calls.proto): hook calls to one
 * plugin instance carried as messages on one bidirectional stream instead of one unary RPC
 * each. The stream opens with a hello; until the plugin answers it (or when it answers
 * UNIMPLEMENTED: a plugin that does not serve the fast path) the instance keeps calling
 * with unary RPCs. A call on the stream fails exactly as the unary call would: the same
 * status codes, a deadline of its own, a request over the size limit refused before it is
 * sent (so one oversized call cannot break the stream for the others).
 */
import * as grpc from '@grpc/grpc-js';
import { CALLS, serviceDefinition } from '../../proto/index.js';
import type { Call } from '../../proto/gen/plugd/calls/v1/Call.js';
import type { Reply__Output } from '../../proto/gen/plugd/calls/v1/Reply.js';

/** A failed call on the stream, shaped as grpc-js's ServiceError so one error path serves both. */
export class StreamCallError extends Error {
  readonly metadata = new grpc.Metadata();
  constructor(readonly code: grpc.status, readonly details: string, readonly notStarted = false) {
    super(`${code} ${grpc.status[code]}: ${details}`);
  }
}

export type CallDone = (err: StreamCallError | null, response?: Buffer) => void;

/**
 * Bytes a Call or Reply adds around the hook's message, besides the method path: field tags,
 * an id, a timeout, the length prefix (each varint ≤ 5 bytes), a status code.
 */
const ENVELOPE_BYTES = 32;
const PING = Buffer.alloc(0);
/** The largest id before wrapping to 1 (uint32; 0 is the hello). */
const MAX_ID = 0xffff_fffe;

interface Pending {
  readonly done: CallDone;
  readonly timer: NodeJS.Timeout;
}

export type CallStreamState = 'opening' | 'open' | 'closed';

export class CallStream {
  state: CallStreamState = 'opening';
  readonly #stream: grpc.ClientDuplexStream<Call, Reply__Output>;
  readonly #pending = new Map<number, Pending>();
  readonly #maxMessageBytes: number;
  #nextId = 1;
  #halfClosed = false;
  #opened!: (open: boolean) => void;
  /** Resolves true once the plugin answered the hello, false if the stream closed first. */
  readonly opened = new Promise<boolean>((resolve) => { this.#opened = resolve; });

  /**
   * Opens the stream and sends the hello. `ended` is told once, when the stream stops
   * carrying calls: `unsupported` when the plugin does not serve plugd.calls.v1, else the
   * error (or the plugin's clean end) that closed it.
   */
  constructor(client: grpc.Client, maxMessageBytes: number, readonly ended: (why: { unsupported: boolean; cause: grpc.ServiceError | undefined }) => void) {
    const def = serviceDefinition(CALLS).Calls!;
    this.#maxMessageBytes = maxMessageBytes;
    this.#stream = client.makeBidiStreamRequest(def.path,
      def.requestSerialize as (v: Call) => Buffer, def.responseDeserialize as (b: Buffer) => Reply__Output, {});
    this.#stream.on('data', (reply: Reply__Output) => this.#reply(reply));
    this.#stream.on('error', (err: grpc.ServiceError) => this.#close(err));
    // A clean end: the plugin answered what it received (it drains, or we half-closed).
    this.#stream.on('end', () => this.#close(undefined));
    this.#stream.write({ id: 0, maxResponseBytes: Math.max(0, maxMessageBytes - ENVELOPE_BYTES) });
  }

  /** True when calls may be sent on the stream (the plugin answered the hello, nobody closed it). */
  get usable(): boolean {
    return this.state === 'open' && !this.#halfClosed;
  }

  /** Calls in flight on the stream. */
  get inflight(): number {
    return this.#pending.size;
  }

  /** Sends one call; `done` is called exactly once. Only while usable. */
  send(path: string, request: Buffer, timeoutMs: number, done: CallDone): void {
    // Refused here, as grpc-js refuses an oversized unary request: sent, it would fail the stream.
    if (request.length + path.length + ENVELOPE_BYTES > this.#maxMessageBytes) {
      done(new StreamCallError(grpc.status.RESOURCE_EXHAUSTED,
        `request message larger than ${this.#maxMessageBytes} (${request.length} bytes and the call's ${path.length + ENVELOPE_BYTES} of envelope)`, true));
      return;
    }
    let id = this.#nextId;
    while (this.#pending.has(id)) id = id >= MAX_ID ? 1 : id + 1;
    this.#nextId = id >= MAX_ID ? 1 : id + 1;
    const timer = setTimeout(() => {
      if (this.#pending.get(id)?.timer !== timer) return;
      this.#pending.delete(id);
      if (this.usable) this.#stream.write({ id, cancel: true });
      done(new StreamCallError(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded'));
    }, Math.max(1, timeoutMs));
    this.#pending.set(id, { done, timer });
    this.#stream.write({ id, method: path, request, timeoutMs: Math.max(1, Math.ceil(timeoutMs)) });
  }

  /**
   * Sends `count` pings, `concurrency` at a time, until answered or `capMs` passed (whichever
   * first): the plugin's stream path runs its first thousands of calls (cold code, lazily
   * generated codecs) on these rather than on real calls. Resolves with the pings answered.
   */
  async ping(count: number, concurrency: number, capMs: number): Promise<number> {
    const end = performance.now() + capMs;
    let answered = 0;
    const one = (): Promise<void> => new Promise((resolve) => {
      this.send('', PING, Math.max(1, end - performance.now()), (err) => {
        if (err === null) answered++;
        resolve();
      });
    });
    for (let sent = 0; sent < count && this.usable && performance.now() < end; sent += concurrency) {
      await Promise.all(Array.from({ length: Math.min(concurrency, count - sent) }, one));
    }
    return answered;
  }

  #reply(reply: Reply__Output): void {
    if (reply.id === 0) {
      if (this.state === 'opening') this.state = 'open';
      this.#opened(true);
      return;
    }
    const p = this.#pending.get(reply.id);
    // Unknown ids are answers to calls that already timed out: nothing waits for them.
    if (p === undefined) return;
    this.#pending.delete(reply.id);
    clearTimeout(p.timer);
    if (reply.code === 0) p.done(null, reply.response);
    else p.done(new StreamCallError(reply.code as grpc.status, reply.message, reply.notStarted));
  }

  #close(err: grpc.ServiceError | undefined): void {
    if (this.state === 'closed') return;
    const unsupported = this.state === 'opening' && err?.code === grpc.status.UNIMPLEMENTED;
    this.state = 'closed';
    this.#opened(false);
    // Calls the plugin never answered: after a clean end it never received them (it ends only
    // once every call it received is answered), so they can go elsewhere; after a failure the
    // plugin may have run them, as a unary call cut by a crash.
    const failure = err === undefined
      ? new StreamCallError(grpc.status.UNAVAILABLE, 'call stream ended before the call was received', true)
      : new StreamCallError(err.code === grpc.status.OK ? grpc.status.UNAVAILABLE : err.code, `call stream failed: ${err.details || err.message}`);
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.done(failure);
    }
    this.#pending.clear();
    this.ended({ unsupported, cause: err });
  }

  /** Half-closes: the plugin answers what it has, then ends the stream. */
  end(): void {
    if (this.state === 'closed' || this.#halfClosed) return;
    this.#halfClosed = true;
    this.#stream.end();
  }
}
