/**
 * The race functions of the package API: explore a race (a built-in's name,
 * or the path of a module whose default export is a `defineRace`), replay a
 * schedule, shrink one. Each returns the object the matching command's
 * `--json` writes, so a user's own test can assert on it:
 *
 *   const r = await explore('./my-race.mjs', { runs: 200 });
 *   expect(r.found?.outcome).toBe('lost-mapping');
 */
import type { OutcomeClass } from './types.js';
import { checkOptions } from './options.js';
import { apiCall } from './call.js';
import { loadRace } from '../modules/loader.js';
import { Controller, explore as exploreRace, exploreResult, hunt as huntRace, replay as replayRace, shrink as shrinkRace } from '../races/explore.js';
import { classOf } from '../races/outcome.js';
import type { RunResult } from '../results/result.js';
import { type Schedule, encodeSchedule, readSchedule } from '../sched/schedule.js';
import { type SearchStrategy, type SearchSummary, defaultRuns } from '../search/strategies.js';
import { UsageError } from '../util/errors.js';

export interface ExploreApiOptions {
  /** Run the correct counterpart instead of the broken variant. */
  correct?: boolean;
  /** random, pct (sampled), dfs (every schedule within the bound) or dpor (every trace within the bound) [random]. */
  strategy?: SearchStrategy;
  /** PCT: the bug depth d [2]. */
  depth?: number;
  /** dfs, dpor: preemptions allowed on a path, null for none [2]. */
  preemptions?: number | null;
  /** Schedules to try at most [100; dfs and dpor: 100 000]. */
  runs?: number;
  /** Seed of the first schedule [1]. */
  seed?: number;
  /** Keep going after the first forbidden outcome (count every outcome) [false]. */
  all?: boolean;
  /** What loads may read: sc, tso (store buffers), weak (the kernel's model) [the race's memoryModel, else sc]. */
  memoryModel?: 'sc' | 'tso' | 'weak';
  onRun?: (i: number, outcome: string, cls: OutcomeClass) => void;
  /** Stop when it aborts: the call rejects with the signal's reason (an AbortError), its threads stopped. */
  signal?: AbortSignal;
}

/** A run that ended in a forbidden outcome, with what replays it. */
export interface Finding {
  outcome: string;
  class: OutcomeClass;
  /** The schedule string: `iommu-stress replay '<schedule>'`, or `replay(schedule)`. */
  schedule: string;
  result: RunResult;
}

export interface ExploreResult {
  schema: 'iommu-stress/explore@2';
  race: string;
  variant: 'broken' | 'correct';
  strategy: string;
  depth: number;
  /** Schedules run (the finding one included). */
  tried: number;
  /** Outcome -> schedules that ended in it. */
  histogram: Record<string, number>;
  /** How each outcome that occurred counts for this race. */
  classes: Record<string, OutcomeClass>;
  found: Finding | null;
  /** What the search covered: whether it was exhaustive, within which bound, how many distinct traces it ran. */
  search: SearchSummary;
  elapsedSec: number;
  schedulesPerSec: number;
  stepsPerSec: number;
  /** PCT: the run length its change points were drawn from. */
  expectedSteps: number;
  /**
   * random and pct: where a schedule's time went, µs on average over the
   * schedules made in batches in the agents' threads (setup, steps, checks
   * with the trace key); null when none was (dfs, dpor, IOMMU_STRESS_BATCH=0).
   */
  perSchedule: SchedulePhases | null;
}

/** A schedule's time by phase, µs. */
export interface SchedulePhases {
  /** The memory cleared, the design's setup, the scheduler's block. */
  setupUs: number;
  /** From the agents let go to the last one done: the steps and their hand-offs. */
  stepsUs: number;
  /** The race's check, the audit, the outcome, the trace key. */
  checksUs: number;
  /** Schedules averaged. */
  schedules: number;
}

export async function explore(race: string, o: ExploreApiOptions = {}): Promise<ExploreResult> {
  checkOptions('explore', o);
  return apiCall(() => exploreIt(race, o));
}

async function exploreIt(race: string, o: ExploreApiOptions): Promise<ExploreResult> {
  const lr = await loadRace(race);
  const variant = o.correct ? 'correct' : 'broken';
  const strategy = o.strategy ?? 'random';
  const depth = o.depth ?? 2;
  const ctl = new Controller(o.signal);
  try {
    const x = await exploreRace(
      lr,
      variant,
      {
        strategy,
        depth,
        runs: o.runs ?? defaultRuns(strategy),
        seed: o.seed ?? 1,
        stopAtForbidden: !o.all,
        ...(o.preemptions !== undefined ? { preemptions: o.preemptions } : {}),
        ...(o.memoryModel ? { work: { memoryModel: o.memoryModel } } : {}),
        ...(o.onRun ? { onRun: (i, r) => o.onRun!(i, r.outcome, r.class) } : {}),
      },
      ctl,
    );
    return exploreResult(lr, variant, strategy, depth, x);
  } finally {
    await ctl.close();
  }
}

export interface ReplayResult {
  schema: 'iommu-stress/replay@1';
  schedule: string;
  outcome: string;
  class: OutcomeClass;
  /** The trace hash of every replay (all equal: the same interleaving). */
  hashes: string[];
  result: RunResult;
}

/** A schedule string (its race from the cwd), the path of a file holding one (its race from the file's directory), or a Schedule. */
const scheduleOf = (s: string | Schedule): Schedule => (typeof s === 'string' ? readSchedule(s) : s);

export async function replay(schedule: string | Schedule, o: { repeat?: number; signal?: AbortSignal } = {}): Promise<ReplayResult> {
  checkOptions('replay', o);
  return apiCall(() => replayIt(schedule, o));
}

async function replayIt(schedule: string | Schedule, o: { repeat?: number; signal?: AbortSignal }): Promise<ReplayResult> {
  const s = scheduleOf(schedule);
  const lr = await loadRace(s.race);
  const ctl = new Controller(o.signal);
  try {
    const hashes: string[] = [];
    let first = null;
    for (let i = 0; i < Math.max(1, o.repeat ?? 1); i++) {
      const r = await replayRace(lr, s, ctl);
      first ??= r;
      hashes.push(r.result?.sched?.hash ?? '');
    }
    if (!first?.result) throw new UsageError('replay: the run left no result');
    return { schema: 'iommu-stress/replay@1', schedule: encodeSchedule(s), outcome: first.outcome, class: first.class, hashes, result: first.result };
  } finally {
    await ctl.close();
  }
}

export interface ShrinkResult {
  schema: 'iommu-stress/shrink@1';
  original: string;
  smallest: string;
  outcome: string;
  tried: number;
  result: RunResult;
}

export async function shrink(schedule: string | Schedule, o: { budget?: number; signal?: AbortSignal } = {}): Promise<ShrinkResult> {
  checkOptions('shrink', o);
  return apiCall(() => shrinkIt(schedule, o));
}

async function shrinkIt(schedule: string | Schedule, o: { budget?: number; signal?: AbortSignal }): Promise<ShrinkResult> {
  const s = scheduleOf(schedule);
  const lr = await loadRace(s.race);
  const ctl = new Controller(o.signal);
  try {
    const x = await shrinkRace(lr, s, ctl, o.budget ?? 400);
    if (!x.run.result) throw new UsageError('shrink: the smallest schedule left no result');
    return { schema: 'iommu-stress/shrink@1', original: encodeSchedule(x.original), smallest: encodeSchedule(x.smallest), outcome: x.run.outcome, tried: x.tried, result: x.run.result };
  } finally {
    await ctl.close();
  }
}

export interface HuntApiOptions {
  /** Hunt in the correct counterpart instead of the broken variant. */
  correct?: boolean;
  /** Seconds to hunt at most [60]. */
  timeSec?: number;
  /** Seconds a free-running run [1]. */
  durationSec?: number;
  /** Seed of the first run [1]. */
  seed?: number;
  onRun?: (i: number, outcome: string, cls: OutcomeClass) => void;
  /** Stop when it aborts: the call rejects with the signal's reason (an AbortError), its threads stopped. */
  signal?: AbortSignal;
}

export interface HuntResult {
  schema: 'iommu-stress/hunt@1';
  race: string;
  variant: 'broken' | 'correct';
  /** Free-running runs made (the finding one included), and the seconds they took. */
  runs: number;
  elapsedSec: number;
  /** Outcome -> runs that ended in it. */
  histogram: Record<string, number>;
  classes: Record<string, OutcomeClass>;
  /** The first forbidden outcome free running, or null. */
  found: {
    /** The free-running run's seed and index. */
    seed: number;
    index: number;
    outcome: string;
    class: OutcomeClass;
    /** Its full result (null for a deadlock or livelock the watchdog ended: see `hang`). */
    result: RunResult | null;
    hang: string | null;
    /** A controlled schedule from that seed with a forbidden outcome (replay it), or null if none was found in `reproduceTried`. */
    reproduced: Finding | null;
    reproduceTried: number;
  } | null;
}

/**
 * Free-running stress with fresh seeds until a forbidden outcome or the
 * time is up, then a controlled schedule that reproduces one (the CLI's
 * `hunt`): a free-running interleaving cannot be replayed, a schedule can.
 */
export async function hunt(race: string, o: HuntApiOptions = {}): Promise<HuntResult> {
  checkOptions('hunt', o);
  return apiCall(() => huntIt(race, o));
}

async function huntIt(race: string, o: HuntApiOptions): Promise<HuntResult> {
  const lr = await loadRace(race);
  const variant = o.correct ? 'correct' : 'broken';
  const ctl = new Controller(o.signal);
  try {
    const h = await huntRace(lr, variant, { durationSec: o.durationSec ?? 1, seed: o.seed ?? 1, timeSec: o.timeSec ?? 60, ...(o.onRun ? { onRun: (i, r) => o.onRun!(i, r.outcome, r.class) } : {}) }, ctl);
    const s = h.stress;
    const hit = s.firstForbidden;
    const rep = h.reproduced;
    return {
      schema: 'iommu-stress/hunt@1',
      race: lr.race.name,
      variant,
      runs: s.runs.length,
      elapsedSec: s.elapsedSec,
      histogram: s.histogram,
      classes: Object.fromEntries(Object.keys(s.histogram).map((k) => [k, classOf(lr.race, k)])),
      found: hit
        ? {
            seed: hit.seed,
            index: hit.index,
            outcome: hit.run.outcome,
            class: hit.run.class,
            result: hit.run.result,
            hang: hit.run.hang,
            reproduced: rep?.schedule && rep.result ? { outcome: rep.outcome, class: rep.class, schedule: encodeSchedule(rep.schedule), result: rep.result } : null,
            reproduceTried: h.reproduceTried,
          }
        : null,
    };
  } finally {
    await ctl.close();
  }
}
