/**
 * `plugd host --kubeconfig FILE` as a real process against an API server. No kube-apiserver
 * runs on these machines: the server is test/fixtures/kube/apiserver.ts, a local HTTP server speaking
 * kube-apiserver's list/watch protocol (paged Lists, chunked watch events, bearer tokens).
 * What an operator sees is checked: /readyz, GET /cluster, the log lines, the exit on a bad
 * kubeconfig.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cleanup, LogCapture, onCleanup, spawnNode, tempDir, waitFor } from './helpers.js';
import { FakeApiServer, kubeconfigYaml, namespaceObject, nodeObject, podObject } from './fixtures/kube/apiserver.js';

afterEach(cleanup);

const TOKEN = 'plugd-host-process-token';

function hostProcess(args: string[]): { logs: LogCapture; adminUrl: () => Promise<string>; output: string[]; exited: Promise<{ code: number | null }> } {
  const p = spawnNode(CLI, ['host', '--socket-dir', tempDir(), '--admin', '127.0.0.1:0', '--log-level', 'info', '--log-format', 'json', ...args]);
  const logs = new LogCapture();
  createInterface({ input: p.proc.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    if (line.startsWith('{')) logs.write(`${line}\n`);
  });
  return { logs, output: p.output, exited: p.exited, adminUrl: async () => String((await logs.waitFor('plugd host started', {}, 20_000)).admin) };
}

interface ClusterSummary {
  nodes: number;
  pods: number;
  generation: number;
  synced: boolean;
  sources: Array<{ name: string; synced: boolean; resources: Array<{ resource: string; synced: boolean }> }>;
}

async function cluster(admin: string): Promise<ClusterSummary> {
  return (await (await fetch(`${admin}/cluster`)).json()) as ClusterSummary;
}

describe('plugd host --kubeconfig', () => {
  it('lists and watches the API server: /cluster shows its nodes and pods, /readyz follows the initial sync', async () => {
    const api = await new FakeApiServer({ token: TOKEN }).listen();
    onCleanup(() => api.close());
    api.put('namespaces', namespaceObject('default'));
    api.put('nodes', nodeObject('node-a'));
    api.put('nodes', nodeObject('node-b', { cpu: '8', memory: '32Gi' }));
    api.put('pods', podObject('web-1', { nodeName: 'node-a', cpu: '250m', memory: '128Mi' }));
    // The first pods list fails: the host must not be ready until the retry has synced.
    api.failNext('pods', 'list', 503, 'ServiceUnavailable');
    const kubeconfig = join(tempDir('plugd-kube-'), 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(api.url, { token: TOKEN, insecure: true }));

    const host = hostProcess(['--kubeconfig', kubeconfig]);
    const admin = await host.adminUrl();
    await host.logs.waitFor('cluster state synced: 2 nodes, 1 pods', {}, 20_000);
    expect(host.logs.find('list pods failed')).toHaveLength(1);
    expect((await fetch(`${admin}/readyz`)).status).toBe(200);
    const first = await cluster(admin);
    expect(first).toMatchObject({ nodes: 2, pods: 1, synced: true });
    expect(first.sources[0]!.name).toBe(`kube-apiserver ${api.url}`);
    expect(first.sources[0]!.resources.map((r) => r.resource)).toEqual(['nodes', 'pods', 'namespaces']);

    api.put('nodes', nodeObject('node-c'));
    api.delete('nodes', 'node-a');
    const after = await waitFor(async () => {
      const c = await cluster(admin);
      return c.nodes === 2 && c.generation > first.generation ? c : undefined;
    }, 'the watch events to reach the host', 15_000);
    expect(after.nodes).toBe(2);
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('with --extender, kube-scheduler\'s NodeNames (nodeCacheCapable) resolve against the nodes the informers keep', async () => {
    const api = await new FakeApiServer({ token: TOKEN }).listen();
    onCleanup(() => api.close());
    api.put('nodes', nodeObject('node-a', { cpu: '4', memory: '16Gi' }));
    api.put('nodes', nodeObject('node-b', { cpu: '8', memory: '16Gi' }));
    api.put('pods', podObject('busy', { nodeName: 'node-b', cpu: '1', memory: '1Gi' }));
    const kubeconfig = join(tempDir('plugd-kube-'), 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(api.url, { token: TOKEN, insecure: true }));
    const host = hostProcess(['--kubeconfig', kubeconfig, '--extender', '127.0.0.1:0']);
    const base = String((await host.logs.waitFor('extender door serving', {}, 20_000)).url);
    await host.logs.waitFor('cluster state synced', {}, 20_000);
    const filter = async (names: string[]) => {
      const res = await fetch(`${base}/filter`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Pod: podObject('big', { cpu: '6', memory: '1Gi' }), Nodes: null, NodeNames: names }) });
      return (await res.json()) as { NodeNames: string[] | null; FailedNodes: Record<string, string>; FailedAndUnresolvableNodes: Record<string, string>; Error: string };
    };
    // node-b: 8 cpus, 1 taken by the pod the informer listed: 6 fit; node-a's 4 do not.
    const first = await filter(['node-a', 'node-b']);
    expect(first).toMatchObject({ NodeNames: ['node-b'], Error: '' });
    // 6 cpus exceed node-a's whole allocatable: kube calls that unresolvable.
    expect(first.FailedAndUnresolvableNodes['node-a']).toBe('Insufficient cpu');

    // A node joins through the watch; another pod fills node-b.
    api.put('nodes', nodeObject('node-c', { cpu: '16', memory: '64Gi' }));
    api.put('pods', podObject('filler', { nodeName: 'node-b', cpu: '4', memory: '1Gi' }));
    const next = await waitFor(async () => {
      const r = await filter(['node-a', 'node-b', 'node-c']);
      return r.NodeNames?.length === 1 && r.NodeNames[0] === 'node-c' ? r : undefined;
    }, 'the door to see node-c and the filler pod', 15_000);
    expect(next.FailedNodes['node-b']).toBe('Insufficient cpu');
  });

  it('refuses --cluster FILE together with --kubeconfig: both would feed the cluster state', async () => {
    const host = hostProcess(['--kubeconfig', '/x', '--extender', '127.0.0.1:0', '--cluster', '/y']);
    const { code } = await host.exited;
    expect(code).toBe(2);
    expect(host.output.join('')).toContain('--cluster FILE and --kubeconfig/--in-cluster both feed the cluster state: pick one');
  });

  it('exits 1 naming the file when the kubeconfig is unusable', async () => {
    const bad = join(tempDir('plugd-kube-'), 'kubeconfig');
    writeFileSync(bad, kubeconfigYaml('http://127.0.0.1:6443', { token: TOKEN }));
    const host = hostProcess(['--kubeconfig', bad]);
    const { code } = await host.exited;
    expect(code).toBe(1);
    expect(host.output.join('')).toContain(`plugd: kubeconfig ${bad}: cluster "kind-plugd": plain http server http://127.0.0.1:6443 needs insecure-skip-tls-verify: true`);
    expect(host.output.join('')).toContain('[PLUGD_ERR_KUBE_CONFIG]');
  });

  it('refuses --kubeconfig together with --in-cluster', async () => {
    const host = hostProcess(['--kubeconfig', '/x', '--in-cluster']);
    const { code } = await host.exited;
    expect(code).toBe(1);
    expect(host.output.join('')).toContain('--kubeconfig and --in-cluster exclude each other');
  });
});
