import type { BenchJob, JobResult, LoopJob, LoopStats, MicroJob, MicroStats } from './messages.js';
export declare class Isolate {
    private readonly worker;
    private pending;
    private dead;
    /** `entry`: the worker script; by default this build's bench/worker.js. */
    constructor(entry?: URL);
    run(job: BenchJob): Promise<JobResult>;
    runMicro(job: Omit<MicroJob, 'kind'>): Promise<MicroStats>;
    runLoop(job: Omit<LoopJob, 'kind'>): Promise<LoopStats>;
    close(): Promise<void>;
}
/** One micro case in a fresh isolate of its own. */
export declare function runMicroIsolated(job: Omit<MicroJob, 'kind'>): Promise<MicroStats>;
