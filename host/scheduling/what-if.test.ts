import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../paths.js';
import { makeNodeJson, makePod } from './builtins/testing.js';
import { listItems, loadCluster, readListFile, whatIf } from './what-if.js';

const ROOT = packageRoot();
const CLI = join(ROOT, 'bin', 'plugd.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'scheduling');
const CLUSTER = join(FIXTURES, 'cluster.json');
const PENDING = join(FIXTURES, 'pending.json');

async function plugd(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'schedule', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const TEXT = [
  'default/web-1 → worker-b',
  'default/big-1: no node fits: 0/5 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu, 2 node(s) had untolerated taint(s).',
  'ml/train-1 → gpu-1',
  'ml/train-2: no node fits: 0/5 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) had untolerated taint(s), ' +
    '1 node(s) were unschedulable, 3 Insufficient nvidia.com/gpu.',
  'default/ssd-app-1 → worker-a',
  'default/zone-pref-1 → worker-b',
  'batch/custom-1: skipped: no profile has schedulerName "batch-scheduler"',
];

describe('plugd schedule (a real process on a kubectl List fixture)', () => {
  it('prints the chosen node or kube-style reasons per pending pod, in file order', async () => {
    const r = await plugd('--cluster', CLUSTER, '--pods', PENDING, '--seed', '1');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual(TEXT);
  });

  it('--json prints results with normalized per-plugin scores, totals and filter reasons', async () => {
    const r = await plugd('--cluster', CLUSTER, '--pods', PENDING, '--seed', '1', '--json');
    expect(r.code).toBe(0);
    const { results } = JSON.parse(r.stdout) as { results: { pod: string; node: string | null; scores: Record<string, unknown>; filtered: Record<string, string> }[] };
    expect(results.map((x) => [x.pod, x.node])).toEqual([
      ['default/web-1', 'worker-b'],
      ['default/big-1', null],
      ['ml/train-1', 'gpu-1'],
      ['ml/train-2', null],
      ['default/ssd-app-1', 'worker-a'],
      ['default/zone-pref-1', 'worker-b'],
    ]);
    // web-1 (500m, 512Mi). worker-a: 4 cpu / 16Gi with 2100m and 8Gi+70Mi requested; worker-b: 8 / 32Gi with 1000m
    // and 2Gi (the Succeeded pod does not count). LeastAllocated a = (35 + 46) / 2 = 40, b = (81 + 92) / 2 = 86.
    expect(results[0]).toEqual({
      pod: 'default/web-1',
      node: 'worker-b',
      scores: {
        'worker-a': { total: 3 * 100 + 40 + 94, plugins: { TaintToleration: 100, NodeResourcesFit: 40, NodeResourcesBalancedAllocation: 94 } },
        'worker-b': { total: 3 * 100 + 86 + 94, plugins: { TaintToleration: 100, NodeResourcesFit: 86, NodeResourcesBalancedAllocation: 94 } },
      },
      filtered: {
        'control-plane': 'node(s) had untolerated taint(s)',
        'worker-c': 'node(s) were unschedulable',
        'gpu-1': 'node(s) had untolerated taint(s)',
      },
    });
    // train-2 finds gpu-1 full because train-1 was bound there first.
    expect(results[3]?.filtered['gpu-1']).toBe('Insufficient nvidia.com/gpu');
    expect(results[2]?.scores).toEqual({}); // one feasible node: kube skips scoring
    expect(results[5]?.scores['worker-b']).toMatchObject({ plugins: { NodeAffinity: 100 } });
    expect(results[5]?.scores['worker-a']).toMatchObject({ plugins: { NodeAffinity: 0 } });
    expect(r.stderr).toContain('batch/custom-1: skipped');
  });

  it('takes a KubeSchedulerConfiguration with --config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugd-whatif-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      profiles: [
        { schedulerName: 'default-scheduler', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } }] },
        { schedulerName: 'batch-scheduler', plugins: { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'NodeResourcesFit' }, { name: 'DefaultBinder' }] } } },
      ],
    }));
    const r = await plugd('--cluster', CLUSTER, '--pods', PENDING, '--config', config, '--seed', '1');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    // MostAllocated packs web-1 onto the fuller worker-a; batch-scheduler's profile ignores taints and cordons.
    expect(lines[0]).toBe('default/web-1 → worker-a');
    expect(lines[6]).toMatch(/^batch\/custom-1 → /);
    expect(r.stderr).toBe('');
  });

  it.each([
    ['a missing flag', ['--cluster', CLUSTER], 2, /--cluster and --pods are required/],
    ['a missing file', ['--cluster', '/nonexistent.json', '--pods', PENDING], 1, /nonexistent\.json: ENOENT.*\[PLUGD_ERR_WHATIF_INPUT\]/],
    ['an invalid config', ['--cluster', CLUSTER, '--pods', PENDING, '--config', CLUSTER], 1, /apiVersion: Unsupported value: "v1".*\[PLUGD_ERR_PROFILE_INVALID\]/],
  ])('exits non-zero on %s', async (_name, args, code, stderr) => {
    const r = await plugd(...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(stderr);
  });

  it('says in --help that it reads JSON or YAML', async () => {
    const r = await plugd('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Files are JSON or YAML/);
  });
});

describe('loading kubectl output', () => {
  it('names the file and line of malformed YAML, and the file of malformed JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugd-whatif-'));
    const y = join(dir, 'c.yaml');
    writeFileSync(y, 'apiVersion: v1\nkind: List\nitems:\n  - kind: Node\n   metadata: {}\n');
    expect(() => readListFile(y)).toThrow(/c\.yaml: not valid YAML at line \d+/);
    const j = join(dir, 'c.json');
    writeFileSync(j, '{"kind": "List", "items": [}');
    expect(() => readListFile(j)).toThrow(/c\.json: not valid JSON/);
  });

  it('names the item of a malformed pod', () => {
    const bad = { kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'x', namespace: 'd' }, spec: { containers: [{ resources: { requests: { cpu: 'lots' } } }] } }] };
    expect(() => loadCluster(listItems(bad, 'f.json'))).toThrow(/^f\.json: items\[0\] \(Pod d\/x\): spec\.containers\[0\]\.resources\.requests\.cpu: invalid quantity "lots"/);
  });

  it('accepts NodeList/PodList items without kind, and schedules pods in order, each bound before the next', async () => {
    const nodes = { kind: 'NodeList', items: [makeNodeJson('n1', { cpu: '1', memory: '1Gi', pods: '110' })].map(({ kind: _k, ...rest }) => rest) };
    const pods = { kind: 'PodList', items: ['a', 'b'].map((n) => makePod().name(n).req({ cpu: '600m' }).json()).map(({ kind: _k, ...rest }) => rest) };
    const cluster = loadCluster([...listItems(nodes, 'n'), ...listItems(pods, 'p')]);
    const out = await whatIf(cluster, { seed: 1 });
    expect(out.map((o) => [o.pod, o.result?.node, o.result?.message])).toEqual([
      ['default/a', 'n1', ''],
      ['default/b', null, '0/1 nodes are available: 1 Insufficient cpu.'],
    ]);
  });
});
