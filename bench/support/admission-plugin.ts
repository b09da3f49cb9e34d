/**
 * The admission bench's plugins (admission-handlers.ts): one in a process of its own, or
 * several in one process (servePlugins), each on its own socket:
 *   node dist/bench/support/admission-plugin.js --name NAME[,NAME…] --socket-dir DIR
 * Prints {"bound":true} once its sockets listen; exits when stdin closes (the bench's lifeline).
 */
import { parseArgs } from 'node:util';
import { servePlugins } from '../../sdk/index.js';
import { benchPlugin } from './admission-handlers.js';

const { values } = parseArgs({ options: { name: { type: 'string' }, 'socket-dir': { type: 'string' } } });
const defs = (values.name ?? '').split(',').map(benchPlugin);
const served = await servePlugins(defs, { socketDir: values['socket-dir'], parentFd: null, handleSignals: true });
process.stdin.on('end', () => void Promise.all(served.map((p) => p.close())).finally(() => process.exit(0)));
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ bound: true, pid: process.pid })}\n`);
