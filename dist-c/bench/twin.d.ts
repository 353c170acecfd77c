import { type Profile } from './tuning.js';
/**
 * The harness on the twin's configuration: ttas, 1 page a buffer, 4 in
 * flight, random completion, `ops` operations a device, everything else the
 * run defaults (refcount tables, bitmap allocator, strict flush, --stats on).
 * Throughput as the harness reports it: all operations over the time from
 * the first worker's start to the last one's end.
 *
 * The one place this section calls the engine: when its API changes, adapt this function.
 */
export declare function harnessOpsPerSec(devices: number, groupSize: number, ops: number): Promise<number>;
/** The compiled worker entry: beside this file in dist/bench, or in dist/bench when running from sources (vitest). */
export declare function twinWorkerFile(): string;
export interface TwinOptions {
    workers: number;
    /** One domain for every worker (both locks shared), or a domain each. */
    shared: boolean;
    /** Operations a worker. */
    ops: number;
    inflight?: number;
    seed?: number;
    /** The twin's locks on the harness's atomics (WebAssembly's) instead of Atomics.* [false]. */
    wasm?: boolean;
}
export interface TwinRun {
    ops: number;
    /** From the first worker's start (after the barrier) to the last one's end, s: the harness's definition. */
    wallSec: number;
    opsPerSec: number;
    /** Each worker's own time from the barrier to its last operation, s. */
    workerSec: number[];
    /** DMAs that landed on each worker's frames, read from the frame tags after the run (each operation does one). */
    dmas: number[];
}
/** One run of the twin: fresh memory, fresh worker threads, a start barrier, `ops` operations a worker. */
export declare function runTwin(o: TwinOptions): Promise<TwinRun>;
export interface TwinRow {
    label: string;
    /** ops/s of each repetition, in order. */
    twin: number[];
    harness: number[];
    /** harness / twin of each repetition's pair of neighbouring runs. */
    ratio: number[];
}
export interface TwinResult {
    ops: number;
    reps: number;
    rows: TwinRow[];
    /** shared / private ops/s at 2 workers, per repetition (runs of one repetition are neighbours in time). */
    twinSharing: number[];
    harnessSharing: number[];
    /** harnessSharing / twinSharing, per repetition. */
    quotient: number[];
    ratioTarget: number;
    tolerance: number;
    ratioPass: boolean;
    sharingPass: boolean;
}
export declare function measureTwin(p: Profile): Promise<TwinResult>;
export declare function formatTwin(r: TwinResult): string;
