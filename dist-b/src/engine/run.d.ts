/**
 * One free-running run of a configuration, from start to result: load and
 * check the design, start its agents, run, collect, stop.
 */
import type { Config } from '../api/types.js';
import type { RunResult } from '../results/result.js';
import type { Layout } from '../memory/layout.js';
export interface RunOptions {
    /** Called every poll (about 50 times a second) with seconds elapsed. */
    onTick?: (elapsedSec: number) => void;
    /** Keep the whole interleaving the trace rings hold (`result.trace`). */
    trace?: boolean;
    /** Warnings to carry into the result (options that had no effect). */
    warnings?: readonly string[];
}
export declare function runConfig(config: Config, o?: RunOptions): Promise<RunResult>;
/** Check that a configuration can run (its pieces load, its memory can be laid out) without running it. */
export declare function planRun(config: Config): Promise<Layout>;
/** `run()` of the package API: a partial configuration, completed with the defaults and checked. */
export declare function run(config?: Partial<Config>, o?: RunOptions): Promise<RunResult>;
