/**
 * A finished run's memory as a RunResult: sum the per-agent counters, merge
 * lock_stat fields per class, name the violations, add the audit, the
 * timeline, the schedule and the warnings. Pure reading of shared memory
 * and of what the engine returned; no timing, no I/O.
 */
import { type Layout } from '../memory/layout.js';
import { type Engine, type RunEnd } from '../engine/engine.js';
import { type Env } from '../util/env.js';
import { type RunResult, type TimelineEvent } from './result.js';
/** Point names, as a design's code labelled them (the label table of the run's memory). */
export declare function pointNames(e: Engine): Map<number, string>;
/** An argument of a step or event, for people: a buffer's IOVA, an address's meaning, or the number. */
export declare function argText(L: Layout, point: string, arg: number): string;
/**
 * Events in clock order, ties by worker. The clock is an int32 that wraps
 * (a free-running Lamport clock passes 2^31 in a long run), so clocks are
 * compared as serial numbers, relative to the first event's: the rings
 * hold a span of the run far shorter than 2^31 ticks. The clocks are
 * rebased to that order too, so a wrap inside the span reads as time going
 * on, not back (without one, every clock is as written).
 */
export declare function inClockOrder(events: TimelineEvent[]): TimelineEvent[];
/** Every agent's trace ring, in clock order (up to the freeze at the first violation). */
export declare function readTimeline(e: Engine, names?: Map<number, string>, limit?: number): TimelineEvent[];
export interface CollectOptions {
    /** Extra warnings (options that had no effect, ...). */
    warnings?: readonly string[];
    env?: Env;
}
export declare function collect(e: Engine, end: RunEnd, opts?: CollectOptions): RunResult;
