/**
 * The reservations of one network on disk, in host-local's format so that the two can share
 * a dataDir: one file per address, named by the address and holding "containerID\r\nifname",
 * beside `last_reserved_ip.<range set>` markers. A reservation is written whole to a private
 * temporary file, fsynced, then published with link(2), which fails if the name exists — as
 * exclusive as O_EXCL, across processes, but a crash can never leave an empty, ownerless
 * reservation behind — and the directory is fsynced before the address is handed out.
 */
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseIp } from './ip.js';

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
  /** Directories whose leftovers of dead processes were already swept by this process. */
  static readonly #swept = new Set<string>();

  private constructor(readonly dir: string) {}

  /** The store of `network` under `dataDir`, created (0755, as host-local) on first use. */
  static async open(dataDir: string, network: string): Promise<Store> {
    const store = new Store(join(dataDir, network));
    await mkdir(store.dir, { recursive: true, mode: 0o755 });
    if (!Store.#swept.has(store.dir)) {
      Store.#swept.add(store.dir);
      await store.sweep();
    }
    return store;
  }

  /** Every reservation: address file name → owner (undefined while empty). */
  async reservations(): Promise<Map<string, Owner | undefined>> {
    const names = (await readdir(this.dir)).filter((n) => parseIp(n) !== undefined);
    const out = new Map<string, Owner | undefined>();
    await Promise.all(names.map(async (name) => {
      try {
        out.set(name, parseOwner(await readFile(join(this.dir, name), 'utf8')));
      } catch (err) {
        if (!isNoEnt(err)) throw err; // released meanwhile by another process
      }
    }));
    return out;
  }

  /**
   * Reserves `ip` for (containerId, ifname): false when the address is taken, by anyone.
   * Durable once it resolves true: the file and its name survive a host crash.
   */
  async reserve(ip: string, containerId: string, ifname: string): Promise<boolean> {
    const tmp = join(this.dir, `.plugd-ipam.${process.pid}.${tmpSeq++}.tmp`);
    await this.#writeSynced(tmp, `${containerId.trim()}${LINE_BREAK}${ifname}`);
    try {
      await link(tmp, join(this.dir, ip));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    await this.#syncDir();
    return true;
  }

  /** Removes the reservation of `ip`; true when there was one. */
  async release(ip: string): Promise<boolean> {
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

  async lastReserved(rangeSet: number): Promise<string | undefined> {
    try {
      return (await readFile(join(this.dir, `${LAST_RESERVED}${rangeSet}`), 'utf8')).trim();
    } catch (err) {
      if (isNoEnt(err)) return undefined;
      throw err;
    }
  }

  /** Write, fsync, rename: a crash leaves the old marker or the new one, never a torn one. */
  async setLastReserved(rangeSet: number, ip: string): Promise<void> {
    const tmp = join(this.dir, `.plugd-ipam.${process.pid}.${tmpSeq++}.tmp`);
    await this.#writeSynced(tmp, ip);
    await rename(tmp, join(this.dir, `${LAST_RESERVED}${rangeSet}`));
  }

  /** Removes temporary files of processes that died mid-write (a killed plugin's). */
  async sweep(): Promise<void> {
    for (const name of await readdir(this.dir)) {
      const m = TMP.exec(name);
      if (m && !pidAlive(Number(m[1]))) await unlink(join(this.dir, name)).catch(() => undefined);
    }
  }

  async #writeSynced(path: string, content: string): Promise<void> {
    const fh = await open(path, 'wx', 0o644);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /** The new name must reach the disk before the address is handed out. */
  async #syncDir(): Promise<void> {
    const fh = await open(this.dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}
