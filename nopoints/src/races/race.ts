/**
 * Race scenarios: a deliberately wrong design, the real design it gets
 * wrong, its correct counterpart, and (as jcstress declares them) which
 * outcomes are acceptable, interesting or forbidden.
 *
 * A new race is one file in this folder and one line in ./index.ts.
 */
import type { Config } from '../config.js';
import type { RunResult } from '../result.js';

export type OutcomeClass = 'acceptable' | 'interesting' | 'forbidden';

/** Every outcome a run can have, most severe first, with what puts a run in it. */
export const OUTCOME_DEFS = [
  { name: 'deadlock', meaning: 'every worker still running was asleep or stuck: nobody could go on (a lost wake-up, a lock never freed)' },
  { name: 'misdirected-dma', meaning: "a DMA landed on a frame its device had not mapped there (wrong frame, another device's frame, or after unmap)" },
  { name: 'lost-mapping', meaning: 'a mapping a device still relied on was gone or overwritten (DMA fault, unmap found nothing, corrupt table)' },
  { name: 'corrupt-bookkeeping', meaning: 'table counts, table pages or IOVAs were leaked or miscounted, nothing misdirected yet' },
  { name: 'step-limit', meaning: 'the controlled run reached its step limit (a livelock, or too long a run)' },
  { name: 'stale-window', meaning: 'late DMAs still translated through stale IOTLB entries of unmapped, not yet flushed IOVAs (the deferred flush window)' },
  { name: 'clean', meaning: 'nothing wrong found' },
] as const;
export type OutcomeName = (typeof OUTCOME_DEFS)[number]['name'];

const MISDIRECTED = ['dma-wrong-frame', 'dma-after-unmap', 'frame-tag'];
const LOST = ['dma-fault', 'map-over-live', 'unmap-missing', 'unmap-wrong-frame', 'table-corrupt', 'iova-double-free', 'audit-lost-mapping', 'audit-table-shared', 'audit-iova-lost'];

/** The outcome of a finished run (a deadlock comes from the scheduler or the watchdog). */
export function outcomeOf(r: RunResult): OutcomeName {
  if (r.sched?.outcome === 'deadlock') return 'deadlock';
  const found = Object.keys(r.violations.byInvariant);
  if (found.some((v) => MISDIRECTED.includes(v))) return 'misdirected-dma';
  if (found.some((v) => LOST.includes(v))) return 'lost-mapping';
  if (found.length > 0) return 'corrupt-bookkeeping';
  if (r.sched?.outcome === 'step-limit') return 'step-limit';
  if (r.iotlb.staleTranslations > 0) return 'stale-window';
  return 'clean';
}

export interface Race {
  readonly name: string;
  /** The real design this mode gets wrong, and where it comes from. */
  readonly design: string;
  /** The correct counterpart, which must run clean under the same schedules. */
  readonly counterpart: string;
  /** Every run: what both variants share (small, so that controlled runs are short). */
  readonly base: Partial<Config>;
  readonly broken: Partial<Config>;
  readonly correct: Partial<Config>;
  /** How each outcome counts for this race; outcomes not listed are forbidden. */
  readonly classes: Partial<Record<OutcomeName, OutcomeClass>>;
  /** Controlled runs: steps between flush-queue timer ticks (0: never). */
  readonly fqEvery?: number;
}

/** The defaults every race shares: clean and the stale window are fine, bookkeeping damage is interesting. */
export const DEFAULT_CLASSES: Partial<Record<OutcomeName, OutcomeClass>> = {
  clean: 'acceptable',
  'stale-window': 'interesting',
  'corrupt-bookkeeping': 'interesting',
  'step-limit': 'interesting',
};

export function classOf(race: Race, o: OutcomeName): OutcomeClass {
  return race.classes[o] ?? DEFAULT_CLASSES[o] ?? 'forbidden';
}

/** The configuration of a race run: base, then the variant, then the caller's overrides. */
export function raceConfig(race: Race, variant: 'broken' | 'correct', over: Partial<Config> = {}): Partial<Config> {
  return { ...race.base, ...(variant === 'broken' ? race.broken : race.correct), ...over };
}
