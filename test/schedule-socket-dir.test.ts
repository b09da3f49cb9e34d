/**
 * `plugd schedule --socket-dir DIR`: the what-if run with dynamic plugins. A real `plugd
 * schedule` process starts an embedded host on DIR, waits for the plugins the profile names,
 * and schedules with them: the gang-permit sample (a real plugin process) holds gang members at
 * Permit while the pods behind them are scheduled, binds a complete gang, and rejects an
 * incomplete one at its timeout. A plugin that never registers is a clear error naming it.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CLI, cleanup, ROOT, spawnNode, tempDir } from './helpers.js';
import { v1List, v1Node, v1Pod } from './kube-bodies.js';

afterEach(cleanup);

async function plugd(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'schedule', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const member = (name: string, group: string, min: number) =>
  v1Pod(name, { cpu: '500m' }, { labels: { 'pod-group.scheduling.sigs.k8s.io/name': group, 'pod-group.scheduling.sigs.k8s.io/min-available': String(min) } });

function files(): { cluster: string; pods: string; config: string } {
  const dir = tempDir('plugd-schedule-files-');
  const cluster = join(dir, 'cluster.yaml');
  writeFileSync(cluster, stringify(v1List([v1Node('n1', { cpu: '4', memory: '8Gi' }), v1Node('n2', { cpu: '4', memory: '8Gi' })]), { indentSeq: false }));
  // Multi-document YAML: the pods in order. "big" needs 3 members and has 2; "pair" completes
  // only with its last member, which comes after a pod outside any group.
  const pods = join(dir, 'pods.yaml');
  writeFileSync(pods, [member('pair-0', 'pair', 2), member('big-0', 'big', 3), v1Pod('solo', { cpu: '100m' }), member('big-1', 'big', 3), member('pair-1', 'pair', 2)]
    .map((p) => stringify(p, { indentSeq: false })).join('---\n'));
  const config = join(dir, 'scheduler.yaml');
  writeFileSync(config, 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- plugins:\n    multiPoint:\n      enabled:\n      - name: gang-permit\n');
  return { cluster, pods, config };
}

describe('plugd schedule --socket-dir', () => {
  it('schedules with the profile\'s dynamic plugin: a complete gang binds, an incomplete one times out, others are not held up', async () => {
    const socketDir = tempDir();
    spawnNode(CLI, ['serve', 'sample-plugins/gang-permit', '--socket-dir', socketDir], { GANG_PERMIT_WAIT_MS: '1500' });
    const f = files();
    const r = await plugd('--cluster', f.cluster, '--pods', f.pods, '--config', f.config, '--socket-dir', socketDir, '--plugin-timeout', '20000', '--seed', '1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^default\/pair-0 → n[12]$/);
    expect(lines[1]).toBe('default/big-0: not scheduled: gang-permit: rejected due to timeout after waiting 1.5s at plugin gang-permit');
    expect(lines[2]).toMatch(/^default\/solo → n[12]$/);
    expect(lines[3]).toMatch(/^default\/big-1: not scheduled: gang-permit: (pod group default\/big: member default\/big-0 was unreserved|rejected due to timeout)/);
    expect(lines[4]).toMatch(/^default\/pair-1 → n[12]$/);
  });

  it('a plugin the profile names that never registers: exit 1 naming it, after --plugin-timeout', async () => {
    const f = files();
    const socketDir = tempDir();
    const started = Date.now();
    const r = await plugd('--cluster', f.cluster, '--pods', f.pods, '--config', f.config, '--socket-dir', socketDir, '--plugin-timeout', '300');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`plugd schedule: --socket-dir ${socketDir}: plugin gang-permit named by the profile did not register within 300 ms (registered there: none) [PLUGD_ERR_PLUGIN_UNAVAILABLE]\n`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('without --socket-dir a dynamic plugin name is an unknown plugin', async () => {
    const f = files();
    const r = await plugd('--cluster', f.cluster, '--pods', f.pods, '--config', f.config);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/profiles\[0\]\.plugins\.multiPoint\.enabled\[0\]\.name: Unsupported value: "gang-permit": no built-in or dynamic plugin of that name/);
  });
});

