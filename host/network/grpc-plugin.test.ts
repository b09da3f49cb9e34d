import { describe, expect, it } from 'vitest';
import { resultToJson } from './grpc-plugin.js';

const base = { cniVersion: '', interfaces: [], ips: [], routes: [], dns: null };

describe('resultToJson', () => {
  it('keeps an address\'s interface index only when it names one of the result\'s interfaces', () => {
    const ips = [{ address: '10.1.0.5/24', gateway: '10.1.0.1', interface: 0 }, { address: 'fd00::5/64', gateway: '', interface: -1 }];
    // No interfaces: proto3's default 0 (a plugin that never set it) is no interface at all.
    expect(resultToJson({ ...base, ips }, '1.0.0').ips).toEqual([{ address: '10.1.0.5/24', gateway: '10.1.0.1' }, { address: 'fd00::5/64' }]);
    const interfaces = [{ name: 'eth0', mac: '', mtu: 0, sandbox: '/var/run/netns/x', socketPath: '', pciId: '' }];
    expect(resultToJson({ ...base, interfaces, ips: [...ips, { address: '10.2.0.5/24', gateway: '', interface: 1 }] }, '1.0.0').ips)
      .toEqual([{ address: '10.1.0.5/24', gateway: '10.1.0.1', interface: 0 }, { address: 'fd00::5/64' }, { address: '10.2.0.5/24' }]);
  });
});
