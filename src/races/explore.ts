/**
 * Finding races on purpose: controlled runs under a seeded strategy
 * (explore), exact replays of a schedule (replay), schedules made smaller
 * while they still fail (shrink), and free-running stress with fresh seeds
 * (race, hunt). Everything here returns data; the CLI prints it.
 *
 * One engine (threads and shared memory) serves every run of the same
 * variant and work: a schedule costs a reset of the memory and the runs'
 * own steps, not a thread start, and nothing of it is kept but its outcome
 * (the full result is collected only for the run that is reported).
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Config, OutcomeClass } from '../api/types.js';
import { FindingError, HarnessError, UsageError } from '../util/errors.js';
import { type BatchEnd, BatchFailed, Engine, type Failure, type RunEnd } from '../engine/engine.js';
import { BATCH_RUNS } from '../memory/layout.js';
import type { Variant } from '../engine/design.js';
import { type LoadedRace, raceDesign } from '../modules/loader.js';
import { describeChange, fingerprint } from '../modules/fingerprint.js';
import { collect } from '../results/collect.js';
import type { RunResult } from '../results/result.js';
import type { Blocked, SchedSpec } from '../sched/control.js';
import { MASK_AGENTS } from '../memory/layout.js';
import { type Execution, readExecution } from '../search/execution.js';
import { traceKey } from '../search/canonical.js';
import { clocksOf } from '../search/clocks.js';
import { NondeterminismError, type SearchKind, SearchTree } from '../search/tree.js';
import type { SearchStrategy, SearchSummary } from '../search/strategies.js';
import { type Schedule, encodeSchedule, smaller } from '../sched/schedule.js';
import type { ExploreResult, SchedulePhases } from '../api/races.js';
import { MAX_STEPS, type OutcomeName, classOf, outcomeOfRun } from './outcome.js';
import { explainEnd } from './explain.js';
import { type Detected, detectorsOn } from '../detect/detectors.js';
import { explainDataRace } from '../detect/data-race.js';
import { explainLockCycle } from '../detect/lock-order.js';
import { readLabels } from '../sched/labels.js';

export { LIVELOCK_STEPS, MAX_STEPS } from './outcome.js';
/**
 * Whether random and pct make their runs in batches in the agents' threads:
 * IOMMU_STRESS_BATCH=0 makes each from the main thread (for comparison: the
 * same outcomes, slower), 1 or unset in batches.
 */
export function batchesByDefault(): boolean {
  const v = process.env.IOMMU_STRESS_BATCH;
  if (v === undefined || v === '' || v === '1') return true;
  if (v === '0') return false;
  throw new UsageError(`IOMMU_STRESS_BATCH=${JSON.stringify(v)}: not a switch (allowed: 0, 1, or unset)`);
}

/** About how long a batch of random or PCT runs takes (progress and an abort are seen between batches). */
const BATCH_SEC = 0.1;
/** Batches one of whose runs is made again on the main thread to check that both threads agree (explore's agreeOnMain): the first this many, then one every AGREE_SEC. */
const AGREE_FIRST = 8;
const AGREE_SEC = 0.5;
/** Preemptions dfs and dpor allow by default (loom's advice: 2 or 3 find most bugs). */
export const DEFAULT_PREEMPTIONS = 2;
/** Agents the exhaustive searches can follow (their enabled sets are bit masks). */
export const SEARCH_MAX_AGENTS = MASK_AGENTS;

export interface RaceRun {
  outcome: OutcomeName;
  class: OutcomeClass;
  /** The full result: for the run that is reported (null for the others, and for a free-running hang). */
  result: RunResult | null;
  /** The watchdog's report, for a free-running hang. */
  hang: string | null;
  /** For a controlled run: the schedule that reproduces it. */
  schedule: Schedule | null;
  /** Scheduler steps the run took (0 free running). */
  steps: number;
  /** The agent's throw, when the outcome is a crash. */
  crash: Failure | null;
  /** Who waited on what when the run ended (a deadlock: every unfinished agent). */
  blocked: Blocked[];
  /** Why it ended, in words (a crash, a deadlock, a livelock, the step limit, a data race, a lock-order cycle), for the report. */
  detail: string[];
  /** A data race or a lock-order cycle, when one is the run's outcome: both accesses, or the chain of dependencies. */
  detected?: Detected;
}

/** The work a schedule names: devices, operations per worker, buffers in flight, and the memory model its loads read under. */
export type Work = Pick<Schedule, 'devices' | 'ops' | 'inflight' | 'memoryModel'>;

/** A race variant's configuration for some work: a race whose devices share a domain keeps them sharing one at any device count. */
function workConfig(lr: LoadedRace, work: Work, seed: number): Partial<Config> {
  const shared = (lr.race.workload.groupSize ?? 1) > 1;
  return { devices: work.devices, groupSize: shared ? work.devices : 1, ops: work.ops, inflight: work.inflight, seed };
}

/**
 * Engines kept across runs, one per variant and work (shrink asks for a few
 * works; the two most recent engines are kept, older ones closed).
 */
export class Controller {
  private readonly engines = new Map<string, Engine>();

  /** Every run this controller makes stops when `signal` aborts (the package API's `signal` option). */
  constructor(readonly signal?: AbortSignal) {}

  async engine(lr: LoadedRace, variant: Variant, work: Work, controlled: boolean): Promise<Engine> {
    // A bad IOMMU_STRESS_DETECT is bad input before any run, not an error in an agent's thread mid-search.
    detectorsOn();
    const mm = controlled ? (work.memoryModel ?? 'sc') : 'sc';
    const key = `${lr.ref}|${variant}|${work.devices}.${work.ops}.${work.inflight}|${controlled}|${mm}`;
    const e = this.engines.get(key);
    if (e && !e.closed) {
      this.engines.delete(key);
      this.engines.set(key, e);
      return e;
    }
    const { design, spec } = await raceDesign(lr, variant, workConfig(lr, work, 1));
    const fresh = await Engine.open(design, spec, controlled ? MAX_STEPS : 0, mm);
    this.engines.set(key, fresh);
    while (this.engines.size > 2) {
      const [k, old] = this.engines.entries().next().value as [string, Engine];
      this.engines.delete(k);
      await old.close();
    }
    return fresh;
  }

  async close(): Promise<void> {
    await Promise.all([...this.engines.values()].map((e) => e.close()));
    this.engines.clear();
  }
}

/** A detector's finding, in words, when it is the run's outcome. */
function explainDetected(e: Engine, outcome: OutcomeName, d: Detected, unit: 'step' | 'operation'): string[] {
  if (outcome === 'data-race' && d.dataRace) {
    const labels = readLabels(e.m, e.L);
    return explainDataRace(e.L, e.agentNames, (p) => labels.get(p) ?? `point ${(p >>> 0).toString(16)}`, d.dataRace);
  }
  if (outcome === 'lock-order' && d.lockOrder) return explainLockCycle(e.L, e.agentNames, d.lockOrder, unit);
  return [];
}

/** The outcome of a finished run, read cheaply from memory (no full result). */
function outcomeOfEnd(e: Engine, end: RunEnd, detected: Detected): OutcomeName {
  return outcomeOfRun(e.design.invariants, e.f, e.L, end.findings.counts, end.sched, detected);
}

type SchedChoice = Pick<SchedSpec, 'strategy' | 'seed' | 'depth' | 'expectedSteps' | 'switches'> & Partial<Pick<SchedSpec, 'sleep' | 'reads'>>;

/** One controlled run on an engine; the full result only if `full` (or the outcome is forbidden). */
async function controlledRun(lr: LoadedRace, e: Engine, s: Schedule, choice: SchedChoice, full: boolean, signal?: AbortSignal, meanwhile?: () => void): Promise<RaceRun> {
  signal?.throwIfAborted();
  const c = e.design.config;
  const end = await e.run({
    ...(signal ? { signal } : {}),
    ...(meanwhile ? { meanwhile } : {}),
    seed: s.seed,
    ops: c.ops,
    durationSec: c.durationSec,
    sched: { ...choice, maxSteps: MAX_STEPS, stopAtViolation: true, tickEvery: e.design.timerEverySteps, spin: Engine.spinFits(e.L.agents) },
  });
  const detected = e.detect(end.sched!.steps);
  const outcome = outcomeOfEnd(e, end, detected);
  // The harness's API refused what the design asked of it (an invariant it never declared): bad input, not a finding.
  if (outcome === 'crash' && end.crash?.crash.usage) {
    const where = end.crash.crash.where ? ` at ${end.crash.crash.where}` : '';
    throw new UsageError(`race ${lr.race.name}: the design's code${where}: ${end.crash.crash.message.replace(/^UsageError: /, '')}`);
  }
  const cls = classOf(lr.race, outcome);
  const sched = end.sched!;
  return {
    outcome,
    class: cls,
    result: full || cls === 'forbidden' ? collect(e, end) : null,
    hang: null,
    schedule: { ...s, switches: sched.switches, ...(e.L.mm !== 0 ? { reads: sched.reads } : {}) },
    steps: sched.steps,
    crash: outcome === 'crash' ? end.crash : null,
    blocked: outcome === 'deadlock' ? sched.blocked : [],
    detail: [
      ...(sched.modelFull
        ? [`the memory model's room ran out at step ${sched.steps} (more words stored to, or views carried, than a run under ${e.L.model === 1 ? 'tso' : 'weak'} can keep): the run ended there, inconclusive (a shorter workload fits)`]
        : explainEnd(e.L, e.agentNames, { outcome, steps: sched.steps, progressStep: sched.progressStep, crash: end.crash, blocked: sched.blocked })),
      ...explainDetected(e, outcome, detected, 'step'),
    ],
    ...(outcome === 'data-race' || outcome === 'lock-order' ? { detected } : {}),
  };
}

export interface ExploreOptions {
  strategy: SearchStrategy;
  depth: number;
  runs: number;
  seed: number;
  /** dfs, dpor: preemptions allowed on a path (null: unbounded) [DEFAULT_PREEMPTIONS]. */
  preemptions?: number | null;
  /** Other work than the race's own (shrink explores with fewer devices). */
  work?: Partial<Work>;
  /** Stop at the first forbidden outcome [true]. */
  stopAtForbidden?: boolean;
  /** Called after each schedule with its outcome (a run made in a batch has no result, schedule or detail: only forbidden outcomes are reported in full). */
  onRun?: (i: number, run: RaceRun) => void;
  /** random and pct: make runs in batches in the agents' threads (engine/batch.ts) [batchesByDefault()]; false: each from the main thread. */
  batch?: boolean;
}

export interface ExploreOutcome {
  found: RaceRun | null;
  /** Schedules run, the finding one included. */
  tried: number;
  histogram: Record<string, number>;
  /** PCT: the run length the change points were drawn from. */
  expectedSteps: number;
  /** Steps of all the schedules tried, and the time they took. */
  steps: number;
  elapsedSec: number;
  search: SearchSummary;
  /** Of the schedules tried, those made in batches in the agents' threads (engine/batch.ts). */
  batched: number;
  /** Their time by phase, µs on average (null: none was). */
  perSchedule: SchedulePhases | null;
}

/** The race's own work, or `over` of it. */
export function baseWork(lr: LoadedRace, over: Partial<Work> = {}): Work {
  const w = lr.race.workload;
  const memoryModel = over.memoryModel ?? lr.race.memoryModel ?? 'sc';
  return { devices: over.devices ?? w.devices ?? 2, ops: over.ops ?? w.ops ?? 6, inflight: over.inflight ?? w.inflight ?? 4, ...(memoryModel !== 'sc' ? { memoryModel } : {}) };
}

/** An exploration as `explore` returns it and `explore --json` writes it. */
export function exploreResult(lr: LoadedRace, variant: Variant, strategy: string, depth: number, x: ExploreOutcome): ExploreResult {
  const f = x.found;
  return {
    schema: 'iommu-stress/explore@2',
    race: lr.race.name,
    variant,
    strategy,
    depth,
    tried: x.tried,
    histogram: x.histogram,
    classes: Object.fromEntries(Object.keys(x.histogram).map((k) => [k, classOf(lr.race, k)])),
    found: f && f.result && f.schedule ? { outcome: f.outcome, class: f.class, schedule: encodeSchedule(f.schedule), result: f.result } : null,
    search: x.search,
    elapsedSec: x.elapsedSec,
    schedulesPerSec: x.elapsedSec > 0 ? x.tried / x.elapsedSec : 0,
    stepsPerSec: x.elapsedSec > 0 ? x.steps / x.elapsedSec : 0,
    expectedSteps: x.expectedSteps,
    perSchedule: x.perSchedule,
  };
}

/**
 * Run schedules until one has a forbidden outcome, or `runs` are spent, or
 * (dfs, dpor) every schedule within the bound is covered: random and PCT
 * draw them from the seed; dfs and dpor walk the tree of choices
 * (search/tree.ts), each run a replay of a prefix.
 */
export async function explore(lr: LoadedRace, variant: Variant, o: ExploreOptions, ctl = new Controller()): Promise<ExploreOutcome> {
  const batches = o.batch ?? batchesByDefault();
  const work = baseWork(lr, o.work);
  let e = await ctl.engine(lr, variant, work, true);
  const fp = fingerprint(e.spec);
  const histogram: Record<string, number> = {};
  const schedule = (seed: number): Schedule => ({ race: lr.ref, variant, ...work, seed, fingerprint: fp, switches: [] });
  const t0 = performance.now();
  const exhaustive = o.strategy === 'dfs' || o.strategy === 'dpor';
  const bound = exhaustive ? (o.preemptions === undefined ? DEFAULT_PREEMPTIONS : o.preemptions) : null;
  if (exhaustive && e.L.agents > SEARCH_MAX_AGENTS) {
    throw new UsageError(`--strategy ${o.strategy}: race ${lr.race.name} runs ${e.L.agents} agents (allowed: at most ${SEARCH_MAX_AGENTS} for an exhaustive search; random and pct take any number)`);
  }
  // Under tso a load's choices also depend on when other agents' buffers drain, which dpor's dependences
  // (shared words) do not see: the search is dfs's, every schedule within the bound, with no reduction.
  const mm = work.memoryModel ?? 'sc';
  const kind: SearchKind | null = !exhaustive ? null : o.strategy === 'dpor' && mm === 'tso' ? 'dfs' : (o.strategy as SearchKind);
  const tree = kind ? new SearchTree(kind, bound) : null;
  const traces = new Set<string>();
  // With a core to spare, a run's trace is keyed while the next one starts (its agents waking up), or after the
  // last; without one the main thread would only take a core from an agent the run waits for: keyed at once.
  const overlap = e.L.agents < availableParallelism();
  let unkeyed: Execution | null = null;
  const keyLast = (): void => {
    if (unkeyed) traces.add(traceKey(unkeyed));
    unkeyed = null;
  };
  const toKey = (x: Execution): void => {
    unkeyed = x;
    if (!overlap) keyLast();
  };
  const meanwhile = overlap ? keyLast : undefined;
  let steps = 0;
  let inconclusive = 0;
  let redundant = 0;
  // PCT draws its change points from the length of a run: measure one (the default schedule).
  let expectedSteps = 0;
  if (o.strategy === 'pct') {
    const probe = await controlledRun(lr, e, schedule(o.seed), { strategy: 'replay', seed: 0, depth: 1, expectedSteps: 0, switches: [] }, false, ctl.signal);
    expectedSteps = probe.steps || 1000;
  }
  let found: RaceRun | null = null;
  let tried = 0;
  let covered = false;
  // Count a run; true: stop here.
  const count = (i: number, run: RaceRun): boolean => {
    tried++;
    steps += run.steps;
    if (run.outcome === 'sleep-blocked') redundant++;
    else histogram[run.outcome] = (histogram[run.outcome] ?? 0) + 1;
    if (run.outcome === 'step-limit') inconclusive++;
    o.onRun?.(i, run);
    if (run.class === 'forbidden') {
      found ??= run;
      if (o.stopAtForbidden ?? true) return true;
    }
    return false;
  };
  /**
   * A batch decides outcomes in an agent's thread, with the design's own copy of its modules there: one
   * of its runs (a different one each time) is made again on the main thread, uncounted, and must end
   * the same way with the same trace; in each of the first AGREE_FIRST batches, then in one every
   * AGREE_SEC (each costs a run on the usual path, a few ms while its code is cold). A design whose setup or check decides by
   * thread (isMainThread, state kept in module variables) would otherwise pass as clean there without
   * having been checked; one that does so only in rare schedules can still slip through this sample.
   */
  const agreeOnMain = async (first: number, kept: BatchEnd['runs']): Promise<void> => {
    const k = (Math.imul(first + 1, 0x9e3779b1) >>> 0) % kept.length;
    const seed = (o.seed + first + k) >>> 0;
    const again = await controlledRun(lr, e, schedule(seed), { strategy: o.strategy === 'pct' ? 'pct' : 'random', seed, depth: o.depth, expectedSteps, switches: [] }, false, ctl.signal);
    const key = traceKey(readExecution(e.m, e.L));
    const r = kept[k]!;
    if (again.outcome !== r.outcome || key !== r.key) {
      throw new HarnessError(
        `race ${lr.race.name}: schedule ${first + k + 1} (seed ${seed}) ended ${r.outcome} in an agent's thread, where a batch made it, and ${again.outcome} on the main thread${again.outcome === r.outcome ? ', by another interleaving' : ''}: the design's setup or check decides differently by thread, so the runs made in batches were not checked as the main thread checks them`,
        'Look for what differs between threads: isMainThread or threadId in the design, state kept in module variables from one run to the next, or anything read outside ctx.mem. IOMMU_STRESS_BATCH=0 makes every schedule on the main thread.',
      );
    }
  };
  // random and pct: batches of runs made in the agents' threads (engine/batch.ts), sized to about BATCH_SEC each.
  let batching = tree === null && batches;
  let batched = 0;
  // Phase times of the batches, and the runs they cover (a run handed back after its checks is timed too).
  const phaseUs = { setupUs: 0, stepsUs: 0, checksUs: 0 };
  let phased = 0;
  let agreed = 0;
  let agreedAt = -Infinity;
  let chunk = 8;
  let i = 0;
  while (i < o.runs) {
    if (batching) {
      const t = performance.now();
      const strategy = o.strategy === 'pct' ? 'pct' : 'random';
      let got: BatchEnd;
      try {
        got = await e.runBatch({ strategy, seed: (o.seed + i) >>> 0, runs: Math.min(chunk, o.runs - i), depth: o.depth, expectedSteps, ...(ctl.signal ? { signal: ctl.signal } : {}) });
      } catch (err) {
        if (!(err instanceof BatchFailed)) throw err;
        // The rest on the usual path, which meets what failed here and reports it as it would have without batches.
        got = { runs: err.kept, handBack: -1, setupUs: 0, stepsUs: 0, checksUs: 0 };
        batching = false;
        e = await ctl.engine(lr, variant, work, true);
      }
      batched += got.runs.length;
      phaseUs.setupUs += got.setupUs;
      phaseUs.stepsUs += got.stepsUs;
      phaseUs.checksUs += got.checksUs;
      phased += got.runs.length + (got.handBack >= 0 ? 1 : 0);
      const first = i;
      for (const r of got.runs) {
        traces.add(r.key);
        count(i++, { outcome: r.outcome, class: classOf(lr.race, r.outcome), result: null, hang: null, schedule: null, steps: r.steps, crash: null, blocked: [], detail: [] });
      }
      const per = (performance.now() - t) / 1000 / Math.max(1, got.runs.length);
      chunk = Math.max(1, Math.min(BATCH_RUNS, Math.round(BATCH_SEC / per)));
      if (batching && got.runs.length > 0 && (agreed < AGREE_FIRST || performance.now() - agreedAt >= AGREE_SEC * 1000)) {
        agreed++;
        agreedAt = performance.now();
        await agreeOnMain(first, got.runs);
      }
      // Every run of the batch kept: the next batch; else the run it stopped at (or, batches given up, every run) on the usual path.
      if (batching && got.handBack < 0) continue;
      if (i >= o.runs) break;
    }
    let run: RaceRun;
    if (tree) {
      const prefix = tree.next();
      if (!prefix) {
        covered = true;
        break;
      }
      run = await controlledRun(
        lr,
        e,
        schedule(o.seed),
        { strategy: 'replay', seed: 0, depth: 1, expectedSteps: 0, switches: tree.switchesOf(prefix), reads: prefix.reads, ...(prefix.sleep ? { sleep: prefix.sleep } : {}) },
        false,
        ctl.signal,
        meanwhile,
      );
      const x = readExecution(e.m, e.L);
      const cut = run.outcome === 'step-limit' || run.outcome === 'livelock';
      // A run cut at the step limit is not analysed (200 000 steps of it): its clocks are not needed.
      const clocks = cut ? null : clocksOf(x);
      try {
        tree.record(x, !cut, clocks ?? undefined);
      } catch (err) {
        if (err instanceof NondeterminismError) throw nondeterministic(lr, err);
        throw err;
      }
      if (run.outcome !== 'sleep-blocked') toKey(x);
    } else {
      const seed = (o.seed + i) >>> 0;
      run = await controlledRun(lr, e, schedule(seed), { strategy: o.strategy === 'pct' ? 'pct' : 'random', seed, depth: o.depth, expectedSteps, switches: [] }, false, ctl.signal, meanwhile);
      toKey(readExecution(e.m, e.L));
    }
    if (count(i++, run)) break;
  }
  keyLast();
  const search: SearchSummary = {
    strategy: o.strategy,
    exhaustive: covered && inconclusive === 0 && (tree?.cut ?? 0) === 0,
    bound: bound === null ? null : { preemptions: bound },
    traces: traces.size,
    schedules: tried,
    budgetReached: tree !== null && !covered && tried >= o.runs,
    inconclusive,
    redundant,
    memoryModel: mm,
    ...(kind === 'dfs' && o.strategy === 'dpor' ? { note: "under tso dpor runs as dfs: a load's choice of store also depends on when other agents' store buffers drain, which its reduction does not follow" } : {}),
  };
  const perSchedule = phased > 0 ? { setupUs: phaseUs.setupUs / phased, stepsUs: phaseUs.stepsUs / phased, checksUs: phaseUs.checksUs / phased, schedules: phased } : null;
  return { found, tried, histogram, expectedSteps, steps, elapsedSec: (performance.now() - t0) / 1000, search, batched, perSchedule };
}

/** A prefix that took another path on its replay: the design is not deterministic under control (a harness failure, with the cause to look for). */
function nondeterministic(lr: LoadedRace, err: NondeterminismError): HarnessError {
  return new HarnessError(
    `race ${lr.race.name}: the exhaustive search replayed a prefix of choices and the run went another way (${err.message}): the design's code is not deterministic under the controlled scheduler`,
    'Look for what a replay cannot repeat: Math.random or Date.now in the design, a shared word read or written through mem.words instead of the accessors, or state kept in module variables from one run to the next.',
  );
}

/** Refuse a schedule recorded against other code or another configuration (exit 2), naming what changed. */
export async function checkFingerprint(lr: LoadedRace, s: Schedule, ctl: Controller): Promise<Engine> {
  const e = await ctl.engine(lr, s.variant, s, true);
  const now = fingerprint(e.spec);
  if (now !== s.fingerprint) {
    throw new UsageError(
      `schedule of ${s.race} (${s.variant}): recorded against other code or configuration (fingerprint ${s.fingerprint}, now ${now}: ${describeChange(s.fingerprint, now)}); it would replay something else. Explore the race again for a schedule of this code.`,
    );
  }
  if (s.devices * (e.design.config.queues ?? 1) > 0) {
    const agents = e.L.agents;
    const bad = s.switches.find(([, a]) => a >= agents);
    if (bad) throw new UsageError(`schedule of ${s.race}: switch point ${bad[0]}@${bad[1]} names agent ${bad[1]}, but the run has ${agents} agents (allowed: 0 to ${agents - 1})`);
  }
  return e;
}

/** Replay a schedule exactly (the same interleaving, every time). */
export async function replay(lr: LoadedRace, s: Schedule, ctl = new Controller()): Promise<RaceRun> {
  const e = await checkFingerprint(lr, s, ctl);
  return controlledRun(lr, e, s, { strategy: 'replay', seed: 0, depth: 1, expectedSteps: 0, switches: s.switches, reads: s.reads ?? [] }, true, ctl.signal);
}

export interface ShrinkOutcome {
  original: Schedule;
  smallest: Schedule;
  run: RaceRun;
  /** Replays and searches tried. */
  tried: number;
}

/**
 * Make a failing schedule smaller while it keeps its outcome: drop switch
 * points (halves first, then one at a time), then operations, buffers in
 * flight and devices (re-exploring for a schedule when a device goes).
 */
export async function shrink(lr: LoadedRace, s: Schedule, ctl = new Controller(), budget = 400): Promise<ShrinkOutcome> {
  const first = await replay(lr, s, ctl);
  if (first.class !== 'forbidden') {
    throw new UsageError(`schedule of ${s.race} (${s.variant}): it does not fail (its replay ended ${first.outcome}, ${first.class}): there is nothing to shrink (allowed: a schedule that ends in a forbidden outcome)`);
  }
  const target = first.outcome;
  let best: Schedule = first.schedule ?? s;
  let bestRun = first;
  let tried = 1;
  const fails = async (c: Schedule): Promise<RaceRun | null> => {
    if (tried >= budget) return null;
    tried++;
    try {
      const e = await ctl.engine(lr, c.variant, c, true);
      const r = await controlledRun(lr, e, c, { strategy: 'replay', seed: 0, depth: 1, expectedSteps: 0, switches: c.switches, reads: c.reads ?? [] }, false, ctl.signal);
      return r.outcome === target ? r : null;
    } catch (err) {
      if (err instanceof HarnessError || err instanceof UsageError) return null;
      throw err;
    }
  };
  const accept = (c: Schedule, r: RaceRun): void => {
    // The replay's own switch points and read choices: those of the candidate that still mattered.
    best = { ...c, switches: r.schedule?.switches ?? c.switches, ...(c.reads ? { reads: r.schedule?.reads ?? c.reads } : {}) };
    bestRun = r;
  };

  let changed = true;
  while (changed && tried < budget) {
    changed = false;
    for (let chunk = Math.max(1, Math.floor(best.switches.length / 2)); chunk >= 1; chunk = Math.floor(chunk / 2)) {
      for (let i = 0; i + chunk <= best.switches.length && tried < budget; ) {
        const c = { ...best, switches: [...best.switches.slice(0, i), ...best.switches.slice(i + chunk)] };
        const r = await fails(c);
        if (r) {
          accept(c, r);
          changed = true;
        } else {
          i += chunk;
        }
      }
      if (chunk === 1) break;
    }
    // Under tso or weak: loads back to the newest store, one at a time.
    for (let i = 0; best.reads && i < best.reads.length && tried < budget; ) {
      const c = { ...best, reads: [...best.reads.slice(0, i), ...best.reads.slice(i + 1)] };
      const r = await fails(c);
      if (r) {
        accept(c, r);
        changed = true;
      } else {
        i++;
      }
    }
    for (const key of ['ops', 'inflight'] as const) {
      while (best[key] > 1 && tried < budget) {
        const c = { ...best, [key]: best[key] - 1 };
        const r = await fails(c);
        if (!r) break;
        accept(c, r);
        changed = true;
      }
    }
    if (best.devices > 1 && tried < budget) {
      const work = { devices: best.devices - 1, ops: best.ops, inflight: best.inflight, ...(best.memoryModel ? { memoryModel: best.memoryModel } : {}) };
      // A race whose agents act as given devices cannot run with fewer: that is no smaller schedule, not an error.
      const found = await explore(lr, best.variant, { strategy: 'random', depth: 1, runs: Math.min(40, budget - tried), seed: best.seed, work }, ctl).catch((err: unknown) => {
        if (err instanceof UsageError) return null;
        throw err;
      });
      if (found) {
        tried += found.tried;
        if (found.found && found.found.outcome === target && found.found.schedule && smaller(found.found.schedule, best)) {
          accept(found.found.schedule, found.found);
          changed = true;
        }
      }
    }
  }
  // The smallest, replayed once more for its full report.
  const e = await ctl.engine(lr, best.variant, best, true);
  const final = await controlledRun(lr, e, best, { strategy: 'replay', seed: 0, depth: 1, expectedSteps: 0, switches: best.switches, reads: best.reads ?? [] }, true, ctl.signal);
  return { original: s, smallest: best, run: final.outcome === target ? final : bestRun, tried };
}

export interface StressOptions {
  durationSec: number;
  seed: number;
  /** Stop at the first forbidden outcome. */
  stopAtForbidden: boolean;
  /** Runs at most, and seconds at most (whichever ends first). */
  runs: number;
  timeSec: number;
  onRun?: (i: number, run: RaceRun) => void;
}

export interface StressOutcome {
  runs: RaceRun[];
  histogram: Record<string, number>;
  firstForbidden: { run: RaceRun; seed: number; index: number } | null;
  elapsedSec: number;
}

/** Free-running stress of a race variant with fresh seeds, on one engine (a new one after a hang): outcomes as they fall. */
export async function stress(lr: LoadedRace, variant: Variant, o: StressOptions, ctl = new Controller()): Promise<StressOutcome> {
  const t0 = performance.now();
  const runs: RaceRun[] = [];
  const histogram: Record<string, number> = {};
  let firstForbidden: StressOutcome['firstForbidden'] = null;
  const work = baseWork(lr);
  for (let i = 0; i < o.runs && (performance.now() - t0) / 1000 < o.timeSec; i++) {
    ctl.signal?.throwIfAborted();
    const seed = (o.seed + i) >>> 0;
    let run: RaceRun;
    const e = await ctl.engine(lr, variant, work, false);
    try {
      const end = await e.run({ seed, ops: 0, durationSec: o.durationSec, sched: null, histograms: false, ...(ctl.signal ? { signal: ctl.signal } : {}) });
      // Free running: lockdep's dependencies (a data race needs the controlled run's steps).
      const detected = e.detect(null);
      const outcome = outcomeOfEnd(e, end, detected);
      const cls = classOf(lr.race, outcome);
      // Only the first forbidden run's whole result is kept (and so only it is collected): a long hunt makes no garbage a run.
      run = { outcome, class: cls, result: cls === 'forbidden' && !firstForbidden ? collect(e, end) : null, hang: null, schedule: null, steps: 0, crash: end.crash, blocked: [], detail: [], ...(outcome === 'lock-order' ? { detected } : {}) };
    } catch (err) {
      // The watchdog's findings free running: nothing moves (a deadlock), or locks move and nothing completes (a livelock).
      const outcome = err instanceof FindingError && err.outcome === 'livelock' ? 'livelock' : err instanceof HarnessError && /no progress/.test(err.message) ? 'deadlock' : null;
      if (outcome === null) throw err;
      const e2 = err as HarnessError | FindingError;
      run = { outcome, class: classOf(lr.race, outcome), result: null, hang: `${e2.message}\n${e2.report}`, schedule: null, steps: 0, crash: null, blocked: [], detail: [] };
    }
    runs.push(run);
    histogram[run.outcome] = (histogram[run.outcome] ?? 0) + 1;
    o.onRun?.(i, run);
    if (run.class === 'forbidden' && !firstForbidden) {
      firstForbidden = { run, seed, index: i };
      if (o.stopAtForbidden) break;
    }
  }
  return { runs, histogram, firstForbidden, elapsedSec: (performance.now() - t0) / 1000 };
}

export interface HuntOutcome {
  stress: StressOutcome;
  /** The controlled schedule that reproduced a forbidden outcome of the hunt, or null. */
  reproduced: RaceRun | null;
  /** Controlled schedules tried to reproduce it (0: nothing was found free running). */
  reproduceTried: number;
}

/** Schedules tried under control, from the free-running finding's seed, to reproduce it. */
export const HUNT_REPRODUCE_SCHEDULES = 200;

/**
 * Hunt: free-running stress with fresh seeds until a forbidden outcome or
 * `timeSec`; a free-running interleaving cannot be replayed, so the random
 * controlled scheduler then searches from the finding's seed for a schedule
 * with a forbidden outcome, which can.
 */
export async function hunt(lr: LoadedRace, variant: Variant, o: Pick<StressOptions, 'durationSec' | 'seed' | 'timeSec' | 'onRun'>, ctl: Controller): Promise<HuntOutcome> {
  const s = await stress(lr, variant, { ...o, stopAtForbidden: true, runs: Infinity }, ctl);
  if (!s.firstForbidden) return { stress: s, reproduced: null, reproduceTried: 0 };
  const ex = await explore(lr, variant, { strategy: 'random', depth: 1, runs: HUNT_REPRODUCE_SCHEDULES, seed: s.firstForbidden.seed }, ctl);
  return { stress: s, reproduced: ex.found?.schedule ? ex.found : null, reproduceTried: ex.tried };
}
