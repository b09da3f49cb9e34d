/**
 * The plugin's end of plugd.calls.v1 (proto/plugd/calls/v1/calls.proto): the host's hook
 * calls as messages on one stream, each answered by the same handler the unary rpc runs,
 * with the same context (deadline, an AbortSignal that fires when the host cancels).
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { CALLS, serviceDefinition } from '../proto/index.js';
import type { Call__Output } from '../proto/gen/plugd/calls/v1/Call.js';
import type { Reply } from '../proto/gen/plugd/calls/v1/Reply.js';
import type { Handler } from './define.js';
import { hookContext, runHook } from './hook-call.js';

/** One rpc as the stream dispatches it: the unary method's codec and the hook's handler. */
export interface StreamMethod {
  readonly deserialize: (bytes: Buffer) => unknown;
  readonly serialize: (value: unknown) => Buffer;
  readonly handler: Handler<unknown, unknown>;
}

export interface StreamError {
  readonly code: number;
  readonly details: string;
}

type Duplex = grpc.ServerDuplexStream<Call__Output, Reply>;

interface OpenStream {
  readonly call: Duplex;
  /** Calls started and not yet answered. */
  inflight: number;
  /** The host half-closed its side. */
  halfClosed: boolean;
  /** This side ended (or the stream broke): nothing more is written. */
  ended: boolean;
}

/** Every open stream of one plugin server, so close() can drain them. */
export class CallStreams {
  readonly #open = new Set<OpenStream>();
  #draining = false;
  #drained: (() => void) | undefined;

  constructor(
    readonly plugin: string,
    readonly methods: ReadonlyMap<string, StreamMethod>,
    readonly toError: (err: unknown) => StreamError,
    readonly log: Logger,
  ) {}

  /** The service implementation to add to the plugin's server. */
  service(): [grpc.ServiceDefinition, grpc.UntypedServiceImplementation] {
    return [serviceDefinition(CALLS), { Calls: (call: Duplex) => this.#serve(call) }];
  }

  /**
   * Answers calls already started, refuses new ones (`not_started`, so the host sends them
   * to another instance), and ends every stream once its calls are answered.
   */
  drain(): Promise<void> {
    this.#draining = true;
    for (const s of this.#open) if (s.inflight === 0) this.#finish(s);
    if (this.#open.size === 0) return Promise.resolve();
    return new Promise((resolve) => { this.#drained = resolve; });
  }

  #serve(call: Duplex): void {
    const s: OpenStream = { call, inflight: 0, halfClosed: false, ended: false };
    this.#open.add(s);
    /** The aborts of the calls whose handler asked for its signal. */
    const aborts = new Map<number, () => void>();
    let maxResponseBytes = 0;
    const answer = (reply: Reply): void => {
      if (!s.ended) call.write(reply);
    };
    call.on('data', (c: Call__Output) => {
      if (c.id === 0) {
        maxResponseBytes = c.maxResponseBytes;
        answer({ id: 0 });
        // Opened while draining: nothing will run on it, so it ends at once.
        this.#settle(s);
        return;
      }
      if (c.cancel) {
        aborts.get(c.id)?.();
        return;
      }
      if (c.method === '') {
        answer({ id: c.id }); // a ping
        return;
      }
      if (this.#draining) {
        answer({ id: c.id, code: grpc.status.UNAVAILABLE, message: `plugin ${this.plugin} is draining; call not started`, notStarted: true });
        return;
      }
      const m = this.methods.get(c.method);
      if (m === undefined) {
        answer({ id: c.id, code: grpc.status.UNIMPLEMENTED, message: `plugin ${this.plugin} does not implement ${c.method}` });
        return;
      }
      let request: unknown;
      try {
        request = m.deserialize(c.request);
      } catch (err) {
        answer({ id: c.id, code: grpc.status.INTERNAL, message: `request deserialization failure: ${(err as Error).message}` });
        return;
      }
      s.inflight++;
      const deadline = c.timeoutMs > 0 ? new Date(Date.now() + c.timeoutMs) : undefined;
      const ctx = hookContext(this.plugin, new grpc.Metadata(), () => deadline, (abort) => aborts.set(c.id, abort));
      const finish = (reply: Reply): void => {
        aborts.delete(c.id);
        s.inflight--;
        answer(reply);
        this.#settle(s);
      };
      runHook(m.handler, request, ctx, (res) => {
        let bytes: Buffer;
        try {
          bytes = m.serialize(res);
        } catch (e) {
          return finish({ id: c.id, code: grpc.status.INTERNAL, message: `response serialization failure: ${(e as Error).message}` });
        }
        if (maxResponseBytes > 0 && bytes.length > maxResponseBytes) {
          this.log.warn({ method: c.method, bytes: bytes.length, limit: maxResponseBytes }, 'response over the host\'s message size limit; answering RESOURCE_EXHAUSTED');
          return finish({ id: c.id, code: grpc.status.RESOURCE_EXHAUSTED, message: `response message larger than ${maxResponseBytes} (${bytes.length} bytes), the host's limit` });
        }
        finish({ id: c.id, response: bytes });
      }, (err) => {
        const e = this.toError(err);
        finish({ id: c.id, code: e.code, message: e.details });
      });
    });
    // The host half-closed: answer what is in flight, then end.
    call.on('end', () => {
      s.halfClosed = true;
      this.#settle(s);
    });
    call.on('error', () => this.#forget(s));
    call.on('cancelled', () => {
      for (const abort of aborts.values()) abort();
      this.#forget(s);
    });
  }

  /** Ends the stream once nothing is in flight and the host half-closed or we drain. */
  #settle(s: OpenStream): void {
    if (s.inflight === 0 && (s.halfClosed || this.#draining)) this.#finish(s);
  }

  #finish(s: OpenStream): void {
    if (s.ended) return;
    s.ended = true;
    s.call.end();
    this.#forget(s);
  }

  #forget(s: OpenStream): void {
    s.ended = true;
    this.#open.delete(s);
    if (this.#draining && this.#open.size === 0) this.#drained?.();
  }
}
