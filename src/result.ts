/**
 * The shape of a run's result: what `--json FILE` writes and what every
 * report is drawn from. Times are in nanoseconds unless the name says else.
 */
import type { Config } from './config.js';
import type { Env } from './env.js';
import type { ViolationSample } from './checker.js';
import type { LatencyStats } from './latency.js';
import type { SchedOutcome } from './harness.js';

export const RESULT_SCHEMA = 'iommu-stress/run@1';

/** One lock class, with the columns of Linux /proc/lock_stat. */
export interface LockClassStats {
  /** What the lock protects: pgtable (a domain's table), device (a device's DMA table lock), iova (an allocator). */
  class: string;
  /** The class as Linux lock_stat would name it. */
  kernelName: string;
  /** Whose lock it is: domain or device. */
  scope: string;
  /** Locks of this class taken in the run (0: the class is not used). */
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
  /** Percentiles of the contended waits, from a histogram. */
  waittimeP50Ns: number;
  waittimeP99Ns: number;
  waittimeP999Ns: number;
  /** Hold times are sampled: every acquisition of one operation in `holdSampleEvery`. */
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

/** One event of a worker's trace ring; `clock` orders events causally (Lamport, through the locks), or is the step of a controlled run. */
export interface TimelineEvent {
  clock: number;
  worker: number;
  /** -1 for the live-switch thread. */
  device: number;
  op: number;
  event: string;
  iova: string | null;
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
  /** How evenly the devices shared the work. */
  fairness: {
    minOps: number;
    maxOps: number;
    /** min/max of per-device operations. */
    minMaxRatio: number;
    /** Jain's index: 1 = equal shares, 1/devices = one device did everything. */
    jain: number;
  };
  /** Map and unmap latency of one operation in `sampleEvery` (0: not sampled). */
  latency: {
    sampleEvery: number;
    map: LatencyStats;
    unmap: LatencyStats;
  };
  locks: LockClassStats[];
  /** The IOTLB and its invalidation: flushes, and the window a deferred flush leaves open. */
  iotlb: {
    entries: number;
    flush: string;
    flushes: number;
    /** Late DMAs tried at an unmapped IOVA still waiting for its flush. */
    lateDmaProbes: number;
    /** Of those, the ones the IOTLB still translated. */
    staleTranslations: number;
    stalePerMillionOps: number;
  };
  /** The live switch of device 0, when --switch-ms is set. */
  liveSwitch: {
    switches: number;
    to: string;
    latencyAvgNs: number;
    latencyMaxNs: number;
    /** Device throughput just after a switch over just before, averaged (1: no dip). */
    throughputAfterVsBefore: number;
  } | null;
  violations: Violations;
  /** With violations: the last events of every worker, interleaved by logical clock, up to the first violation. */
  timeline: TimelineEvent[];
  /** A controlled run: the strategy, its outcome, steps and trace hash; null when free running. */
  sched: SchedOutcome | null;
  audit: AuditSummary;
  warnings: string[];
}
