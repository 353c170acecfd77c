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
const SUB_BITS = 5;
const SUB = 1 << (5 /* SUB_BITS */);
const MAX_EXP = 44;
/** Buckets: 0..31 exact, then (exponent - SUB_BITS + 1) x SUB + mantissa. */
export const BUCKETS = ((44 /* MAX_EXP */) - (5 /* SUB_BITS */) + 2) * (32 /* SUB */);
const TWO_31 = 2147483648;
/** The bucket of an integer value >= 1. */
export function bucketOf(v) {
    if (v < (32 /* SUB */))
        return v;
    if (v < (2147483648 /* TWO_31 */)) {
        const e = 31 - Math.clz32(v);
        return (e - (5 /* SUB_BITS */) + 1) * (32 /* SUB */) + ((v >>> (e - (5 /* SUB_BITS */))) - (32 /* SUB */));
    }
    let e = Math.floor(Math.log2(v));
    if (2 ** e > v)
        e--;
    else if (2 ** (e + 1) <= v)
        e++;
    if (e > (44 /* MAX_EXP */))
        return (1312 /* BUCKETS */) - 1;
    return (e - (5 /* SUB_BITS */) + 1) * (32 /* SUB */) + (Math.floor(v / 2 ** (e - (5 /* SUB_BITS */))) - (32 /* SUB */));
}
/** The highest value bucket `i` holds. */
export function bucketHigh(i) {
    if (i < (32 /* SUB */))
        return i;
    const e = (i >> (5 /* SUB_BITS */)) + (5 /* SUB_BITS */) - 1;
    return ((32 /* SUB */) + (i & ((32 /* SUB */) - 1)) + 1) * 2 ** (e - (5 /* SUB_BITS */)) - 1;
}
export class NsHistogram {
    counts = new Float64Array((1312 /* BUCKETS */));
    count = 0;
    sum = 0;
    sumSq = 0;
    min = Infinity;
    max = 0;
    /** Count one value in nanoseconds (rounded; below 1 counts as 1). */
    record(ns) {
        const v = ns < 1 ? 1 : Math.round(ns);
        this.counts[bucketOf(v)] += 1;
        this.count += 1;
        this.sum += v;
        this.sumSq += v * v;
        if (v < this.min)
            this.min = v;
        if (v > this.max)
            this.max = v;
    }
    reset() {
        this.counts.fill(0);
        this.count = 0;
        this.sum = 0;
        this.sumSq = 0;
        this.min = Infinity;
        this.max = 0;
    }
    /** Add another histogram's counts (a worker's, received as data). */
    add(h) {
        if (h.count === 0)
            return;
        const c = this.counts;
        for (let i = 0; i < (1312 /* BUCKETS */); i++)
            c[i] += h.counts[i];
        this.count += h.count;
        this.sum += h.sum;
        this.sumSq += h.sumSq;
        if (h.min < this.min)
            this.min = h.min;
        if (h.max > this.max)
            this.max = h.max;
    }
    get mean() {
        return this.count === 0 ? 0 : this.sum / this.count;
    }
    /** Population standard deviation, as HDR's. */
    get stddev() {
        if (this.count === 0)
            return 0;
        const m = this.mean;
        return Math.sqrt(Math.max(0, this.sumSq / this.count - m * m));
    }
    /** The value at percentile p (0 < p <= 100): the highest value of the bucket where the count reaches p% of all. */
    percentile(p) {
        if (this.count === 0)
            return 0;
        const rank = Math.max(1, Math.ceil((p / 100) * this.count));
        let seen = 0;
        for (let i = 0; i < (1312 /* BUCKETS */); i++) {
            seen += this.counts[i];
            if (seen >= rank)
                return Math.min(this.max, Math.max(this.min, bucketHigh(i)));
        }
        return this.max;
    }
}
/** One histogram of many (the agents'). */
export function mergeHistograms(hs) {
    const out = new NsHistogram();
    for (const h of hs)
        out.add(h);
    return out;
}
//# sourceMappingURL=histogram.js.map