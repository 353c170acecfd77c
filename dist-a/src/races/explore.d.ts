import type { OutcomeClass } from '../api/types.js';
import { Engine } from '../engine/engine.js';
import type { Variant } from '../engine/design.js';
import { type LoadedRace } from '../modules/loader.js';
import type { RunResult } from '../results/result.js';
import type { Strategy } from '../sched/scheduler.js';
import { type Schedule } from '../sched/schedule.js';
import type { ExploreResult } from '../api/races.js';
import { type OutcomeName } from './outcome.js';
/** Steps a controlled run may take before it counts as a livelock. */
export declare const MAX_STEPS = 200000;
export interface RaceRun {
    outcome: OutcomeName;
    class: OutcomeClass;
    /** The full result: for the run that is reported (null for the others, and for a free-running hang). */
    result: RunResult | null;
    /** The watchdog's report, for a free-running hang. */
    hang: string | null;
    /** For a controlled run: the schedule that reproduces it. */
    schedule: Schedule | null;
    /** Scheduler steps the run took (0 free running). */
    steps: number;
}
/** The work a schedule names: devices, operations per worker, buffers in flight. */
export type Work = Pick<Schedule, 'devices' | 'ops' | 'inflight'>;
/**
 * Engines kept across runs, one per variant and work (shrink asks for a few
 * works; the two most recent engines are kept, older ones closed).
 */
export declare class Controller {
    private readonly engines;
    engine(lr: LoadedRace, variant: Variant, work: Work, controlled: boolean): Promise<Engine>;
    close(): Promise<void>;
}
export interface ExploreOptions {
    strategy: Exclude<Strategy, 'replay'>;
    depth: number;
    runs: number;
    seed: number;
    /** Other work than the race's own (shrink explores with fewer devices). */
    work?: Partial<Work>;
    /** Stop at the first forbidden outcome [true]. */
    stopAtForbidden?: boolean;
    /** Called after each schedule with its outcome. */
    onRun?: (i: number, run: RaceRun) => void;
}
export interface ExploreOutcome {
    found: RaceRun | null;
    /** Schedules run, the finding one included. */
    tried: number;
    histogram: Record<string, number>;
    /** PCT: the run length the change points were drawn from. */
    expectedSteps: number;
    /** Steps of all the schedules tried, and the time they took. */
    steps: number;
    elapsedSec: number;
}
/** The race's own work, or `over` of it. */
export declare function baseWork(lr: LoadedRace, over?: Partial<Work>): Work;
/** An exploration as `explore` returns it and `explore --json` writes it. */
export declare function exploreResult(lr: LoadedRace, variant: Variant, strategy: string, depth: number, x: ExploreOutcome): ExploreResult;
/** Run schedules drawn by the strategy until one has a forbidden outcome, or `runs` are spent. */
export declare function explore(lr: LoadedRace, variant: Variant, o: ExploreOptions, ctl?: Controller): Promise<ExploreOutcome>;
/** Refuse a schedule recorded against other code or another configuration (exit 2), naming what changed. */
export declare function checkFingerprint(lr: LoadedRace, s: Schedule, ctl: Controller): Promise<Engine>;
/** Replay a schedule exactly (the same interleaving, every time). */
export declare function replay(lr: LoadedRace, s: Schedule, ctl?: Controller): Promise<RaceRun>;
export interface ShrinkOutcome {
    original: Schedule;
    smallest: Schedule;
    run: RaceRun;
    /** Replays and searches tried. */
    tried: number;
}
/**
 * Make a failing schedule smaller while it keeps its outcome: drop switch
 * points (halves first, then one at a time), then operations, buffers in
 * flight and devices (re-exploring for a schedule when a device goes).
 */
export declare function shrink(lr: LoadedRace, s: Schedule, ctl?: Controller, budget?: number): Promise<ShrinkOutcome>;
export interface StressOptions {
    durationSec: number;
    seed: number;
    /** Stop at the first forbidden outcome. */
    stopAtForbidden: boolean;
    /** Runs at most, and seconds at most (whichever ends first). */
    runs: number;
    timeSec: number;
    onRun?: (i: number, run: RaceRun) => void;
}
export interface StressOutcome {
    runs: RaceRun[];
    histogram: Record<string, number>;
    firstForbidden: {
        run: RaceRun;
        seed: number;
        index: number;
    } | null;
    elapsedSec: number;
}
/** Free-running stress of a race variant with fresh seeds, on one engine (a new one after a hang): outcomes as they fall. */
export declare function stress(lr: LoadedRace, variant: Variant, o: StressOptions, ctl?: Controller): Promise<StressOutcome>;
