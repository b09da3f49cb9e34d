/**
 * The allocator: host-local's algorithm over the Store. Each range set is walked round-robin
 * from the address after its last reservation (wrapping through the set's ranges, skipping
 * each range's gateway and every address already reserved), and the first address whose
 * reservation succeeds is the container's. Within this process every operation on a network
 * is serialized; across processes the reservation's exclusive create is what decides.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CODES, CniError, rangeSetText, type IpamConfig, type Range } from './config.js';
import { formatIp, parseIp, type Addr } from './ip.js';
import { ownedBy, Store, type Owner } from './store.js';

export interface Allocation {
  /** The address with the subnet's prefix, "10.22.0.5/16". */
  readonly address: string;
  readonly gateway: string;
}

export interface Attachment {
  readonly containerId: string;
  readonly ifname: string;
}

/** The tail of the queue of operations per network directory. */
const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier operation on the same network of this process. */
function serialized<T>(conf: IpamConfig, fn: (store: Store) => Promise<T>): Promise<T> {
  const key = `${conf.dataDir}\0${conf.network}`;
  const run = (queues.get(key) ?? Promise.resolve()).then(async () => fn(await openStore(conf)));
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

async function openStore(conf: IpamConfig): Promise<Store> {
  try {
    return await Store.open(conf.dataDir, conf.network);
  } catch (err) {
    throw new CniError(CODES.IO, `cannot open the data directory ${conf.dataDir}/${conf.network}`, (err as Error).message);
  }
}

const rangeOf = (set: readonly Range[], a: Addr | undefined): Range | undefined =>
  a && set.find((r) => r.subnet.family === a.family && a.value >= r.start && a.value <= r.end);

const allocationOf = (r: Range, value: bigint): Allocation => ({
  address: `${formatIp({ family: r.subnet.family, value })}/${r.subnet.prefix}`,
  gateway: formatIp(r.gateway),
});

/**
 * The candidates of a range set in host-local's order: from the address after `last` (or the
 * first range's start), through the end of each range and on to the next, once around.
 */
function* candidates(set: readonly Range[], last: Addr | undefined): Generator<{ range: Range; value: bigint }> {
  let i = 0;
  let cur = set[0]!.start;
  const from = rangeOf(set, last);
  const advance = (): void => {
    if (cur === set[i]!.end) {
      i = (i + 1) % set.length;
      cur = set[i]!.start;
    } else {
      cur++;
    }
  };
  if (from) {
    i = set.indexOf(from);
    cur = last!.value;
    advance();
  }
  const first = cur;
  do {
    if (cur !== set[i]!.gateway.value) yield { range: set[i]!, value: cur };
    advance();
  } while (cur !== first);
}

/** The reservation names the attachment holds, each confirmed on disk (the cache may be stale). */
function mineOf(store: Store, held: ReadonlyMap<string, Owner | undefined>, a: Attachment): string[] {
  const cached = [...held].filter(([, owner]) => owner && ownedBy(owner, a.containerId, a.ifname)).map(([name]) => name);
  return cached.filter((name) => {
    const owner = store.owner(name);
    return owner !== undefined && ownedBy(owner, a.containerId, a.ifname);
  });
}

/** The addresses of `mine` that lie in `set`. */
function heldIn(set: readonly Range[], mine: readonly string[]): Array<{ range: Range; value: bigint }> {
  const out: Array<{ range: Range; value: bigint }> = [];
  for (const name of mine) {
    const ip = parseIp(name);
    const r = rangeOf(set, ip);
    if (r) out.push({ range: r, value: ip!.value });
  }
  return out;
}

const unavailable = (msg: string): CniError => new CniError(CODES.REQUESTED_UNAVAILABLE, msg);

/**
 * The requested address for `set`, taken out of `wanted`: the first that lies in one of the
 * set's ranges (host-local's rangeset.Contains), or undefined.
 */
function takeRequested(set: readonly Range[], wanted: Addr[]): { range: Range; value: bigint } | undefined {
  const i = wanted.findIndex((w) => rangeOf(set, w) !== undefined);
  if (i < 0) return undefined;
  const [w] = wanted.splice(i, 1);
  return { range: rangeOf(set, w)!, value: w!.value };
}

/**
 * ADD: one address per range set for the attachment. An attachment that already holds one in
 * a set gets it again (a retried ADD), so a retry never leaks or doubles an address. A
 * requested address (CNI_ARGS IP=, args.cni.ips, runtimeConfig.ips) is reserved as asked or
 * the ADD fails naming it: taken, the gateway, outside every range set, or the attachment
 * already holding another address of that set. When a set is exhausted or a request cannot
 * be met, the addresses this call reserved are released again. Only the choice and
 * the exclusive publication run in the network's queue: the reservation file is written and
 * fsynced before, and the directory fsync and the marker write after, shared by a burst.
 */
export async function allocate(conf: IpamConfig, a: Attachment): Promise<Allocation[]> {
  const store = await openStore(conf);
  let tmp: string;
  try {
    tmp = await store.prepare(a.containerId, a.ifname);
  } catch (err) {
    throw new CniError(CODES.IO, `cannot write a reservation in ${store.dir}`, (err as Error).message);
  }
  const markers: Array<Promise<void>> = [];
  try {
    const out = await serialized(conf, async () => {
      const held = await store.reservations();
      const taken = new Set([...held.keys()].map((n) => store.canonical(n)));
      const mine = mineOf(store, held, a);
      const fresh: string[] = [];
      const wanted = [...conf.requested];
      try {
        const out: Allocation[] = [];
        for (const [i, set] of conf.rangeSets.entries()) {
          const had = heldIn(set, mine)[0];
          const asked = takeRequested(set, wanted);
          if (asked) {
            const name = formatIp({ family: asked.range.subnet.family, value: asked.value });
            if (had && had.value !== asked.value) {
              throw unavailable(`container ${a.containerId} (${a.ifname}) already holds ${formatIp({ family: had.range.subnet.family, value: had.value })} in range set ${i}; requested ${name}`);
            }
            if (!had) {
              // host-local's words, prefix included.
              if (asked.value === asked.range.gateway.value) throw unavailable(`failed to allocate for range ${i}: requested ip ${name} is subnet's gateway`);
              // False: reserved already (here or by another process since the readdir).
              if (taken.has(name) || !(await store.publish(tmp, name))) {
                throw unavailable(`failed to allocate for range ${i}: requested IP address ${name} is not available in range set ${rangeSetText(set)}`);
              }
              taken.add(name);
              fresh.push(name);
              // host-local moves the round-robin marker to a requested address too.
              markers.push(store.setLastReserved(i, name));
            }
            out.push(allocationOf(asked.range, asked.value));
            continue;
          }
          if (had) {
            out.push(allocationOf(had.range, had.value));
            continue;
          }
          const got = await reserveIn(store, tmp, i, set, taken);
          if (!got) throw new CniError(CODES.RANGE_EXHAUSTED, `failed to allocate for range ${i}: no IP addresses available in range set: ${rangeSetText(set)}`);
          fresh.push(got.name);
          markers.push(got.marker);
          out.push(allocationOf(got.range, got.value));
        }
        if (wanted.length > 0) throw unavailable(`failed to allocate all requested IPs: ${wanted.map(formatIp).join(' ')}`);
        return out;
      } catch (err) {
        for (const name of fresh) await store.release(name).catch(() => undefined);
        throw err;
      }
    });
    await store.durable();
    return out;
  } catch (err) {
    if (err instanceof CniError) throw err;
    throw new CniError(CODES.IO, `cannot reserve an address in ${store.dir}`, (err as Error).message);
  } finally {
    await store.discard(tmp);
    await Promise.all(markers);
  }
}

async function reserveIn(store: Store, tmp: string, i: number, set: readonly Range[], taken: Set<string>) {
  const last = parseIp(await store.lastReserved(i));
  for (const c of candidates(set, last)) {
    const name = formatIp({ family: c.range.subnet.family, value: c.value });
    if (taken.has(name)) continue;
    taken.add(name);
    // False: another process (a second plugin instance, host-local) took it since readdir.
    if (await store.publish(tmp, name)) return { ...c, name, marker: store.setLastReserved(i, name) };
  }
  return undefined;
}

/** DEL: releases every address the attachment holds in this network; the count released. */
export async function release(conf: IpamConfig, a: Attachment): Promise<number> {
  // Nothing was ever reserved: succeed without creating the directory (it may not be creatable).
  if (!existsSync(join(conf.dataDir, conf.network))) return 0;
  return serialized(conf, async (store) => {
    let n = 0;
    for (const name of mineOf(store, await store.reservations(), a)) if (await store.release(name)) n++;
    return n;
  });
}

/**
 * CHECK: the attachment holds an address in every range set, and each is among `expected`
 * (prevResult's addresses) when given.
 */
export function check(conf: IpamConfig, a: Attachment, expected: readonly string[] | undefined): Promise<void> {
  return serialized(conf, async (store) => {
    const all = mineOf(store, await store.reservations(), a);
    for (const [i, set] of conf.rangeSets.entries()) {
      const mine = heldIn(set, all);
      if (mine.length === 0) {
        throw new CniError(CODES.NOT_ALLOCATED, `container ${a.containerId} (${a.ifname}) holds no address in range set ${i} (${rangeSetText(set)})`);
      }
      const addrs = mine.map((m) => allocationOf(m.range, m.value).address);
      if (expected && !addrs.some((x) => expected.includes(x))) {
        throw new CniError(CODES.NOT_ALLOCATED, `container ${a.containerId} (${a.ifname}) holds ${addrs.join(', ')} in range set ${i}, which prevResult does not list`);
      }
    }
  });
}

/** GC: releases every reservation of an attachment not in `valid`; the addresses released. */
export async function collect(conf: IpamConfig, valid: readonly Attachment[]): Promise<string[]> {
  if (!existsSync(join(conf.dataDir, conf.network))) return [];
  return serialized(conf, async (store) => {
    await store.sweep();
    const keep = new Set(valid.map((v) => `${v.containerId}\0${v.ifname}`));
    const containers = new Set(valid.map((v) => v.containerId));
    const released: string[] = [];
    for (const [name, owner] of [...(await store.reservations(true))]) {
      // Old-format reservations name only the container: any of its interfaces keeps them.
      const live = owner === undefined
        ? !(await store.abandoned(name))
        : owner.ifname === '' ? containers.has(owner.containerId) : keep.has(`${owner.containerId}\0${owner.ifname}`);
      if (!live && (await store.release(name))) released.push(name);
    }
    return released.sort();
  });
}

/** STATUS: the range sets with no free address left, as host-local would print them. */
export function exhausted(conf: IpamConfig): Promise<string[]> {
  return serialized(conf, async (store) => {
    const taken = [...(await store.reservations()).keys()].map((n) => parseIp(n)!);
    const out: string[] = [];
    for (const [i, set] of conf.rangeSets.entries()) {
      let free = 0n;
      for (const r of set) {
        free += r.end - r.start + 1n;
        if (r.gateway.value >= r.start && r.gateway.value <= r.end) free--;
      }
      for (const ip of taken) {
        const r = rangeOf(set, ip);
        if (r && ip.value !== r.gateway.value) free--;
      }
      if (free <= 0n) out.push(`range set ${i} (${rangeSetText(set)})`);
    }
    return out;
  });
}
