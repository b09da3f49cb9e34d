// Plugin processes started by tests run the transpiled dist/ (as `plugd serve` does for
// users), so the tree is rebuilt once before any test file runs.
import { buildAll } from '../scripts/build.js';

export default async function setup(): Promise<void> {
  await buildAll({ quiet: true });
}
