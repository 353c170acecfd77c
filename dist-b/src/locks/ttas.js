import { defineLock } from '../api/define.js';
import { spinDelay } from './spin.js';
/** Backoff bounds, in spin-loop iterations. */
const BACKOFF_MIN = 4;
const BACKOFF_MAX = 1024;
/**
 * Test-and-test-and-set with exponential backoff: read until the word looks
 * free, then try the exchange; after a failed try wait twice as long.
 */
export const ttas = defineLock({
    name: 'ttas',
    summary: 'test-and-test-and-set with exponential backoff: spin on reads, exchange only when the word looks free',
    abilities: { fair: false, parks: false, queued: false },
    init(mem, l) {
        mem.store(l, 0);
    },
    lock(mem, l) {
        let delay = (4 /* BACKOFF_MIN */);
        for (;;) {
            if (mem.load(l, 'lock') === 0 && mem.exchange(l, 1, 'lock') === 0)
                return;
            mem.spin(l);
            spinDelay(delay);
            if (delay < (1024 /* BACKOFF_MAX */))
                delay <<= 1;
        }
    },
    trylock(mem, l) {
        return mem.load(l, 'lock') === 0 && mem.exchange(l, 1, 'lock') === 0;
    },
    unlock(mem, l) {
        mem.store(l, 0, 'unlock');
    },
    locked(mem, l) {
        return mem.words[l] !== 0;
    },
});
//# sourceMappingURL=ttas.js.map