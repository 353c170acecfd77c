import type { LockAlgorithm } from './lock.js';
import { P_LOCK, P_UNLOCK, SCHED, futexWait, futexWake } from '../sched.js';

/** Lock word states (Drepper, "Futexes Are Tricky", mutex 3). */
export const FUTEX_FREE = 0;
export const FUTEX_LOCKED = 1;
export const FUTEX_CONTENDED = 2;

/**
 * Sleep in Atomics.wait until the word is no longer FUTEX_CONTENDED, then
 * retake it as contended. The shared slow path of the parking locks.
 * Marking the word contended *before* sleeping is what makes the unlock's
 * wake-up impossible to miss: wait() sleeps only if the word still reads 2.
 */
export function futexLockSlow(m: Int32Array, l: number, c: number): void {
  if (c !== FUTEX_CONTENDED) {
    if (SCHED.on) SCHED.point(P_LOCK, l);
    c = Atomics.exchange(m, l, FUTEX_CONTENDED);
  }
  while (c !== FUTEX_FREE) {
    futexWait(m, l, FUTEX_CONTENDED);
    if (SCHED.on) SCHED.point(P_LOCK, l);
    c = Atomics.exchange(m, l, FUTEX_CONTENDED);
  }
}

export function futexUnlock(m: Int32Array, l: number): void {
  // 1 -> 0 needs no wake-up; 2 -> free and wake one sleeper.
  if (SCHED.on) SCHED.point(P_UNLOCK, l);
  if (Atomics.sub(m, l, 1) !== FUTEX_LOCKED) {
    if (SCHED.on) SCHED.point(P_UNLOCK, l);
    Atomics.store(m, l, FUTEX_FREE);
    futexWake(m, l, 1);
  }
}

/**
 * Futex-style mutex on Atomics.wait/notify: one CAS when free; otherwise mark
 * the word contended and sleep; unlock wakes one sleeper only if any may sleep.
 */
export const futex: LockAlgorithm = {
  name: 'futex',
  summary: 'futex-style mutex: CAS when free, else sleep in Atomics.wait; unlock wakes one sleeper',
  abilities: { fair: false, parks: true, queued: false },
  init(m, l) {
    Atomics.store(m, l, FUTEX_FREE);
  },
  lock(m, l) {
    if (SCHED.on) SCHED.point(P_LOCK, l);
    const c = Atomics.compareExchange(m, l, FUTEX_FREE, FUTEX_LOCKED);
    if (c !== FUTEX_FREE) futexLockSlow(m, l, c);
  },
  trylock(m, l) {
    if (SCHED.on) SCHED.point(P_LOCK, l);
    return Atomics.compareExchange(m, l, FUTEX_FREE, FUTEX_LOCKED) === FUTEX_FREE;
  },
  unlock(m, l) {
    futexUnlock(m, l);
  },
  locked(m, l) {
    return Atomics.load(m, l) !== FUTEX_FREE;
  },
};
