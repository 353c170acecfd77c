/**
 * The shared pool of page-table pages: a lock-free Treiber stack of free
 * table indices, so that table allocation is safe whatever lock (if any) the
 * caller holds. The head word carries a tag beside the index, bumped on every
 * pop and push, so that a pop that read a stale `next` cannot succeed (ABA).
 *
 *   head = tag << 20 | index        next[index] = index below it, 0 = end
 *
 * info[t] records what a table in use was allocated for (level + 1,
 * domain << 4), 0 when free, for the audit. A pop or a push is one schedule
 * point ('pool'): the pool is the engine's, not the design's, and its own
 * correctness is tested apart.
 */
import type { Mem, TablePool } from '../api/types.js';
import { type Layout } from '../memory/layout.js';
export declare const infoOf: (level: number, domain: number) => number;
export declare const infoLevel: (info: number) => number;
export declare const infoDomain: (info: number) => number;
export declare class EngineTablePool implements TablePool {
    private readonly mem;
    readonly entries: number;
    readonly entryWords: number;
    readonly count: number;
    readonly base: number;
    readonly tableWords: number;
    private readonly m;
    private readonly head;
    private readonly free_;
    private readonly next;
    private readonly info;
    private readonly metaBase;
    private readonly metaStride;
    /** Called when the pool is empty (the engine counts `pool-exhausted`). */
    onEmpty: (level: number, domain: number) => void;
    constructor(mem: Mem, L: Layout);
    /** Main thread, before a run: every table but 0 on the free list, lowest index on top. */
    init(): void;
    alloc(level: number, domain: number): number;
    free(t: number): void;
    entry(t: number, index: number): number;
    meta(t: number): number;
    freeCount(): number;
    /** What table `t` was allocated for (0: free). */
    infoOf(t: number): number;
    /** The free list, for the audit; stops after `limit` entries (a corrupted list may loop). */
    freeList(limit: number): number[];
}
