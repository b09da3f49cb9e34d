/**
 * Network configuration lists in CNI's format, parsed and validated as libcni does:
 * `{cniVersion | cniVersions, name, disableCheck, disableGC, plugins: [{type, …}]}`, and a
 * single plugin config (`.conf`/`.json`) taken as a list of one (libcni's ConfListFromConf).
 * A config directory is read in lexical order of file names; the first file to define a
 * network name wins, as a runtime that reads the directory itself would pick it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { CniCode, CniError, isObject, SUPPORTED_CNI_VERSIONS, type JsonObject } from './cni.js';
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
  // libcni accepts the string forms too (some generators write "true").
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw invalid(`${key} must be a boolean`, source);
}

function pluginEntry(raw: unknown, where: string, source: string): PluginEntry {
  if (!isObject(raw)) throw invalid(`${where} must be an object`, source);
  const type = raw.type;
  if (typeof type !== 'string' || type === '') throw invalid(`${where}.type must be a non-empty string`, source);
  // A type is looked up as a file name on the CNI path: no directories.
  if (type.includes('/') || type === '.' || type === '..') throw invalid(`${where}.type ${JSON.stringify(type)} is not a plugin name`, source);
  return { type, conf: raw };
}

/**
 * Validates a parsed list (`plugins` present) or single config (no `plugins`). Errors are
 * CniError 7 (invalid config) or 1 (no cniVersion the host speaks), naming the key.
 */
export function parseNetworkConfig(raw: unknown, source = 'library'): NetworkConfigList {
  if (!isObject(raw)) throw invalid('the configuration must be a JSON object', source);
  let cniVersion = raw.cniVersion;
  if (raw.cniVersions !== undefined) {
    // CNI 1.1: the newest listed version the host speaks wins over cniVersion.
    if (!Array.isArray(raw.cniVersions) || !raw.cniVersions.every(isCniVersion)) throw invalid('cniVersions must be an array of versions', source);
    const usable = (raw.cniVersions as string[]).filter((v) => SUPPORTED_CNI_VERSIONS.includes(v)).sort(compareCniVersions);
    if (usable.length > 0) cniVersion = usable[usable.length - 1];
  }
  if (!isCniVersion(cniVersion)) throw invalid('cniVersion is required (a version such as "1.0.0")', source);
  if (!SUPPORTED_CNI_VERSIONS.includes(cniVersion)) {
    throw new CniError(CniCode.INCOMPATIBLE_VERSION, `incompatible CNI version ${cniVersion}`, `${source}: plugd supports ${SUPPORTED_CNI_VERSIONS.join(', ')}`);
  }
  const name = raw.name;
  if (typeof name !== 'string' || !NAME.test(name)) throw invalid(`name must match ${NAME.source}, got ${JSON.stringify(name)}`, source);
  let plugins: PluginEntry[];
  if (raw.plugins === undefined) {
    plugins = [pluginEntry(raw, 'the config', source)];
  } else {
    if (!Array.isArray(raw.plugins) || raw.plugins.length === 0) throw invalid('plugins must be a non-empty array', source);
    plugins = raw.plugins.map((p, i) => pluginEntry(p, `plugins[${i}]`, source));
  }
  return Object.freeze({
    cniVersion,
    name,
    disableCheck: bool(raw.disableCheck, 'disableCheck', source),
    disableGC: bool(raw.disableGC, 'disableGC', source),
    plugins: Object.freeze(plugins),
    source,
  });
}

/** What loading a directory found: the lists by name, and why each other file was skipped. */
export interface ConfDirScan {
  readonly networks: Map<string, NetworkConfigList>;
  readonly skipped: Array<{ file: string; reason: string }>;
}

const EXTENSIONS = new Set(['.conflist', '.conf', '.json']);

/** Reads every *.conflist, *.conf and *.json of `dir` in lexical order (libcni's ConfFiles). */
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
  for (const name of names) {
    const file = join(dir, name);
    if (!EXTENSIONS.has(extname(name)) || name.startsWith('.')) continue;
    try {
      if (!statSync(file).isFile()) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new CniError(CniCode.DECODING_FAILURE, 'not valid JSON', (err as Error).message);
      }
      // A .conflist must be a list; a .conf/.json a single plugin (libcni refuses the mix-up).
      if (extname(name) === '.conflist' && isObject(raw) && raw.plugins === undefined) throw invalid('a .conflist needs "plugins"', file);
      if (extname(name) !== '.conflist' && isObject(raw) && raw.plugins !== undefined) throw invalid('a list belongs in a .conflist file', file);
      const list = parseNetworkConfig(raw, file);
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
