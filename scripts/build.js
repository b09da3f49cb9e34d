#!/usr/bin/env node
// Transpiles the TypeScript sources to dist/ (one file per source, ESM, no bundling)
// and copies the .proto contracts beside them. esbuild takes ~0.2 s for the whole tree;
// type checking is `npm run typecheck`. Runs on `npm ci` (prepare), `npm start` and tests.
// Also compiles the CNI shim's sender, bin/plugd-cni-send (see buildCniSend).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = ['host', 'sdk', 'proto', 'sample-plugins', 'bench', 'test/fixtures'];

function walk(dir, out) {
  let names;
  try { names = readdirSync(dir); } catch { return out; }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export async function buildAll({ quiet = false } = {}) {
  const started = Date.now();
  const entryPoints = SOURCE_DIRS.flatMap((d) => walk(join(root, d), []));
  const outdir = join(root, 'dist');
  // Build beside dist/ and swap it in, so a process importing dist/ never sees half a tree.
  const staging = join(root, `.dist-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: staging,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  cpSync(join(root, 'proto'), join(staging, 'proto'), {
    recursive: true,
    filter: (src) => statSync(src).isDirectory() || src.endsWith('.proto'),
  });
  writeFileSync(join(staging, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(staging, '.build-stamp'), `${new Date().toISOString()}\n`);
  const old = join(root, `.dist-old-${process.pid}`);
  try { renameSync(outdir, old); } catch { /* no previous build */ }
  renameSync(staging, outdir);
  rmSync(old, { recursive: true, force: true });
  buildCniSend({ quiet });
  if (!quiet) {
    console.error(`plugd: built ${entryPoints.length} files into ${relative(process.cwd(), outdir) || '.'} in ${Date.now() - started} ms`);
  }
}

/**
 * Compiles bin/plugd-cni-send.c beside the shim, which uses it in curl's place (curl's
 * start-up is most of a shim call). Static where libc.a is installed, so the binary runs on
 * any node it is copied to; else dynamic. No compiler: one line, and the shim keeps curl.
 * Skipped while the binary is newer than its source; written beside and renamed, so a shim
 * running meanwhile never execs half a file. A source that does not compile removes the stale
 * binary rather than leave one that disagrees with it.
 */
export function buildCniSend({ quiet = false } = {}) {
  const src = join(root, 'bin', 'plugd-cni-send.c');
  const out = join(root, 'bin', 'plugd-cni-send');
  if (!existsSync(src)) return;
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) return;
  const cc = process.env.CC || 'cc';
  const tmp = join(root, 'bin', `.plugd-cni-send.${process.pid}`);
  let last;
  for (const link of [['-static'], []]) {
    last = spawnSync(cc, ['-std=c99', '-O2', '-Wall', '-Wextra', ...link, '-o', tmp, src], { encoding: 'utf8' });
    if (last.error) {
      // No compiler at all (ENOENT): keep whatever binary is there (a prebuilt one) and curl.
      if (!quiet) console.error(`plugd: no C compiler (${cc}): bin/plugd-cni-send not built, the CNI shim uses curl`);
      return;
    }
    if (last.status === 0) {
      renameSync(tmp, out);
      if (!quiet && link.length === 0) console.error('plugd: bin/plugd-cni-send built dynamically (no static libc)');
      return;
    }
  }
  rmSync(tmp, { force: true });
  rmSync(out, { force: true });
  console.error(`plugd: bin/plugd-cni-send did not compile, the CNI shim uses curl:\n${last.stderr.trim()}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildAll();
}
