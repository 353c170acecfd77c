import type { Config } from '../api/types.js';
/**
 * The work every built-in race shares: two devices in one domain, two
 * buffers each in flight, a few operations, so that a controlled run stays a
 * few hundred steps long. Free-running runs (race, hunt) take a duration
 * instead of the operations.
 */
export declare const RACE_WORKLOAD: Partial<Config>;
