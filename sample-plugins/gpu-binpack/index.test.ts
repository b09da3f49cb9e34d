import { afterEach, describe, expect, it } from 'vitest';
import { packIndices } from '../../sdk/scheduling.js';
import { cleanup, servePluginProcess, startHost } from '../../test/helpers.js';

afterEach(cleanup);

const node = (index: number, name: string, gpus: number, used: number) => ({
  index, name, labels: {}, taints: [], unschedulable: false,
  allocatable: { cpu: 8000, memory: 32 << 30, 'nvidia.com/gpu': gpus }, requested: { 'nvidia.com/gpu': used }, nonZeroRequested: {},
});
const pod = (gpus: number) => Buffer.from(JSON.stringify({
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { containers: [{ name: 'c', image: 'x', resources: gpus ? { requests: { 'nvidia.com/gpu': String(gpus) } } : {} }] },
}));

describe('gpu-binpack sample', () => {
  it('registers with the host and filters and scores GPU nodes from its snapshot', async () => {
    const { host, socketDir } = await startHost();
    servePluginProcess('sample-plugins/gpu-binpack', socketDir);
    const status = await host.waitForPlugin('gpu-binpack', 15_000);
    expect(status).toMatchObject({ type: 'SchedulerPlugin', version: 'v1', state: 'active', healthy: true });

    const ack = await host.invoke<{ result: string; generation: number }>('gpu-binpack', 'SyncSnapshot', {
      generation: 7, indexEnd: 3, nodes: [node(0, 'cpu-only', 0, 0), node(1, 'gpu-busy', 4, 3), node(2, 'gpu-idle', 4, 0)],
    });
    expect(ack).toEqual({ result: 'OK', generation: 7 });

    const candidates = packIndices([0, 1, 2]);
    const filtered = await host.invoke<{ codes: Buffer; reasons: Record<string, string> }>('gpu-binpack', 'Filter',
      { snapshotGeneration: 7, podJson: pod(2), cycleId: 'u1/0', candidates });
    expect([...filtered.codes]).toEqual([2, 2, 0]);
    expect(filtered.reasons['1']).toMatch(/Insufficient nvidia.com\/gpu \(1 free, 2 requested\)/);

    const scored = await host.invoke<{ scores: Buffer }>('gpu-binpack', 'Score',
      { snapshotGeneration: 7, podJson: pod(0), cycleId: 'u2/0', candidates });
    expect([...scored.scores]).toEqual([100, 0, 0]);
  });

  it('answers FAILED_PRECONDITION for a snapshot generation it does not hold', async () => {
    const { host, socketDir } = await startHost();
    servePluginProcess('sample-plugins/gpu-binpack', socketDir);
    await host.waitForPlugin('gpu-binpack', 15_000);
    await expect(host.invoke('gpu-binpack', 'Filter', { snapshotGeneration: 99, podJson: pod(1), cycleId: 'x', candidates: packIndices([0]) }))
      .rejects.toMatchObject({ code: 'PLUGD_ERR_CALL_FAILED', plugin: 'gpu-binpack', grpcCode: 9 });
  });
});
