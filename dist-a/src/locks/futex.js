import { defineLock } from '../api/define.js';
/** Lock word states (Drepper, "Futexes Are Tricky", mutex 3). */
export const FUTEX_FREE = 0;
export const FUTEX_LOCKED = 1;
export const FUTEX_CONTENDED = 2;
/**
 * Sleep until the word is no longer FUTEX_CONTENDED, then retake it as
 * contended. The shared slow path of the parking locks. Marking the word
 * contended *before* sleeping is what makes the unlock's wake-up impossible
 * to miss: the wait sleeps only if the word still reads 2.
 */
export function futexLockSlow(mem, l, c) {
    if (c !== (2 /* FUTEX_CONTENDED */))
        c = mem.exchange(l, (2 /* FUTEX_CONTENDED */), 'lock');
    while (c !== (0 /* FUTEX_FREE */)) {
        mem.wait(l, (2 /* FUTEX_CONTENDED */));
        c = mem.exchange(l, (2 /* FUTEX_CONTENDED */), 'lock');
    }
}
export function futexUnlock(mem, l) {
    // 1 -> 0 needs no wake-up; 2 -> free and wake one sleeper.
    if (mem.add(l, -1, 'unlock') !== (1 /* FUTEX_LOCKED */)) {
        mem.store(l, (0 /* FUTEX_FREE */), 'unlock');
        mem.notify(l, 1);
    }
}
/**
 * Futex-style mutex on Atomics.wait/notify: one CAS when free; otherwise mark
 * the word contended and sleep; unlock wakes one sleeper only if any may sleep.
 */
export const futex = defineLock({
    name: 'futex',
    summary: 'futex-style mutex: CAS when free, else sleep in Atomics.wait; unlock wakes one sleeper',
    abilities: { fair: false, parks: true, queued: false },
    init(mem, l) {
        mem.store(l, (0 /* FUTEX_FREE */));
    },
    lock(mem, l) {
        const c = mem.cas(l, (0 /* FUTEX_FREE */), (1 /* FUTEX_LOCKED */), 'lock');
        if (c !== (0 /* FUTEX_FREE */))
            futexLockSlow(mem, l, c);
    },
    trylock(mem, l) {
        return mem.cas(l, (0 /* FUTEX_FREE */), (1 /* FUTEX_LOCKED */), 'lock') === (0 /* FUTEX_FREE */);
    },
    unlock(mem, l) {
        futexUnlock(mem, l);
    },
    locked(mem, l) {
        return mem.words[l] !== (0 /* FUTEX_FREE */);
    },
});
//# sourceMappingURL=futex.js.map