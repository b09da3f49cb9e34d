/**
 * Exec'd CNI plugins, as libcni's invoke package runs them: found by type on the CNI path,
 * run with the host's environment plus CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME,
 * CNI_ARGS and CNI_PATH (overriding any inherited CNI_* of those names), the config on stdin;
 * a zero exit's stdout is the result, a non-zero exit's stdout is a CNI error (libcni's
 * pluginErr wording when it is not one). VERSION answers are cached per binary file.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { CniCode, CniError, isObject, type CniCommand } from './cni.js';

/** The CNI environment of one exec. */
export interface ExecEnv {
  command: CniCommand;
  containerID: string;
  netns: string;
  ifName: string;
  args: string;
  path: readonly string[];
  /** More environment for the plugin (below the CNI_* variables, which it cannot override). */
  extra?: Readonly<Record<string, string>>;
}

const CNI_ENV_KEYS = ['CNI_COMMAND', 'CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_ARGS', 'CNI_PATH'];

/** libcni's FindInPath: the first executable regular file named `type` in `dirs`. */
export function findInPath(type: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    if (dir === '') continue;
    const p = join(dir, type);
    try {
      if (!statSync(p).isFile()) continue;
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

// The host's environment minus the CNI_* an exec sets itself, computed once: it does not change.
let baseEnv: Record<string, string> | undefined;
function inheritedEnv(): Record<string, string> {
  if (!baseEnv) {
    baseEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !CNI_ENV_KEYS.includes(k)) baseEnv[k] = v;
  }
  return baseEnv;
}

export interface ExecOutcome {
  /** stdout of a zero exit (may be empty). */
  readonly stdout: Buffer;
  /** stderr, for the log (the plugin's own diagnostics). */
  readonly stderr: string;
}

/**
 * Runs `binary` once. Resolves with stdout on exit 0; rejects with the plugin's CNI error on a
 * non-zero exit, with 11 when it does not finish within `timeoutMs` (it is killed), or with 5
 * when it cannot be started. `plugin` names it in every error.
 */
export function execPlugin(binary: string, plugin: string, env: ExecEnv, stdin: Buffer, timeoutMs: number): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [], {
      env: {
        ...inheritedEnv(),
        ...env.extra,
        CNI_COMMAND: env.command,
        CNI_CONTAINERID: env.containerID,
        CNI_NETNS: env.netns,
        CNI_IFNAME: env.ifName,
        CNI_ARGS: env.args,
        CNI_PATH: env.path.join(':'),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    // A plugin that exits without reading stdin breaks the pipe: that is its answer, not ours.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new CniError(CniCode.IO_FAILURE, `failed to run ${binary}`, e.message, { plugin, cause: e }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      const stderr = Buffer.concat(err).toString();
      if (timedOut) return reject(new CniError(CniCode.TRY_AGAIN_LATER, `${env.command} did not finish within ${timeoutMs} ms and was killed`, binary, { plugin }));
      if (code === 0) return resolve({ stdout, stderr });
      reject(pluginErr(plugin, code, signal, stdout, stderr));
    });
  });
}

/** libcni's pluginErr: the CNI error on stdout, or one made from stderr or the exit status. */
function pluginErr(plugin: string, code: number | null, signal: NodeJS.Signals | null, stdout: Buffer, stderr: string): CniError {
  const status = signal ? `signal ${signal}` : `exit status ${code}`;
  if (stdout.length === 0) {
    return new CniError(CniCode.INTERNAL, stderr ? `netplugin failed: ${JSON.stringify(stderr.trim())}` : `netplugin failed with no error message: ${status}`, '', { plugin });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.toString());
  } catch (e) {
    return new CniError(CniCode.INTERNAL, `netplugin failed but error parsing its diagnostic message ${JSON.stringify(stdout.toString())}: ${(e as Error).message}`, '', { plugin });
  }
  if (!isObject(parsed)) return new CniError(CniCode.INTERNAL, `netplugin failed: ${JSON.stringify(stdout.toString())}`, '', { plugin });
  const c = typeof parsed.code === 'number' ? parsed.code : CniCode.INTERNAL;
  return new CniError(c, typeof parsed.msg === 'string' ? parsed.msg : '', typeof parsed.details === 'string' ? parsed.details : '', { plugin });
}

interface VersionEntry {
  readonly key: string;
  readonly versions: Promise<readonly string[]>;
}
const versionCache = new Map<string, VersionEntry>();

/**
 * The versions `binary` supports (its VERSION answer), asked once per file version (path,
 * inode, size, mtime): a package upgrade is noticed, a steady state costs one stat per call.
 */
export function supportedVersions(binary: string, plugin: string, timeoutMs: number): Promise<readonly string[]> {
  const st = statSync(binary);
  const key = `${st.ino}:${st.size}:${st.mtimeMs}`;
  const hit = versionCache.get(binary);
  if (hit?.key === key) return hit.versions;
  const env: ExecEnv = { command: 'VERSION', containerID: '', netns: '', ifName: '', args: '', path: [] };
  const versions = execPlugin(binary, plugin, env, Buffer.from('{"cniVersion":"1.1.0"}'), timeoutMs).then(({ stdout }) => {
    let v: unknown;
    try {
      v = JSON.parse(stdout.toString());
    } catch (e) {
      throw new CniError(CniCode.DECODING_FAILURE, 'failed to decode the VERSION answer', (e as Error).message, { plugin });
    }
    // A plugin of spec 0.1.0 prints nothing useful: libcni assumes 0.1.0 and 0.2.0.
    const list = isObject(v) && Array.isArray(v.supportedVersions) ? v.supportedVersions.filter((x): x is string => typeof x === 'string') : ['0.1.0', '0.2.0'];
    return Object.freeze(list);
  });
  versionCache.set(binary, { key, versions });
  // A failed VERSION is asked again next time rather than remembered.
  versions.catch(() => {
    if (versionCache.get(binary)?.versions === versions) versionCache.delete(binary);
  });
  return versions;
}
