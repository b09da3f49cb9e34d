/**
 * Debian's bridge plugin in real network namespaces, its IPAM delegated to plugd-ipam through
 * the shim, as a container runtime wires a pod: (1) the runtime execs bridge, which execs the
 * shim installed in its CNI bin dir as `plugd-ipam`; (2) the runtime execs the shim as
 * `plugd-cni` for a network whose list runs bridge (exec'd by the host) and a gRPC plugin, and
 * bridge's IPAM call comes back into the same host while it runs that very attachment's ADD.
 * The address lands on the pod's eth0 with its default route, CHECK passes on the result, DEL
 * takes the interface and the reservation away. Needs root and `ip netns`; without them it
 * skips, saying why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, interopPeers, servePluginProcess, tempDir } from './helpers.js';
import { CNI_BIN, HAVE_CNI_PLUGINS, runShim, SHIM, spawnCniHost } from './network-helpers.js';

const BRIDGE = join(CNI_BIN, 'bridge');
const havePlugins = interopPeers('bridge + plugd-ipam', 'Debian\'s bridge plugin', HAVE_CNI_PLUGINS && existsSync(BRIDGE) ? undefined : `${BRIDGE} is absent; apt-get install containernetworking-plugins`);

const tag = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
const name = (i: number) => ({ netns: `plugd-t-${tag}-${i}`, bridge: `plgd${tag}${i}`.slice(0, 15) });

/** Whether this machine lets us make a network namespace (root, iproute2, a kernel that allows it). */
const netnsMissing = (() => {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    // A probe namespace, gone at once: each test makes its own.
    execFileSync('ip', ['netns', 'add', `plugd-t-${tag}-p`], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', `plugd-t-${tag}-p`], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `ip netns add failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  }
})();
if (netnsMissing !== undefined) console.warn(`bridge + plugd-ipam in a network namespace: skipping, ${netnsMissing}`);

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

describe.skipIf(!havePlugins || netnsMissing !== undefined)('Debian\'s bridge delegating its IPAM to plugd-ipam through the shim, in network namespaces', () => {
  let dir: string;
  let binDir: string;
  let cniSocket: string;
  beforeAll(async () => {
    dir = tempDir('plugd-bridge-');
    const socketDir = join(dir, 'plugins');
    binDir = join(dir, 'bin');
    mkdirSync(socketDir, { mode: 0o700 });
    mkdirSync(binDir);
    mkdirSync(join(dir, 'net.d'));
    // The runtime's CNI bin dir: bridge finds its IPAM there by type, and that is the shim.
    symlinkSync(SHIM, join(binDir, 'plugd-ipam'));
    symlinkSync(SHIM, join(binDir, 'plugd-cni'));
    symlinkSync(BRIDGE, join(binDir, 'bridge'));
    writeFileSync(join(dir, 'net.d', '10-podnet.conflist'), JSON.stringify({
      cniVersion: '1.0.0', name: 'podnet', plugins: [
        { type: 'bridge', bridge: name(2).bridge, isGateway: true, ipam: { type: 'plugd-ipam', dataDir: join(dir, 'ipam'), ranges: [[{ subnet: '10.80.0.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] } },
        { type: 'static-routes', dns: { nameservers: ['10.96.0.10'], search: ['svc.cluster.local'] } },
      ],
    }));
    // At 1.1.0 for GC (the host speaks 1.0.0 to Debian's binaries, which stop there).
    writeFileSync(join(dir, 'net.d', '20-gcnet.conflist'), JSON.stringify({
      cniVersion: '1.1.0', name: 'gcnet', plugins: [
        { type: 'bridge', bridge: name(3).bridge, isGateway: true, ipam: { type: 'plugd-ipam', dataDir: join(dir, 'ipam'), ranges: [[{ subnet: '10.81.0.0/24' }]] } },
      ],
    }));
    // A socket other than the shim's default: the host tells the plugins it execs where it is.
    cniSocket = join(dir, 'cni.sock');
    const host = await spawnCniHost({ socketDir, cniSocket, confDir: join(dir, 'net.d'), cacheDir: join(dir, 'cache'), cniPath: binDir });
    servePluginProcess('sample-plugins/ipam', socketDir);
    servePluginProcess('sample-plugins/static-routes', socketDir);
    await host.logs.waitFor('plugin plugd-ipam active', {}, 20_000);
    await host.logs.waitFor('plugin static-routes active', {}, 20_000);
  }, 60_000);
  afterAll(async () => {
    await cleanup();
    for (const i of [1, 2, 3, 4]) {
      for (const args of [['netns', 'del', name(i).netns], ['link', 'del', name(i).bridge]]) {
        try { execFileSync('ip', args, { stdio: 'ignore' }); } catch { /* already gone */ }
      }
    }
  });

  const env = (command: string, i: number) => ({ CNI_COMMAND: command, CNI_CONTAINERID: `pod-br-${i}`, CNI_NETNS: `/var/run/netns/${name(i).netns}`, CNI_IFNAME: 'eth0', CNI_PATH: binDir });

  it('the runtime execs bridge: ADD puts the address on eth0 with its route; CHECK passes; DEL removes the interface and releases the address', async () => {
    const { netns, bridge } = name(1);
    ip('netns', 'add', netns);
    const dataDir = join(dir, 'ipam-direct');
    const conf = {
      cniVersion: '1.0.0', name: 'brnet', type: 'bridge', bridge, isGateway: true, ipMasq: false, plugdSocket: cniSocket,
      ipam: { type: 'plugd-ipam', dataDir, ranges: [[{ subnet: '10.79.0.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] },
    };
    const added = await runShim(env('ADD', 1), JSON.stringify(conf), join(binDir, 'bridge'));
    expect(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.json).toMatchObject({ cniVersion: '1.0.0', ips: [{ address: '10.79.0.2/24', gateway: '10.79.0.1' }], routes: [{ dst: '0.0.0.0/0' }] });
    expect(ip('-n', netns, '-4', '-o', 'addr', 'show', 'eth0')).toContain('inet 10.79.0.2/24');
    expect(ip('-n', netns, 'route', 'show', 'default')).toContain('via 10.79.0.1 dev eth0');
    expect(readFileSync(join(dataDir, 'brnet', '10.79.0.2'), 'utf8')).toBe('pod-br-1\r\neth0');

    const checked = await runShim(env('CHECK', 1), JSON.stringify({ ...conf, prevResult: added.json }), join(binDir, 'bridge'));
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);

    const deleted = await runShim(env('DEL', 1), JSON.stringify(conf), join(binDir, 'bridge'));
    expect(deleted.code, deleted.stdout + deleted.stderr).toBe(0);
    expect(() => ip('-n', netns, 'link', 'show', 'eth0')).toThrow();
    expect(readdirSync(join(dataDir, 'brnet')).filter((f) => f.startsWith('10.'))).toEqual([]);
  }, 60_000);

  it('the runtime execs plugd-cni for a list running bridge and a gRPC plugin: bridge\'s IPAM call comes back into the host mid-ADD and is served', async () => {
    const { netns } = name(2);
    ip('netns', 'add', netns);
    const stdin = JSON.stringify({ cniVersion: '1.0.0', name: 'podnet', type: 'plugd-cni', plugdSocket: cniSocket });
    const added = await runShim({ ...env('ADD', 2), PLUGD_CNI_TIMEOUT: '30' }, stdin, join(binDir, 'plugd-cni'));
    expect(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.json).toMatchObject({ ips: [{ address: '10.80.0.2/24', gateway: '10.80.0.1' }], dns: { nameservers: ['10.96.0.10'] } });
    expect(ip('-n', netns, '-4', '-o', 'addr', 'show', 'eth0')).toContain('inet 10.80.0.2/24');
    // Served well within the shim's timeout: no wait on the ADD that bridge's IPAM call is part of.
    expect(added.ms).toBeLessThan(20_000);

    const checked = await runShim(env('CHECK', 2), stdin, join(binDir, 'plugd-cni'));
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    const deleted = await runShim(env('DEL', 2), stdin, join(binDir, 'plugd-cni'));
    expect(deleted.code, deleted.stdout + deleted.stderr).toBe(0);
    expect(() => ip('-n', netns, 'link', 'show', 'eth0')).toThrow();
    expect(readdirSync(join(dir, 'ipam', 'podnet')).filter((f) => f.startsWith('10.'))).toEqual([]);
  }, 60_000);

  it('GC from the runtime: the attachment it no longer lists loses its interface and its address, the other keeps both', async () => {
    ip('netns', 'add', name(3).netns);
    ip('netns', 'add', name(4).netns);
    const stdin = (extra: Record<string, unknown> = {}) => JSON.stringify({ cniVersion: '1.1.0', name: 'gcnet', type: 'plugd-cni', plugdSocket: cniSocket, ...extra });
    for (const i of [3, 4]) {
      const added = await runShim(env('ADD', i), stdin(), join(binDir, 'plugd-cni'));
      expect(added.code, added.stdout + added.stderr).toBe(0);
    }
    const held = () => readdirSync(join(dir, 'ipam', 'gcnet')).filter((f) => f.startsWith('10.')).sort();
    expect(held()).toEqual(['10.81.0.2', '10.81.0.3']);
    const gc = await runShim({ CNI_COMMAND: 'GC', CNI_PATH: binDir }, stdin({ 'cni.dev/valid-attachments': [{ containerID: 'pod-br-3', ifname: 'eth0' }] }), join(binDir, 'plugd-cni'));
    expect(gc.code, gc.stdout + gc.stderr).toBe(0);
    expect(ip('-n', name(3).netns, '-4', '-o', 'addr', 'show', 'eth0')).toContain('inet 10.81.0.2/24');
    expect(() => ip('-n', name(4).netns, 'link', 'show', 'eth0')).toThrow();
    expect(held()).toEqual(['10.81.0.2']);
    // STATUS on the 1.1.0 list: bridge (1.0.0 at most) has no STATUS and is not asked; ready.
    const status = await runShim({ CNI_COMMAND: 'STATUS', CNI_PATH: binDir }, stdin(), join(binDir, 'plugd-cni'));
    expect(status.code, status.stdout + status.stderr).toBe(0);
  }, 60_000);
});
