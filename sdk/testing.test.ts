import * as grpc from '@grpc/grpc-js';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin, type CallContext, type PluginDefinition } from './define.js';
import { Code, packIndices, unpackIndices } from './scheduling.js';
import { testPlugin, type PluginHarness } from './testing.js';
import type { PluginType } from '../proto/index.js';

const open: Array<Pick<PluginHarness<PluginType>, 'close'>> = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function harness<T extends PluginType>(def: PluginDefinition<T>): Promise<PluginHarness<T>> {
  const h = await testPlugin(def);
  open.push(h);
  return h;
}

describe('testPlugin', () => {
  it('calls a hook through gRPC and returns the decoded response', async () => {
    const h = await harness(definePlugin({
      name: 'odd-nodes-only',
      type: 'SchedulerPlugin',
      capabilities: { weight: 3 },
      handlers: {
        Filter: (req) => {
          return { codes: Buffer.from([...unpackIndices(req.candidates)].map((i) => (i % 2 ? Code.SUCCESS : Code.UNSCHEDULABLE))), reasons: { 0: 'even' } };
        },
      },
    }));
    const res = await h.call('Filter', { snapshotGeneration: 1, podJson: Buffer.from('{}'), cycleId: 'c', candidates: packIndices([2, 3, 5]) });
    expect([...res.codes]).toEqual([Code.UNSCHEDULABLE, Code.SUCCESS, Code.SUCCESS]);
    expect(res.reasons).toEqual({ 0: 'even' });
    expect(await h.capabilities()).toMatchObject({ implemented: ['Filter'], weight: 3 });
    expect(await h.info()).toEqual({ type: 'SchedulerPlugin', name: 'odd-nodes-only', endpoint: '', supportedVersions: ['v1'] });
    expect(await h.health()).toBe('SERVING');
  });

  const failures: Array<{ name: string; thrown: () => never; code: grpc.status; details: string }> = [
    { name: 'an error with a gRPC code keeps it', thrown: () => { throw Object.assign(new Error('not yet'), { code: grpc.status.FAILED_PRECONDITION }); },
      code: grpc.status.FAILED_PRECONDITION, details: 'not yet' },
    { name: 'a plain error is UNKNOWN', thrown: () => { throw new Error('boom'); }, code: grpc.status.UNKNOWN, details: 'boom' },
    { name: 'an out-of-range code is UNKNOWN', thrown: () => { throw Object.assign(new Error('odd'), { code: 99 }); }, code: grpc.status.UNKNOWN, details: 'odd' },
  ];

  it.each(failures)('maps a throwing hook to a failed call: $name', async ({ thrown, code, details }) => {
    const h = await harness(definePlugin({ name: 'thrower', type: 'AdmissionPlugin', handlers: { Admit: thrown } }));
    await expect(h.call('Admit', { uid: 'u' })).rejects.toMatchObject({ code, details });
  });

  it('awaits a hook that returns a thenable that is not a Promise', async () => {
    const thenable = { then: (ok: (v: { allowed: boolean; warnings: string[] }) => void) => ok({ allowed: true, warnings: ['then'] }) };
    const h = await harness(definePlugin({ name: 'thenable', type: 'AdmissionPlugin', handlers: { Admit: () => thenable as unknown as Promise<{ allowed: boolean }> } }));
    expect(await h.call('Admit', { uid: 'u' })).toMatchObject({ allowed: true, warnings: ['then'] });
  });

  it('answers UNIMPLEMENTED for a hook the plugin does not implement', async () => {
    const h = await harness(definePlugin({ name: 'partial', type: 'NetworkPlugin', handlers: { Add: () => ({}), Del: () => ({}) } }));
    await expect(h.call('Check', {})).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
  });

  it('gives the hook the caller deadline and metadata, and aborts its signal when the deadline passes', async () => {
    let seen: CallContext | undefined;
    let aborted!: () => void;
    const abortSeen = new Promise<void>((ok) => { aborted = ok; });
    const h = await harness(definePlugin({
      name: 'patient',
      type: 'AdmissionPlugin',
      handlers: {
        Admit: (_req, ctx) => {
          seen = ctx;
          return new Promise((_ok, fail) => ctx.signal.addEventListener('abort', () => { aborted(); fail(new Error('cancelled')); }));
        },
      },
    }));
    const metadata = new grpc.Metadata();
    metadata.set('x-request-id', 'r-1');
    await expect(h.call('Admit', { uid: 'u' }, { deadlineMs: 200, metadata })).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
    await abortSeen;
    expect(seen?.plugin).toBe('patient');
    expect(seen?.deadline).toBeInstanceOf(Date);
    expect(seen?.metadata.get('x-request-id')).toEqual(['r-1']);
  });

  it('closes idempotently, removing the socket and its temp directory', async () => {
    const h = await testPlugin(definePlugin({ name: 'tidy', type: 'AdmissionPlugin', handlers: { Admit: () => ({ allowed: true }) } }));
    expect(existsSync(h.socketPath)).toBe(true);
    await Promise.all([h.close(), h.close()]);
    expect(existsSync(h.socketPath)).toBe(false);
    expect(existsSync(dirname(h.socketPath))).toBe(false);
  });

  it('calls a scheduling plugin\'s v1beta1 hooks with { version: \'v1beta1\' } (nodes in the request)', async () => {
    const plugin = definePlugin({
      name: 'big-nodes',
      type: 'SchedulerPlugin',
      capabilities: { weight: 2 },
      v1beta1: {
        Filter: (req) => ({ verdicts: req.nodes.map((n) => ((n.allocatable['cpu'] ?? 0) >= 8000 ? { code: 'SUCCESS' as const } : { code: 'UNSCHEDULABLE' as const, reason: 'too small' })) }),
        Score: (req) => ({ scores: req.nodes.map((n) => Math.min(100, Math.floor((n.allocatable['cpu'] ?? 0) / 160))) }),
      },
    });
    await expect(testPlugin(plugin)).rejects.toThrow(/does not serve \(it serves v1beta1\); pass \{ version: 'v1beta1' \}/);
    const h = await testPlugin(plugin, { version: 'v1beta1' });
    open.push(h);
    expect(h.version).toBe('v1beta1');
    const node = (name: string, cpu: number) => ({ name, labels: {}, taints: [], unschedulable: false, allocatable: { cpu }, requested: {} });
    const nodes = [node('small', 4000), node('big', 16000)];
    const filtered = await h.call('Filter', { podJson: Buffer.from('{}'), nodes });
    expect(filtered.verdicts).toEqual([{ code: 'UNSCHEDULABLE', reason: 'too small' }, { code: 'SUCCESS', reason: '' }]);
    expect((await h.call('Score', { podJson: Buffer.from('{}'), nodes })).scores).toEqual([25, 100]);
    expect(await h.capabilities()).toMatchObject({ implemented: ['Filter', 'Score'], weight: 2 });
    expect((await h.info()).supportedVersions).toEqual(['v1beta1']);
  });

  it('refuses something that is not a definition', async () => {
    const fake = { name: 'x', type: 'AdmissionPlugin' } as unknown as PluginDefinition<'AdmissionPlugin'>;
    await expect(testPlugin(fake)).rejects.toThrow(TypeError);
  });
});
