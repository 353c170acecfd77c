/**
 * The watchdog of a free-running run, on the main thread's polls of shared
 * memory. It tells a hang from starvation:
 *
 *   hang        nothing moves anywhere for --watchdog seconds: no operation
 *               completes, no lock changes hands (a lock never freed, a lost
 *               wake-up, a deadlock). The run fails with a report of what
 *               every agent was doing (exit 3).
 *   starvation  some workers wait that long while others (or the lock) move
 *               on: a FIFO lock handing off to preempted waiters, a lock
 *               that never lets one worker in. A finding, reported as a
 *               warning with its figures; the run ends by its own result.
 */
import { type Layout } from '../memory/layout.js';
export declare class Watchdog {
    private readonly m;
    private readonly L;
    private readonly limitMs;
    private readonly last;
    private readonly since;
    /** When each agent was first seen waiting for its current lock (-1: not waiting). */
    private readonly waitSince;
    private activity;
    private activitySince;
    /** Longest wait for one lock seen, ms; agents seen stuck while others moved. */
    longestWaitMs: number;
    private readonly starvedSet;
    constructor(m: Int32Array, L: Layout, limitMs: number, now: number);
    /**
     * Something that changes whenever anything moves: operations, agents'
     * progress marks, and every lock's clock (its record line, bumped on every
     * release: a lock changing hands moves it).
     */
    private pulse;
    /** A poll: true when nothing has moved for the limit (a hang). */
    hung(now: number): boolean;
    /** Agents not done (for the grace period at the end of a run). */
    busy(): number[];
    idleMs(a: number, now: number): number;
    get starved(): number;
}
