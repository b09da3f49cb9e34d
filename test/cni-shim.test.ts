/**
 * bin/plugd-cni driven exactly as a container runtime drives a CNI plugin (CNI_* environment,
 * config on stdin, exit code and stdout read back) against `plugd host --cni-socket` as a
 * process, with a network chain of Debian's host-local and a gRPC plugin from its config dir:
 * every operation, CNI_ARGS reaching the plugins, every error a valid CNI error JSON with the
 * right code, the shim symlinked under a plugin's name, 100 concurrent ADDs, a host restart
 * between ADD and DEL, and a DEL while the host is down, queued and replayed. All of it twice:
 * over the shim's sender (bin/plugd-cni-send) and over curl (PLUGD_CNI_SEND=curl), whose
 * arguments and exit codes the sender shares.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cleanup, fixtureEvents, spawnNode, tempDir, waitFor, type PluginProcess } from './helpers.js';
import { CNI_BIN, HAVE_CNI_PLUGINS, isCniErrorJson, runShim, SEND, SHIM, spawnCniHost, startNetworkFixture, type CniHostProcess } from './network-helpers.js';

const NETNS = '/var/run/netns/cni-7a1e4b2c-3d5f-4e6a-8b9c-0d1e2f3a4b5c';
const ROUTES = [{ dst: '10.96.0.0/12', gw: '10.22.0.254' }];
const DNS = { nameservers: ['10.96.0.10'], search: ['shop.svc.cluster.local'] };

interface Env {
  dir: string;
  socketDir: string;
  cniSocket: string;
  confDir: string;
  cacheDir: string;
  ipamDir: string;
  edit: PluginProcess;
  host: CniHostProcess;
}

async function setup(): Promise<Env> {
  const dir = tempDir('plugd-shim-');
  const socketDir = join(dir, 'plugins');
  const confDir = join(dir, 'net.d');
  const ipamDir = join(dir, 'ipam');
  mkdirSync(socketDir, { mode: 0o700 });
  mkdirSync(confDir);
  writeFileSync(join(confDir, '10-podnet.conflist'), JSON.stringify({
    cniVersion: '1.1.0', name: 'podnet',
    plugins: [{ type: 'host-local', ipam: { type: 'host-local', dataDir: ipamDir, ranges: [[{ subnet: '10.22.0.0/16' }]] } }, { type: 'fx-edit', routes: ROUTES, dns: DNS }],
  }));
  const edit = await startNetworkFixture('edit', socketDir, 'fx-edit');
  const env = { dir, socketDir, confDir, ipamDir, cniSocket: join(dir, 'run', 'cni.sock'), cacheDir: join(dir, 'cache'), edit } as Omit<Env, 'host'>;
  const host = await startHost(env);
  return { ...env, host };
}

async function startHost(e: Omit<Env, 'host'>): Promise<CniHostProcess> {
  const host = await spawnCniHost({ socketDir: e.socketDir, cniSocket: e.cniSocket, confDir: e.confDir, cacheDir: e.cacheDir, cniPath: CNI_BIN });
  await host.logs.waitFor('plugin fx-edit active', {}, 20_000);
  return host;
}

async function stopHost(host: CniHostProcess): Promise<void> {
  host.kill('SIGTERM');
  await host.exited;
}

const ARGS = 'IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-7d4b9c8f6d-x2x9q;K8S_POD_UID=0b7a2f3e';

/** How the shim sends: its own sender when built, or curl when forced; `name` is what its error 11 details name. */
const SENDERS = [
  { name: 'plugd-cni-send', env: {} as Record<string, string>, present: existsSync(SEND) },
  { name: 'curl', env: { PLUGD_CNI_SEND: 'curl' } as Record<string, string>, present: true },
];
if (!existsSync(SEND)) console.warn('cni-shim: bin/plugd-cni-send is not built (no C compiler?); only the curl fallback is tested');

/** python3 holds a listener that never accepts (Node's accept at once), to fill its backlog. */
const HAVE_PYTHON = spawnSync('python3', ['-c', 'import socket'], { stdio: 'ignore' }).status === 0;

function baseEnv(e: Omit<Env, 'host'>, command: string, containerID: string, sender: Record<string, string>): Record<string, string> {
  return {
    CNI_COMMAND: command, CNI_CONTAINERID: containerID, CNI_NETNS: NETNS, CNI_IFNAME: 'eth0', CNI_PATH: CNI_BIN, CNI_ARGS: ARGS,
    PLUGD_CNI_SOCKET: e.cniSocket, PLUGD_CNI_DEL_QUEUE: join(e.cacheDir, 'del-queue'), ...sender,
  };
}

/** The runtime's own config entry for the shim (its conflist says "type": "plugd-cni"). */
const STDIN = JSON.stringify({ cniVersion: '1.0.0', name: 'podnet', type: 'plugd-cni' });

const addresses = (ipamDir: string) => readdirSync(join(ipamDir, 'podnet')).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f)).sort();

for (const sender of SENDERS) describe.skipIf(!HAVE_CNI_PLUGINS || !sender.present)(`the plugd-cni shim over ${sender.name}, run as a runtime runs a CNI plugin`, () => {
  afterEach(cleanup);
  const envFor = (e: Omit<Env, 'host'>, command: string, containerID = 'c1') => baseEnv(e, command, containerID, sender.env);

  it('serves VERSION, ADD, CHECK, STATUS, GC and DEL with CNI\'s output and exit codes', async () => {
    const e = await setup();
    const version = await runShim({ CNI_COMMAND: 'VERSION', ...sender.env }, '{"cniVersion":"1.0.0"}');
    expect(version).toMatchObject({ code: 0, json: { cniVersion: '1.1.0', supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] } });

    const add = await runShim(envFor(e, 'ADD'), STDIN);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    // In the runtime's version (1.0.0), whatever the chain's (1.1.0).
    expect(add.json).toEqual({ cniVersion: '1.0.0', ips: [{ address: '10.22.0.2/16', gateway: '10.22.0.1' }], routes: ROUTES, dns: DNS });
    // CNI_ARGS reached the gRPC plugin, parsed.
    expect(fixtureEvents(e.edit, 'add')[0]).toMatchObject({ containerID: 'c1', args: { IgnoreUnknown: '1', K8S_POD_NAMESPACE: 'shop', K8S_POD_NAME: 'web-7d4b9c8f6d-x2x9q', K8S_POD_UID: '0b7a2f3e' } });

    expect(await runShim(envFor(e, 'CHECK'), STDIN)).toMatchObject({ code: 0, stdout: '' });
    const { CNI_CONTAINERID: _c, CNI_NETNS: _n, CNI_IFNAME: _i, ...statusEnv } = envFor(e, 'STATUS');
    // STATUS and GC came with 1.1.0: the runtime's config says so (below it, error 1: test/cni-skel.test.ts).
    expect(await runShim(statusEnv, JSON.stringify({ cniVersion: '1.1.0', name: 'podnet', type: 'plugd-cni' }))).toMatchObject({ code: 0, stdout: '' });

    expect((await runShim(envFor(e, 'ADD', 'c2'), STDIN)).json?.ips).toEqual([{ address: '10.22.0.3/16', gateway: '10.22.0.1' }]);
    expect(addresses(e.ipamDir)).toEqual(['10.22.0.2', '10.22.0.3']);
    // GC with c1 still valid: c2's attachment is deleted (its address released).
    const gcStdin = JSON.stringify({ cniVersion: '1.1.0', name: 'podnet', type: 'plugd-cni', 'cni.dev/valid-attachments': [{ containerID: 'c1', ifname: 'eth0' }] });
    expect(await runShim({ ...statusEnv, CNI_COMMAND: 'GC' }, gcStdin)).toMatchObject({ code: 0, stdout: '' });
    expect(addresses(e.ipamDir)).toEqual(['10.22.0.2']);

    const del = await runShim({ ...envFor(e, 'DEL'), CNI_NETNS: '' }, STDIN);
    expect(del).toMatchObject({ code: 0, stdout: '' });
    expect(addresses(e.ipamDir)).toEqual([]);
    expect(fixtureEvents(e.edit, 'del').find((d) => d.containerID === 'c1')).toMatchObject({ prev: { ips: [{ address: '10.22.0.2/16' }], routes: ROUTES } });
    // DEL again: idempotent.
    expect(await runShim(envFor(e, 'DEL'), STDIN)).toMatchObject({ code: 0, stdout: '' });
  });

  it('answers every error as valid CNI error JSON on stdout with exit 1 and the spec\'s code', async () => {
    const e = await setup();
    const env = envFor(e, 'ADD', 'err1');
    const without = (k: string) => Object.fromEntries(Object.entries(env).filter(([x]) => x !== k));
    const cases: Array<{ name: string; env: Record<string, string>; stdin: string; code: number; msg: RegExp }> = [
      { name: 'no CNI_COMMAND', env: without('CNI_COMMAND'), stdin: STDIN, code: 4, msg: /CNI_COMMAND/ },
      { name: 'an unknown CNI_COMMAND', env: { ...env, CNI_COMMAND: 'ATTACH' }, stdin: STDIN, code: 4, msg: /unknown CNI_COMMAND: ATTACH/ },
      { name: 'ADD without CNI_NETNS', env: without('CNI_NETNS'), stdin: STDIN, code: 4, msg: /\[CNI_NETNS\] missing/ },
      { name: 'ADD without CNI_CONTAINERID', env: without('CNI_CONTAINERID'), stdin: STDIN, code: 4, msg: /CNI_CONTAINERID/ },
      { name: 'DEL without CNI_IFNAME', env: { ...without('CNI_IFNAME'), CNI_COMMAND: 'DEL' }, stdin: STDIN, code: 4, msg: /CNI_IFNAME/ },
      { name: 'ADD without CNI_PATH', env: without('CNI_PATH'), stdin: STDIN, code: 4, msg: /CNI_PATH/ },
      { name: 'malformed CNI_ARGS', env: { ...env, CNI_ARGS: 'K8S_POD_NAME' }, stdin: STDIN, code: 4, msg: /CNI_ARGS/ },
      { name: 'stdin that is not JSON', env, stdin: 'cniVersion=1.0.0', code: 6, msg: /decode/ },
      { name: 'stdin that is broken JSON', env, stdin: '{"cniVersion":"1.0.0",', code: 6, msg: /decode/ },
      { name: 'an unknown network', env, stdin: JSON.stringify({ cniVersion: '1.0.0', name: 'nonet', type: 'plugd-cni' }), code: 7, msg: /no network "nonet"/ },
      { name: 'CHECK of an unknown container', env: { ...env, CNI_COMMAND: 'CHECK', CNI_CONTAINERID: 'never-added' }, stdin: STDIN, code: 3, msg: /never-added \(eth0\) is unknown/ },
    ];
    for (const c of cases) {
      const run = await runShim(c.env, c.stdin);
      expect(run.code, c.name).toBe(1);
      expect(isCniErrorJson(run.json), `${c.name}: ${run.stdout}`).toBe(true);
      expect(run.json, c.name).toMatchObject({ code: c.code, msg: expect.stringMatching(c.msg) });
    }
  });

  it('symlinked under a gRPC plugin\'s name, runs that plugin with the config the runtime gave it', async () => {
    const e = await setup();
    const bin = join(e.dir, 'cni-bin');
    mkdirSync(bin);
    symlinkSync(SHIM, join(bin, 'fx-edit'));
    const prevResult = { cniVersion: '1.0.0', interfaces: [{ name: 'eth0', sandbox: NETNS }], ips: [{ address: '10.244.1.17/24', gateway: '10.244.1.1', interface: 0 }] };
    const stdin = JSON.stringify({ cniVersion: '1.0.0', name: 'runtime-net', type: 'fx-edit', routes: [{ dst: '0.0.0.0/0', gw: '10.244.1.1' }], plugdSocket: e.cniSocket, prevResult });
    // The socket comes from the config's plugdSocket this time.
    const env: Record<string, string> = { ...envFor(e, 'ADD', 'sym1'), CNI_PATH: bin };
    delete env.PLUGD_CNI_SOCKET;
    const run = await runShim(env, stdin, join(bin, 'fx-edit'));
    expect(run).toMatchObject({ code: 0 });
    expect(run.json).toEqual({ ...prevResult, routes: [{ dst: '0.0.0.0/0', gw: '10.244.1.1' }] });
    expect(fixtureEvents(e.edit, 'add')[0]).toMatchObject({ containerID: 'sym1', prev: prevResult });
    const version = await runShim({ CNI_COMMAND: 'VERSION', PLUGD_CNI_SOCKET: e.cniSocket, ...sender.env }, '{"cniVersion":"1.0.0"}', join(bin, 'fx-edit'));
    expect(version.json).toMatchObject({ supportedVersions: ['0.4.0', '1.0.0', '1.1.0'] });
    // The sender is found through the symlink (it sits beside the script, not in bin): its name is in the details.
    const away = await runShim({ ...env, CNI_CONTAINERID: 'sym2' }, JSON.stringify({ ...JSON.parse(stdin) as object, plugdSocket: join(e.dir, 'nowhere.sock') }), join(bin, 'fx-edit'));
    expect(away).toMatchObject({ code: 1, json: { code: 11, details: `${sender.name} exit 7` } });
  });

  it('gives 100 concurrent ADDs on distinct containers 100 distinct addresses', async () => {
    const e = await setup();
    const runs = await Promise.all(Array.from({ length: 100 }, (_, i) => runShim(envFor(e, 'ADD', `burst-${i}`), STDIN)));
    const failed = runs.filter((r) => r.code !== 0);
    expect(failed.map((r) => r.stdout)).toEqual([]);
    const ips = runs.map((r) => (r.json?.ips as Array<{ address: string }>)[0]!.address);
    expect(new Set(ips).size).toBe(100);
    expect(addresses(e.ipamDir)).toHaveLength(100);
  }, 120_000);

  it('ADD, host restart, then CHECK and DEL still get the ADD\'s result from the disk cache', async () => {
    const e = await setup();
    const add = await runShim(envFor(e, 'ADD', 'r1'), STDIN);
    expect(add.code).toBe(0);
    await stopHost(e.host);
    await startHost(e);
    expect(await runShim(envFor(e, 'CHECK', 'r1'), STDIN)).toMatchObject({ code: 0, stdout: '' });
    expect(await runShim(envFor(e, 'DEL', 'r1'), STDIN)).toMatchObject({ code: 0, stdout: '' });
    expect(fixtureEvents(e.edit, 'del')[0]).toMatchObject({ containerID: 'r1', prev: { cniVersion: '1.1.0', ips: [{ address: '10.22.0.2/16' }], routes: ROUTES } });
    expect(addresses(e.ipamDir)).toEqual([]);
  });

  it('with the host down: ADD, CHECK and STATUS answer error 11 at once; DEL is queued, succeeds, and is replayed when the host is back', async () => {
    const e = await setup();
    expect((await runShim(envFor(e, 'ADD', 'd1'), STDIN)).code).toBe(0);
    await stopHost(e.host);

    for (const command of ['ADD', 'CHECK', 'STATUS']) {
      const run = await runShim(envFor(e, command, 'd2'), STDIN);
      expect(run.code, command).toBe(1);
      expect(isCniErrorJson(run.json), command).toBe(true);
      expect(run.json, command).toMatchObject({ cniVersion: '1.0.0', code: 11, msg: expect.stringContaining('unreachable'), details: `${sender.name} exit 7` });
      // Bounded by the connect timeout (2 s), never a hang; generous for a loaded machine.
      expect(run.ms, command).toBeLessThan(10_000);
    }

    const del = await runShim(envFor(e, 'DEL', 'd1'), STDIN);
    expect(del).toMatchObject({ code: 0, stdout: '' });
    const queue = join(e.cacheDir, 'del-queue');
    expect(readdirSync(queue).filter((f) => f.endsWith('.del'))).toHaveLength(1);
    expect(addresses(e.ipamDir)).toEqual(['10.22.0.2']);

    const host = await startHost(e);
    await waitFor(() => readdirSync(queue).length === 0 && addresses(e.ipamDir).length === 0, 'the queued DEL to be replayed', 20_000);
    expect(fixtureEvents(e.edit, 'del')[0]).toMatchObject({ containerID: 'd1', prev: { ips: [{ address: '10.22.0.2/16' }] } });
    await host.logs.waitFor('queued DEL of d1/eth0 replayed');

    // With the host up, an entry that appears in the queue (a shim that could not reach it) is replayed too.
    expect((await runShim(envFor(e, 'ADD', 'd3'), STDIN)).code).toBe(0);
    const lost = JSON.stringify({ cniVersion: '1.0.0', name: 'podnet', type: 'plugd-cni', plugdSocket: join(e.dir, 'elsewhere.sock') });
    expect(await runShim(envFor(e, 'DEL', 'd3'), lost)).toMatchObject({ code: 0, stdout: '' });
    await waitFor(() => readdirSync(queue).length === 0 && addresses(e.ipamDir).length === 0, 'the new entry to be replayed', 20_000);
    await host.logs.waitFor('queued DEL of d3/eth0 replayed');
  });

  it('with the host down, a DEL skel would refuse is refused as the host refuses it, never queued; a prevResult first does not lend its cniVersion', async () => {
    const e = await setup();
    // What the host answers these DELs (skel's checks: name, then cniVersion, none being 0.1.0) …
    const refused = [
      JSON.stringify({ cniVersion: '9.9.9', name: 'podnet', type: 'plugd-cni' }),
      JSON.stringify({ name: 'podnet', type: 'plugd-cni' }),
      JSON.stringify({ cniVersion: '1.0.0', type: 'plugd-cni' }),
      JSON.stringify({ cniVersion: '1.0.0', name: 'pod/net', type: 'plugd-cni' }),
      // A runtime that writes prevResult first: its cniVersion is not the config's.
      JSON.stringify({ prevResult: { cniVersion: '1.0.0', ips: [] }, name: 'podnet', type: 'plugd-cni', cniVersion: '0.2.0' }),
    ];
    const byHost = await Promise.all(refused.map((stdin) => runShim(envFor(e, 'DEL', 'v1'), stdin)));
    expect(byHost.map((r) => [r.code, r.json?.code])).toEqual([[1, 1], [1, 1], [1, 7], [1, 7], [1, 1]]);
    await stopHost(e.host);
    const queue = join(e.cacheDir, 'del-queue');
    const queued = () => (existsSync(queue) ? readdirSync(queue).filter((f) => f.endsWith('.del')) : []);
    for (const [i, stdin] of refused.entries()) {
      // … the shim answers with the host down, word for word.
      const run = await runShim(envFor(e, 'DEL', 'v1'), stdin);
      expect(run, stdin).toMatchObject({ code: 1, json: byHost[i]!.json });
    }
    expect(queued()).toEqual([]);

    // A config whose prevResult (with another cniVersion, braces and quotes in strings) comes
    // first: errors carry the top-level cniVersion, and the DEL is queued.
    const prevFirst = JSON.stringify({ prevResult: { cniVersion: '0.2.0', dns: { search: ['a"}{[cniVersion'] } }, name: 'podnet', 'x': '"cniVersion":"0.1.0"', type: 'plugd-cni', cniVersion: '0.4.0' });
    expect(await runShim(envFor(e, 'ADD', 'v2'), prevFirst)).toMatchObject({ code: 1, json: { cniVersion: '0.4.0', code: 11 } });
    expect(await runShim({ ...envFor(e, 'ADD', 'v2'), CNI_NETNS: '' }, prevFirst)).toMatchObject({ code: 1, json: { cniVersion: '0.4.0', code: 4 } });
    expect(await runShim(envFor(e, 'DEL', 'v2'), prevFirst)).toMatchObject({ code: 0, stdout: '' });
    expect(queued()).toHaveLength(1);
  });

  it('a host that accepts and never answers: ADD answers error 11 once PLUGD_CNI_TIMEOUT is up, DEL is queued', async () => {
    const dir = tempDir('plugd-shim-mute-');
    const sock = join(dir, 'mute.sock');
    const held: Socket[] = [];
    const server = createServer((s) => held.push(s));
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      const e = { cniSocket: sock, cacheDir: dir } as Omit<Env, 'host'>;
      const add = await runShim({ ...envFor(e, 'ADD', 'm1'), PLUGD_CNI_TIMEOUT: '1' }, STDIN);
      expect(add).toMatchObject({ code: 1, json: { code: 11, details: `${sender.name} exit 28` } });
      expect(add.ms).toBeGreaterThan(900);
      expect(add.ms).toBeLessThan(10_000);
      const del = await runShim({ ...envFor(e, 'DEL', 'm1'), PLUGD_CNI_TIMEOUT: '1' }, STDIN);
      expect(del).toMatchObject({ code: 0, stdout: '' });
      expect(readdirSync(join(dir, 'del-queue')).filter((f) => f.endsWith('.del'))).toHaveLength(1);
    } finally {
      for (const s of held) s.destroy();
      server.close();
    }
  });

  it.skipIf(!HAVE_PYTHON)('a host whose listen backlog is full: ADD answers error 11 at once, never waits for a slot', async () => {
    const dir = tempDir('plugd-shim-full-');
    const sock = join(dir, 'full.sock');
    // A listener that never accepts, its backlog (0: one connection) filled by its own client.
    const py = spawn('python3', ['-c', `import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(0)
c = socket.socket(socket.AF_UNIX); c.setblocking(False); c.connect(sys.argv[1])
print('ready', flush=True); sys.stdin.read()`, sock], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => createInterface({ input: py.stdout }).once('line', () => resolve()));
      const add = await runShim({ ...baseEnv({ cniSocket: sock, cacheDir: dir } as Omit<Env, 'host'>, 'ADD', 'f1', sender.env), PLUGD_CNI_CONNECT_TIMEOUT: '5' }, STDIN);
      expect(add).toMatchObject({ code: 1, json: { code: 11, details: `${sender.name} exit 7` } });
      expect(add.ms).toBeLessThan(4000);
    } finally {
      py.stdin.end();
      py.kill();
    }
  });
});

describe.skipIf(!HAVE_CNI_PLUGINS || !existsSync(SEND))('the plugd-cni shim beside a sender that cannot run', () => {
  afterEach(cleanup);

  it('falls back to curl (another architecture, a missing loader: exit 126/127 before anything is sent)', async () => {
    const e = await setup();
    const bin = join(e.dir, 'cni-bin');
    mkdirSync(bin);
    copyFileSync(SHIM, join(bin, 'plugd-cni'));
    // What execve makes of a binary for a loader that is not there: ENOENT, the shell's 127.
    writeFileSync(join(bin, 'plugd-cni-send'), '#!/nonexistent/ld-linux.so\n', { mode: 0o755 });
    const env = baseEnv(e, 'ADD', 'fb1', {});
    const add = await runShim(env, STDIN, join(bin, 'plugd-cni'));
    expect(add).toMatchObject({ code: 0, json: { ips: [{ address: '10.22.0.2/16', gateway: '10.22.0.1' }] } });
    const away = await runShim({ ...env, CNI_CONTAINERID: 'fb2', PLUGD_CNI_SOCKET: join(e.dir, 'nowhere.sock') }, STDIN, join(bin, 'plugd-cni'));
    expect(away).toMatchObject({ code: 1, json: { code: 11, details: 'curl exit 7' } });
  });
});

describe.skipIf(!HAVE_CNI_PLUGINS)('the CNI door\'s bounds from the command line', () => {
  afterEach(cleanup);

  it('--cni-max-concurrent and --cni-max-queued bound the door: past them an ADD answers error 11 at once; a bad value is a usage error', async () => {
    const e = await setup();
    await stopHost(e.host);
    writeFileSync(join(e.confDir, '20-stuck.conflist'), JSON.stringify({ cniVersion: '1.0.0', name: 'stuck', plugins: [{ type: 'fx-edit', hang: true }] }));
    const host = await spawnCniHost({ socketDir: e.socketDir, cniSocket: e.cniSocket, confDir: e.confDir, cacheDir: e.cacheDir, cniPath: CNI_BIN,
      extraArgs: ['--cni-max-concurrent', '1', '--cni-max-queued', '0'] });
    expect(host.logs.find('CNI door listening')[0]).toMatchObject({ maxConcurrent: 1, maxQueued: 0 });
    await host.logs.waitFor('plugin fx-edit active', {}, 20_000);
    const env = (cid: string) => baseEnv(e, 'ADD', cid, {});
    const stuck = runShim(env('s1'), JSON.stringify({ cniVersion: '1.0.0', name: 'stuck', type: 'plugd-cni' }));
    await waitFor(() => fixtureEvents(e.edit, 'hanging').length === 1, 'the first ADD in flight');
    const turned = await runShim(env('s2'), STDIN);
    expect(turned.code).toBe(1);
    expect(JSON.parse(turned.stdout)).toMatchObject({ code: 11, msg: 'plugd host busy, try again later' });
    e.edit.kill('SIGKILL');
    expect((await stuck).code).toBe(1);

    const bad = spawnNode(CLI, ['host', '--socket-dir', e.socketDir, '--cni-socket', join(e.dir, 'other.sock'), '--cni-max-queued', 'lots']);
    expect((await bad.exited).code).toBe(2);
    expect(bad.output.join('')).toMatch(/--cni-max-queued must be an integer ≥ 0, got lots/);
  });
});
