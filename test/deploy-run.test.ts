/**
 * The pods of deploy/ run as written, on this machine: their `plugd` commands, volumes
 * (temp directories), ConfigMaps and exec probes, with real plugin processes and hosts.
 * - node: the example network plugin's DaemonSet surge (maxSurge 1) — the old pod and the new
 *   one side by side, the new one Ready only once the host swapped to it, the old one idle until
 *   its SIGTERM — with no failed call under load, the plugin configured by the chain the
 *   manifests give the host;
 * - control-plane: the native sidecars pass their startup probes, then the host starts on the
 *   manifest's flags and answers its liveness and readiness probes with every plugin active.
 * No kubelet or cluster here: addresses are loopback, paths are temp directories.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseAllDocuments } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import type { AddResponse__Output } from '../proto/gen/plugd/network/v1/AddResponse.js';
import { CLI, cleanup, ROOT, startHost, tempDir, waitFor } from './helpers.js';
import { PodSandbox, type PodContainer, type PodVolume } from './deploy-pod.js';

interface PodTemplate { spec: { containers: PodContainer[]; initContainers?: (PodContainer & { restartPolicy?: string })[]; volumes: PodVolume[] } }
interface Obj { kind: string; metadata: { name: string }; data?: Record<string, string>; spec: { template: PodTemplate } }

function load(file: string): Obj[] {
  return parseAllDocuments(readFileSync(join(ROOT, 'deploy', file), 'utf8')).map((d) => d.toJS() as Obj);
}
const configMaps = new Map([...load('node/config.yaml'), ...load('control-plane/config.yaml')].map((o) => [o.metadata.name, o.data ?? {}]));
const byName = (name: string) => configMaps.get(name);

/** A loopback address of this run, so fixed ports (the manifests' 9740) do not collide with other runs. */
const loopback = () => `127.${1 + (process.pid % 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

afterEach(cleanup);

describe('deploy/node: the example network plugin DaemonSet, surging', () => {
  it('brings the new pod up beside the old, Ready once active, and retires the old one with no failed call', async () => {
    const ds = load('node/example-network-plugin.yaml')[0]!;
    const c = ds.spec.template.spec.containers[0]!;
    const hostIp = loopback();
    const hostPaths = new Map<string, string>();
    const pod = (name: string) => new PodSandbox(ds.spec.template.spec.volumes, { 'metadata.name': name, 'status.hostIP': hostIp }, byName, {}, hostPaths);
    const oldPod = pod('plugd-example-static-routes-7xk2p');
    const newPod = pod('plugd-example-static-routes-q9w4m');
    // The node's host (embedded, for its library API), on the node's socket directory and admin port.
    const t = await startHost({ socketDir: oldPod.dirs.get('plugins')!, admin: `${hostIp}:9740` });
    const socketOf = (p: PodSandbox) => p.env(c)['PLUGD_SOCKET']!;
    expect(socketOf(oldPod)).toBe(join(t.socketDir, 'static-routes-plugd-example-static-routes-7xk2p.sock'));

    const oldProc = oldPod.start(c);
    await waitFor(() => oldPod.probe(c, c.readinessProbe), 'the old pod Ready', 20_000, 200);
    expect(await newPod.probe(c, c.readinessProbe)).toBe(false); // no instance on its socket yet

    // The chain the manifests give the host: static-routes' entry, as the host passes it.
    const chain = JSON.parse(byName('plugd-node-networks')!['plugd.conflist']!) as { cniVersion: string; name: string; plugins: Array<Record<string, unknown>> };
    const entry = chain.plugins.find((p) => p['type'] === 'static-routes')!;
    const add = {
      runtime: { containerId: 'c0ffee00c0ffee00', netns: '/var/run/netns/cni-1', ifname: 'eth0', args: {}, path: ['/opt/cni/bin'], cniArgsRaw: '' },
      config: Buffer.from(JSON.stringify({ cniVersion: chain.cniVersion, name: chain.name, ...entry })),
      cniVersion: chain.cniVersion,
      prevResult: Buffer.from(JSON.stringify({ cniVersion: '1.0.0', interfaces: [{ name: 'eth0', sandbox: '/var/run/netns/cni-1' }],
        ips: [{ interface: 0, address: '10.244.0.7/24', gateway: '10.244.0.1' }], routes: [{ dst: '0.0.0.0/0', gw: '10.244.0.1' }] })),
    };
    let calls = 0;
    const failures: unknown[] = [];
    let stop = false;
    const traffic = (async () => {
      while (!stop) {
        try {
          const res = await t.host.invoke<AddResponse__Output>('static-routes', 'Add', add);
          if (res.error || !res.result?.routes.some((r) => r.dst === '169.254.169.254/32')) failures.push(res);
        } catch (err) {
          failures.push(err);
        }
        calls++;
      }
    })();
    await waitFor(() => calls > 20, 'calls to the old instance');

    const newProc = newPod.start(c);
    await waitFor(() => newPod.probe(c, c.readinessProbe), 'the new pod Ready (the host swapped to it)', 20_000, 200);
    await waitFor(() => oldProc.output.join('').includes('superseded by generation'), 'the old instance told it was superseded');
    expect(oldProc.proc.exitCode).toBeNull(); // --stay-when-superseded: idle, not restarted into the rotation
    expect(await oldPod.probe(c, c.readinessProbe)).toBe(false);

    // minReadySeconds later the DaemonSet controller deletes the old pod.
    const atSwap = calls;
    oldProc.kill('SIGTERM');
    expect(await oldProc.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(socketOf(oldPod))).toBe(false);
    await waitFor(() => calls > atSwap + 20, 'calls to the new instance');
    stop = true;
    await traffic;
    expect(failures).toEqual([]);
    expect(t.host.plugins().filter((p) => p.name === 'static-routes').map((p) => [p.socket, p.state])).toEqual([[socketOf(newPod), 'active']]);
    expect(newProc.proc.exitCode).toBeNull();
  }, 90_000);
});

describe('deploy/control-plane: the host pod', () => {
  it('starts its native sidecars, then the host on the manifest\'s flags, live and ready with every plugin', async () => {
    const dep = load('control-plane/deployment.yaml')[0]!;
    const spec = dep.spec.template.spec;
    // The Secret's files, from the self-signed script (openssl); without openssl the TLS flags go.
    const openssl = spawnSync('openssl', ['version']).status === 0;
    const certs = tempDir('plugd-certs-');
    if (openssl) execFileSync(join(ROOT, 'deploy', 'control-plane', 'self-signed-certs.sh'), ['--out', certs]);
    const pod = new PodSandbox(spec.volumes, { 'metadata.name': 'plugd-control-plane-5d9c7b-x2x9q' }, byName, { 'plugd-webhook-tls': certs });

    const sidecars = spec.initContainers!.filter((s) => s.restartPolicy === 'Always');
    expect(sidecars.map((s) => s.name)).toEqual(['default-team-label', 'pod-security', 'gpu-binpack']);
    for (const s of sidecars) {
      expect(await pod.probe(s, s.startupProbe)).toBe(false);
      pod.start(s);
      await waitFor(() => pod.probe(s, s.startupProbe), `${s.name}'s startup probe`, 20_000, 100);
    }

    // The host's args as the manifest has them, less what needs a cluster (--in-cluster) or a
    // fixed port (listen addresses become loopback:0), and less flags this CLI does not have yet.
    const host = spec.containers.find((x) => x.name === 'host')!;
    const usage = execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    const args: string[] = [];
    const dropped: string[] = [];
    const raw = pod.args(host);
    for (let i = 0; i < raw.length; i++) {
      const a = raw[i]!;
      const takesValue = a.startsWith('--') && raw[i + 1] !== undefined && !raw[i + 1]!.startsWith('--');
      const value = takesValue ? raw[++i]! : undefined;
      if (a.startsWith('--') && (a === '--in-cluster' || !new RegExp(`${a}(?![\\w-])`).test(usage) || (!openssl && a.startsWith('--tls-')))) {
        dropped.push(a);
        continue;
      }
      args.push(a);
      if (value !== undefined) args.push(/^[\d.]+:\d+$/.test(value) ? '127.0.0.1:0' : value);
    }
    if (dropped.length) console.warn(`deploy-run: host started without ${dropped.join(' ')}`);
    // The image's default log level (info), where spawnNode's default for plugins is warn.
    const proc = pod.start(host, args, { PLUGD_LOG_LEVEL: 'info' });
    const started = new Promise<string>((resolve) => {
      createInterface({ input: proc.proc.stdout! }).on('line', (line) => {
        if (line.includes('"plugd host started"')) resolve((JSON.parse(line) as { admin: string }).admin);
      });
    });
    const admin = await Promise.race([started, proc.exited.then((e) => { throw new Error(`host exited ${JSON.stringify(e)}: ${proc.output.join('')}`); }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the host did not start within 30 s: ${args.join(' ')}\n${proc.output.join('')}`)), 30_000))]);
    const status = async (path: string) => (await fetch(`${admin}${path}`)).status;
    expect(await status('/healthz')).toBe(200);
    await waitFor(async () => (await status('/readyz')) === 200, '/readyz');
    const plugins = await waitFor(async () => {
      const all = (await (await fetch(`${admin}/plugins`)).json()) as Array<{ name: string; state: string }>;
      return all.filter((p) => p.state === 'active').length === sidecars.length ? all : undefined;
    }, 'every sidecar active');
    expect(plugins.map((p) => p.name).sort()).toEqual(['default-team-label', 'gpu-binpack', 'pod-security']);

    proc.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
  }, 90_000);
});
