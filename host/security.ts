/**
 * Socket directory safety: whoever can write the directory can impersonate any plugin, so
 * the host refuses a directory other users can write to or that another user owns, and
 * creates its own 0700.
 */
import { mkdirSync, statSync } from 'node:fs';
import { ErrorCodes, PlugdError } from './errors.js';

/** Creates `dir` 0700 when missing; throws SOCKET_DIR_INSECURE when it is unsafe (unless allowed). */
export function prepareSocketDir(dir: string, allowInsecure: boolean): { created: boolean; warning: string | undefined } {
  let created = false;
  let st;
  try {
    st = statSync(dir);
  } catch {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    st = statSync(dir);
    created = true;
  }
  if (!st.isDirectory()) throw new PlugdError(ErrorCodes.SOCKET_DIR_INSECURE, `socket directory ${dir} is not a directory`);
  const uid = process.getuid?.() ?? st.uid;
  const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
  const problems: string[] = [];
  if (st.uid !== uid && st.uid !== 0) problems.push(`it is owned by uid ${st.uid}, not by this host's uid ${uid}`);
  if (st.mode & 0o022) problems.push(`its mode ${mode} lets ${st.mode & 0o002 ? 'any user' : 'its group'} create sockets in it`);
  if (problems.length === 0) return { created, warning: undefined };
  const message = `socket directory ${dir} is unsafe: ${problems.join('; ')} (chmod 0700 it, or pass --allow-insecure-socket-dir)`;
  if (!allowInsecure) throw new PlugdError(ErrorCodes.SOCKET_DIR_INSECURE, message);
  return { created, warning: message };
}
