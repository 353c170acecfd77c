/** Sweep records made by hand, with just the figures a test sets; everything else zero. */
import { type Config, resolveConfig } from '../src/config/config.js';
import type { Env } from '../src/util/env.js';
import type { LatencyStats, LockClassStats, RunResult } from '../src/results/result.js';
import { HarnessError } from '../src/util/errors.js';
import { type FailedRecord, type OkRecord, SWEEP_SCHEMA, pointKey } from '../src/sweep/sweep-record.js';
import type { RunOne } from '../src/sweep/sweep.js';

export const ENV: Env = {
  node: 'v20.20.2',
  v8: '11.3.244.8-node.38',
  platform: 'linux',
  arch: 'x64',
  cpuModel: 'Test CPU',
  cores: 2,
  memoryGiB: 8,
  date: '2026-01-01T00:00:00.000Z',
};

const LATENCY: LatencyStats = { samples: 0, meanNs: 0, stddevNs: 0, minNs: 0, p50Ns: 0, p90Ns: 0, p99Ns: 0, p999Ns: 0, maxNs: 0 };

function lockClass(cls: string, scope: string, instances: number, contentionPct: number, waits: [number, number, number], owner: string, guardsTables: boolean): LockClassStats {
  return {
    class: cls,
    kernelName: cls,
    scope,
    owner,
    guardsTables,
    instances,
    acquisitions: 1000,
    contentions: contentionPct * 10,
    contentionPct,
    conBounces: 0,
    acqBounces: 0,
    waitSamples: 0,
    waittimeMinNs: 0,
    waittimeMaxNs: waits[2],
    waittimeTotalNs: 0,
    waittimeAvgNs: 0,
    waittimeP50Ns: waits[0],
    waittimeP99Ns: waits[1],
    waittimeP999Ns: waits[2],
    holdSamples: 0,
    holdSampleEvery: 64,
    holdtimeMinNs: 0,
    holdtimeMaxNs: 0,
    holdtimeTotalNs: 0,
    holdtimeAvgNs: 0,
  };
}

export interface FakeRun {
  config: Partial<Config>;
  /** The swept keys; the values are the config's unless given. */
  varied: Record<string, string | number>;
  rep?: number;
  point?: number;
  opsPerSec: number;
  tableContentionPct?: number;
  iovaContentionPct?: number;
  /** p50, p99, p99.9 of the page-table lock's contended waits, ns. */
  waits?: [number, number, number];
  violations?: number;
  oversubscribed?: boolean;
  env?: Partial<Env>;
}

/** A run's result with just the figures of `run` set; `config` is taken as the run's whole configuration, seed included. */
export function fakeResult(config: Config, run: Omit<FakeRun, 'config' | 'varied'>): RunResult {
  const perDevice = config.driver === 's390';
  const table = run.tableContentionPct ?? 0;
  const waits = run.waits ?? [0, 0, 0];
  return {
    schema: 'iommu-stress/run@2',
    status: run.violations ? 'violations' : 'clean',
    config,
    design: {
      driver: { name: config.driver, summary: '', source: null, broken: false, levels: null },
      lock: { name: config.lock, summary: '', broken: false },
      allocator: { name: config.allocator, summary: '', broken: false },
      flush: { name: config.flush, summary: '', broken: false, defers: config.flush !== 'strict' },
      race: null,
      agents: [],
    },
    env: { ...ENV, ...run.env },
    layout: { workers: config.devices, agents: config.devices, domains: config.devices / config.groupSize, windowPages: 0, iovaBase: '0x0', tablePool: 0, sharedBytes: 0 },
    totals: { ops: 0, pages: 0, dmas: 0, mapCalls: 0, unmapCalls: 0, durationSec: 0.1, opsPerSec: run.opsPerSec, pagesPerSec: run.opsPerSec },
    devices: [],
    fairness: { minOps: 0, maxOps: 0, minMaxRatio: 1, jain: 1 },
    latency: { sampleEvery: 16, map: LATENCY, unmap: LATENCY },
    // The table lock is the driver's (refcount: per domain; s390: per device), then the allocator's.
    locks: [
      perDevice ? lockClass('device', 'device', config.devices, table, waits, 'driver', true) : lockClass('pgtable', 'domain', 1, table, waits, 'driver', true),
      lockClass('iova', 'domain', 1, run.iovaContentionPct ?? 0, [0, 0, 0], 'allocator', false),
    ],
    iotlb: { entries: 0, flush: 'strict', flushes: 0, lateDmaProbes: 0, staleTranslations: 0, stalePerMillionOps: 0 },
    liveSwitch: null,
    agents: {},
    violations: { count: run.violations ?? 0, byInvariant: {}, meanings: {}, samples: [] },
    timeline: [],
    sched: null,
    audit: { domains: 1, liveBuffers: 0, livePages: 0, mappedPages: 0, tablesInUse: 0, tablesFree: 0, tablePool: 0, iovaPagesAllocated: 0, done: true },
    watchdog: { longestWaitMs: 0, neverProgressed: 0, starved: 0, stopped: 0, handoffsPerSec: 0 },
    warnings: [],
  };
}

export function fakeRecord(run: FakeRun): OkRecord {
  const config = resolveConfig({ durationSec: 0.1, ...run.config });
  return {
    schema: SWEEP_SCHEMA,
    key: pointKey(config),
    point: run.point ?? 0,
    rep: run.rep ?? 0,
    varied: run.varied,
    oversubscribed: run.oversubscribed ?? config.devices > ENV.cores,
    result: fakeResult({ ...config, seed: config.seed + (run.rep ?? 0) }, run),
  };
}

/** A run the harness gave up on, as a sweep records it. */
export function fakeFailedRecord(run: Omit<FakeRun, 'opsPerSec'> & { message?: string }): FailedRecord {
  const config = resolveConfig({ durationSec: 0.1, ...run.config });
  return {
    schema: SWEEP_SCHEMA,
    key: pointKey(config),
    point: run.point ?? 0,
    rep: run.rep ?? 0,
    varied: run.varied,
    oversubscribed: run.oversubscribed ?? config.devices > ENV.cores,
    status: 'failed',
    result: null,
    config: { ...config, seed: config.seed + (run.rep ?? 0) },
    env: { ...ENV, ...run.env },
    error: { message: run.message ?? 'no progress for 5 s from 2 of 2 workers (2 running): a lock that is never freed, a lost wake-up, or a deadlock', report: 'worker 0: spinning' },
  };
}

/**
 * A runner for runSweep that runs nothing: a made-up result a call (its
 * date counts up, so that no two runs are the same), and a HarnessError for
 * the configurations `fails` picks. `calls` lists what it was asked to run.
 */
export function fakeRunner(fails: (c: Config) => boolean = () => false): { runOne: RunOne; calls: Config[] } {
  const calls: Config[] = [];
  const runOne: RunOne = async (c) => {
    calls.push(c);
    if (fails(c)) throw new HarnessError(`worker 0 (device 0) crashed: injected for point devices=${c.devices} lock=${c.lock}`, 'worker 0: crashed at op 3');
    const date = new Date(Date.UTC(2026, 0, 1) + calls.length * 1000).toISOString();
    return fakeResult(c, { opsPerSec: 1000 * c.devices + calls.length, env: { date } });
  };
  return { runOne, calls };
}

/**
 * The sweep `--devices 1,2,4 --group-size 1,all --lock ttas,futex` with
 * made-up figures: throughput falls with sharing, futex least; the shared
 * domain contends, the private ones never.
 */
export function smallSweep(reps = 2): OkRecord[] {
  const out: OkRecord[] = [];
  let point = 0;
  for (const devices of [1, 2, 4]) {
    for (const g of devices === 1 ? [1] : [1, devices]) {
      for (const lock of ['ttas', 'futex']) {
        const shared = g === devices && devices > 1;
        const base = (lock === 'futex' ? 500_000 : 400_000) * (shared ? 1 / devices : 1);
        for (let rep = 0; rep < reps; rep++) {
          out.push(
            fakeRecord({
              config: { devices, groupSize: g, lock },
              varied: { devices, groupSize: g === devices && devices > 1 ? 'all' : g, lock },
              point,
              rep,
              opsPerSec: base * (1 + rep * 0.1),
              tableContentionPct: shared ? 10 * devices : 0,
              iovaContentionPct: shared ? devices : 0,
              waits: shared ? [300 * devices, 5000 * devices, 90_000 * devices] : [0, 0, 0],
            }),
          );
        }
        point++;
      }
    }
  }
  return out;
}
