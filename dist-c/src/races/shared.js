/**
 * The work every built-in race shares: two devices in one domain, two
 * buffers each in flight, a few operations, so that a controlled run stays a
 * few hundred steps long. Free-running runs (race, hunt) take a duration
 * instead of the operations.
 */
export const RACE_WORKLOAD = {
    devices: 2,
    groupSize: 2,
    inflight: 2,
    pages: 1,
    ops: 6,
    lock: 'ttas',
    watchdogSec: 2,
    latencySample: 0,
};
//# sourceMappingURL=shared.js.map