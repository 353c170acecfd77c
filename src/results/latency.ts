/**
 * Latency and wait-time distributions: the harness's log-linear histograms
 * (histogram.ts), recorded in the agents, merged by collect.ts, and
 * summarised as dma_map_benchmark reports them (average and standard
 * deviation) plus percentiles read from the histogram.
 */
import type { NsHistogram } from './histogram.js';
import type { LatencyStats } from './result.js';

export function summarize(h: NsHistogram | undefined): LatencyStats {
  if (!h || h.count === 0) return { samples: 0, meanNs: 0, stddevNs: 0, minNs: 0, p50Ns: 0, p90Ns: 0, p99Ns: 0, p999Ns: 0, maxNs: 0 };
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
