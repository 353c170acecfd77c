import { defineLock } from '../../api/define.js';
/** Words of the lost-wake-up mutex: the lock, an event word sleepers wait on, a "someone sleeps" flag. */
const LW_LOCK = 0;
const LW_EVENT = 1;
const LW_WAITERS = 2;
/**
 * BROKEN: a mutex with a lost wake-up. A waiter checks that the lock is
 * held and then sleeps on a separate event word, as two steps. If the holder
 * unlocks and signals between them, the signal finds nobody asleep, is spent
 * (the flag is cleared, the event word reset), and the waiter sleeps forever.
 * The futex mutex avoids this by sleeping on the lock word itself, with the
 * value it checked: the kernel compares and sleeps atomically.
 */
export const futexLostWake = defineLock({
    name: 'futex-lostwake',
    summary: 'BROKEN: checks the lock, then sleeps on a separate event word non-atomically (a lost wake-up hangs)',
    broken: true,
    abilities: { fair: false, parks: true, queued: false },
    init(mem, l) {
        mem.store(l + (0 /* LW_LOCK */), 0);
        mem.store(l + (1 /* LW_EVENT */), 0);
        mem.store(l + (2 /* LW_WAITERS */), 0);
    },
    lock(mem, l) {
        for (;;) {
            if (mem.cas(l + (0 /* LW_LOCK */), 0, 1, 'lock') === 0)
                return;
            mem.store(l + (2 /* LW_WAITERS */), 1, 'lock');
            // The window: an unlock here signals nobody, and we sleep on anyway.
            mem.wait(l + (1 /* LW_EVENT */), 0);
            mem.store(l + (1 /* LW_EVENT */), 0, 'lock');
        }
    },
    trylock(mem, l) {
        return mem.cas(l + (0 /* LW_LOCK */), 0, 1, 'lock') === 0;
    },
    unlock(mem, l) {
        mem.store(l + (0 /* LW_LOCK */), 0, 'unlock');
        if (mem.exchange(l + (2 /* LW_WAITERS */), 0, 'unlock') !== 0) {
            mem.store(l + (1 /* LW_EVENT */), 1, 'unlock');
            mem.notify(l + (1 /* LW_EVENT */), 1);
            mem.store(l + (1 /* LW_EVENT */), 0, 'unlock');
        }
    },
    locked(mem, l) {
        return mem.words[l + (0 /* LW_LOCK */)] !== 0;
    },
});
//# sourceMappingURL=lost-wakeup.js.map