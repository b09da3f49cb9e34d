/**
 * `kubectl -o yaml` everywhere plugd schedule takes a Kubernetes document: a List, multi-doc
 * YAML of single objects, and a KubeSchedulerConfiguration in YAML, each giving the same
 * outcome as its JSON twin (a real `plugd schedule` process).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../paths.js';
import { parseKubeDocuments } from './kube-docs.js';

const ROOT = packageRoot();
const CLI = join(ROOT, 'bin', 'plugd.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'scheduling');
const dir = mkdtempSync(join(tmpdir(), 'plugd-yaml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function plugd(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'schedule', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('plugd schedule reads kubectl -o yaml', () => {
  it('a YAML List and multi-document YAML schedule exactly as their JSON twins', async () => {
    const json = await plugd('--cluster', join(FIXTURES, 'cluster.json'), '--pods', join(FIXTURES, 'pending.json'), '--seed', '1', '--json');
    const yaml = await plugd('--cluster', join(FIXTURES, 'cluster.yaml'), '--pods', join(FIXTURES, 'pending.yaml'), '--seed', '1', '--json');
    expect(json.code).toBe(0);
    expect(yaml.code).toBe(0);
    expect(JSON.parse(yaml.stdout)).toEqual(JSON.parse(json.stdout));
    expect((JSON.parse(yaml.stdout) as { results: unknown[] }).results).toHaveLength(6);
  });

  it('--config takes a KubeSchedulerConfiguration in YAML (MostAllocated flips a choice)', async () => {
    const nodes = join(dir, 'nodes.yaml');
    writeFileSync(nodes, `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: n4}
  status: {allocatable: {cpu: 4000m, memory: "10000", pods: "110"}}
- apiVersion: v1
  kind: Node
  metadata: {name: n6}
  status: {allocatable: {cpu: 6000m, memory: "10000", pods: "110"}}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default, uid: u-p}
spec:
  containers:
  - name: c
    image: x
    resources: {requests: {cpu: 3000m, memory: "5000"}}
`);
    const config = join(dir, 'most.yaml');
    writeFileSync(config, `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  plugins:
    score:
      enabled:
      - name: NodeResourcesFit
        weight: 5
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
`);
    expect((await plugd('--cluster', nodes, '--pods', nodes, '--seed', '1')).stdout.trim()).toBe('default/p → n6');
    const r = await plugd('--cluster', nodes, '--pods', nodes, '--seed', '1', '--config', config);
    expect(r.stdout.trim()).toBe('default/p → n4');
  });

  it('a bad YAML config is refused naming the file and the line', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: a\n  schedulerName: b\n');
    const r = await plugd('--cluster', join(FIXTURES, 'cluster.yaml'), '--pods', join(FIXTURES, 'pending.yaml'), '--config', config);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml: not valid YAML at line 5: .*[Mm]ap keys must be unique/);
  });
});

describe('parseKubeDocuments', () => {
  it('drops empty documents, labels documents of a multi-doc file, keeps quantities as kubectl wrote them', () => {
    const docs = parseKubeDocuments('---\nkind: Node\nmetadata: {name: a}\nstatus: {allocatable: {cpu: "4", memory: 8Gi}}\n---\n---\nkind: Pod\n', 'f.yaml');
    expect(docs.map((d) => d.source)).toEqual(['f.yaml (document 1)', 'f.yaml (document 3)']);
    expect(docs[0]?.doc).toEqual({ kind: 'Node', metadata: { name: 'a' }, status: { allocatable: { cpu: '4', memory: '8Gi' } } });
  });

  it('parses JSON as JSON, with JSON\'s error', () => {
    expect(parseKubeDocuments(' {"kind":"List","items":[]}', 'x')).toEqual([{ doc: { kind: 'List', items: [] }, source: 'x' }]);
    expect(() => parseKubeDocuments('{"kind":', 'x.json')).toThrow(/^x\.json: not valid JSON/);
  });
});
