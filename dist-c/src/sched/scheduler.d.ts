/**
 * The controlled scheduler, worker side.
 *
 * Under control the agents are still real threads, but only one runs
 * between schedule points. An agent at a point records which point, then
 * waits for its grant word; the last agent to stop decides who goes next (all
 * others are stopped, so the decision is race-free) by the seeded strategy:
 * a random walk, PCT, or the replay of recorded choices. Spinning waiters
 * yield (they are chosen only when no one else can go); futex waits are
 * emulated (a sleeper is not chosen until woken), so a lost wake-up is a
 * deadlock the decider sees at once.
 *
 * Handing control over: where agents do not outnumber cores, a waiting agent
 * spins on its grant word (a hand-off is then a cache-line transfer, not a
 * futex wake-up); otherwise, or after a long spin, it sleeps in Atomics.wait
 * and says so, and only then does the granter pay for Atomics.notify.
 */
import { type Layout } from '../memory/layout.js';
export declare const STRATEGIES: readonly ["random", "pct", "replay"];
export type Strategy = (typeof STRATEGIES)[number];
export declare const OUTCOMES: readonly ["running", "done", "deadlock", "step-limit", "replay-diverged", "violation", "failed"];
export declare const O_RUNNING = 0;
export declare const O_DONE = 1;
export declare const O_DEADLOCK = 2;
export declare const O_STEP_LIMIT = 3;
export declare const O_DIVERGED = 4;
export declare const O_VIOLATION = 5;
export declare const O_FAILED = 6;
/** An agent's scheduling state. */
export declare const SS_RUN = 0;
export declare const SS_POINT = 1;
export declare const SS_YIELD = 2;
export declare const SS_SLEEP = 3;
export declare const SS_DONE = 4;
/** The point a woken sleeper stands at. */
export declare const P_WOKEN: number;
/** Thrown in an agent when the decider ended the run (deadlock, limit, violation). */
export declare class RunAborted extends Error {
    readonly name = "RunAborted";
}
/** FNV-1a over 32-bit words: the trace hash. */
export declare function fnv(h: number, x: number): number;
export declare const FNV_SEED: number;
export declare class Scheduler {
    private readonly m;
    private readonly L;
    readonly agent: number;
    private readonly sw;
    private readonly sc;
    private seen;
    private spins;
    constructor(m: Int32Array, L: Layout, agent: number);
    /** A controlled run starts (the main thread set the header up). */
    begin(): void;
    /** Mark the step a violation happened in, so the decider ends the run there. */
    violation(): void;
    /** The logical clock of controlled runs: the global step. */
    step(): number;
    point(id: number, arg: number): void;
    /** A failed try of a spinning wait: run others first. */
    yieldSpin(id: number, arg: number): void;
    /** Emulated futex wait: sleep (not chosen) until woken, if the word still holds `val`. */
    wait(addr: number, val: number, id: number): void;
    /** Emulated futex wake of up to `n` sleepers on `addr`; how many woke. */
    wake(addr: number, n: number, id: number): number;
    /** The agent failed (its code threw): the run ends for every agent, which are let go. */
    fail(): void;
    /** The agent is finished: it leaves the schedule. */
    finish(): void;
    private park;
    private grant;
    /** Every other agent is stopped or done: pick who passes its point next. Runs in whichever agent stopped last. */
    private decide;
    /** End the run: every stopped agent is let go and throws RunAborted (or, done, returns). */
    private end;
}
