/** Where plugins and the host meet when nobody says otherwise. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The default socket directory: $PLUGD_SOCKET_DIR, else $XDG_RUNTIME_DIR/plugd, else
 * <tmpdir>/plugd-<uid>. The host creates it 0700 when it is missing.
 */
export function defaultSocketDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PLUGD_SOCKET_DIR) return env.PLUGD_SOCKET_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'plugd');
  return join(tmpdir(), `plugd-${process.getuid?.() ?? 'user'}`);
}
