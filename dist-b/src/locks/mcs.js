import { defineLock } from '../api/define.js';
/** Word 0 of the lock is the queue tail: the address of the last node, 0 if free. */
const TAIL = 0;
/** A queue node: the next waiter's node, and the flag its owner spins on. */
const QN_NEXT = 0;
const QN_LOCKED = 1;
/**
 * MCS queue lock (Mellor-Crummey and Scott 1991; the base of Linux qspinlock):
 * each waiter links its own queue node behind the tail and spins on a flag in
 * that node only, so a release touches exactly one waiter's cache line.
 * Node identities are word addresses (never 0: the control block comes first).
 */
export const mcs = defineLock({
    name: 'mcs',
    summary: 'MCS queue lock: FIFO, each waiter spins on its own queue node in shared memory',
    abilities: { fair: true, parks: false, queued: true },
    nodeWords: 2,
    init(mem, l) {
        mem.store(l + (0 /* TAIL */), 0);
    },
    lock(mem, l, node) {
        mem.store(node + (0 /* QN_NEXT */), 0, 'qnode');
        mem.store(node + (1 /* QN_LOCKED */), 1, 'qnode');
        const prev = mem.exchange(l + (0 /* TAIL */), node, 'lock');
        if (prev === 0)
            return;
        // Publish ourselves to the predecessor; it clears our flag on release.
        mem.store(prev + (0 /* QN_NEXT */), node, 'lock');
        while (mem.load(node + (1 /* QN_LOCKED */), 'lock') !== 0)
            mem.spin(l);
    },
    trylock(mem, l, node) {
        mem.store(node + (0 /* QN_NEXT */), 0, 'qnode');
        return mem.cas(l + (0 /* TAIL */), 0, node, 'lock') === 0;
    },
    unlock(mem, l, node) {
        let next = mem.load(node + (0 /* QN_NEXT */), 'unlock');
        if (next === 0) {
            // No known successor: try to swing the tail back to empty.
            if (mem.cas(l + (0 /* TAIL */), node, 0, 'unlock') === node)
                return;
            // A successor swapped the tail but has not linked itself yet: wait for it.
            while ((next = mem.load(node + (0 /* QN_NEXT */), 'unlock')) === 0)
                mem.spin(l);
        }
        mem.store(next + (1 /* QN_LOCKED */), 0, 'unlock');
    },
    locked(mem, l) {
        return mem.words[l + (0 /* TAIL */)] !== 0;
    },
});
//# sourceMappingURL=mcs.js.map