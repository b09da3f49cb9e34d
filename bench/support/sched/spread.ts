/** bench-spread as a plugin process: plugd serve dist/bench/support/sched/spread.js */
import { spreadPlugin } from './plugins.js';

export default spreadPlugin();
