/**
 * `plugd host --webhook`: the admission chain over the host's registered plugins behind the
 * webhook door, configured from the host config's `webhook` and `admission` sections.
 */
import type { AdmissionChain } from '../admission/chain.js';
import { parseHostPort } from '../config.js';
import type { PlugdHost } from '../host.js';
import { listenWebhook, WebhookDoor, type WebhookServer } from './webhook.js';

export interface RunningWebhook extends WebhookServer {
  readonly chain: AdmissionChain;
}

/** Starts the door on config.webhook.listen, in front of host.admission; host.stop() (or close()) stops serving. */
export async function startWebhook(host: PlugdHost): Promise<RunningWebhook> {
  const w = host.config.webhook;
  if (w.listen === undefined) throw new TypeError('startWebhook: config.webhook.listen is not set');
  const { host: addr, port } = parseHostPort(w.listen, '--webhook');
  const chain = host.admission;
  const door = new WebhookDoor({ chain, logger: host.logger, metrics: host.metrics.registry, maxBodyBytes: w.maxBodyBytes });
  const server = await listenWebhook(door, { host: addr, port, tlsCert: w.tlsCert, tlsKey: w.tlsKey, headersTimeoutMs: w.headersTimeoutMs, requestTimeoutMs: w.requestTimeoutMs }, host.logger);
  // host.stop() closes the door before the plugins go, so no review arrives at a chain being emptied.
  host.onStop(() => server.close());
  return { ...server, chain };
}
