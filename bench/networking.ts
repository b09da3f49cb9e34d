/**
 * networking: a container runtime's view of CNI latency. Each operation is a process exec'd
 * by this bench with the CNI_* environment and the config on stdin, timed from spawn to exit,
 * as a runtime does it:
 *   - shim: bin/plugd-cni → `plugd host --cni-socket` (a child process) → a 2-plugin gRPC
 *     chain (bench-ipam, bench-routes in support/network-plugins.ts), result cached on disk;
 *   - host-local: Debian's /usr/lib/cni/host-local exec'd directly for the same ADD and DEL.
 * Both run in one run, interleaved per iteration (shim ADD, shim DEL, host-local ADD,
 * host-local DEL, the order flipping every iteration) so they sample the same moments of a
 * noisy machine; then each side sustains ADD+DEL with 8 containers at once.
 *
 * Floors say what bounds the shim: `sh` alone (the shim answering VERSION itself), and
 * `sh + sender + HTTP` (STATUS on a 1.0.0 network, which the host refuses with code 1, as
 * skel does, without calling a plugin) with each sender:
 * bin/plugd-cni-send (static C, what the shim uses when it is built) and curl
 * (PLUGD_CNI_SEND=curl, the fallback). Debian's curl links 33 shared libraries and spends
 * ≈ 20 M cycles in the dynamic loader (LD_DEBUG=statistics) before main, about what a whole
 * static Go host-local exec costs; the sender starts in about a millisecond. The chain itself
 * (2 gRPC calls, the result cache's write + fsync + rename + directory fsync) adds the
 * difference between the sender's floor and the ADD row.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../host/paths.js';
import { benchScript, Child, removeDir, tempDir } from './support/procs.js';
import { distribution, ms, round, roundAll, table, type Distribution } from './support/stats.js';
import { goal, info, type Progress, type Suite, type SuiteResult, type SummaryRow } from './support/suite.js';

const HOST_LOCAL = '/usr/lib/cni/host-local';
const ITERATIONS = 150;
const WARMUP = 15;
const FLOOR_RUNS = 60;
const CONCURRENCY = 8;
const SUSTAIN_MS = 8000;
const GOAL_RATIO = 2;

interface Exec {
  readonly file: string;
  readonly env: Record<string, string>;
  readonly stdin: string;
  /** The exit code this exec must end with (default 0: success). */
  readonly exitCode?: number;
}

/** One exec, as a runtime runs a CNI plugin: resolves with its wall time in ms; rejects on an exit code other than the expected one. */
function run(e: Exec): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(e.file, [], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...e.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.resume();
    child.stdin.on('error', () => {});
    child.stdin.end(e.stdin);
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsed = performance.now() - t;
      if (code === (e.exitCode ?? 0)) resolve(elapsed);
      else reject(new Error(`${e.file} ${e.env.CNI_COMMAND} exited ${code}: ${out.trim()}`));
    });
  });
}

interface Side {
  readonly name: string;
  add(id: string): Exec;
  del(id: string): Exec;
}

async function sustain(side: Side, prefix: string): Promise<{ pairs: number; perSecond: number; pair: Distribution }> {
  const latencies: number[] = [];
  const until = performance.now() + SUSTAIN_MS;
  const started = performance.now();
  let seq = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    while (performance.now() < until) {
      const id = `${prefix}-${w}-${seq++}`;
      const t = performance.now();
      await run(side.add(id));
      await run(side.del(id));
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return { pairs: latencies.length, perSecond: latencies.length / seconds, pair: distribution(latencies) };
}

async function runSuite(progress: Progress): Promise<SuiteResult> {
  if (!existsSync(HOST_LOCAL)) throw new Error(`${HOST_LOCAL} is missing: apt-get install containernetworking-plugins`);
  const dir = tempDir('plugd-bench-net-');
  const socketDir = join(dir, 'plugins');
  const confDir = join(dir, 'net.d');
  mkdirSync(socketDir, { mode: 0o700 });
  mkdirSync(confDir);
  writeFileSync(join(confDir, '10-benchnet.conflist'), JSON.stringify({ cniVersion: '1.0.0', name: 'benchnet', plugins: [{ type: 'bench-ipam' }, { type: 'bench-routes' }] }));
  const cniSocket = join(dir, 'cni.sock');
  const plugins = new Child('network-plugins', benchScript('support/network-plugins.js'), ['--socket-dir', socketDir]);
  const host = new Child('plugd-host', join(packageRoot(), 'bin', 'plugd.js'), [
    'host', '--socket-dir', socketDir, '--admin', '', '--log-level', 'info', '--log-format', 'json',
    '--cni-socket', cniSocket, '--cni-conf-dir', confDir, '--cni-cache-dir', join(dir, 'cache'),
  ]);
  try {
    await plugins.waitFor((m) => m.ready === true, 'plugins ready', 30_000);
    const active = new Set<string>();
    await host.waitFor((m) => {
      const msg = String(m.msg ?? '');
      const hit = /^plugin (bench-\w+) active/.exec(msg);
      if (hit) active.add(hit[1]!);
      return active.size === 2;
    }, 'both plugins active', 30_000);
    await host.waitFor((m) => String(m.msg ?? '').startsWith('CNI door listening'), 'the CNI door', 30_000).catch(() => undefined);
    while (!existsSync(cniSocket)) await new Promise((r) => setTimeout(r, 20));
    progress('host and plugins up');

    const shimFile = join(packageRoot(), 'bin', 'plugd-cni');
    // scripts/build.js builds it when a C compiler is there; the shim uses curl otherwise.
    const sender = existsSync(join(packageRoot(), 'bin', 'plugd-cni-send')) ? 'plugd-cni-send' : 'curl';
    const shimStdin = JSON.stringify({ cniVersion: '1.0.0', name: 'benchnet', type: 'plugd-cni' });
    const shimEnv = (command: string, id: string): Record<string, string> => ({
      CNI_COMMAND: command, CNI_CONTAINERID: id, CNI_NETNS: `/var/run/netns/${id}`, CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni',
      CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME=pod', PLUGD_CNI_SOCKET: cniSocket, PLUGD_CNI_DEL_QUEUE: join(dir, 'cache', 'del-queue'),
    });
    const shim: Side = {
      name: 'shim → 2 gRPC plugins',
      add: (id) => ({ file: shimFile, env: shimEnv('ADD', id), stdin: shimStdin }),
      del: (id) => ({ file: shimFile, env: shimEnv('DEL', id), stdin: shimStdin }),
    };
    const hlStdin = JSON.stringify({ cniVersion: '1.0.0', name: 'hl', type: 'host-local', ipam: { type: 'host-local', dataDir: join(dir, 'host-local'), ranges: [[{ subnet: '10.99.0.0/16' }]] } });
    const hostLocal: Side = {
      name: 'host-local exec',
      add: (id) => ({ file: HOST_LOCAL, env: shimEnv('ADD', id), stdin: hlStdin }),
      del: (id) => ({ file: HOST_LOCAL, env: shimEnv('DEL', id), stdin: hlStdin }),
    };

    const samples = { shimAdd: [] as number[], shimDel: [] as number[], hlAdd: [] as number[], hlDel: [] as number[] };
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const id = `seq-${i}`;
      const shimPair = async () => [await run(shim.add(id)), await run(shim.del(id))] as const;
      const hlPair = async () => [await run(hostLocal.add(id)), await run(hostLocal.del(id))] as const;
      let s: readonly [number, number];
      let h: readonly [number, number];
      if (i % 2 === 0) {
        s = await shimPair();
        h = await hlPair();
      } else {
        h = await hlPair();
        s = await shimPair();
      }
      if (i < WARMUP) continue;
      samples.shimAdd.push(s[0]);
      samples.shimDel.push(s[1]);
      samples.hlAdd.push(h[0]);
      samples.hlDel.push(h[1]);
    }
    progress(`${ITERATIONS} sequential ADD+DEL pairs per side done`);

    const floors = { sh: [] as number[], shSend: [] as number[], shCurl: [] as number[] };
    // STATUS on the 1.0.0 network: answered by the host (code 1: STATUS needs 1.1.0) without calling a plugin.
    const status = { CNI_COMMAND: 'STATUS', CNI_PATH: shimEnv('STATUS', '').CNI_PATH!, PLUGD_CNI_SOCKET: cniSocket };
    for (let i = 0; i < FLOOR_RUNS; i++) {
      floors.sh.push(await run({ file: shimFile, env: { CNI_COMMAND: 'VERSION' }, stdin: '{"cniVersion":"1.0.0"}' }));
      if (sender !== 'curl') floors.shSend.push(await run({ file: shimFile, env: status, stdin: shimStdin, exitCode: 1 }));
      floors.shCurl.push(await run({ file: shimFile, env: { ...status, PLUGD_CNI_SEND: 'curl' }, stdin: shimStdin, exitCode: 1 }));
    }

    progress(`sustained ADD+DEL, ${CONCURRENCY} containers at once, ${SUSTAIN_MS / 1000} s per side`);
    const sustainedShim = await sustain(shim, 'sus');
    const sustainedHl = await sustain(hostLocal, 'sus');

    const d = {
      shimAdd: distribution(samples.shimAdd), shimDel: distribution(samples.shimDel),
      hlAdd: distribution(samples.hlAdd), hlDel: distribution(samples.hlDel),
      floorSh: distribution(floors.sh), floorShCurl: distribution(floors.shCurl),
      ...(floors.shSend.length ? { floorShSend: distribution(floors.shSend) } : {}),
    };
    const ratio = d.shimAdd.p50 / d.hlAdd.p50;
    const rows = [
      [`shim ADD (2 gRPC plugins, cached; ${sender})`, ms(d.shimAdd.p50), ms(d.shimAdd.p90), ms(d.shimAdd.p99)],
      ['shim DEL', ms(d.shimDel.p50), ms(d.shimDel.p90), ms(d.shimDel.p99)],
      ['host-local exec ADD', ms(d.hlAdd.p50), ms(d.hlAdd.p90), ms(d.hlAdd.p99)],
      ['host-local exec DEL', ms(d.hlDel.p50), ms(d.hlDel.p90), ms(d.hlDel.p99)],
      ['floor: sh alone (shim VERSION)', ms(d.floorSh.p50), ms(d.floorSh.p90), ms(d.floorSh.p99)],
      ...(d.floorShSend ? [['floor: sh + plugd-cni-send + HTTP (STATUS, no plugin)', ms(d.floorShSend.p50), ms(d.floorShSend.p90), ms(d.floorShSend.p99)]] : []),
      ['floor: sh + curl + HTTP (STATUS, no plugin)', ms(d.floorShCurl.p50), ms(d.floorShCurl.p90), ms(d.floorShCurl.p99)],
    ];
    const sustainedRows = [
      [shim.name, String(sustainedShim.pairs), sustainedShim.perSecond.toFixed(1), ms(sustainedShim.pair.p50), ms(sustainedShim.pair.p99)],
      [hostLocal.name, String(sustainedHl.pairs), sustainedHl.perSecond.toFixed(1), ms(sustainedHl.pair.p50), ms(sustainedHl.pair.p99)],
    ];
    const report = [
      `sequential, ${ITERATIONS} ADD+DEL pairs per side, interleaved (spawn → exit, as a runtime sees it):`,
      table(['operation', 'p50', 'p90', 'p99'], rows),
      '',
      `shim ADD p50 / host-local exec ADD p50 = ${ratio.toFixed(2)}× (goal ≤ ${GOAL_RATIO}×)`,
      '',
      `sustained, ${CONCURRENCY} containers at once, ADD then DEL each, ${SUSTAIN_MS / 1000} s per side:`,
      table(['side', 'pairs', 'pairs/s', 'pair p50', 'pair p99'], sustainedRows),
    ].join('\n');
    const summary: SummaryRow[] = [
      goal('networking: shim ADD p50 vs host-local exec ADD p50', `${ratio.toFixed(2)}× (${ms(d.shimAdd.p50)} vs ${ms(d.hlAdd.p50)})`, `≤ ${GOAL_RATIO}×`, ratio <= GOAL_RATIO),
      info('networking: shim ADD p99 / DEL p50', `${ms(d.shimAdd.p99)} / ${ms(d.shimDel.p50)}`),
      info(`networking: shim floor (sh${d.floorShSend ? ' / sh+plugd-cni-send' : ''} / sh+curl)`, [d.floorSh, d.floorShSend, d.floorShCurl].filter((x) => x !== undefined).map((x) => ms(x.p50)).join(' / ')),
      info(`networking: sustained ADD+DEL, ${CONCURRENCY} at once (shim / host-local)`, `${sustainedShim.perSecond.toFixed(1)} / ${sustainedHl.perSecond.toFixed(1)} pairs/s`),
    ];
    const data = {
      iterations: ITERATIONS,
      sender,
      sequential: Object.fromEntries(Object.entries(d).map(([k, v]) => [k, roundAll(v)])),
      ratioAddP50: round(ratio),
      sustained: { concurrency: CONCURRENCY, seconds: SUSTAIN_MS / 1000, shim: { ...sustainedShim, pair: roundAll(sustainedShim.pair) }, hostLocal: { ...sustainedHl, pair: roundAll(sustainedHl.pair) } },
    };
    return { data, report, summary };
  } finally {
    await host.stop();
    await plugins.stop();
    removeDir(dir);
  }
}

export const networking: Suite = {
  name: 'networking',
  title: 'CNI ADD+DEL through the plugd-cni shim into a 2-plugin gRPC chain, beside Debian\'s host-local exec\'d directly',
  run: runSuite,
};
