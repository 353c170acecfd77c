/**
 * A scenario: one design question from one of the seed threads, answered by
 * running the competing designs side by side on the same work. It returns
 * plain data (tables of measured figures, and the runs they came from) and a
 * finding computed from those figures; printing is separate.
 *
 * A new scenario is one file in this folder and one line in ./index.ts.
 */
import { type Config, resolveConfig } from '../config/config.js';
import { runConfig } from '../engine/run.js';
import type { RunResult } from '../results/result.js';
import type { Env } from '../util/env.js';
import { readEnv } from '../util/env.js';
import { workersOf } from '../memory/layout.js';
import { tableLockOf } from '../report/report.js';

export interface ScenarioOptions {
  /** The user's run options, applied under every variant's own settings. */
  base: Partial<Config>;
  /** Seconds each run lasts. */
  durationSec: number;
  /** A tiny version: fewer points, for tests. */
  quick: boolean;
  /** Called before each run with what is about to run. */
  onRun?: (done: number, total: number, label: string) => void;
}

/** One measured table: the figures as data, each cell a number or text. */
export interface ScenarioTable {
  title: string;
  header: string[];
  rows: (string | number)[][];
}

export interface ScenarioRun {
  /** What this run is in the comparison, e.g. "shared, N=4". */
  label: string;
  result: RunResult;
}

export interface ScenarioResult {
  schema: 'iommu-stress/scenario@1';
  scenario: string;
  thread: string;
  question: string;
  env: Env;
  durationSec: number;
  tables: ScenarioTable[];
  /** One line drawn from the numbers above, never a canned sentence. */
  finding: string;
  /** Deliberately wrong variants and what the checker found in them. */
  caught: { variant: string; violations: number; byInvariant: Record<string, number> }[];
  warnings: string[];
  runs: ScenarioRun[];
}

export interface Scenario {
  readonly name: string;
  /** The seed thread: file and subject. */
  readonly thread: string;
  readonly question: string;
  /** Default seconds a run lasts (the whole scenario stays under a minute on 2 cores). */
  readonly defaultDurationSec: number;
  /** How many runs the scenario makes, for the progress bar. */
  runsPlanned(opts: ScenarioOptions): number;
  /** Refuse options that would fail part-way (UsageError naming the value), before the first run. */
  check?(opts: ScenarioOptions): void | Promise<void>;
  run(opts: ScenarioOptions): Promise<Omit<ScenarioResult, 'schema' | 'scenario' | 'thread' | 'question' | 'env' | 'durationSec'>>;
}

/**
 * Runs the variants of a scenario, in order, counting them for the progress
 * report. A run's configuration: the scenario's defaults, under the user's
 * options, under what the variant compares.
 */
export class Runner {
  readonly runs: ScenarioRun[] = [];
  private done = 0;

  constructor(
    private readonly opts: ScenarioOptions,
    private readonly total: number,
    private readonly defaults: Partial<Config> = {},
  ) {}

  /** Run one variant. */
  async run(label: string, settings: Partial<Config>): Promise<RunResult> {
    this.opts.onRun?.(this.done, this.total, label);
    const cfg = resolveConfig({ ...this.defaults, durationSec: this.opts.durationSec, ...this.opts.base, ...settings });
    const result = await runConfig(cfg);
    this.runs.push({ label, result });
    this.done++;
    return result;
  }
}

export async function runScenario(s: Scenario, opts: ScenarioOptions): Promise<ScenarioResult> {
  await s.check?.(opts);
  const env = readEnv();
  const r = await s.run(opts);
  return { schema: 'iommu-stress/scenario@1', scenario: s.name, thread: s.thread, question: s.question, env, durationSec: opts.durationSec, ...r };
}

/* ---- figures drawn from a run ------------------------------------------ */

export const opsPerSec = (r: RunResult): number => r.totals.opsPerSec;
export const pagesPerSec = (r: RunResult): number => r.totals.pagesPerSec;
/** Contention % of a lock class (0 when unused). */
export const contention = (r: RunResult, cls: string): number => r.locks.find((l) => l.class === cls && l.instances > 0)?.contentionPct ?? 0;
export const acquisitions = (r: RunResult, cls: string): number => r.locks.find((l) => l.class === cls)?.acquisitions ?? 0;
/** Total ns spent waiting on a lock class. */
export const waitTotal = (r: RunResult, cls: string): number => r.locks.find((l) => l.class === cls)?.waittimeTotalNs ?? 0;
/** The page-table lock's class in a run: pgtable, device, or none. */
export const tableLockClass = (r: RunResult): string => tableLockOf(r)?.class ?? 'none';

/** "0.53x"; "-" when the base is zero. */
export const times = (a: number, b: number): string => {
  if (b <= 0) return '-';
  const r = a / b;
  return r >= 0.01 || r === 0 ? `${r.toFixed(2)}x` : `${r.toPrecision(2)}x`;
};
export const pct1 = (x: number): string => `${x.toFixed(1)}%`;

/** The oversubscription note a scenario adds when some of its runs had more workers than cores. */
export function oversubscribedNote(runs: readonly ScenarioRun[]): string[] {
  const cores = runs[0]?.result.env.cores ?? 1;
  const over = runs.filter((r) => workersOf(r.result.config) > cores).map((r) => r.label);
  return over.length
    ? [`${over.length} run${over.length > 1 ? 's' : ''} had more workers than the ${cores} cores (${over.join('; ')}): spinning locks there also pay for lock-holder preemption`]
    : [];
}

/** The wrong variants' findings, for ScenarioResult.caught. */
export function caughtIn(label: string, r: RunResult): ScenarioResult['caught'][number] {
  return { variant: label, violations: r.violations.count, byInvariant: r.violations.byInvariant };
}
