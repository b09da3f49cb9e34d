/**
 * Scheduling on a running PlugdHost: the kube-scheduler extender door over the host's cluster
 * state with a KubeSchedulerConfiguration profile whose dynamic plugins are the host's
 * registered ones (`plugd host --extender`), and the embedded host behind
 * `plugd schedule --socket-dir`.
 */
import { extenderDoor, listenExtender, type ExtenderDoor, type ExtenderServer } from './doors/extender.js';
import { parseHostPort } from './config.js';
import { ErrorCodes, PlugdError } from './errors.js';
import { PlugdHost } from './host.js';
import { dynamicResolver } from './scheduling/dynamic.js';
import type { Profile } from './scheduling/framework.js';
import { readKubeDocument } from './scheduling/kube-docs.js';
import { loadSchedulerConfiguration, ProfileError, SchedulerConfigAPIVersion, SchedulerConfigKind, type PluginResolver } from './scheduling/profile.js';
import { SnapshotFeeder } from './scheduling/snapshot-feed.js';
import { readListFile, seedCluster, type DynamicPlugins } from './scheduling/what-if.js';
import { BUILTIN_PLUGINS } from './scheduling/plugins.js';

export interface HostExtenderOptions {
  /** HOST:PORT to listen on (port 0: any free port). */
  readonly listen: string;
  /**
   * The KubeSchedulerConfiguration: a decoded document, or the path of a JSON or YAML file.
   * Default: kube's default profile over plugd's built-ins.
   */
  readonly schedulerConfig?: unknown;
  /** The profile to serve, by schedulerName; default the configuration's first. */
  readonly schedulerName?: string | undefined;
  /** Seeds host.cluster from `kubectl get nodes,pods -o json|yaml` output before serving. */
  readonly clusterFile?: string | undefined;
  /** URL prefix of the verbs (default /scheduler). */
  readonly prefix?: string | undefined;
  readonly maxBodyBytes?: number | undefined;
  /** Seeds the tie-break PRNG (tests). */
  readonly seed?: number | undefined;
}

export interface HostExtender {
  /** http://host:port of the server; the verbs hang under `${url}${door.prefix}`. */
  readonly url: string;
  readonly profile: Profile;
  /** The profile's plugins that are not built-ins: the host's dynamic plugins it names. */
  readonly dynamicPlugins: readonly string[];
  readonly door: ExtenderDoor;
  /** Stops listening (also done by host.stop()). Idempotent. */
  close(): Promise<void>;
}

/** The profile named `schedulerName` (else the first) of a configuration whose unknown names resolve to the host's plugins. */
export function hostProfile(host: PlugdHost, config: unknown, schedulerName: string | undefined, feeder = new SnapshotFeeder(host)): { profile: Profile; dynamicPlugins: string[] } {
  let doc: unknown = config ?? { apiVersion: SchedulerConfigAPIVersion, kind: SchedulerConfigKind };
  const file = typeof doc === 'string' ? doc : undefined;
  if (file !== undefined) doc = readKubeDocument(file);
  const resolve = dynamicResolver(host, feeder);
  const named = new Set<string>();
  const recording: PluginResolver = (name, args) => {
    named.add(name);
    return resolve(name, args);
  };
  let loaded;
  try {
    loaded = loadSchedulerConfiguration(doc, { resolve: recording });
  } catch (e) {
    if (e instanceof ProfileError && file !== undefined) throw new ProfileError(e.errors.map((x) => ({ field: `${file}: ${x.field}`, message: x.message })));
    throw e;
  }
  const profile = schedulerName === undefined ? loaded.profiles[0] : loaded.profiles.find((p) => p.schedulerName === schedulerName);
  if (profile === undefined) {
    throw new PlugdError(ErrorCodes.CONFIG_INVALID,
      `--scheduler-config: no profile has schedulerName ${JSON.stringify(schedulerName)} (profiles: ${loaded.profiles.map((p) => p.schedulerName).join(', ')})`);
  }
  return { profile, dynamicPlugins: [...named].filter((n) => !BUILTIN_PLUGINS.has(n)) };
}

/**
 * Serves kube-scheduler's extender API on `opts.listen` for one profile over `host.cluster`
 * (other feeds, e.g. informers, keep it current; `clusterFile` seeds it). The profile's
 * dynamic plugins are resolved against the host's registry per call, so a plugin that
 * registers later, or re-registers under another interface version, is picked up; until then
 * its failure policy answers for it. The server closes on host.stop().
 */
export async function serveExtender(host: PlugdHost, opts: HostExtenderOptions): Promise<HostExtender> {
  const { host: addr, port } = parseHostPort(opts.listen, '--extender');
  const { profile, dynamicPlugins } = hostProfile(host, opts.schedulerConfig, opts.schedulerName);
  if (opts.clusterFile !== undefined) {
    const pending = seedCluster(host.cluster, readListFile(opts.clusterFile));
    host.logger.info({ file: opts.clusterFile, nodes: host.cluster.snapshot().nodes.length, pendingIgnored: pending.length }, 'cluster state seeded from file');
  }
  const door = extenderDoor(profile, { cluster: host.cluster, prefix: opts.prefix, maxBodyBytes: opts.maxBodyBytes, framework: { seed: opts.seed } });
  let server: ExtenderServer;
  try {
    server = await listenExtender(door, addr, port);
  } catch (err) {
    throw new PlugdError(ErrorCodes.CONFIG_INVALID, `--extender ${opts.listen}: cannot listen: ${(err as Error).message}`, { cause: err });
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= server.close());
  host.onStop(close);
  host.logger.info({ url: `${server.url}${door.prefix}`, profile: profile.schedulerName, dynamicPlugins },
    `extender door serving ${server.url}${door.prefix} (profile ${profile.schedulerName})`);
  return { url: server.url, profile, dynamicPlugins, door, close };
}

/**
 * An embedded host on `socketDir` (no admin server, nothing launched) for `plugd schedule
 * --socket-dir`: its registered scheduling plugins resolve by name in profiles.
 */
export async function openDynamicPlugins(socketDir: string): Promise<DynamicPlugins> {
  const host = new PlugdHost({ socketDir, admin: false });
  await host.start();
  return {
    resolve: dynamicResolver(host, new SnapshotFeeder(host)),
    waitFor: async (names, timeoutMs) => {
      const missing: string[] = [];
      await Promise.all(names.map(async (name) => {
        if ((await host.registry.waitForRotation(name, timeoutMs)) === undefined) missing.push(name);
      }));
      if (missing.length === 0) return;
      const present = host.plugins().map((p) => p.name);
      throw new PlugdError(ErrorCodes.PLUGIN_UNAVAILABLE,
        `--socket-dir ${socketDir}: plugin${missing.length > 1 ? 's' : ''} ${missing.sort().join(', ')} named by the profile did not register within ${timeoutMs} ms ` +
        `(registered there: ${present.length > 0 ? present.join(', ') : 'none'})`, { plugin: missing[0] });
    },
    close: () => host.stop(),
  };
}
