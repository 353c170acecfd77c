/**
 * The shape of a run's result: what `--json FILE` writes and what every
 * report is drawn from. Times are in nanoseconds unless the name says else.
 */
import type { Config } from './config.js';
import type { Env } from './env.js';
import type { ViolationSample } from './checker.js';

export const RESULT_SCHEMA = 'iommu-stress/run@1';

/** One lock class, with the columns of Linux /proc/lock_stat. */
export interface LockClassStats {
  /** What the lock protects: pgtable, iova, ... */
  class: string;
  /** Whose lock it is: domain, device, or none (not taken). */
  scope: string;
  /** Locks of this class in the run. */
  instances: number;
  acquisitions: number;
  /** Acquisitions that found the lock held and had to wait. */
  contentions: number;
  contentionPct: number;
  /** Contentions where the lock was last held by another worker. */
  conBounces: number;
  /** Acquisitions where the lock was last held by another worker (its line moved). */
  acqBounces: number;
  waittimeMinNs: number;
  waittimeMaxNs: number;
  waittimeTotalNs: number;
  waittimeAvgNs: number;
  /** Hold times are sampled: one acquisition in `holdSampleEvery`. */
  holdSamples: number;
  holdSampleEvery: number;
  holdtimeMinNs: number;
  holdtimeMaxNs: number;
  /** Estimated: average sampled hold x acquisitions. */
  holdtimeTotalNs: number;
  holdtimeAvgNs: number;
}

export interface DeviceStats {
  device: number;
  /** Domain it was attached to at the end. */
  domain: number;
  workers: number;
  ops: number;
  pages: number;
  opsPerSec: number;
  /** Fraction of all operations. */
  share: number;
}

export interface AuditSummary {
  domains: number;
  liveBuffers: number;
  livePages: number;
  mappedPages: number;
  tablesInUse: number;
  tablesFree: number;
  tablePool: number;
  iovaPagesAllocated: number;
}

export interface Violations {
  count: number;
  byInvariant: Record<string, number>;
  samples: ViolationSample[];
}

export interface RunResult {
  schema: typeof RESULT_SCHEMA;
  status: 'clean' | 'violations';
  config: Config;
  env: Env;
  layout: {
    workers: number;
    domains: number;
    windowPages: number;
    iovaBase: string;
    tablePool: number;
    sharedBytes: number;
  };
  totals: {
    ops: number;
    pages: number;
    dmas: number;
    mapCalls: number;
    unmapCalls: number;
    durationSec: number;
    opsPerSec: number;
    pagesPerSec: number;
  };
  devices: DeviceStats[];
  locks: LockClassStats[];
  violations: Violations;
  audit: AuditSummary;
  warnings: string[];
}
