/**
 * Pure statistics over plain numbers: fairness of per-device work, and the
 * summary of repeated measurements (median and spread) used by sweeps and
 * comparisons. Percentiles of latencies come from histograms (latency.ts).
 */
/** Jain's fairness index: 1 when all equal, 1/n when one does everything. */
export function jain(xs) {
    if (xs.length === 0)
        return 1;
    let s = 0;
    let s2 = 0;
    for (const x of xs) {
        s += x;
        s2 += x * x;
    }
    return s2 === 0 ? 1 : (s * s) / (xs.length * s2);
}
/** Smallest over largest: 1 when all equal, 0 when one was starved. */
export function minMaxRatio(xs) {
    if (xs.length === 0)
        return 1;
    const max = Math.max(...xs);
    return max === 0 ? 1 : Math.min(...xs) / max;
}
export function median(xs) {
    if (xs.length === 0)
        return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
export function spread(xs) {
    const med = median(xs);
    const min = Math.min(...xs);
    const max = Math.max(...xs);
    return { n: xs.length, median: med, min, max, relSpread: xs.length > 1 && med !== 0 ? (max - min) / Math.abs(med) : 0 };
}
/**
 * The narrowest interval [x(k), x(n+1-k)] of the sorted sample whose
 * coverage of the true median is at least `confidence` (binomial, p = 1/2;
 * no assumption about the distribution). With too few samples to reach it,
 * the whole range, and its (lower) coverage.
 */
export function medianInterval(xs, confidence = 0.95) {
    const s = [...xs].sort((a, b) => a - b);
    const n = s.length;
    if (n === 0)
        return { lo: NaN, hi: NaN, coverage: 0 };
    // tail[j] = P(Binomial(n, 1/2) <= j)
    const tail = [];
    let c = 1;
    let acc = 0;
    for (let j = 0; j <= n; j++) {
        acc += c / 2 ** n;
        tail.push(acc);
        c = (c * (n - j)) / (j + 1);
    }
    // [x(k), x(n+1-k)] (1-based) covers the median with probability 1 - 2 P(B <= k - 1).
    let k = 1;
    while (k + 1 <= (n + 1) / 2 && 1 - 2 * tail[k] >= confidence)
        k++;
    return { lo: s[k - 1], hi: s[n - k], coverage: Math.max(0, 1 - 2 * tail[k - 1]) };
}
//# sourceMappingURL=stats.js.map