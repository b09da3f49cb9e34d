/** bench-zone as a plugin process: plugd serve dist/bench/support/sched/zone.js */
import { zonePlugin } from './plugins.js';

export default zonePlugin();
