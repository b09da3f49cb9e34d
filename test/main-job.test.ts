/**
 * The README's first command: `npm start` runs `plugd host --config sample-plugins/plugd.json`,
 * which launches every TypeScript sample; each must come up and register under its name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cleanup, LogCapture, ROOT, spawnNode, tempDir, waitFor } from './helpers.js';

afterEach(cleanup);

describe('npm start (the host with the sample plugins)', () => {
  it('launches and registers every sample the config names, and lists them', async () => {
    const config = join(ROOT, 'sample-plugins', 'plugd.json');
    const { launch } = JSON.parse(readFileSync(config, 'utf8')) as { launch: { name: string }[] };
    const p = spawnNode(CLI, ['host', '--config', config, '--socket-dir', tempDir('plugd-main-'), '--admin', '127.0.0.1:0', '--log-level', 'info', '--log-format', 'json']);
    const logs = new LogCapture();
    createInterface({ input: p.proc.stdout!, crlfDelay: Infinity }).on('line', (line) => {
      if (line.startsWith('{')) logs.write(`${line}\n`);
    });
    const admin = String((await logs.waitFor('plugd host started', {}, 20_000)).admin);
    let names: string[] = [];
    await waitFor(async () => {
      const res = await fetch(`${admin}/plugins`);
      names = ((await res.json()) as { name: string; state: string }[]).filter((x) => x.state === 'active').map((x) => x.name);
      return names.length === launch.length;
    }, 'every launched sample to be active', 60_000, 250);
    expect(names.sort()).toEqual(launch.map((l) => l.name).sort());
  });
});
