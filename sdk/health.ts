/**
 * grpc.health.v1 served by every plugin: Check and Watch over a status per service name
 * ("" is the plugin as a whole). The host follows Watch; setting NOT_SERVING takes the
 * plugin out of rotation without closing anything.
 */
import * as grpc from '@grpc/grpc-js';

export type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN' | 'UNKNOWN';

interface HealthRequest {
  service: string;
}
interface HealthResponse {
  status: ServingStatus;
}

export class HealthService {
  readonly #status = new Map<string, ServingStatus>();
  readonly #watchers = new Map<string, Set<grpc.ServerWritableStream<HealthRequest, HealthResponse>>>();

  constructor(services: readonly string[], initial: ServingStatus = 'SERVING') {
    for (const s of ['', ...services]) this.#status.set(s, initial);
  }

  /** Sets the status of every service this plugin serves, and tells every watcher. */
  setAll(status: ServingStatus): void {
    for (const service of this.#status.keys()) this.set(service, status);
  }

  set(service: string, status: ServingStatus): void {
    if (this.#status.get(service) === status) return;
    this.#status.set(service, status);
    for (const call of this.#watchers.get(service) ?? []) call.write({ status });
  }

  get(service = ''): ServingStatus | undefined {
    return this.#status.get(service);
  }

  /** Ends every open Watch stream (at shutdown, so the server can drain). */
  endWatches(): void {
    for (const set of this.#watchers.values()) {
      for (const call of set) call.end();
      set.clear();
    }
  }

  handlers(): grpc.UntypedServiceImplementation {
    return {
      Check: (call: grpc.ServerUnaryCall<HealthRequest, HealthResponse>, cb: grpc.sendUnaryData<HealthResponse>) => {
        const status = this.#status.get(call.request.service);
        if (status === undefined) cb({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
        else cb(null, { status });
      },
      Watch: (call: grpc.ServerWritableStream<HealthRequest, HealthResponse>) => {
        const service = call.request.service;
        call.write({ status: this.#status.get(service) ?? 'SERVICE_UNKNOWN' });
        let set = this.#watchers.get(service);
        if (!set) this.#watchers.set(service, (set = new Set()));
        set.add(call);
        const drop = () => set.delete(call);
        call.on('cancelled', drop);
        call.on('close', drop);
      },
    };
  }
}
