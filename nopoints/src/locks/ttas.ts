import type { LockAlgorithm } from './lock.js';
import { spinDelay } from './spin.js';
import { P_LOCK, P_SPIN, P_UNLOCK, SCHED } from '../sched.js';

/** Backoff bounds, in spin-loop iterations. */
const BACKOFF_MIN = 4;
const BACKOFF_MAX = 1024;

/**
 * Test-and-test-and-set with exponential backoff: read until the word looks
 * free, then try the exchange; after a failed try wait twice as long.
 */
export const ttas: LockAlgorithm = {
  name: 'ttas',
  summary: 'test-and-test-and-set with exponential backoff: spin on reads, exchange only when the word looks free',
  abilities: { fair: false, parks: false, queued: false },
  init(m, l) {
    Atomics.store(m, l, 0);
  },
  lock(m, l) {
    let delay = BACKOFF_MIN;
    for (;;) {
      if (SCHED.on) SCHED.point(P_LOCK, l);
      if (Atomics.load(m, l) === 0 && Atomics.exchange(m, l, 1) === 0) return;
      if (SCHED.on) SCHED.spin(P_SPIN, l);
      spinDelay(delay);
      if (delay < BACKOFF_MAX) delay <<= 1;
    }
  },
  trylock(m, l) {
    if (SCHED.on) SCHED.point(P_LOCK, l);
    return Atomics.load(m, l) === 0 && Atomics.exchange(m, l, 1) === 0;
  },
  unlock(m, l) {
    if (SCHED.on) SCHED.point(P_UNLOCK, l);
    Atomics.store(m, l, 0);
  },
  locked(m, l) {
    return Atomics.load(m, l) !== 0;
  },
};
