/**
 * A network configuration list loaded from the host's config directory as libcni loads it and
 * run with Debian's real plugins in a real network namespace, the runtime execing the shim:
 * `cniVersions` picks 1.1.0 (spoken down to 1.0.0 to Debian's binaries), `tuning` comes from
 * the network's plugin directory (`<dir>/<name>/*.conf`) and gets `runtimeConfig.mac` because
 * it declares the capability (and nothing it did not declare), `disableCheck` makes CHECK a
 * success without running a plugin (the same breakage fails CHECK without it), `disableGC`
 * makes GC leave the attachment alone. Needs
 * root and `ip netns`; without them it skips, saying why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, interopPeers, tempDir } from './helpers.js';
import { CNI_BIN, HAVE_CNI_PLUGINS, runShim, SHIM, spawnCniHost } from './network-helpers.js';

const PLUGINS = ['ptp', 'tuning', 'host-local'];
const havePlugins = interopPeers('conflist + tuning/ptp', 'Debian\'s ptp and tuning plugins',
  HAVE_CNI_PLUGINS && PLUGINS.every((p) => existsSync(join(CNI_BIN, p))) ? undefined : `${PLUGINS.join(', ')} not all in ${CNI_BIN}; apt-get install containernetworking-plugins`);

const tag = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
const NETNS = `plugd-cl-${tag}`;

const netnsMissing = (() => {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('ip', ['netns', 'add', `${NETNS}-p`], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', `${NETNS}-p`], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `ip netns add failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  }
})();
if (netnsMissing !== undefined) console.warn(`conflist with Debian's plugins in a network namespace: skipping, ${netnsMissing}`);

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
const MAC = '02:5a:11:22:33:44';

describe.skipIf(!havePlugins || netnsMissing !== undefined)('a conflist from the config directory, run with Debian\'s ptp and tuning in a network namespace', () => {
  let dir: string;
  let binDir: string;
  let cniSocket: string;
  beforeAll(async () => {
    dir = tempDir('plugd-conflist-');
    binDir = join(dir, 'bin');
    const netd = join(dir, 'net.d');
    mkdirSync(join(dir, 'plugins'), { mode: 0o700 });
    mkdirSync(binDir);
    mkdirSync(join(netd, 'capnet'), { recursive: true });
    symlinkSync(SHIM, join(binDir, 'plugd-cni'));
    for (const p of PLUGINS) symlinkSync(join(CNI_BIN, p), join(binDir, p));
    writeFileSync(join(netd, '10-capnet.conflist'), JSON.stringify({
      cniVersions: ['1.0.0', '1.1.0'], name: 'capnet', disableCheck: true, disableGC: 'true',
      plugins: [{ type: 'ptp', ipMasq: false, ipam: { type: 'host-local', dataDir: join(dir, 'ipam'), ranges: [[{ subnet: '10.83.0.0/24' }]] } }],
    }));
    // Appended to the list from the network's plugin directory; declares only `mac`.
    writeFileSync(join(netd, '20-plainnet.conflist'), JSON.stringify({
      cniVersion: '1.0.0', name: 'plainnet', plugins: [{ type: 'ptp', ipMasq: false, ipam: { type: 'host-local', dataDir: join(dir, 'ipam'), ranges: [[{ subnet: '10.84.0.0/24' }]] } }],
    }));
    writeFileSync(join(netd, 'capnet', '10-tuning.conf'), JSON.stringify({ type: 'tuning', capabilities: { mac: true }, args: { cni: { note: 'kept' } } }));
    // A single config of the same name loses to the list.
    writeFileSync(join(netd, '05-capnet.conf'), JSON.stringify({ cniVersion: '1.0.0', name: 'capnet', type: 'loopback' }));
    cniSocket = join(dir, 'cni.sock');
    await spawnCniHost({ socketDir: join(dir, 'plugins'), cniSocket, confDir: netd, cacheDir: join(dir, 'cache'), cniPath: binDir });
  }, 60_000);
  afterAll(async () => {
    await cleanup();
    for (const ns of [NETNS, `${NETNS}-2`]) {
      try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }); } catch { /* already gone */ }
    }
  });

  it('ADD applies the runtime\'s mac through tuning\'s declared capability; CHECK is a no-op under disableCheck, GC under disableGC; DEL cleans up', async () => {
    ip('netns', 'add', NETNS);
    const env = (command: string) => ({ CNI_COMMAND: command, CNI_CONTAINERID: 'pod-cl-1', CNI_NETNS: `/var/run/netns/${NETNS}`, CNI_IFNAME: 'eth0', CNI_PATH: binDir });
    const stdin = (extra: Record<string, unknown> = {}) => JSON.stringify({ cniVersion: '1.1.0', name: 'capnet', type: 'plugd-cni', plugdSocket: cniSocket, ...extra });
    // portMappings is a capability no plugin of the list declares: nobody gets it (ptp/tuning would not mind, but libcni passes none).
    const runtimeConfig = { mac: MAC, portMappings: [{ hostPort: 18080, containerPort: 80, protocol: 'tcp' }] };
    const added = await runShim(env('ADD'), stdin({ runtimeConfig }), join(binDir, 'plugd-cni'));
    expect(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.json).toMatchObject({ cniVersion: '1.1.0', ips: [{ address: '10.83.0.2/24' }] });
    expect(ip('-n', NETNS, '-o', 'link', 'show', 'eth0')).toContain(`link/ether ${MAC}`);
    expect(ip('-n', NETNS, '-4', '-o', 'addr', 'show', 'eth0')).toContain('inet 10.83.0.2/24');

    const gc = await runShim({ CNI_COMMAND: 'GC', CNI_PATH: binDir }, stdin({ 'cni.dev/valid-attachments': [] }), join(binDir, 'plugd-cni'));
    expect(gc.code, gc.stdout + gc.stderr).toBe(0);
    expect(ip('-n', NETNS, '-4', '-o', 'addr', 'show', 'eth0')).toContain('inet 10.83.0.2/24');
    expect(existsSync(join(dir, 'cache', 'results', 'capnet-pod-cl-1-eth0'))).toBe(true);

    // With the interface gone, ptp's CHECK fails (the list without disableCheck, below): disableCheck runs no plugin.
    ip('-n', NETNS, 'link', 'del', 'eth0');
    const checked = await runShim(env('CHECK'), stdin(), join(binDir, 'plugd-cni'));
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);

    const deleted = await runShim(env('DEL'), stdin(), join(binDir, 'plugd-cni'));
    expect(deleted.code, deleted.stdout + deleted.stderr).toBe(0);
    expect(readdirSync(join(dir, 'ipam', 'capnet')).filter((f) => f.startsWith('10.'))).toEqual([]);
    expect(existsSync(join(dir, 'cache', 'results', 'capnet-pod-cl-1-eth0'))).toBe(false);
  }, 60_000);

  it('the same breakage fails CHECK on a list without disableCheck', async () => {
    ip('netns', 'add', `${NETNS}-2`);
    const env = (command: string) => ({ CNI_COMMAND: command, CNI_CONTAINERID: 'pod-cl-2', CNI_NETNS: `/var/run/netns/${NETNS}-2`, CNI_IFNAME: 'eth0', CNI_PATH: binDir });
    const stdin = JSON.stringify({ cniVersion: '1.0.0', name: 'plainnet', type: 'plugd-cni', plugdSocket: cniSocket });
    const added = await runShim(env('ADD'), stdin, join(binDir, 'plugd-cni'));
    expect(added.code, added.stdout + added.stderr).toBe(0);
    expect((await runShim(env('CHECK'), stdin, join(binDir, 'plugd-cni'))).code).toBe(0);
    ip('-n', `${NETNS}-2`, 'link', 'del', 'eth0');
    const checked = await runShim(env('CHECK'), stdin, join(binDir, 'plugd-cni'));
    expect(checked.code).toBe(1);
    expect(checked.json).toMatchObject({ msg: expect.stringContaining('eth0') });
    const deleted = await runShim(env('DEL'), stdin, join(binDir, 'plugd-cni'));
    expect(deleted.code, deleted.stdout + deleted.stderr).toBe(0);
  }, 60_000);
});
