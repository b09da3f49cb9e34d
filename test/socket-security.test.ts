/**
 * Socket directory security: the host refuses an unsafe directory, creates its own 0700,
 * refuses sockets from owners outside the allow-list, and a name held by one owner cannot
 * be claimed by another.
 */
import { chmodSync, chownSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../host/config.js';
import { ErrorCodes } from '../host/errors.js';
import { PlugdHost } from '../host/host.js';
import { silentLogger } from '../host/log.js';
import { cleanup, dist, spawnNode, startHost, tempDir, waitFor } from './helpers.js';

afterEach(cleanup);

const FIXTURE = dist('test/fixtures/lifecycle-plugin.ts');
const isRoot = process.getuid?.() === 0;

describe('socket directory', () => {
  it('refuses a directory others can write to, naming the path and the mode', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    const host = new PlugdHost({ socketDir: dir, admin: false, logger: silentLogger() });
    const err = await host.start().catch((e: Error & { code?: string }) => e);
    expect(err).toMatchObject({ code: ErrorCodes.SOCKET_DIR_INSECURE });
    expect((err as Error).message).toContain(`socket directory ${dir} is unsafe: its mode 0777 lets any user create sockets in it`);
  });

  it('starts on such a directory when told to, with a warning', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o775);
    const { logs } = await startHost({ socketDir: dir, config: { security: { allowInsecureSocketDir: true } } });
    await logs.waitFor('is unsafe: its mode 0775 lets its group create sockets');
  });

  it('creates a missing directory with mode 0700', async () => {
    const dir = join(tempDir(), 'nested', 'plugins');
    await startHost({ socketDir: dir });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it.skipIf(!isRoot)('refuses a directory owned by another user', async () => {
    const dir = tempDir();
    chownSync(dir, 4242, 4242);
    const host = new PlugdHost({ socketDir: dir, admin: false, logger: silentLogger() });
    await expect(host.start()).rejects.toMatchObject({ code: ErrorCodes.SOCKET_DIR_INSECURE, message: expect.stringContaining('owned by uid 4242') });
  });
});

describe('socket owners', () => {
  it('refuses a socket whose owner is not in the allow-list', async () => {
    const { host, socketDir, logs } = await startHost({ config: { security: { allowedUids: [4242] } } });
    const plugin = spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'intruder' });
    const line = await logs.waitFor('rejected', { reason: 'owner-not-allowed' }, 15_000);
    expect(String(line.msg)).toContain(`not in the allowed owners [4242]`);
    await waitFor(() => plugin.output.join('').includes('not in the allowed owners'), 'the plugin to be told why');
    expect(host.plugins()).toEqual([]);
  });

  it.skipIf(!isRoot)('rejects a second owner claiming a name another owner holds', async () => {
    const { host, socketDir, logs } = await startHost({ config: { security: { allowedUids: [0, 4242] } } });
    spawnNode(FIXTURE, ['--socket-dir', socketDir, '--socket', join(socketDir, 'shared-a.sock')], { FIXTURE_NAME: 'shared' });
    await host.waitForPlugin('shared', 15_000);
    // Another owner's plugin binds in a directory of its own; its socket, owned by uid 4242, is then moved in.
    const outsider = join(tempDir(), 'shared-b.sock');
    const other = spawnNode(FIXTURE, ['--socket', outsider], { FIXTURE_NAME: 'shared', FIXTURE_TAG: 'other' });
    // Moved only once the SDK has finished binding (it records the socket's inode right after).
    await waitFor(() => other.output.join('').includes('"serving"'), 'the outsider plugin to serve');
    chownSync(outsider, 4242, 4242);
    renameSync(outsider, join(socketDir, 'shared-b.sock'));
    const line = await logs.waitFor('rejected', { reason: 'name-owned-by-other-user' }, 15_000);
    expect(String(line.msg)).toContain('held by a socket owned by uid 0; this socket is owned by uid 4242');
    expect(host.plugins()).toMatchObject([{ name: 'shared', generation: 1, ownerUid: 0 }]);
  });
});

it('parses allowedUids strictly', () => {
  expect(() => parseConfig({ security: { allowedUids: ['root'] } })).toThrow(/security.allowedUids\[0\] must be an integer/);
});
