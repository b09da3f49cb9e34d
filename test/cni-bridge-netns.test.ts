/**
 * Debian's bridge plugin delegating its IPAM to plugd-ipam through the shim, in a real network
 * namespace, as a container runtime wires a pod once the shim is in its CNI bin dir under the
 * name `plugd-ipam`: bridge execs the shim, the shim asks the host, the host calls the plugd-ipam
 * process. The address lands on the pod's eth0 with its default route, CHECK passes on the ADD's
 * result, DEL takes the interface and the reservation away. Needs root and `ip netns`; without
 * them it skips, saying why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, interopPeers, servePluginProcess, tempDir } from './helpers.js';
import { CNI_BIN, HAVE_CNI_PLUGINS, runShim, SHIM, spawnCniHost } from './network-helpers.js';

const BRIDGE = join(CNI_BIN, 'bridge');
const havePlugins = interopPeers('bridge + plugd-ipam', 'Debian\'s bridge plugin', HAVE_CNI_PLUGINS && existsSync(BRIDGE) ? undefined : `${BRIDGE} is absent; apt-get install containernetworking-plugins`);

const tag = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
const NETNS = `plugd-t-${tag}`;
const BRIDGE_DEV = `plgd${tag}`.slice(0, 15);

/** Whether this machine lets us make a network namespace (root, iproute2, a kernel that allows it). */
const netnsMissing = (() => {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    // A probe namespace, gone at once: the test makes its own.
    execFileSync('ip', ['netns', 'add', `${NETNS}-p`], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', `${NETNS}-p`], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `ip netns add failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  }
})();
if (netnsMissing !== undefined) console.warn(`bridge + plugd-ipam in a network namespace: skipping, ${netnsMissing}`);

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

describe.skipIf(!havePlugins || netnsMissing !== undefined)('Debian\'s bridge delegating its IPAM to plugd-ipam through the shim, in a network namespace', () => {
  afterAll(async () => {
    await cleanup();
    for (const args of [['netns', 'del', NETNS], ['link', 'del', BRIDGE_DEV]]) {
      try { execFileSync('ip', args, { stdio: 'ignore' }); } catch { /* already gone */ }
    }
  });

  it('ADD puts the address on eth0 with its route; CHECK passes; DEL removes the interface and releases the address', async () => {
    ip('netns', 'add', NETNS);
    const dir = tempDir('plugd-bridge-');
    const socketDir = join(dir, 'plugins');
    const binDir = join(dir, 'bin');
    const dataDir = join(dir, 'ipam');
    mkdirSync(socketDir, { mode: 0o700 });
    mkdirSync(binDir);
    mkdirSync(join(dir, 'net.d'));
    // The runtime's CNI bin dir: bridge finds its IPAM there by type, and that is the shim.
    symlinkSync(SHIM, join(binDir, 'plugd-ipam'));
    symlinkSync(BRIDGE, join(binDir, 'bridge'));
    const cniSocket = join(dir, 'cni.sock');
    const host = await spawnCniHost({ socketDir, cniSocket, confDir: join(dir, 'net.d'), cacheDir: join(dir, 'cache') });
    servePluginProcess('sample-plugins/ipam', socketDir);
    await host.logs.waitFor('plugin plugd-ipam active', {}, 20_000);

    const conf = {
      cniVersion: '1.0.0', name: 'brnet', type: 'bridge', bridge: BRIDGE_DEV, isGateway: true, ipMasq: false, plugdSocket: cniSocket,
      ipam: { type: 'plugd-ipam', dataDir, ranges: [[{ subnet: '10.79.0.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] },
    };
    const env = (command: string) => ({ CNI_COMMAND: command, CNI_CONTAINERID: 'pod-br-1', CNI_NETNS: `/var/run/netns/${NETNS}`, CNI_IFNAME: 'eth0', CNI_PATH: binDir });

    const added = await runShim(env('ADD'), JSON.stringify(conf), join(binDir, 'bridge'));
    expect(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.json).toMatchObject({ cniVersion: '1.0.0', ips: [{ address: '10.79.0.2/24', gateway: '10.79.0.1' }], routes: [{ dst: '0.0.0.0/0' }] });
    expect(ip('-n', NETNS, '-4', '-o', 'addr', 'show', 'eth0')).toContain('inet 10.79.0.2/24');
    expect(ip('-n', NETNS, 'route', 'show', 'default')).toContain('via 10.79.0.1 dev eth0');
    expect(readFileSync(join(dataDir, 'brnet', '10.79.0.2'), 'utf8')).toBe('pod-br-1\r\neth0');

    const checked = await runShim(env('CHECK'), JSON.stringify({ ...conf, prevResult: added.json }), join(binDir, 'bridge'));
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);

    const deleted = await runShim(env('DEL'), JSON.stringify(conf), join(binDir, 'bridge'));
    expect(deleted.code, deleted.stdout + deleted.stderr).toBe(0);
    expect(() => ip('-n', NETNS, 'link', 'show', 'eth0')).toThrow();
    expect(readdirSync(join(dataDir, 'brnet')).filter((f) => f.startsWith('10.'))).toEqual([]);
  }, 60_000);
});
