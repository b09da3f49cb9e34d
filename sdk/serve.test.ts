import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CALLS, contractFor, HEALTH, serviceDefinition, type ContractRef } from '../proto/index.js';
import type { Reply__Output } from '../proto/gen/plugd/calls/v1/Reply.js';
import type { AdmitResponse__Output } from '../proto/gen/plugd/admission/v1/AdmitResponse.js';
import type { HealthCheckResponse__Output } from '../proto/gen/grpc/health/v1/HealthCheckResponse.js';
import { cleanup, CLI, ROOT, spawnNode, tempDir, waitFor } from '../test/helpers.js';
import { definePlugin, type PluginDefinition } from './define.js';
import { servePlugin } from './serve.js';
import { testPlugin, type PluginHarness } from './testing.js';

const SLOW = join(ROOT, 'sdk/testdata/slow-plugin.ts');
const ADMISSION = contractFor('AdmissionPlugin', 'v1')!;
const silent = pino({ level: 'silent' });

const local: Array<() => unknown> = [];
afterEach(async () => {
  while (local.length) await local.pop()!();
  await cleanup();
});

function admission(name: string): PluginDefinition<'AdmissionPlugin'> {
  return definePlugin({ name, type: 'AdmissionPlugin', capabilities: { kind: 'VALIDATING' }, handlers: { Admit: () => ({ allowed: true, warnings: [name] }) } });
}

async function harness(def: PluginDefinition<'AdmissionPlugin'>, socketPath?: string): Promise<PluginHarness<'AdmissionPlugin'>> {
  const h = await testPlugin(def, socketPath ? { socketPath } : {});
  local.push(() => h.close());
  return h;
}

/** A bare gRPC client on a plugin socket, ready (connected) before it is returned. */
async function dial(socketPath: string): Promise<grpc.Client> {
  const client = new grpc.Client(`unix:${socketPath}`, grpc.credentials.createInsecure());
  local.push(() => client.close());
  await new Promise<void>((ok, fail) => client.waitForReady(Date.now() + 15_000, (err) => (err ? fail(err) : ok())));
  return client;
}

function unary<Res>(client: grpc.Client, ref: ContractRef, method: string, request: unknown): Promise<Res> {
  const m = serviceDefinition(ref)[method]!;
  return new Promise((ok, fail) => {
    client.makeUnaryRequest<unknown, Res>(m.path, m.requestSerialize, m.responseDeserialize, request, (err, res) => (err ? fail(err) : ok(res!)));
  });
}

/** Decodes a protobuf message whose fields are all strings (wire type 2): [field number, value] in wire order. */
function stringFields(buf: Buffer): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let i = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = buf[i++]!;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  while (i < buf.length) {
    const key = varint();
    if ((key & 7) !== 2) throw new Error(`field ${key >>> 3}: wire type ${key & 7}, expected a string`);
    const len = varint();
    out.push([key >>> 3, buf.subarray(i, i + len).toString()]);
    i += len;
  }
  return out;
}

describe('servePlugin claims its socket path', () => {
  it('removes a stale socket left by a SIGKILLed plugin process and serves in its place', async () => {
    const dir = tempDir();
    const sock = join(dir, 'slow.sock');
    const dead = spawnNode(CLI, ['serve', SLOW, '--socket-dir', dir]);
    await waitFor(() => existsSync(sock), 'the plugin process to bind its socket', 15_000);
    dead.kill('SIGKILL');
    await dead.exited;
    expect(lstatSync(sock).isSocket()).toBe(true); // SIGKILL leaves the file behind

    const h = await harness(admission('successor'), sock);
    expect(await h.info()).toMatchObject({ name: 'successor' });
    expect((await h.call('Admit', { uid: 'u' })).warnings).toEqual(['successor']);
  });

  it('refuses with PLUGD_SDK_SOCKET_IN_USE when a live server holds the path, and leaves that server serving', async () => {
    const sock = join(tempDir(), 'taken.sock');
    const holder = await harness(admission('holder'), sock);
    await expect(servePlugin(admission('intruder'), { socketPath: sock, handleSignals: false, parentFd: null, logger: silent }))
      .rejects.toMatchObject({ code: 'PLUGD_SDK_SOCKET_IN_USE', socketPath: sock });
    expect(await holder.info()).toMatchObject({ name: 'holder' });
  });

  const occupants: Array<{ what: string; place(path: string, dir: string): void; intact(path: string, dir: string): void }> = [
    {
      what: 'a regular file',
      place: (p) => writeFileSync(p, 'precious'),
      intact: (p) => expect(readFileSync(p, 'utf8')).toBe('precious'),
    },
    {
      what: 'a directory',
      place: (p) => mkdirSync(p),
      intact: (p) => expect(lstatSync(p).isDirectory()).toBe(true),
    },
    {
      what: 'a symlink to a file',
      place: (p, dir) => {
        writeFileSync(join(dir, 'target'), 'precious');
        symlinkSync(join(dir, 'target'), p);
      },
      intact: (p, dir) => {
        expect(lstatSync(p).isSymbolicLink()).toBe(true);
        expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('precious');
      },
    },
  ];

  it.each(occupants)('refuses a path taken by $what and leaves it untouched', async ({ place, intact }) => {
    const dir = tempDir();
    const sock = join(dir, 'p.sock');
    place(sock, dir);
    await expect(servePlugin(admission('p'), { socketPath: sock, handleSignals: false, parentFd: null, logger: silent }))
      .rejects.toMatchObject({ code: 'PLUGD_SDK_SOCKET_PATH_TAKEN', socketPath: sock });
    intact(sock, dir);
  });
});

describe('servePlugin speaks the registration and health contracts', () => {
  it('answers GetInfo in the kubelet wire shape, at the kubelet rpc path', async () => {
    const h = await harness(admission('kubelet-shape'));
    expect(await h.info()).toEqual({ type: 'AdmissionPlugin', name: 'kubelet-shape', endpoint: '', supportedVersions: ['v1'] });

    // What kubelet's watcher reads: pluginregistration.Registration/GetInfo, PluginInfo
    // {type = 1, name = 2, endpoint = 3 (empty, whether sent or not), supported_versions = 4}.
    const client = await dial(h.socketPath);
    const raw = await new Promise<Buffer>((ok, fail) => {
      client.makeUnaryRequest<Buffer, Buffer>('/pluginregistration.Registration/GetInfo', (b) => b, (b) => b, Buffer.alloc(0),
        (err, res) => (err ? fail(err) : ok(res!)));
    });
    const fields = stringFields(raw);
    expect(fields.filter(([n]) => n !== 3)).toEqual([[1, 'AdmissionPlugin'], [2, 'kubelet-shape'], [4, 'v1']]);
    expect(fields.filter(([n]) => n === 3).every(([, v]) => v === '')).toBe(true);
  });

  it('records NotifyRegistrationStatus and emits it as an event', async () => {
    const h = await harness(admission('notified'));
    const event = once(h.served.events, 'registration');
    await h.notify(false, 'no common version');
    expect(await event).toEqual([{ registered: false, error: 'no common version' }]);
    expect(h.served.lastRegistration).toEqual({ registered: false, error: 'no common version' });
  });

  it.each(['', ADMISSION.service])('streams SERVING then NOT_SERVING on Watch(%j) when set, and ends the stream at close', async (service) => {
    const h = await harness(admission('watched'));
    const client = await dial(h.socketPath);
    const watch = serviceDefinition(HEALTH).Watch!;
    const stream = client.makeServerStreamRequest<unknown, HealthCheckResponse__Output>(watch.path, watch.requestSerialize, watch.responseDeserialize, { service });
    const seen: string[] = [];
    const ended = new Promise<grpc.StatusObject>((ok) => stream.on('status', ok));
    stream.on('data', (m: HealthCheckResponse__Output) => {
      seen.push(m.status);
      if (seen.length === 1) h.served.health.setAll('NOT_SERVING');
    });
    await waitFor(() => seen.length >= 2, 'two health updates');
    expect(seen).toEqual(['SERVING', 'NOT_SERVING']);
    expect(await h.health(service)).toBe('NOT_SERVING');

    await h.close();
    expect((await ended).code).toBe(grpc.status.OK);
  });

  it('answers Check with NOT_FOUND for a service it does not serve', async () => {
    const h = await harness(admission('checked'));
    await expect(h.health('plugd.network.v1.Network')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });
});

describe('a plugin process stops gracefully', () => {
  it('on SIGTERM lets an in-flight slow call finish, unlinks its socket first, and exits 0', async () => {
    const dir = tempDir();
    const sock = join(dir, 'slow.sock');
    const plugin = spawnNode(CLI, ['serve', SLOW, '--socket-dir', dir]);
    await waitFor(() => existsSync(sock), 'the plugin socket', 15_000);
    const client = await dial(sock);

    const call = unary<AdmitResponse__Output>(client, ADMISSION, 'Admit', { uid: 'u1' }).then((res) => ({ res, socketLeft: existsSync(sock) }));
    await waitFor(() => plugin.output.join('').includes('admit: started'), 'the call to be in flight');
    plugin.kill('SIGTERM');

    const { res, socketLeft } = await call;
    expect(res).toMatchObject({ allowed: true, warnings: ['finished u1 after SIGTERM'] });
    // Unlinked before the drain, so no host dials a plugin that is going away.
    expect(socketLeft).toBe(false);
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
  });

  it('exits when the pipe in PLUGD_PARENT_FD reaches EOF (the supervising host is gone)', async () => {
    const dir = tempDir();
    const sock = join(dir, 'slow.sock');
    const proc = spawn(process.execPath, [CLI, 'serve', SLOW, '--socket-dir', dir], {
      env: { ...process.env, PLUGD_PARENT_FD: '3', PLUGD_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    const exited = once(proc, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    local.push(async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
    });
    const stderr: string[] = [];
    proc.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
    await waitFor(() => existsSync(sock), 'the plugin socket', 15_000);
    await dial(sock);

    (proc.stdio[3] as Socket).destroy();
    expect(await exited).toEqual([0, null]);
    expect(existsSync(sock)).toBe(false);
    expect(stderr.join('')).toContain('supervising host is gone');
  });
});

describe('plugd.calls.v1 (the call stream), on the wire', () => {
  it('answers the hello, each call by id, pings, unknown methods UNIMPLEMENTED; draining, it finishes what it started, refuses the rest as not started and ends', async () => {
    let release: (() => void) | undefined;
    const def = definePlugin({
      name: 'wire', type: 'AdmissionPlugin', capabilities: { kind: 'VALIDATING' },
      handlers: { Admit: async (req) => {
        if (req.uid === 'slow') await new Promise<void>((r) => { release = r; });
        return { allowed: true, warnings: [req.uid] };
      } },
    });
    const served = await servePlugin(def, { socketPath: join(tempDir(), 'wire.sock'), handleSignals: false, parentFd: null, logger: silent });
    local.push(() => served.close());
    const client = await dial(served.socketPath);
    const calls = serviceDefinition(CALLS).Calls!;
    const admit = serviceDefinition(ADMISSION).Admit!;
    const stream = client.makeBidiStreamRequest(calls.path, calls.requestSerialize as (v: unknown) => Buffer,
      calls.responseDeserialize as (b: Buffer) => Reply__Output, {});
    const replies: Reply__Output[] = [];
    stream.on('data', (r: Reply__Output) => replies.push(r));
    const status = new Promise<grpc.StatusObject>((resolve) => stream.on('status', resolve));
    stream.on('error', () => {});
    const call = (id: number, uid: string, method = admit.path) =>
      stream.write({ id, method, request: (admit.requestSerialize as (v: unknown) => Buffer)({ uid }), timeoutMs: 5000 });

    stream.write({ id: 0, maxResponseBytes: 1 << 20 });
    call(7, 'slow');
    call(8, 'fast');
    call(9, 'x', '/plugd.admission.v1.Admission/NoSuchHook');
    stream.write({ id: 11, method: '' }); // a ping
    await waitFor(() => replies.length === 4 && release, 'hello, the fast call, the unknown method and the ping answered');
    expect(replies.find((r) => r.id === 11)).toMatchObject({ code: 0, notStarted: false });
    expect(replies.find((r) => r.id === 11)!.response).toHaveLength(0);
    expect(replies[0]).toMatchObject({ id: 0, code: 0 });
    const decode = (r: Reply__Output) => (admit.responseDeserialize as (b: Buffer) => AdmitResponse__Output)(r.response);
    expect(decode(replies.find((r) => r.id === 8)!)).toMatchObject({ allowed: true, warnings: ['fast'] });
    expect(replies.find((r) => r.id === 9)).toMatchObject({ code: grpc.status.UNIMPLEMENTED, notStarted: false });

    const closing = served.close();
    call(10, 'late');
    await waitFor(() => replies.some((r) => r.id === 10), 'the call sent while draining answered');
    expect(replies.find((r) => r.id === 10)).toMatchObject({ code: grpc.status.UNAVAILABLE, notStarted: true });
    release!();
    // The call it started is answered, then the stream ends cleanly and the server stops.
    expect((await status).code).toBe(grpc.status.OK);
    expect(decode(replies.find((r) => r.id === 7)!)).toMatchObject({ allowed: true, warnings: ['slow'] });
    await closing;
  });
});
