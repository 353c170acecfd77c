import type { LockAlgorithm } from './lock.js';
import { P_LOCK, P_SPIN, P_UNLOCK, SCHED, futexWait, futexWake } from '../sched.js';

/**
 * Deliberately broken locks. `--lock` accepts them (named as broken) so that
 * the validation tests can prove they fail on a wrong lock (a check that
 * cannot fail proves nothing) and so that race scenarios can run them.
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
      if (SCHED.on) SCHED.point(P_LOCK, l);
      if (Atomics.load(m, l) === 0) {
        // The window: another waiter can pass the same check right here.
        if (SCHED.on) SCHED.point(P_LOCK, l);
        Atomics.store(m, l, 1);
        return;
      }
      if (SCHED.on) SCHED.spin(P_SPIN, l);
    }
  },
  trylock(m, l) {
    if (SCHED.on) SCHED.point(P_LOCK, l);
    if (Atomics.load(m, l) !== 0) return false;
    if (SCHED.on) SCHED.point(P_LOCK, l);
    Atomics.store(m, l, 1);
    return true;
  },
  unlock(m, l) {
    if (SCHED.on) SCHED.point(P_UNLOCK, l);
    Atomics.store(m, l, 0);
  },
  locked(m, l) {
    return Atomics.load(m, l) !== 0;
  },
};

/** Words of the lost-wake-up mutex: the lock, an event word sleepers wait on, a "someone sleeps" flag. */
const LW_LOCK = 0;
const LW_EVENT = 1;
const LW_WAITERS = 2;

/**
 * A mutex with a lost wake-up: a waiter checks that the lock is held and
 * then sleeps on a separate event word, as two steps. If the holder unlocks
 * and signals between them, the signal finds nobody asleep, is spent (the
 * flag is cleared, the event word reset), and the waiter sleeps forever.
 * The futex mutex avoids this by sleeping on the lock word itself, with the
 * value it checked: the kernel compares and sleeps atomically.
 */
export const futexLostWake: LockAlgorithm = {
  name: 'futex-lostwake',
  summary: 'BROKEN: checks the lock, then sleeps on a separate event word non-atomically (a lost wake-up hangs)',
  abilities: { fair: false, parks: true, queued: false },
  init(m, l) {
    Atomics.store(m, l + LW_LOCK, 0);
    Atomics.store(m, l + LW_EVENT, 0);
    Atomics.store(m, l + LW_WAITERS, 0);
  },
  lock(m, l) {
    for (;;) {
      if (SCHED.on) SCHED.point(P_LOCK, l);
      if (Atomics.compareExchange(m, l + LW_LOCK, 0, 1) === 0) return;
      if (SCHED.on) SCHED.point(P_LOCK, l);
      Atomics.store(m, l + LW_WAITERS, 1);
      // The window: an unlock here signals nobody, and we sleep on anyway.
      futexWait(m, l + LW_EVENT, 0);
      if (SCHED.on) SCHED.point(P_LOCK, l);
      Atomics.store(m, l + LW_EVENT, 0);
    }
  },
  trylock(m, l) {
    if (SCHED.on) SCHED.point(P_LOCK, l);
    return Atomics.compareExchange(m, l + LW_LOCK, 0, 1) === 0;
  },
  unlock(m, l) {
    if (SCHED.on) SCHED.point(P_UNLOCK, l);
    Atomics.store(m, l + LW_LOCK, 0);
    if (SCHED.on) SCHED.point(P_UNLOCK, l);
    if (Atomics.exchange(m, l + LW_WAITERS, 0) !== 0) {
      Atomics.store(m, l + LW_EVENT, 1);
      futexWake(m, l + LW_EVENT, 1);
      Atomics.store(m, l + LW_EVENT, 0);
    }
  },
  locked(m, l) {
    return Atomics.load(m, l + LW_LOCK) !== 0;
  },
};

export const BROKEN_LOCKS: readonly LockAlgorithm[] = [racyTas, futexLostWake];
