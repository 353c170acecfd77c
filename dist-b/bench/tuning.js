export const FULL = {
    name: 'full',
    microTimeMs: 400,
    microWarmupMs: 150,
    overheadIsolatePairs: 9,
    overheadPairs: 10,
    overheadOps: 300_000,
    overheadWarmupOps: 1_000_000,
    nativeOps: 1_000_000,
    nativeReps: 3,
    twinOps: 6_000_000,
    twinReps: 5,
};
export const QUICK = {
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
//# sourceMappingURL=tuning.js.map