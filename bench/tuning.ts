/**
 * Every tuning constant of `npm run bench`, in one place: how long each
 * micro-benchmark samples, how many runs each comparison repeats, and how
 * many operations a run does. `--quick` picks the short profile.
 */
export interface Profile {
  readonly name: 'full' | 'quick';
  /** tinybench time budget per micro case, ms (sampling stops after this and >= 64 samples). */
  readonly microTimeMs: number;
  /** tinybench warm-up budget per micro case, ms. */
  readonly microWarmupMs: number;
  /** stats on/off (and latency-sample 16/0) pairs of device-loop runs. */
  readonly overheadPairs: number;
  /** Operations of one measured device-loop run. */
  readonly overheadOps: number;
  /** Operations of a discarded first run in each side's isolate (JIT warm-up). */
  readonly overheadWarmupOps: number;
  /** Operations per thread of each native-baseline case, the same on both sides. */
  readonly nativeOps: number;
  /** Repetitions of each native-baseline case; the median is reported. */
  readonly nativeReps: number;
}

export const FULL: Profile = {
  name: 'full',
  microTimeMs: 400,
  microWarmupMs: 150,
  overheadPairs: 100,
  overheadOps: 30_000,
  overheadWarmupOps: 100_000,
  nativeOps: 1_000_000,
  nativeReps: 3,
};

export const QUICK: Profile = {
  name: 'quick',
  microTimeMs: 80,
  microWarmupMs: 40,
  overheadPairs: 16,
  overheadOps: 10_000,
  overheadWarmupOps: 30_000,
  nativeOps: 100_000,
  nativeReps: 1,
};

/** The target for the cost of the harness's own counters (stats on against off). */
export const STATS_OVERHEAD_TARGET_PCT = 5;
