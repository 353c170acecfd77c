import type { Config } from '../config.js';

/**
 * What every race shares: two devices in one domain, two buffers each in
 * flight, a few operations: controlled runs stay a few hundred steps long.
 * Free-running runs (race, hunt) take a duration instead of --ops.
 */
export const RACE_BASE: Partial<Config> = {
  devices: 2,
  groupSize: 2,
  inflight: 2,
  pages: 1,
  ops: 6,
  lock: 'ttas',
  lockScope: 'domain',
  watchdogSec: 2,
  latencySample: 0,
};
