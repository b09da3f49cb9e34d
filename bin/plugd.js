#!/usr/bin/env node
// The plugd command. Runs the transpiled CLI from dist/, building it first when it is
// missing (a fresh clone where `npm ci` ran with scripts disabled), so no build step is
// ever the user's job.
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../dist/.build-stamp', import.meta.url))) {
  const { buildAll } = await import('../scripts/build.js');
  await buildAll({ quiet: true });
}
const { main } = await import('../dist/host/cli.js');
await main(process.argv.slice(2));
