/**
 * What the harness's own counters cost: the real device loop (one device,
 * the run defaults otherwise) with `--stats on` against `--stats off`, and
 * with latency sampling (`--latency-sample 256`, the default) against none.
 *
 * Each side runs in an isolate of its own, warmed up once, so it sees only
 * its own configuration, as a device worker does. Runs alternate between the
 * two sides (which goes first alternating too), each a fixed number of
 * operations on fresh shared memory; each pair of neighbouring runs gives
 * one overhead figure. The machine's speed drifts (on a shared VM by tens of
 * percent within milliseconds), hence many short runs and medians. And two
 * isolates of the same code can be JIT-compiled a few percent apart, hence
 * several isolate pairs: the reported overhead is the median of the
 * isolate pairs' medians, and their range is shown beside it.
 */
import type { Config } from '../src/api/types.js';
import { type MedianInterval } from '../src/util/stats.js';
import { type Profile } from './tuning.js';
export interface Pair {
    /** ns/op with the feature on, and off. */
    on: number;
    off: number;
    /** (on - off) / off, %. */
    pct: number;
}
export interface Comparison {
    label: string;
    /** Pairs of runs, per isolate pair. */
    groups: Pair[][];
    /** Median of each isolate pair's pair overheads, %. */
    groupPct: number[];
    /** Median of those, %: the reported overhead. */
    medianPct: number;
    /** A 95% confidence interval of that median (order statistics of the isolate pairs'). */
    interval: MedianInterval;
    /** Medians over every run of each side, ns/op. */
    medianOn: number;
    medianOff: number;
}
export interface OverheadResult {
    ops: number;
    stats: Comparison;
    latency: Comparison;
    targetPct: number;
    pass: boolean;
}
/** Worker scripts of the two sides; the same build unless a comparison is between builds. */
export interface Builds {
    on?: URL;
    off?: URL;
}
export declare function compare(label: string, on: Partial<Config>, off: Partial<Config>, p: Profile, builds?: Builds): Promise<Comparison>;
export declare function measureOverhead(p: Profile): Promise<OverheadResult>;
export declare function formatOverhead(r: OverheadResult): string;
