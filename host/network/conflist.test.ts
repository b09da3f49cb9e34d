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
    // A single config's keys are its plugin's: no list flags (ConfListFromConf keeps name and cniVersion only).
    expect(parseNetworkConfig({ cniVersion: '1.0.0', name: 'lo', type: 'loopback', disableCheck: true, disableGC: 'maybe' })).toMatchObject({ disableCheck: false, disableGC: false });
  });

  it.each([
    [{ cniVersions: ['0.4.0', '1.1.0', '9.0.0'], cniVersion: '0.4.0' }, '1.1.0'],
    [{ cniVersions: ['1.0.0', '1.1.0'] }, '1.1.0'],
    // cniVersion takes part, as in libcni's NetworkConfFromBytes; versions past 1.1.0 are ignored.
    [{ cniVersions: ['0.4.0'], cniVersion: '1.0.0' }, '1.0.0'],
    [{ cniVersions: ['1.0.0'], cniVersion: '2.0.0' }, '1.0.0'],
    [{ cniVersions: [], cniVersion: '0.4.0' }, '0.4.0'],
  ])('picks the version of %j as libcni does: %s', (versions, picked) => {
    expect(parseNetworkConfig({ ...versions, name: 'n', plugins: [{ type: 'x' }] }).cniVersion).toBe(picked);
  });

  it('reads disableCheck, disableGC and loadOnlyInlinedPlugins as booleans or "true"/"false" in any case', () => {
    expect(parseNetworkConfig({ cniVersion: '1.0.0', name: 'n', disableCheck: 'TRUE', disableGC: 'False', loadOnlyInlinedPlugins: 'true', plugins: [{ type: 'x' }] }))
      .toMatchObject({ disableCheck: true, disableGC: false });
  });

  it.each([
    [{ name: 'n', plugins: [{ type: 'x' }] }, 7, /cniVersion is required/],
    [{ cniVersion: '2.0.0', name: 'n', plugins: [{ type: 'x' }] }, 1, /incompatible CNI version 2\.0\.0/],
    [{ cniVersion: '1.0.0', name: 'bad name', plugins: [{ type: 'x' }] }, 7, /name must match/],
    [{ cniVersion: '1.0.0', plugins: [{ type: 'x' }] }, 7, /^error parsing configuration list: no name$/],
    [{ cniVersion: '1.0.0', name: 'n', plugins: [] }, 7, /^error parsing configuration list: no plugins in list$/],
    [{ cniVersion: '1.0.0', name: 'n', plugins: { type: 'x' } }, 7, /^error parsing configuration list: invalid 'plugins' type map\[string\]interface \{\}$/],
    [{ cniVersion: '1.0.0', name: 'n', plugins: [{ type: '' }] }, 7, /^failed to parse plugin config 0: error parsing configuration: missing 'type'$/],
    [{ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'x' }, { ipam: {} }] }, 7, /^failed to parse plugin config 1: error parsing configuration: missing 'type'$/],
    [{ cniVersion: '1.0.0', name: 'n', plugins: [{ type: '../../bin/sh' }] }, 7, /is not a plugin name/],
    [{ cniVersion: '1.0.0', name: 'n', disableCheck: 'yes', plugins: [{ type: 'x' }] }, 7, /^error parsing configuration list: invalid value "yes" for disableCheck$/],
    [{ cniVersion: '1.0.0', name: 'n', disableGC: 1, plugins: [{ type: 'x' }] }, 7, /^error parsing configuration list: invalid type float64 for disableGC$/],
    [{ cniVersion: '1.0.0', name: 'n', loadOnlyInlinedPlugins: true }, 7, /^error parsing configuration: missing 'type'$/],
    [{ cniVersions: '1.0.0', name: 'n', plugins: [{ type: 'x' }] }, 7, /invalid type for cniVersions: string/],
    [{ cniVersions: ['1.0.0', 1], name: 'n', plugins: [{ type: 'x' }] }, 7, /invalid type for cniVersions index 1: float64/],
    [{ cniVersions: ['1.0'], name: 'n', plugins: [{ type: 'x' }] }, 7, /invalid cniVersions entry 1\.0 at index 0/],
    [{ cniVersions: ['9.0.0'], name: 'n', plugins: [{ type: 'x' }] }, 7, /cniVersion is required/],
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

  it('a .conflist wins over a .conf of the same name whatever their order (libcni\'s LoadConfList)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugd-conf-'));
    dirs.push(dir);
    writeFileSync(join(dir, '10-podnet.conf'), JSON.stringify({ cniVersion: '1.0.0', name: 'podnet', type: 'single' }));
    writeFileSync(join(dir, '90-podnet.conflist'), JSON.stringify({ cniVersion: '1.0.0', name: 'podnet', plugins: [{ type: 'listed' }] }));
    const scan = loadConfDir(dir);
    expect(scan.networks.get('podnet')!.plugins.map((p) => p.type)).toEqual(['listed']);
    expect(scan.skipped).toEqual([{ file: join(dir, '10-podnet.conf'), reason: `network podnet is already defined by ${join(dir, '90-podnet.conflist')}` }]);
  });

  it('appends <dir>/<network>/*.conf to a .conflist unless loadOnlyInlinedPlugins (libcni\'s NetworkConfFromFile)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugd-conf-'));
    dirs.push(dir);
    for (const n of ['a', 'b', 'c', 'd']) mkdirSync(join(dir, n));
    writeFileSync(join(dir, 'a', '20-tuning.conf'), JSON.stringify({ type: 'tuning', mtu: 1400 }));
    writeFileSync(join(dir, 'a', '10-portmap.conf'), JSON.stringify({ type: 'portmap', capabilities: { portMappings: true } }));
    writeFileSync(join(dir, 'a', 'notes.json'), JSON.stringify({ type: 'ignored' }));
    writeFileSync(join(dir, 'a.conflist'), JSON.stringify({ cniVersion: '1.1.0', name: 'a', plugins: [{ type: 'bridge' }] }));
    writeFileSync(join(dir, 'b', '10-tuning.conf'), JSON.stringify({ type: 'tuning' }));
    writeFileSync(join(dir, 'b.conflist'), JSON.stringify({ cniVersion: '1.1.0', name: 'b', loadOnlyInlinedPlugins: true, plugins: [{ type: 'bridge' }] }));
    writeFileSync(join(dir, 'c', '10-ptp.conf'), JSON.stringify({ type: 'ptp' }));
    writeFileSync(join(dir, 'c.conflist'), JSON.stringify({ cniVersion: '1.1.0', name: 'c' }));
    writeFileSync(join(dir, 'd', '10-bad.conf'), JSON.stringify({ mtu: 1 }));
    writeFileSync(join(dir, 'd.conflist'), JSON.stringify({ cniVersion: '1.1.0', name: 'd', plugins: [{ type: 'bridge' }] }));
    writeFileSync(join(dir, 'e.conflist'), JSON.stringify({ cniVersion: '1.1.0', name: 'e' }));
    writeFileSync(join(dir, 'f.conflist'), JSON.stringify({ cniVersion: '1.1.0', name: 'f', loadOnlyInlinedPlugins: true }));
    const scan = loadConfDir(dir);
    const types = (n: string) => scan.networks.get(n)?.plugins.map((p) => p.type);
    expect(types('a')).toEqual(['bridge', 'portmap', 'tuning']);
    expect(types('b')).toEqual(['bridge']);
    expect(types('c')).toEqual(['ptp']);
    expect(scan.skipped.map((s) => [s.file.slice(dir.length + 1), s.reason])).toEqual([
      ['d.conflist', `error parsing configuration: missing 'type': network configuration ${join(dir, 'd', '10-bad.conf')}`],
      ['e.conflist', expect.stringMatching(/^no plugin configs found/)],
      ['f.conflist', expect.stringMatching(/^error parsing configuration list: `loadOnlyInlinedPlugins` is true, and no 'plugins' key/)],
    ]);
  });

  it('an absent directory has no networks', () => {
    expect(loadConfDir('/nonexistent/plugd/net.d').networks.size).toBe(0);
  });
});
