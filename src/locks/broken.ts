import type { LockAlgorithm } from './lock.js';

/**
 * Deliberately broken locks. They are never offered by `--lock`; they exist
 * so that the validation tests can prove they fail on a wrong lock (a check
 * that cannot fail proves nothing) and so that race scenarios can run them.
 */

/** Test, then set, as two separate steps: two waiters can both see 0 and both "take" it. */
export const racyTas: LockAlgorithm = {
  name: 'racy-tas',
  summary: 'BROKEN: reads the word, then writes 1 without an atomic exchange',
  abilities: { fair: false, parks: false, queued: false },
  init(m, l) {
    Atomics.store(m, l, 0);
  },
  lock(m, l) {
    for (;;) {
      if (Atomics.load(m, l) === 0) {
        // The window: another waiter can pass the same check right here.
        Atomics.store(m, l, 1);
        return;
      }
    }
  },
  trylock(m, l) {
    if (Atomics.load(m, l) !== 0) return false;
    Atomics.store(m, l, 1);
    return true;
  },
  unlock(m, l) {
    Atomics.store(m, l, 0);
  },
  locked(m, l) {
    return Atomics.load(m, l) !== 0;
  },
};

export const BROKEN_LOCKS: readonly LockAlgorithm[] = [racyTas];
