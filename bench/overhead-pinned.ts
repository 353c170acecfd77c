/**
 * The overhead section run pinned to one CPU: started by overhead.ts under
 * `taskset -c CPU` as `node dist/bench/overhead-pinned.js PROFILE`; writes
 * its result as JSON on stdout.
 */
import { setV8Flags } from '../src/engine/engine.js';
import { PINNED_ENV, measureOverheadHere, profileNamed } from './overhead.js';

setV8Flags();
const cpu = Number(process.env[PINNED_ENV]);
const r = await measureOverheadHere(profileNamed(process.argv[2] ?? 'full'), { cpu });
process.stdout.write(JSON.stringify(r));
