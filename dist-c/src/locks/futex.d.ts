import type { Mem } from '../api/types.js';
/** Lock word states (Drepper, "Futexes Are Tricky", mutex 3). */
export declare const FUTEX_FREE = 0;
export declare const FUTEX_LOCKED = 1;
export declare const FUTEX_CONTENDED = 2;
/**
 * Sleep until the word is no longer FUTEX_CONTENDED, then retake it as
 * contended. The shared slow path of the parking locks. Marking the word
 * contended *before* sleeping is what makes the unlock's wake-up impossible
 * to miss: the wait sleeps only if the word still reads 2.
 */
export declare function futexLockSlow(mem: Mem, l: number, c: number): void;
export declare function futexUnlock(mem: Mem, l: number): void;
/**
 * Futex-style mutex on Atomics.wait/notify: one CAS when free; otherwise mark
 * the word contended and sleep; unlock wakes one sleeper only if any may sleep.
 */
export declare const futex: import("../api/types.js").LockDef;
