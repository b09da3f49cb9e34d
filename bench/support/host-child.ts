/**
 * `plugd host` in a process of its own, for measuring the host alone (rss suite): the same
 * main() bin/plugd.js runs, plus a lifeline. The bench stops it with SIGTERM (a graceful
 * stop); if instead the bench's end of stdin closes first, the bench died, and this process
 * removes the socket directory named by $PLUGD_BENCH_OWNED_DIR and kills itself at once:
 * its stdout is then a broken pipe, on which the host's exit-time log flush would retry
 * EPIPE forever (sonic-boom flushSync), so a graceful stop would leave an orphan.
 *
 *   node dist/bench/support/host-child.js host --socket-dir DIR --admin 127.0.0.1:0
 */
import { rmSync } from 'node:fs';
import { main } from '../../host/cli.js';

process.stdin.on('end', () => {
  const owned = process.env.PLUGD_BENCH_OWNED_DIR;
  if (owned) rmSync(owned, { recursive: true, force: true });
  process.kill(process.pid, 'SIGKILL');
});
process.stdin.resume();
await main(process.argv.slice(2));
