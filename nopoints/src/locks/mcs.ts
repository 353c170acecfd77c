import { QN_LOCKED, QN_NEXT, type LockAlgorithm } from './lock.js';
import { P_LOCK, P_SPIN, P_UNLOCK, SCHED } from '../sched.js';

/** Word 0 of the line is the queue tail: the word index of the last node, 0 if free. */
const TAIL = 0;

/**
 * MCS queue lock (Mellor-Crummey and Scott 1991; the base of Linux qspinlock):
 * each waiter links its own queue node behind the tail and spins on a flag in
 * that node only, so a release touches exactly one waiter's cache line.
 * Node identities are word indices (never 0: the control block comes first).
 */
export const mcs: LockAlgorithm = {
  name: 'mcs',
  summary: 'MCS queue lock: FIFO, each waiter spins on its own queue node in shared memory',
  abilities: { fair: true, parks: false, queued: true },
  init(m, l) {
    Atomics.store(m, l + TAIL, 0);
  },
  lock(m, l, node) {
    Atomics.store(m, node + QN_NEXT, 0);
    Atomics.store(m, node + QN_LOCKED, 1);
    if (SCHED.on) SCHED.point(P_LOCK, l);
    const prev = Atomics.exchange(m, l + TAIL, node);
    if (prev === 0) return;
    // Publish ourselves to the predecessor; it clears our flag on release.
    if (SCHED.on) SCHED.point(P_LOCK, l);
    Atomics.store(m, prev + QN_NEXT, node);
    while (Atomics.load(m, node + QN_LOCKED) !== 0) {
      if (SCHED.on) SCHED.spin(P_SPIN, l);
    }
  },
  trylock(m, l, node) {
    Atomics.store(m, node + QN_NEXT, 0);
    if (SCHED.on) SCHED.point(P_LOCK, l);
    return Atomics.compareExchange(m, l + TAIL, 0, node) === 0;
  },
  unlock(m, l, node) {
    if (SCHED.on) SCHED.point(P_UNLOCK, l);
    let next = Atomics.load(m, node + QN_NEXT);
    if (next === 0) {
      // No known successor: try to swing the tail back to empty.
      if (SCHED.on) SCHED.point(P_UNLOCK, l);
      if (Atomics.compareExchange(m, l + TAIL, node, 0) === node) return;
      // A successor swapped the tail but has not linked itself yet: wait for it.
      while ((next = Atomics.load(m, node + QN_NEXT)) === 0) {
        if (SCHED.on) SCHED.spin(P_SPIN, l);
      }
    }
    if (SCHED.on) SCHED.point(P_UNLOCK, l);
    Atomics.store(m, next + QN_LOCKED, 0);
  },
  locked(m, l) {
    return Atomics.load(m, l + TAIL) !== 0;
  },
};
