/**
 * Failure policy, health and the circuit breaker with hanging, crashing and flapping
 * plugins: every failure is reported with the plugin's name and the policy applied.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, PluginCallError } from '../host/errors.js';
import { cleanup, dist, spawnNode, startHost, waitFor } from './helpers.js';

afterEach(cleanup);

const FIXTURE = dist('test/fixtures/lifecycle-plugin.ts');

async function hostWith(mode: string, settings: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const t = await startHost({ config: { plugins: { flaky: { timeoutMs: 300, ...settings } }, ...extra } });
  const proc = spawnNode(FIXTURE, ['--socket-dir', t.socketDir], { FIXTURE_NAME: 'flaky', FIXTURE_MODE: mode });
  await t.host.waitForPlugin('flaky', 15_000);
  return { ...t, proc };
}

describe('failure policy', () => {
  const cases = [
    { mode: 'hang', policy: 'Fail', code: ErrorCodes.CALL_TIMEOUT },
    { mode: 'hang', policy: 'Ignore', code: ErrorCodes.CALL_TIMEOUT },
    { mode: 'crash', policy: 'Fail', code: ErrorCodes.PLUGIN_UNAVAILABLE },
    { mode: 'crash', policy: 'Ignore', code: ErrorCodes.PLUGIN_UNAVAILABLE },
  ] as const;

  it.each(cases)('a $mode plugin under $policy: $code, named, applied and logged', async ({ mode, policy, code }) => {
    const { host, logs } = await hostWith(mode, { failurePolicy: policy });
    const call = host.callWithPolicy('flaky', 'Admit', { uid: 'u1' });
    if (policy === 'Fail') {
      const err = await call.then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(PluginCallError);
      expect(err).toMatchObject({ code, plugin: 'flaky', method: 'Admit', policy: 'Fail' });
    } else {
      const out = await call;
      expect(out.status).toBe('ignored');
      expect(out.status === 'ignored' && out.error).toMatchObject({ code, plugin: 'flaky', policy: 'Ignore' });
    }
    const line = await logs.waitFor(`failurePolicy ${policy}`, { plugin: 'flaky', policy });
    expect(String(line.msg)).toContain('plugin flaky: Admit:');
    const metrics = await (await fetch(`${host.adminUrl}/metrics`)).text();
    expect(metrics).toContain(`plugd_failure_policy_applied_total{plugin="flaky",policy="${policy}"} 1`);
  });

  it('a crashed plugin is deregistered while the host keeps serving the others', async () => {
    const { host, socketDir, logs } = await hostWith('crash', { failurePolicy: 'Fail' });
    spawnNode(FIXTURE, ['--socket-dir', socketDir], { FIXTURE_NAME: 'steady' });
    await host.waitForPlugin('steady', 15_000);
    await expect(host.invoke('flaky', 'Admit', {})).rejects.toMatchObject({ plugin: 'flaky' });
    await logs.waitFor('plugin deregistered', { plugin: 'flaky' });
    await expect(host.invoke('steady', 'Admit', { uid: 'x' })).resolves.toMatchObject({ allowed: true });
  });

  it('a plugin without a policy in the host config gets its own, else the interface default', async () => {
    const t = await startHost();
    spawnNode(FIXTURE, ['--socket-dir', t.socketDir], { FIXTURE_NAME: 'plain', FIXTURE_MODE: 'fail' });
    await t.host.waitForPlugin('plain', 15_000);
    // Admission's documented default is Fail.
    await expect(t.host.callWithPolicy('plain', 'Admit', {})).rejects.toMatchObject({ policy: 'Fail', code: ErrorCodes.PLUGIN_UNAVAILABLE });
    // A name never seen falls back to the caller's default, and still reports the plugin.
    const out = await t.host.callWithPolicy('nobody', 'Admit', {}, { fallback: 'Ignore' });
    expect(out).toMatchObject({ status: 'ignored', error: { code: ErrorCodes.PLUGIN_UNAVAILABLE, plugin: 'nobody' } });
  });
});

describe('health', () => {
  it('NOT_SERVING takes an instance out of rotation and SERVING brings it back', async () => {
    const { host, proc } = await hostWith('echo', { failurePolicy: 'Fail' }, { registration: { unavailableWaitMs: 0 } });
    proc.kill('SIGUSR1');
    await waitFor(() => host.plugins()[0]?.healthy === false, 'the instance to turn unhealthy');
    await expect(host.invoke('flaky', 'Admit', {})).rejects.toMatchObject({ code: ErrorCodes.PLUGIN_UNAVAILABLE, plugin: 'flaky' });
    proc.kill('SIGUSR2');
    await waitFor(() => host.plugins()[0]?.healthy === true, 'the instance to come back');
    await expect(host.invoke('flaky', 'Admit', {})).resolves.toMatchObject({ allowed: true });
  });

  it('a call waits for an instance that is flapping back, within its deadline', async () => {
    const { host, proc } = await hostWith('echo', { timeoutMs: 10_000 }, { registration: { unavailableWaitMs: 10_000 } });
    proc.kill('SIGUSR1');
    await waitFor(() => host.plugins()[0]?.healthy === false, 'the instance to turn unhealthy');
    const pending = host.invoke('flaky', 'Admit', { uid: 'w' });
    proc.kill('SIGUSR2');
    await expect(pending).resolves.toMatchObject({ allowed: true });
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, fails fast, and closes when a probe succeeds', async () => {
    const { host, proc, logs } = await hostWith('echo', { timeoutMs: 200, breakerThreshold: 3, breakerOpenMs: 300 });
    proc.kill('SIGSTOP');
    for (let i = 0; i < 3; i++) await expect(host.invoke('flaky', 'Admit', {})).rejects.toMatchObject({ code: ErrorCodes.CALL_TIMEOUT });
    await logs.waitFor('circuit open for plugin flaky');
    await expect(host.invoke('flaky', 'Admit', {})).rejects.toMatchObject({ code: ErrorCodes.CIRCUIT_OPEN, plugin: 'flaky' });
    proc.kill('SIGCONT');
    await waitFor(async () => {
      try {
        return await host.invoke('flaky', 'Admit', {});
      } catch (err) {
        if ((err as PluginCallError).code !== ErrorCodes.CIRCUIT_OPEN && (err as PluginCallError).code !== ErrorCodes.CALL_TIMEOUT) throw err;
        return undefined;
      }
    }, 'a probe to close the circuit', 15_000, 50);
    await logs.waitFor('circuit closed for plugin flaky');
    await expect(host.invoke('flaky', 'Admit', {})).resolves.toMatchObject({ allowed: true });
  });
});
