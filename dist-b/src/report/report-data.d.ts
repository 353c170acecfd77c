/**
 * The data behind the HTML report, as plain rows: one row a sweep point
 * (medians over its repetitions), then the rows each chart plots. Pure
 * functions of the sweep records; nothing here knows about charts or HTML.
 * Runs the harness gave up on have no figures: a point's row counts them,
 * and a point none of whose runs finished has no row to plot (it is listed
 * by failureRows instead).
 */
import { type Config } from '../config/config.js';
import type { Env } from '../util/env.js';
import { type SweepRecord } from '../sweep/sweep-record.js';
/** How a point's workers compare with the cores: the legend text of the oversubscription mark. */
export declare const LOAD_FITS = "workers \u2264 cores";
export declare const LOAD_OVER = "workers > cores (oversubscribed)";
export interface WaitPercentiles {
    p50Ns: number;
    p99Ns: number;
    p999Ns: number;
}
/** One sweep point, medians over its repetitions. */
export interface PointRow {
    point: number;
    /** `#12 2 devices, group 2, ttas, domain`: the point for a reader (`#12*` oversubscribed; violations named). */
    label: string;
    devices: number;
    groupSize: number;
    lock: string;
    /** The page-table driver (results before version 2: its table style and lock scope as the driver they name). */
    driver: string;
    /** The point's values of the other options that differ between runs, as flags (`--table-style cmpxchg`); '' when none do. */
    variant: string;
    oversubscribed: boolean;
    load: string;
    /** Finished runs, whose figures these are. */
    runs: number;
    /** Runs of the point the harness gave up on. */
    failed: number;
    opsPerSec: number;
    opsMin: number;
    opsMax: number;
    /** Contention % of the lock that guarded the page tables (0 when none did). */
    tableContentionPct: number;
    iovaContentionPct: number;
    /** Percentiles of contended waits on the page-table lock, medians over the runs; 0: none recorded. */
    tableWait: WaitPercentiles;
    violations: number;
}
/** A split of the points by how devices share domains; the devices charts draw each apart. */
export interface Sharing {
    id: 'private' | 'shared';
    title: string;
    includes(r: PointRow): boolean;
}
/** A single device is both: group size 1 is then also the whole group. */
export declare const SHARINGS: readonly Sharing[];
/** How a point's devices share domains, in words. */
export declare function sharingOf(r: PointRow): string;
export declare function devicesLabel(n: number): string;
/** The device labels of some rows, in the order of their counts: the order of the panels. */
export declare function devicePanels(rows: readonly {
    devices: string;
    deviceCount: number;
}[]): string[];
export declare function distinct<T>(xs: readonly T[]): T[];
export declare function distinctNumbers(xs: readonly number[]): number[];
/** One row a point with at least one finished run; points whose every run failed have no figures to plot. */
export declare function pointRows(records: readonly SweepRecord[]): PointRow[];
/** A point some of whose runs the harness gave up on: a crashed worker, or the watchdog. */
export interface FailureRow {
    point: number;
    /** The point as pointRows labels it (`#12 128 devices, group 128, mcs, domain`). */
    label: string;
    /** Runs that failed, and all runs of the point. */
    failed: number;
    runs: number;
    /** The distinct harness messages, in the order they came. */
    errors: string[];
}
/** Every point with a failed run, whether or not any of its runs finished. */
export declare function failureRows(records: readonly SweepRecord[]): FailureRow[];
/**
 * What tells the points of one chart apart besides its x, its colour (the
 * lock) and its columns: the driver and the variant, named only where
 * they differ between the rows. '' when all rows agree.
 */
export declare function panelOf(rows: readonly PointRow[]): (r: PointRow) => string;
/** What all rows of a chart share, for its subtitle: `lock scope domain, --pages 4`. */
export declare function commonOf(rows: readonly PointRow[]): string;
/** A point on a line chart: x, y with its min–max over repetitions, its series and panel. */
export interface SeriesRow {
    point: number;
    x: number;
    y: number;
    yMin: number;
    yMax: number;
    lock: string;
    panel: string;
    load: string;
}
/** Throughput against devices, for one way of sharing domains. */
export declare function throughputByDevices(rows: readonly PointRow[], sharing: Sharing): SeriesRow[];
/** A point on a chart of group size: its device count is its column. */
export interface GroupSizeRow extends SeriesRow {
    /** `4 devices`: the panel's header. */
    devices: string;
    deviceCount: number;
}
/** Throughput against group size, for every device count measured at more than one group size. */
export declare function throughputByGroupSize(rows: readonly PointRow[]): GroupSizeRow[];
export declare const LOCK_CLASS_TABLE = "page-table lock";
export declare const LOCK_CLASS_IOVA = "IOVA allocator lock";
/** Contention of a lock class at a point. */
export interface ContentionRow {
    point: number;
    x: number;
    pct: number;
    lock: string;
    lockClass: string;
    panel: string;
    load: string;
}
/** Contention % of the page-table lock and the allocator lock against devices, for one way of sharing. */
export declare function contentionByDevices(rows: readonly PointRow[], sharing: Sharing): ContentionRow[];
export declare const PERCENTILES: readonly [{
    readonly name: "p50";
    readonly pick: (w: WaitPercentiles) => number;
}, {
    readonly name: "p99";
    readonly pick: (w: WaitPercentiles) => number;
}, {
    readonly name: "p99.9";
    readonly pick: (w: WaitPercentiles) => number;
}];
/** One percentile of the contended waits at a point. */
export interface WaitRow {
    point: number;
    percentile: string;
    waitNs: number;
    lock: string;
    devices: string;
    deviceCount: number;
    /** Group size, scope and variant where they differ. */
    panel: string;
    load: string;
}
/**
 * The page-table lock's contended waits: p50, p99 and p99.9 of every point
 * that recorded any. A percentile of 0 (no contended wait) has no place on a
 * log axis and is left out.
 */
export declare function waitPercentiles(rows: readonly PointRow[]): WaitRow[];
/** The configuration every run shares, as flag and value; and the swept keys. */
export interface ConfigSummary {
    fixed: {
        key: keyof Config;
        flag: string;
        value: string;
        help: string;
    }[];
    varied: (keyof Config)[];
}
export declare function configSummary(records: readonly SweepRecord[]): ConfigSummary;
/** The machines the runs were measured on (concatenated shards may come from several), with their run counts (failed ones too) and time span. */
export interface EnvSummary {
    env: Omit<Env, 'date'>;
    runs: number;
    first: string;
    last: string;
}
export declare function envSummary(records: readonly SweepRecord[]): EnvSummary[];
