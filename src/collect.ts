/**
 * Turn the shared counters of a finished run into a RunResult: sum the
 * per-worker blocks, merge lock_stat fields per class, add the audit.
 * Pure reading of shared memory; no timing, no I/O.
 */
import type { Config } from './config.js';
import type { Env } from './env.js';
import { oversubscription } from './env.js';
import {
  C_DMAS,
  C_END_MS,
  C_LOCKSTAT,
  C_MAP_CALLS,
  C_OPS,
  C_PAGES,
  C_SAMPLES,
  C_START_MS,
  C_STOP_CODE,
  C_FLUSHES,
  C_PROBES,
  C_STALE,
  C_SW_COUNT,
  C_SW_LAT_MAX,
  C_SW_LAT_TOTAL,
  C_SW_RATE_RATIO,
  TE_CLOCK,
  TE_EVENT,
  TE_IOVA,
  TE_OP,
  TE_WORDS,
  TR_HDR_WORDS,
  TR_HEAD,
  TRACE_LEN,
  traceAt,
  C_UNMAP_CALLS,
  C_VIOL_BY_CODE,
  DEV_DOMAIN,
  LOCK_CLASSES,
  LOCK_CLASS_KERNEL_NAMES,
  LOCK_CLASS_OWNERS,
  LS_ACQ,
  LS_ACQ_BOUNCES,
  LS_CON_BOUNCES,
  LS_CONT,
  LS_FIELDS,
  LS_HOLD_MAX,
  LS_HOLD_MIN,
  LS_HOLD_SAMPLES,
  LS_HOLD_TOTAL,
  LS_WAIT_MAX,
  LS_WAIT_MIN,
  LS_WAIT_TOTAL,
  SAMPLES_PER_WORKER,
  VS_CODE,
  VS_DEVICE,
  VS_DOMAIN,
  VS_EXPECTED,
  VS_FIELDS,
  VS_FOUND,
  VS_LEVEL,
  VS_OP,
  VS_PFN,
  C_VIOLATIONS,
  countersAt,
  deviceAt,
} from './layout.js';
import { INVARIANTS, type ViolationSample } from './checker.js';
import { formatIova } from './pte.js';
import type { AuditResult } from './audit.js';
import type { Shared } from './memory.js';
import type { DeviceHistograms } from './messages.js';
import { summarize } from './latency.js';
import { jain, minMaxRatio } from './stats.js';
import { type DeviceStats, type LockClassStats, type RunResult, type TimelineEvent, RESULT_SCHEMA } from './result.js';
import type { SchedOutcome } from './harness.js';
import { TRACE_EVENTS } from './trace.js';

/** Events of the interleaved timeline kept in a result. */
const TIMELINE_EVENTS = 40;

/** Violation samples kept in a result. */
const MAX_SAMPLES = 16;

export function collect(sh: Shared, cfg: Config, env: Env, au: AuditResult, hist: DeviceHistograms, sched: SchedOutcome | null): RunResult {
  const { m, f, L } = sh;
  const sum = (field: number): number => {
    let s = 0;
    for (let w = 0; w < L.agents; w++) s += f[countersAt(L, w) + field]!;
    return s;
  };
  let start = Infinity;
  let end = -Infinity;
  for (let w = 0; w < L.workers; w++) {
    start = Math.min(start, f[countersAt(L, w) + C_START_MS]!);
    end = Math.max(end, f[countersAt(L, w) + C_END_MS]!);
  }
  const durationSec = Math.max(1e-9, (end - start) / 1000);
  const ops = sum(C_OPS);
  const pages = sum(C_PAGES);

  const devices: DeviceStats[] = [];
  for (let v = 0; v < L.devices; v++) {
    let dOps = 0;
    let dPages = 0;
    let dSec = 0;
    for (let q = 0; q < L.queues; q++) {
      const cb = countersAt(L, v * L.queues + q);
      dOps += f[cb + C_OPS]!;
      dPages += f[cb + C_PAGES]!;
      dSec = Math.max(dSec, (f[cb + C_END_MS]! - f[cb + C_START_MS]!) / 1000);
    }
    devices.push({
      device: v,
      domain: m[deviceAt(L, v) + DEV_DOMAIN]!,
      workers: L.queues,
      ops: dOps,
      pages: dPages,
      opsPerSec: dSec > 0 ? dOps / dSec : 0,
      share: ops > 0 ? dOps / ops : 0,
    });
  }

  const bounce = cfg.mode === 'pv-bounce';
  const instances = [
    cfg.lockScope === 'domain' && !bounce ? L.tableDomains + (cfg.switchMs > 0 && cfg.switchTo === 'empty' ? 1 : 0) : 0,
    cfg.lockScope === 'device' && !bounce ? L.devices : 0,
    bounce ? 0 : L.tableDomains,
    cfg.allocator === 'rcache' && !bounce ? L.tableDomains : 0,
    bounce ? 1 : 0,
  ];
  const locks: LockClassStats[] = LOCK_CLASSES.map((name, c) => {
    const at = (field: number): number => C_LOCKSTAT + c * LS_FIELDS + field;
    let waitMin = Infinity;
    let waitMax = 0;
    let holdMin = Infinity;
    let holdMax = 0;
    for (let w = 0; w < L.agents; w++) {
      const cb = countersAt(L, w);
      waitMin = Math.min(waitMin, f[cb + at(LS_WAIT_MIN)]!);
      waitMax = Math.max(waitMax, f[cb + at(LS_WAIT_MAX)]!);
      holdMin = Math.min(holdMin, f[cb + at(LS_HOLD_MIN)]!);
      holdMax = Math.max(holdMax, f[cb + at(LS_HOLD_MAX)]!);
    }
    const acquisitions = sum(at(LS_ACQ));
    const contentions = sum(at(LS_CONT));
    const waitTotal = sum(at(LS_WAIT_TOTAL));
    const holdSamples = sum(at(LS_HOLD_SAMPLES));
    const holdAvg = holdSamples > 0 ? sum(at(LS_HOLD_TOTAL)) / holdSamples : 0;
    const wait = summarize(hist.wait[c]);
    return {
      class: name,
      kernelName: LOCK_CLASS_KERNEL_NAMES[c]!,
      scope: LOCK_CLASS_OWNERS[c]!,
      instances: instances[c]!,
      acquisitions,
      contentions,
      contentionPct: acquisitions > 0 ? (100 * contentions) / acquisitions : 0,
      conBounces: sum(at(LS_CON_BOUNCES)),
      acqBounces: sum(at(LS_ACQ_BOUNCES)),
      waittimeMinNs: contentions > 0 ? waitMin : 0,
      waittimeMaxNs: waitMax,
      waittimeTotalNs: waitTotal,
      waittimeAvgNs: contentions > 0 ? waitTotal / contentions : 0,
      waittimeP50Ns: wait.p50Ns,
      waittimeP99Ns: wait.p99Ns,
      waittimeP999Ns: wait.p999Ns,
      holdSamples,
      holdSampleEvery: cfg.holdSample,
      holdtimeMinNs: holdSamples > 0 ? holdMin : 0,
      holdtimeMaxNs: holdMax,
      holdtimeTotalNs: holdAvg * acquisitions,
      holdtimeAvgNs: holdAvg,
    };
  });

  // Violations: online counts from every worker, plus the audit's.
  const byCode = INVARIANTS.map((_, code) => sum(C_VIOL_BY_CODE + code) + (au.counts[code] ?? 0));
  const samples: ViolationSample[] = [];
  for (let w = 0; w < L.agents; w++) {
    const cb = countersAt(L, w);
    const n = Math.min(SAMPLES_PER_WORKER, f[cb + C_VIOLATIONS]!);
    for (let i = 0; i < n; i++) {
      const s = cb + C_SAMPLES + i * VS_FIELDS;
      const pfn = f[s + VS_PFN]!;
      samples.push({
        invariant: INVARIANTS[f[s + VS_CODE]!]!.name,
        device: f[s + VS_DEVICE]!,
        domain: f[s + VS_DOMAIN]!,
        pfn,
        iova: pfn >= 0 ? formatIova(pfn) : null,
        level: f[s + VS_LEVEL]!,
        expected: f[s + VS_EXPECTED]!,
        found: f[s + VS_FOUND]!,
        op: f[s + VS_OP]!,
      });
    }
  }
  samples.sort((a, b) => a.op - b.op);
  samples.push(...au.samples);
  const count = byCode.reduce((a, b) => a + b, 0);
  const byInvariant: Record<string, number> = {};
  byCode.forEach((n, code) => {
    if (n > 0) byInvariant[INVARIANTS[code]!.name] = n;
  });

  const warnings: string[] = [];
  for (let w = 0; w < L.workers; w++) {
    const stop = f[countersAt(L, w) + C_STOP_CODE]!;
    if (stop > 0) {
      warnings.push(`worker ${w} (device ${Math.floor(w / L.queues)}) stopped early after ${f[countersAt(L, w) + C_OPS]} ops: ${INVARIANTS[stop - 1]!.name}`);
    }
  }
  const over = oversubscription(L.workers, env.cores);
  if (over) warnings.push(over);
  if (cfg.lockScope === 'device' && cfg.groupSize > 1) {
    warnings.push(`per-device locks guard tables shared by ${cfg.groupSize} devices: writers of one table do not exclude each other (the s390 thread's warning)`);
  }
  if (cfg.lockScope === 'none' && (cfg.groupSize > 1 || cfg.queues > 1) && cfg.tableStyle === 'refcount') {
    warnings.push('no page-table lock, and several workers write one table in the refcount style: expect corruption');
  }

  return {
    schema: RESULT_SCHEMA,
    status: count > 0 ? 'violations' : 'clean',
    config: cfg,
    env,
    layout: {
      workers: L.workers,
      domains: L.domains,
      windowPages: L.windowPages,
      iovaBase: formatIova(L.iovaBasePfn),
      tablePool: L.nTables - 1,
      sharedBytes: L.bytes,
    },
    totals: {
      ops,
      pages,
      dmas: sum(C_DMAS),
      mapCalls: sum(C_MAP_CALLS),
      unmapCalls: sum(C_UNMAP_CALLS),
      durationSec,
      opsPerSec: ops / durationSec,
      pagesPerSec: pages / durationSec,
    },
    devices,
    fairness: {
      minOps: Math.min(...devices.map((d) => d.ops)),
      maxOps: Math.max(...devices.map((d) => d.ops)),
      minMaxRatio: minMaxRatio(devices.map((d) => d.ops)),
      jain: jain(devices.map((d) => d.ops)),
    },
    latency: {
      sampleEvery: cfg.stats === 'on' ? cfg.latencySample : 0,
      map: summarize(hist.map),
      unmap: summarize(hist.unmap),
    },
    locks,
    iotlb: {
      entries: cfg.iotlbEntries,
      flush: cfg.flush,
      flushes: sum(C_FLUSHES),
      lateDmaProbes: sum(C_PROBES),
      staleTranslations: sum(C_STALE),
      stalePerMillionOps: ops > 0 ? (1e6 * sum(C_STALE)) / ops : 0,
    },
    liveSwitch: liveSwitchStats(sh, cfg),
    violations: { count, byInvariant, samples: samples.slice(0, MAX_SAMPLES) },
    timeline: count > 0 ? readTimeline(sh) : [],
    sched,
    audit: au.summary,
    warnings,
  };
}

/** The live switch agent's measurements, or null when nothing switched. */
function liveSwitchStats(sh: Shared, cfg: Config): RunResult['liveSwitch'] {
  if (cfg.switchMs <= 0) return null;
  const cb = countersAt(sh.L, sh.L.workers);
  const n = sh.f[cb + C_SW_COUNT]!;
  return {
    switches: n,
    to: cfg.switchTo,
    latencyAvgNs: n > 0 ? sh.f[cb + C_SW_LAT_TOTAL]! / n : 0,
    latencyMaxNs: sh.f[cb + C_SW_LAT_MAX]!,
    throughputAfterVsBefore: n > 0 ? sh.f[cb + C_SW_RATE_RATIO]! / n : 1,
  };
}

/** Events of every worker's trace ring, in logical-clock order (up to the freeze at the first violation). */
export function readTimeline(sh: Shared): TimelineEvent[] {
  const { m, L } = sh;
  const events: TimelineEvent[] = [];
  for (let w = 0; w < L.agents; w++) {
    const tr = traceAt(L, w);
    const head = m[tr + TR_HEAD]!;
    for (let k = Math.max(0, head - TRACE_LEN); k < head; k++) {
      const e = tr + TR_HDR_WORDS + (k & (TRACE_LEN - 1)) * TE_WORDS;
      const event = TRACE_EVENTS[m[e + TE_EVENT]!] ?? '?';
      const off = m[e + TE_IOVA]!;
      events.push({
        clock: m[e + TE_CLOCK]!,
        worker: w,
        device: w < L.workers ? Math.floor(w / L.queues) : -1,
        op: m[e + TE_OP]!,
        event,
        iova: event === 'flush' || event === 'switch' ? null : formatIova(L.iovaBasePfn + off),
      });
    }
  }
  events.sort((a, b) => a.clock - b.clock || a.worker - b.worker);
  return events.slice(-TIMELINE_EVENTS);
}
