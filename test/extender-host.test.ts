/**
 * `plugd host --extender`: a real host process serving kube-scheduler's extender API for a
 * KubeSchedulerConfiguration profile whose dynamic plugin (the gpu-binpack sample, a real
 * plugin process) does the GPU work, driven with kube-scheduler-shaped bodies in both
 * nodeCacheCapable modes; the plugin's outage answered per its failure policy; the door
 * closing with the host. Also the library entry (serveExtender) under policy Ignore.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { serveExtender } from '../host/scheduling-host.js';
import { CLI, cleanup, LogCapture, servePluginProcess, spawnNode, startHost, tempDir, waitFor } from './helpers.js';
import { running, v1List, v1Node, v1Pod, type Json } from './kube-bodies.js';

afterEach(cleanup);

const GPU = 'nvidia.com/gpu';
const cpuOnly = v1Node('cpu-only', { cpu: '16', memory: '64Gi' });
const gpuA = v1Node('gpu-a', { cpu: '16', memory: '64Gi', [GPU]: '4' });
const gpuB = v1Node('gpu-b', { cpu: '16', memory: '64Gi', [GPU]: '4' });
const trainer = running(v1Pod('trainer', { cpu: '1', [GPU]: '3' }), 'gpu-a');

// Two profiles: --scheduler-name picks the second, where gpu-binpack alone judges GPUs.
const SCHEDULER_CONFIG = `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
- schedulerName: gpu-scheduler
  plugins:
    multiPoint:
      enabled:
      - name: gpu-binpack
    filter:
      disabled:
      - name: NodeResourcesFit
`;

function files(): { config: string; schedulerConfig: string; cluster: string } {
  const dir = tempDir('plugd-extender-files-');
  const config = join(dir, 'plugd.json');
  writeFileSync(config, JSON.stringify({ plugins: { 'gpu-binpack': { failurePolicy: 'Fail', timeoutMs: 2000 } }, registration: { unavailableWaitMs: 0 } }));
  const schedulerConfig = join(dir, 'scheduler.yaml');
  writeFileSync(schedulerConfig, SCHEDULER_CONFIG);
  const cluster = join(dir, 'cluster.yaml');
  writeFileSync(cluster, stringify(v1List([cpuOnly, gpuA, gpuB, trainer]), { indentSeq: false }));
  return { config, schedulerConfig, cluster };
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json };
}

describe('plugd host --extender (a real host process and a real plugin process)', () => {
  it('serves the profile named by --scheduler-name over --cluster state, both nodeCacheCapable modes, outage per policy, closes with the host', async () => {
    const socketDir = tempDir();
    const plugin = servePluginProcess('sample-plugins/gpu-binpack', socketDir);
    const f = files();
    const host = spawnNode(CLI, ['host', '--socket-dir', socketDir, '--admin', '127.0.0.1:0', '--log-level', 'info', '--log-format', 'json', '--config', f.config,
      '--extender', '127.0.0.1:0', '--scheduler-config', f.schedulerConfig, '--scheduler-name', 'gpu-scheduler', '--cluster', f.cluster]);
    const logs = new LogCapture();
    createInterface({ input: host.proc.stdout!, crlfDelay: Infinity }).on('line', (line) => {
      if (line.startsWith('{')) logs.write(`${line}\n`);
    });
    const base = String((await logs.waitFor('extender door serving', {}, 20_000)).url);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scheduler$/);
    expect(logs.find('extender door serving')[0]).toMatchObject({ profile: 'gpu-scheduler', dynamicPlugins: ['gpu-binpack'] });
    await waitFor(() => host.output.join('').includes(`plugd host: extender door serving ${base} (profile gpu-scheduler; dynamic plugins: gpu-binpack)`), 'the startup line on stderr');
    await logs.waitFor('plugin gpu-binpack active', {}, 20_000);

    // nodeCacheCapable: true — names only, looked up in the state --cluster seeded (trainer holds 3 of gpu-a's 4 GPUs).
    const twoGpus = v1Pod('two-gpus', { cpu: '500m', [GPU]: '2' });
    const byName = await post(`${base}/filter`, { Pod: twoGpus, Nodes: null, NodeNames: ['cpu-only', 'gpu-a', 'gpu-b'] });
    expect(byName.status).toBe(200);
    expect(byName.json).toEqual({
      Nodes: null,
      NodeNames: ['gpu-b'],
      FailedNodes: { 'cpu-only': `Insufficient ${GPU} (0 free, 2 requested)`, 'gpu-a': `Insufficient ${GPU} (1 free, 2 requested)` },
      FailedAndUnresolvableNodes: {},
      Error: '',
    });

    // nodeCacheCapable: false — full Node objects, one of them new to plugd (upserted, then judged).
    const gpuC = v1Node('gpu-c', { cpu: '16', memory: '64Gi', [GPU]: '8' });
    const byObject = await post(`${base}/filter`, { Pod: twoGpus, Nodes: { metadata: {}, items: [gpuA, gpuC] }, NodeNames: null });
    expect(byObject.status).toBe(200);
    expect((byObject.json.Nodes as { items: Json[] }).items.map((n) => (n.metadata as Json).name)).toEqual(['gpu-c']);
    expect(byObject.json.NodeNames).toBeNull();
    expect(byObject.json.FailedNodes).toEqual({ 'gpu-a': `Insufficient ${GPU} (1 free, 2 requested)` });

    // prioritize: gpu-binpack (weight 2) packs a 1-GPU pod onto the fuller gpu-a.
    const oneGpu = v1Pod('one-gpu', { cpu: '500m', [GPU]: '1' });
    const prio = await post(`${base}/prioritize`, { Pod: oneGpu, Nodes: null, NodeNames: ['gpu-a', 'gpu-b'] });
    expect(prio.status).toBe(200);
    const scores = Object.fromEntries((prio.json as unknown as { Host: string; Score: number }[]).map((h) => [h.Host, h.Score]));
    expect(scores['gpu-a']).toBeGreaterThan(scores['gpu-b']!);

    // preempt: gpu-binpack judges gpu-a from its snapshot, trainer included (1 GPU free), so its
    // Unschedulable cannot drop the node: evicting the trainer is what would make room.
    const preempt = await post(`${base}/preempt`, { Pod: twoGpus, NodeNameToVictims: null, NodeNameToMetaVictims: { 'gpu-a': { Pods: [{ UID: 'uid-trainer' }], NumPDBViolations: 0 } } });
    expect(preempt).toEqual({ status: 200, json: { NodeNameToMetaVictims: { 'gpu-a': { Pods: [{ UID: 'uid-trainer' }], NumPDBViolations: 0 } } } });

    // The plugin goes away: failurePolicy Fail answers 200 with Error naming it.
    plugin.kill('SIGKILL');
    await plugin.exited;
    const down = await waitFor(async () => {
      const r = await post(`${base}/filter`, { Pod: twoGpus, Nodes: null, NodeNames: ['gpu-a', 'gpu-b'] });
      return r.json.Error !== '' ? r : undefined;
    }, 'the filter verb to report the outage', 15_000);
    expect(down.status).toBe(200);
    expect(down.json.Error).toMatch(/gpu-binpack/);
    expect(down.json.Error).toMatch(/failurePolicy Fail/);
    expect(down.json.NodeNames).toBeNull();

    // SIGTERM: host.stop() closes the door; the process exits cleanly.
    host.kill('SIGTERM');
    expect(await host.exited).toEqual({ code: 0, signal: null });
    await expect(fetch(`${base}/filter`, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('refuses --cluster without --extender, and an unknown --scheduler-name, with a clear message', async () => {
    const f = files();
    const noDoor = spawnNode(CLI, ['host', '--socket-dir', tempDir(), '--admin', '127.0.0.1:0', '--cluster', f.cluster]);
    expect((await noDoor.exited).code).toBe(2);
    expect(noDoor.output.join('')).toMatch(/--cluster configure the extender door: they need --extender HOST:PORT/);
    const unknown = spawnNode(CLI, ['host', '--socket-dir', tempDir(), '--admin', '127.0.0.1:0', '--extender', '127.0.0.1:0', '--scheduler-config', f.schedulerConfig, '--scheduler-name', 'nope']);
    expect((await unknown.exited).code).toBe(1);
    expect(unknown.output.join('')).toMatch(/no profile has schedulerName "nope" \(profiles: default-scheduler, gpu-scheduler\)/);
  });
});

describe('serveExtender (library)', () => {
  it('failurePolicy Ignore: the plugin not registered yet is left out; once it registers it judges', async () => {
    const { host, socketDir } = await startHost({ admin: false, config: { plugins: { 'gpu-binpack': { failurePolicy: 'Ignore' } }, registration: { unavailableWaitMs: 0 } } });
    for (const n of [cpuOnly, gpuA, gpuB]) host.cluster.addNode(n);
    const door = await serveExtender(host, { listen: '127.0.0.1:0', schedulerConfig: { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration',
      profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'gpu-binpack' }] }, filter: { disabled: [{ name: 'NodeResourcesFit' }] } } }] } });
    expect(door.dynamicPlugins).toEqual(['gpu-binpack']);
    const url = `${door.url}${door.door.prefix}/filter`;
    const pod = v1Pod('two-gpus', { cpu: '500m', [GPU]: '2' });

    const absent = await post(url, { Pod: pod, NodeNames: ['cpu-only', 'gpu-a', 'gpu-b'] });
    expect(absent.json).toMatchObject({ Error: '', NodeNames: ['cpu-only', 'gpu-a', 'gpu-b'] });

    servePluginProcess('sample-plugins/gpu-binpack', socketDir);
    await host.waitForPlugin('gpu-binpack', 15_000);
    const present = await post(url, { Pod: pod, NodeNames: ['cpu-only', 'gpu-a', 'gpu-b'] });
    expect(present.json).toMatchObject({ Error: '', NodeNames: ['gpu-a', 'gpu-b'] });
    expect(Object.keys(present.json.FailedNodes as Json)).toEqual(['cpu-only']);

    await host.stop();
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });
});
