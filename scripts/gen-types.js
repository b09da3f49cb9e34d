#!/usr/bin/env node
// Regenerates proto/gen (TypeScript types for the contracts) with proto-loader-gen-types,
// using the same options proto/index.ts loads with. `--check DIR` writes there instead,
// so a test can compare it with the committed copy.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = fileURLToPath(new URL('..', import.meta.url));
const protoRoot = join(root, 'proto');
const outDir = process.argv[2] === '--check' ? process.argv[3] : join(protoRoot, 'gen');

function protos(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'gen') continue;
    if (statSync(p).isDirectory()) protos(p, out);
    else if (p.endsWith('.proto')) out.push(relative(protoRoot, p));
  }
  return out;
}

const bin = createRequire(import.meta.url).resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js');
rmSync(outDir, { recursive: true, force: true });
execFileSync(process.execPath, [
  bin, '--longs=Number', '--enums=String', '--defaults', '--oneofs', '--includeComments',
  '--grpcLib=@grpc/grpc-js', '--importFileExtension=.js', '-I', protoRoot, '-O', outDir, ...protos(protoRoot),
], { stdio: 'inherit', cwd: protoRoot });

// Keep the output independent of where the repo is checked out.
function rewrite(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) rewrite(p);
    else writeFileSync(p, readFileSync(p, 'utf8').split(`${protoRoot}/`).join('proto/'));
  }
}
rewrite(outDir);
