/**
 * `plugd serve --stay-when-superseded`: in a pod, a plugin that exits when a newer instance
 * takes over is restarted by kubelet and registers again, swapping the old version back in.
 * With the flag the superseded instance stays up, idle, until its SIGTERM (its pod deleted).
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { clientConstructor, HEALTH } from '../proto/index.js';
import { cleanup, servePluginProcess, startHost, waitFor, type PluginProcess } from './helpers.js';

const MODULE = 'sample-plugins/default-team-label';
const NAME = 'default-team-label';

const said = (p: PluginProcess, text: string) => p.output.join('').includes(text);

function healthCheck(socket: string): Promise<unknown> {
  const Health = clientConstructor(HEALTH);
  const client = new Health(`unix:${socket}`, grpc.credentials.createInsecure());
  return new Promise<unknown>((resolve, reject) => {
    client.Check!({ service: '' }, (err: grpc.ServiceError | null, res: unknown) => {
      client.close();
      if (err) reject(err);
      else resolve(res);
    });
  });
}

describe('plugd serve --stay-when-superseded', () => {
  afterEach(cleanup);

  it('keeps a superseded instance up until SIGTERM, while the newer one is the active instance', async () => {
    const t = await startHost();
    const oldSocket = join(t.socketDir, `${NAME}-old.sock`);
    const newSocket = join(t.socketDir, `${NAME}-new.sock`);
    const old = servePluginProcess(MODULE, t.socketDir, ['--socket', oldSocket, '--stay-when-superseded']);
    await waitFor(() => t.host.plugins().find((p) => p.socket === oldSocket && p.state === 'active'), 'old instance active');
    servePluginProcess(MODULE, t.socketDir, ['--socket', newSocket]);
    await waitFor(() => t.host.plugins().find((p) => p.socket === newSocket && p.state === 'active'), 'new instance active');
    await waitFor(() => said(old, 'superseded by generation'), 'the old instance told it was superseded');

    // Told, and still serving on its own socket: it did not exit.
    expect(await healthCheck(oldSocket)).toEqual({ status: 'SERVING' });
    expect(old.proc.exitCode).toBeNull();
    expect(t.host.plugins().filter((p) => p.name === NAME).map((p) => p.socket)).toEqual([newSocket]);

    old.kill('SIGTERM');
    expect(await old.exited).toEqual({ code: 0, signal: null });
    expect(t.host.plugins().filter((p) => p.name === NAME).map((p) => [p.socket, p.state])).toEqual([[newSocket, 'active']]);
  });

  it('without the flag, a superseded instance exits 0 by itself', async () => {
    const t = await startHost();
    const old = servePluginProcess(MODULE, t.socketDir, ['--socket', join(t.socketDir, `${NAME}-old.sock`)]);
    await t.host.waitForPlugin(NAME, 10_000);
    servePluginProcess(MODULE, t.socketDir, ['--socket', join(t.socketDir, `${NAME}-new.sock`)]);
    expect(await old.exited).toEqual({ code: 0, signal: null });
  });
});
