/**
 * The controlled scheduler, main-thread side: set up the scheduler block of
 * a run before the agents start, and read what the run did after it ended.
 */
import { type Layout } from '../memory/layout.js';
import { type Strategy } from './scheduler.js';
/** A step at which a controlled run chose another agent than the default (the last one again, else the lowest). */
export type SwitchPoint = [step: number, agent: number];
/** A controlled run: who passes each schedule point is decided by `strategy`. */
export interface SchedSpec {
    strategy: Strategy;
    seed: number;
    /** PCT: bug depth d (d-1 priority change points). */
    depth: number;
    /** PCT: the run length the change points are drawn from. */
    expectedSteps: number;
    maxSteps: number;
    /** Replay: the switch points; every other step takes the default choice. */
    switches: readonly SwitchPoint[];
    stopAtViolation: boolean;
    /** Steps between flush-queue timer ticks (0: never). */
    tickEvery: number;
    /** Hand control over by spinning (agents do not outnumber cores), else by sleeping. */
    spin: boolean;
}
/** Set up the scheduler block of a controlled run (main thread, before the agents start; the block is zero). */
export declare function initSched(m: Int32Array, L: Layout, spec: SchedSpec): void;
/** What a controlled run did: its outcome, its steps, and their hash. */
export interface SchedOutcome {
    strategy: Strategy;
    seed: number;
    outcome: string;
    steps: number;
    /** FNV-1a of every step's (agent, point, arg): equal hashes, equal interleavings. */
    hash: string;
    /** The schedule, as the steps that departed from the default choice. */
    switches: SwitchPoint[];
    /** Of those, the ones that preempted an agent that could have gone on. */
    preemptions: number;
    /** Step of the first violation, -1 if none. */
    violationStep: number;
}
/** The run's outcome and schedule, without naming its steps (cheap: explore reads this for every schedule). */
export declare function readSched(m: Int32Array, L: Layout, strategy: Strategy, seed: number): SchedOutcome;
/** One step of a controlled run, raw: agent, point (a label hash), argument, and whether it preempted. */
export interface RawStep {
    step: number;
    agent: number;
    point: number;
    arg: number;
    preempted: boolean;
    forced: boolean;
}
/** Steps `from` .. `to` - 1 of the run. */
export declare function readSteps(m: Int32Array, L: Layout, from: number, to: number): RawStep[];
