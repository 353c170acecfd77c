/**
 * The overhead section run pinned to one CPU: started by overhead.ts as
 * `taskset -c CPU node dist/bench/overhead-pinned.js PROFILE CPU`; writes
 * its result as JSON on stdout.
 */
import { setV8Flags } from '../src/engine/engine.js';
import { measureOverheadHere, profileNamed } from './overhead.js';

setV8Flags();
const [profile = 'full', cpu = '-1'] = process.argv.slice(2);
const r = await measureOverheadHere(profileNamed(profile), { cpu: Number(cpu) });
process.stdout.write(JSON.stringify(r));
