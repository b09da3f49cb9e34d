/**
 * Where a worker module's compiled file is. Worker threads load JavaScript only, so code
 * running from its TypeScript sources (vitest, tsx) is pointed at the twin that
 * scripts/build.js emits under dist/; compiled code (dist/) uses its sibling file.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../paths.js';
import { PoolError, PoolErrorCodes } from './errors.js';

const SOURCE_EXT = /\.[cm]?tsx?$/;

/**
 * The absolute path of the worker module `specifier` (relative, as in an import: './score-worker.js')
 * seen from the module at `base` (pass `import.meta.url`). Throws WORKER_NOT_FOUND when the
 * compiled file does not exist, so a missing build fails at start, not at the first task.
 */
export function workerFile(specifier: string, base: string | URL): string {
  if (typeof specifier !== 'string' || !/^\.\.?\//.test(specifier)) {
    throw new TypeError(`workerFile: specifier must be a relative path such as './worker.js', got ${JSON.stringify(specifier)}`);
  }
  if (typeof base !== 'string' && !(base instanceof URL)) throw new TypeError('workerFile: base must be import.meta.url (a file: URL)');
  const baseUrl = new URL(base);
  if (baseUrl.protocol !== 'file:') throw new TypeError(`workerFile: base must be a file: URL, got ${baseUrl.href}`);
  let file = fileURLToPath(new URL(specifier, baseUrl));
  if (SOURCE_EXT.test(fileURLToPath(baseUrl))) {
    const root = packageRoot();
    const rel = relative(root, file);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new PoolError(PoolErrorCodes.WORKER_NOT_FOUND, `workerFile: ${file} lies outside the package at ${root}, so it has no compiled twin in dist/`);
    }
    if (!rel.startsWith(`dist${sep}`)) file = join(root, 'dist', rel);
  }
  file = file.replace(SOURCE_EXT, '.js');
  if (!existsSync(file)) {
    throw new PoolError(PoolErrorCodes.WORKER_NOT_FOUND, `worker module ${file} does not exist; run \`npm run build\` to compile host/ into dist/`, { worker: file });
  }
  return file;
}
