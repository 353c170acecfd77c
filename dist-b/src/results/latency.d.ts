/**
 * Latency and wait-time distributions: the harness's log-linear histograms
 * (histogram.ts), recorded in the agents, merged by collect.ts, and
 * summarised as dma_map_benchmark reports them (average and standard
 * deviation) plus percentiles read from the histogram.
 */
import type { NsHistogram } from './histogram.js';
import type { LatencyStats } from './result.js';
export declare function summarize(h: NsHistogram | undefined): LatencyStats;
