/**
 * Spin-then-park: the futex mutex's word and wake-up protocol, preceded by a
 * bounded optimistic spin, as kernel mutexes do (mutex_optimistic_spin).
 */
export declare const spinPark: import("../api/types.js").LockDef;
