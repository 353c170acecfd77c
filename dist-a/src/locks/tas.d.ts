/** Test-and-set: every attempt is an atomic exchange on the lock word. */
export declare const tas: import("../api/types.js").LockDef;
