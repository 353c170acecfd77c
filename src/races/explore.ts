/**
 * Finding races on purpose: controlled runs under a seeded strategy
 * (explore), exact replays of a schedule (replay), schedules made smaller
 * while they still fail (shrink), and free-running stress with fresh seeds
 * (race, hunt). Everything here returns data; the CLI prints it.
 */
import { HarnessError } from '../errors.js';
import { type AgentPool, type SchedSpec, agentPool, runHarness } from '../harness.js';
import { workersOf } from '../layout.js';
import type { RunResult } from '../result.js';
import type { Strategy } from '../sched.js';
import { type OutcomeClass, type OutcomeName, type Race, classOf, outcomeOf, raceConfig } from './race.js';
import { type Schedule, type Variant, scheduleConfig, smaller } from './schedule.js';
import { resolveConfig } from '../config.js';

/** Steps a controlled run may take before it counts as a livelock. */
export const MAX_STEPS = 200_000;

export interface RaceRun {
  outcome: OutcomeName;
  class: OutcomeClass;
  /** null when the run ended in a harness error (a free-running deadlock). */
  result: RunResult | null;
  /** The watchdog's report, for a free-running deadlock. */
  hang: string | null;
  /** For a controlled run: the schedule that reproduces it. */
  schedule: Schedule | null;
}

/**
 * Controlled runs on a pool kept across runs (a new pool after a failure).
 * The pool has threads for the largest run asked of it.
 */
export class Controller {
  private pool: AgentPool | null = null;
  private threads = 0;

  async run(race: Race, s: Schedule, spec: Omit<SchedSpec, 'maxSteps' | 'stopAtViolation' | 'fqEvery'>): Promise<RaceRun> {
    const cfg = scheduleConfig(s);
    const agents = workersOf(cfg) + (cfg.switchMs > 0 ? 1 : 0);
    if (!this.pool || this.threads < agents) {
      await this.pool?.destroy();
      this.pool = agentPool(agents, true);
      this.threads = agents;
    }
    const full: SchedSpec = { ...spec, maxSteps: MAX_STEPS, stopAtViolation: true, fqEvery: race.fqEvery ?? 0 };
    try {
      const result = await runHarness(cfg, { pool: this.pool }, full);
      const outcome = outcomeOf(result);
      const sched = result.sched!;
      return { outcome, class: classOf(race, outcome), result, hang: null, schedule: { ...s, switches: sched.switches } };
    } catch (e) {
      this.pool = null;
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = null;
  }
}

export interface ExploreOptions {
  strategy: Exclude<Strategy, 'replay'>;
  depth: number;
  runs: number;
  seed: number;
  /** Other work than the race's own (shrink explores with fewer devices). */
  work?: Partial<Pick<Schedule, 'devices' | 'ops' | 'inflight'>>;
  /** Called after each schedule with its outcome. */
  onRun?: (i: number, run: RaceRun) => void;
}

export interface ExploreOutcome {
  found: RaceRun | null;
  /** Schedules run, the finding one included. */
  tried: number;
  histogram: Record<string, number>;
  /** PCT: the run length the change points were drawn from. */
  expectedSteps: number;
}

/** A schedule with no switch points of a race variant's work: its own devices, operations and buffers, or `work`. */
export function baseSchedule(race: Race, variant: Variant, seed: number, work: ExploreOptions['work'] = {}): Schedule {
  const cfg = resolveConfig(raceConfig(race, variant));
  return { race: race.name, variant, devices: cfg.devices, ops: cfg.ops, inflight: cfg.inflight, seed, switches: [], ...work };
}

/** Run schedules drawn by the strategy until one has a forbidden outcome, or `runs` are spent. */
export async function explore(race: Race, variant: Variant, o: ExploreOptions, ctl = new Controller()): Promise<ExploreOutcome> {
  const histogram: Record<string, number> = {};
  // PCT draws its change points from the length of a run: measure one (the default schedule).
  let expectedSteps = 0;
  if (o.strategy === 'pct') {
    const probe = await ctl.run(race, baseSchedule(race, variant, o.seed, o.work), { strategy: 'replay', seed: 0, depth: 1, expectedSteps: 0, switches: [] });
    expectedSteps = probe.result?.sched?.steps ?? 1000;
  }
  for (let i = 0; i < o.runs; i++) {
    const seed = (o.seed + i) >>> 0;
    const run = await ctl.run(race, baseSchedule(race, variant, seed, o.work), { strategy: o.strategy, seed, depth: o.depth, expectedSteps, switches: [] });
    histogram[run.outcome] = (histogram[run.outcome] ?? 0) + 1;
    o.onRun?.(i, run);
    if (run.class === 'forbidden') return { found: run, tried: i + 1, histogram, expectedSteps };
  }
  return { found: null, tried: o.runs, histogram, expectedSteps };
}

/** Replay a schedule exactly (the same interleaving, every time). */
export async function replay(race: Race, s: Schedule, ctl = new Controller()): Promise<RaceRun> {
  return ctl.run(race, s, { strategy: 'replay', seed: 0, depth: 1, expectedSteps: 0, switches: s.switches });
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
export async function shrink(race: Race, s: Schedule, ctl = new Controller(), budget = 400): Promise<ShrinkOutcome> {
  const first = await replay(race, s, ctl);
  if (first.class !== 'forbidden') throw new HarnessError(`the schedule does not fail: its replay ended ${first.outcome}`, '');
  const target = first.outcome;
  let best: Schedule = first.schedule ?? s;
  let bestRun = first;
  let tried = 1;
  const fails = async (c: Schedule): Promise<RaceRun | null> => {
    if (tried >= budget) return null;
    tried++;
    try {
      const r = await replay(race, c, ctl);
      return r.outcome === target ? r : null;
    } catch {
      return null;
    }
  };
  const accept = (c: Schedule, r: RaceRun): void => {
    // The replay's own switch points: those of the candidate that still mattered.
    best = { ...c, switches: r.schedule?.switches ?? c.switches };
    bestRun = r;
  };

  let changed = true;
  while (changed && tried < budget) {
    changed = false;
    // Fewer switch points: drop chunks, halving their size.
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
    // Fewer operations and buffers, with the same switch points.
    for (const key of ['ops', 'inflight'] as const) {
      while (best[key] > 1 && tried < budget) {
        const c = { ...best, [key]: best[key] - 1 };
        const r = await fails(c);
        if (!r) break;
        accept(c, r);
        changed = true;
      }
    }
    // Fewer devices: the old switch points name workers that are gone; search anew.
    if (best.devices > 1 && tried < budget) {
      const work = { devices: best.devices - 1, ops: best.ops, inflight: best.inflight };
      const found = await explore(race, best.variant, { strategy: 'random', depth: 1, runs: Math.min(40, budget - tried), seed: best.seed, work }, ctl);
      tried += found.tried;
      if (found.found && found.found.outcome === target && found.found.schedule) {
        const c = found.found.schedule;
        if (smaller(c, best)) {
          accept(c, found.found);
          changed = true;
        }
      }
    }
  }
  return { original: s, smallest: best, run: bestRun, tried };
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

/** Free-running stress of a race variant with fresh seeds: outcomes as they fall. */
export async function stress(race: Race, variant: Variant, o: StressOptions): Promise<StressOutcome> {
  const t0 = performance.now();
  const runs: RaceRun[] = [];
  const histogram: Record<string, number> = {};
  let firstForbidden: StressOutcome['firstForbidden'] = null;
  for (let i = 0; i < o.runs && (performance.now() - t0) / 1000 < o.timeSec; i++) {
    const seed = (o.seed + i) >>> 0;
    const cfg = resolveConfig(raceConfig(race, variant, { ops: 0, durationSec: o.durationSec, seed }));
    let run: RaceRun;
    try {
      const result = await runHarness(cfg);
      const outcome = outcomeOf(result);
      run = { outcome, class: classOf(race, outcome), result, hang: null, schedule: null };
    } catch (e) {
      if (!(e instanceof HarnessError) || !/no progress/.test(e.message)) throw e;
      run = { outcome: 'deadlock', class: classOf(race, 'deadlock'), result: null, hang: `${e.message}\n${e.report}`, schedule: null };
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
