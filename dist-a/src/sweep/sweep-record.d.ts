import { type Config } from '../config/config.js';
import type { Env } from '../util/env.js';
import type { RunResult } from '../results/result.js';
import { type Spread } from '../util/stats.js';
export declare const SWEEP_SCHEMA = "iommu-stress/sweep-run@1";
/**
 * How every record line starts: records are written with `schema` as their
 * first key, so a line cut off by an interrupted write still starts with this
 * (or is a prefix of it). That is how a torn line of ours is told from a line
 * of someone else's file.
 */
export declare const RECORD_PREFIX: string;
/** What every record has, finished or failed. */
export interface RecordBase {
    schema: typeof SWEEP_SCHEMA;
    /** The point's identity: its configuration without the seed, keys sorted. */
    key: string;
    /** Index of the point in the whole (unsharded) sweep. */
    point: number;
    /** Repetition of the point, 0-based; the run's seed is the base seed + rep. */
    rep: number;
    /** The swept parameters of this point, by config key. */
    varied: Record<string, string | number>;
    /** More workers than cores: spinning locks meet lock-holder preemption. */
    oversubscribed: boolean;
}
/** A finished run. Files written before failed runs were recorded have no `status`. */
export interface OkRecord extends RecordBase {
    status?: 'ok';
    result: RunResult;
}
/** What the harness said when it gave up on a run (a HarnessError). */
export interface RunError {
    message: string;
    /** What every worker was doing, as the harness reported it. */
    report: string;
}
/** A run the harness gave up on: a worker crashed, or the watchdog saw no progress. */
export interface FailedRecord extends RecordBase {
    status: 'failed';
    result: null;
    /** The configuration the run was started with (its seed = base seed + rep): a finished run's is in its result. */
    config: Config;
    /** The machine, and when the run started. */
    env: Env;
    error: RunError;
}
export type SweepRecord = OkRecord | FailedRecord;
export declare function isOk(r: SweepRecord): r is OkRecord;
/** The configuration a record's run was started with, seed included. */
export declare function recordConfig(r: SweepRecord): Config;
/** A point's key: every config field but the seed, in a fixed order. */
export declare function pointKey(c: Config): string;
/** JSON with the keys of every object sorted, at every depth: equal values give equal text. */
export declare function canonicalJson(value: unknown): string;
/**
 * The identity of one run: its whole effective configuration (every key,
 * the seed = base seed + rep included) and its repetition. Two runs with
 * the same identity are the same run; a different seed, duration, op count
 * or any other option is another run. Generic over Config's keys, so a key
 * added to Config takes part without a change here.
 */
export declare function runIdentity(config: Config, rep: number): string;
export declare function recordIdentity(r: SweepRecord): string;
/** One line of a sweep file, taken apart. */
export type LineContent = {
    kind: 'blank';
} | {
    kind: 'record';
    record: SweepRecord;
}
/**
 * Not a record; `json` when the line is JSON (then `schema` is its schema,
 * if it names one); `cutOff` when it is not JSON but starts like a record
 * of ours: what an interrupted append leaves.
 */
 | {
    kind: 'bad';
    reason: string;
    json: boolean;
    cutOff: boolean;
    schema?: string;
};
/** A torn write of ours: the line is a prefix of a record, or starts like one. */
export declare function startsLikeRecord(text: string): boolean;
export declare function parseLine(text: string): LineContent;
/** One line of a sweep file with its place in the bytes of the file. */
export interface SweepLine {
    /** 1-based. */
    line: number;
    /** Byte offset of its first byte. */
    start: number;
    /** Byte offset just past it and its newline. */
    end: number;
    /** Ends in a newline: a whole line. An append writes a record and its newline in one write. */
    terminated: boolean;
    content: LineContent;
}
/** Take a sweep file's bytes apart into lines, keeping byte offsets (for truncating to a line's start). */
export declare function splitLines(buf: Buffer): SweepLine[];
/** A line that is not a record, and why. */
export interface LineProblem {
    line: number;
    reason: string;
}
/** The same run recorded more than once with different results (not copies of one record). */
export interface RunConflict {
    point: number;
    rep: number;
    seed: number;
    /** The lines of the differing records, the first of each result. */
    lines: number[];
}
export interface ReadRecords {
    /** Every valid record once: exact copies dropped, conflicting ones kept. */
    records: SweepRecord[];
    /** Lines that were not a complete, valid record (an interrupted write, a malformed result), by line number. */
    skipped: number[];
    /** The same lines, each with what is wrong with it. */
    problems: LineProblem[];
    /** Lines dropped as exact copies of an earlier record (a shard concatenated twice), by line number. */
    duplicates: number[];
    /** Runs recorded more than once with different results: kept, and named. */
    conflicts: RunConflict[];
}
/**
 * Collect the records of some lines: bad lines skipped with their reason,
 * exact copies of a record dropped (the same run, the same result: a shard
 * concatenated twice), and runs measured twice with different results kept
 * but named. A failed run and a finished one of the same run (a retry) are
 * no conflict: both are kept, and the point counts the failure.
 */
export declare function collectRecords(lines: readonly SweepLine[]): ReadRecords;
export declare function readRecords(path: string, flag: string): ReadRecords;
export declare function duplicatesMessage(duplicates: number): string;
export declare function conflictsMessage(conflicts: readonly RunConflict[]): string;
export declare function problemsMessage(file: string, problems: readonly LineProblem[]): string;
/** The lock class that guarded the page tables in a run, if any (results before version 2 name it pgtable or device). */
export declare function tableLock(r: RunResult): RunResult['locks'][number] | undefined;
/** The figures of a point's finished runs: medians and spread. */
export interface PointFigures {
    opsPerSec: Spread;
    /** Median contention % of the page-table lock (0 when there is none). */
    tableContentionPct: number;
    iovaContentionPct: number;
    /** Median of the runs' p99 wait on the page-table lock, ns. */
    tableWaitP99Ns: number;
    jain: number;
    mapP50Ns: number;
    unmapP50Ns: number;
}
/** The repetitions of one point, summarised. */
export interface PointSummary {
    key: string;
    point: number;
    varied: Record<string, string | number>;
    config: Config;
    oversubscribed: boolean;
    /** Finished runs: the figures are theirs. */
    runs: number;
    /** Runs the harness gave up on. */
    failed: number;
    /** The distinct messages of the failed runs, in the order they came. */
    errors: string[];
    /** Null when no run of the point finished. */
    figures: PointFigures | null;
    /** Violations over the finished runs. */
    violations: number;
}
export declare function summarizePoints(records: readonly SweepRecord[]): PointSummary[];
