/**
 * plugd.calls.v1: hook calls carried on one stream per plugin instance. SDK plugins serve it
 * and are called over it; a plugin that does not (raw grpc-js, other languages) is called
 * with unary RPCs. Over the stream every call must fail exactly as its unary twin would:
 * deadlines (and the plugin told to stop), size limits on either side without breaking the
 * stream for the other calls, a drain that answers what it started.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ErrorCodes } from '../host/errors.js';
import { cleanup, dist, spawnNode, startHost, waitFor } from './helpers.js';
import { afterEach } from 'vitest';

const FIXTURE = dist('test/fixtures/lifecycle-plugin.ts');
const RAW = dist('test/fixtures/raw-plugin.ts');

afterEach(cleanup);

function transportOf(host: { plugins(): Array<{ name: string; state: string; transport: string }> }, name: string): string | undefined {
  return host.plugins().find((p) => p.name === name && p.state === 'active')?.transport;
}

describe('call streams', () => {
  it('an SDK plugin is called over its stream, a plugin without one with unary RPCs, and both answer', async () => {
    const { host, socketDir } = await startHost();
    spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'sdk', FIXTURE_TAG: 'from-sdk' });
    spawnNode(RAW, ['healthy', '--socket', join(socketDir, 'raw.sock'), '--name', 'raw', '--tag', 'from-raw']);
    await host.waitForPlugin('sdk', 15_000);
    await host.waitForPlugin('raw', 15_000);
    await waitFor(() => transportOf(host, 'sdk') === 'stream', 'sdk plugin on its call stream');
    for (let i = 0; i < 20; i++) {
      await expect(host.invoke('sdk', 'Admit', { uid: `s${i}` })).resolves.toMatchObject({ allowed: true, warnings: ['from-sdk'], auditAnnotations: { uid: `s${i}` } });
      await expect(host.invoke('raw', 'Admit', { uid: `r${i}` })).resolves.toMatchObject({ allowed: true, warnings: ['from-raw'] });
    }
    expect(transportOf(host, 'sdk')).toBe('stream');
    expect(transportOf(host, 'raw')).toBe('unary');
  });

  it('registration.callStreams false calls even SDK plugins with unary RPCs', async () => {
    const { host, socketDir } = await startHost({ config: { registration: { callStreams: false } } });
    spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'sdk' });
    await host.waitForPlugin('sdk', 15_000);
    await expect(host.invoke('sdk', 'Admit', { uid: 'u' })).resolves.toMatchObject({ allowed: true });
    expect(transportOf(host, 'sdk')).toBe('unary');
  });

  it('a call past its deadline fails CALL_TIMEOUT naming the plugin, the plugin is told to stop, and the stream carries on', async () => {
    const { host, socketDir } = await startHost();
    const hang = spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'hang', FIXTURE_MODE: 'hang' });
    await host.waitForPlugin('hang', 15_000);
    await waitFor(() => transportOf(host, 'hang') === 'stream', 'hang plugin on its call stream');
    const started = Date.now();
    const err = await host.invoke('hang', 'Admit', { uid: 'late' }, 300).catch((e: Error) => e);
    expect(err).toMatchObject({ code: ErrorCodes.CALL_TIMEOUT, plugin: 'hang' });
    expect((err as Error).message).toMatch(/^plugin hang: Admit: no answer within the deadline \(\d+ ms\)$/);
    expect(Date.now() - started).toBeLessThan(5000);
    // The handler's AbortSignal fired: the cancellation reached the plugin on the stream.
    await waitFor(() => hang.output.join('').includes('{"aborted":"late"}'), 'the plugin seeing the call cancelled');
    // Several at once: each times out on its own deadline, the stream stays up.
    const errs = await Promise.all([200, 400, 600].map((ms) => host.invoke('hang', 'Admit', { uid: `t${ms}` }, ms).catch((e: Error) => e)));
    expect(errs.map((e) => (e as { code: string }).code)).toEqual([ErrorCodes.CALL_TIMEOUT, ErrorCodes.CALL_TIMEOUT, ErrorCodes.CALL_TIMEOUT]);
    expect(transportOf(host, 'hang')).toBe('stream');
  });

  it('an oversized response fails that call MESSAGE_TOO_LARGE naming the plugin; the stream and the other calls are unharmed', async () => {
    const { host, socketDir } = await startHost({ config: { limits: { maxMessageBytes: 64 * 1024 } } });
    spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'big', FIXTURE_MODE: 'big', FIXTURE_BIG_BYTES: String(200 * 1024) });
    spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'fine', FIXTURE_TAG: 'fine' });
    await host.waitForPlugin('big', 15_000);
    await host.waitForPlugin('fine', 15_000);
    await waitFor(() => transportOf(host, 'big') === 'stream' && transportOf(host, 'fine') === 'stream', 'both plugins on call streams');
    for (let i = 0; i < 3; i++) {
      const [err, ok] = await Promise.all([
        host.invoke('big', 'Admit', { uid: `b${i}` }).catch((e: Error) => e),
        host.invoke('fine', 'Admit', { uid: `f${i}` }),
      ]);
      expect(err).toMatchObject({ code: ErrorCodes.MESSAGE_TOO_LARGE, plugin: 'big' });
      expect((err as Error).message).toMatch(/^plugin big: Admit: message over the size limit: RESOURCE_EXHAUSTED: response message larger than \d+ \(\d+ bytes\)/);
      expect(ok).toMatchObject({ allowed: true, warnings: ['fine'] });
    }
    expect(transportOf(host, 'big')).toBe('stream');
  });

  it('an oversized request is refused before it is sent; the next call on the same stream succeeds', async () => {
    const { host, socketDir } = await startHost({ config: { limits: { maxMessageBytes: 4096 } } });
    spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'small' });
    await host.waitForPlugin('small', 15_000);
    await waitFor(() => transportOf(host, 'small') === 'stream', 'small plugin on its call stream');
    const err = await host.invoke('small', 'Admit', { uid: 'u', object: Buffer.alloc(8 * 1024, 0x61) }).catch((e: Error) => e);
    expect(err).toMatchObject({ code: ErrorCodes.MESSAGE_TOO_LARGE, plugin: 'small' });
    expect((err as Error).message).toMatch(/larger than 4096/);
    await expect(host.invoke('small', 'Admit', { uid: 'ok' })).resolves.toMatchObject({ allowed: true, auditAnnotations: { uid: 'ok' } });
    expect(transportOf(host, 'small')).toBe('stream');
  });

  it('a plugin that breaks the stream protocol (a response over the announced limit) fails that call, is named in one line, and is called unary from then on', async () => {
    const { host, socketDir, logs } = await startHost({ config: { limits: { maxMessageBytes: 64 * 1024 } } });
    spawnNode(RAW, ['healthy', '--socket', join(socketDir, 'liar.sock'), '--name', 'liar', '--tag', 'unary-answer', '--call-stream', 'oversize']);
    await host.waitForPlugin('liar', 15_000);
    await waitFor(() => transportOf(host, 'liar') === 'stream', 'liar on its call stream');
    const err = await host.invoke('liar', 'Admit', { uid: 'u1' }).catch((e: Error) => e);
    expect(err).toMatchObject({ code: ErrorCodes.MESSAGE_TOO_LARGE, plugin: 'liar' });
    const line = await logs.waitFor('call stream to plugin liar failed', { plugin: 'liar' });
    expect(line.msg).toMatch(/RESOURCE_EXHAUSTED.*; calling it with unary RPCs$/);
    expect(transportOf(host, 'liar')).toBe('unary');
    await expect(host.invoke('liar', 'Admit', { uid: 'u2' })).resolves.toMatchObject({ allowed: true, warnings: ['unary-answer'] });
  });

  it('a new instance is warmed with pings on its call stream before it is swapped in; one without a stream is swapped in at once', async () => {
    const { host, socketDir, logs } = await startHost();
    spawnNode(FIXTURE, ['--socket-dir', socketDir, '--socket', join(socketDir, 'warm-1.sock')], { FIXTURE_NAME: 'warm', FIXTURE_TAG: 'one' });
    await host.waitForPlugin('warm', 15_000);
    spawnNode(FIXTURE, ['--socket-dir', socketDir, '--socket', join(socketDir, 'warm-2.sock')], { FIXTURE_NAME: 'warm', FIXTURE_TAG: 'two' });
    const swapped = await logs.waitFor('hot-swap: new instance active', { plugin: 'warm' }, 15_000);
    expect(swapped.warmUpPings).toBeGreaterThan(0);
    expect(swapped.warmUpMs).toBeLessThanOrEqual(1000);
    await expect(host.invoke('warm', 'Admit', { uid: 'after' })).resolves.toMatchObject({ warnings: ['two'] });

    spawnNode(RAW, ['healthy', '--socket', join(socketDir, 'cold-1.sock'), '--name', 'cold', '--tag', 'one']);
    await host.waitForPlugin('cold', 15_000);
    spawnNode(RAW, ['healthy', '--socket', join(socketDir, 'cold-2.sock'), '--name', 'cold', '--tag', 'two']);
    const cold = await logs.waitFor('hot-swap: new instance active', { plugin: 'cold' }, 15_000);
    expect(cold.warmUpPings).toBe(0);
    await expect(host.invoke('cold', 'Admit', { uid: 'after' })).resolves.toMatchObject({ warnings: ['two'] });
  });

  it('a plugin told to stop answers every call it started before it exits', async () => {
    const { host, socketDir } = await startHost();
    const p = spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'slow', FIXTURE_DELAY_MS: '400', FIXTURE_LOG_CALLS: '1' });
    await host.waitForPlugin('slow', 15_000);
    await waitFor(() => transportOf(host, 'slow') === 'stream', 'slow plugin on its call stream');
    const calls = Array.from({ length: 8 }, (_, i) => host.invoke('slow', 'Admit', { uid: `d${i}` }, 5000));
    // Every call reached the plugin before it is told to stop.
    await waitFor(() => p.output.join('').match(/"started"/g)?.length === 8, 'the plugin starting all 8 calls');
    p.kill('SIGTERM');
    const answers = await Promise.all(calls);
    expect(answers.map((a) => (a as { auditAnnotations: Record<string, string> }).auditAnnotations.uid)).toEqual(Array.from({ length: 8 }, (_, i) => `d${i}`));
    await expect(p.exited).resolves.toEqual({ code: 0, signal: null });
  });

  it('a plugin crashing mid-call fails the calls in flight on its stream with PLUGIN_UNAVAILABLE naming it', async () => {
    const { host, socketDir } = await startHost();
    spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'crashy', FIXTURE_MODE: 'crash', FIXTURE_DELAY_MS: '100' });
    await host.waitForPlugin('crashy', 15_000);
    await waitFor(() => transportOf(host, 'crashy') === 'stream', 'crashy plugin on its call stream');
    const errs = await Promise.all([1, 2, 3].map((i) => host.invoke('crashy', 'Admit', { uid: `c${i}` }, 5000).catch((e: Error) => e)));
    for (const err of errs) expect(err).toMatchObject({ code: ErrorCodes.PLUGIN_UNAVAILABLE, plugin: 'crashy' });
  });
});
