/**
 * What every way of calling a hook shares (a unary rpc, a message on plugd.calls.v1): the
 * CallContext handed to the handler, and running the handler to one answer.
 */
import type * as grpc from '@grpc/grpc-js';
import type { CallContext, Handler } from './define.js';

/** A hook's CallContext; its AbortSignal is made on first use, handing its abort to `onCancel`. */
export function hookContext(plugin: string, metadata: grpc.Metadata, deadline: () => Date | undefined, onCancel: (abort: () => void) => void): CallContext {
  let controller: AbortController | undefined;
  return {
    plugin,
    metadata,
    get deadline() {
      return deadline();
    },
    get signal() {
      if (!controller) {
        const c = new AbortController();
        controller = c;
        onCancel(() => c.abort());
      }
      return controller.signal;
    },
  };
}

/** Runs a hook: `ok` gets its response, or `fail` what it threw or rejected with (once, either). */
export function runHook(handler: Handler<unknown, unknown>, request: unknown, ctx: CallContext, ok: (response: unknown) => void, fail: (err: unknown) => void): void {
  let result: unknown;
  try {
    result = handler(request, ctx);
  } catch (err) {
    fail(err);
    return;
  }
  // Any thenable, not only this realm's Promise (a handler may return another library's).
  if (isThenable(result)) result.then(ok, fail);
  else ok(result);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
