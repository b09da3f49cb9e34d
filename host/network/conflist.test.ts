import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfDir, parseNetworkConfig } from './conflist.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('network configuration lists', () => {
  it('parses a list, and a single config as a list of one (libcni ConfListFromConf)', () => {
    const list = parseNetworkConfig({ cniVersion: '1.0.0', name: 'podnet', disableCheck: true, plugins: [{ type: 'bridge', bridge: 'cni0' }, { type: 'portmap' }] });
    expect(list).toMatchObject({ cniVersion: '1.0.0', name: 'podnet', disableCheck: true, disableGC: false });
    expect(list.plugins.map((p) => p.type)).toEqual(['bridge', 'portmap']);
    const single = parseNetworkConfig({ cniVersion: '0.4.0', name: 'lo', type: 'loopback' });
    expect(single.plugins).toEqual([{ type: 'loopback', conf: { cniVersion: '0.4.0', name: 'lo', type: 'loopback' } }]);
  });

  it('takes the newest usable version of cniVersions (1.1.0)', () => {
    expect(parseNetworkConfig({ cniVersions: ['0.4.0', '1.1.0', '9.0.0'], cniVersion: '0.4.0', name: 'n', plugins: [{ type: 'x' }] }).cniVersion).toBe('1.1.0');
  });

  it.each([
    [{ name: 'n', plugins: [{ type: 'x' }] }, 7, /cniVersion is required/],
    [{ cniVersion: '2.0.0', name: 'n', plugins: [{ type: 'x' }] }, 1, /incompatible CNI version 2\.0\.0/],
    [{ cniVersion: '1.0.0', name: 'bad name', plugins: [{ type: 'x' }] }, 7, /name must match/],
    [{ cniVersion: '1.0.0', name: 'n', plugins: [] }, 7, /plugins must be a non-empty array/],
    [{ cniVersion: '1.0.0', name: 'n', plugins: [{ type: '' }] }, 7, /plugins\[0\]\.type/],
    [{ cniVersion: '1.0.0', name: 'n', plugins: [{ type: '../../bin/sh' }] }, 7, /is not a plugin name/],
    [{ cniVersion: '1.0.0', name: 'n', disableCheck: 'yes', plugins: [{ type: 'x' }] }, 7, /disableCheck must be a boolean/],
  ])('refuses %j with CNI error %i', (raw, code, msg) => {
    expect(() => parseNetworkConfig(raw)).toThrow(expect.objectContaining({ cniCode: code, msg: expect.stringMatching(msg) }));
  });

  it('loads a directory in lexical order: first definition of a name wins, bad files are skipped with the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugd-conf-'));
    dirs.push(dir);
    writeFileSync(join(dir, '20-podnet.conflist'), JSON.stringify({ cniVersion: '1.0.0', name: 'podnet', plugins: [{ type: 'second' }] }));
    writeFileSync(join(dir, '10-podnet.conflist'), JSON.stringify({ cniVersion: '1.0.0', name: 'podnet', plugins: [{ type: 'first' }] }));
    writeFileSync(join(dir, '30-lo.conf'), JSON.stringify({ cniVersion: '1.0.0', name: 'lo', type: 'loopback' }));
    writeFileSync(join(dir, '40-extra.json'), JSON.stringify({ cniVersion: '1.0.0', name: 'extra', type: 'host-device' }));
    writeFileSync(join(dir, '50-broken.conflist'), '{"cniVersion": ');
    writeFileSync(join(dir, '60-list.conf'), JSON.stringify({ cniVersion: '1.0.0', name: 'wrong', plugins: [{ type: 'x' }] }));
    writeFileSync(join(dir, 'README.md'), 'not a config');
    mkdirSync(join(dir, '70-dir.conflist'));
    const scan = loadConfDir(dir);
    expect([...scan.networks.keys()]).toEqual(['podnet', 'lo', 'extra']);
    expect(scan.networks.get('podnet')!.plugins[0]!.type).toBe('first');
    expect(scan.skipped.map((s) => [s.file.slice(dir.length + 1), s.reason])).toEqual([
      ['20-podnet.conflist', `network podnet is already defined by ${join(dir, '10-podnet.conflist')}`],
      ['50-broken.conflist', expect.stringMatching(/^not valid JSON/)],
      ['60-list.conf', expect.stringMatching(/^a list belongs in a \.conflist file/)],
    ]);
  });

  it('an absent directory has no networks', () => {
    expect(loadConfDir('/nonexistent/plugd/net.d').networks.size).toBe(0);
  });
});
