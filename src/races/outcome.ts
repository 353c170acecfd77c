/**
 * The outcome of a race run, classed as jcstress classes outcomes: each
 * run ends in one outcome (the most severe that applies), and each race says
 * which outcomes are acceptable, interesting or forbidden.
 */
import type { OutcomeClass, RaceDef } from '../api/types.js';
import type { Invariant } from '../checker/invariants.js';
import { C_STALE, type Layout, countersAt } from '../memory/layout.js';
import { NOTHING_DETECTED } from '../detect/detectors.js';

/** Which detectors found something (truthy: found). */
export interface DetectedKinds {
  readonly dataRace: unknown;
  readonly lockOrder: unknown;
}

/** Steps a controlled run may take. */
export const MAX_STEPS = 200_000;
/** A run at the step limit in which no agent completed an operation or an event for this many steps is a livelock (else inconclusive). */
export const LIVELOCK_STEPS = MAX_STEPS / 2;

/** Every outcome a run can have, most severe first, with what puts a run in it. */
export const OUTCOME_DEFS = [
  { name: 'deadlock', meaning: 'every agent still running waited (asleep on a futex nobody wakes, spinning on words nobody changes): nobody could go on' },
  { name: 'livelock', meaning: 'agents kept taking steps but none completed an operation or an event for half the step limit (a wait loop without mem.spin, a retry that never succeeds)' },
  { name: 'crash', meaning: "an agent's code threw (the message, where in the design's code, and the step are reported): the same on every replay" },
  { name: 'replay-diverged', meaning: 'the schedule does not apply to this code: at one of its switch points the agent it names could not go on (the run was cut short there, unaudited)' },
  { name: 'misdirected-dma', meaning: "a DMA landed on a frame its device had not mapped there (wrong frame, another device's frame, or after unmap)" },
  { name: 'lost-mapping', meaning: 'a mapping a device still relied on was gone or overwritten (DMA fault, unmap found nothing, corrupt table)' },
  { name: 'corrupt-bookkeeping', meaning: 'table counts, table pages or IOVAs were leaked or miscounted, nothing misdirected yet' },
  { name: 'data-race', meaning: 'two agents accessed one word, at least one with a plain read or write, and nothing ordered the two (KCSAN): whatever the invariants made of it (both accesses are reported)' },
  { name: 'lock-order', meaning: "lock classes were taken in orders that form a cycle (lockdep's possible circular locking dependency): a deadlock for some timing, whether or not this run deadlocked" },
  { name: 'step-limit', meaning: 'the controlled run reached its step limit while agents still completed operations: too long a run to finish, inconclusive (never counted as clean)' },
  { name: 'stale-window', meaning: 'late DMAs still translated through stale IOTLB entries of unmapped, not yet flushed IOVAs (the deferred flush window)' },
  { name: 'clean', meaning: 'nothing wrong found' },
  { name: 'sleep-blocked', meaning: 'dpor: every agent that could go was asleep (its next step was explored from an earlier state): the rest of the run would repeat a trace already run; not an outcome, not counted' },
] as const;
export type OutcomeName = (typeof OUTCOME_DEFS)[number]['name'];

/** The defaults every race shares: clean is fine; the stale window, bookkeeping damage and the step limit (inconclusive) are interesting; the rest (deadlock, livelock, crash, the invariants' outcomes) forbidden. */
export const DEFAULT_CLASSES: Partial<Record<OutcomeName, OutcomeClass>> = {
  clean: 'acceptable',
  'stale-window': 'interesting',
  'corrupt-bookkeeping': 'interesting',
  'step-limit': 'interesting',
  'replay-diverged': 'interesting',
  'sleep-blocked': 'acceptable',
};

export function classOf(race: RaceDef, o: string): OutcomeClass {
  return race.classes?.[o] ?? DEFAULT_CLASSES[o as OutcomeName] ?? 'forbidden';
}

/** What decides an outcome: violations by invariant code, how the scheduler ended the run, the stale window, and (at the step limit) whether anyone still made progress. */
export interface OutcomeInputs {
  byCode: readonly number[];
  schedOutcome: string | null;
  staleTranslations: number;
  /** At the step limit: no agent completed an operation or an event for LIVELOCK_STEPS. */
  livelocked?: boolean;
  /** What the detectors found (detect/detectors.ts). */
  detected?: DetectedKinds;
}

/** The outcome of a finished run (a free-running deadlock comes from the watchdog, not from here). */
export function outcomeOf(inv: readonly Invariant[], x: OutcomeInputs): OutcomeName {
  if (x.schedOutcome === 'deadlock') return 'deadlock';
  if (x.schedOutcome === 'crash') return 'crash';
  if (x.schedOutcome === 'replay-diverged') return 'replay-diverged';
  if (x.schedOutcome === 'sleep-blocked') return 'sleep-blocked';
  let worst: OutcomeName | null = null;
  const rank = (o: OutcomeName): number => OUTCOME_DEFS.findIndex((d) => d.name === o);
  x.byCode.forEach((n, code) => {
    if (n > 0) {
      const o = inv[code]!.outcome;
      if (worst === null || rank(o) < rank(worst)) worst = o;
    }
  });
  if (worst !== null) return worst;
  if (x.detected?.dataRace) return 'data-race';
  if (x.detected?.lockOrder) return 'lock-order';
  if (x.schedOutcome === 'step-limit') return x.livelocked ? 'livelock' : 'step-limit';
  if (x.staleTranslations > 0) return 'stale-window';
  return 'clean';
}

/**
 * The outcome of a finished run, read cheaply from memory (no full result):
 * the violations the agents counted and the checks found (`found`, by
 * invariant code), the stale window, and how the scheduler ended it.
 */
export function outcomeOfRun(inv: readonly Invariant[], f: Float64Array, L: Layout, found: readonly number[], sched: { outcome: string; steps: number; progressStep: number } | null, detected: DetectedKinds = NOTHING_DETECTED): OutcomeName {
  const byCode = inv.map((_, code) => {
    let n = found[code] ?? 0;
    for (let a = 0; a <= L.agents; a++) n += f[countersAt(L, a) + L.cViolations + code]!;
    return n;
  });
  let stale = 0;
  for (let a = 0; a <= L.agents; a++) stale += f[countersAt(L, a) + C_STALE]!;
  const livelocked = sched !== null && sched.outcome === 'step-limit' && sched.steps - sched.progressStep >= LIVELOCK_STEPS;
  return outcomeOf(inv, { byCode, schedOutcome: sched?.outcome ?? null, staleTranslations: stale, livelocked, detected });
}
