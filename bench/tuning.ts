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
  /** Fresh isolate pairs (one isolate a side) per overhead comparison. */
  readonly overheadIsolatePairs: number;
  /** Alternating on/off pairs of device-loop runs in each isolate pair. */
  readonly overheadPairs: number;
  /** Operations of one measured device-loop run. */
  readonly overheadOps: number;
  /** Operations of a discarded first run in each side's isolate (JIT warm-up). */
  readonly overheadWarmupOps: number;
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
  overheadIsolatePairs: 21,
  overheadPairs: 6,
  overheadOps: 300_000,
  overheadWarmupOps: 600_000,
  nativeOps: 1_000_000,
  nativeReps: 3,
  twinOps: 6_000_000,
  twinReps: 7,
};

export const QUICK: Profile = {
  name: 'quick',
  microTimeMs: 80,
  microWarmupMs: 40,
  overheadIsolatePairs: 2,
  overheadPairs: 8,
  overheadOps: 10_000,
  overheadWarmupOps: 30_000,
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
