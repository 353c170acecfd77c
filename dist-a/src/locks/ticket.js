import { defineLock } from '../api/define.js';
/** Word 0 hands out tickets; word 1 is the ticket now served. */
const NEXT = 0;
const OWNER = 1;
/**
 * Ticket lock (Linux x86 spinlocks 2008-2014): a waiter takes the next ticket
 * with one atomic add and spins until it is served. FIFO-fair; a preempted
 * waiter blocks everyone queued behind it.
 */
export const ticket = defineLock({
    name: 'ticket',
    summary: 'ticket lock: FIFO by atomic add, all waiters spin on one "now serving" word',
    abilities: { fair: true, parks: false, queued: false },
    init(mem, l) {
        mem.store(l + (0 /* NEXT */), 0);
        mem.store(l + (1 /* OWNER */), 0);
    },
    lock(mem, l) {
        const t = mem.add(l + (0 /* NEXT */), 1, 'lock');
        while (mem.load(l + (1 /* OWNER */), 'lock') !== t)
            mem.spin(l);
    },
    trylock(mem, l) {
        const serving = mem.load(l + (1 /* OWNER */), 'lock');
        return mem.cas(l + (0 /* NEXT */), serving, (serving + 1) | 0, 'lock') === serving;
    },
    unlock(mem, l) {
        // Only the holder writes OWNER, so a plain read of it is exact.
        mem.store(l + (1 /* OWNER */), (mem.words[l + (1 /* OWNER */)] + 1) | 0, 'unlock');
    },
    locked(mem, l) {
        return mem.words[l + (0 /* NEXT */)] !== mem.words[l + (1 /* OWNER */)];
    },
});
//# sourceMappingURL=ticket.js.map