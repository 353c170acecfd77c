import type { LockDef } from '../api/types.js';
/**
 * Every built-in lock algorithm, the deliberately broken ones last. A new
 * algorithm is one file plus one line here; the CLI, the validation tests
 * and the benchmarks all read this list. A user's lock is a module named by
 * path (`--lock ./mylock.mjs`), no registry.
 */
export declare const LOCKS: readonly LockDef[];
/** The correct ones. */
export declare const GOOD_LOCKS: readonly LockDef[];
export declare const LOCK_NAMES: readonly string[];
export declare const lockByName: (name: string) => LockDef | undefined;
