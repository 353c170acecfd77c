import type { HistogramData } from '../results/histogram.js';
import { type Layout } from '../memory/layout.js';
import { type SchedOutcome, type SchedSpec } from '../sched/control.js';
import { Findings } from '../checker/audit.js';
import type { AuditSummary } from '../results/result.js';
import { type Design, type DesignSpec } from './design.js';
import { AgentRuntime } from './runtime.js';
/** After a free-running run's time: how long busy agents get to finish their operation before they are stopped. */
/**
 * V8's flags for the agents, set once a process before the first agents
 * start (V8's flags are the process's, shared by every worker thread). It
 * changes what V8 compiles and when, never what the code does.
 *
 * - The inlining budget, raised. A design's pieces are called through
 *   small interfaces (the driver calls the pool, the lock class, the
 *   accessors); with the default budget (920 bytecodes a function) V8
 *   stops inlining them halfway down an operation. Callgrind, device loop
 *   (ttas): 6490 instructions an operation with the default, 5369 with these.
 * - Optimisation in the agent's own thread (--no-concurrent-recompilation).
 *   Compiled on a background thread, an operation's code is built from
 *   whatever feedback there was when the job started, and comes out
 *   differently from one thread to the next: two isolates of the same run
 *   differed by up to 15% in time an operation (bench overhead section), and
 *   one device's run at 6 M operations went 3.1-4.0 M ops/s against
 *   3.8-4.3 M in the agent's thread, alternated. The agent stops for the
 *   compile (about a tenth of a second, once), as it would have run slower
 *   code meanwhile.
 */
export declare const INLINING_FLAGS = "--max-inlined-bytecode-size-cumulative=4000 --max-inlined-bytecode-size=1000 --no-concurrent-recompilation";
export declare function raiseInliningBudget(): void;
export declare const graceMs: (watchdogSec: number) => number;
/** The compiled worker entry. From sources (vitest) it comes from dist/. */
export declare function workerFile(): string;
export interface RunParams {
    seed: number;
    /** Operations per device worker (0: until `durationSec` is over). */
    ops: number;
    durationSec: number;
    /** A controlled run's schedule, or null to run free. */
    sched: SchedSpec | null;
    /** Free running: called every poll with seconds elapsed. */
    onTick?: (elapsedSec: number) => void;
    /** Free running with statistics on: the agents send their latency and wait histograms [true]. A search that keeps only outcomes (hunt) leaves them. */
    histograms?: boolean;
}
/** What a run left, before its full result is collected (collect.ts). */
export interface RunEnd {
    seed: number;
    /** performance.now() at the start and the end. */
    startMs: number;
    endMs: number;
    sched: SchedOutcome | null;
    findings: Findings;
    audit: AuditSummary;
    /** Agents stopped by the harness after the grace period (their last operation is not counted; the audit was skipped). */
    stopped: number[];
    watchdog: {
        longestWaitMs: number;
        starved: number;
    } | null;
    histograms: {
        map: HistogramData[];
        unmap: HistogramData[];
        waits: HistogramData[][];
    };
}
export declare class Engine {
    readonly design: Design;
    readonly spec: DesignSpec;
    readonly L: Layout;
    readonly sab: SharedArrayBuffer;
    readonly m: Int32Array;
    readonly f: Float64Array;
    readonly main: AgentRuntime;
    private readonly workers;
    private epoch;
    private dirty;
    private failure;
    private hist;
    private dead;
    /** Names of the design's agents, for reports. */
    readonly agentNames: string[];
    private constructor();
    /** Lay out the memory for a design and start its agents' threads. `controlledSteps`: the longest controlled run (0: free running only). */
    static open(design: Design, spec: DesignSpec, controlledSteps?: number): Promise<Engine>;
    private start;
    /** Hand control over by spinning only where the agents (and the main thread's occasional turn) fit the cores. */
    static spinFits(agents: number): boolean;
    run(p: RunParams): Promise<RunEnd>;
    private crashed;
    describe(idle: ((a: number) => number) | null): string;
    /** A controlled run ends by itself (the decider sees deadlocks); the watchdog only catches code that never reaches a point. */
    private awaitControlled;
    private awaitFree;
    private awaitHistograms;
    /** Stop the agents' threads (the engine cannot run again). */
    close(): Promise<void>;
    get closed(): boolean;
}
