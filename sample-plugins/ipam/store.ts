/**
 * The reservations of one network on disk, in host-local's format so that the two can share
 * a dataDir: one file per address, named by the address and holding "containerID\r\nifname",
 * beside `last_reserved_ip.<range set>` markers. A reservation is written whole to a private
 * temporary file, fsynced, then published with link(2), which fails if the name exists — as
 * exclusive as O_EXCL, across processes, but a crash can never leave an empty, ownerless
 * reservation behind — and the directory is fsynced before the address is handed out.
 */
import { readFileSync } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isIP } from 'node:net';
import { formatIp, parseIp } from './ip.js';

const LINE_BREAK = '\r\n';
const LAST_RESERVED = 'last_reserved_ip.';
const TMP = /^\.plugd-ipam\.(\d+)\.\d+\.tmp$/;
/** An empty reservation file this old is a host-local that died between O_EXCL and write. */
const ABANDONED_EMPTY_MS = 60_000;

/** Who holds an address: an attachment, or (files of old host-local versions) any ifname of a container. */
export interface Owner {
  readonly containerId: string;
  /** Empty in the old format: the reservation belongs to every interface of the container. */
  readonly ifname: string;
}

let tmpSeq = 0;

const isNoEnt = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(text: string): Owner | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const i = t.indexOf(LINE_BREAK);
  return i < 0 ? { containerId: t, ifname: '' } : { containerId: t.slice(0, i).trim(), ifname: t.slice(i + LINE_BREAK.length) };
}

/** Does `owner` (as read from disk) belong to the attachment (containerId, ifname)? */
export const ownedBy = (owner: Owner, containerId: string, ifname: string): boolean =>
  owner.containerId === containerId.trim() && (owner.ifname === '' || owner.ifname === ifname);

export class Store {
  /** One store per directory per process, so its cache and markers outlive a call. */
  static readonly #open = new Map<string, Store>();

  /** Owner of every reservation as last read; undefined = empty when read (re-read each time). */
  readonly #owners = new Map<string, Owner | undefined>();
  /** File name → the address as Go prints it (names are canonical, unless written by hand). */
  readonly #canonical = new Map<string, string>();
  /** The last address reserved per range set, ahead of its marker file while that is written. */
  readonly #last = new Map<number, string>();
  readonly #markerWrites = new Map<number, Promise<void>>();
  /** Owner of each prepared file, by path. */
  readonly #prepared = new Map<string, Owner>();
  /** Reservations published by this process, and how many of them a directory fsync covers. */
  #published = 0;
  #synced = 0;
  #syncing: Promise<void> | undefined;

  private constructor(readonly dir: string) {}

  /** The store of `network` under `dataDir`, its directory created (0755, as host-local) if missing. */
  static async open(dataDir: string, network: string): Promise<Store> {
    const dir = join(dataDir, network);
    // Every time: an operator may have removed the directory since.
    await mkdir(dir, { recursive: true, mode: 0o755 });
    let store = Store.#open.get(dir);
    if (!store) {
      store = new Store(dir);
      // In the map before the sweep, so that a concurrent first call shares this instance.
      Store.#open.set(dir, store);
      await store.sweep();
    }
    return store;
  }

  /**
   * Every reservation: address file name → owner (undefined while empty). The names are read
   * from the directory each time; an owner is read once per name and cached, because a file is
   * never rewritten in place. Another process may have released and re-reserved a name since
   * it was cached: callers about to act on a cached owner re-read it with owner(), and `exact`
   * re-reads every file (GC, which deletes on what it reads).
   */
  async reservations(exact = false): Promise<ReadonlyMap<string, Owner | undefined>> {
    const names = new Set((await readdir(this.dir)).filter((n) => isIP(n) !== 0));
    for (const name of this.#owners.keys()) {
      if (!names.has(name)) {
        this.#owners.delete(name);
        this.#canonical.delete(name);
      }
    }
    for (const name of names) {
      if (exact || this.#owners.get(name) === undefined) this.owner(name);
    }
    return this.#owners;
  }

  /** The address file `name` stands for, as Go prints it: what a reservation of it would be named. */
  canonical(name: string): string {
    let c = this.#canonical.get(name);
    if (c === undefined) {
      c = formatIp(parseIp(name)!);
      this.#canonical.set(name, c);
    }
    return c;
  }

  /**
   * The owner of `name` as on disk now (cache refreshed). Synchronous on purpose: a file holds
   * a few dozen bytes, and a thread-pool round trip per file costs ten times the read.
   */
  owner(name: string): Owner | undefined {
    try {
      const owner = parseOwner(readFileSync(join(this.dir, name), 'utf8'));
      this.#owners.set(name, owner);
      return owner;
    } catch (err) {
      if (!isNoEnt(err)) throw err;
      this.#owners.delete(name); // released meanwhile by another process
      return undefined;
    }
  }

  /**
   * The reservation of (containerId, ifname), written whole and fsynced to a private temporary
   * file, ready to be published under an address. Written before the network's queue is
   * entered, so that concurrent ADDs pay for their fsyncs in parallel.
   */
  async prepare(containerId: string, ifname: string): Promise<string> {
    const tmp = this.#tmpName();
    const content = `${containerId.trim()}${LINE_BREAK}${ifname}`;
    await writeSynced(tmp, content);
    this.#prepared.set(tmp, parseOwner(content)!);
    return tmp;
  }

  /**
   * Publishes the prepared reservation `tmp` as the reservation of `ip`: false when the
   * address is taken, by anyone (link(2) never replaces a name). One prepared file may be
   * published under several addresses (one per range set). Durable once durable() resolves.
   */
  async publish(tmp: string, ip: string): Promise<boolean> {
    try {
      await link(tmp, join(this.dir, ip));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    this.#published++;
    this.#owners.set(ip, this.#prepared.get(tmp));
    return true;
  }

  /** Removes a prepared file (published or not: a published reservation keeps its own name). */
  async discard(tmp: string): Promise<void> {
    this.#prepared.delete(tmp);
    await unlink(tmp).catch(() => undefined);
  }

  /**
   * Resolves once every reservation published so far has its name on disk (the directory
   * fsynced after it). Concurrent callers share one fsync: a group commit.
   */
  async durable(): Promise<void> {
    const want = this.#published;
    while (this.#synced < want) {
      if (!this.#syncing) {
        const upTo = this.#published;
        this.#syncing = syncDir(this.dir)
          .then(() => { this.#synced = Math.max(this.#synced, upTo); })
          .finally(() => { this.#syncing = undefined; });
      }
      await this.#syncing;
    }
  }

  /** Removes the reservation of `ip`; true when there was one. */
  async release(ip: string): Promise<boolean> {
    this.#owners.delete(ip);
    try {
      await unlink(join(this.dir, ip));
      return true;
    } catch (err) {
      if (isNoEnt(err)) return false;
      throw err;
    }
  }

  /** Whether an empty reservation is old enough to be a dead writer's rather than one being written. */
  async abandoned(ip: string): Promise<boolean> {
    try {
      return Date.now() - (await stat(join(this.dir, ip))).mtimeMs > ABANDONED_EMPTY_MS;
    } catch (err) {
      if (isNoEnt(err)) return false;
      throw err;
    }
  }

  /** The last address reserved in range set `rangeSet`: this process's latest, else the marker file. */
  async lastReserved(rangeSet: number): Promise<string | undefined> {
    const mine = this.#last.get(rangeSet);
    if (mine !== undefined) return mine;
    try {
      return (await readFile(join(this.dir, `${LAST_RESERVED}${rangeSet}`), 'utf8')).trim();
    } catch (err) {
      if (isNoEnt(err)) return undefined;
      throw err;
    }
  }

  /**
   * Records the last reservation of a range set; resolves once a marker file holding it (or a
   * later one) is on disk, written as write, fsync, rename, so a crash leaves the old marker or
   * the new, never a torn one. One write runs at a time per set and carries the latest value, so
   * a burst of reservations shares its writes. Callers await it outside the network's queue.
   */
  setLastReserved(rangeSet: number, ip: string): Promise<void> {
    this.#last.set(rangeSet, ip);
    let write = this.#markerWrites.get(rangeSet);
    if (write) return write;
    write = (async () => {
      let written: string | undefined;
      try {
        while (written !== this.#last.get(rangeSet)) {
          written = this.#last.get(rangeSet)!;
          const tmp = this.#tmpName();
          await writeSynced(tmp, written);
          await rename(tmp, join(this.dir, `${LAST_RESERVED}${rangeSet}`));
        }
      } catch {
        // A hint only: where the next walk starts. The in-memory value stays ahead, the next
        // reservation writes again, and a walk from an older marker is still correct.
      } finally {
        this.#markerWrites.delete(rangeSet);
      }
    })();
    this.#markerWrites.set(rangeSet, write);
    return write;
  }

  /** Removes temporary files of processes that died mid-write (a killed plugin's). */
  async sweep(): Promise<void> {
    for (const name of await readdir(this.dir)) {
      const m = TMP.exec(name);
      if (m && !pidAlive(Number(m[1]))) await unlink(join(this.dir, name)).catch(() => undefined);
    }
  }

  #tmpName(): string {
    return join(this.dir, `.plugd-ipam.${process.pid}.${tmpSeq++}.tmp`);
  }
}

async function writeSynced(path: string, content: string): Promise<void> {
  const fh = await open(path, 'wx', 0o644);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** A directory's entries reach the disk: a new name must, before its address is handed out. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
