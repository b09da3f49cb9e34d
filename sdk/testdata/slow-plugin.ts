/**
 * A plugin whose Admit is still running when the process is asked to stop, for the SDK's
 * shutdown tests:  plugd serve sdk/testdata/slow-plugin.ts --socket-dir DIR
 * Admit writes "admit: started" to stdout, then holds the call until the process receives
 * SIGTERM, then keeps working for a moment before it answers, so a graceful stop must wait.
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { definePlugin } from '../index.js';

export default definePlugin({
  name: 'slow',
  type: 'AdmissionPlugin',
  capabilities: { kind: 'VALIDATING', sideEffects: 'NONE' },
  handlers: {
    Admit: async (req) => {
      const stopping = once(process, 'SIGTERM');
      process.stdout.write('admit: started\n');
      await stopping;
      // Work left after the signal: an SDK that stopped without draining would cut this call.
      await delay(300);
      return { allowed: true, warnings: [`finished ${req.uid} after SIGTERM`] };
    },
  },
});
