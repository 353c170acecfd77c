import type { LockAlgorithm } from './lock.js';
import { P_LOCK, P_SPIN, P_UNLOCK, SCHED } from '../sched.js';

/** Word 0 hands out tickets; word 1 is the ticket now served. */
const NEXT = 0;
const OWNER = 1;

/**
 * Ticket lock (Linux x86 spinlocks 2008-2014): a waiter takes the next ticket
 * with one atomic add and spins until it is served. FIFO-fair; a preempted
 * waiter blocks everyone queued behind it.
 */
export const ticket: LockAlgorithm = {
  name: 'ticket',
  summary: 'ticket lock: FIFO by atomic add, all waiters spin on one "now serving" word',
  abilities: { fair: true, parks: false, queued: false },
  init(m, l) {
    Atomics.store(m, l + NEXT, 0);
    Atomics.store(m, l + OWNER, 0);
  },
  lock(m, l) {
    if (SCHED.on) SCHED.point(P_LOCK, l);
    const t = Atomics.add(m, l + NEXT, 1);
    while (Atomics.load(m, l + OWNER) !== t) {
      if (SCHED.on) SCHED.spin(P_SPIN, l);
    }
  },
  trylock(m, l) {
    if (SCHED.on) SCHED.point(P_LOCK, l);
    const serving = Atomics.load(m, l + OWNER);
    return Atomics.compareExchange(m, l + NEXT, serving, (serving + 1) | 0) === serving;
  },
  unlock(m, l) {
    if (SCHED.on) SCHED.point(P_UNLOCK, l);
    // Only the holder writes OWNER, so a plain read of it is exact.
    Atomics.store(m, l + OWNER, (m[l + OWNER]! + 1) | 0);
  },
  locked(m, l) {
    return Atomics.load(m, l + NEXT) !== Atomics.load(m, l + OWNER);
  },
};
