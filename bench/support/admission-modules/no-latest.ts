/** bench-no-latest as a plugin module (default export), for the host's admission.inProcess in bench/admission.ts. */
import { benchPlugin } from '../admission-handlers.js';

export default benchPlugin('bench-no-latest');
