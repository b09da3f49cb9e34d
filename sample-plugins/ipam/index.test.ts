import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddResponse__Output } from '../../proto/gen/plugd/network/v1/AddResponse.js';
import type { DelResponse__Output } from '../../proto/gen/plugd/network/v1/DelResponse.js';
import type { RuntimeConf } from '../../proto/gen/plugd/network/v1/RuntimeConf.js';
import type { StatusResponse__Output } from '../../proto/gen/plugd/network/v1/StatusResponse.js';
import { NetworkChains } from '../../host/network/chains.js';
import { pluginsOf } from '../../host/network/grpc-plugin.js';
import { testPlugin, type PluginHarness } from '../../sdk/testing.js';
import { cleanup, servePluginProcess, startHost, tempDir, waitFor } from '../../test/helpers.js';
import plugin from './index.js';

const HOST_LOCAL = '/usr/lib/cni/host-local';
const NETNS = '/var/run/netns/cni-1b9d2c4e-7f3a-4e61-8d05-2a6c9e0f4b17';
const NETWORK = 'podnet';

const runtime = (containerId: string, ifname = 'eth0'): RuntimeConf =>
  ({ containerId, netns: NETNS, ifname, args: { IgnoreUnknown: '1' }, path: ['/usr/lib/cni'], cniArgsRaw: 'IgnoreUnknown=1' });

/**
 * A network config as a main plugin passes it to its IPAM: host-local's exact keys under
 * "ipam". The same bytes (but for ipam.type) go to Debian's host-local in the comparisons.
 */
const ipamConfig = (ipam: Record<string, unknown>, type = 'plugd-ipam'): Buffer =>
  Buffer.from(JSON.stringify({ cniVersion: '1.0.0', name: NETWORK, ipam: { type, ...ipam } }));

/** The reservation files of the network (address names only). */
const reservedFiles = (dataDir: string): string[] =>
  existsSync(join(dataDir, NETWORK)) ? readdirSync(join(dataDir, NETWORK)).filter((n) => isIP(n) !== 0).sort() : [];

const owner = (dataDir: string, ip: string): string => readFileSync(join(dataDir, NETWORK, ip), 'utf8');

/** An ADD's outcome, comparable between plugd-ipam and host-local: the addresses, or the error message. */
type Outcome = string[] | { error: string };

const outcomeOf = (res: AddResponse__Output): Outcome => (res.error ? { error: res.error.msg } : res.result!.ips.map((ip) => `${ip.address} gw ${ip.gateway}`));

const sortedDistinct = (xs: string[]): string[] => [...new Set(xs)].sort();

describe('plugd-ipam, called through the SDK harness', () => {
  let h: PluginHarness<'NetworkPlugin'>;
  beforeAll(async () => { h = await testPlugin(plugin); });
  afterAll(() => h.close());
  afterEach(cleanup);

  const add = (config: Buffer, containerId: string, ifname = 'eth0', prevResult = Buffer.alloc(0)) =>
    h.call('Add', { runtime: runtime(containerId, ifname), config, cniVersion: '1.0.0', prevResult });
  const del = (config: Buffer, containerId: string, ifname = 'eth0') =>
    h.call('Del', { runtime: { ...runtime(containerId, ifname), netns: '' }, config, cniVersion: '1.0.0', prevResult: Buffer.alloc(0) });
  const check = (config: Buffer, containerId: string, prevResult: Buffer, ifname = 'eth0') =>
    h.call('Check', { runtime: runtime(containerId, ifname), config, cniVersion: '1.0.0', prevResult });
  const status = (config: Buffer) => h.call('Status', { runtime: { containerId: '', netns: '', ifname: '', args: {}, path: ['/usr/lib/cni'], cniArgsRaw: '' }, config, cniVersion: '1.1.0' });

  it('allocates in order from rangeStart, skips the gateway, answers the routes, and refuses once the range is exhausted', async () => {
    const dataDir = tempDir();
    const config = ipamConfig({ dataDir, ranges: [[{ subnet: '10.1.2.0/29', gateway: '10.1.2.4' }]], routes: [{ dst: '0.0.0.0/0' }, { dst: '192.168.0.0/16', gw: '10.1.2.5' }] });
    const first = await add(config, 'c1');
    expect(first).toEqual({
      error: null,
      result: {
        cniVersion: '1.0.0', interfaces: [], dns: null,
        ips: [{ address: '10.1.2.1/29', gateway: '10.1.2.4', interface: -1 }],
        routes: [{ dst: '0.0.0.0/0', gw: '', mtu: 0, advmss: 0, priority: 0, table: 0, scope: 0 }, { dst: '192.168.0.0/16', gw: '10.1.2.5', mtu: 0, advmss: 0, priority: 0, table: 0, scope: 0 }],
      },
    });
    const rest: Outcome[] = [];
    for (const c of ['c2', 'c3', 'c4', 'c5', 'c6']) rest.push(outcomeOf(await add(config, c)));
    expect(rest).toEqual([
      ['10.1.2.2/29 gw 10.1.2.4'], ['10.1.2.3/29 gw 10.1.2.4'], ['10.1.2.5/29 gw 10.1.2.4'], ['10.1.2.6/29 gw 10.1.2.4'],
      { error: 'failed to allocate for range 0: no IP addresses available in range set: 10.1.2.1-10.1.2.6' },
    ]);
    const refused = await add(config, 'c7');
    expect(refused.error?.code).toBe(100);
    expect(reservedFiles(dataDir)).toEqual(['10.1.2.1', '10.1.2.2', '10.1.2.3', '10.1.2.5', '10.1.2.6']);
    expect(owner(dataDir, '10.1.2.3')).toBe('c3\r\neth0');
  });

  it('allocates one address per range set, dual-stack, IPv6 written as Go prints it', async () => {
    const dataDir = tempDir();
    const config = ipamConfig({
      dataDir,
      ranges: [[{ subnet: '10.244.1.0/24' }], [{ subnet: '2001:db8:0:1::/64', rangeStart: '2001:db8:0:1::10', rangeEnd: '2001:db8:0:1::0020' }]],
    });
    expect(outcomeOf(await add(config, 'web'))).toEqual(['10.244.1.2/24 gw 10.244.1.1', '2001:db8:0:1::10/64 gw 2001:db8:0:1::1']);
    expect(outcomeOf(await add(config, 'db'))).toEqual(['10.244.1.3/24 gw 10.244.1.1', '2001:db8:0:1::11/64 gw 2001:db8:0:1::1']);
    expect(reservedFiles(dataDir)).toEqual(['10.244.1.2', '10.244.1.3', '2001:db8:0:1::10', '2001:db8:0:1::11']);
  });

  it('when one range set is exhausted the ADD fails and gives back what it reserved in the others; STATUS then answers 50', async () => {
    const dataDir = tempDir();
    const config = ipamConfig({ dataDir, ranges: [[{ subnet: '10.7.0.0/24' }], [{ subnet: 'fd00:7::/120', rangeStart: 'fd00:7::2', rangeEnd: 'fd00:7::2' }]] });
    expect((await status(config)).error).toBeNull();
    expect(outcomeOf(await add(config, 'only'))).toEqual(['10.7.0.2/24 gw 10.7.0.1', 'fd00:7::2/120 gw fd00:7::1']);
    const second = await add(config, 'second');
    expect(second.error).toMatchObject({ code: 100, msg: 'failed to allocate for range 1: no IP addresses available in range set: fd00:7::2-fd00:7::2' });
    expect(reservedFiles(dataDir)).toEqual(['10.7.0.2', 'fd00:7::2']);
    expect((await status(config)).error).toMatchObject({ code: 50, msg: 'no free address in range set 1 (fd00:7::2-fd00:7::2)' });
    expect((await del(config, 'only')).error).toBeNull();
    expect((await status(config)).error).toBeNull();
  });

  it('an ADD retried for the same container and interface answers the same addresses; another interface gets its own', async () => {
    const dataDir = tempDir();
    const config = ipamConfig({ dataDir, ranges: [[{ subnet: '10.3.0.0/24' }], [{ subnet: 'fd00:3::/64' }]] });
    const first = outcomeOf(await add(config, 'pod-a'));
    expect(outcomeOf(await add(config, 'pod-a'))).toEqual(first);
    expect(outcomeOf(await add(config, 'pod-a', 'net1'))).toEqual(['10.3.0.3/24 gw 10.3.0.1', 'fd00:3::3/64 gw fd00:3::1']);
    expect(reservedFiles(dataDir)).toHaveLength(4);
  });

  it('DEL releases, is idempotent and succeeds for an unknown container; a freed address returns only when the walk wraps round', async () => {
    const dataDir = tempDir();
    const config = ipamConfig({ dataDir, ranges: [[{ subnet: '10.1.2.0/29' }]] });
    for (const c of ['a', 'b', 'c']) await add(config, c);
    expect((await del(config, 'b')).error).toBeNull();
    expect(reservedFiles(dataDir)).toEqual(['10.1.2.2', '10.1.2.4']);
    expect((await del(config, 'b')).error).toBeNull();
    expect((await del(config, 'never-added')).error).toBeNull();
    const next: Outcome[] = [];
    for (const c of ['d', 'e', 'f', 'g']) next.push(outcomeOf(await add(config, c)));
    expect(next).toEqual([
      ['10.1.2.5/29 gw 10.1.2.1'], ['10.1.2.6/29 gw 10.1.2.1'], ['10.1.2.3/29 gw 10.1.2.1'],
      { error: 'failed to allocate for range 0: no IP addresses available in range set: 10.1.2.1-10.1.2.6' },
    ]);
  });

  it('CHECK passes for a held allocation listed in prevResult, and names what is wrong otherwise', async () => {
    const dataDir = tempDir();
    const config = ipamConfig({ dataDir, ranges: [[{ subnet: '10.4.0.0/24' }]] });
    const added = await add(config, 'api');
    const prev = Buffer.from(JSON.stringify({ cniVersion: '1.0.0', ips: added.result!.ips.map((ip) => ({ address: ip.address, gateway: ip.gateway })) }));
    expect((await check(config, 'api', prev)).error).toBeNull();
    const other = Buffer.from(JSON.stringify({ cniVersion: '1.0.0', ips: [{ address: '10.4.0.99/24' }] }));
    expect((await check(config, 'api', other)).error).toMatchObject({ code: 101, msg: 'container api (eth0) holds 10.4.0.2/24 in range set 0, which prevResult does not list' });
    expect((await check(config, 'ghost', prev)).error).toMatchObject({ code: 101, msg: 'container ghost (eth0) holds no address in range set 0 (10.4.0.1-10.4.0.254)' });
    await del(config, 'api');
    expect((await check(config, 'api', prev)).error?.code).toBe(101);
  });

  it('GC releases every reservation whose attachment is not valid, keeps old-format and in-flight ones, and frees the addresses', async () => {
    const dataDir = tempDir();
    const config = ipamConfig({ dataDir, ranges: [[{ subnet: '10.9.0.0/24' }]] });
    for (const [c, i] of [['keep', 'eth0'], ['two-ifs', 'eth0'], ['two-ifs', 'net1'], ['gone', 'eth0']] as const) await add(config, c, i);
    const dir = join(dataDir, NETWORK);
    // host-local before 0.7 wrote the container id alone; a writer that died between O_EXCL and
    // write left an empty file; a live one may be between the two right now.
    writeFileSync(join(dir, '10.9.0.200'), 'legacy-id');
    writeFileSync(join(dir, '10.9.0.201'), '');
    utimesSync(join(dir, '10.9.0.201'), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    writeFileSync(join(dir, '10.9.0.202'), '');

    const gc = await h.call('GC', { runtime: null, config, cniVersion: '1.1.0',
      validAttachments: [{ containerId: 'keep', ifname: 'eth0' }, { containerId: 'two-ifs', ifname: 'eth0' }, { containerId: 'legacy-id', ifname: 'eth0' }] });
    expect(gc.error).toBeNull();
    expect(reservedFiles(dataDir)).toEqual(['10.9.0.2', '10.9.0.200', '10.9.0.202', '10.9.0.3']);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['last_reserved_ip.0']));
    expect((await check(config, 'gone', Buffer.alloc(0))).error?.code).toBe(101);
    expect((await check(config, 'two-ifs', Buffer.alloc(0), 'net1')).error?.code).toBe(101);
    expect((await check(config, 'two-ifs', Buffer.alloc(0))).error).toBeNull();

    // Nothing valid any more: everything goes but the reservation still being written.
    await h.call('GC', { runtime: null, config, cniVersion: '1.1.0', validAttachments: [] });
    expect(reservedFiles(dataDir)).toEqual(['10.9.0.202']);
  });

  it('STATUS answers 50 when the data directory cannot be used, and 7 for an invalid configuration', async () => {
    const file = join(tempDir(), 'not-a-directory');
    writeFileSync(file, '');
    const res = await status(ipamConfig({ dataDir: join(file, 'networks'), ranges: [[{ subnet: '10.1.0.0/16' }]] }));
    expect(res.error).toMatchObject({ code: 50, msg: expect.stringContaining('cannot open the data directory') });
    expect(res.error?.details).toMatch(/ENOTDIR/);
    expect((await status(ipamConfig({ ranges: [] }))).error?.code).toBe(7);
  });

  it('DEL and GC succeed on a data directory that never held anything, without creating it', async () => {
    const file = join(tempDir(), 'not-a-directory');
    writeFileSync(file, '');
    const config = ipamConfig({ dataDir: join(file, 'networks'), ranges: [[{ subnet: '10.1.0.0/16' }]] });
    expect((await del(config, 'c')).error).toBeNull();
    expect((await h.call('GC', { runtime: null, config, cniVersion: '1.1.0', validAttachments: [] })).error).toBeNull();
    expect((await add(config, 'c')).error).toMatchObject({ code: 5, msg: expect.stringContaining('cannot open the data directory') });
  });

  it('reads host-local\'s keys at the top level of a list entry as well as under "ipam", including the deprecated single range', async () => {
    const entry = (dataDir: string, keys: object) => Buffer.from(JSON.stringify({ cniVersion: '1.1.0', name: NETWORK, type: 'plugd-ipam', dataDir, ...keys }));
    const a = tempDir();
    expect(outcomeOf(await add(entry(a, { ranges: [[{ subnet: '10.8.0.0/24', rangeStart: '10.8.0.50' }]] }), 'x'))).toEqual(['10.8.0.50/24 gw 10.8.0.1']);
    const b = tempDir();
    expect(outcomeOf(await add(ipamConfig({ dataDir: b, subnet: '10.8.0.0/24', rangeStart: '10.8.0.50', gateway: '10.8.0.254' }), 'x'))).toEqual(['10.8.0.50/24 gw 10.8.0.254']);
  });

  it('appends its addresses and routes to a prevResult, keeping what is there', async () => {
    const dataDir = tempDir();
    const prev = { cniVersion: '1.0.0', interfaces: [{ name: 'eth0', mac: '0e:8f:2b:6d:41:c3', sandbox: NETNS }], ips: [{ address: '172.16.0.5/24', interface: 0 }], routes: [{ dst: '172.16.0.0/12' }], dns: { nameservers: ['10.96.0.10'] } };
    const res = await add(ipamConfig({ dataDir, ranges: [[{ subnet: '10.2.0.0/24' }]], routes: [{ dst: '0.0.0.0/0' }] }), 'p', 'eth0', Buffer.from(JSON.stringify(prev)));
    expect(res.result?.interfaces.map((i) => i.name)).toEqual(['eth0']);
    expect(res.result?.ips).toEqual([{ address: '172.16.0.5/24', gateway: '', interface: 0 }, { address: '10.2.0.2/24', gateway: '10.2.0.1', interface: -1 }]);
    expect(res.result?.routes.map((r) => r.dst)).toEqual(['172.16.0.0/12', '0.0.0.0/0']);
    expect(res.result?.dns?.nameservers).toEqual(['10.96.0.10']);
  });

  const r = (x: object) => ({ ranges: [[{ subnet: '10.1.0.0/24', ...x }]] });
  const invalid: Array<{ name: string; config: Buffer; code: number; msg: RegExp }> = [
    { name: 'no ranges', config: ipamConfig({}), code: 7, msg: /no IP ranges specified/ },
    { name: 'an empty range set', config: ipamConfig({ ranges: [[]] }), code: 7, msg: /ranges\[0\] must be a non-empty array/ },
    { name: 'a subnet that is not a CIDR', config: ipamConfig({ ranges: [[{ subnet: '10.1.0.0' }]] }), code: 7, msg: /ranges\[0\]\[0\]\.subnet must be a CIDR/ },
    { name: 'host bits set', config: ipamConfig({ ranges: [[{ subnet: '10.1.2.5/24' }]] }), code: 7, msg: /has host bits set; for a prefix of 24 the network address is 10\.1\.2\.0/ },
    { name: 'a /31', config: ipamConfig({ ranges: [[{ subnet: '10.1.2.0/31' }]] }), code: 7, msg: /too small to allocate from/ },
    { name: 'rangeStart outside the subnet', config: ipamConfig(r({ rangeStart: '10.2.0.1' })), code: 7, msg: /rangeStart 10\.2\.0\.1 is not in subnet 10\.1\.0\.0\/24/ },
    { name: 'rangeStart after rangeEnd', config: ipamConfig(r({ rangeStart: '10.1.0.9', rangeEnd: '10.1.0.3' })), code: 7, msg: /rangeStart 10\.1\.0\.9 is after rangeEnd 10\.1\.0\.3/ },
    { name: 'a gateway that is not an address', config: ipamConfig(r({ gateway: 'router' })), code: 7, msg: /gateway must be an IP address/ },
    { name: 'mixed families in a set', config: ipamConfig({ ranges: [[{ subnet: '10.1.0.0/24' }, { subnet: 'fd00::/64' }]] }), code: 7, msg: /ranges\[0\] mixes address families/ },
    { name: 'overlapping ranges', config: ipamConfig({ ranges: [[{ subnet: '10.1.0.0/24' }, { subnet: '10.1.0.0/25' }]] }), code: 7, msg: /ranges\[0\]\[1\] overlaps ranges\[0\]\[0\]/ },
    { name: 'overlapping range sets', config: ipamConfig({ ranges: [[{ subnet: '10.1.0.0/24' }], [{ subnet: '10.1.0.0/16' }]] }), code: 7, msg: /range set 1 overlaps range set 0/ },
    { name: 'a route without a prefix', config: ipamConfig({ ...r({}), routes: [{ dst: '0.0.0.0' }] }), code: 7, msg: /routes\[0\]\.dst must be a CIDR/ },
    { name: 'a relative dataDir', config: ipamConfig({ ...r({}), dataDir: 'state' }), code: 7, msg: /"dataDir" must be an absolute path/ },
    { name: 'a network name that would escape the dataDir', config: Buffer.from(JSON.stringify({ cniVersion: '1.0.0', name: '../etc', ipam: r({}) })), code: 7, msg: /"name" must be a network name/ },
    { name: 'a configuration that is not JSON', config: Buffer.from('{"ipam": '), code: 6, msg: /cannot decode the network configuration/ },
  ];

  it.each(invalid)('ADD refuses $name with CNI error $code, reserving nothing', async ({ config, code, msg }) => {
    const res = await add(config, 'c');
    expect(res.result).toBeNull();
    expect(res.error?.code).toBe(code);
    expect(res.error?.msg).toMatch(msg);
  });

  it.each([
    { name: 'no container id', rt: { ...runtime(''), containerId: '' }, msg: /CNI_CONTAINERID/ },
    { name: 'a container id with a slash', rt: runtime('../x'), msg: /CNI_CONTAINERID/ },
    { name: 'no interface name', rt: runtime('c', ''), msg: /CNI_IFNAME/ },
    { name: 'an interface name of 16 characters', rt: runtime('c', 'eth0123456789abc'), msg: /CNI_IFNAME/ },
  ])('ADD answers CNI error 4 for $name', async ({ rt, msg }) => {
    const res = await h.call('Add', { runtime: rt, config: ipamConfig({ dataDir: tempDir(), ranges: [[{ subnet: '10.1.0.0/24' }]] }), cniVersion: '1.0.0', prevResult: Buffer.alloc(0) });
    expect(res.error).toMatchObject({ code: 4, msg: expect.stringMatching(msg) });
  });

  describe('a requested address (CNI_ARGS IP=, args.cni.ips, runtimeConfig.ips)', () => {
    const addWith = (config: Buffer, containerId: string, args: Record<string, string> = {}) =>
      h.call('Add', { runtime: { ...runtime(containerId), args: { IgnoreUnknown: '1', ...args } }, config, cniVersion: '1.0.0', prevResult: Buffer.alloc(0) });
    const withKeys = (dataDir: string, extra: Record<string, unknown>) =>
      Buffer.from(JSON.stringify({ cniVersion: '1.0.0', name: NETWORK, ...extra, ipam: { type: 'plugd-ipam', dataDir, ranges: [[{ subnet: '10.1.2.0/24' }], [{ subnet: 'fd00:1::/120' }]] } }));

    it('is reserved as asked in the set that contains it, the other sets allocate as usual, and a retry answers the same', async () => {
      const dataDir = tempDir();
      const config = withKeys(dataDir, {});
      expect(outcomeOf(await addWith(config, 'c1', { IP: '10.1.2.77' }))).toEqual(['10.1.2.77/24 gw 10.1.2.1', 'fd00:1::2/120 gw fd00:1::1']);
      expect(owner(dataDir, '10.1.2.77')).toBe('c1\r\neth0');
      expect(outcomeOf(await addWith(config, 'c1', { IP: '10.1.2.77' }))).toEqual(['10.1.2.77/24 gw 10.1.2.1', 'fd00:1::2/120 gw fd00:1::1']);
      // The walk goes on after the requested address, as host-local's marker does.
      expect(outcomeOf(await addWith(config, 'c2'))).toEqual(['10.1.2.78/24 gw 10.1.2.1', 'fd00:1::3/120 gw fd00:1::1']);
    });

    it('reads args.cni.ips and runtimeConfig.ips (with or without a prefix), one address per family', async () => {
      const dataDir = tempDir();
      const viaArgs = await addWith(withKeys(dataDir, { args: { cni: { ips: ['10.1.2.40', 'fd00:1::40'] } } }), 'a1');
      expect(outcomeOf(viaArgs)).toEqual(['10.1.2.40/24 gw 10.1.2.1', 'fd00:1::40/120 gw fd00:1::1']);
      const viaRuntime = await addWith(withKeys(dataDir, { runtimeConfig: { ips: ['10.1.2.41/24', 'fd00:1::41'] } }), 'r1');
      expect(outcomeOf(viaRuntime)).toEqual(['10.1.2.41/24 gw 10.1.2.1', 'fd00:1::41/120 gw fd00:1::1']);
    });

    it('fails with 102 naming the address when it is taken, the gateway, or in no range set, and keeps nothing of the ADD', async () => {
      const dataDir = tempDir();
      const config = withKeys(dataDir, {});
      await addWith(config, 'c1', { IP: '10.1.2.9' });
      const taken = await addWith(config, 'c2', { IP: '10.1.2.9' });
      expect(taken.error).toMatchObject({ code: 102, msg: 'failed to allocate for range 0: requested IP address 10.1.2.9 is not available in range set 10.1.2.1-10.1.2.254' });
      const gateway = await addWith(config, 'c3', { IP: '10.1.2.1' });
      expect(gateway.error).toMatchObject({ code: 102, msg: 'failed to allocate for range 0: requested ip 10.1.2.1 is subnet\'s gateway' });
      const outside = await addWith(config, 'c4', { IP: '192.168.9.9' });
      expect(outside.error).toMatchObject({ code: 102, msg: 'failed to allocate all requested IPs: 192.168.9.9' });
      // Each failed ADD gave back the IPv6 address it had reserved on the way.
      expect(reservedFiles(dataDir)).toEqual(['10.1.2.9', 'fd00:1::2']);
      const moved = await addWith(config, 'c1', { IP: '10.1.2.10' });
      expect(moved.error).toMatchObject({ code: 102, msg: 'container c1 (eth0) already holds 10.1.2.9 in range set 0; requested 10.1.2.10' });
    });

    it('refuses a malformed request: CNI_ARGS IP= with 4, args or runtimeConfig with 7', async () => {
      const dataDir = tempDir();
      expect((await addWith(withKeys(dataDir, {}), 'c1', { IP: '10.1.2' })).error).toMatchObject({ code: 4, msg: expect.stringMatching(/CNI_ARGS IP must be an IP address/) });
      expect((await addWith(withKeys(dataDir, { args: { cni: { ips: 'x' } } }), 'c1')).error).toMatchObject({ code: 7, msg: expect.stringMatching(/args\.cni\.ips/) });
      const bad = withKeys(dataDir, { runtimeConfig: { ips: ['nope'] } });
      expect((await addWith(bad, 'c1')).error).toMatchObject({ code: 7, msg: expect.stringMatching(/runtimeConfig\.ips\[0\]/) });
      expect(reservedFiles(dataDir)).toEqual([]);
      // A DEL has no use for the request: it succeeds whatever the request says.
      expect((await del(bad, 'c1')).error).toBeNull();
    });

    it('puts runtimeConfig.ipRanges (the ipRanges capability) before the configured range sets, which may then be empty', async () => {
      const dataDir = tempDir();
      const config = withKeys(dataDir, { runtimeConfig: { ipRanges: [[{ subnet: '10.88.0.0/30' }]] } });
      expect(outcomeOf(await addWith(config, 'c1'))).toEqual(['10.88.0.2/30 gw 10.88.0.1', '10.1.2.2/24 gw 10.1.2.1', 'fd00:1::2/120 gw fd00:1::1']);
      const onlyRuntime = Buffer.from(JSON.stringify({ cniVersion: '1.0.0', name: NETWORK, runtimeConfig: { ipRanges: [[{ subnet: '10.89.0.0/30' }]] }, ipam: { type: 'plugd-ipam', dataDir, ranges: [] } }));
      expect(outcomeOf(await addWith(onlyRuntime, 'c2'))).toEqual(['10.89.0.2/30 gw 10.89.0.1']);
    });
  });

  it('VERSION lists the CNI versions it speaks', async () => {
    expect(await h.call('Version', { cniVersion: '1.1.0' })).toMatchObject({ error: null, cniVersion: '1.1.0', supportedVersions: ['0.4.0', '1.0.0', '1.1.0'] });
  });
});

// ---------------------------------------------------------------------------------------
// Beside Debian's host-local: the reference this plugin follows.

const hostLocalMissing = existsSync(HOST_LOCAL) ? undefined : `${HOST_LOCAL} is absent; apt-get install containernetworking-plugins`;
if (hostLocalMissing && process.env.PLUGD_REQUIRE_INTEROP !== '1') console.warn(`plugd-ipam: skipping the host-local comparisons, ${hostLocalMissing}`);

/** One exec of host-local, exactly as a runtime runs it: its JSON answer. */
function hostLocal(command: 'ADD' | 'DEL' | 'CHECK', containerId: string, config: Buffer, cniArgs = ''): Promise<{ ips?: Array<{ address: string; gateway?: string }>; code?: number; msg?: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(HOST_LOCAL, [], {
      env: { CNI_COMMAND: command, CNI_CONTAINERID: containerId, CNI_NETNS: NETNS, CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni', ...(cniArgs ? { CNI_ARGS: cniArgs } : {}) },
    }, (err, stdout) => {
      if (stdout.trim() === '') return err ? reject(err) : resolve({});
      resolve(JSON.parse(stdout) as { ips?: Array<{ address: string; gateway?: string }>; code?: number; msg?: string });
    });
    child.stdin!.end(config);
  });
}

describe.skipIf(hostLocalMissing !== undefined && process.env.PLUGD_REQUIRE_INTEROP !== '1')('plugd-ipam beside Debian\'s host-local', () => {
  let h: PluginHarness<'NetworkPlugin'>;
  beforeAll(async () => { h = await testPlugin(plugin); });
  afterAll(() => h.close());
  afterEach(cleanup);

  type Step = ['add' | 'del', string];
  const adds = (n: number, prefix = 'c'): Step[] => Array.from({ length: n }, (_, i) => ['add', `${prefix}${i}`]);
  const scenarios: Array<{ name: string; ipam: Record<string, unknown>; steps: Step[] }> = [
    { name: 'a /29 until exhausted', ipam: { ranges: [[{ subnet: '10.1.2.0/29' }]] }, steps: adds(7) },
    { name: 'a gateway inside the range', ipam: { ranges: [[{ subnet: '10.1.2.0/28', rangeStart: '10.1.2.3', rangeEnd: '10.1.2.8', gateway: '10.1.2.5' }]] }, steps: adds(7) },
    {
      name: 'a range set of two ranges, the second gateway at its end',
      ipam: { ranges: [[{ subnet: '10.9.0.0/24', rangeStart: '10.9.0.10', rangeEnd: '10.9.0.11' }, { subnet: '10.9.1.0/24', rangeStart: '10.9.1.1', rangeEnd: '10.9.1.3', gateway: '10.9.1.3' }]] },
      steps: adds(5),
    },
    { name: 'dual-stack', ipam: { ranges: [[{ subnet: '10.244.0.0/30' }], [{ subnet: 'fd00:10::/126' }]], routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0' }] }, steps: adds(3) },
    { name: 'DEL then the walk wrapping round', ipam: { ranges: [[{ subnet: '10.1.2.0/29' }]] }, steps: [...adds(3), ['del', 'c1'], ['del', 'c0'], ...adds(5, 'd')] },
  ];

  it.each(scenarios)('hands out the same addresses in the same order as host-local: $name', async ({ ipam, steps }) => {
    const ours = tempDir();
    const theirs = tempDir();
    const got: { plugd: unknown[]; hostLocal: unknown[] } = { plugd: [], hostLocal: [] };
    for (const [op, c] of steps) {
      if (op === 'del') {
        expect((await h.call('Del', { runtime: runtime(c), config: ipamConfig({ ...ipam, dataDir: ours }), cniVersion: '1.0.0', prevResult: Buffer.alloc(0) })).error).toBeNull();
        expect(await hostLocal('DEL', c, ipamConfig({ ...ipam, dataDir: theirs }, 'host-local'))).toEqual({});
        continue;
      }
      const res = await h.call('Add', { runtime: runtime(c), config: ipamConfig({ ...ipam, dataDir: ours }), cniVersion: '1.0.0', prevResult: Buffer.alloc(0) });
      got.plugd.push(res.error ? res.error.msg : { ips: res.result!.ips.map((ip) => ({ address: ip.address, gateway: ip.gateway })), routes: res.result!.routes.map((r) => r.dst) });
      const hl = await hostLocal('ADD', c, ipamConfig({ ...ipam, dataDir: theirs }, 'host-local'));
      got.hostLocal.push(hl.msg ?? { ips: hl.ips, routes: ((hl as { routes?: Array<{ dst: string }> }).routes ?? []).map((r) => r.dst) });
    }
    expect(got.plugd).toEqual(got.hostLocal);
    expect(got.plugd.some((x) => typeof x === 'object')).toBe(true);
    expect(reservedFiles(ours)).toEqual(reservedFiles(theirs));
  });

  it('answers requested addresses as host-local does: CNI_ARGS IP= and runtimeConfig.ips, taken, gateway, outside, and the walk after them', async () => {
    const ours = tempDir();
    const theirs = tempDir();
    const steps: Array<[string, string, Record<string, unknown>]> = [
      ['c0', 'IP=10.1.2.5', {}], ['c1', '', {}], ['c2', 'IP=10.1.2.5', {}], ['c3', '', { runtimeConfig: { ips: ['10.1.2.2/29'] } }],
      ['c4', '', {}], ['c5', 'IP=10.1.2.1', {}], ['c6', 'IP=10.9.9.9', {}], ['c7', '', {}],
    ];
    const conf = (dataDir: string, type: string, extra: Record<string, unknown>) =>
      Buffer.from(JSON.stringify({ cniVersion: '1.0.0', name: NETWORK, ...extra, ipam: { type, dataDir, ranges: [[{ subnet: '10.1.2.0/29' }]] } }));
    const got: { plugd: unknown[]; hostLocal: unknown[] } = { plugd: [], hostLocal: [] };
    for (const [c, env, extra] of steps) {
      const args = Object.fromEntries(['IgnoreUnknown=1', env].filter(Boolean).map((kv) => kv.split('=') as [string, string]));
      const res = await h.call('Add', { runtime: { ...runtime(c), args, cniArgsRaw: ['IgnoreUnknown=1', env].filter(Boolean).join(';') }, config: conf(ours, 'plugd-ipam', extra), cniVersion: '1.0.0', prevResult: Buffer.alloc(0) });
      got.plugd.push(res.error ? res.error.msg : res.result!.ips.map((ip) => ip.address));
      const hl = await hostLocal('ADD', c, conf(theirs, 'host-local', extra), ['IgnoreUnknown=1', env].filter(Boolean).join(';'));
      got.hostLocal.push(hl.msg ?? hl.ips!.map((ip) => ip.address));
    }
    expect(got.plugd).toEqual(got.hostLocal);
    expect(got.plugd).toEqual([
      ['10.1.2.5/29'], ['10.1.2.6/29'], expect.stringMatching(/requested IP address 10\.1\.2\.5 is not available/), ['10.1.2.2/29'],
      ['10.1.2.3/29'], expect.stringMatching(/subnet's gateway/), 'failed to allocate all requested IPs: 10.9.9.9', ['10.1.2.4/29'],
    ]);
    expect(reservedFiles(ours)).toEqual(reservedFiles(theirs));
  });

  it('shares one dataDir with host-local: concurrent ADDs from both never collide, and each finds and releases the other\'s reservations', async () => {
    const dataDir = tempDir();
    const ipam = { dataDir, ranges: [[{ subnet: '10.60.0.0/24' }]] };
    const ours = Array.from({ length: 20 }, (_, i) => h.call('Add', { runtime: runtime(`p${i}`), config: ipamConfig(ipam), cniVersion: '1.0.0', prevResult: Buffer.alloc(0) }));
    const theirs = Array.from({ length: 20 }, (_, i) => hostLocal('ADD', `h${i}`, ipamConfig(ipam, 'host-local')));
    const addresses = [
      ...(await Promise.all(ours)).map((r) => r.result!.ips[0]!.address),
      ...(await Promise.all(theirs)).map((r) => r.ips![0]!.address),
    ];
    expect(sortedDistinct(addresses)).toHaveLength(40);
    expect(reservedFiles(dataDir)).toHaveLength(40);

    expect(await hostLocal('CHECK', 'p3', ipamConfig(ipam, 'host-local'))).toEqual({});
    expect((await h.call('Check', { runtime: runtime('h3'), config: ipamConfig(ipam), cniVersion: '1.0.0', prevResult: Buffer.alloc(0) })).error).toBeNull();
    await h.call('Del', { runtime: runtime('h3'), config: ipamConfig(ipam), cniVersion: '1.0.0', prevResult: Buffer.alloc(0) });
    expect(await hostLocal('DEL', 'p3', ipamConfig(ipam, 'host-local'))).toEqual({});
    expect(reservedFiles(dataDir)).toHaveLength(38);
    expect((await hostLocal('CHECK', 'h3', ipamConfig(ipam, 'host-local'))).msg).toMatch(/Failed to find address added by container h3/);
  });
});

// ---------------------------------------------------------------------------------------
// Real plugin processes behind a real host: concurrency, two instances, crashes.

describe('plugd-ipam as processes behind the host', () => {
  afterEach(cleanup);

  const addVia = (host: Awaited<ReturnType<typeof startHost>>['host'], name: string, config: Buffer, containerId: string) =>
    host.invoke<AddResponse__Output>(name, 'Add', { runtime: runtime(containerId), config, cniVersion: '1.0.0', prevResult: Buffer.alloc(0) });

  it('registers, and 100 concurrent ADDs on distinct containers get 100 distinct addresses', async () => {
    const { host, socketDir } = await startHost();
    servePluginProcess('sample-plugins/ipam', socketDir);
    const status = await host.waitForPlugin('plugd-ipam', 20_000);
    expect(status).toMatchObject({ type: 'NetworkPlugin', version: 'v1', state: 'active', healthy: true });
    expect(status.capabilities).toMatchObject({ implemented: ['Add', 'Del', 'Check', 'Status', 'GC', 'Version'], cniVersions: ['0.4.0', '1.0.0', '1.1.0'] });

    const dataDir = tempDir();
    const config = ipamConfig({ dataDir, ranges: [[{ subnet: '10.100.0.0/16' }], [{ subnet: 'fd00:100::/64' }]] });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => addVia(host, 'plugd-ipam', config, `pod-${i}`)));
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(sortedDistinct(results.map((r) => r.result!.ips[0]!.address))).toHaveLength(100);
    expect(sortedDistinct(results.map((r) => r.result!.ips[1]!.address))).toHaveLength(100);
    expect(reservedFiles(dataDir)).toHaveLength(200);
    for (const [i, r] of results.entries()) expect(owner(dataDir, r.result!.ips[0]!.address.split('/')[0]!)).toBe(`pod-${i}\r\neth0`);

    const deleted = await host.invoke<DelResponse__Output>('plugd-ipam', 'Del', { runtime: runtime('pod-7'), config, cniVersion: '1.0.0', prevResult: Buffer.alloc(0) });
    expect(deleted.error).toBeNull();
    expect(reservedFiles(dataDir)).toHaveLength(198);
  });

  it('in a chain, takes the address the runtime asks for through the ips capability or CNI_ARGS IP=', async () => {
    const { host, socketDir } = await startHost();
    servePluginProcess('sample-plugins/ipam', socketDir);
    await host.waitForPlugin('plugd-ipam', 20_000);
    const dataDir = tempDir();
    const chains = new NetworkChains({ plugins: pluginsOf(host), cniPath: ['/usr/lib/cni'], cacheDir: join(tempDir(), 'cache'), logger: host.logger });
    chains.setNetwork({ cniVersion: '1.1.0', name: NETWORK, plugins: [{ type: 'plugd-ipam', capabilities: { ips: true }, dataDir, ranges: [[{ subnet: '10.70.0.0/24' }]] }] });
    const viaCapability = await chains.add(NETWORK, { containerID: 'cap-1', netns: NETNS, ifName: 'eth0', capabilityArgs: { ips: ['10.70.0.42/24'] } });
    expect(viaCapability.ips).toEqual([{ address: '10.70.0.42/24', gateway: '10.70.0.1' }]);
    const viaArgs = await chains.add(NETWORK, { containerID: 'arg-1', netns: NETNS, ifName: 'eth0', args: [['IgnoreUnknown', '1'], ['IP', '10.70.0.43']] });
    expect(viaArgs.ips).toEqual([{ address: '10.70.0.43/24', gateway: '10.70.0.1' }]);
    await expect(chains.add(NETWORK, { containerID: 'arg-2', netns: NETNS, ifName: 'eth0', args: [['IP', '10.70.0.43']] }))
      .rejects.toMatchObject({ cniCode: 102, msg: expect.stringMatching(/requested IP address 10\.70\.0\.43 is not available/) });
    expect(reservedFiles(dataDir)).toEqual(['10.70.0.42', '10.70.0.43']);
  });

  it('two plugin processes sharing one dataDir hand out every address of the range once, and no more', async () => {
    const { host, socketDir } = await startHost();
    servePluginProcess('sample-plugins/ipam', socketDir, ['--name', 'ipam-a']);
    servePluginProcess('sample-plugins/ipam', socketDir, ['--name', 'ipam-b']);
    await host.waitForPlugin('ipam-a', 20_000);
    await host.waitForPlugin('ipam-b', 20_000);
    const dataDir = tempDir();
    // Exactly 100 addresses: .2 to .101 (the gateway, .1, is outside).
    const config = ipamConfig({ dataDir, ranges: [[{ subnet: '10.50.0.0/24', rangeStart: '10.50.0.2', rangeEnd: '10.50.0.101' }]] });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => addVia(host, i % 2 ? 'ipam-b' : 'ipam-a', config, `pod-${i}`)));
    expect(results.filter((r) => r.error)).toEqual([]);
    const addresses = results.map((r) => r.result!.ips[0]!.address);
    expect(sortedDistinct(addresses)).toHaveLength(100);
    expect(reservedFiles(dataDir)).toHaveLength(100);
    for (const name of ['ipam-a', 'ipam-b']) expect((await addVia(host, name, config, 'one-too-many')).error?.code).toBe(100);
  });

  it('a plugin SIGKILLed mid-burst and started again hands out no address twice and keeps every reservation it answered', async () => {
    const { host, socketDir } = await startHost();
    const first = servePluginProcess('sample-plugins/ipam', socketDir);
    await host.waitForPlugin('plugd-ipam', 20_000);
    const dataDir = tempDir();
    const config = ipamConfig({ dataDir, ranges: [[{ subnet: '10.30.0.0/24' }]] });

    // 16 runtimes each sending its next ADD as soon as the last is answered, until one fails:
    // whenever the kill lands, up to 16 ADDs are in flight.
    const answered = new Map<string, string>();
    let attempted = 0;
    const runtimes = Array.from({ length: 16 }, async () => {
      while (attempted < 250) {
        const c = `pod-${attempted++}`;
        const r = await addVia(host, 'plugd-ipam', config, c).catch(() => undefined);
        if (!r?.result) return;
        answered.set(c, r.result.ips[0]!.address);
      }
    });
    await waitFor(() => answered.size >= 50, '50 ADDs answered before the kill', 20_000);
    first.kill('SIGKILL');
    await first.exited;
    await Promise.all(runtimes);
    expect(answered.size).toBeLessThan(attempted);
    // Everything answered is on disk, owned by the container it was answered to.
    for (const [c, address] of answered) expect(owner(dataDir, address.split('/')[0]!)).toBe(`${c}\r\neth0`);

    servePluginProcess('sample-plugins/ipam', socketDir);
    await waitFor(async () => {
      const res = await host.invoke<StatusResponse__Output>('plugd-ipam', 'Status', { runtime: null, config, cniVersion: '1.1.0' }).catch(() => undefined);
      return res !== undefined && res.error === null;
    }, 'the restarted plugin to answer STATUS', 20_000, 100);

    // The runtime retries every ADD: those answered before the kill get the same address again.
    const retried = await Promise.all(Array.from({ length: attempted }, (_, i) => addVia(host, 'plugd-ipam', config, `pod-${i}`)));
    expect(retried.filter((r) => r.error)).toEqual([]);
    const addresses = retried.map((r) => r.result!.ips[0]!.address);
    expect(sortedDistinct(addresses)).toHaveLength(attempted);
    for (const [c, address] of answered) expect(addresses[Number(c.slice(4))]).toBe(address);
    expect(reservedFiles(dataDir)).toHaveLength(attempted);
    // The killed process's half-written temporary files were swept by its successor.
    expect(readdirSync(join(dataDir, NETWORK)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
