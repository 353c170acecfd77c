/**
 * BROKEN: a mutex with a lost wake-up. A waiter checks that the lock is
 * held and then sleeps on a separate event word, as two steps. If the holder
 * unlocks and signals between them, the signal finds nobody asleep, is spent
 * (the flag is cleared, the event word reset), and the waiter sleeps forever.
 * The futex mutex avoids this by sleeping on the lock word itself, with the
 * value it checked: the kernel compares and sleeps atomically.
 */
export declare const futexLostWake: import("../../api/types.js").LockDef;
