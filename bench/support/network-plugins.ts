/**
 * The networking bench's gRPC chain, in one process: `bench-ipam` (an in-memory allocator
 * handing out one address per container from 10.88.0.0/16, released on DEL) and
 * `bench-routes` (appends a route and DNS to prevResult), both through the real SDK.
 *   node dist/bench/support/network-plugins.js --socket-dir DIR
 * Prints {"ready":true} once both serve; stops on SIGTERM or when stdin closes.
 */
import { parseArgs } from 'node:util';
import { definePlugin, servePlugin } from '../../sdk/index.js';

const { values } = parseArgs({ options: { 'socket-dir': { type: 'string' } } });

const byContainer = new Map<string, number>();
const free: number[] = [];
let next = 2;

const ipam = definePlugin({
  name: 'bench-ipam',
  type: 'NetworkPlugin',
  capabilities: { cniVersions: ['1.0.0', '1.1.0'] },
  handlers: {
    Add: (req) => {
      const key = `${req.runtime!.containerId}/${req.runtime!.ifname}`;
      let n = byContainer.get(key);
      if (n === undefined) {
        n = free.pop() ?? next++;
        byContainer.set(key, n);
      }
      const address = `10.88.${n >> 8}.${n & 255}/16`;
      return { result: { cniVersion: req.cniVersion, interfaces: [], ips: [{ address, gateway: '10.88.0.1', interface: -1 }], routes: [], dns: null } };
    },
    Del: (req) => {
      const key = `${req.runtime!.containerId}/${req.runtime!.ifname}`;
      const n = byContainer.get(key);
      if (n !== undefined) {
        byContainer.delete(key);
        free.push(n);
      }
      return {};
    },
  },
});

const routes = definePlugin({
  name: 'bench-routes',
  type: 'NetworkPlugin',
  capabilities: { cniVersions: ['1.0.0', '1.1.0'] },
  handlers: {
    Add: (req) => {
      const prev = JSON.parse(req.prevResult.toString()) as { ips?: Array<{ address: string; gateway?: string }> };
      return {
        result: {
          cniVersion: req.cniVersion,
          interfaces: [],
          ips: (prev.ips ?? []).map((ip) => ({ address: ip.address, gateway: ip.gateway ?? '', interface: -1 })),
          routes: [{ dst: '0.0.0.0/0', gw: '10.88.0.1', mtu: 0, advmss: 0, priority: 0, table: 0, scope: 0 }],
          dns: { nameservers: ['10.96.0.10'], domain: '', search: ['svc.cluster.local'], options: [] },
        },
      };
    },
    Del: () => ({}),
  },
});

const served = await Promise.all([ipam, routes].map((p) => servePlugin(p, { socketDir: values['socket-dir'], handleSignals: false })));
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const stop = (): void => {
  void Promise.all(served.map((s) => s.close())).then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.stdin.on('end', stop).resume();
