import type { LockAlgorithm } from './lock.js';
import { P_LOCK, P_SPIN, P_UNLOCK, SCHED } from '../sched.js';

/** Test-and-set: every attempt is an atomic exchange on the lock word. */
export const tas: LockAlgorithm = {
  name: 'tas',
  summary: 'test-and-set: spin on an atomic exchange; every waiter writes the line (worst-case cache traffic)',
  abilities: { fair: false, parks: false, queued: false },
  init(m, l) {
    Atomics.store(m, l, 0);
  },
  lock(m, l) {
    for (;;) {
      if (SCHED.on) SCHED.point(P_LOCK, l);
      if (Atomics.exchange(m, l, 1) === 0) return;
      if (SCHED.on) SCHED.spin(P_SPIN, l);
    }
  },
  trylock(m, l) {
    if (SCHED.on) SCHED.point(P_LOCK, l);
    return Atomics.exchange(m, l, 1) === 0;
  },
  unlock(m, l) {
    if (SCHED.on) SCHED.point(P_UNLOCK, l);
    Atomics.store(m, l, 0);
  },
  locked(m, l) {
    return Atomics.load(m, l) !== 0;
  },
};
