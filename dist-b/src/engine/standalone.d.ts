/**
 * A design's memory and pieces on the calling thread, with no workers: for
 * unit tests of a driver, allocator or flush policy, and for the
 * micro-benchmarks. Agent 0's runtime (free running) has the run's ops.
 */
import type { Config } from '../api/types.js';
import type { Layout } from '../memory/layout.js';
import { Findings, type Expectations } from '../checker/audit.js';
import { type Design } from './design.js';
import { AgentRuntime } from './runtime.js';
export interface Standalone {
    readonly design: Design;
    readonly L: Layout;
    readonly sab: SharedArrayBuffer;
    readonly m: Int32Array;
    /** The main thread's slot (it set the memory up). */
    readonly main: AgentRuntime;
    /** Agent 0, ready: `rt.driver`, `rt.allocator`, `rt.flush` are this run's ops. */
    readonly rt: AgentRuntime;
    readonly findings: Findings;
    readonly expectations: Expectations;
}
export declare function standalone(partial: Partial<Config>, ops?: number): Promise<Standalone>;
