/**
 * Pure statistics over plain numbers: fairness of per-device work, and the
 * summary of repeated measurements (median and spread) used by sweeps and
 * comparisons. Percentiles of latencies come from histograms (latency.ts).
 */
/** Jain's fairness index: 1 when all equal, 1/n when one does everything. */
export declare function jain(xs: readonly number[]): number;
/** Smallest over largest: 1 when all equal, 0 when one was starved. */
export declare function minMaxRatio(xs: readonly number[]): number;
export interface Spread {
    n: number;
    median: number;
    min: number;
    max: number;
    /** (max - min) / median, 0 for a single sample. */
    relSpread: number;
}
export declare function median(xs: readonly number[]): number;
export declare function spread(xs: readonly number[]): Spread;
/** A distribution-free confidence interval for a median: two order statistics of the sample, and the coverage they give. */
export interface MedianInterval {
    lo: number;
    hi: number;
    /** The interval's exact coverage under any continuous distribution, 0..1. */
    coverage: number;
}
/**
 * The narrowest interval [x(k), x(n+1-k)] of the sorted sample whose
 * coverage of the true median is at least `confidence` (binomial, p = 1/2;
 * no assumption about the distribution). With too few samples to reach it,
 * the whole range, and its (lower) coverage.
 */
export declare function medianInterval(xs: readonly number[], confidence?: number): MedianInterval;
