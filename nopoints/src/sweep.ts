/**
 * Sweeps: the cartesian product of lists of any run options, each point
 * repeated in interleaved order (every point once, then every point again)
 * so that slow drift of the machine spreads over all points alike. Each run
 * is appended to an NDJSON file the moment it ends; a rerun on the same file
 * skips runs already there; --shard k/n runs every n-th point only.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { type Config, FIELDS, type Field, correctValues, parseFlag, resolveConfig } from './config.js';
import { workersOf } from './layout.js';
import { UsageError } from './errors.js';
import { runHarness } from './harness.js';
import { availableParallelism } from 'node:os';
import { SWEEP_SCHEMA, type SweepRecord, pointKey, readRecords } from './sweep-record.js';
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
  result: RunResult;
}

export interface SweepOptions {
  repeat: number;
  out: string | null;
  shard: [number, number];
  /** Before each run: runs done so far, the total, what comes next. */
  onStart?: (done: number, total: number, point: SweepPoint, rep: number) => void;
  onRun?: (info: SweepRunInfo) => void;
}

export interface SweepOutcome {
  /** Runs measured now. */
  ran: SweepRecord[];
  /** Runs already in the output file, skipped. */
  reused: number;
}

export async function runSweep(plan: SweepPlan, opts: SweepOptions): Promise<SweepOutcome> {
  const [k, n] = opts.shard;
  const mine = plan.points.filter((p) => p.index % n === k - 1);
  const have = new Set<string>();
  if (opts.out && existsSync(opts.out)) {
    for (const r of readRecords(opts.out, '--out').records) have.add(`${r.key}#${r.rep}`);
  }
  const todo: [SweepPoint, number][] = [];
  let reused = 0;
  for (let rep = 0; rep < opts.repeat; rep++) {
    for (const p of mine) {
      if (have.has(`${p.key}#${rep}`)) reused++;
      else todo.push([p, rep]);
    }
  }
  const cores = availableParallelism();
  const ran: SweepRecord[] = [];
  for (const [p, rep] of todo) {
    opts.onStart?.(ran.length, todo.length, p, rep);
    const result = await runHarness({ ...p.config, seed: (p.config.seed + rep) >>> 0 });
    const record: SweepRecord = {
      schema: SWEEP_SCHEMA,
      key: p.key,
      point: p.index,
      rep,
      varied: p.varied,
      oversubscribed: workersOf(p.config) > cores,
      result,
    };
    // One write of one whole line: an interrupted sweep leaves whole records.
    if (opts.out) appendFileSync(opts.out, JSON.stringify(record) + '\n');
    ran.push(record);
    opts.onRun?.({ done: ran.length, total: todo.length, point: p, rep, result });
  }
  return { ran, reused };
}
