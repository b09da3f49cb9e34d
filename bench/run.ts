/**
 * `npm run bench`: runs the suites in order (discovery, proxy, rss, swap, scoring-pool, scheduling, status, ipam, kube-informer), prints each one's table
 * and a summary of metric, value, goal and pass/fail on stdout, progress on stderr, and
 * writes everything to bench/results/<timestamp>.json.
 *
 *   npm run bench                      every suite (1–3 minutes on 2 cores, with the load)
 *   npm run bench -- --only proxy      one suite
 *
 * Exits 1 when a suite failed to run (a goal missed is a row marked FAIL, not an error).
 * Every child process and temp directory is gone when it exits, on errors and signals too.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../host/paths.js';
import { admission } from './admission.js';
import { discovery } from './discovery.js';
import { ipam } from './ipam.js';
import { networking } from './networking.js';
import { kubeInformer } from './kube-informer.js';
import { proxy } from './proxy.js';
import { rss } from './rss.js';
import { scheduling } from './scheduling.js';
import { scoringPool } from './scheduling-pool.js';
import { status } from './status.js';
import { swap } from './swap.js';
import { cleanupAll, cleanupSync } from './support/procs.js';
import { table } from './support/stats.js';
import type { Suite, SummaryRow } from './support/suite.js';

const SUITES: readonly Suite[] = [discovery, proxy, rss, swap, scoringPool, scheduling, status, networking, ipam, kubeInformer, admission];
const USAGE = `usage: npm run bench [-- --only SUITE[,SUITE…]]   suites: ${SUITES.map((s) => s.name).join(', ')}`;

const started = performance.now();
const progress = (message: string): void => {
  process.stderr.write(`[bench +${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
};

process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping children and removing temp dirs`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

function gitDescribe(): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: packageRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: packageRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  let only: string | undefined;
  try {
    const { values } = parseArgs({ options: { only: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    only = values.only;
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const wanted = only?.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const unknown = wanted?.filter((n) => !SUITES.some((s) => s.name === n)) ?? [];
  const selected = wanted === undefined ? SUITES : SUITES.filter((s) => wanted.includes(s.name));
  if (unknown.length > 0 || selected.length === 0) {
    process.stderr.write(`bench: no suite ${JSON.stringify(unknown[0] ?? only)}\n${USAGE}\n`);
    return 2;
  }

  const startedAt = new Date();
  const output: Record<string, unknown> = {
    startedAt: startedAt.toISOString(),
    commit: gitDescribe(),
    node: process.version,
    execArgv: process.execArgv,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadavgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    suites: {} as Record<string, unknown>,
  };
  const summary: SummaryRow[] = [];
  let failed = false;
  for (const suite of selected) {
    progress(`${suite.name}: ${suite.title}`);
    const t = performance.now();
    try {
      const result = await suite.run((m) => progress(`${suite.name}: ${m}`));
      const seconds = (performance.now() - t) / 1000;
      (output.suites as Record<string, unknown>)[suite.name] = { seconds: Math.round(seconds * 10) / 10, ...result.data };
      summary.push(...result.summary);
      process.stdout.write(`\n== ${suite.name}: ${suite.title} (${seconds.toFixed(1)} s)\n${result.report}\n`);
    } catch (err) {
      failed = true;
      const message = (err as Error)?.stack ?? String(err);
      (output.suites as Record<string, unknown>)[suite.name] = { error: message };
      summary.push({ metric: `${suite.name} suite`, value: 'ERROR', goal: 'runs', pass: false });
      progress(`${suite.name}: FAILED: ${message}`);
    } finally {
      await cleanupAll();
      // The next suite starts on a collected heap, not inside a major GC of this one's garbage
      // (the admission suite's in-process side runs in this process after the 35,000-object kube suite).
      (globalThis as { gc?: () => void }).gc?.();
    }
  }

  const rows = summary.map((r) => [r.metric, r.value, r.goal, r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL']);
  process.stdout.write(`\n== summary (${((performance.now() - started) / 1000).toFixed(0)} s)\n${table(['metric', 'value', 'goal', 'result'], rows)}\n`);
  output.summary = summary;
  output.loadavgAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  output.seconds = Math.round((performance.now() - started) / 100) / 10;

  const dir = join(packageRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`\nresults: ${relative(process.cwd(), file)}\n`);
  return failed ? 1 : 0;
}

// Exit explicitly: a suite that failed half-way may leave a handle (a socket, a timer) open.
main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    progress(`bench failed: ${(err as Error)?.stack ?? String(err)}`);
    await cleanupAll();
    process.exit(1);
  },
);
