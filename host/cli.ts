/**
 * The plugd command: `host` runs the host, `serve` runs a plugin module, `plugins` lists
 * what a running host has registered.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isPluginDefinition, renamePlugin, servePlugin, type PluginDefinition } from '../sdk/index.js';
import { defaultSocketDir } from '../sdk/paths.js';
import { defaultConfig, loadConfig, parseHostPort } from './config.js';
import { isPlugdError } from './errors.js';
import { DEFAULT_ADMIN, PlugdHost } from './host.js';
import { createLogger, type LogFormat } from './log.js';
import { packageRoot } from './paths.js';
import type { InstanceStatus } from './registry/registry.js';

const USAGE = `usage:
  plugd host [--socket-dir DIR] [--admin HOST:PORT] [--config FILE] [--log-level LEVEL] [--log-format json|pretty]
             [--allow-insecure-socket-dir]
  plugd serve MODULE [--socket-dir DIR] [--name NAME] [--socket PATH] [--replace] [--stay-when-superseded]
  plugd plugins [--admin HOST:PORT] [--json]
  plugd schedule --cluster FILE --pods FILE [--config FILE] [--seed N] [--json]   (JSON files; --help for more)
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
    },
  });
  const config = values.config ? loadConfig(values.config) : defaultConfig();
  if (values['allow-insecure-socket-dir']) config.security.allowInsecureSocketDir = true;
  if (values.admin) parseHostPort(values.admin, '--admin');
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
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void host.stop().then(() => process.exit(0), (err: unknown) => {
      logger.error({ err }, 'stop failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await host.start();
}

/** Finds the module file for MODULE (a file, or a directory with index.ts/index.js). */
function resolveModule(spec: string): string {
  const p = resolve(spec);
  if (existsSync(p) && statSync(p).isDirectory()) {
    for (const f of ['index.ts', 'index.js', 'index.mjs']) if (existsSync(join(p, f))) return join(p, f);
    return fail(`${spec}: a directory without index.ts or index.js`);
  }
  if (existsSync(p)) return p;
  for (const ext of ['.ts', '.mts', '.js', '.mjs']) if (existsSync(p + ext)) return p + ext;
  return fail(`${spec}: no such module`);
}

/** Imports a plugin module: this package's own TypeScript from dist/, any other TypeScript through tsx. */
async function importPlugin(file: string): Promise<PluginDefinition> {
  let mod: { default?: unknown };
  const root = packageRoot();
  const rel = relative(root, file);
  const compiled = join(root, 'dist', rel.replace(/\.ts$/, '.js'));
  if (extname(file) === '.ts' && !rel.startsWith('..') && !rel.startsWith('dist') && existsSync(compiled)) {
    mod = (await import(pathToFileURL(compiled).href)) as typeof mod;
  } else if (/\.[cm]?ts$/.test(file)) {
    const { tsImport } = await import('tsx/esm/api');
    mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as typeof mod;
  } else {
    mod = (await import(pathToFileURL(file).href)) as typeof mod;
  }
  // A CommonJS-scoped TypeScript file comes back as { default: { default: plugin } }.
  const exported = isPluginDefinition(mod.default) ? mod.default : (mod.default as { default?: unknown } | undefined)?.default;
  if (!isPluginDefinition(exported)) fail(`${file} must default-export definePlugin({...})`);
  return exported;
}

async function runServe(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'socket-dir': { type: 'string' }, name: { type: 'string' }, socket: { type: 'string' }, replace: { type: 'boolean' },
      'stay-when-superseded': { type: 'boolean' } },
  });
  if (positionals.length !== 1) fail('serve takes exactly one MODULE');
  let def = await importPlugin(resolveModule(positionals[0]!));
  if (values.name) def = renamePlugin(def, values.name);
  const logger = createLogger({ stream: process.stderr, name: def.name, format: logFormat(process.env.PLUGD_LOG_FORMAT) });
  // --stay-when-superseded: under a supervisor that restarts what exits (a Kubernetes pod), a
  // superseded instance that exited would come back and register again; it waits for SIGTERM.
  await servePlugin(def, { socketDir: values['socket-dir'], socketPath: values.socket, replace: values.replace, logger,
    exitWhenSuperseded: values['stay-when-superseded'] ? false : undefined });
}

function table(rows: InstanceStatus[]): string {
  const head = ['NAME', 'TYPE', 'VERSION', 'GEN', 'STATE', 'HEALTHY', 'INFLIGHT', 'SOCKET', 'HOOKS'];
  const body = rows.map((r) => [r.name, r.type, r.version, String(r.generation), r.state, r.healthy ? 'yes' : 'no', String(r.inflight), r.socket,
    Array.isArray(r.capabilities.implemented) ? (r.capabilities.implemented as string[]).join(',') : '']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((cols) => cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

async function runPlugins(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { admin: { type: 'string' }, json: { type: 'boolean' } } });
  const { host, port } = parseHostPort(values.admin ?? DEFAULT_ADMIN, '--admin');
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/plugins`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  } catch (err) {
    return fail(`cannot reach the host's admin server at ${url}: ${(err as Error).message} (is \`plugd host\` running? pass --admin HOST:PORT)`);
  }
  if (!res.ok) fail(`${url}: HTTP ${res.status}`);
  const rows = (await res.json()) as InstanceStatus[];
  process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : rows.length === 0 ? 'no plugins registered\n' : `${table(rows)}\n`);
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'host': return await runHost(rest);
      case 'serve': return await runServe(rest);
      case 'plugins': return await runPlugins(rest);
      case 'schedule': process.exitCode = await (await import('./scheduling/what-if.js')).runScheduleCommand(rest); return;
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
