/**
 * Network chains through the library API, with Debian's real CNI binaries (host-local,
 * bandwidth) chained with gRPC network plugins (test/fixtures/network-*.ts) behind a real
 * host: prevResult flowing exec → gRPC → exec, the result cache on disk, DEL in reverse and
 * idempotent, CHECK, STATUS, GC, version conversion for binaries that stop at 1.0.0, failure
 * of a gRPC plugin killed mid-ADD, and the CNI door's bound on concurrent requests.
 *
 * Only binaries that never enter a network namespace and change nothing on the host run
 * here: host-local (IPAM files in a temp dir) and bandwidth without limits (a pass-through
 * on ADD, a no-op on DEL).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { CniDoor } from '../host/doors/cni.js';
import { NetworkChains } from '../host/network/chains.js';
import { CniError, type CniResult } from '../host/network/cni.js';
import { pluginsOf } from '../host/network/grpc-plugin.js';
import { cleanup, fixtureEvents, interopPeers, LogCapture, startHost, tempDir, waitFor, waitForFixtureEvent } from './helpers.js';
import { CNI_BIN, HAVE_CNI_PLUGINS, startNetworkFixture } from './network-helpers.js';

interopPeers('network chains', 'Debian\'s CNI plugins', HAVE_CNI_PLUGINS ? undefined : 'Debian\'s containernetworking-plugins are not in /usr/lib/cni; apt-get install containernetworking-plugins');

const NETNS = '/var/run/netns/cni-0d6c2f4e-8a51-4e3b-9f2a-1c7e5b3d9a60';

async function setup() {
  const t = await startHost();
  const dir = tempDir('plugd-net-');
  const chains = new NetworkChains({ plugins: pluginsOf(t.host), cniPath: [CNI_BIN], cacheDir: join(dir, 'cache'), logger: t.host.logger });
  const edit = await startNetworkFixture('edit', t.socketDir, 'fx-edit');
  const ipam = await startNetworkFixture('ipam', t.socketDir, 'fx-ipam');
  await t.host.waitForPlugin('fx-edit', 15_000);
  await t.host.waitForPlugin('fx-ipam', 15_000);
  return { ...t, dir, chains, edit, ipam };
}

const hostLocal = (dataDir: string, subnet = '10.22.0.0/16') => ({ type: 'host-local', ipam: { type: 'host-local', dataDir, ranges: [[{ subnet }]] } });
const ROUTES = [{ dst: '10.96.0.0/12', gw: '10.22.0.254' }];
const DNS = { nameservers: ['10.96.0.10'], search: ['svc.cluster.local'], options: ['ndots:5'] };

describe.skipIf(!HAVE_CNI_PLUGINS)('network chains mixing exec\'d CNI binaries and gRPC plugins', () => {
  afterEach(cleanup);

  it('ADD runs in order with prevResult flowing exec → gRPC → exec, caches the result; CHECK; DEL runs in reverse and is idempotent', async () => {
    const { chains, dir, edit } = await setup();
    const ipamDir = join(dir, 'ipam');
    // At 1.1.0: Debian's binaries stop at 1.0.0, so theirs is converted down and back.
    chains.setNetwork({ cniVersion: '1.1.0', name: 'podnet', plugins: [hostLocal(ipamDir), { type: 'fx-edit', routes: ROUTES, dns: DNS }, { type: 'bandwidth' }] });
    const rt = { containerID: 'c0ffee01', netns: NETNS, ifName: 'eth0', args: [['IgnoreUnknown', '1'], ['K8S_POD_NAME', 'web-0'], ['K8S_POD_NAMESPACE', 'shop']] as Array<[string, string]> };

    const result = await chains.add('podnet', rt);
    expect(result).toEqual({
      cniVersion: '1.1.0',
      ips: [{ address: '10.22.0.2/16', gateway: '10.22.0.1' }],
      routes: ROUTES,
      dns: DNS,
    });
    // The gRPC plugin got host-local's result (exec → gRPC), in the list's version.
    const add = fixtureEvents(edit, 'add')[0]!;
    expect(add).toMatchObject({ containerID: 'c0ffee01', cniVersion: '1.1.0', prev: { cniVersion: '1.1.0', ips: [{ address: '10.22.0.2/16', gateway: '10.22.0.1' }] } });
    // … and bandwidth (exec) passed the gRPC plugin's routes and dns on (gRPC → exec).
    expect(readdirSync(join(ipamDir, 'podnet'))).toContain('10.22.0.2');

    // The cache, in libcni's layout and format.
    const cacheFile = join(dir, 'cache', 'results', 'podnet-c0ffee01-eth0');
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, unknown>;
    expect(cached).toMatchObject({ kind: 'cniCacheV1', containerId: 'c0ffee01', ifName: 'eth0', networkName: 'podnet', netns: NETNS, cniArgs: rt.args, result });

    // CHECK against the cached result, on the part of the chain that checks without a netns.
    chains.setNetwork({ cniVersion: '1.1.0', name: 'podnet', plugins: [hostLocal(ipamDir), { type: 'fx-edit', routes: ROUTES, dns: DNS }] });
    await chains.check('podnet', rt);
    chains.setNetwork({ cniVersion: '1.1.0', name: 'podnet', plugins: [hostLocal(ipamDir), { type: 'fx-edit', routes: [...ROUTES, { dst: '192.168.0.0/16' }] }] });
    await expect(chains.check('podnet', rt)).rejects.toMatchObject({ cniCode: 100, plugin: 'fx-edit', msg: 'routes missing: 192.168.0.0/16' });

    chains.setNetwork({ cniVersion: '1.1.0', name: 'podnet', plugins: [hostLocal(ipamDir), { type: 'fx-edit', routes: ROUTES, dns: DNS }, { type: 'bandwidth' }] });
    await chains.del('podnet', { containerID: 'c0ffee01', ifName: 'eth0' });
    // The gRPC plugin's DEL had the cached result; host-local released the address; the cache entry is gone.
    expect(fixtureEvents(edit, 'del')[0]).toMatchObject({ containerID: 'c0ffee01', prev: result });
    expect(readdirSync(join(ipamDir, 'podnet'))).not.toContain('10.22.0.2');
    expect(existsSync(cacheFile)).toBe(false);

    // Idempotent: again, with nothing cached, every plugin still gets its DEL.
    await chains.del('podnet', { containerID: 'c0ffee01', ifName: 'eth0' });
    expect(fixtureEvents(edit, 'del')).toHaveLength(2);
    expect(fixtureEvents(edit, 'del')[1]).toMatchObject({ prev: null });
    // CHECK of a container that was never added (or is gone): code 3.
    await expect(chains.check('podnet', rt)).rejects.toMatchObject({ cniCode: 3 });
  });

  it('ADD order puts the gRPC IPAM\'s address before an exec\'d plugin\'s pass-through, at 1.0.0', async () => {
    const { chains, dir, ipam } = await setup();
    chains.setNetwork({ cniVersion: '1.0.0', name: 'grpcfirst', plugins: [{ type: 'fx-ipam', subnet: '10.30.0.0/24', dataDir: join(dir, 'fx') }, { type: 'bandwidth' }, { type: 'fx-edit', routes: ROUTES }] });
    const result = await chains.add('grpcfirst', { containerID: 'a1', netns: NETNS, ifName: 'eth0' });
    expect(result).toEqual({ cniVersion: '1.0.0', ips: [{ address: '10.30.0.2/24' }], routes: ROUTES, dns: {} });
    expect(fixtureEvents(ipam, 'add')[0]).toMatchObject({ prev: null });
  });

  it('gives each plugin the runtimeConfig its capabilities ask for, from the capability arguments (libcni\'s buildOneConfig)', async () => {
    const { chains, dir, edit } = await setup();
    const portMappings = [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }];
    chains.setNetwork({ cniVersion: '1.0.0', name: 'caps', plugins: [
      hostLocal(join(dir, 'ipam')),
      { type: 'fx-edit', capabilities: { portMappings: true, bandwidth: false, mac: true }, runtimeConfig: { stale: true } },
    ] });
    await chains.add('caps', { containerID: 'cap1', netns: NETNS, ifName: 'eth0', capabilityArgs: { portMappings, bandwidth: { ingressRate: 1000 }, ips: ['10.22.0.9/16'] } });
    // Only the capabilities it declares true and the caller gave; the entry's own runtimeConfig is replaced.
    expect(fixtureEvents(edit, 'add')[0]!.config).toEqual({
      type: 'fx-edit', name: 'caps', cniVersion: '1.0.0', capabilities: { portMappings: true, bandwidth: false, mac: true }, runtimeConfig: { portMappings },
    });
  });

  it('an exec\'d plugin\'s CNI error reaches the caller as is, naming the plugin; an unknown type is error 11 naming it', async () => {
    const { chains, dir } = await setup();
    chains.setNetwork({ cniVersion: '1.0.0', name: 'bad', plugins: [{ type: 'host-local', ipam: { type: 'host-local', dataDir: dir, ranges: [[{ subnet: '10.22.0.0/99' }]] } }] });
    const err = await chains.add('bad', { containerID: 'b1', netns: NETNS, ifName: 'eth0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CniError);
    expect(err).toMatchObject({ plugin: 'host-local', code: 'PLUGD_ERR_CNI' });
    expect((err as CniError).msg).toMatch(/invalid CIDR|10\.22\.0\.0\/99/);

    chains.setNetwork({ cniVersion: '1.0.0', name: 'typo', plugins: [{ type: 'host-lcoal' }] });
    await expect(chains.add('typo', { containerID: 'b2', netns: NETNS, ifName: 'eth0' })).rejects.toMatchObject({ cniCode: 11, plugin: 'host-lcoal' });
    // Missing environment: code 4 naming the variable, before any plugin runs.
    await expect(chains.add('typo', { containerID: 'b2', ifName: 'eth0' })).rejects.toMatchObject({ cniCode: 4, msg: 'required env variables [CNI_NETNS] missing' });
  });

  it('GC deletes cached attachments that are not valid and gives the valid ones to every plugin; STATUS asks every plugin', async () => {
    const { chains, dir, ipam } = await setup();
    const ipamDir = join(dir, 'ipam');
    chains.setNetwork({ cniVersion: '1.1.0', name: 'gcnet', plugins: [hostLocal(ipamDir), { type: 'fx-ipam', subnet: '10.40.0.0/24', dataDir: join(dir, 'fx') }] });
    const a = await chains.add('gcnet', { containerID: 'keep', netns: NETNS, ifName: 'eth0' });
    const b = await chains.add('gcnet', { containerID: 'stale', netns: NETNS, ifName: 'eth0' });
    expect(a.ips?.map((i) => i.address)).toEqual(['10.22.0.2/16', '10.40.0.2/24']);
    expect(b.ips?.map((i) => i.address)).toEqual(['10.22.0.3/16', '10.40.0.3/24']);

    await chains.gc('gcnet', [{ containerID: 'keep', ifname: 'eth0' }]);
    expect(fixtureEvents(ipam, 'del').map((e) => e.containerID)).toEqual(['stale']);
    expect(readdirSync(join(ipamDir, 'gcnet')).filter((f) => f.startsWith('10.'))).toEqual(['10.22.0.2']);
    expect(fixtureEvents(ipam, 'gc')).toHaveLength(1);
    expect(existsSync(join(dir, 'cache', 'results', 'gcnet-stale-eth0'))).toBe(false);
    expect(existsSync(join(dir, 'cache', 'results', 'gcnet-keep-eth0'))).toBe(true);

    await chains.status('gcnet');
  });

  it('a gRPC plugin killed mid-ADD fails the ADD with error 11 naming it; after it is back, DEL and the retried ADD succeed', async () => {
    const { chains, dir, socketDir, host, edit } = await setup();
    const ipamDir = join(dir, 'ipam');
    chains.setNetwork({ cniVersion: '1.0.0', name: 'killnet', plugins: [hostLocal(ipamDir), { type: 'fx-edit', hang: true }] });
    const rt = { containerID: 'k1', netns: NETNS, ifName: 'eth0' };
    const pending = chains.add('killnet', rt).catch((e: unknown) => e);
    await waitForFixtureEvent(edit, 'hanging', { containerID: 'k1' });
    edit.kill('SIGKILL');
    const err = await pending;
    expect(err).toBeInstanceOf(CniError);
    expect(err).toMatchObject({ cniCode: 11, plugin: 'fx-edit' });
    expect((err as CniError).msg).toContain('fx-edit');

    await startNetworkFixture('edit', socketDir, 'fx-edit');
    await host.waitForPlugin('fx-edit', 15_000);
    chains.setNetwork({ cniVersion: '1.0.0', name: 'killnet', plugins: [hostLocal(ipamDir), { type: 'fx-edit', routes: ROUTES }] });
    // As a runtime does after a failed ADD: DEL, then ADD again.
    await chains.del('killnet', rt);
    const result = await chains.add('killnet', rt);
    expect(result.routes).toEqual(ROUTES);
    // host-local hands out the next address (it moves on round-robin); the failed ADD's was released by the DEL.
    expect(result.ips).toEqual([{ address: '10.22.0.3/16', gateway: '10.22.0.1' }]);
    expect(readdirSync(join(ipamDir, 'killnet')).filter((f) => f.startsWith('10.'))).toEqual(['10.22.0.3']);
  });

  it('runs one operation at a time per container and interface, and different ones concurrently', async () => {
    const { chains, dir, edit } = await setup();
    chains.setNetwork({ cniVersion: '1.0.0', name: 'serial', plugins: [hostLocal(join(dir, 'ipam')), { type: 'fx-edit', hang: true }] });
    const rt = { containerID: 's1', netns: NETNS, ifName: 'eth0' };
    const add = chains.add('serial', rt).catch((e: unknown) => e);
    await waitForFixtureEvent(edit, 'hanging', { containerID: 's1' });
    let delDone = false;
    const del = chains.del('serial', { containerID: 's1', ifName: 'eth0' }).then(() => { delDone = true; });
    // Another container is not held up by the hanging one.
    const other = chains.add('serial', { containerID: 's2', netns: NETNS, ifName: 'eth0' }).catch((e: unknown) => e);
    await waitForFixtureEvent(edit, 'hanging', { containerID: 's2' });
    expect(delDone).toBe(false);
    expect(fixtureEvents(edit, 'del')).toHaveLength(0);
    edit.kill('SIGKILL');
    expect(await add).toMatchObject({ cniCode: 11 });
    await other;
    // The DEL ran once the ADD was over (its gRPC plugin is gone by then: queued work, not lost).
    await del.catch(() => {});
  });

  it('serves a single-plugin run for an attachment whose network operation is in flight (a plugin delegating to its IPAM through the shim)', async () => {
    const { chains, dir, edit } = await setup();
    chains.setNetwork({ cniVersion: '1.0.0', name: 'nested', plugins: [{ type: 'fx-edit', hang: true }] });
    const rt = { containerID: 'n1', netns: NETNS, ifName: 'eth0' };
    const add = chains.add('nested', rt).catch((e: unknown) => e);
    await waitForFixtureEvent(edit, 'hanging', { containerID: 'n1' });
    // What bridge's exec of `plugd-ipam` (the shim) asks while the host runs bridge for n1/eth0.
    const ipam = await chains.runPlugin('fx-ipam', 'ADD', rt, { cniVersion: '1.0.0', name: 'nested', subnet: '10.51.0.0/24', dataDir: join(dir, 'fx') });
    expect(ipam?.ips?.[0]?.address).toMatch(/^10\.51\.0\.\d+\/24$/);
    edit.kill('SIGKILL');
    expect(await add).toMatchObject({ cniCode: 11 });
  });
});

/**
 * An exec'd CNI plugin (a shell script) speaking `versions`: appends {plugin, command, stdin} to
 * $REC_LOG per call and answers ADD with one address in its config's version.
 */
function recorder(bin: string, name: string, versions: readonly string[]): void {
  writeFileSync(join(bin, name), `#!/bin/sh
if [ "$CNI_COMMAND" = VERSION ]; then printf '%s\\n' '${JSON.stringify({ cniVersion: '1.0.0', supportedVersions: versions })}'; exit 0; fi
stdin=$(cat)
printf '{"plugin":"${name}","command":"%s","stdin":%s}\\n' "$CNI_COMMAND" "$stdin" >>"$REC_LOG"
[ "$CNI_COMMAND" = ADD ] || exit 0
v=$(printf '%s' "$stdin" | grep -o '"cniVersion":"[^"]*"' | head -n 1)
printf '{%s,"ips":[{"address":"10.9.0.7/24"}]}\\n' "$v"
`, { mode: 0o755 });
}

function recorded(log: string, plugin: string, command: string): Array<Record<string, unknown>> {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { plugin: string; command: string; stdin: Record<string, unknown> })
    .filter((r) => r.plugin === plugin && r.command === command).map((r) => r.stdin);
}

describe.skipIf(!HAVE_CNI_PLUGINS)('DEL\'s prevResult follows libcni\'s DelNetworkList: from 0.4.0 only', () => {
  afterEach(cleanup);

  async function setupOld() {
    const t = await setup();
    const bin = join(t.dir, 'bin');
    mkdirSync(bin);
    recorder(bin, 'rec', ['0.3.0', '0.3.1', '0.4.0', '1.0.0']);
    recorder(bin, 'rec-old', ['0.3.0', '0.3.1']);
    const log = join(t.dir, 'rec.log');
    const chains = new NetworkChains({ plugins: pluginsOf(t.host), cniPath: [bin, CNI_BIN], cacheDir: join(t.dir, 'cache'), logger: t.host.logger, execEnv: { REC_LOG: log } });
    // A gRPC plugin speaking only 0.3.x.
    const old = await startNetworkFixture('edit', t.socketDir, 'fx-old', ['--cni-versions', '0.3.0,0.3.1']);
    await t.host.waitForPlugin('fx-old', 15_000);
    return { ...t, chains, log, old };
  }

  it('a list below 0.4.0 passes no prevResult on DEL — not the cached one, not the caller\'s — to exec\'d and gRPC plugins, and still removes its cache entry', async () => {
    const { chains, dir, log, old } = await setupOld();
    const ipamDir = join(dir, 'ipam');
    chains.setNetwork({ cniVersion: '0.3.1', name: 'old', plugins: [hostLocal(ipamDir), { type: 'rec' }, { type: 'fx-old' }] });
    const rt = { containerID: 'o1', netns: NETNS, ifName: 'eth0' };
    await chains.add('old', rt);
    // ADD chains at 0.3.x (prevResult came with 0.3.0).
    expect(recorded(log, 'rec', 'ADD')[0]).toMatchObject({ cniVersion: '0.3.1', prevResult: { cniVersion: '0.3.1', ips: [{ address: '10.22.0.2/16' }] } });
    expect(fixtureEvents(old, 'add')[0]).toMatchObject({ cniVersion: '0.3.1', prev: { ips: [{ address: '10.9.0.7/24' }] } });
    const cacheFile = join(dir, 'cache', 'results', 'old-o1-eth0');
    expect(existsSync(cacheFile)).toBe(true);

    await chains.del('old', { containerID: 'o1', ifName: 'eth0' }, { prevResult: { cniVersion: '0.3.1', ips: [{ address: '10.22.0.2/16', version: '4' }] } });
    const del = recorded(log, 'rec', 'DEL');
    expect(del).toHaveLength(1);
    expect(del[0]).toMatchObject({ cniVersion: '0.3.1', name: 'old' });
    expect(del[0]).not.toHaveProperty('prevResult');
    expect(fixtureEvents(old, 'del')[0]).toMatchObject({ containerID: 'o1', prev: null, cniVersion: '0.3.1' });
    expect(readdirSync(join(ipamDir, 'old'))).not.toContain('10.22.0.2');
    expect(existsSync(cacheFile)).toBe(false);
  });

  it('in a list at 1.0.0, a plugin spoken to at 0.3.x gets no prevResult on DEL, the others get the cached result', async () => {
    const { chains, dir, log, old, edit } = await setupOld();
    chains.setNetwork({ cniVersion: '1.0.0', name: 'mixed', plugins: [hostLocal(join(dir, 'ipam')), { type: 'rec-old' }, { type: 'fx-old' }, { type: 'rec' }, { type: 'fx-edit', routes: ROUTES }] });
    const result = await chains.add('mixed', { containerID: 'm1', netns: NETNS, ifName: 'eth0' });
    // On ADD, the 0.3.x plugins get prevResult converted down.
    expect(recorded(log, 'rec-old', 'ADD')[0]).toMatchObject({ cniVersion: '0.3.1', prevResult: { cniVersion: '0.3.1', ips: [{ address: '10.22.0.2/16', version: '4' }] } });

    await chains.del('mixed', { containerID: 'm1', ifName: 'eth0' });
    const recOld = recorded(log, 'rec-old', 'DEL')[0]!;
    expect(recOld).toMatchObject({ cniVersion: '0.3.1' });
    expect(recOld).not.toHaveProperty('prevResult');
    expect(fixtureEvents(old, 'del')[0]).toMatchObject({ prev: null, cniVersion: '0.3.1' });
    expect(recorded(log, 'rec', 'DEL')[0]).toMatchObject({ cniVersion: '1.0.0', prevResult: result });
    expect(fixtureEvents(edit, 'del')[0]).toMatchObject({ prev: result, cniVersion: '1.0.0' });
  });

  it('a single plugin run (the shim under a plugin\'s name) gets the given prevResult on DEL from 0.4.0, none below', async () => {
    const { chains, log } = await setupOld();
    const rt = { containerID: 's1', netns: NETNS, ifName: 'eth0' };
    const prevResult = { cniVersion: '0.3.1', ips: [{ address: '10.1.0.5/24', version: '4' }] };
    await chains.runPlugin('rec', 'DEL', rt, { cniVersion: '0.3.1', name: 'rt-net', prevResult });
    await chains.runPlugin('rec', 'DEL', rt, { cniVersion: '0.4.0', name: 'rt-net', prevResult: { ...prevResult, cniVersion: '0.4.0' } });
    const [below, from] = recorded(log, 'rec', 'DEL');
    expect(below).not.toHaveProperty('prevResult');
    expect(from).toMatchObject({ cniVersion: '0.4.0', prevResult: { cniVersion: '0.4.0', ips: [{ address: '10.1.0.5/24' }] } });
  });
});

describe.skipIf(!HAVE_CNI_PLUGINS)('the CNI door bounds concurrent requests', () => {
  afterEach(cleanup);

  it('answers error 11 at once when every slot and queue place is taken, and serves the rest', async () => {
    const { chains, dir, edit } = await setup();
    chains.setNetwork({ cniVersion: '1.0.0', name: 'burst', plugins: [{ type: 'fx-ipam', subnet: '10.50.0.0/24', dataDir: join(dir, 'fx') }, { type: 'fx-edit', hang: true }] });
    const logs = new LogCapture();
    const door = new CniDoor({ socketPath: join(dir, 'cni.sock'), chains, delQueueDir: join(dir, 'q'), maxConcurrent: 2, maxQueued: 1, logger: pino({ level: 'debug' }, logs) });
    const env = (cid: string) => ({ CNI_COMMAND: 'ADD', CNI_CONTAINERID: cid, CNI_NETNS: NETNS, CNI_IFNAME: 'eth0', CNI_PATH: CNI_BIN });
    const stdin = Buffer.from(JSON.stringify({ cniVersion: '1.0.0', name: 'burst', type: 'plugd-cni' }));
    // Three requests fill the two slots and the one queue place; the fourth is turned away.
    const bounded = (req: { env: Record<string, string>; stdin: Buffer }) => requestThroughDoor(door, req);
    await door.start();
    try {
      const first = [bounded({ env: env('b1'), stdin }), bounded({ env: env('b2'), stdin }), bounded({ env: env('b3'), stdin })];
      await waitFor(() => fixtureEvents(edit, 'hanging').length === 2, 'two ADDs in flight');
      const fourth = await bounded({ env: env('b4'), stdin });
      expect(fourth.status).toBe(422);
      expect(fourth.body).toMatchObject({ code: 11, msg: 'plugd host busy, try again later' });
      // A DEL finds no room either, and is queued on disk and answered with success instead.
      const del = await bounded({ env: { ...env('b1'), CNI_COMMAND: 'DEL' }, stdin });
      expect(del).toEqual({ status: 200, body: {} });
      expect(readdirSync(join(dir, 'q')).filter((f) => f.endsWith('.del'))).toHaveLength(1);
      edit.kill('SIGKILL');
      const answers = await Promise.all(first);
      expect(answers.map((a) => a.body.code)).toEqual([11, 11, 11]);
    } finally {
      await door.close();
    }
  });
});

/** POSTs a shim request to the door over its socket, as the shim does. */
async function requestThroughDoor(door: CniDoor, req: { env: Record<string, string>; stdin: Buffer }): Promise<{ status: number; body: Record<string, unknown> & CniResult }> {
  const { request } = await import('node:http');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const names: Record<string, string> = { CNI_COMMAND: 'CNI-Command', CNI_CONTAINERID: 'CNI-ContainerID', CNI_NETNS: 'CNI-Netns', CNI_IFNAME: 'CNI-Ifname', CNI_PATH: 'CNI-Path' };
  for (const [k, v] of Object.entries(req.env)) headers[names[k]!] = v;
  return new Promise((resolve, reject) => {
    const r = request({ socketPath: door.socketPath, path: '/v1/cni', method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) as Record<string, unknown> : {} }));
    });
    r.on('error', reject);
    r.end(req.stdin);
  });
}
