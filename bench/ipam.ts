/**
 * ipam: the plugd-ipam sample in its own process (`plugd serve`), called over gRPC the way the
 * host calls it, beside an exec of Debian's host-local doing the same ADD and DEL on the same
 * kind of range, interleaved in one run so both sample the same moments of a noisy machine.
 * plugd-ipam fsyncs each reservation (file, directory, last_reserved_ip marker) before it
 * answers; host-local fsyncs nothing. Then 100 concurrent ADDs on distinct containers.
 */
import * as grpc from '@grpc/grpc-js';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../host/paths.js';
import { contractFor, serviceDefinition } from '../proto/index.js';
import type { AddResponse__Output } from '../proto/gen/plugd/network/v1/AddResponse.js';
import type { DelResponse__Output } from '../proto/gen/plugd/network/v1/DelResponse.js';
import { sleep } from './support/clock.js';
import { Child, removeDir, tempDir } from './support/procs.js';
import { distribution, ms, roundAll, table, type Distribution } from './support/stats.js';
import { info, type Progress, type Suite, type SuiteResult } from './support/suite.js';

const HOST_LOCAL = '/usr/lib/cni/host-local';
const ROUNDS = 200;
const WARMUP = 30;
const BURST = 100;
const NETNS = '/var/run/netns/bench';

const config = (dataDir: string, type: string): Buffer =>
  Buffer.from(JSON.stringify({ cniVersion: '1.0.0', name: 'benchnet', ipam: { type, dataDir, ranges: [[{ subnet: '10.128.0.0/16' }]] } }));

function execHostLocal(command: 'ADD' | 'DEL', containerId: string, stdin: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(HOST_LOCAL, [], { env: { CNI_COMMAND: command, CNI_CONTAINERID: containerId, CNI_NETNS: NETNS, CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni' } },
      (err, stdout) => (err ? reject(new Error(`host-local ${command}: ${stdout || err.message}`)) : resolve()));
    child.stdin!.end(stdin);
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export const ipam: Suite = {
  name: 'ipam',
  title: 'plugd-ipam (gRPC, fsynced) beside an exec of Debian\'s host-local: ADD and DEL',
  async run(progress: Progress): Promise<SuiteResult> {
    const socketDir = tempDir('plugd-bench-ipam-');
    const ours = tempDir('plugd-bench-ipam-data-');
    const theirs = tempDir('plugd-bench-hostlocal-data-');
    const plugin = new Child('plugd-ipam', join(packageRoot(), 'bin', 'plugd.js'), ['serve', join(packageRoot(), 'sample-plugins', 'ipam'), '--socket-dir', socketDir], { PLUGD_LOG_LEVEL: 'warn' });
    const socket = join(socketDir, 'plugd-ipam.sock');
    let client: grpc.Client | undefined;
    try {
      const deadline = Date.now() + 20_000;
      while (!existsSync(socket)) {
        if (Date.now() > deadline || !plugin.alive) throw new Error(`plugd-ipam did not bind ${socket}: ${plugin.tail.join('\n')}`);
        await sleep(50);
      }
      client = new grpc.Client(`unix:${socket}`, grpc.credentials.createInsecure());
      const def = serviceDefinition(contractFor('NetworkPlugin', 'v1')!);
      const call = <Res>(method: 'Add' | 'Del', containerId: string): Promise<Res> => new Promise((resolve, reject) => {
        const m = def[method]!;
        const req = { runtime: { containerId, netns: NETNS, ifname: 'eth0', args: {}, path: ['/usr/lib/cni'], cniArgsRaw: '' }, config: config(ours, 'plugd-ipam'), cniVersion: '1.0.0', prevResult: Buffer.alloc(0) };
        client!.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, req, new grpc.Metadata(), { deadline: Date.now() + 10_000 },
          (err, res) => (err ? reject(err) : resolve(res as Res)));
      });
      const add = async (c: string): Promise<void> => {
        const res = await call<AddResponse__Output>('Add', c);
        if (res.error) throw new Error(`plugd-ipam ADD ${c}: ${res.error.msg}`);
      };
      const del = async (c: string): Promise<void> => {
        const res = await call<DelResponse__Output>('Del', c);
        if (res.error) throw new Error(`plugd-ipam DEL ${c}: ${res.error.msg}`);
      };
      const withHostLocal = existsSync(HOST_LOCAL);
      if (!withHostLocal) progress(`${HOST_LOCAL} is absent: plugd-ipam alone`);

      progress(`warming up (${WARMUP} ADD+DEL each)`);
      for (let i = 0; i < WARMUP; i++) {
        await add(`warm-${i}`);
        await del(`warm-${i}`);
        if (withHostLocal) {
          await execHostLocal('ADD', `warm-${i}`, config(theirs, 'host-local'));
          await execHostLocal('DEL', `warm-${i}`, config(theirs, 'host-local'));
        }
      }
      progress(`${ROUNDS} rounds, alternating plugd-ipam and host-local; each keeps the round's address until the end`);
      const lat = { ipamAdd: [] as number[], ipamDel: [] as number[], hlAdd: [] as number[], hlDel: [] as number[] };
      for (let i = 0; i < ROUNDS; i++) {
        const c = `c-${i}`;
        const ipamFirst = i % 2 === 0;
        // Half the rounds DEL the previous round's container, so each side also walks a growing directory.
        const sides = [
          async () => {
            lat.ipamAdd.push(await timed(() => add(c)));
            if (i % 2) lat.ipamDel.push(await timed(() => del(`c-${i - 1}`)));
          },
          async () => {
            if (!withHostLocal) return;
            lat.hlAdd.push(await timed(() => execHostLocal('ADD', c, config(theirs, 'host-local'))));
            if (i % 2) lat.hlDel.push(await timed(() => execHostLocal('DEL', `c-${i - 1}`, config(theirs, 'host-local'))));
          },
        ];
        for (const side of ipamFirst ? sides : sides.reverse()) await side();
      }

      progress(`${BURST} concurrent ADDs on distinct containers`);
      const t = performance.now();
      await Promise.all(Array.from({ length: BURST }, (_, i) => add(`burst-${i}`)));
      const burstMs = performance.now() - t;

      const d: Record<string, Distribution> = {};
      for (const [k, v] of Object.entries(lat)) if (v.length) d[k] = distribution(v);
      const row = (label: string, x: Distribution | undefined): string[] => [label, x ? ms(x.p50) : '-', x ? ms(x.p99) : '-', String(x?.n ?? 0)];
      const ratio = d.hlAdd ? d.ipamAdd!.p50 / d.hlAdd.p50 : Number.NaN;
      const report = [
        table(['operation', 'p50', 'p99', 'n'], [
          row('plugd-ipam ADD (gRPC)', d.ipamAdd), row('host-local ADD (exec)', d.hlAdd),
          row('plugd-ipam DEL (gRPC)', d.ipamDel), row('host-local DEL (exec)', d.hlDel),
        ]),
        `${BURST} concurrent plugd-ipam ADDs: ${ms(burstMs)} wall, ${(BURST / (burstMs / 1000)).toFixed(0)} ADD/s`,
      ].join('\n');
      return {
        data: { rounds: ROUNDS, ...Object.fromEntries(Object.entries(d).map(([k, v]) => [k, roundAll(v)])), burst: BURST, burstMs, addP50Ratio: ratio },
        report,
        summary: [
          info('plugd-ipam ADD p50 / p99 (gRPC, 3 fsyncs)', `${ms(d.ipamAdd!.p50)} / ${ms(d.ipamAdd!.p99)}`),
          info('host-local exec ADD p50 / p99 (no fsync)', d.hlAdd ? `${ms(d.hlAdd.p50)} / ${ms(d.hlAdd.p99)}` : 'absent'),
          info('plugd-ipam ADD p50 / host-local ADD p50', Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '-'),
          info(`${BURST} concurrent plugd-ipam ADDs`, `${(BURST / (burstMs / 1000)).toFixed(0)} ADD/s`),
        ],
      };
    } finally {
      client?.close();
      await plugin.stop();
      for (const dir of [socketDir, ours, theirs]) removeDir(dir);
    }
  },
};
