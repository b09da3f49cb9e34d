/**
 * `plugd host --webhook`: the admission chain over the host's registered plugins behind the
 * webhook door, configured from the host config's `webhook` and `admission` sections; the
 * modules of `admission.inProcess` run inside the host, in the same chain.
 */
import { AdmissionChain } from '../admission/chain.js';
import type { NamespaceLookup } from '../admission/match.js';
import { parseHostPort } from '../config.js';
import { ErrorCodes, PlugdError } from '../errors.js';
import type { PlugdHost } from '../host.js';
import { loadPluginModule } from '../plugin-module.js';
import type { PluginDefinition } from '../../sdk/index.js';
import { listenWebhook, WebhookDoor, type WebhookServer } from './webhook.js';

export interface RunningWebhook extends WebhookServer {
  readonly chain: AdmissionChain;
}

export interface StartWebhookOptions {
  /**
   * Namespace labels for namespaceSelector (e.g. the API server informers' cache, host/kube);
   * without it the door's chain is host.admission, which evaluates only kubernetes.io/metadata.name.
   */
  readonly namespaces?: NamespaceLookup | undefined;
}

/** Starts the door on config.webhook.listen, in front of host.admission; host.stop() (or close()) stops serving. */
export async function startWebhook(host: PlugdHost, options: StartWebhookOptions = {}): Promise<RunningWebhook> {
  const w = host.config.webhook;
  if (w.listen === undefined) throw new TypeError('startWebhook: config.webhook.listen is not set');
  const { host: addr, port } = parseHostPort(w.listen, '--webhook');
  const chain = options.namespaces === undefined ? host.admission : new AdmissionChain(host, { namespaces: options.namespaces });
  for (const module of host.config.admission.inProcess) {
    let def: PluginDefinition;
    try {
      def = await loadPluginModule(module);
    } catch (err) {
      throw new PlugdError(ErrorCodes.CONFIG_INVALID, `admission.inProcess: ${(err as Error).message}`, { cause: err });
    }
    if (def.type !== 'AdmissionPlugin') throw new PlugdError(ErrorCodes.CONFIG_INVALID, `admission.inProcess: ${module} is a ${def.type}, not an AdmissionPlugin`, { plugin: def.name });
    chain.use(def);
    host.logger.info({ plugin: def.name, module }, `admission plugin ${def.name} runs in the host process (admission.inProcess): no hop per call, no process isolation, no hot-swap`);
  }
  const door = new WebhookDoor({ chain, logger: host.logger, metrics: host.metrics.registry, maxBodyBytes: w.maxBodyBytes });
  const server = await listenWebhook(door, { host: addr, port, tlsCert: w.tlsCert, tlsKey: w.tlsKey, headersTimeoutMs: w.headersTimeoutMs, requestTimeoutMs: w.requestTimeoutMs }, host.logger);
  // host.stop() closes the door before the plugins go, so no review arrives at a chain being emptied.
  host.onStop(async () => {
    await server.close();
    if (chain !== host.admission) chain.close();
  });
  return { ...server, chain };
}
