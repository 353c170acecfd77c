/**
 * What every agent is doing, read from shared memory: for crash, hang and
 * starvation reports. Racy snapshots by design; the agents may still run.
 */
import { type Layout } from '../memory/layout.js';
/** "pgtable lock of domain 0", from a lock's address. */
export declare function lockName(L: Layout, lock: number): string;
/** Agent names: device queues, then the agents of the design (`names`). */
export declare function agentName(L: Layout, a: number, names?: readonly string[]): string;
/** Is a lock held now? The lock algorithm's own racy look (`LockDef.locked`). */
export type IsLocked = (lock: number) => boolean;
/** The agent holding `lock` now (its last acquirer, when the lock is held), or -1. */
export declare function holderOf(m: Int32Array, L: Layout, lock: number, isLocked: IsLocked): number;
/** Every lock held now, with its holder. */
export declare function heldLocks(m: Int32Array, L: Layout, isLocked: IsLocked): {
    lock: number;
    agent: number;
}[];
export declare function describeAgents(m: Int32Array, L: Layout, headline: string, names: readonly string[], idleMs: ((a: number) => number) | null, isLocked: IsLocked): string;
