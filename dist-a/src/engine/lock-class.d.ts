import type { NsHistogram } from '../results/histogram.js';
import type { LockClass, LockDef, LockScope, Mem } from '../api/types.js';
import { type LockClassLayout } from '../memory/layout.js';
import type { AgentCore } from './agent-core.js';
export declare class EngineLockClass implements LockClass {
    protected readonly core: AgentCore;
    protected readonly alg: LockDef;
    private readonly stats;
    private readonly waits;
    readonly name: string;
    readonly per: LockScope;
    private readonly base;
    protected readonly recDelta: number;
    protected readonly node0: number;
    protected readonly nodeStride: number;
    /** The queue node of the next acquisition: node0 + (locks of this class held now) x nodeStride (QueuedLockClass). */
    protected node: number;
    /** lock_stat's acquisitions and acquisition bounces since the last flush: kept in the worker, written to shared memory every so often (flush). */
    private acq;
    private bounces;
    /** Float64 index of this class's lock_stat fields in the agent's counters. */
    private readonly st;
    private holdStart;
    /** The core's memory and identity, held here too: one field load fewer on every acquisition. */
    protected readonly m: Int32Array;
    private readonly f;
    protected readonly mem: Mem;
    private readonly self;
    constructor(core: AgentCore, lay: LockClassLayout, index: number, alg: LockDef, stats: boolean, waits: NsHistogram);
    /** A new run: no lock held (a run the scheduler ended may have stopped inside a critical section). */
    reset(): void;
    /** Add the acquisitions counted since the last flush to lock_stat's figures in shared memory. */
    flush(): void;
    of(index: number): number;
    acquire(l: number): void;
    tryAcquire(l: number): boolean;
    release(l: number): void;
    /** The trylock failed (then wait), or this operation is hooked (then try it here, wait if it fails, and start the hook). */
    protected acquireSlow(l: number, node: number): void;
    /**
     * Bookkeeping of a lock just taken, in one straight run: the clock it
     * carries and its last holder (the lock's record line: bounces, and who
     * holds a lock that is held), and lock_stat's counts, kept in the worker
     * until the next flush.
     */
    protected took(l: number): void;
    /** A sampled hold starts, or (controlled) the acquisition is traced. */
    protected tookHook(l: number): void;
    protected releaseHook(l: number): void;
    /** The lock was held: wait for it, timing the wait when stats are on (lock_stat times only these). */
    private contended;
    /** This acquisition's hold was sampled: record it. */
    private holdSampled;
}
/**
 * A lock class whose algorithm takes queue nodes (MCS, CLH: `nodeWords` in
 * its definition): each acquisition gets the agent's next node of the
 * class, released in reverse order. Apart so that a lock without nodes pays
 * nothing for them; an agent's lock classes all run one algorithm, so every
 * call site still sees one class.
 */
export declare class QueuedLockClass extends EngineLockClass {
    acquire(l: number): void;
    tryAcquire(l: number): boolean;
    release(l: number): void;
}
/** The lock class for an agent: queued when the run's algorithm takes nodes. */
export declare function makeLockClass(core: AgentCore, lay: LockClassLayout, index: number, alg: LockDef, stats: boolean, waits: NsHistogram): EngineLockClass;
