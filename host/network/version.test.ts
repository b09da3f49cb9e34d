import { describe, expect, it } from 'vitest';
import { CniError } from './cni.js';
import { checkConfigVersion, compareCniVersions, convertResult, negotiateCniVersion } from './version.js';

/** What Debian's host-local answers to VERSION (containernetworking-plugins 1.1.1). */
const DEBIAN = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0'];

describe('CNI versions', () => {
  it.each([
    ['1.1.0', DEBIAN, '1.0.0'],
    ['1.0.0', DEBIAN, '1.0.0'],
    ['0.4.0', DEBIAN, '0.4.0'],
    ['1.1.0', ['0.3.1', '0.4.0'], '0.4.0'],
    ['1.0.0', ['1.1.0'], undefined],
    ['1.1.0', ['0.1.0', '0.2.0'], undefined],
  ] as const)('a %s network speaks to a plugin supporting %j in %s', (want, supported, got) => {
    expect(negotiateCniVersion(want, supported)).toBe(got);
  });

  it('orders versions numerically', () => {
    expect(['1.0.0', '0.10.0', '0.4.0', '1.1.0', '0.3.1'].sort(compareCniVersions)).toEqual(['0.3.1', '0.4.0', '0.10.0', '1.0.0', '1.1.0']);
  });

  const v1 = {
    cniVersion: '1.1.0',
    interfaces: [{ name: 'eth0', mac: '0e:8f:2b:6d:41:c3', sandbox: '/var/run/netns/x' }],
    ips: [{ address: '10.22.0.5/16', gateway: '10.22.0.1', interface: 0 }, { address: 'fd00::5/64', interface: 0 }],
    routes: [{ dst: '0.0.0.0/0', gw: '10.22.0.1', mtu: 1400, table: 100 }],
    dns: { nameservers: ['10.96.0.10'] },
  };

  it('converts a result down to 0.4.0 with ips[].version and back up without it, keeping the rest (as libcni)', () => {
    const down = convertResult(v1, '0.4.0');
    expect(down.cniVersion).toBe('0.4.0');
    expect(down.ips).toEqual([{ address: '10.22.0.5/16', gateway: '10.22.0.1', interface: 0, version: '4' }, { address: 'fd00::5/64', interface: 0, version: '6' }]);
    expect(down.routes).toEqual(v1.routes);
    expect(convertResult(down, '1.1.0')).toEqual(v1);
    expect(convertResult(v1, '1.0.0')).toEqual({ ...v1, cniVersion: '1.0.0' });
  });

  it('keeps only name, mac and sandbox of interfaces going down to 0.x (types040.Interface), as libcni does', () => {
    const rich = { ...v1, interfaces: [{ name: 'net1', mac: '0e:8f:2b:6d:41:c4', mtu: 9000, sandbox: '/var/run/netns/x', socketPath: '/run/vhost.sock', pciID: '0000:00:1f.6' }] };
    for (const to of ['0.3.0', '0.3.1', '0.4.0']) expect(convertResult(rich, to).interfaces, to).toEqual([{ name: 'net1', mac: '0e:8f:2b:6d:41:c4', sandbox: '/var/run/netns/x' }]);
    expect(convertResult(rich, '1.0.0').interfaces).toEqual(rich.interfaces);
  });

  it.each([
    ['ADD', '1.0.0', undefined],
    ['ADD', '0.2.0', 'incompatible CNI versions'],
    ['DEL', undefined, 'incompatible CNI versions'],
    ['CHECK', '0.4.0', undefined],
    ['CHECK', '0.3.1', 'config version does not allow CHECK'],
    ['STATUS', '1.0.0', 'config version does not allow STATUS'],
    ['GC', '1.0.0', 'config version does not allow GC'],
    ['GC', '1.1.0', undefined],
  ] as const)('skel\'s version gate: %s with a config at %s → %s', (command, version, msg) => {
    const err = checkConfigVersion(command, version, ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0']);
    if (msg === undefined) expect(err).toBeUndefined();
    else expect(err).toMatchObject({ cniCode: 1, msg });
  });

  it('refuses to convert to or from a pre-0.3.0 result shape (error 1)', () => {
    expect(() => convertResult(v1, '0.2.0')).toThrow(CniError);
    expect(() => convertResult({ cniVersion: '0.2.0', ip4: { ip: '10.0.0.2/24' } }, '1.0.0')).toThrow(expect.objectContaining({ cniCode: 1 }));
  });
});
