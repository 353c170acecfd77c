/**
 * The race functions of the package API: explore a race (a built-in's name,
 * or the path of a module whose default export is a `defineRace`), replay a
 * schedule, shrink one. Each returns the object the matching command's
 * `--json` writes, so a user's own test can assert on it:
 *
 *   const r = await explore('./my-race.mjs', { runs: 200 });
 *   expect(r.found?.outcome).toBe('lost-mapping');
 */
import type { OutcomeClass } from './types.js';
import type { RunResult } from '../results/result.js';
import { type Schedule } from '../sched/schedule.js';
import type { Strategy } from '../sched/scheduler.js';
export interface ExploreApiOptions {
    /** Run the correct counterpart instead of the broken variant. */
    correct?: boolean;
    strategy?: Exclude<Strategy, 'replay'>;
    /** PCT: the bug depth d [2]. */
    depth?: number;
    /** Schedules to try at most [100]. */
    runs?: number;
    /** Seed of the first schedule [1]. */
    seed?: number;
    /** Keep going after the first forbidden outcome (count every outcome) [false]. */
    all?: boolean;
    onRun?: (i: number, outcome: string, cls: OutcomeClass) => void;
}
/** A run that ended in a forbidden outcome, with what replays it. */
export interface Finding {
    outcome: string;
    class: OutcomeClass;
    /** The schedule string: `iommu-stress replay '<schedule>'`, or `replay(schedule)`. */
    schedule: string;
    result: RunResult;
}
export interface ExploreResult {
    schema: 'iommu-stress/explore@1';
    race: string;
    variant: 'broken' | 'correct';
    strategy: string;
    depth: number;
    /** Schedules run (the finding one included). */
    tried: number;
    /** Outcome -> schedules that ended in it. */
    histogram: Record<string, number>;
    /** How each outcome that occurred counts for this race. */
    classes: Record<string, OutcomeClass>;
    found: Finding | null;
    elapsedSec: number;
    schedulesPerSec: number;
    stepsPerSec: number;
    /** PCT: the run length its change points were drawn from. */
    expectedSteps: number;
}
export declare function explore(race: string, o?: ExploreApiOptions): Promise<ExploreResult>;
export interface ReplayResult {
    schema: 'iommu-stress/replay@1';
    schedule: string;
    outcome: string;
    class: OutcomeClass;
    /** The trace hash of every replay (all equal: the same interleaving). */
    hashes: string[];
    result: RunResult;
}
export declare function replay(schedule: string | Schedule, o?: {
    repeat?: number;
}): Promise<ReplayResult>;
export interface ShrinkResult {
    schema: 'iommu-stress/shrink@1';
    original: string;
    smallest: string;
    outcome: string;
    tried: number;
    result: RunResult;
}
export declare function shrink(schedule: string | Schedule, o?: {
    budget?: number;
}): Promise<ShrinkResult>;
