/** Locations inside the installed package, valid from the sources and from dist/ alike. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The directory holding plugd's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'plugd') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('plugd: cannot find the package root');
    dir = up;
  }
}

/** The plugd command, as a script node can run. */
export function cliScript(): string {
  return join(packageRoot(), 'bin', 'plugd.js');
}
