import { defineLock } from '../../api/define.js';
/**
 * BROKEN: test, then set, as two separate steps: two waiters can both see 0
 * and both "take" the lock. Kept so the validation can prove it fails on a
 * wrong lock (a check that cannot fail proves nothing) and races can run it.
 */
export const racyTas = defineLock({
    name: 'racy-tas',
    summary: 'BROKEN: reads the word, then writes 1 without an atomic exchange',
    broken: true,
    abilities: { fair: false, parks: false, queued: false },
    init(mem, l) {
        mem.store(l, 0);
    },
    lock(mem, l) {
        for (;;) {
            if (mem.load(l, 'lock') === 0) {
                // The window: another waiter can pass the same check right here.
                mem.store(l, 1, 'lock');
                return;
            }
            mem.spin(l);
        }
    },
    trylock(mem, l) {
        if (mem.load(l, 'lock') !== 0)
            return false;
        mem.store(l, 1, 'lock');
        return true;
    },
    unlock(mem, l) {
        mem.store(l, 0, 'unlock');
    },
    locked(mem, l) {
        return mem.words[l] !== 0;
    },
});
//# sourceMappingURL=racy-tas.js.map