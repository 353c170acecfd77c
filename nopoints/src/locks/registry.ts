import type { LockAlgorithm } from './lock.js';
import { tas } from './tas.js';
import { ttas } from './ttas.js';
import { ticket } from './ticket.js';
import { mcs } from './mcs.js';
import { futex } from './futex.js';
import { spinPark } from './spin-park.js';
import { BROKEN_LOCKS } from './broken.js';

/**
 * Every lock algorithm, by name. A new algorithm is one file plus one line
 * here; the CLI, the validation tests and the benchmarks all read this list.
 */
export const LOCKS: readonly LockAlgorithm[] = [tas, ttas, ticket, mcs, futex, spinPark];

export const LOCK_NAMES: readonly string[] = LOCKS.map((a) => a.name);
export const BROKEN_LOCK_NAMES: readonly string[] = BROKEN_LOCKS.map((a) => a.name);

/** Any lock by name, the deliberately broken ones (locks/broken.ts) included. */
export function lockByName(name: string): LockAlgorithm | undefined {
  return LOCKS.find((a) => a.name === name) ?? BROKEN_LOCKS.find((a) => a.name === name);
}
