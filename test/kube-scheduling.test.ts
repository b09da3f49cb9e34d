/**
 * A dynamic scheduling plugin fed from an API server: the gpu-binpack sample (a real plugin
 * process) decides on node state that reached host.cluster through the informers, first as
 * a full snapshot, then as deltas after watch events. No kube-apiserver runs on these
 * machines: test/fixtures/kube/apiserver.ts serves the list/watch protocol in its place.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kubeConfigFromFile, watchCluster } from '../host/kube/index.js';
import { Code } from '../host/scheduling/builtins/types.js';
import { dynamicResolver } from '../host/scheduling/dynamic.js';
import { Framework, type Profile } from '../host/scheduling/framework.js';
import { extractPod } from '../host/scheduling/pod.js';
import { loadSchedulerConfiguration, SchedulerConfigAPIVersion, SchedulerConfigKind } from '../host/scheduling/profile.js';
import { SnapshotFeeder } from '../host/scheduling/snapshot-feed.js';
import { cleanup, onCleanup, servePluginProcess, startHost, tempDir, waitFor } from './helpers.js';
import { FakeApiServer, kubeconfigYaml, nodeObject, podObject } from './fixtures/kube/apiserver.js';

afterEach(cleanup);

const GPU = 'nvidia.com/gpu';

describe('scheduling plugins on the API server\'s nodes', () => {
  it('gpu-binpack sees nodes and pods listed from the API server, then the watch\'s changes as deltas', async () => {
    const api = await new FakeApiServer({ token: 't' }).listen();
    onCleanup(() => api.close());
    api.put('nodes', nodeObject('cpu-only', { cpu: '16', memory: '64Gi' }));
    api.put('nodes', nodeObject('gpu-a', { cpu: '16', memory: '64Gi', extra: { [GPU]: '4' } }));
    api.put('nodes', nodeObject('gpu-b', { cpu: '16', memory: '64Gi', extra: { [GPU]: '4' } }));
    api.put('pods', podObject('trainer', { nodeName: 'gpu-a', cpu: '1', extra: { [GPU]: '3' } }));
    const kubeconfig = join(tempDir('plugd-kube-'), 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(api.url, { token: 't', insecure: true }));

    const { host, socketDir } = await startHost();
    servePluginProcess('sample-plugins/gpu-binpack', socketDir);
    const cw = watchCluster(host, kubeConfigFromFile(kubeconfig));
    onCleanup(() => cw.stop());
    await Promise.all([cw.synced, host.waitForPlugin('gpu-binpack', 15_000)]);

    const feeder = new SnapshotFeeder(host);
    const doc = { apiVersion: SchedulerConfigAPIVersion, kind: SchedulerConfigKind,
      profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'gpu-binpack' }] }, filter: { disabled: [{ name: 'NodeResourcesFit' }] } } }] };
    const profile = loadSchedulerConfiguration(doc, { resolve: dynamicResolver(host, feeder) }).profiles[0] as Profile;
    const fw = new Framework(profile, host.cluster, { seed: 1 });
    const schedule = (name: string, gpus: number) => {
      const json = podObject(name, { cpu: '100m', extra: { [GPU]: String(gpus) } });
      return fw.scheduleOne(extractPod(json), json);
    };

    // Only the plugin filters on GPUs here: gpu-a's 3 used GPUs came from the listed trainer pod.
    const r1 = await schedule('two-gpus', 2);
    expect(r1.node).toBe('gpu-b');
    expect(r1.filtered.get('gpu-a')).toMatchObject({ code: Code.Unschedulable, plugin: 'gpu-binpack', reasons: [`Insufficient ${GPU} (1 free, 2 requested)`] });

    // The trainer finishes and a bigger node joins: both reach the plugin as a delta.
    const gen = host.cluster.generation;
    api.delete('pods', 'default/trainer');
    api.put('nodes', nodeObject('gpu-c', { cpu: '32', memory: '128Gi', extra: { [GPU]: '8' } }));
    await waitFor(() => host.cluster.node('gpu-c') && host.cluster.node('gpu-a')?.podCount === 0, 'the watch events');
    expect(host.cluster.generation).toBeGreaterThan(gen);

    const r2 = await schedule('six-gpus', 6);
    expect(r2.node).toBe('gpu-c');
    const r3 = await schedule('four-gpus', 4);
    expect(r3.node).toBe('gpu-a');
    expect(feeder.stats('gpu-binpack')).toMatchObject({ fullSyncs: 1, stale: 0 });
    expect(feeder.stats('gpu-binpack').deltas).toBeGreaterThanOrEqual(2);
  });
});
