/**
 * The only messages between `npm run bench` and its worker threads: a job
 * to run in the worker's isolate, and its plain-number result (or why it
 * failed). Both sides import this file.
 */
import type { Config } from '../src/api/types.js';
import type { Profile } from './tuning.js';
export declare const SUITES: readonly ["locks", "pgtable"];
export type Suite = (typeof SUITES)[number];
/** One micro-benchmark case, measured with tinybench. */
export interface MicroJob {
    kind: 'micro';
    suite: Suite;
    name: string;
    profile: Profile;
}
/** One run of the real device loop (single device, on the worker's own thread, fresh shared memory). */
export interface LoopJob {
    kind: 'loop';
    config: Partial<Config>;
}
export type BenchJob = MicroJob | LoopJob;
/** Per-operation latency of a micro case: statistics of batch means, ns. */
export interface MicroStats {
    suite: Suite;
    name: string;
    /** Median over samples of the mean time of one operation. */
    nsPerOp: number;
    meanNs: number;
    p99Ns: number;
    /** Relative margin of error of the mean, %. */
    rmePct: number;
    samples: number;
    /** Operations timed together in one sample. */
    batch: number;
    /** Pages one operation touches (for ns a page), 0 when pages do not apply. */
    pages: number;
}
export interface LoopStats {
    ops: number;
    nsPerOp: number;
    violations: number;
}
export type JobResult = {
    kind: 'micro';
    stats: MicroStats;
} | {
    kind: 'loop';
    stats: LoopStats;
};
/** What a worker posts back for each job. */
export type WorkerReply = JobResult | {
    kind: 'failed';
    message: string;
};
