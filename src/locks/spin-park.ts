import type { LockAlgorithm } from './lock.js';
import { FUTEX_FREE, FUTEX_LOCKED, futex, futexLockSlow } from './futex.js';
import { spinDelay } from './spin.js';
import { P_LOCK, P_SPIN, SCHED } from '../sched.js';

/**
 * Optimistic spin budget before sleeping, in read attempts (each followed by a
 * short delay). Linux mutexes spin while the owner runs on a CPU; JavaScript
 * cannot see whether the owner runs, so the budget is a count (about 5-20 us
 * on a current x86 core).
 */
const SPIN_TRIES = 200;
const SPIN_DELAY = 16;

/**
 * Spin-then-park: the futex mutex's word and wake-up protocol, preceded by a
 * bounded optimistic spin, as kernel mutexes do (mutex_optimistic_spin).
 */
export const spinPark: LockAlgorithm = {
  name: 'spin-park',
  summary: `spin-then-park: spin up to ${SPIN_TRIES} tries, then sleep like the futex mutex (kernel mutex optimistic spinning)`,
  abilities: { fair: false, parks: true, queued: false },
  // The futex mutex's word: the same init, trylock, unlock and locked.
  init: futex.init,
  lock(m, l) {
    if (SCHED.on) SCHED.point(P_LOCK, l);
    let c = Atomics.compareExchange(m, l, FUTEX_FREE, FUTEX_LOCKED);
    if (c === FUTEX_FREE) return;
    for (let i = 0; i < SPIN_TRIES; i++) {
      if (SCHED.on) SCHED.spin(P_SPIN, l);
      spinDelay(SPIN_DELAY);
      if (Atomics.load(m, l) === FUTEX_FREE) {
        if (SCHED.on) SCHED.point(P_LOCK, l);
        c = Atomics.compareExchange(m, l, FUTEX_FREE, FUTEX_LOCKED);
        if (c === FUTEX_FREE) return;
      }
    }
    futexLockSlow(m, l, Atomics.load(m, l));
  },
  trylock: futex.trylock,
  unlock: futex.unlock,
  locked: futex.locked,
};
