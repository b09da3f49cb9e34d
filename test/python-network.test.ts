/**
 * A network plugin in Python (test/fixtures/python-network-plugin.py: Debian's python3-grpcio,
 * classes protoc generates from proto/, plain unary RPCs) in a chain after Debian's host-local,
 * behind a real host: the network contract works from another language, results cross between
 * an executable and the Python plugin both ways, its CNI error reaches the caller naming it, and
 * an address whose interface index it left at proto3's 0 (no interface to point at) comes out
 * without one.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkChains } from '../host/network/chains.js';
import { pluginsOf } from '../host/network/grpc-plugin.js';
import { cleanup, interopPeers, PYTHON, pythonGrpcMissing, ROOT, spawnProcess, startHost, tempDir, waitForFixtureEvent, type TestHost } from './helpers.js';
import { CNI_BIN, HAVE_CNI_PLUGINS } from './network-helpers.js';

const have = interopPeers('python network plugin', 'its interop peers',
  HAVE_CNI_PLUGINS ? pythonGrpcMissing() : 'Debian\'s containernetworking-plugins are not in /usr/lib/cni');

const NETNS = '/var/run/netns/cni-5e1f0c2d-3b4a-4d6e-8f70-91a2b3c4d5e6';

describe.skipIf(!have)('a network plugin in Python, chained after host-local', () => {
  let t: TestHost;
  let chains: NetworkChains;
  let dir: string;
  beforeAll(async () => {
    t = await startHost();
    dir = tempDir('plugd-pynet-');
    const py = spawnProcess(PYTHON, [join(ROOT, 'test/fixtures/python-network-plugin.py'), '--socket-dir', t.socketDir], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForFixtureEvent(py, 'listening', {}, 30_000);
    await t.host.waitForPlugin('py-mark', 20_000);
    chains = new NetworkChains({ plugins: pluginsOf(t.host), cniPath: [CNI_BIN], cacheDir: join(dir, 'cache'), logger: t.host.logger });
  }, 60_000);
  afterAll(cleanup);

  const list = (extra: Record<string, unknown> = {}) => ({
    cniVersion: '1.0.0', name: 'pynet',
    plugins: [{ type: 'host-local', ipam: { type: 'host-local', dataDir: join(dir, 'ipam'), ranges: [[{ subnet: '10.23.0.0/16' }]] } }, { type: 'py-mark', ...extra }],
  });

  it('registers over unary RPCs and edits host-local\'s result; its unset interface index is no index', async () => {
    expect(t.host.plugins().find((p) => p.name === 'py-mark')).toMatchObject({ type: 'NetworkPlugin', version: 'v1', transport: 'unary' });
    chains.setNetwork(list());
    const result = await chains.add('pynet', { containerID: 'py1', netns: NETNS, ifName: 'eth0' });
    expect(result).toEqual({
      cniVersion: '1.0.0',
      ips: [{ address: '10.23.0.2/16', gateway: '10.23.0.1' }, { address: '10.99.0.5/24' }],
      routes: [{ dst: '10.99.0.0/16', gw: '10.99.0.1' }],
    });
    await chains.check('pynet', { containerID: 'py1', netns: NETNS, ifName: 'eth0' });
    await chains.del('pynet', { containerID: 'py1', ifName: 'eth0' });
  });

  it('its CNI error reaches the caller as it gave it, naming the plugin', async () => {
    chains.setNetwork(list({ refuse: true }));
    await expect(chains.add('pynet', { containerID: 'py2', netns: NETNS, ifName: 'eth0' }))
      .rejects.toMatchObject({ cniCode: 7, plugin: 'py-mark', msg: 'py-mark: "refuse" is set in the config' });
  });
});
