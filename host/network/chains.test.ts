import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkChains } from './chains.js';
import type { NetworkPluginDirectory } from './grpc-plugin.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const nothing: NetworkPluginDirectory = { lookup: () => undefined, call: () => Promise.reject(new Error('no plugins')) };

describe('network chains check the attachment as skel does', () => {
  it.each([
    ['ADD', { containerID: '../../../../tmp/x', netns: '/var/run/netns/x', ifName: 'eth0' }, 'invalid characters in containerID'],
    ['ADD', { containerID: 'c1', netns: '/var/run/netns/x', ifName: '../../x' }, 'interface name contains / or : or whitespace characters'],
    ['DEL', { containerID: 'c1/..', ifName: 'eth0' }, 'invalid characters in containerID'],
    ['CHECK', { containerID: 'c1', netns: '/var/run/netns/x', ifName: 'a-very-long-ifname' }, 'interface name is too long'],
  ] as const)('%s of %j: error 4 (%s) before any plugin runs or anything is cached', async (command, rt, msg) => {
    const dir = mkdtempSync(join(tmpdir(), 'plugd-chains-'));
    dirs.push(dir);
    const chains = new NetworkChains({ plugins: nothing, cacheDir: join(dir, 'cache') });
    chains.setNetwork({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'absent' }] });
    const run = command === 'ADD' ? chains.add('n', rt) : command === 'DEL' ? chains.del('n', rt) : chains.check('n', rt);
    await expect(run).rejects.toMatchObject({ cniCode: 4, msg });
    expect(existsSync(join(dir, 'cache')) ? readdirSync(join(dir, 'cache'), { recursive: true }) : []).toEqual([]);
  });
});

/**
 * An exec'd plugin (a shell script) speaking `versions`: appends {plugin, command, args, stdin}
 * to $REC_LOG per call and answers ADD with its prevResult, or one address, in its config's version.
 */
function recorder(bin: string, name: string, versions: readonly string[]): void {
  writeFileSync(join(bin, name), `#!/bin/sh
if [ "$CNI_COMMAND" = VERSION ]; then printf '%s\\n' '${JSON.stringify({ cniVersion: '1.0.0', supportedVersions: versions })}'; exit 0; fi
stdin=$(cat)
printf '{"plugin":"${name}","command":"%s","args":"%s","stdin":%s}\\n' "$CNI_COMMAND" "$CNI_ARGS" "$stdin" >>"$REC_LOG"
[ "$CNI_COMMAND" = ADD ] || exit 0
v=$(printf '%s' "$stdin" | grep -o '"cniVersion":"[^"]*"' | head -n 1)
printf '{%s,"ips":[{"address":"10.9.0.7/24"}]}\\n' "$v"
`, { mode: 0o755 });
}

describe('network configuration lists applied as libcni applies them', () => {
  function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'plugd-chains-'));
    dirs.push(dir);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const n of ['rec', 'rec2', 'rec3']) recorder(bin, n, ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0']);
    recorder(bin, 'rec-1.0', ['0.3.0', '0.3.1', '0.4.0', '1.0.0']);
    const log = join(dir, 'rec.log');
    const chains = new NetworkChains({ plugins: nothing, cniPath: [bin], cacheDir: join(dir, 'cache'), execEnv: { REC_LOG: log } });
    const calls = (plugin?: string, command?: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [])
      .map((l) => JSON.parse(l) as { plugin: string; command: string; args: string; stdin: Record<string, unknown> })
      .filter((r) => (!plugin || r.plugin === plugin) && (!command || r.command === command));
    return { dir, chains, calls };
  }
  const rt = { containerID: 'c1', netns: '/var/run/netns/x', ifName: 'eth0' };

  it.each([
    [{ cniVersions: ['1.0.0', '1.1.0'] }, '1.1.0'],
    [{ cniVersions: ['1.0.0', '1.1.0'], cniVersion: '0.4.0' }, '1.1.0'],
    [{ cniVersions: ['0.4.0'], cniVersion: '1.0.0' }, '1.0.0'],
    [{ cniVersions: ['1.0.0', '9.0.0'], cniVersion: '2.0.0' }, '1.0.0'],
  ])('a list with %j runs at %s: each plugin gets it, or the newest it speaks below it', async (versions, picked) => {
    const { chains, calls } = setup();
    chains.setNetwork({ ...versions, name: 'vs', plugins: [{ type: 'rec' }, { type: 'rec-1.0' }] });
    const result = await chains.add('vs', rt);
    expect(result.cniVersion).toBe(picked);
    expect(calls('rec', 'ADD')[0]!.stdin).toMatchObject({ cniVersion: picked, name: 'vs' });
    expect(calls('rec-1.0', 'ADD')[0]!.stdin).toMatchObject({ cniVersion: picked === '1.1.0' ? '1.0.0' : picked });
  });

  it('injects runtimeConfig only for the capabilities a plugin declares true, on ADD, CHECK and DEL; passes args and CNI_ARGS through', async () => {
    const { chains, calls } = setup();
    const portMappings = [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }];
    const args = { cni: { ips: ['10.9.0.7'] }, labels: { app: 'web' } };
    chains.setNetwork({ cniVersion: '1.1.0', name: 'caps', plugins: [
      { type: 'rec', capabilities: { portMappings: true }, args },
      { type: 'rec2' },
      { type: 'rec3', capabilities: { portMappings: false, mac: true }, runtimeConfig: { own: 1 } },
    ] });
    const full = { ...rt, args: [['IgnoreUnknown', '1'], ['K8S_POD_NAME', 'web-0']] as Array<[string, string]>, capabilityArgs: { portMappings, bandwidth: { ingressRate: 1 } } };
    await chains.add('caps', full);
    await chains.check('caps', full);
    await chains.del('caps', full);
    for (const command of ['ADD', 'CHECK', 'DEL']) {
      const [rec] = calls('rec', command);
      expect(rec!.stdin).toMatchObject({ type: 'rec', capabilities: { portMappings: true }, runtimeConfig: { portMappings }, args });
      expect(Object.keys(rec!.stdin.runtimeConfig as object)).toEqual(['portMappings']);
      expect(rec!.args).toBe('IgnoreUnknown=1;K8S_POD_NAME=web-0');
      expect(calls('rec2', command)[0]!.stdin).not.toHaveProperty('runtimeConfig');
      // Nothing declared was given: the entry's own runtimeConfig stays (libcni injects only a non-empty one).
      expect(calls('rec3', command)[0]!.stdin.runtimeConfig).toEqual({ own: 1 });
    }
  });

  it('disableCheck makes CHECK a success that runs no plugin, even with nothing cached; without it CHECK needs the cache', async () => {
    const { chains, calls } = setup();
    chains.setNetwork({ cniVersion: '1.1.0', name: 'nocheck', disableCheck: 'True', plugins: [{ type: 'rec' }] });
    await expect(chains.check('nocheck', rt)).resolves.toBeUndefined();
    await chains.add('nocheck', rt);
    await chains.check('nocheck', rt);
    expect(calls(undefined, 'CHECK')).toEqual([]);
    chains.setNetwork({ cniVersion: '1.1.0', name: 'check', plugins: [{ type: 'rec' }] });
    await expect(chains.check('check', rt)).rejects.toMatchObject({ cniCode: 3 });
  });

  it('disableGC makes GC a no-op: stale attachments stay cached and no plugin is called', async () => {
    const { chains, calls, dir } = setup();
    chains.setNetwork({ cniVersion: '1.1.0', name: 'nogc', disableGC: true, plugins: [{ type: 'rec' }] });
    await chains.add('nogc', rt);
    await chains.gc('nogc', []);
    expect(calls(undefined, 'DEL')).toEqual([]);
    expect(calls(undefined, 'GC')).toEqual([]);
    expect(existsSync(join(dir, 'cache', 'results', 'nogc-c1-eth0'))).toBe(true);
    chains.setNetwork({ cniVersion: '1.1.0', name: 'nogc', plugins: [{ type: 'rec' }] });
    await chains.gc('nogc', []);
    expect(calls('rec', 'DEL')).toHaveLength(1);
    expect(calls('rec', 'GC')[0]!.stdin).toMatchObject({ 'cni.dev/valid-attachments': [] });
  });

  it('refuses a plugin entry without type in libcni\'s words, before anything runs', () => {
    const { chains } = setup();
    expect(() => chains.setNetwork({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'rec' }, { bridge: 'cni0' }] }))
      .toThrow(expect.objectContaining({ cniCode: 7, msg: "failed to parse plugin config 1: error parsing configuration: missing 'type'" }));
    expect(() => chains.setNetwork({ cniVersion: '1.0.0', name: 'n' }))
      .toThrow(expect.objectContaining({ cniCode: 7, msg: "error parsing configuration: missing 'type'" }));
  });
});
