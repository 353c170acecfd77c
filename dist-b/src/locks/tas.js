import { defineLock } from '../api/define.js';
/** Test-and-set: every attempt is an atomic exchange on the lock word. */
export const tas = defineLock({
    name: 'tas',
    summary: 'test-and-set: spin on an atomic exchange; every waiter writes the line (worst-case cache traffic)',
    abilities: { fair: false, parks: false, queued: false },
    init(mem, l) {
        mem.store(l, 0);
    },
    lock(mem, l) {
        while (mem.exchange(l, 1, 'lock') !== 0)
            mem.spin(l);
    },
    trylock(mem, l) {
        return mem.exchange(l, 1, 'lock') === 0;
    },
    unlock(mem, l) {
        mem.store(l, 0, 'unlock');
    },
    locked(mem, l) {
        return mem.words[l] !== 0;
    },
});
//# sourceMappingURL=tas.js.map