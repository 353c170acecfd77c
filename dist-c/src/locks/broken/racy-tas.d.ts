/**
 * BROKEN: test, then set, as two separate steps: two waiters can both see 0
 * and both "take" the lock. Kept so the validation can prove it fails on a
 * wrong lock (a check that cannot fail proves nothing) and races can run it.
 */
export declare const racyTas: import("../../api/types.js").LockDef;
