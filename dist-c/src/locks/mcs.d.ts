/**
 * MCS queue lock (Mellor-Crummey and Scott 1991; the base of Linux qspinlock):
 * each waiter links its own queue node behind the tail and spins on a flag in
 * that node only, so a release touches exactly one waiter's cache line.
 * Node identities are word addresses (never 0: the control block comes first).
 */
export declare const mcs: import("../api/types.js").LockDef;
