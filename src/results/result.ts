/**
 * The shape of a run's result: what `--json FILE` writes, what `run()` and
 * `explore()` of the package API return, and what every report is drawn
 * from. Times are in nanoseconds unless the name says else.
 */
import type { LockDependency } from '../detect/lock-order.js';
import type { Config } from '../api/types.js';
import type { Env } from '../util/env.js';
import type { SchedOutcome } from '../sched/control.js';
import type { RunTrace } from '../report/run-trace.js';

/** A latency or wait distribution, as dma_map_benchmark reports it (average, deviation) plus percentiles of the HDR histogram. */
export interface LatencyStats {
  samples: number;
  meanNs: number;
  stddevNs: number;
  minNs: number;
  p50Ns: number;
  p90Ns: number;
  p99Ns: number;
  p999Ns: number;
  maxNs: number;
}

export const RESULT_SCHEMA = 'iommu-stress/run@2';

/** One lock class, with the columns of Linux /proc/lock_stat. */
export interface LockClassStats {
  /** The class's name as its design declared it: pgtable, device, iova, depot, bounce, or a user's. */
  class: string;
  /** The class as Linux lock_stat would name it. */
  kernelName: string;
  /** Whose lock objects: domain, device, table, global. */
  scope: string;
  /** Which piece declared it: driver, allocator, dma (the bounce pool). */
  owner: string;
  /** Declared as the lock guarding the page tables. */
  guardsTables: boolean;
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
  /**
   * Waits are timed in the sampled operations (one in `holdSampleEvery`,
   * as holds): this many contentions were timed, of `contentions`.
   */
  waitSamples: number;
  /** Min, max and average over the timed waits. */
  waittimeMinNs: number;
  waittimeMaxNs: number;
  /** Estimated: average timed wait x contentions. */
  waittimeTotalNs: number;
  waittimeAvgNs: number;
  /** Percentiles of the timed waits, from a histogram. */
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
  /**
   * Seconds its workers' device loops spent on a CPU (Linux
   * /proc/thread-self/schedstat), summed over its queues; null where the
   * platform does not say, or a worker was stopped.
   */
  cpuSec: number | null;
  /** cpuSec over the loops' wall time: below 1, the device was preempted for the rest (more workers than cores, another process, the hypervisor). */
  onCpu: number | null;
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
  /** False when the audit was skipped (agents were stopped mid-operation). */
  done: boolean;
}

/** One event of an agent's trace ring; `clock` orders events causally (Lamport, through the locks), or is the step of a controlled run. */
export interface TimelineEvent {
  clock: number;
  worker: number;
  /** -1 for an agent that is no device. */
  device: number;
  op: number;
  event: string;
  /** The IOVA of a buffer event, else the event's argument in hex (or a lock's name). */
  arg: string;
}

export interface ViolationSample {
  invariant: string;
  device: number;
  domain: number;
  /** Page frame number of the IOVA (iova = pfn * 4096), -1 if none. */
  pfn: number;
  iova: string | null;
  level: number;
  expected: number;
  found: number;
  /** The worker's operation count when it happened (-1: found by the audit or a check after the run). */
  op: number;
}

export interface Violations {
  count: number;
  byInvariant: Record<string, number>;
  /** What each invariant violated means (built-in, or declared by the design). */
  meanings: Record<string, string>;
  samples: ViolationSample[];
  /**
   * Free running: lock classes taken in orders that form a cycle (lockdep's
   * "possible circular locking dependency"), counted as one violation named
   * `lock-order`: the chain, and the report in words. Recorded in the
   * operations whose locks are timed (statistics on); absent when none.
   */
  lockOrder?: { chain: LockDependency[]; report: string[] };
}

/** What the design of a run was made of. */
export interface DesignSummary {
  driver: { name: string; summary: string; source: string | null; broken: boolean; levels: string | null };
  lock: { name: string; summary: string; broken: boolean };
  allocator: { name: string; summary: string; broken: boolean };
  /** `defers`: the policy defers invalidations (a flush queue: `--fq-size`, `--fq-timeout` apply). */
  flush: { name: string; summary: string; broken: boolean; defers: boolean };
  race: { name: string; variant: string } | null;
  agents: string[];
}

/** What the watchdog saw: workers that waited long while others moved (starvation), and any it had to stop. */
export interface WatchdogSummary {
  /** Longest time one worker was seen waiting for a lock, ms. */
  longestWaitMs: number;
  /** Workers that completed no operation at all. */
  neverProgressed: number;
  /** Workers seen making no progress for --watchdog seconds while others did. */
  starved: number;
  /** Workers still busy after the run's time and a grace period, stopped by the harness (their last operation is not counted). */
  stopped: number;
  /** Acquisitions per second of the most used lock class (its hand-offs when contended). */
  handoffsPerSec: number;
}

export interface RunResult {
  schema: typeof RESULT_SCHEMA;
  status: 'clean' | 'violations';
  config: Config;
  design: DesignSummary;
  env: Env;
  layout: {
    workers: number;
    agents: number;
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
  fairness: { minOps: number; maxOps: number; minMaxRatio: number; jain: number };
  /**
   * Map and unmap latency of one operation in `sampleEvery` on average (0:
   * not sampled; the gaps between sampled operations are drawn, not fixed),
   * `clockPairNs` what a pair of clock reads cost, taken off every sample
   * (latencies, holds and waits), 0 where nothing was sampled (absent from
   * results written before 0.3.1).
   */
  latency: { sampleEvery: number; clockPairNs?: number; map: LatencyStats; unmap: LatencyStats };
  locks: LockClassStats[];
  /** The IOTLB and its invalidation: flushes, and the window a deferred flush leaves open. */
  iotlb: {
    entries: number;
    flush: string;
    flushes: number;
    /** Late DMAs tried at an unmapped IOVA still waiting for its flush. */
    lateDmaProbes: number;
    /** Of those, the ones an IOTLB still translated. */
    staleTranslations: number;
    stalePerMillionOps: number;
  };
  /** The live switch of device 0 (--switch-ms), from the live-switch agent's figures; else null. */
  liveSwitch: {
    switches: number;
    to: string;
    latencyAvgNs: number;
    latencyMaxNs: number;
    /** Device throughput just after a switch over just before, averaged (1: no dip). */
    throughputAfterVsBefore: number;
  } | null;
  /** Figures agents counted (`ctx.count`), by agent name. */
  agents: Record<string, Record<string, number>>;
  violations: Violations;
  /** With violations: the last events of every agent, interleaved by logical clock, up to the first violation. */
  timeline: TimelineEvent[];
  /**
   * A controlled run: the strategy, its outcome, steps and trace hash, and its last steps; null when free running.
   * `tail`'s `read`: under tso or weak, a load that took an older store than the newest, in words.
   */
  sched: (SchedOutcome & { tail: { step: number; worker: number; point: string; arg: string; preempted: boolean; read?: string }[] }) | null;
  audit: AuditSummary;
  watchdog: WatchdogSummary;
  warnings: string[];
  /** The whole interleaving, when asked for (`trace: true`, `--trace FILE`). */
  trace?: RunTrace;
}
