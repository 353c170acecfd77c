import { tas } from './tas.js';
import { ttas } from './ttas.js';
import { ticket } from './ticket.js';
import { mcs } from './mcs.js';
import { futex } from './futex.js';
import { spinPark } from './spin-park.js';
import { racyTas } from './broken/racy-tas.js';
import { futexLostWake } from './broken/lost-wakeup.js';
/**
 * Every built-in lock algorithm, the deliberately broken ones last. A new
 * algorithm is one file plus one line here; the CLI, the validation tests
 * and the benchmarks all read this list. A user's lock is a module named by
 * path (`--lock ./mylock.mjs`), no registry.
 */
export const LOCKS = [tas, ttas, ticket, mcs, futex, spinPark, racyTas, futexLostWake];
/** The correct ones. */
export const GOOD_LOCKS = LOCKS.filter((l) => !l.broken);
export const LOCK_NAMES = GOOD_LOCKS.map((a) => a.name);
export const lockByName = (name) => LOCKS.find((a) => a.name === name);
//# sourceMappingURL=registry.js.map