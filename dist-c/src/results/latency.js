export function summarize(h) {
    if (!h || h.count === 0)
        return { samples: 0, meanNs: 0, stddevNs: 0, minNs: 0, p50Ns: 0, p90Ns: 0, p99Ns: 0, p999Ns: 0, maxNs: 0 };
    return {
        samples: h.count,
        meanNs: h.mean,
        stddevNs: h.stddev,
        minNs: h.min,
        p50Ns: h.percentile(50),
        p90Ns: h.percentile(90),
        p99Ns: h.percentile(99),
        p999Ns: h.percentile(99.9),
        maxNs: h.max,
    };
}
//# sourceMappingURL=latency.js.map