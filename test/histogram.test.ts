/**
 * The harness's nanosecond histograms (src/results/histogram.ts): every
 * value in the bucket that holds it, buckets at most 1/32 wide, exact
 * count, mean, min and max, percentiles and deviation as HDR reports them,
 * merging as recording.
 */
import { describe, expect, it } from 'vitest';
import { BUCKETS, NsHistogram, bucketHigh, bucketLow, bucketOf, mergeHistograms } from '../src/results/histogram.js';

/** A deterministic spread of values over many octaves. */
function values(n: number, seed = 7): number[] {
  let s = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const octave = s % 40;
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out.push(1 + Math.floor((s / 2 ** 32) * 2 ** octave));
  }
  return out;
}

describe('NsHistogram', () => {
  it('puts every value in the bucket that holds it, a bucket at most 1/32 of its values wide', () => {
    const probes = [1, 2, 31, 32, 33, 63, 64, 65, 1000, 4095, 4096, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 3e9, 2 ** 40 + 12345, 2 ** 44 - 1, ...values(5000)];
    for (const v of probes) {
      const i = bucketOf(v);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(BUCKETS);
      expect(bucketHigh(i)).toBeGreaterThanOrEqual(v);
      expect(bucketLow(i)).toBeLessThanOrEqual(v);
      if (i > 0) expect(bucketHigh(i - 1)).toBeLessThan(v);
      expect(bucketHigh(i) - v).toBeLessThanOrEqual(v / 32);
    }
    // Beyond the range: the last bucket.
    expect(bucketOf(2 ** 50)).toBe(BUCKETS - 1);
  });

  it('reports exact count, mean, min and max, and percentiles and deviation within a bucket of the exact ones', () => {
    const vs = values(20000);
    const h = new NsHistogram();
    for (const v of vs) h.record(v);
    const sorted = [...vs].sort((a, b) => a - b);
    const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
    const sd = Math.sqrt(vs.reduce((a, b) => a + (b - mean) ** 2, 0) / vs.length);
    expect(h.count).toBe(vs.length);
    expect(h.mean).toBeCloseTo(mean, 6);
    // Every value taken as its bucket's middle: off by at most 1/64 of itself.
    expect(Math.abs(h.stddev / sd - 1)).toBeLessThan(1 / 64);
    expect(h.stddev).not.toBe(0);
    expect(h.min).toBe(sorted[0]);
    expect(h.max).toBe(sorted[sorted.length - 1]);
    for (const p of [1, 50, 90, 99, 99.9, 100]) {
      const exact = sorted[Math.max(1, Math.ceil((p / 100) * vs.length)) - 1]!;
      const got = h.percentile(p);
      expect(got).toBeGreaterThanOrEqual(exact);
      expect(got).toBeLessThanOrEqual(exact + exact / 32);
    }
  });

  it('rounds, counts below 1 ns as 1, and is empty after reset', () => {
    const h = new NsHistogram();
    h.record(0.2);
    h.record(41.6);
    expect([h.min, h.max, h.count]).toEqual([1, 42, 2]);
    h.reset();
    expect([h.count, h.percentile(50), h.mean, h.stddev]).toEqual([0, 0, 0, 0]);
  });

  it('merges workers\' histograms, sent as data, into what one histogram of all the values records', () => {
    const vs = values(9000, 3);
    const parts = [new NsHistogram(), new NsHistogram(), new NsHistogram()];
    vs.forEach((v, i) => parts[i % 3]!.record(v));
    const all = new NsHistogram();
    for (const v of vs) all.record(v);
    // What postMessage delivers: a structured clone, fields and counts, no methods.
    const merged = mergeHistograms(parts.map((p) => structuredClone(p)));
    expect(merged.count).toBe(all.count);
    expect(merged.sum).toBe(all.sum);
    expect([merged.min, merged.max]).toEqual([all.min, all.max]);
    expect(Array.from(merged.counts)).toEqual(Array.from(all.counts));
    for (const p of [50, 99, 99.9]) expect(merged.percentile(p)).toBe(all.percentile(p));
  });
});
