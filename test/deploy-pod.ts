/**
 * Runs the containers of a pod from deploy/ on this machine, as kubelet would run them as far
 * as a test can: each volume becomes a temp directory (ConfigMaps written out from the
 * manifests), the image's /opt/plugd is this repository, $(VAR) references are expanded from
 * the container's env, and exec probes run their command for real.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, spawnNode, tempDir, type PluginProcess } from './helpers.js';

export const IMAGE_ROOT = '/opt/plugd';

export interface PodContainer {
  name: string;
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  readinessProbe?: { exec?: { command: string[] } };
  startupProbe?: { exec?: { command: string[] } };
}

export interface PodVolume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string };
  emptyDir?: object;
  hostPath?: { path: string };
}

/** One pod's worth of volumes (shared by its containers), and the downward-API values. */
export class PodSandbox {
  readonly dirs = new Map<string, string>();
  constructor(
    readonly volumes: PodVolume[],
    readonly fields: Record<string, string>,
    configMaps: (name: string) => Record<string, string> | undefined,
    secrets: Record<string, string> = {},
    /** hostPath volumes shared with other pods on the same "node": path → directory. */
    hostPaths: Map<string, string> = new Map(),
  ) {
    for (const v of volumes) {
      if (v.hostPath) {
        if (!hostPaths.has(v.hostPath.path)) hostPaths.set(v.hostPath.path, tempDir('plugd-hostpath-'));
        this.dirs.set(v.name, hostPaths.get(v.hostPath.path)!);
        continue;
      }
      if (v.secret) {
        const from = secrets[v.secret.secretName];
        if (from === undefined) throw new Error(`no files for Secret ${v.secret.secretName}`);
        this.dirs.set(v.name, from);
        continue;
      }
      const dir = tempDir(`plugd-vol-${v.name}-`);
      this.dirs.set(v.name, dir);
      if (v.configMap) for (const [key, text] of Object.entries(configMaps(v.configMap.name) ?? {})) writeFileSync(join(dir, key), text);
    }
  }

  /** The container's env with downward-API fields and $(VAR) references resolved. */
  env(c: PodContainer): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of c.env ?? []) {
      const raw = e.value ?? this.fields[e.valueFrom?.fieldRef?.fieldPath ?? ''] ?? '';
      out[e.name] = this.#map(c, expand(raw, out));
    }
    return out;
  }

  /** A container's path or argument as this machine sees it. */
  #map(c: PodContainer, arg: string): string {
    if (arg === IMAGE_ROOT || arg.startsWith(`${IMAGE_ROOT}/`)) return ROOT + arg.slice(IMAGE_ROOT.length);
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => b.mountPath.length - a.mountPath.length);
    for (const m of mounts) {
      if (arg === m.mountPath || arg.startsWith(`${m.mountPath}/`)) {
        const dir = this.dirs.get(m.name)!;
        mkdirSync(dir, { recursive: true });
        return dir + arg.slice(m.mountPath.length);
      }
    }
    return arg;
  }

  /** The container's args, expanded and mapped. */
  args(c: PodContainer): string[] {
    const env = this.env(c);
    return (c.args ?? []).map((a) => this.#map(c, expand(a, env)));
  }

  /** Starts `plugd ARGS…` for the container (its image's entrypoint), with its env (and `extraEnv`). */
  start(c: PodContainer, args = this.args(c), extraEnv: Record<string, string> = {}): PluginProcess {
    return spawnNode(CLI, args, { ...this.env(c), ...extraEnv });
  }

  /**
   * Runs an exec probe's command as kubelet would; resolves true when it exits 0. Asynchronous:
   * the probe may ask a host that lives in this very process.
   */
  probe(c: PodContainer, probe: { exec?: { command: string[] } } | undefined): Promise<boolean> {
    const [cmd, ...rest] = probe!.exec!.command.map((a) => this.#map(c, a));
    return new Promise((resolve) => {
      execFile(cmd === 'node' ? process.execPath : cmd!, rest, { env: { ...process.env, ...this.env(c) }, timeout: 10_000 }, (err) => resolve(err === null));
    });
  }
}

/** Kubernetes' $(VAR) expansion in args and env values ($$ escapes; unknown stays as is). */
export function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => (m === '$$' ? '$' : env[name!] ?? m));
}
