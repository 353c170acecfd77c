/**
 * A finished run's memory as a RunResult: sum the per-agent counters, merge
 * lock_stat fields per class, name the violations, add the audit, the
 * timeline, the schedule and the warnings. Pure reading of shared memory
 * and of what the engine returned; no timing, no I/O.
 */
import {
  C_DMAS,
  C_CPU_NS,
  C_CLOCK_NS,
  C_END_MS,
  C_FLUSHES,
  C_MAP_CALLS,
  C_OPS,
  C_PAGES,
  C_PROBES,
  C_STALE,
  C_START_MS,
  C_STOP_CODE,
  C_UNMAP_CALLS,
  C_VIOLATIONS,
  DEV_DOMAIN,
  FG_FIELDS,
  FIGURE_SLOTS,
  type Layout,
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
  LS_WAIT_SAMPLES,
  LS_WAIT_TOTAL,
  SAMPLES_PER_AGENT,
  TE_ARG,
  TE_CLOCK,
  TE_EVENT,
  TE_OP,
  TE_WORDS,
  TR_HDR_WORDS,
  TR_HEAD,
  VS_CODE,
  VS_DEVICE,
  VS_DOMAIN,
  VS_EXPECTED,
  VS_FIELDS,
  VS_FOUND,
  VS_LEVEL,
  VS_OP,
  VS_PFN,
  W_PROGRESS,
  countersAt,
  deviceAt,
  traceAt,
  workerAt,
} from '../memory/layout.js';
import { describeAddress } from '../memory/regions.js';
import { readLabels } from '../sched/labels.js';
import { explainLockCycle, lockCycle, lockDependencies } from '../detect/lock-order.js';
import { readSteps } from '../sched/control.js';
import { formatIova } from '../checker/audit.js';
import { engineEventName } from '../engine/trace.js';
import { type Engine, type RunEnd, graceMs } from '../engine/engine.js';
import { agentName } from '../engine/describe.js';
import { type Env, oversubscription, preemption, readEnv } from '../util/env.js';
import { jain, minMaxRatio } from '../util/stats.js';
import { summarize } from './latency.js';
import { mergeHistograms } from './histogram.js';
import { type DeviceStats, type LockClassStats, RESULT_SCHEMA, type RunResult, type TimelineEvent, type ViolationSample } from './result.js';

/** Events of the interleaved timeline kept in a result. */
const TIMELINE_EVENTS = 40;
/** Violation samples kept in a result. */
const MAX_SAMPLES = 16;
/** Under tso or weak, what a load that did not take the newest store took (the step listing says it). */
export function readText(s: { rf: number; rfn: number; rfFrom: number }): string {
  const what = s.rfFrom < 0 ? 'the value the run started with' : `the value step ${s.rfFrom} stored`;
  return `read ${what}, ${s.rf} store${s.rf === 1 ? "" : "s"} older than the newest (of ${s.rfn} it could read)`;
}

/** Steps kept in `sched.tail`. */
const TAIL_STEPS = 24;

/** Point names, as a design's code labelled them (the label table of the run's memory). */
export function pointNames(e: Engine): Map<number, string> {
  return readLabels(e.m, e.L);
}

/** An argument of a step or event, for people: a buffer's IOVA, an address's meaning, or the number. */
export function argText(L: Layout, point: string, arg: number): string {
  if (/^(op|start|switch-due|sleep|pool|magazine|flush|iova-alloc)$/.test(point)) return String(arg);
  if (/^(iova-free|iotlb-lookup|iotlb-fill)$/.test(point) || /^(alloc|map|dma|unmap|free|map-begin|dma-begin|unmap-begin|violation)$/.test(point)) return formatIova(L.iovaBasePfn + arg);
  return describeAddress(L, arg) ?? String(arg);
}

/**
 * Events in clock order, ties by worker. The clock is an int32 that wraps
 * (a free-running Lamport clock passes 2^31 in a long run), so clocks are
 * compared as serial numbers, relative to the first event's: the rings
 * hold a span of the run far shorter than 2^31 ticks. The clocks are
 * rebased to that order too, so a wrap inside the span reads as time going
 * on, not back (without one, every clock is as written).
 */
export function inClockOrder(events: TimelineEvent[]): TimelineEvent[] {
  if (events.length === 0) return events;
  const ref = events[0]!.clock;
  for (const e of events) e.clock = ref + ((e.clock - ref) | 0);
  return events.sort((a, b) => a.clock - b.clock || a.worker - b.worker);
}

/** Every agent's trace ring, in clock order (up to the freeze at the first violation). */
export function readTimeline(e: Engine, names = pointNames(e), limit = TIMELINE_EVENTS): TimelineEvent[] {
  const { m, L } = e;
  const events: TimelineEvent[] = [];
  for (let a = 0; a <= L.agents; a++) {
    const tr = traceAt(L, a);
    // Events written: a count that wraps as an int32 in a long run (read as uint32; the ring keeps the last traceLen).
    const head = m[tr + TR_HEAD]! >>> 0;
    for (let k = Math.max(0, head - L.traceLen); k < head; k++) {
      const at = tr + TR_HDR_WORDS + (k & (L.traceLen - 1)) * TE_WORDS;
      const code = m[at + TE_EVENT]!;
      const event = engineEventName(code) ?? names.get(code) ?? `#${code.toString(16)}`;
      events.push({
        clock: m[at + TE_CLOCK]!,
        worker: a,
        device: a < L.workers ? Math.floor(a / L.queues) : (e.design.agents[a - L.workers]?.device ?? -1),
        op: m[at + TE_OP]!,
        event,
        arg: event === 'acquire' || event === 'release' || event === 'hold-forever' ? (describeAddress(L, m[at + TE_ARG]!) ?? '') : argText(L, event, m[at + TE_ARG]!),
      });
    }
  }
  inClockOrder(events);
  return limit > 0 ? events.slice(-limit) : events;
}

export interface CollectOptions {
  /** Extra warnings (options that had no effect, ...). */
  warnings?: readonly string[];
  env?: Env;
}

export function collect(e: Engine, end: RunEnd, opts: CollectOptions = {}): RunResult {
  const { m, f, L, design: d } = e;
  const c = d.config;
  const env = opts.env ?? readEnv();
  const slots = L.agents + 1;
  const sum = (field: number): number => {
    let s = 0;
    for (let a = 0; a < slots; a++) s += f[countersAt(L, a) + field]!;
    return s;
  };
  const stopped = new Set(end.stopped);
  // A worker the harness stopped never wrote its counters: its progress word has its operations.
  const opsOf = (w: number): number => (stopped.has(w) ? Atomics.load(m, workerAt(L, w) + W_PROGRESS) : f[countersAt(L, w) + C_OPS]!);
  let start = Infinity;
  let endT = -Infinity;
  for (let w = 0; w < L.workers; w++) {
    const cb = countersAt(L, w);
    if (f[cb + C_START_MS]! > 0) start = Math.min(start, f[cb + C_START_MS]!);
    endT = Math.max(endT, stopped.has(w) ? performance.timeOrigin + end.endMs : f[cb + C_END_MS]!);
  }
  if (!Number.isFinite(start)) {
    start = performance.timeOrigin + end.startMs;
    endT = performance.timeOrigin + end.endMs;
  }
  const durationSec = Math.max(1e-9, (endT - start) / 1000);
  let ops = 0;
  for (let w = 0; w < L.workers; w++) ops += opsOf(w);
  const pages = sum(C_PAGES) + end.stopped.filter((w) => w < L.workers).reduce((n, w) => n + opsOf(w) * L.pages, 0);

  const devices: DeviceStats[] = [];
  for (let v = 0; v < L.devices; v++) {
    let dOps = 0;
    let dPages = 0;
    let dSec = 0;
    // Time on a CPU against wall time, summed over the device's workers; unknown if any worker's is.
    let cpuSec: number | null = 0;
    let wallSec = 0;
    for (let q = 0; q < L.queues; q++) {
      const w = v * L.queues + q;
      const cb = countersAt(L, w);
      dOps += opsOf(w);
      dPages += stopped.has(w) ? opsOf(w) * L.pages : f[cb + C_PAGES]!;
      const wEnd = stopped.has(w) ? performance.timeOrigin + end.endMs : f[cb + C_END_MS]!;
      const sec = (wEnd - f[cb + C_START_MS]!) / 1000;
      dSec = Math.max(dSec, sec);
      wallSec += sec;
      const cpuNs = f[cb + C_CPU_NS]!;
      cpuSec = cpuSec === null || stopped.has(w) || !(cpuNs > 0) ? null : cpuSec + cpuNs / 1e9;
    }
    devices.push({
      device: v,
      domain: m[deviceAt(L, v) + DEV_DOMAIN]!,
      workers: L.queues,
      ops: dOps,
      pages: dPages,
      opsPerSec: dSec > 0 ? dOps / dSec : 0,
      share: ops > 0 ? dOps / ops : 0,
      cpuSec,
      onCpu: cpuSec !== null && wallSec > 0 ? Math.min(1, cpuSec / wallSec) : null,
    });
  }

  const h = end.histograms;
  const locks: LockClassStats[] = L.lockClasses.map((lay, k) => {
    const at = (field: number): number => L.cLockstat + k * LS_FIELDS + field;
    let waitMin = Infinity;
    let waitMax = 0;
    let holdMin = Infinity;
    let holdMax = 0;
    for (let a = 0; a < slots; a++) {
      const cb = countersAt(L, a);
      waitMin = Math.min(waitMin, f[cb + at(LS_WAIT_MIN)]!);
      waitMax = Math.max(waitMax, f[cb + at(LS_WAIT_MAX)]!);
      holdMin = Math.min(holdMin, f[cb + at(LS_HOLD_MIN)]!);
      holdMax = Math.max(holdMax, f[cb + at(LS_HOLD_MAX)]!);
    }
    const acquisitions = sum(at(LS_ACQ));
    const contentions = sum(at(LS_CONT));
    const waitTotal = sum(at(LS_WAIT_TOTAL));
    const waitSamples = sum(at(LS_WAIT_SAMPLES));
    const waitAvg = waitSamples > 0 ? waitTotal / waitSamples : 0;
    const holdSamples = sum(at(LS_HOLD_SAMPLES));
    const holdAvg = holdSamples > 0 ? sum(at(LS_HOLD_TOTAL)) / holdSamples : 0;
    const wait = summarize(mergeHistograms(h.waits.map((w) => w[k]!).filter(Boolean)));
    return {
      class: lay.name,
      kernelName: lay.kernelName,
      scope: lay.per,
      owner: lay.owner,
      guardsTables: lay.guardsTables,
      instances: lay.instances,
      acquisitions,
      contentions,
      contentionPct: acquisitions > 0 ? (100 * contentions) / acquisitions : 0,
      conBounces: sum(at(LS_CON_BOUNCES)),
      acqBounces: sum(at(LS_ACQ_BOUNCES)),
      waitSamples,
      waittimeMinNs: waitSamples > 0 ? waitMin : 0,
      waittimeMaxNs: waitMax,
      waittimeTotalNs: waitAvg * contentions,
      waittimeAvgNs: waitAvg,
      waittimeP50Ns: wait.p50Ns,
      waittimeP99Ns: wait.p99Ns,
      waittimeP999Ns: wait.p999Ns,
      holdSamples,
      holdSampleEvery: c.holdSample,
      holdtimeMinNs: holdSamples > 0 ? holdMin : 0,
      holdtimeMaxNs: holdMax,
      holdtimeTotalNs: holdAvg * acquisitions,
      holdtimeAvgNs: holdAvg,
    };
  });

  // Violations: online counts from every agent (and the main thread's), plus the audit's and the race's checks.
  const inv = d.invariants;
  const byCode = inv.map((_, code) => sum(L.cViolations + code) + (end.findings.counts[code] ?? 0));
  const samples: ViolationSample[] = [];
  for (let a = 0; a < slots; a++) {
    const cb = countersAt(L, a);
    const n = Math.min(SAMPLES_PER_AGENT, f[cb + C_VIOLATIONS]!);
    for (let i = 0; i < n; i++) {
      const s = cb + L.cSamples + i * VS_FIELDS;
      const pfn = f[s + VS_PFN]!;
      samples.push({
        invariant: inv[f[s + VS_CODE]!]!.name,
        device: f[s + VS_DEVICE]!,
        domain: f[s + VS_DOMAIN]!,
        pfn,
        iova: pfn >= 0 ? formatIova(pfn) : null,
        level: f[s + VS_LEVEL]!,
        expected: f[s + VS_EXPECTED]!,
        found: f[s + VS_FOUND]!,
        op: a === L.mainSlot ? -1 : f[s + VS_OP]!,
      });
    }
  }
  samples.sort((a, b) => (a.op < 0 ? 1e15 : a.op) - (b.op < 0 ? 1e15 : b.op));
  samples.push(...end.findings.samples);
  // Free running, lockdep's dependencies as the timed operations recorded them (under control the detectors report a cycle as the run's outcome).
  const cycle = end.sched === null && L.lockClasses.length > 1 ? lockCycle(lockDependencies(m, L)) : null;
  const lockOrder = cycle ? { chain: cycle, report: explainLockCycle(L, e.agentNames, cycle, 'operation') } : null;
  const count = byCode.reduce((a, b) => a + b, 0) + (lockOrder ? 1 : 0);
  const byInvariant: Record<string, number> = {};
  const meanings: Record<string, string> = {};
  if (lockOrder) {
    byInvariant['lock-order'] = 1;
    meanings['lock-order'] = 'lock classes were taken in orders that form a cycle (a possible circular locking dependency: a deadlock for some timing)';
  }
  byCode.forEach((n, code) => {
    if (n > 0) {
      byInvariant[inv[code]!.name] = n;
      meanings[inv[code]!.name] = inv[code]!.meaning;
    }
  });

  // Agents' own figures, by agent name.
  const agents: Record<string, Record<string, number>> = {};
  const names = readLabels(m, L);
  for (let k = 0; k < d.agents.length; k++) {
    const cb = countersAt(L, L.workers + k) + L.cFigures;
    const figs: Record<string, number> = {};
    for (let i = 0; i < FIGURE_SLOTS; i++) {
      const hash = f[cb + i * FG_FIELDS]!;
      if (hash === 0) continue;
      figs[names.get(hash) ?? `#${hash}`] = f[cb + i * FG_FIELDS + 1]!;
    }
    agents[d.agents[k]!.name] = { ...(agents[d.agents[k]!.name] ?? {}), ...figs };
  }
  const sw = agents['live-switch'];
  const liveSwitch = c.switchMs > 0 && sw
    ? {
        switches: sw.switches ?? 0,
        to: c.switchTo,
        latencyAvgNs: (sw.switches ?? 0) > 0 ? (sw['latency-total-ns'] ?? 0) / sw.switches! : 0,
        latencyMaxNs: sw['latency-max-ns'] ?? 0,
        throughputAfterVsBefore: (sw['rated-switches'] ?? 0) > 0 ? (sw['after-over-before-sum'] ?? 0) / sw['rated-switches']! : 1,
      }
    : null;

  const latency = { sampleEvery: c.stats === 'on' && !L.controlled ? c.latencySample : 0, clockPairNs: clockPairOf(f, L), map: summarize(mergeHistograms(h.map)), unmap: summarize(mergeHistograms(h.unmap)) };
  const warnings: string[] = [...(opts.warnings ?? [])];
  const implausible = implausibleLatency(latency, ops, L.workers, durationSec, locks.some((l) => l.contentionPct >= 1));
  if (implausible) warnings.push(implausible);
  for (let w = 0; w < L.workers; w++) {
    const stop = f[countersAt(L, w) + C_STOP_CODE]!;
    if (stop > 0) warnings.push(`${agentName(L, w)} stopped early after ${opsOf(w)} ops: ${inv[stop - 1]!.name}`);
  }
  const over = oversubscription(L.agents, env.cores);
  if (over) warnings.push(over);
  const preempted = preemption(devices);
  if (preempted) warnings.push(preempted);
  const tableLock = locks.find((l) => l.guardsTables);
  if (tableLock?.scope === 'device' && (c.groupSize > 1 || c.pasids > 1)) {
    warnings.push(`per-device locks (${tableLock.kernelName}) guard tables shared by ${c.groupSize > 1 ? `${c.groupSize} devices` : `${c.pasids} PASID domains`}: writers of one table do not exclude each other (the s390 thread's warning)`);
  }
  const busiest = locks.reduce((b, l) => (l.acquisitions > b ? l.acquisitions : b), 0);
  const starved = end.watchdog?.starved ?? 0;
  const never = devices.length > 0 ? [...Array(L.workers).keys()].filter((w) => opsOf(w) === 0).length : 0;
  if (starved > 0 || end.stopped.length > 0) {
    warnings.push(
      `starvation: ${starved} of ${L.workers} workers made no progress for ${c.watchdogSec} s or more while others did` +
        (end.watchdog ? `; the longest wait for one lock was ${(end.watchdog.longestWaitMs / 1000).toFixed(1)} s` : '') +
        `; ${never} never completed an operation; ${(busiest / durationSec).toFixed(0)} acquisitions/s of the busiest lock class` +
        (end.stopped.length > 0 ? `; ${end.stopped.length} still busy ${(graceMs(c.watchdogSec) / 1000).toFixed(0)} s after the run's end were stopped (their last operation is not counted; the audit was skipped)` : '') +
        ' (a FIFO lock handing off to preempted waiters, or a lock that lets some never in: a finding about the lock)',
    );
  }

  const sched = end.sched
    ? {
        ...end.sched,
        tail: readSteps(m, L, Math.max(0, (end.sched.violationStep >= 0 ? end.sched.violationStep + 1 : end.sched.steps) - TAIL_STEPS), end.sched.violationStep >= 0 ? end.sched.violationStep + 1 : end.sched.steps).map((s) => {
          const point = names.get(s.point) ?? `#${s.point.toString(16)}`;
          return { step: s.step, worker: s.agent, point, arg: argText(L, point, s.arg), preempted: s.preempted, ...(s.rf > 0 ? { read: readText(s) } : {}) };
        }),
      }
    : null;

  return {
    schema: RESULT_SCHEMA,
    status: count > 0 ? 'violations' : 'clean',
    config: c,
    design: {
      driver: { name: d.driver.name, summary: d.driver.summary, source: d.driver.source ?? null, broken: d.driver.broken ?? false, levels: d.driver.levels ?? null },
      lock: { name: d.lock.name, summary: d.lock.summary, broken: d.lock.broken ?? false },
      allocator: { name: d.allocator.name, summary: d.allocator.summary, broken: d.allocator.broken ?? false },
      flush: { name: d.flush.name, summary: d.flush.summary, broken: d.flush.broken ?? false, defers: d.flush.needsIotlb ?? false },
      race: d.race ? { name: d.race.name, variant: d.variant ?? 'broken' } : null,
      agents: d.agents.map((a) => a.name),
    },
    env,
    layout: { workers: L.workers, agents: L.agents, domains: L.domains, windowPages: L.windowPages, iovaBase: formatIova(L.iovaBasePfn), tablePool: L.nTables - 1, sharedBytes: L.bytes },
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
      minOps: devices.length ? Math.min(...devices.map((x) => x.ops)) : 0,
      maxOps: devices.length ? Math.max(...devices.map((x) => x.ops)) : 0,
      minMaxRatio: minMaxRatio(devices.map((x) => x.ops)),
      jain: jain(devices.map((x) => x.ops)),
    },
    latency,
    locks,
    iotlb: {
      entries: c.iotlbEntries,
      flush: d.flush.name,
      flushes: sum(C_FLUSHES),
      lateDmaProbes: sum(C_PROBES),
      staleTranslations: sum(C_STALE),
      stalePerMillionOps: ops > 0 ? (1e6 * sum(C_STALE)) / ops : 0,
    },
    liveSwitch,
    agents,
    violations: { count, byInvariant, meanings, samples: samples.slice(0, MAX_SAMPLES), ...(lockOrder ? { lockOrder } : {}) },
    timeline: count > 0 ? readTimeline(e, names) : [],
    sched,
    audit: end.audit,
    watchdog: {
      longestWaitMs: end.watchdog?.longestWaitMs ?? 0,
      neverProgressed: never,
      starved,
      stopped: end.stopped.length,
      handoffsPerSec: busiest / durationSec,
    },
    warnings,
  };
}

/** What a pair of clock reads cost in the device workers (the median of theirs), ns; 0 where nothing was sampled. */
function clockPairOf(f: Float64Array, L: Layout): number {
  const xs: number[] = [];
  for (let w = 0; w < L.workers; w++) {
    const x = f[countersAt(L, w) + C_CLOCK_NS]!;
    if (x > 0) xs.push(x);
  }
  xs.sort((a, b) => a - b);
  return xs.length > 0 ? xs[xs.length >> 1]! : 0;
}

/**
 * The self-check of the sampled latencies: an operation maps and unmaps, so
 * the map p50 and the unmap p50 cannot add up to more than an operation
 * takes (a worker's run over its operations); where they do by more than a
 * tenth, the samples measured something the unsampled operations do not
 * do, and the report says so instead of printing them silently. Not where
 * a lock was contended (1% of acquisitions or more): waits make a map's
 * and an unmap's times two-humped, and their p50s may then add up to more
 * than the mean operation though every one was measured right.
 */
export function implausibleLatency(lat: { sampleEvery: number; map: { samples: number; p50Ns: number }; unmap: { samples: number; p50Ns: number } }, ops: number, workers: number, durationSec: number, contended = false): string | null {
  if (contended || lat.sampleEvery === 0 || lat.map.samples === 0 || lat.unmap.samples === 0 || ops === 0 || workers === 0) return null;
  const opNs = (durationSec * 1e9 * workers) / ops;
  const sum = lat.map.p50Ns + lat.unmap.p50Ns;
  if (sum <= 1.1 * opNs) return null;
  return `sampled latencies cannot be right: map p50 ${Math.round(lat.map.p50Ns)} ns + unmap p50 ${Math.round(lat.unmap.p50Ns)} ns is more than a whole operation takes (${Math.round(opNs)} ns a worker, from the throughput): the sampled operations did something the others do not (compare with --latency-sample 1)`;
}
