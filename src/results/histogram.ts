/**
 * The harness's own histograms of nanoseconds: lock waits (the contended
 * acquisitions of sampled operations) and sampled map and unmap latencies.
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
 * count, sum, min and max are exact, and so is the mean; a percentile is the
 * highest value of the bucket it falls in (clamped to min and max), and the
 * standard deviation is computed from the buckets' middles, as HDR does both.
 *
 * `record` is inlined into the device loop, so what V8 speculates there
 * decides whether the loop's code is thrown away mid-run. No square is taken
 * (two int32 values whose product passes 2^31 deoptimized the whole loop the
 * first time a sampled latency passed 46 us), and the sum starts as a double
 * (-0) so that its additions are compiled as float adds from the start, not
 * as int32 adds that deoptimize when the sum passes 2^31 ns; min and max are
 * stored on every record, not only on a new extreme (a store that has not run
 * by the time V8 compiles the loop deoptimizes it when it first does).
 */

const SUB_BITS = 5;
const SUB = 1 << SUB_BITS;
const MAX_EXP = 44;
/** Buckets: 0..31 exact, then (exponent - SUB_BITS + 1) x SUB + mantissa. */
export const BUCKETS = (MAX_EXP - SUB_BITS + 2) * SUB;
const TWO_31 = 2147483648;

/** The bucket of an integer value >= 1. */
export function bucketOf(v: number): number {
  if (v < SUB) return v;
  if (v < TWO_31) {
    const e = 31 - Math.clz32(v);
    return (e - SUB_BITS + 1) * SUB + ((v >>> (e - SUB_BITS)) - SUB);
  }
  let e = Math.floor(Math.log2(v));
  if (2 ** e > v) e--;
  else if (2 ** (e + 1) <= v) e++;
  if (e > MAX_EXP) return BUCKETS - 1;
  return (e - SUB_BITS + 1) * SUB + (Math.floor(v / 2 ** (e - SUB_BITS)) - SUB);
}

/** The lowest value bucket `i` holds. */
export function bucketLow(i: number): number {
  return i < SUB ? i : bucketHigh(i - 1) + 1;
}

/** The highest value bucket `i` holds. */
export function bucketHigh(i: number): number {
  if (i < SUB) return i;
  const e = (i >> SUB_BITS) + SUB_BITS - 1;
  return (SUB + (i & (SUB - 1)) + 1) * 2 ** (e - SUB_BITS) - 1;
}

/** A histogram as it crosses from a worker to the main thread (structured clone). */
export interface HistogramData {
  counts: Float64Array;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export class NsHistogram implements HistogramData {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;
  /** -0: a double from the start (see the header). */
  sum = -0;
  min = Infinity;
  max = 0;

  /** Count one value in nanoseconds (rounded; below 1 counts as 1). */
  record(ns: number): void {
    const v = ns < 1 ? 1 : Math.round(ns);
    this.counts[bucketOf(v)]! += 1;
    this.count += 1;
    this.sum += v;
    // Stored every time: a store done only on a new extreme (rare) has no type feedback when V8 compiles the loop.
    this.min = Math.min(this.min, v);
    this.max = Math.max(this.max, v);
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = -0;
    this.min = Infinity;
    this.max = 0;
  }

  /** Add another histogram's counts (a worker's, received as data). */
  add(h: HistogramData): void {
    if (h.count === 0) return;
    const c = this.counts;
    for (let i = 0; i < BUCKETS; i++) c[i]! += h.counts[i]!;
    this.count += h.count;
    this.sum += h.sum;
    if (h.min < this.min) this.min = h.min;
    if (h.max > this.max) this.max = h.max;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /**
   * Population standard deviation, as HDR computes it: each value taken as
   * the middle of its bucket (clamped to min and max), so within the
   * buckets' width (1/64 of a value either way) of the exact one.
   */
  get stddev(): number {
    if (this.count === 0) return 0;
    const m = this.mean;
    let sq = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const n = this.counts[i]!;
      if (n === 0) continue;
      const v = this.within((bucketLow(i) + bucketHigh(i)) / 2);
      sq += n * (v - m) * (v - m);
    }
    return Math.sqrt(sq / this.count);
  }

  /** The value at percentile p (0 < p <= 100): the highest value of the bucket where the count reaches p% of all. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return this.within(bucketHigh(i));
    }
    return this.max;
  }

  /** A value read off a bucket, clamped to what was recorded (a bucket may reach past the min or max). */
  private within(v: number): number {
    return Math.min(this.max, Math.max(this.min, v));
  }
}

/** One histogram of many (the agents'). */
export function mergeHistograms(hs: readonly HistogramData[]): NsHistogram {
  const out = new NsHistogram();
  for (const h of hs) out.add(h);
  return out;
}
