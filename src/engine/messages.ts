/**
 * The only messages between an agent's thread and the main thread (both
 * sides import this file): a free-running run's histograms, and why an
 * agent failed. Everything else (start, stop, progress, results) passes
 * through shared memory.
 */
import type { HistogramData } from '../results/histogram.js';

export type AgentMessage =
  | {
      kind: 'histograms';
      agent: number;
      epoch: number;
      /** Sampled map latency: IOVA allocation plus the map calls, ns. */
      map: HistogramData;
      /** Sampled unmap latency: the unmap calls plus the IOVA free, ns. */
      unmap: HistogramData;
      /** Waits of the contended acquisitions of sampled operations, per lock class, ns. */
      waits: HistogramData[];
    }
  /** `usage`: the design could not be loaded for bad input (a module that does not load, or changed): exit 2, not a harness failure. */
  | { kind: 'failed'; agent: number; epoch: number; message: string; stack: string; usage?: boolean };
