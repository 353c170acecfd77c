import type { PieceSpec } from '../engine/design.js';
import { type SharedHandle } from '../memory/shared.js';
/** The check's shared memory: one cache line each; then a queue node (16 words) and a progress word a worker. */
export declare const LC_READY = 0;
export declare const LC_GO = 1;
export declare const LC_LOCK = 16;
export declare const LC_COUNTER = 32;
export declare const LC_INSIDE = 48;
export declare const LC_OVERLAPS = 64;
export declare const LC_DONE = 65;
export declare const LC_UNLOCKED_INSIDE = 66;
export declare const LC_TRYLOCKS = 67;
export declare const LC_NODES = 80;
export declare const lcNode: (worker: number) => number;
export declare const lcProgress: (workers: number, worker: number) => number;
export declare const lockCheckWords: (workers: number) => number;
/** One acquisition in TRYLOCK_EVERY is taken by spinning on trylock(). */
export declare const TRYLOCK_EVERY = 4;
export interface LockCheckTask {
    shared: SharedHandle;
    spec: PieceSpec;
    worker: number;
    workers: number;
    iterations: number;
}
export interface LockCheckResult {
    lock: string;
    workers: number;
    iterations: number;
    expected: number;
    /** The counter incremented inside the lock with a plain read and write: `expected` when no update was lost. */
    counted: number;
    /** Times a worker entered while another was inside. */
    overlaps: number;
    /** Times `locked()` said the lock was free while a worker held it. */
    unlockedInside: number;
    /** Acquisitions taken by trylock (one in TRYLOCK_EVERY). */
    trylocks: number;
    /** Mutual exclusion held and no update was lost. */
    correct: boolean;
    elapsedSec: number;
}
export interface LockCheckOptions {
    workers?: number;
    iterations?: number;
    /** A check in which no worker gets the lock for this long is a hang (a lock never freed, a lost wake-up) [10]. */
    stallSec?: number;
}
/**
 * Validate a lock, a built-in by name or a user's module by path: `workers`
 * threads each take it `iterations` times (one in four by trylock) and
 * increment a counter inside with a plain read and write. A lock that lets
 * two in loses updates and is seen inside together; a lock whose `locked()`
 * says free while held is counted; a lock that never lets anyone in again is
 * a HarnessError naming each worker's progress, not a hang.
 */
export declare function checkLock(lock: string, o?: LockCheckOptions): Promise<LockCheckResult>;
