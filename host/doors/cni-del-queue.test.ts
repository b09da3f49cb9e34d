import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../paths.js';
import { decodeEntry, encodeEntry } from './cni-del-queue.js';

describe('DEL queue entries', () => {
  it('round-trip environment and stdin bytes', () => {
    const req = { env: { CNI_COMMAND: 'DEL', CNI_CONTAINERID: 'c1', CNI_IFNAME: 'eth0', CNI_ARGS: 'A=1;B=x=y', CNI_PATH: '/opt/cni/bin', PLUGD_AS: 'plugd-cni' }, stdin: Buffer.from('{"name":"n",\n\n"x":"é"}') };
    expect(decodeEntry(encodeEntry(req))).toEqual(req);
    expect(decodeEntry(Buffer.from('something else\n\n{}'))).toBeUndefined();
  });

  it('decode what the shell shim writes when the host is unreachable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugd-q-'));
    try {
      const stdin = '{"cniVersion":"1.0.0","name":"podnet","type":"plugd-cni","plugdDelQueueDir":"' + join(dir, 'q') + '"}';
      const run = spawnSync(join(packageRoot(), 'bin', 'plugd-cni'), [], {
        input: stdin,
        env: { PATH: process.env.PATH, CNI_COMMAND: 'DEL', CNI_CONTAINERID: 'c9', CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni', CNI_ARGS: 'K8S_POD_NAME=a', PLUGD_CNI_SOCKET: join(dir, 'none.sock') },
      });
      expect(run.status).toBe(0);
      expect(run.stdout.toString()).toBe('');
      const files = readdirSync(join(dir, 'q'));
      expect(files).toHaveLength(1);
      expect(decodeEntry(readFileSync(join(dir, 'q', files[0]!)))).toEqual({
        env: { CNI_COMMAND: 'DEL', CNI_CONTAINERID: 'c9', CNI_NETNS: '', CNI_IFNAME: 'eth0', CNI_ARGS: 'K8S_POD_NAME=a', CNI_PATH: '/usr/lib/cni', PLUGD_AS: 'plugd-cni' },
        stdin: Buffer.from(stdin),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
