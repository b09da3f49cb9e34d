/**
 * The Go go-hello plugin against a real embedded host: built offline by build.sh with
 * Debian's Go toolchain and gRPC/protobuf packages from classes protoc generates from proto/,
 * then registered, health-watched, called, hot-swapped and stopped like any plugin.
 * Skips (saying why) when the Go peers are missing, unless PLUGD_REQUIRE_INTEROP=1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PlugdHost } from '../../host/host.js';
import { clientConstructor, HEALTH } from '../../proto/index.js';
import { cleanup, interopPeers, killProcesses, ROOT, spawnProcess, startHost, tempDir, waitFor, type PluginProcess, type TestHost } from '../../test/helpers.js';

const HERE = join(ROOT, 'sample-plugins', 'go-hello');
const NAME = 'go-hello';
const ACTIVE_WITHIN_MS = 20_000;
const GOCODE = '/usr/share/gocode/src';

/** What is missing to build the plugin, or undefined when everything is there. */
function missingPeers(): string | undefined {
  const install = 'apt-get install golang-go golang-google-grpc-dev golang-google-protobuf-dev golang-github-golang-protobuf-1-5-dev protoc-gen-go protoc-gen-go-grpc protobuf-compiler';
  for (const tool of ['go', 'protoc', 'protoc-gen-go', 'protoc-gen-go-grpc']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (r.status !== 0) return `${tool} is not on PATH; ${install}`;
  }
  for (const pkg of ['google.golang.org/grpc/health', 'google.golang.org/protobuf/proto']) {
    if (!existsSync(join(GOCODE, pkg))) return `${GOCODE}/${pkg} is missing; ${install}`;
  }
  // grpc-go 1.33 marshals through github.com/golang/protobuf: 1.3 cannot handle the APIv2
  // messages protoc-gen-go 1.28 writes (it panics on the first call); 1.4+ wraps APIv2.
  if (!existsSync(join(GOCODE, 'github.com/golang/protobuf/proto/registry.go'))) {
    return `github.com/golang/protobuf in ${GOCODE} is older than 1.4; apt-get install golang-github-golang-protobuf-1-5-dev`;
  }
  return undefined;
}

const missing = missingPeers();
interopPeers('go-hello', 'its interop peers', missing);

const running: PluginProcess[] = [];
let binary = '';

function spawnPlugin(args: string[]): PluginProcess {
  const plugin = spawnProcess(binary, args);
  running.push(plugin);
  return plugin;
}

const stopPlugins = (): Promise<void> => killProcesses(running.splice(0));

async function activeGeneration(host: PlugdHost, plugin: PluginProcess, socket: string): Promise<number> {
  try {
    const inst = await waitFor(() => host.plugins().find((p) => p.name === NAME && p.socket === socket && p.state === 'active'),
      `${NAME} active on ${socket}`, ACTIVE_WITHIN_MS);
    return inst.generation;
  } catch (err) {
    throw new Error(`${NAME} did not become active; its output:\n${plugin.output.join('')}`, { cause: err });
  }
}

interface AdmitResponse {
  allowed: boolean;
  status: { code: number; message: string; reason: string } | null;
  warnings: string[];
}

/** An AdmitRequest for a Pod CREATE, the object as kube-apiserver sends it (JSON bytes). */
function podRequest(name: string, labels: Record<string, string>): Record<string, unknown> {
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'shop', labels },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27.3', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 },
    status: {},
  };
  const gvk = { group: '', version: 'v1', kind: 'Pod' };
  const gvr = { group: '', version: 'v1', resource: 'pods' };
  return {
    uid: `b1c2d3e4-0000-4000-8000-${name.padStart(12, '0').slice(-12)}`, kind: gvk, resource: gvr, requestKind: gvk, requestResource: gvr,
    name, namespace: 'shop', operation: 'CREATE', userInfo: { username: 'kubernetes-admin', uid: '', groups: ['system:masters', 'system:authenticated'], extra: {} },
    object: Buffer.from(JSON.stringify(pod)), oldObject: Buffer.alloc(0), options: Buffer.from('{"kind":"CreateOptions","apiVersion":"meta.k8s.io/v1"}'),
    dryRun: false, mutatingPhase: false, reinvocation: 0,
  };
}

const admit = (host: PlugdHost, req: Record<string, unknown>) => host.invoke<AdmitResponse>(NAME, 'Admit', req);

describe.skipIf(missing !== undefined)('go-hello plugin (Go, Debian packages)', () => {
  beforeAll(() => {
    binary = join(tempDir('plugd-go-'), 'go-hello');
    const built = spawnSync(join(HERE, 'build.sh'), [binary], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`build.sh failed (${built.status}):\n${built.stdout}${built.stderr}`);
  }, 180_000);
  afterEach(stopPlugins);
  afterAll(cleanup);

  it('registers as a validating AdmissionPlugin v1 with the capabilities it declares', async () => {
    const t: TestHost = await startHost();
    const socket = join(t.socketDir, `${NAME}.sock`);
    await activeGeneration(t.host, spawnPlugin(['--socket-dir', t.socketDir]), socket);
    const plugins = (await (await fetch(`${t.host.adminUrl}/plugins`)).json()) as Array<Record<string, unknown>>;
    expect(plugins.find((p) => p.name === NAME)).toMatchObject({
      type: 'AdmissionPlugin', version: 'v1', state: 'active', healthy: true, socket,
      capabilities: { implemented: ['Admit'], kind: 'VALIDATING', failurePolicy: 'FAIL', sideEffects: 'NONE',
        rules: [expect.objectContaining({ operations: ['CREATE', 'UPDATE'], apiGroups: [''], resources: ['pods'] })] },
    });

    const Health = clientConstructor(HEALTH);
    const client = new Health(`unix:${socket}`, grpc.credentials.createInsecure());
    try {
      const res = await new Promise<unknown>((resolve, reject) => {
        client.Check!({ service: '' }, (err: grpc.ServiceError | null, r: unknown) => (err ? reject(err) : resolve(r)));
      });
      expect(res).toEqual({ status: 'SERVING' });
    } finally {
      client.close();
    }
  });

  it('denies a Pod without app.kubernetes.io/name (403, naming it) and allows one with it', async () => {
    const t = await startHost();
    await activeGeneration(t.host, spawnPlugin(['--socket-dir', t.socketDir]), join(t.socketDir, `${NAME}.sock`));
    const denied = await admit(t.host, podRequest('web', { team: 'shop' }));
    expect(denied.allowed).toBe(false);
    expect(denied.status).toEqual({ code: 403, reason: 'Forbidden', message: 'Pod shop/web: label "app.kubernetes.io/name" is required (hello from Go)' });
    expect((await admit(t.host, podRequest('api', { 'app.kubernetes.io/name': 'api' }))).allowed).toBe(true);
    await expect(t.host.invoke(NAME, 'Admit', { ...podRequest('x', {}), object: Buffer.from('{not json') }))
      .rejects.toMatchObject({ code: 'PLUGD_ERR_CALL_FAILED', plugin: NAME, grpcCode: grpc.status.INVALID_ARGUMENT });
  });

  it('is hot-swapped by a second instance with no failed call, and the superseded one exits 0', async () => {
    const t = await startHost();
    const first = spawnPlugin(['--socket-dir', t.socketDir]);
    const gen1 = await activeGeneration(t.host, first, join(t.socketDir, `${NAME}.sock`));
    let stop = false;
    let calls = 0;
    const load = (async () => {
      while (!stop) {
        expect((await admit(t.host, podRequest('web', {}))).allowed).toBe(false);
        calls++;
      }
    })();
    await waitFor(() => calls > 20, 'calls before the swap');
    const secondSocket = join(t.socketDir, `${NAME}-v2.sock`);
    const second = spawnPlugin(['--socket', secondSocket]);
    const gen2 = await activeGeneration(t.host, second, secondSocket);
    expect(gen2).toBeGreaterThan(gen1);
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(t.socketDir, `${NAME}.sock`))).toBe(false);
    const atSwap = calls;
    await waitFor(() => calls > atSwap + 20, 'calls after the swap, on the new instance');
    stop = true;
    await load;
  });

  it('with --stay-when-superseded (for pods) stays up after a swap until its SIGTERM', async () => {
    const t = await startHost();
    const oldSocket = join(t.socketDir, `${NAME}.sock`);
    const first = spawnPlugin(['--socket-dir', t.socketDir, '--stay-when-superseded']);
    await activeGeneration(t.host, first, oldSocket);
    const secondSocket = join(t.socketDir, `${NAME}-v2.sock`);
    await activeGeneration(t.host, spawnPlugin(['--socket', secondSocket]), secondSocket);
    await waitFor(() => first.output.join('').includes('staying up until SIGTERM'), 'the old instance told it was superseded');
    expect(first.proc.exitCode).toBeNull();
    expect(existsSync(oldSocket)).toBe(true);
    first.proc.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(oldSocket)).toBe(false);
    expect(t.host.plugins().filter((p) => p.name === NAME).map((p) => [p.socket, p.state])).toEqual([[secondSocket, 'active']]);
  });

  it('on SIGTERM unlinks its socket and exits 0, and the host deregisters it', async () => {
    const t = await startHost();
    const socket = join(t.socketDir, `${NAME}.sock`);
    const plugin = spawnPlugin(['--socket-dir', t.socketDir]);
    await activeGeneration(t.host, plugin, socket);
    plugin.proc.kill('SIGTERM');
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(socket)).toBe(false);
    await waitFor(() => !t.host.plugins().some((p) => p.name === NAME), `${NAME} deregistered`);
    await t.logs.waitFor('plugin deregistered', { plugin: NAME });
  });
});
