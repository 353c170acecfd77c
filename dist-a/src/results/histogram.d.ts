/**
 * The harness's own histograms of nanoseconds: lock waits (every contended
 * acquisition) and sampled map and unmap latencies.
 *
 * node:perf_hooks' RecordableHistogram costs about 3,400 instructions a
 * `record` on Node 20 (argument checks in JavaScript, then a call into C++),
 * and a wait is recorded right after the lock is taken, inside the critical
 * section, as lock_stat does: with two devices on one domain, more than half
 * of the page-table lock's acquisitions contend, and that recording alone
 * lengthened every contended hold by about a microsecond, which made the
 * contention it measured. This one records in a few dozen instructions and
 * allocates nothing.
 *
 * Buckets are log-linear, as HDR histograms': exact up to 32 ns, then 32
 * buckets an octave (a value lands in a bucket at most 1/32, 3.1%, wide), up
 * to 2^44 ns (about 4.9 hours; longer values count in the last bucket). The
 * count, sum, sum of squares, min and max are exact, so mean and standard
 * deviation are too; a percentile is the highest value of the bucket it
 * falls in (clamped to min and max), as HDR reports it.
 */
/** Buckets: 0..31 exact, then (exponent - SUB_BITS + 1) x SUB + mantissa. */
export declare const BUCKETS: number;
/** The bucket of an integer value >= 1. */
export declare function bucketOf(v: number): number;
/** The highest value bucket `i` holds. */
export declare function bucketHigh(i: number): number;
/** A histogram as it crosses from a worker to the main thread (structured clone). */
export interface HistogramData {
    counts: Float64Array;
    count: number;
    sum: number;
    sumSq: number;
    min: number;
    max: number;
}
export declare class NsHistogram implements HistogramData {
    readonly counts: Float64Array<ArrayBuffer>;
    count: number;
    sum: number;
    sumSq: number;
    min: number;
    max: number;
    /** Count one value in nanoseconds (rounded; below 1 counts as 1). */
    record(ns: number): void;
    reset(): void;
    /** Add another histogram's counts (a worker's, received as data). */
    add(h: HistogramData): void;
    get mean(): number;
    /** Population standard deviation, as HDR's. */
    get stddev(): number;
    /** The value at percentile p (0 < p <= 100): the highest value of the bucket where the count reaches p% of all. */
    percentile(p: number): number;
}
/** One histogram of many (the agents'). */
export declare function mergeHistograms(hs: readonly HistogramData[]): NsHistogram;
