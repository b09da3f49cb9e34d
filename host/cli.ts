/**
 * The plugd command: `host` runs the host, `serve` runs a plugin module, `plugins` lists
 * what a running host has registered.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { renamePlugin, servePlugin, servePlugins, type PluginDefinition } from '../sdk/index.js';
import { defaultSocketDir } from '../sdk/paths.js';
import { defaultConfig, loadConfig, parseHostPort, type HostConfig } from './config.js';
import { isPlugdError } from './errors.js';
import { startCniService } from './doors/cni.js';
import { DEFAULT_ADMIN, PlugdHost } from './host.js';
import { loadPluginModule, PluginModuleError } from './plugin-module.js';
import { createLogger, type LogFormat } from './log.js';
import { packageRoot } from './paths.js';
import type { InstanceStatus } from './registry/registry.js';
import { pluginsTable } from './status/table.js';
import type { StatusSnapshot } from './status/types.js';

const USAGE = `usage:
  plugd host [--socket-dir DIR] [--admin HOST:PORT] [--config FILE] [--log-level LEVEL] [--log-format json|pretty]
             [--allow-insecure-socket-dir]
             [--extender HOST:PORT [--scheduler-config FILE] [--scheduler-name NAME] [--cluster FILE]]
             [--kubeconfig FILE | --in-cluster]
             [--cni-socket PATH [--cni-conf-dir DIR] [--cni-path DIRS] [--cni-cache-dir DIR] [--cni-max-concurrent N] [--cni-max-queued N]]
             [--webhook HOST:PORT [--tls-cert FILE --tls-key FILE] [--webhook-max-body-bytes N]]
  plugd serve MODULE [--socket-dir DIR] [--name NAME] [--socket PATH] [--replace] [--stay-when-superseded]
  plugd serve MODULE MODULE... [--socket-dir DIR] [--stay-when-superseded]   (several plugins in one process)
  plugd plugins [--admin HOST:PORT] [--json]
  plugd schedule --cluster FILE --pods FILE [--config FILE] [--socket-dir DIR] [--seed N] [--json]   (JSON or YAML; --help for more)
  plugd version

defaults: --socket-dir ${defaultSocketDir()}  --admin ${DEFAULT_ADMIN}`;

class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

function logFormat(value: string | undefined): LogFormat | undefined {
  if (value === undefined || value === 'json' || value === 'pretty') return value;
  return fail(`--log-format must be json or pretty, got ${value}`);
}

async function runHost(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'socket-dir': { type: 'string' },
      admin: { type: 'string' },
      config: { type: 'string' },
      'log-level': { type: 'string' },
      'log-format': { type: 'string' },
      'allow-insecure-socket-dir': { type: 'boolean' },
      extender: { type: 'string' },
      'scheduler-config': { type: 'string' },
      'scheduler-name': { type: 'string' },
      cluster: { type: 'string' },
      'cni-socket': { type: 'string' },
      'cni-conf-dir': { type: 'string' },
      'cni-path': { type: 'string' },
      'cni-cache-dir': { type: 'string' },
      'cni-max-concurrent': { type: 'string' },
      'cni-max-queued': { type: 'string' },
      kubeconfig: { type: 'string' },
      'in-cluster': { type: 'boolean' },
      webhook: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'webhook-max-body-bytes': { type: 'string' },
    },
  });
  if (values.extender === undefined && (values['scheduler-config'] || values['scheduler-name'] || values.cluster)) {
    fail('--scheduler-config, --scheduler-name and --cluster configure the extender door: they need --extender HOST:PORT');
  }
  if (values.extender !== undefined) parseHostPort(values.extender, '--extender');
  if (!values['cni-socket'] && (values['cni-conf-dir'] || values['cni-path'] || values['cni-cache-dir'] || values['cni-max-concurrent'] || values['cni-max-queued'])) {
    fail('--cni-conf-dir, --cni-path, --cni-cache-dir, --cni-max-concurrent and --cni-max-queued need --cni-socket');
  }
  const cniMaxConcurrent = countFlag(values['cni-max-concurrent'], '--cni-max-concurrent', 1);
  const cniMaxQueued = countFlag(values['cni-max-queued'], '--cni-max-queued', 0);
  if (values.cluster !== undefined && (values.kubeconfig !== undefined || values['in-cluster'])) {
    fail('--cluster FILE and --kubeconfig/--in-cluster both feed the cluster state: pick one');
  }
  // Nodes and pods from the API server (host/kube); loaded only when asked for: the client costs ~0.8 s to import.
  const kube = values.kubeconfig !== undefined || values['in-cluster'] ? await import('./kube/index.js') : undefined;
  const kubeConfig = kube?.loadKubeConfig({ kubeconfig: values.kubeconfig, inCluster: values['in-cluster'] });
  const config = values.config ? loadConfig(values.config) : defaultConfig();
  if (values['allow-insecure-socket-dir']) config.security.allowInsecureSocketDir = true;
  if (values.admin) parseHostPort(values.admin, '--admin');
  applyWebhookFlags(config.webhook, values);
  const logger = createLogger({ level: values['log-level'], format: logFormat(values['log-format'] ?? process.env.PLUGD_LOG_FORMAT) });
  const host = new PlugdHost({ socketDir: values['socket-dir'], admin: values.admin, config, logger });
  const defaults = [
    values['socket-dir'] || config.socketDir ? '' : ' (default)',
    values.admin || config.admin ? '' : ' (default)',
  ];
  process.stderr.write(`plugd host: socket dir ${host.socketDir}${defaults[0]}; admin ${values.admin ?? config.admin ?? DEFAULT_ADMIN}${defaults[1]}` +
    `${values.config ? `; config ${values.config}` : ''}\n`);

  const launched = config.launch.length;
  if (launched > 0) {
    let active = 0;
    host.registry.on('activated', (inst, previous) => {
      if (previous || active >= launched) return;
      active++;
      process.stderr.write(`plugd host: ${active}/${launched} plugins active (${inst.name}, ${inst.type} ${inst.version})\n`);
      if (active === launched) process.stderr.write(`plugd host: all launched plugins are live; list them with: npx plugd plugins --admin ${host.adminUrl?.slice('http://'.length) ?? ''}\n`);
    });
  }
  // Started before the admin server, so /readyz never answers ready ahead of the initial lists.
  const clusterWatch = kube && kubeConfig ? kube.watchCluster(host, kubeConfig) : undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void Promise.resolve(clusterWatch?.stop()).then(() => host.stop()).then(() => process.exit(0), (err: unknown) => {
      logger.error({ err }, 'stop failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await host.start();
  if (values.extender !== undefined) {
    const { serveExtender } = await import('./scheduling-host.js');
    try {
      const door = await serveExtender(host, { listen: values.extender, schedulerConfig: values['scheduler-config'], schedulerName: values['scheduler-name'], clusterFile: values.cluster });
      const dyn = door.dynamicPlugins.length > 0 ? `; dynamic plugins: ${door.dynamicPlugins.join(', ')}` : '';
      process.stderr.write(`plugd host: extender door serving ${door.url}${door.door.prefix} (profile ${door.profile.schedulerName}${dyn})\n`);
    } catch (err) {
      await host.stop();
      throw err;
    }
  }
  if (values['cni-socket']) {
    try {
      const cni = await startCniService(host, {
        socketPath: resolve(values['cni-socket']),
        confDir: values['cni-conf-dir'] ? resolve(values['cni-conf-dir']) : undefined,
        cniPath: values['cni-path']?.split(':').filter((d) => d !== '').map((d) => resolve(d)),
        cacheDir: values['cni-cache-dir'] ? resolve(values['cni-cache-dir']) : undefined,
        maxConcurrent: cniMaxConcurrent,
        maxQueued: cniMaxQueued,
      });
      host.onStop(() => cni.door.close()); // the door goes before the plugins it calls
      process.stderr.write(`plugd host: CNI shim socket ${cni.door.socketPath}; ${cni.chains.networks().length} networks${values['cni-conf-dir'] ? ` from ${values['cni-conf-dir']}` : ''}\n`);
    } catch (err) {
      await host.stop();
      throw err;
    }
  }
  if (config.webhook.listen !== undefined) {
    try {
      const door = await (await import('./doors/webhook-host.js')).startWebhook(host, { namespaces: clusterWatch?.namespaces });
      process.stderr.write(`plugd host: admission webhook on ${door.url} (POST /mutate, POST /validate)\n`);
    } catch (err) {
      await host.stop();
      throw err;
    }
  }
}

/** --webhook, --tls-cert, --tls-key, --webhook-max-body-bytes over the config file's `webhook`. */
function applyWebhookFlags(w: HostConfig['webhook'], values: { webhook?: string; 'tls-cert'?: string; 'tls-key'?: string; 'webhook-max-body-bytes'?: string }): void {
  if (values.webhook !== undefined) w.listen = values.webhook;
  if (values['tls-cert'] !== undefined) w.tlsCert = resolve(values['tls-cert']);
  if (values['tls-key'] !== undefined) w.tlsKey = resolve(values['tls-key']);
  if ((w.tlsCert === undefined) !== (w.tlsKey === undefined)) fail('--tls-cert and --tls-key go together');
  if (w.tlsCert !== undefined && w.listen === undefined) fail('--tls-cert and --tls-key are for the webhook door: give --webhook HOST:PORT too');
  const max = values['webhook-max-body-bytes'];
  if (max !== undefined) {
    if (!/^\d+$/.test(max) || Number(max) < 1024) fail(`--webhook-max-body-bytes must be an integer ≥ 1024, got ${max}`);
    w.maxBodyBytes = Number(max);
  }
  if (w.listen !== undefined) parseHostPort(w.listen, '--webhook');
}

/** A whole-number flag ≥ min, or undefined when not given. */
function countFlag(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) fail(`${flag} must be an integer ≥ ${min}, got ${value}`);
  return Number(value);
}

/** A plugin module for `plugd serve`: a module that is not one is a usage error. */
async function importPlugin(spec: string): Promise<PluginDefinition> {
  try {
    return await loadPluginModule(spec);
  } catch (err) {
    if (err instanceof PluginModuleError) fail(err.message);
    throw err;
  }
}

async function runServe(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'socket-dir': { type: 'string' }, name: { type: 'string' }, socket: { type: 'string' }, replace: { type: 'boolean' },
      'stay-when-superseded': { type: 'boolean' } },
  });
  if (positionals.length === 0) fail('serve takes a MODULE (or several)');
  if (positionals.length > 1) {
    for (const flag of ['name', 'socket', 'replace'] as const) if (values[flag] !== undefined) fail(`--${flag} takes one MODULE; serving ${positionals.length}, each is named by its definition and served on <socket dir>/<name>.sock`);
    const defs = [];
    for (const m of positionals) defs.push(await importPlugin(m));
    const format = logFormat(process.env.PLUGD_LOG_FORMAT);
    await servePlugins(defs, { socketDir: values['socket-dir'], logger: (def) => createLogger({ stream: process.stderr, name: def.name, format }),
      exitWhenSuperseded: values['stay-when-superseded'] ? false : undefined });
    return;
  }
  let def = await importPlugin(positionals[0]!);
  if (values.name) def = renamePlugin(def, values.name);
  const logger = createLogger({ stream: process.stderr, name: def.name, format: logFormat(process.env.PLUGD_LOG_FORMAT) });
  // --stay-when-superseded: under a supervisor that restarts what exits (a Kubernetes pod), a
  // superseded instance that exited would come back and register again; it waits for SIGTERM.
  await servePlugin(def, { socketDir: values['socket-dir'], socketPath: values.socket, replace: values.replace, logger,
    exitWhenSuperseded: values['stay-when-superseded'] ? false : undefined });
}

async function runPlugins(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { admin: { type: 'string' }, json: { type: 'boolean' } } });
  const { host, port } = parseHostPort(values.admin ?? DEFAULT_ADMIN, '--admin');
  // --json: the instances as /plugins has them; the table reads /status.json, which adds calls and latency.
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/${values.json ? 'plugins' : 'status.json'}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  } catch (err) {
    return fail(`cannot reach the host's admin server at ${url}: ${(err as Error).message} (is \`plugd host\` running? pass --admin HOST:PORT)`);
  }
  if (!res.ok) fail(`${url}: HTTP ${res.status}`);
  if (values.json) return void process.stdout.write(`${JSON.stringify((await res.json()) as InstanceStatus[], null, 2)}\n`);
  const terminal = process.stdout.isTTY === true && !process.env.NO_COLOR;
  process.stdout.write(pluginsTable((await res.json()) as StatusSnapshot, { terminal }));
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'host': return await runHost(rest);
      case 'serve': return await runServe(rest);
      case 'plugins': return await runPlugins(rest);
      case 'schedule': {
        const [{ runScheduleCommand }, { openDynamicPlugins }] = await Promise.all([import('./scheduling/what-if.js'), import('./scheduling-host.js')]);
        process.exitCode = await runScheduleCommand(rest, process.stdout, process.stderr, openDynamicPlugins);
        return;
      }
      case 'version': case '--version':
        process.stdout.write(`plugd ${(await import(pathToFileURL(join(packageRoot(), 'package.json')).href, { with: { type: 'json' } })).default.version}\n`);
        return;
      case undefined: case 'help': case '--help': case '-h':
        process.stdout.write(`${USAGE}\n`);
        return;
      default:
        fail(`unknown command ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`plugd: ${(err as Error).message}\n${USAGE}\n`);
      process.exit(2);
    }
    const code = (err as { code?: unknown }).code;
    if (isPlugdError(err) || (typeof code === 'string' && code.startsWith('PLUGD_'))) {
      process.stderr.write(`plugd: ${(err as Error).message} [${String(code)}]\n`);
      process.exit(1);
    }
    throw err;
  }
}
