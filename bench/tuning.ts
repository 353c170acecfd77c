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
  /** Pairs of whole runs (one each side, alternating) of the overhead section's --stats comparison. */
  readonly overheadPairs: number;
  /** Pairs of whole runs of its latency-sampling comparison (informative: no target). */
  readonly overheadLatencyPairs: number;
  /** Operations of one whole run: about a default run's (--duration 2). */
  readonly overheadOps: number;
  /** Operations per thread of each native-baseline case, the same on both sides. */
  readonly nativeOps: number;
  /** Repetitions of each native-baseline case; the median is reported. */
  readonly nativeReps: number;
  /**
   * Operations per worker of each twin-section run, the same on both sides
   * (harness and twin). In the full profile, about what one device of a
   * default run does (`--duration 2`): each run starts on fresh threads,
   * so the JIT's warm-up (V8 compiling the operation's code, about a tenth
   * of a second for the harness) weighs on it as on a user's run, not more.
   */
  readonly twinOps: number;
  /** Repetitions of the twin section: each is one harness and one twin run of every configuration. */
  readonly twinReps: number;
}

export const FULL: Profile = {
  name: 'full',
  microTimeMs: 400,
  microWarmupMs: 150,
  overheadPairs: 31,
  overheadLatencyPairs: 15,
  overheadOps: 6_000_000,
  nativeOps: 1_000_000,
  nativeReps: 3,
  twinOps: 6_000_000,
  twinReps: 7,
};

export const QUICK: Profile = {
  name: 'quick',
  microTimeMs: 80,
  microWarmupMs: 40,
  overheadPairs: 2,
  overheadLatencyPairs: 1,
  overheadOps: 50_000,
  nativeOps: 100_000,
  nativeReps: 1,
  twinOps: 50_000,
  twinReps: 3,
};

/** The target for the cost of the harness's own counters (stats on against off). */
export const STATS_OVERHEAD_TARGET_PCT = 5;
/** The twin section's first target: harness ops/s at 1 worker at least this fraction of the bare twin's. */
export const TWIN_RATIO_TARGET = 0.5;
/**
 * The twin section's second target: the harness's shared/private throughput
 * ratio at 2 workers within this factor of the twin's (either way), so that
 * the harness's own overhead does not change the contention it measures.
 */
export const TWIN_SHARING_TOLERANCE = 1.25;
