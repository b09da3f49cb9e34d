import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkChains } from './chains.js';
import type { NetworkPluginDirectory } from './grpc-plugin.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const nothing: NetworkPluginDirectory = { lookup: () => undefined, call: () => Promise.reject(new Error('no plugins')) };

describe('network chains check the attachment as skel does', () => {
  it.each([
    ['ADD', { containerID: '../../../../tmp/x', netns: '/var/run/netns/x', ifName: 'eth0' }, 'invalid characters in containerID'],
    ['ADD', { containerID: 'c1', netns: '/var/run/netns/x', ifName: '../../x' }, 'interface name contains / or : or whitespace characters'],
    ['DEL', { containerID: 'c1/..', ifName: 'eth0' }, 'invalid characters in containerID'],
    ['CHECK', { containerID: 'c1', netns: '/var/run/netns/x', ifName: 'a-very-long-ifname' }, 'interface name is too long'],
  ] as const)('%s of %j: error 4 (%s) before any plugin runs or anything is cached', async (command, rt, msg) => {
    const dir = mkdtempSync(join(tmpdir(), 'plugd-chains-'));
    dirs.push(dir);
    const chains = new NetworkChains({ plugins: nothing, cacheDir: join(dir, 'cache') });
    chains.setNetwork({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'absent' }] });
    const run = command === 'ADD' ? chains.add('n', rt) : command === 'DEL' ? chains.del('n', rt) : chains.check('n', rt);
    await expect(run).rejects.toMatchObject({ cniCode: 4, msg });
    expect(existsSync(join(dir, 'cache')) ? readdirSync(join(dir, 'cache'), { recursive: true }) : []).toEqual([]);
  });
});
