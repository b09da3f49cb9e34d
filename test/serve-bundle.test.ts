/**
 * `plugd serve A B`: several plugins in one process. Each registers on its own socket and is
 * called (over its own call stream) and hot-swapped on its own; the process has one
 * lifecycle: SIGTERM drains them all, and it exits once every plugin in it is superseded.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, servePluginProcess, spawnNode, CLI, startHost, waitFor } from './helpers.js';

const LABEL = 'sample-plugins/default-team-label';
const SECURITY = 'sample-plugins/pod-security';

const pod = (privileged: boolean) => Buffer.from(JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27.3', securityContext: { privileged } }] },
}));
const review = (object: Buffer) => ({
  uid: 'u1', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' },
  operation: 'CREATE', namespace: 'shop', name: 'web', object,
});

describe('plugd serve with several modules', () => {
  afterEach(cleanup);

  it('serves each plugin on its own socket and call stream from one process, and SIGTERM drains them all', async () => {
    const t = await startHost();
    const bundle = servePluginProcess(LABEL, t.socketDir, [SECURITY]);
    await t.host.waitForPlugin('default-team-label', 15_000);
    await t.host.waitForPlugin('pod-security', 15_000);
    await waitFor(() => t.host.plugins().filter((p) => p.transport === 'stream').length === 2, 'both on call streams');
    expect(t.host.plugins().map((p) => [p.name, p.socket]).sort()).toEqual([
      ['default-team-label', join(t.socketDir, 'default-team-label.sock')],
      ['pod-security', join(t.socketDir, 'pod-security.sock')],
    ]);

    const labelled = await t.host.invoke<{ allowed: boolean; patch: Buffer }>('default-team-label', 'Admit', { ...review(pod(false)), mutatingPhase: true });
    expect(labelled.allowed).toBe(true);
    expect(JSON.parse(Buffer.from(labelled.patch).toString())).toEqual(expect.arrayContaining([expect.objectContaining({ op: 'add' })]));
    const denied = await t.host.invoke<{ allowed: boolean; status: { message: string } }>('pod-security', 'Admit', review(pod(true)));
    expect(denied.allowed).toBe(false);
    expect(denied.status.message).toContain('privileged');

    bundle.kill('SIGTERM');
    expect(await bundle.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(t.socketDir, 'default-team-label.sock'))).toBe(false);
    expect(existsSync(join(t.socketDir, 'pod-security.sock'))).toBe(false);
    await waitFor(() => t.host.plugins().length === 0, 'both deregistered');
  });

  it('a plugin superseded by a newer instance stops alone; the process exits once none is left', async () => {
    const t = await startHost();
    const bundle = servePluginProcess(LABEL, t.socketDir, [SECURITY]);
    await t.host.waitForPlugin('default-team-label', 15_000);
    await t.host.waitForPlugin('pod-security', 15_000);

    servePluginProcess(LABEL, t.socketDir, ['--socket', join(t.socketDir, 'label-v2.sock')]);
    await waitFor(() => t.host.plugins().find((p) => p.name === 'default-team-label' && p.state === 'active' && p.socket.endsWith('label-v2.sock')), 'the new default-team-label active');
    await waitFor(() => !existsSync(join(t.socketDir, 'default-team-label.sock')), 'the bundled default-team-label stopped');
    // The other plugin in the process is untouched.
    expect(bundle.proc.exitCode).toBeNull();
    expect(await t.host.invoke<{ allowed: boolean }>('pod-security', 'Admit', review(pod(true)))).toMatchObject({ allowed: false });

    servePluginProcess(SECURITY, t.socketDir, ['--socket', join(t.socketDir, 'security-v2.sock')]);
    expect(await bundle.exited).toEqual({ code: 0, signal: null });
  });

  it('refuses --name, --socket and --replace with several modules, naming why', async () => {
    const p = spawnNode(CLI, ['serve', LABEL, SECURITY, '--name', 'x']);
    expect(await p.exited).toMatchObject({ code: 2 });
    expect(p.output.join('')).toContain('--name takes one MODULE; serving 2');
  });
});
