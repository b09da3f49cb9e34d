/**
 * Plugin modules: a file or directory whose default export is a definePlugin() result, as
 * `plugd serve MODULE` runs it and `admission.inProcess` embeds it. This package's own
 * TypeScript is imported from dist/, any other TypeScript through tsx.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPluginDefinition, type PluginDefinition } from '../sdk/index.js';
import { packageRoot } from './paths.js';

/** A module that cannot be found or does not export a plugin; the message names the path. */
export class PluginModuleError extends Error {}

/** The module file for `spec`: a file, a file without its extension, or a directory with index.ts/index.js. */
export function resolvePluginModule(spec: string): string {
  const p = resolve(spec);
  if (existsSync(p) && statSync(p).isDirectory()) {
    for (const f of ['index.ts', 'index.js', 'index.mjs']) if (existsSync(join(p, f))) return join(p, f);
    throw new PluginModuleError(`${spec}: a directory without index.ts or index.js`);
  }
  if (existsSync(p)) return p;
  for (const ext of ['.ts', '.mts', '.js', '.mjs']) if (existsSync(p + ext)) return p + ext;
  throw new PluginModuleError(`${spec}: no such module`);
}

/** Imports a plugin module file (resolvePluginModule's answer) and returns its plugin. */
export async function importPluginModule(file: string): Promise<PluginDefinition> {
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
  if (!isPluginDefinition(exported)) throw new PluginModuleError(`${file} must default-export definePlugin({...})`);
  return exported;
}

/** resolvePluginModule then importPluginModule. */
export async function loadPluginModule(spec: string): Promise<PluginDefinition> {
  return importPluginModule(resolvePluginModule(spec));
}
