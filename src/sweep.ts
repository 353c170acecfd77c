/**
 * Sweeps: the cartesian product of lists of any run options, each point
 * repeated in interleaved order (every point once, then every point again)
 * so that slow drift of the machine spreads over all points alike. Each run
 * is appended to an NDJSON file the moment it ends; a rerun on the same file
 * skips runs already there (the same run: the same whole configuration,
 * seed included, and repetition); --shard k/n runs every n-th point only.
 *
 * A run the harness gives up on (a HarnessError: a crashed worker, a
 * watchdog) is recorded as failed and the sweep goes on.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { type Config, FIELDS, type Field, correctValues, parseFlag, resolveConfig } from './config.js';
import { workersOf } from './layout.js';
import { HarnessError, UsageError } from './errors.js';
import { runHarness } from './harness.js';
import { readEnv } from './env.js';
import { availableParallelism } from 'node:os';
import {
  SWEEP_SCHEMA,
  type RecordBase,
  type SweepRecord,
  isOk,
  pointKey,
  readRecords,
  recordIdentity,
  runIdentity,
} from './sweep-record.js';
import type { RunResult } from './result.js';

/** A list option's values; `all` stands for every value of an enum, or (group size) the point's device count. */
export type ListValue = string | number;
export const ALL = 'all';

export function parseList(f: Field, text: string): ListValue[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`${f.flag} ${JSON.stringify(text)}: empty list item (allowed: comma-separated values)`);
  const out: ListValue[] = [];
  for (const item of items) {
    if (item === ALL && f.kind === 'enum') out.push(...correctValues(f));
    else if (item === ALL && f.key === 'groupSize') out.push(ALL);
    else out.push(parseFlag(f, item));
  }
  return [...new Set(out)];
}

export interface SweepPoint {
  index: number;
  config: Config;
  key: string;
  varied: Record<string, ListValue>;
}

export interface SweepPlan {
  points: SweepPoint[];
  /** Combinations left out, with the reason (a group size that does not divide, ...). */
  skipped: { varied: Record<string, ListValue>; reason: string }[];
}

/** Expand the lists over a base configuration, in the order of FIELDS. */
export function planSweep(base: Partial<Config>, lists: Partial<Record<keyof Config, ListValue[]>>): SweepPlan {
  const keys = FIELDS.map((f) => f.key).filter((k) => lists[k] !== undefined);
  const plan: SweepPlan = { points: [], skipped: [] };
  const combo: Record<string, ListValue> = {};
  const expand = (i: number): void => {
    if (i === keys.length) {
      const partial: Record<string, unknown> = { ...base, ...combo };
      if (partial.groupSize === ALL) partial.groupSize = partial.devices ?? resolveConfig(base).devices;
      try {
        const config = resolveConfig(partial as Partial<Config>);
        const key = pointKey(config);
        const same = plan.points.find((p) => p.key === key);
        if (same) plan.skipped.push({ varied: { ...combo }, reason: `the same configuration as point #${same.index}` });
        else plan.points.push({ index: plan.points.length, config, key, varied: { ...combo } });
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        plan.skipped.push({ varied: { ...combo }, reason: e.message });
      }
      return;
    }
    for (const v of lists[keys[i]!]!) {
      combo[keys[i]!] = v;
      expand(i + 1);
    }
  };
  expand(0);
  if (plan.points.length === 0) {
    throw new UsageError(`the sweep has no valid point (${plan.skipped.length} combinations skipped, first: ${plan.skipped[0]?.reason ?? 'none'})`);
  }
  return plan;
}

export function parseShard(text: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const k = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || k < 1 || k > n) throw new UsageError(`--shard ${JSON.stringify(text)}: expected k/n with 1 <= k <= n (allowed: e.g. 1/2, 2/2)`);
  return [k, n];
}

export interface SweepRunInfo {
  done: number;
  total: number;
  point: SweepPoint;
  rep: number;
  /** The record appended: a finished run, or a failed one. */
  record: SweepRecord;
  /** The run's result; null when the harness gave up on it (see `record.error`). */
  result: RunResult | null;
}

/** Runs one configuration to its result; throws a HarnessError when the harness gives up on the run. */
export type RunOne = (config: Config) => Promise<RunResult>;

export interface SweepOptions {
  repeat: number;
  out: string | null;
  shard: [number, number];
  /**
   * Run again the runs that the file records as failed. Without it a failed
   * run counts as done: a failure is usually a finding about the
   * configuration (a lock that starves 128 spinners), and rerunning it on
   * every resume would cost a watchdog timeout each time for the same answer.
   */
  retryFailed?: boolean;
  /** Before each run: runs done so far, the total, what comes next. */
  onStart?: (done: number, total: number, point: SweepPoint, rep: number) => void;
  onRun?: (info: SweepRunInfo) => void;
  /** The runner; the real harness unless a test puts in another. */
  runOne?: RunOne;
}

export interface SweepOutcome {
  /** Runs made now, in order: finished and failed ones. */
  ran: SweepRecord[];
  /** Runs already in the output file, not run again. */
  reused: number;
  /** Of those, runs recorded as failed (not retried: `retryFailed` was off). */
  reusedFailed: number;
  /** Runs made now that failed (recorded, the sweep went on). */
  failed: number;
}

export async function runSweep(plan: SweepPlan, opts: SweepOptions): Promise<SweepOutcome> {
  const [k, n] = opts.shard;
  const mine = plan.points.filter((p) => p.index % n === k - 1);
  const runOne = opts.runOne ?? ((c: Config) => runHarness(c));
  const done = new Map<string, SweepRecord>();
  for (const r of opts.out && existsSync(opts.out) ? readRecords(opts.out, '--out').records : []) {
    if (isOk(r) || !opts.retryFailed) done.set(recordIdentity(r), r);
  }
  const todo: [SweepPoint, number, Config][] = [];
  let reused = 0;
  let reusedFailed = 0;
  for (let rep = 0; rep < opts.repeat; rep++) {
    for (const p of mine) {
      // The run's whole configuration: the point's with the seed of this repetition.
      const config: Config = { ...p.config, seed: (p.config.seed + rep) >>> 0 };
      const have = done.get(runIdentity(config, rep));
      if (!have) todo.push([p, rep, config]);
      else {
        reused++;
        if (!isOk(have)) reusedFailed++;
      }
    }
  }
  const cores = availableParallelism();
  const ran: SweepRecord[] = [];
  let failed = 0;
  for (const [p, rep, config] of todo) {
    opts.onStart?.(ran.length, todo.length, p, rep);
    const env = readEnv();
    const base: RecordBase = { schema: SWEEP_SCHEMA, key: p.key, point: p.index, rep, varied: p.varied, oversubscribed: workersOf(p.config) > cores };
    let record: SweepRecord;
    try {
      record = { ...base, status: 'ok', result: await runOne(config) };
    } catch (e) {
      // The harness gave up on this run: record it and go on. Anything else
      // (bad input, a bug) is no finding about the run and stops the sweep.
      if (!(e instanceof HarnessError)) throw e;
      record = { ...base, status: 'failed', result: null, config, env, error: { message: e.message, report: e.report } };
      failed++;
    }
    // One write of one whole line: an interrupted sweep leaves whole records.
    if (opts.out) appendFileSync(opts.out, JSON.stringify(record) + '\n');
    ran.push(record);
    opts.onRun?.({ done: ran.length, total: todo.length, point: p, rep, record, result: isOk(record) ? record.result : null });
  }
  return { ran, reused, reusedFailed, failed };
}
