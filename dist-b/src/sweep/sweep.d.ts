import { type AliasField, type Config, type Field } from '../config/config.js';
import { type SweepRecord } from './sweep-record.js';
import { type RunResult } from '../results/result.js';
/** A list option's values; `all` stands for every value of an enum, or (group size) the point's device count. */
export type ListValue = string | number;
/** What a sweep may vary: every run option, and the two aliases of --driver. */
export type SweepKey = keyof Config | AliasField['key'];
export declare const ALL = "all";
export declare function parseList(f: Field | AliasField, text: string): ListValue[];
export interface SweepPoint {
    index: number;
    config: Config;
    key: string;
    varied: Record<string, ListValue>;
}
export interface SweepPlan {
    points: SweepPoint[];
    /** Combinations left out, with the reason (a group size that does not divide, ...). */
    skipped: {
        varied: Record<string, ListValue>;
        reason: string;
    }[];
}
/** Expand the lists over a base configuration, in the order of FIELDS. */
export declare function planSweep(base: Partial<Config>, lists: Partial<Record<SweepKey, ListValue[]>>): SweepPlan;
export declare function parseShard(text: string): [number, number];
export interface SweepRunInfo {
    done: number;
    total: number;
    point: SweepPoint;
    rep: number;
    /** The record appended: a finished run, or a failed one. */
    record: SweepRecord;
    /** The run's result; null when the harness gave up on it (see `record.error`). */
    result: RunResult | null;
}
/** Runs one configuration to its result; throws a HarnessError when the harness gives up on the run. */
export type RunOne = (config: Config) => Promise<RunResult>;
export interface SweepOptions {
    repeat: number;
    out: string | null;
    shard: [number, number];
    /**
     * Run again the runs that the file records as failed. Without it a failed
     * run counts as done: a failure is usually a finding about the
     * configuration (a lock that starves 128 spinners), and rerunning it on
     * every resume would cost a watchdog timeout each time for the same answer.
     */
    retryFailed?: boolean;
    /** Before each run: runs done so far, the total, what comes next. */
    onStart?: (done: number, total: number, point: SweepPoint, rep: number) => void;
    onRun?: (info: SweepRunInfo) => void;
    /** The runner; the real harness unless a test puts in another. */
    runOne?: RunOne;
}
/** A last line cut off by an interrupted write, removed before a sweep appends. */
export interface TornLine {
    /** Its line number, 1-based. */
    line: number;
    /** Bytes removed. */
    bytes: number;
    /** The file's length after: the end of its last whole line. */
    keptBytes: number;
}
export interface SweepOutcome {
    /** Runs made now, in order: finished and failed ones. */
    ran: SweepRecord[];
    /** Runs already in the output file, not run again. */
    reused: number;
    /** Of those, runs recorded as failed (not retried: `retryFailed` was off). */
    reusedFailed: number;
    /** Runs made now that failed (recorded, the sweep went on). */
    failed: number;
    /** A cut-off last line that was removed from the output file before the first run. */
    torn: TornLine | null;
}
/** What an output file holds, checked before a sweep appends to it. */
export interface SweepOutState {
    /** The file's length when looked at (0: absent or empty). */
    size: number;
    /** Its whole records (without a cut-off last line). */
    records: SweepRecord[];
    /** A cut-off last line, to remove before appending. */
    torn: TornLine | null;
}
/**
 * Look at an output file before a sweep appends to it; change nothing.
 * Absent or empty: nothing in it. A last line that is not whole (no newline
 * at its end, or not JSON) but starts like a record is a write that was cut
 * off: returned as `torn`. Any other line that is not a whole sweep record
 * refuses the file (UsageError): either it is not a sweep file at all, or it
 * was damaged in a way an interrupted append cannot explain, and appending
 * to it would only bury that.
 */
export declare function inspectSweepOut(path: string, flag?: string): SweepOutState;
/**
 * Cut a torn last line off the file (ftruncate to the end of the last whole
 * line): the whole lines before it are not rewritten. Refuses if the file
 * changed length since it was inspected (another writer).
 */
export declare function removeTornLine(path: string, state: SweepOutState, flag?: string): void;
/** The message the CLI prints when a cut-off last line was removed. */
export declare function tornLineMessage(path: string, torn: TornLine): string;
export declare function runSweep(plan: SweepPlan, opts: SweepOptions): Promise<SweepOutcome>;
