/**
 * The detectors every controlled run is checked by, after it ends (on the
 * thread that checks it: the main thread, or a batch's lead): data races
 * (detect/data-race.ts) over the run's steps, and lock-order cycles
 * (detect/lock-order.ts) over the dependencies its agents recorded. What
 * they find is part of the run's outcome, the same on every replay.
 *
 * IOMMU_STRESS_DETECT=0 turns them off (to measure what they cost: the
 * outcomes are then what they were before the detectors).
 */
import type { Layout } from '../memory/layout.js';
import { UsageError } from '../util/errors.js';
import { type DataRace, DataRaceDetector } from './data-race.js';
import { type LockDependency, lockCycle, lockDependencies } from './lock-order.js';

export interface Detected {
  dataRace: DataRace | null;
  /** The cycle, each dependency's `to` the next one's `from`. */
  lockOrder: LockDependency[] | null;
}

export const NOTHING_DETECTED: Detected = { dataRace: null, lockOrder: null };

/** Are the detectors on (IOMMU_STRESS_DETECT, default 1)? A bad value is bad input. */
export function detectorsOn(): boolean {
  const v = process.env.IOMMU_STRESS_DETECT;
  if (v === undefined || v === '' || v === '1') return true;
  if (v === '0') return false;
  throw new UsageError(`IOMMU_STRESS_DETECT=${JSON.stringify(v)}: expected 0 (detectors off) or 1 (on, the default)`);
}

export class Detectors {
  private readonly races: DataRaceDetector;
  constructor(
    private readonly m: Int32Array,
    private readonly L: Layout,
    private readonly on = detectorsOn(),
  ) {
    this.races = new DataRaceDetector(m, L);
  }

  /** What the run that just ended holds: a controlled run of `steps` steps, or (null) a free-running one, whose lock order only is known. */
  check(steps: number | null): Detected {
    if (!this.on) return NOTHING_DETECTED;
    const dataRace = steps === null ? null : this.races.check(steps);
    const cycle = this.L.lockClasses.length > 1 ? lockCycle(lockDependencies(this.m, this.L)) : null;
    return dataRace === null && cycle === null ? NOTHING_DETECTED : { dataRace, lockOrder: cycle };
  }
}
