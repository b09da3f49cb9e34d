/**
 * Limits: concurrent calls per instance (excess waits, bounded, then fails), message size,
 * number of plugins — each reported clearly when hit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../host/errors.js';
import { cleanup, dist, spawnNode, startHost } from './helpers.js';

afterEach(cleanup);

const FIXTURE = dist('test/fixtures/lifecycle-plugin.ts');

describe('limits', () => {
  it('maxConcurrent: excess calls queue up to maxQueued, the rest fail at once naming the limit', async () => {
    const { host, socketDir } = await startHost({ config: { plugins: { slow: { maxConcurrent: 2, maxQueued: 1, timeoutMs: 10_000 } } } });
    spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'slow', FIXTURE_DELAY_MS: '300' });
    await host.waitForPlugin('slow', 15_000);
    const calls = Array.from({ length: 4 }, (_, i) => host.invoke('slow', 'Admit', { uid: String(i) }).then(() => 'ok', (e: { code: string; message: string }) => e));
    const results = await Promise.all(calls);
    expect(results.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
    expect(results[3]).toMatchObject({ code: ErrorCodes.CONCURRENCY_LIMIT, plugin: 'slow' });
    expect((results[3] as { message: string }).message).toMatch(/2 calls in flight \(maxConcurrent 2\) and 1 waiting \(maxQueued 1\)/);
  });

  it('a queued call whose deadline passes before a slot frees fails with CONCURRENCY_LIMIT', async () => {
    const { host, socketDir } = await startHost({ config: { plugins: { slow: { maxConcurrent: 1, maxQueued: 10 } } } });
    spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'slow', FIXTURE_DELAY_MS: '1000' });
    await host.waitForPlugin('slow', 15_000);
    const first = host.invoke('slow', 'Admit', {}, 5000);
    const err = await host.invoke('slow', 'Admit', {}, 200).catch((e: Error) => e);
    expect(err).toMatchObject({ code: ErrorCodes.CONCURRENCY_LIMIT, plugin: 'slow' });
    expect((err as Error).message).toContain('no slot freed before the deadline');
    await expect(first).resolves.toMatchObject({ allowed: true });
  });

  it('maxMessageBytes: an oversized request fails with MESSAGE_TOO_LARGE and the plugin stays usable', async () => {
    const { host, socketDir } = await startHost({ config: { limits: { maxMessageBytes: 4096 } } });
    spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'small' });
    await host.waitForPlugin('small', 15_000);
    const big = { uid: 'u', object: Buffer.alloc(64 * 1024, 0x61) };
    const err = await host.invoke('small', 'Admit', big).catch((e: Error) => e);
    expect(err).toMatchObject({ code: ErrorCodes.MESSAGE_TOO_LARGE, plugin: 'small' });
    expect((err as Error).message).toMatch(/plugin small: Admit: message over the size limit: RESOURCE_EXHAUSTED: .*larger than 4096/);
    await expect(host.invoke('small', 'Admit', { uid: 'ok' })).resolves.toMatchObject({ allowed: true });
  });

  it('maxPlugins: a plugin past the limit is refused with a reason it receives', async () => {
    const { host, socketDir, logs } = await startHost({ config: { registration: { maxPlugins: 2 } } });
    for (const name of ['one', 'two']) spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: name });
    await host.waitForPlugin('one', 15_000);
    await host.waitForPlugin('two', 15_000);
    const third = spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'three' });
    const line = await logs.waitFor('rejected', { plugin: 'three', reason: 'max-plugins' }, 15_000);
    expect(String(line.msg)).toContain('limit 2');
    await expect.poll(() => third.output.join(''), { timeout: 10_000 }).toContain('limit 2');
    expect(host.plugins().map((p) => p.name).sort()).toEqual(['one', 'two']);
  });
});
