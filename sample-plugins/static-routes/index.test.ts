import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddResponse__Output } from '../../proto/gen/plugd/network/v1/AddResponse.js';
import type { CheckResponse__Output } from '../../proto/gen/plugd/network/v1/CheckResponse.js';
import type { DelResponse__Output } from '../../proto/gen/plugd/network/v1/DelResponse.js';
import type { Result__Output } from '../../proto/gen/plugd/network/v1/Result.js';
import type { RuntimeConf } from '../../proto/gen/plugd/network/v1/RuntimeConf.js';
import { testPlugin, type PluginHarness } from '../../sdk/testing.js';
import { cleanup, servePluginProcess, startHost, tempDir } from '../../test/helpers.js';
import plugin from './index.js';

const NETNS = '/var/run/netns/cni-6f0e3f1a-2b7c-4d52-9a41-8c2e5d7b9f10';

const runtime: RuntimeConf = {
  containerId: '4f6c0e1d9b2a7c3e5f8a1b0d2c4e6f8a9b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e',
  netns: NETNS,
  ifname: 'eth0',
  args: { IgnoreUnknown: '1', K8S_POD_NAMESPACE: 'shop', K8S_POD_NAME: 'web-7d4b9c8f6d-x2x9q' },
  path: ['/opt/cni/bin'],
  cniArgsRaw: 'IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-7d4b9c8f6d-x2x9q',
};

/** This plugin's entry of the list as the host passes it: cniVersion and name injected. */
const config = (extra: Record<string, unknown>, cniVersion = '1.0.0'): Buffer =>
  Buffer.from(JSON.stringify({ cniVersion, name: 'podnet', type: 'static-routes', ...extra }));

const ROUTES = { routes: [{ dst: '10.96.0.0/12', gw: '10.244.1.254' }, { dst: '192.168.100.0/24' }, { dst: '0.0.0.0/0', gw: '10.244.1.99' }] };

/** What bridge (with host-local IPAM) returns for ADD at cniVersion 1.0.0. */
const bridgeResult = {
  cniVersion: '1.0.0',
  interfaces: [
    { name: 'cni0', mac: '5a:1e:8b:3c:92:04' },
    { name: 'veth3f1c2a7b', mac: '26:4d:c1:9e:0a:11' },
    { name: 'eth0', mac: '0e:8f:2b:6d:41:c3', sandbox: NETNS },
  ],
  ips: [{ interface: 2, address: '10.244.1.17/24', gateway: '10.244.1.1' }],
  routes: [{ dst: '0.0.0.0/0', gw: '10.244.1.1' }],
  dns: {},
};

/** An SR-IOV style 1.1.0 result: a PCI interface, an address on no interface, routes with 1.1.0 attributes. */
const sriovResult = {
  cniVersion: '1.1.0',
  interfaces: [{ name: 'net1', mac: '12:34:56:78:9a:bc', mtu: 9000, sandbox: NETNS, pciID: '0000:3b:02.1' }],
  ips: [{ address: '172.16.5.9/24' }],
  routes: [{ dst: '172.16.0.0/16', gw: '172.16.5.1', mtu: 8950, priority: 100, table: 200, scope: 0, advmss: 8900 }],
  dns: { nameservers: ['10.96.0.10'], domain: 'cluster.local', search: ['shop.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] },
};

const DNS_CONFIG = { dns: { nameservers: ['10.96.0.10'], domain: 'cluster.local', search: ['shop.svc.cluster.local'], options: ['ndots:5'] } };

/** A structured result as CNI JSON, as the host hands it to the next plugin: unset fields omitted. */
function cniJson(r: Result__Output): Record<string, unknown> {
  const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== 0 && v !== -1));
  const out: Record<string, unknown> = { cniVersion: r.cniVersion };
  if (r.interfaces.length) out.interfaces = r.interfaces.map((i) => strip({ ...i }));
  if (r.ips.length) out.ips = r.ips.map((ip) => strip({ ...ip }));
  if (r.routes.length) out.routes = r.routes.map((x) => strip({ ...x }));
  if (r.dns) out.dns = r.dns;
  return out;
}

const route = (dst: string, gw = '', more: Record<string, number> = {}) => ({ dst, gw, mtu: 0, advmss: 0, priority: 0, table: 0, scope: 0, ...more });
const iface = (name: string, mac: string, more: Record<string, string | number> = {}) => ({ name, mac, mtu: 0, sandbox: '', socketPath: '', pciId: '', ...more });

describe('static-routes, called through the SDK harness', () => {
  let h: PluginHarness<'NetworkPlugin'>;
  beforeAll(async () => { h = await testPlugin(plugin); });
  afterAll(() => h.close());

  const passes: Array<{ name: string; prev: object; cniVersion: string; expected: object }> = [
    {
      name: 'bridge + host-local at 1.0.0',
      prev: bridgeResult,
      cniVersion: '1.0.0',
      expected: {
        cniVersion: '1.0.0',
        interfaces: [iface('cni0', '5a:1e:8b:3c:92:04'), iface('veth3f1c2a7b', '26:4d:c1:9e:0a:11'), iface('eth0', '0e:8f:2b:6d:41:c3', { sandbox: NETNS })],
        ips: [{ address: '10.244.1.17/24', gateway: '10.244.1.1', interface: 2 }],
        // The existing default route wins over the configured one: a destination is routed once.
        routes: [route('0.0.0.0/0', '10.244.1.1'), route('10.96.0.0/12', '10.244.1.254'), route('192.168.100.0/24')],
        dns: { nameservers: [], domain: '', search: [], options: [] },
      },
    },
    {
      name: 'an SR-IOV result at 1.1.0, keeping pciID, route attributes, an unset interface index and dns',
      prev: sriovResult,
      cniVersion: '1.1.0',
      expected: {
        cniVersion: '1.1.0',
        interfaces: [iface('net1', '12:34:56:78:9a:bc', { mtu: 9000, sandbox: NETNS, pciId: '0000:3b:02.1' })],
        ips: [{ address: '172.16.5.9/24', gateway: '', interface: -1 }],
        routes: [
          route('172.16.0.0/16', '172.16.5.1', { mtu: 8950, priority: 100, table: 200, advmss: 8900 }),
          route('10.96.0.0/12', '10.244.1.254'), route('192.168.100.0/24'), route('0.0.0.0/0', '10.244.1.99'),
        ],
        dns: sriovResult.dns,
      },
    },
  ];

  it.each(passes)('ADD appends the configured routes and passes through $name', async ({ prev, cniVersion, expected }) => {
    const res = await h.call('Add', { runtime, config: config(ROUTES, cniVersion), cniVersion, prevResult: Buffer.from(JSON.stringify(prev)) });
    expect(res.error).toBeNull();
    expect(res.result).toEqual(expected);
  });

  it('ADD with no routes configured passes the result on unchanged', async () => {
    const res = await h.call('Add', { runtime, config: config({}), cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(bridgeResult)) });
    expect(res.result?.routes).toEqual([route('0.0.0.0/0', '10.244.1.1')]);
  });

  const invalid: Array<{ name: string; config: Buffer; code: number; msg: RegExp }> = [
    { name: 'routes that are not an array', config: config({ routes: { dst: '10.96.0.0/12' } }), code: 7, msg: /"routes" must be an array/ },
    { name: 'a route without a prefix length', config: config({ routes: [{ dst: '10.96.0.0' }] }), code: 7, msg: /routes\[0\]\.dst must be a CIDR/ },
    { name: 'a prefix length out of range', config: config({ routes: [{ dst: '10.96.0.0/12' }, { dst: '10.0.0.0/33' }] }), code: 7, msg: /routes\[1\]\.dst must be a CIDR/ },
    { name: 'a destination that is not an address', config: config({ routes: [{ dst: 'cluster/12' }] }), code: 7, msg: /routes\[0\]\.dst/ },
    { name: 'a gateway that is not an address', config: config({ routes: [{ dst: '10.96.0.0/12', gw: 'router' }] }), code: 7, msg: /routes\[0\]\.gw must be an IP address/ },
    { name: 'a null route', config: config({ routes: [null] }), code: 7, msg: /routes\[0\]\.dst must be a CIDR/ },
    { name: 'a configuration that is not JSON', config: Buffer.from('{"routes": ['), code: 6, msg: /cannot decode the network configuration/ },
  ];

  it.each(invalid)('ADD refuses $name with CNI error $code', async ({ config: conf, code, msg }) => {
    const res = await h.call('Add', { runtime, config: conf, cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(bridgeResult)) });
    expect(res.result).toBeNull();
    expect(res.error?.code).toBe(code);
    expect(res.error?.msg).toMatch(msg);
  });

  it.each([
    { name: 'no prevResult (first in the list)', prevResult: Buffer.alloc(0), code: 7, msg: /must follow a plugin that returns a result/ },
    { name: 'a prevResult that is not JSON', prevResult: Buffer.from('{"cniVersion":'), code: 6, msg: /cannot decode prevResult/ },
    { name: 'a prevResult that is not an object', prevResult: Buffer.from('[]'), code: 6, msg: /prevResult is not a JSON object/ },
  ])('ADD answers an error for $name', async ({ prevResult, code, msg }) => {
    const res = await h.call('Add', { runtime, config: config(ROUTES), cniVersion: '1.0.0', prevResult });
    expect(res.result).toBeNull();
    expect(res.error).toMatchObject({ code, msg: expect.stringMatching(msg) });
  });

  const DNS = { dns: { nameservers: ['10.96.0.10', '1.1.1.1'], domain: 'example.org', search: ['example.org'], options: ['ndots:5', 'timeout:2'] } };

  it('ADD sets the configured DNS on a result that has none', async () => {
    const res = await h.call('Add', { runtime, config: config(DNS), cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(bridgeResult)) });
    expect(res.error).toBeNull();
    expect(res.result?.dns).toEqual(DNS.dns);
    expect(res.result?.routes).toEqual([route('0.0.0.0/0', '10.244.1.1')]);
  });

  it('ADD merges the configured DNS after the result\'s own, each entry once, keeping a domain already set', async () => {
    const res = await h.call('Add', { runtime, config: config({ ...ROUTES, ...DNS }, '1.1.0'), cniVersion: '1.1.0', prevResult: Buffer.from(JSON.stringify(sriovResult)) });
    expect(res.error).toBeNull();
    expect(res.result?.dns).toEqual({
      nameservers: ['10.96.0.10', '1.1.1.1'],
      domain: 'cluster.local',
      search: ['shop.svc.cluster.local', 'svc.cluster.local', 'example.org'],
      options: ['ndots:5', 'timeout:2'],
    });
    expect(res.result?.routes.map((r) => r.dst)).toEqual(['172.16.0.0/16', '10.96.0.0/12', '192.168.100.0/24', '0.0.0.0/0']);
  });

  it.each([
    { name: 'dns that is not an object', dns: ['10.96.0.10'], msg: /"dns" must be an object/ },
    { name: 'a misspelt key', dns: { nameserver: ['10.96.0.10'] }, msg: /dns: unknown key "nameserver"; keys: nameservers, domain, search, options/ },
    { name: 'a nameserver that is not an address', dns: { nameservers: ['10.96.0.10', 'kube-dns'] }, msg: /dns\.nameservers\[1\] must be an IP address, got "kube-dns"/ },
    { name: 'search as a string', dns: { search: 'svc.cluster.local' }, msg: /dns\.search must be an array of non-empty strings/ },
    { name: 'a domain that is not a string', dns: { domain: 7 }, msg: /dns\.domain must be a string/ },
  ])('ADD refuses $name with CNI error 7', async ({ dns, msg }) => {
    const res = await h.call('Add', { runtime, config: config({ dns }), cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(bridgeResult)) });
    expect(res.result).toBeNull();
    expect(res.error).toMatchObject({ code: 7, msg: expect.stringMatching(msg) });
  });

  it('CHECK passes on its own ADD result with DNS and names the DNS settings missing from another', async () => {
    const conf = config({ ...ROUTES, ...DNS });
    const added = await h.call('Add', { runtime, config: conf, cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(bridgeResult)) });
    expect((await h.call('Check', { runtime, config: conf, cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(added.result)) })).error).toBeNull();
    const routed = { ...bridgeResult, routes: [...bridgeResult.routes, ...ROUTES.routes], dns: { nameservers: ['10.96.0.10'] } };
    const stale = await h.call('Check', { runtime, config: conf, cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(routed)) });
    expect(stale.error).toMatchObject({ code: 101, msg: 'dns settings missing from the result: nameserver 1.1.1.1, search example.org, option ndots:5, option timeout:2, domain example.org' });
  });

  it('CHECK passes on its own ADD result and names the routes missing from another', async () => {
    const added = await h.call('Add', { runtime, config: config(ROUTES), cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(bridgeResult)) });
    const ok = await h.call('Check', { runtime, config: config(ROUTES), cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(added.result)) });
    expect(ok.error).toBeNull();
    const stale = await h.call('Check', { runtime, config: config(ROUTES), cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(bridgeResult)) });
    expect(stale.error).toMatchObject({ code: 100, msg: 'routes missing from the result: 10.96.0.0/12, 192.168.100.0/24' });
  });
});

describe('static-routes sample, as a process behind the host', () => {
  afterEach(cleanup);

  it('registers as a network plugin, then ADDs, CHECKs and DELs a container', async () => {
    const { host, socketDir } = await startHost();
    servePluginProcess('sample-plugins/static-routes', socketDir);
    const status = await host.waitForPlugin('static-routes', 15_000);
    expect(status).toMatchObject({ type: 'NetworkPlugin', version: 'v1', state: 'active', healthy: true });
    expect(status.capabilities).toMatchObject({ implemented: ['Add', 'Del', 'Check'], cniVersions: ['0.4.0', '1.0.0', '1.1.0'] });

    const prevResult = Buffer.from(JSON.stringify(bridgeResult));
    const added = await host.invoke<AddResponse__Output>('static-routes', 'Add', { runtime, config: config(ROUTES), cniVersion: '1.0.0', prevResult });
    expect(added.error).toBeNull();
    expect(added.result?.routes.map((r) => [r.dst, r.gw])).toEqual([['0.0.0.0/0', '10.244.1.1'], ['10.96.0.0/12', '10.244.1.254'], ['192.168.100.0/24', '']]);
    expect(added.result?.ips).toEqual([{ address: '10.244.1.17/24', gateway: '10.244.1.1', interface: 2 }]);
    expect(added.result?.interfaces.map((i) => i.name)).toEqual(['cni0', 'veth3f1c2a7b', 'eth0']);

    const invalid = await host.invoke<AddResponse__Output>('static-routes', 'Add', { runtime, config: config({ routes: 'all' }), cniVersion: '1.0.0', prevResult });
    expect(invalid).toMatchObject({ result: null, error: { code: 7 } });

    const first = await host.invoke<AddResponse__Output>('static-routes', 'Add', { runtime, config: config(ROUTES), cniVersion: '1.0.0' });
    expect(first.error).toMatchObject({ code: 7 });

    const checked = await host.invoke<CheckResponse__Output>('static-routes', 'Check',
      { runtime, config: config({ routes: [...ROUTES.routes, { dst: '10.100.0.0/16' }] }), cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(added.result)) });
    expect(checked.error).toMatchObject({ code: 100, msg: 'routes missing from the result: 10.100.0.0/16' });

    const deleted = await host.invoke<DelResponse__Output>('static-routes', 'Del', { runtime: { ...runtime, netns: '' }, config: config(ROUTES), cniVersion: '1.0.0', prevResult });
    expect(deleted.error).toBeNull();
  });

  it('chained after plugd-ipam, as a conflist runs them: the addresses from the IPAM, then the routes and DNS', async () => {
    const { host, socketDir } = await startHost();
    servePluginProcess('sample-plugins/ipam', socketDir);
    servePluginProcess('sample-plugins/static-routes', socketDir);
    await host.waitForPlugin('plugd-ipam', 20_000);
    await host.waitForPlugin('static-routes', 20_000);
    const dataDir = tempDir();
    const ipam = Buffer.from(JSON.stringify({ cniVersion: '1.0.0', name: 'podnet', type: 'plugd-ipam', dataDir, ranges: [[{ subnet: '10.244.1.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] }));

    const first = await host.invoke<AddResponse__Output>('plugd-ipam', 'Add', { runtime, config: ipam, cniVersion: '1.0.0' });
    expect(first.error).toBeNull();
    const second = await host.invoke<AddResponse__Output>('static-routes', 'Add',
      { runtime, config: config({ ...ROUTES, ...DNS_CONFIG }), cniVersion: '1.0.0', prevResult: Buffer.from(JSON.stringify(cniJson(first.result!))) });
    expect(second.error).toBeNull();
    expect(cniJson(second.result!)).toEqual({
      cniVersion: '1.0.0',
      ips: [{ address: '10.244.1.2/24', gateway: '10.244.1.1' }],
      routes: [{ dst: '0.0.0.0/0' }, { dst: '10.96.0.0/12', gw: '10.244.1.254' }, { dst: '192.168.100.0/24' }],
      dns: DNS_CONFIG.dns,
    });
  });
});
