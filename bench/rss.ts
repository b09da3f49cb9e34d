/**
 * rss: the resident memory of `plugd host` in a process of its own (no bench code in it),
 * read from /proc/PID/status, idle with no plugin and then with 100 SDK plugins registered
 * (checked on the admin server's /plugins: all 100 active and healthy).
 */
import { Farm } from './support/farm.js';
import { sleep } from './support/clock.js';
import { benchScript, Child, procStatusBytes, removeDir, tempDir } from './support/procs.js';
import { median, table } from './support/stats.js';
import { goal, info, type Progress, type Suite, type SuiteResult } from './support/suite.js';

const PLUGINS = 100;
const GOAL_MB = 150;
const MB = 1024 * 1024;

interface PluginRow {
  name: string;
  state: string;
  healthy: boolean;
}

async function activePlugins(adminUrl: string): Promise<number> {
  const res = await fetch(`${adminUrl}/plugins`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${adminUrl}/plugins: HTTP ${res.status}`);
  const rows = (await res.json()) as PluginRow[];
  return rows.filter((r) => r.state === 'active' && r.healthy).length;
}

/** The median of `n` VmRSS samples `gapMs` apart, in bytes. */
async function sampleRss(pid: number, n: number, gapMs: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0) await sleep(gapMs);
    samples.push(await procStatusBytes(pid, 'VmRSS'));
  }
  return median(samples);
}

const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

export const rss: Suite = {
  name: 'rss',
  title: `plugd host RSS in its own process, idle and with ${PLUGINS} plugins`,
  async run(progress: Progress): Promise<SuiteResult> {
    const socketDir = tempDir('plugd-bench-rss-');
    const host = new Child('plugd host', benchScript('support/host-child.js'),
      ['host', '--socket-dir', socketDir, '--admin', '127.0.0.1:0', '--log-level', 'info', '--log-format', 'json'], { PLUGD_LOG_LEVEL: 'info', PLUGD_BENCH_OWNED_DIR: socketDir });
    let farm: Farm | undefined;
    try {
      const started = await host.waitFor((m) => m.msg === 'plugd host started', '"plugd host started" log line', 20_000);
      const adminUrl = String(started.admin);
      progress(`host pid ${host.pid} serving admin at ${adminUrl}; letting it settle`);
      await sleep(1500);
      const before = await sampleRss(host.pid, 3, 250);

      farm = await Farm.start({ socketDir, prefix: 'rss', total: PLUGINS, shards: 2, intervalMs: 0 });
      await farm.go(30_000);
      const deadline = Date.now() + 30_000;
      let active = 0;
      while ((active = await activePlugins(adminUrl)) < PLUGINS) {
        if (Date.now() > deadline) throw new Error(`only ${active}/${PLUGINS} plugins active on ${adminUrl}/plugins after 30 s`);
        await sleep(100);
      }
      progress(`${active}/${PLUGINS} plugins active on /plugins; letting the host settle`);
      await sleep(2000);
      const after = await sampleRss(host.pid, 5, 300);
      const peak = await procStatusBytes(host.pid, 'VmHWM');
      const stillActive = await activePlugins(adminUrl);
      if (stillActive !== PLUGINS) throw new Error(`${stillActive}/${PLUGINS} plugins active after sampling`);

      const report = table(['state', 'VmRSS (median of samples)'], [
        ['idle, 0 plugins', mb(before)],
        [`${PLUGINS} plugins active`, mb(after)],
        ['per plugin', `${((after - before) / PLUGINS / 1024).toFixed(0)} kB`],
        ['peak (VmHWM)', mb(peak)],
      ]);
      return {
        data: { plugins: PLUGINS, activeOnAdmin: stillActive, rssBeforeBytes: before, rssAfterBytes: after, peakBytes: peak, perPluginBytes: Math.round((after - before) / PLUGINS) },
        report,
        summary: [
          info('host RSS, idle with 0 plugins', mb(before)),
          goal(`host RSS with ${PLUGINS} plugins`, mb(after), `≤ ${GOAL_MB} MB`, after <= GOAL_MB * MB),
          info('host peak RSS (VmHWM)', mb(peak)),
        ],
      };
    } finally {
      await farm?.stop();
      await host.stop(10_000);
      removeDir(socketDir);
    }
  },
};
