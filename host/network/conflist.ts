/**
 * Network configuration lists in CNI's format, parsed and validated as libcni does:
 * `{cniVersion | cniVersions, name, disableCheck, disableGC, loadOnlyInlinedPlugins, plugins:
 * [{type, …}]}`, and a single plugin config (`.conf`/`.json`) taken as a list of one (libcni's
 * ConfListFromConf). A config directory is read as libcni's LoadConfList reads it: the
 * `.conflist` files in lexical order first, then the `.conf`/`.json` ones; the first file to
 * define a network name wins. A `.conflist` also takes the plugins of `<dir>/<name>/*.conf`
 * unless `loadOnlyInlinedPlugins` (libcni's NetworkConfFromFile).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { CNI_VERSION, CniCode, CniError, isObject, SUPPORTED_CNI_VERSIONS, type JsonObject } from './cni.js';
import { compareCniVersions, isCniVersion } from './version.js';

/** One validated network configuration list. */
export interface NetworkConfigList {
  readonly cniVersion: string;
  readonly name: string;
  readonly disableCheck: boolean;
  readonly disableGC: boolean;
  /** Each plugin's entry as written (its `type` checked); name and cniVersion are injected per call. */
  readonly plugins: readonly PluginEntry[];
  /** Where it came from: a file path, or "library". */
  readonly source: string;
}

export interface PluginEntry {
  readonly type: string;
  readonly conf: Readonly<JsonObject>;
}

/** CNI's network name rule (spec 1.0: alphanumerics, '_', '.', '-', starting alphanumeric). */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

const invalid = (msg: string, source: string): CniError => new CniError(CniCode.INVALID_CONFIG, msg, `network configuration ${source}`);

function bool(v: unknown, key: string, source: string): boolean {
  if (v === undefined) return false;
  if (typeof v === 'boolean') return v;
  // libcni accepts the string forms too, in any case (some generators write "True").
  if (typeof v !== 'string') throw invalid(`error parsing configuration list: invalid type ${goType(v)} for ${key}`, source);
  const s = v.toLowerCase();
  if (s === 'true' || s === 'false') return s === 'true';
  throw invalid(`error parsing configuration list: invalid value ${JSON.stringify(s)} for ${key}`, source);
}

/** The Go type name libcni's messages print (%T of a decoded JSON value). */
function goType(v: unknown): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  return { number: 'float64', string: 'string', boolean: 'bool', object: 'map[string]interface {}' }[typeof v as string] ?? typeof v;
}

/** One plugin config object (libcni's NetworkPluginConfFromBytes); `where` prefixes the message as libcni wraps it. */
function pluginEntry(raw: unknown, where: string, source: string): PluginEntry {
  if (!isObject(raw)) throw invalid(`${where}error parsing configuration: not a JSON object`, source);
  const type = raw.type;
  if (type === undefined || type === '') throw invalid(`${where}error parsing configuration: missing 'type'`, source);
  if (typeof type !== 'string') throw invalid(`${where}error parsing configuration: invalid 'type' type ${goType(type)}`, source);
  // A type is looked up as a file name on the CNI path: no directories.
  if (type.includes('/') || type === '.' || type === '..') throw invalid(`${where}type ${JSON.stringify(type)} is not a plugin name`, source);
  return { type, conf: raw };
}

/**
 * The list's version as libcni's NetworkConfFromBytes picks it: with `cniVersions`, the
 * highest of those and `cniVersion` that is not newer than the spec the host implements
 * (1.1.0); newer ones are ignored, not refused.
 */
function listVersion(raw: JsonObject, source: string): unknown {
  const cniVersion = raw.cniVersion;
  if (raw.cniVersions === undefined) return cniVersion;
  if (!Array.isArray(raw.cniVersions)) throw invalid(`error parsing configuration list: invalid type for cniVersions: ${goType(raw.cniVersions)}`, source);
  const candidates: string[] = [];
  raw.cniVersions.forEach((v: unknown, i) => {
    if (typeof v !== 'string') throw invalid(`error parsing configuration list: invalid type for cniVersions index ${i}: ${goType(v)}`, source);
    if (!isCniVersion(v)) throw invalid(`error parsing configuration list: invalid cniVersions entry ${v} at index ${i}`, source);
    if (compareCniVersions(v, CNI_VERSION) <= 0) candidates.push(v);
  });
  if (typeof cniVersion === 'string' && cniVersion !== '') {
    if (!isCniVersion(cniVersion)) throw invalid(`error parsing configuration list: invalid cniVersion ${cniVersion}`, source);
    if (compareCniVersions(cniVersion, CNI_VERSION) <= 0) candidates.push(cniVersion);
  }
  return candidates.length > 0 ? candidates.sort(compareCniVersions)[candidates.length - 1] : cniVersion;
}

/**
 * Validates a parsed list (`plugins` present) or single config (no `plugins`). Errors are
 * CniError 7 (invalid config) or 1 (no cniVersion the host speaks), in libcni's words where
 * libcni has some.
 */
export function parseNetworkConfig(raw: unknown, source = 'library'): NetworkConfigList {
  return parseList(raw, source, undefined);
}

/**
 * `dirPlugins` set: a `.conflist` file, whose list takes the plugin configs of its network's
 * directory too (unless loadOnlyInlinedPlugins) and has no single-config form.
 */
function parseList(raw: unknown, source: string, dirPlugins: ((network: string) => Array<{ file: string; raw: unknown }>) | undefined): NetworkConfigList {
  if (!isObject(raw)) throw invalid('the configuration must be a JSON object', source);
  const cniVersion = listVersion(raw, source);
  if (!isCniVersion(cniVersion)) throw invalid('cniVersion is required (a version such as "1.0.0")', source);
  if (!SUPPORTED_CNI_VERSIONS.includes(cniVersion)) {
    throw new CniError(CniCode.INCOMPATIBLE_VERSION, `incompatible CNI version ${cniVersion}`, `${source}: plugd supports ${SUPPORTED_CNI_VERSIONS.join(', ')}`);
  }
  const name = raw.name;
  if (name === undefined) throw invalid('error parsing configuration list: no name', source);
  if (typeof name !== 'string' || !NAME.test(name)) throw invalid(`name must match ${NAME.source}, got ${JSON.stringify(name)}`, source);
  if (raw.plugins === undefined && !dirPlugins) {
    // A single plugin config: its keys are the plugin's own (libcni's ConfListFromConf keeps
    // only name and cniVersion for the list), so no disableCheck/disableGC of the list's.
    return Object.freeze({ cniVersion, name, disableCheck: false, disableGC: false, plugins: Object.freeze([pluginEntry(raw, '', source)]), source });
  }
  const disableCheck = bool(raw.disableCheck, 'disableCheck', source);
  const disableGC = bool(raw.disableGC, 'disableGC', source);
  const loadOnlyInlinedPlugins = bool(raw.loadOnlyInlinedPlugins, 'loadOnlyInlinedPlugins', source);
  let plugins: PluginEntry[] = [];
  if (raw.plugins === undefined) {
    if (loadOnlyInlinedPlugins) throw invalid("error parsing configuration list: `loadOnlyInlinedPlugins` is true, and no 'plugins' key", source);
  } else {
    if (!Array.isArray(raw.plugins)) throw invalid(`error parsing configuration list: invalid 'plugins' type ${goType(raw.plugins)}`, source);
    if (raw.plugins.length === 0) throw invalid('error parsing configuration list: no plugins in list', source);
    plugins = raw.plugins.map((p: unknown, i) => pluginEntry(p, `failed to parse plugin config ${i}: `, source));
  }
  if (dirPlugins && !loadOnlyInlinedPlugins) {
    for (const p of dirPlugins(name)) plugins.push(pluginEntry(p.raw, '', p.file));
  }
  if (plugins.length === 0) throw invalid('no plugin configs found', source);
  return Object.freeze({ cniVersion, name, disableCheck, disableGC, plugins: Object.freeze(plugins), source });
}

/** `<dir>/<network>/*.conf` in lexical order (libcni's NetworkPluginConfsFromFiles); none when there is no such directory. */
function networkPluginConfs(dir: string, network: string): Array<{ file: string; raw: unknown }> {
  const sub = join(dir, network);
  let names: string[];
  try {
    names = readdirSync(sub).filter((n) => extname(n) === '.conf').sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
  const out: Array<{ file: string; raw: unknown }> = [];
  for (const n of names) {
    const file = join(sub, n);
    if (!statSync(file).isFile()) continue;
    out.push({ file, raw: readJson(file) });
  }
  return out;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CniError(CniCode.DECODING_FAILURE, 'not valid JSON', `${file}: ${(err as Error).message}`);
  }
}

/** What loading a directory found: the lists by name, and why each other file was skipped. */
export interface ConfDirScan {
  readonly networks: Map<string, NetworkConfigList>;
  readonly skipped: Array<{ file: string; reason: string }>;
}

/**
 * Reads `dir` as libcni's LoadConfList does: every *.conflist in lexical order, then every
 * *.conf and *.json (ConfFiles, sorted), so a list file wins over a single config of the same
 * network name; within each kind the first file wins. Invalid files are skipped, with why.
 */
export function loadConfDir(dir: string): ConfDirScan {
  const networks = new Map<string, NetworkConfigList>();
  const skipped: ConfDirScan['skipped'] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { networks, skipped };
    throw err;
  }
  const lists = names.filter((n) => extname(n) === '.conflist');
  const singles = names.filter((n) => extname(n) === '.conf' || extname(n) === '.json');
  for (const name of [...lists, ...singles]) {
    const file = join(dir, name);
    if (name.startsWith('.')) continue;
    try {
      if (!statSync(file).isFile()) continue;
      const raw = readJson(file);
      const isList = extname(name) === '.conflist';
      // A .conf/.json holds one plugin config (libcni's ConfFromFile); a list there is a mix-up.
      if (!isList && isObject(raw) && raw.plugins !== undefined) throw invalid('a list belongs in a .conflist file', file);
      const list = parseList(raw, file, isList ? (network) => networkPluginConfs(dir, network) : undefined);
      const taken = networks.get(list.name);
      if (taken) {
        skipped.push({ file, reason: `network ${list.name} is already defined by ${taken.source}` });
        continue;
      }
      networks.set(list.name, list);
    } catch (err) {
      skipped.push({ file, reason: err instanceof CniError ? `${err.msg}${err.details ? `: ${err.details}` : ''}` : (err as Error).message });
    }
  }
  return { networks, skipped };
}
