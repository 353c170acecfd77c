import { defineLock } from '../api/define.js';
import { FUTEX_FREE, FUTEX_LOCKED, futex, futexLockSlow } from './futex.js';
import { spinDelay } from './spin.js';
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
export const spinPark = defineLock({
    name: 'spin-park',
    summary: `spin-then-park: spin up to ${(200 /* SPIN_TRIES */)} tries, then sleep like the futex mutex (kernel mutex optimistic spinning)`,
    abilities: { fair: false, parks: true, queued: false },
    // The futex mutex's word: the same init, trylock, unlock and locked.
    init: futex.init,
    lock(mem, l) {
        let c = mem.cas(l, (0 /* FUTEX_FREE */), (1 /* FUTEX_LOCKED */), 'lock');
        if (c === (0 /* FUTEX_FREE */))
            return;
        for (let i = 0; i < (200 /* SPIN_TRIES */); i++) {
            mem.spin(l);
            spinDelay((16 /* SPIN_DELAY */));
            if (mem.load(l, 'lock') === (0 /* FUTEX_FREE */)) {
                c = mem.cas(l, (0 /* FUTEX_FREE */), (1 /* FUTEX_LOCKED */), 'lock');
                if (c === (0 /* FUTEX_FREE */))
                    return;
            }
        }
        futexLockSlow(mem, l, mem.load(l, 'lock'));
    },
    trylock: futex.trylock,
    unlock: futex.unlock,
    locked: futex.locked,
});
//# sourceMappingURL=spin-park.js.map