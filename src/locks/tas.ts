import type { LockAlgorithm } from './lock.js';

/** Test-and-set: every attempt is an atomic exchange on the lock word. */
export const tas: LockAlgorithm = {
  name: 'tas',
  summary: 'test-and-set: spin on an atomic exchange; every waiter writes the line (worst-case cache traffic)',
  abilities: { fair: false, parks: false, queued: false },
  init(m, l) {
    Atomics.store(m, l, 0);
  },
  lock(m, l) {
    while (Atomics.exchange(m, l, 1) !== 0) {
      /* spin: each try is a write */
    }
  },
  trylock(m, l) {
    return Atomics.exchange(m, l, 1) === 0;
  },
  unlock(m, l) {
    Atomics.store(m, l, 0);
  },
  locked(m, l) {
    return Atomics.load(m, l) !== 0;
  },
};
