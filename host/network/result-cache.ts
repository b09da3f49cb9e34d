/**
 * The on-disk cache of ADD results, in libcni's layout and format, so DEL, CHECK and GC after a
 * host restart still have their prevResult and their attachments:
 *   <cacheDir>/results/<network>-<containerID>-<ifName>   (dir 0700, file 0600)
 *   {"kind":"cniCacheV1","containerId","config"(base64),"ifName","networkName","netns",
 *    "cniArgs":[[k,v]],"capabilityArgs",{…},"result":{…}}
 * Writes are atomic and durable: a temp file written and fsynced, renamed over the entry, then
 * the directory fsynced, so a crash leaves the old entry or the new one, never half of one.
 */
import { mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isObject, type CniResult, type JsonObject } from './cni.js';

export interface CachedAttachment {
  readonly kind: 'cniCacheV1';
  readonly containerId: string;
  /** The network configuration list the ADD ran with, base64 (libcni keeps the bytes). */
  readonly config: string;
  readonly ifName: string;
  readonly networkName: string;
  readonly netns?: string;
  readonly cniArgs?: Array<[string, string]>;
  readonly capabilityArgs?: JsonObject;
  readonly result?: CniResult;
}

let tmpSeq = 0;

export class ResultCache {
  readonly dir: string;
  #made = false;

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, 'results');
  }

  /** libcni's file name; a name with '/' cannot occur (network names and ifnames have none). */
  path(network: string, containerID: string, ifName: string): string {
    return join(this.dir, `${network}-${containerID}-${ifName}`);
  }

  async write(entry: CachedAttachment): Promise<void> {
    if (!this.#made) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.#made = true;
    }
    const final = this.path(entry.networkName, entry.containerId, entry.ifName);
    const tmp = join(this.dir, `.tmp-${process.pid}-${++tmpSeq}`);
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(entry));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, final);
    await syncDir(this.dir);
  }

  /** The entry, or undefined when there is none (or it is unreadable: a DEL must still run). */
  async read(network: string, containerID: string, ifName: string): Promise<CachedAttachment | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(network, containerID, ifName), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const v: unknown = JSON.parse(text);
      return isObject(v) && v.kind === 'cniCacheV1' ? (v as unknown as CachedAttachment) : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(network: string, containerID: string, ifName: string): Promise<void> {
    await rm(this.path(network, containerID, ifName), { force: true });
  }

  /** Every cached attachment of `network` (libcni's GetCachedAttachments). */
  async list(network: string): Promise<CachedAttachment[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const out: CachedAttachment[] = [];
    for (const name of names) {
      if (!name.startsWith(`${network}-`)) continue;
      try {
        const v: unknown = JSON.parse(await readFile(join(this.dir, name), 'utf8'));
        if (isObject(v) && v.kind === 'cniCacheV1' && v.networkName === network) out.push(v as unknown as CachedAttachment);
      } catch {
        // a file that is not an entry: not an attachment
      }
    }
    return out;
  }
}

/** fsync a directory, so a rename in it is durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
