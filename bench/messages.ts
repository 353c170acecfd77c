/**
 * The only messages between `npm run bench` and its worker threads: a job
 * to run in the worker's isolate, and its plain-number result (or why it
 * failed). Both sides import this file.
 */
import type { Profile } from './tuning.js';

export const SUITES = ['locks', 'pgtable'] as const;
export type Suite = (typeof SUITES)[number];

/** One micro-benchmark case, measured with tinybench. */
export interface MicroJob {
  kind: 'micro';
  suite: Suite;
  name: string;
  profile: Profile;
}

export type BenchJob = MicroJob;

/** Per-operation latency of a micro case: statistics of batch means, ns. */
export interface MicroStats {
  suite: Suite;
  name: string;
  /** Median over samples of the mean time of one operation. */
  nsPerOp: number;
  meanNs: number;
  p99Ns: number;
  /** Relative margin of error of the mean, %. */
  rmePct: number;
  samples: number;
  /** Operations timed together in one sample. */
  batch: number;
  /** Pages one operation touches (for ns a page), 0 when pages do not apply. */
  pages: number;
}

/** One run of the real device loop (loop.ts: the instruction counts' runs). */
export interface LoopStats {
  ops: number;
  nsPerOp: number;
  violations: number;
}

export type JobResult = { kind: 'micro'; stats: MicroStats };

/** What a worker posts back for each job. */
export type WorkerReply = JobResult | { kind: 'failed'; message: string };
