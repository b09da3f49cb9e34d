/**
 * The shim checked the way CNI's skel checks a plugin's call, beside Debian's host-local given
 * the same environment and config: missing or invalid CNI_* variables (4), a config without a
 * valid name (7), a cniVersion the host does not speak (1) or too old for the command (1: CHECK
 * before 0.4.0, STATUS and GC before 1.1.0), each answered before anything runs. Then the
 * result of an ADD in every version a runtime may speak, shaped as host-local shapes its own,
 * and VERSION of the shim symlinked under a plugin's name, whatever its stdin.
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, interopPeers, tempDir } from './helpers.js';
import { CNI_BIN, HAVE_CNI_PLUGINS, isCniErrorJson, runShim, SHIM, spawnCniHost, type ShimRun } from './network-helpers.js';

const HOST_LOCAL = join(CNI_BIN, 'host-local');
const havePlugins = interopPeers('the shim beside host-local', 'Debian\'s host-local', HAVE_CNI_PLUGINS ? undefined : `${HOST_LOCAL} is absent; apt-get install containernetworking-plugins`);

const NETNS = '/var/run/netns/cni-5e0f1c2d-7a3b-4c8d-9e6f-a1b2c3d4e5f6';

describe.skipIf(!havePlugins)('the plugd-cni shim checks a call as skel does, beside host-local', () => {
  let dir: string;
  let env: Record<string, string>;
  let ipamDir: string;
  beforeAll(async () => {
    dir = tempDir('plugd-skel-');
    ipamDir = join(dir, 'ipam');
    mkdirSync(join(dir, 'plugins'), { mode: 0o700 });
    mkdirSync(join(dir, 'net.d'));
    writeFileSync(join(dir, 'net.d', '10-podnet.conflist'), JSON.stringify({
      cniVersion: '1.1.0', name: 'podnet', plugins: [{ type: 'host-local', ipam: { type: 'host-local', dataDir: ipamDir, ranges: [[{ subnet: '10.60.0.0/16' }]] } }],
    }));
    const cniSocket = join(dir, 'run', 'cni.sock');
    await spawnCniHost({ socketDir: join(dir, 'plugins'), cniSocket, confDir: join(dir, 'net.d'), cacheDir: join(dir, 'cache'), cniPath: CNI_BIN });
    env = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'k1', CNI_NETNS: NETNS, CNI_IFNAME: 'eth0', CNI_PATH: CNI_BIN, PLUGD_CNI_SOCKET: cniSocket, PLUGD_CNI_DEL_QUEUE: join(dir, 'cache', 'del-queue') };
  }, 30_000);
  afterAll(cleanup);

  /** The shim's config for network podnet, and host-local's own with the same keys (its data apart). */
  const shimConf = (extra: Record<string, unknown> = {}) => JSON.stringify({ cniVersion: '1.0.0', name: 'podnet', type: 'plugd-cni', ...extra });
  const hostLocalConf = (extra: Record<string, unknown> = {}) => JSON.stringify({
    cniVersion: '1.0.0', name: 'podnet', type: 'host-local', ipam: { type: 'host-local', dataDir: join(dir, 'reference'), ranges: [[{ subnet: '10.61.0.0/16' }]] }, ...extra,
  });
  const reserved = () => (existsSync(join(ipamDir, 'podnet')) ? readdirSync(join(ipamDir, 'podnet')).filter((f) => /^\d/.test(f)) : []);
  const cached = () => (existsSync(join(dir, 'cache', 'results')) ? readdirSync(join(dir, 'cache', 'results')).filter((f) => !f.startsWith('.')) : []);
  const without = (e: Record<string, string>, ...keys: string[]) => Object.fromEntries(Object.entries(e).filter(([k]) => !keys.includes(k)));
  const errorOf = (run: ShimRun) => {
    const { code, msg, details } = run.json as { code: number; msg: string; details?: string };
    return { code, msg, ...(details ? { details } : {}) };
  };

  const cases: Array<{ name: string; env: (e: Record<string, string>) => Record<string, string>; conf?: Record<string, unknown>; stdin?: string; code: number; msg: string }> = [
    { name: 'ADD with no CNI_* variable but the command', env: (e) => without(e, 'CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'), code: 4, msg: 'required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH] missing' },
    { name: 'CHECK without CNI_NETNS', env: (e) => ({ ...without(e, 'CNI_NETNS'), CNI_COMMAND: 'CHECK' }), conf: { cniVersion: '0.4.0' }, code: 4, msg: 'required env variables [CNI_NETNS] missing' },
    { name: 'DEL without CNI_CONTAINERID and CNI_IFNAME', env: (e) => ({ ...without(e, 'CNI_CONTAINERID', 'CNI_IFNAME'), CNI_COMMAND: 'DEL' }), code: 4, msg: 'required env variables [CNI_CONTAINERID,CNI_IFNAME] missing' },
    { name: 'a container ID that climbs out of a directory', env: (e) => ({ ...e, CNI_CONTAINERID: '../../etc/x' }), code: 4, msg: 'invalid characters in containerID' },
    { name: 'DEL of a container ID starting with "-"', env: (e) => ({ ...without(e, 'CNI_NETNS'), CNI_COMMAND: 'DEL', CNI_CONTAINERID: '-x' }), code: 4, msg: 'invalid characters in containerID' },
    { name: 'an interface name of 16 bytes', env: (e) => ({ ...e, CNI_IFNAME: 'eth0123456789abc' }), code: 4, msg: 'interface name is too long' },
    { name: 'an interface name of ".."', env: (e) => ({ ...e, CNI_IFNAME: '..' }), code: 4, msg: 'interface name is . or ..' },
    { name: 'an interface name with "/"', env: (e) => ({ ...e, CNI_IFNAME: 'eth0/x' }), code: 4, msg: 'interface name contains / or : or whitespace characters' },
    { name: 'a config without a name', env: (e) => e, conf: { name: undefined }, code: 7, msg: 'missing network name' },
    { name: 'a network name with a space', env: (e) => e, conf: { name: 'pod net' }, code: 7, msg: 'invalid characters found in network name' },
    { name: 'cniVersion 2.0.0', env: (e) => e, conf: { cniVersion: '2.0.0' }, code: 1, msg: 'incompatible CNI versions' },
    { name: 'CHECK at 0.3.1', env: (e) => ({ ...e, CNI_COMMAND: 'CHECK' }), conf: { cniVersion: '0.3.1' }, code: 1, msg: 'config version does not allow CHECK' },
    { name: 'stdin that is not JSON', env: (e) => e, stdin: 'cniVersion=1.0.0', code: 6, msg: '' },
  ];

  it.each(cases)('$name: exit 1 and error $code, as host-local answers, with nothing allocated', async (c) => {
    const before = { reserved: reserved(), cached: cached() };
    const shim = await runShim(c.env(env), c.stdin ?? shimConf(c.conf));
    const reference = await runShim(without(c.env(env), 'PLUGD_CNI_SOCKET', 'PLUGD_CNI_DEL_QUEUE'), c.stdin ?? hostLocalConf(c.conf), HOST_LOCAL);
    expect(shim.code, shim.stdout).toBe(1);
    expect(isCniErrorJson(shim.json), shim.stdout).toBe(true);
    expect(reference.code, reference.stdout).toBe(1);
    expect(errorOf(reference)).toMatchObject({ code: c.code, ...(c.msg ? { msg: c.msg } : {}) });
    if (c.code === 6) {
      expect(errorOf(shim).code).toBe(6);
    } else if (c.msg === 'incompatible CNI versions') {
      // The same words; the versions listed are each plugin's own.
      expect(errorOf(shim)).toEqual({ code: 1, msg: c.msg, details: expect.stringMatching(/^config is "2\.0\.0", plugin supports \["0\.3\.0" "0\.3\.1" "0\.4\.0" "1\.0\.0" "1\.1\.0"\]$/) });
      expect(errorOf(reference).details).toMatch(/^config is "2\.0\.0", plugin supports \[/);
    } else {
      expect(errorOf(shim)).toEqual(errorOf(reference));
    }
    expect({ reserved: reserved(), cached: cached() }).toEqual(before);
  });

  it('refuses STATUS and GC below 1.1.0 with error 1 (skel\'s rule) and deletes nothing; serves them at 1.1.0', async () => {
    const add = await runShim({ ...env, CNI_CONTAINERID: 'gc-keep' }, shimConf());
    expect(add.code, add.stdout).toBe(0);
    const statusEnv = without(env, 'CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME');
    for (const command of ['STATUS', 'GC']) {
      for (const cniVersion of ['0.3.1', '0.4.0', '1.0.0']) {
        const run = await runShim({ ...statusEnv, CNI_COMMAND: command }, shimConf({ cniVersion }));
        expect(run.code, `${command} ${cniVersion}`).toBe(1);
        expect(run.json, `${command} ${cniVersion}`).toEqual({ cniVersion, code: 1, msg: `config version does not allow ${command}` });
      }
    }
    // A GC that had run would have deleted the attachment (no valid attachments were given).
    expect(cached()).toContain('podnet-gc-keep-eth0');
    expect(await runShim({ ...statusEnv, CNI_COMMAND: 'STATUS' }, shimConf({ cniVersion: '1.1.0' }))).toMatchObject({ code: 0, stdout: '' });
    const gc = await runShim({ ...statusEnv, CNI_COMMAND: 'GC' }, shimConf({ cniVersion: '1.1.0', 'cni.dev/valid-attachments': [{ containerID: 'gc-keep', ifname: 'eth0' }] }));
    expect(gc).toMatchObject({ code: 0, stdout: '' });
    expect(cached()).toContain('podnet-gc-keep-eth0');
    expect(await runShim({ ...env, CNI_COMMAND: 'DEL', CNI_CONTAINERID: 'gc-keep' }, shimConf())).toMatchObject({ code: 0, stdout: '' });
  });

  it('refuses a config without cniVersion (skel reads it as 0.1.0) before anything runs', async () => {
    const before = reserved();
    const run = await runShim({ ...env, CNI_CONTAINERID: 'nover' }, JSON.stringify({ name: 'podnet', type: 'plugd-cni' }));
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ code: 1, msg: 'incompatible CNI versions', details: expect.stringMatching(/^config is "0\.1\.0"/) });
    expect(reserved()).toEqual(before);
  });

  it.each(['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'])('answers ADD at %s in that version, shaped as host-local\'s own result; CHECK (from 0.4.0) and DEL follow', async (cniVersion) => {
    const id = `v${cniVersion.replace(/\./g, '')}`;
    const shim = await runShim({ ...env, CNI_CONTAINERID: id }, shimConf({ cniVersion }));
    // host-local stops at 1.0.0: at 1.1.0 its result keeps the 1.0.0 shape.
    const reference = await runShim({ ...without(env, 'PLUGD_CNI_SOCKET', 'PLUGD_CNI_DEL_QUEUE'), CNI_CONTAINERID: id }, hostLocalConf({ cniVersion: cniVersion === '1.1.0' ? '1.0.0' : cniVersion }), HOST_LOCAL);
    expect(shim.code, shim.stdout).toBe(0);
    expect(reference.code, reference.stdout).toBe(0);
    const shape = (r: Record<string, unknown>) => JSON.parse(JSON.stringify(r).replace(/10\.6[01]\.0\.\d+/g, 'A')) as Record<string, unknown>;
    expect(shape(shim.json!)).toEqual({ ...shape(reference.json!), cniVersion });
    const ips = shim.json!.ips as Array<Record<string, unknown>>;
    expect(ips[0]!.version).toBe(cniVersion < '1.0.0' ? '4' : undefined);
    if (cniVersion >= '0.4.0') {
      expect(await runShim({ ...env, CNI_COMMAND: 'CHECK', CNI_CONTAINERID: id }, shimConf({ cniVersion, prevResult: shim.json }))).toMatchObject({ code: 0, stdout: '' });
    }
    expect(await runShim({ ...without(env, 'CNI_NETNS'), CNI_COMMAND: 'DEL', CNI_CONTAINERID: id }, shimConf({ cniVersion, prevResult: shim.json }))).toMatchObject({ code: 0, stdout: '' });
    expect(cached()).not.toContain(`podnet-${id}-eth0`);
  });

  it('symlinked under a plugin\'s name, answers VERSION whatever its stdin, with the versions the host accepts for that plugin', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(SHIM, join(bin, 'host-local'));
    const { CNI_COMMAND: _c, ...rest } = without(env, 'CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME');
    for (const stdin of ['', '{"cniVersion":"1.0.0"}']) {
      const run = await runShim({ ...rest, CNI_COMMAND: 'VERSION' }, stdin, join(bin, 'host-local'));
      // host-local's own 0.1.0 and 0.2.0 have another result shape the host does not convert; 1.1.0 it converts down to 1.0.0.
      expect(run, JSON.stringify(stdin)).toMatchObject({ code: 0, json: { cniVersion: '1.1.0', supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] } });
    }
  });
});
