/**
 * One of the admission bench's plugins (admission-handlers.ts) in a process of its own:
 *   node dist/bench/support/admission-plugin.js --name NAME --socket-dir DIR
 * Prints {"bound":true} once its socket listens; exits when stdin closes (the bench's lifeline).
 */
import { parseArgs } from 'node:util';
import { servePlugin } from '../../sdk/index.js';
import { benchPlugins } from './admission-handlers.js';

const { values } = parseArgs({ options: { name: { type: 'string' }, 'socket-dir': { type: 'string' } } });
const def = benchPlugins().find((p) => p.name === values.name);
if (def === undefined) throw new Error(`admission-plugin: no bench plugin ${values.name}`);
const served = await servePlugin(def, { socketDir: values['socket-dir'], parentFd: null, handleSignals: true });
process.stdin.on('end', () => void served.close().finally(() => process.exit(0)));
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ bound: true, pid: process.pid })}\n`);
