/**
 * The NDJSON format of sweeps: one line a finished run, appended as soon as
 * the run ends, so that an interrupted sweep keeps what it measured and a
 * rerun on the same file skips it. `report` reads the same lines.
 */
import { readFileSync, existsSync } from 'node:fs';
import type { Config } from './config.js';
import type { RunResult } from './result.js';
import { UsageError } from './errors.js';
import { type Spread, spread } from './stats.js';

export const SWEEP_SCHEMA = 'iommu-stress/sweep-run@1';

export interface SweepRecord {
  schema: typeof SWEEP_SCHEMA;
  /** The point's identity: its configuration without the seed, keys sorted. */
  key: string;
  /** Index of the point in the whole (unsharded) sweep. */
  point: number;
  /** Repetition of the point, 0-based; the run's seed is the base seed + rep. */
  rep: number;
  /** The swept parameters of this point, by config key. */
  varied: Record<string, string | number>;
  /** More workers than cores: spinning locks meet lock-holder preemption. */
  oversubscribed: boolean;
  result: RunResult;
}

/** A point's key: every config field but the seed, in a fixed order. */
export function pointKey(c: Config): string {
  const { seed: _seed, ...rest } = c;
  return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))));
}

export interface ReadRecords {
  records: SweepRecord[];
  /** Lines that were not a complete record (an interrupted write), by line number. */
  skipped: number[];
}

export function readRecords(path: string, flag: string): ReadRecords {
  if (!existsSync(path)) throw new UsageError(`${flag} ${JSON.stringify(path)}: no such file (allowed: an NDJSON file written by iommu-stress sweep)`);
  const records: SweepRecord[] = [];
  const skipped: number[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const r = JSON.parse(line) as SweepRecord;
        if (r.schema === SWEEP_SCHEMA && typeof r.key === 'string' && r.result) records.push(r);
        else skipped.push(i + 1);
      } catch {
        skipped.push(i + 1);
      }
    });
  return { records, skipped };
}

/** The lock class that guarded the page tables in a run, if any. */
export function tableLock(r: RunResult): RunResult['locks'][number] | undefined {
  return r.locks.find((l) => l.instances > 0 && (l.class === 'pgtable' || l.class === 'device'));
}

/** The repetitions of one point, summarised: medians and spread. */
export interface PointSummary {
  key: string;
  point: number;
  varied: Record<string, string | number>;
  config: Config;
  oversubscribed: boolean;
  runs: number;
  opsPerSec: Spread;
  /** Median contention % of the page-table lock (0 when there is none). */
  tableContentionPct: number;
  iovaContentionPct: number;
  /** Median of the runs' p99 wait on the page-table lock, ns. */
  tableWaitP99Ns: number;
  jain: number;
  mapP50Ns: number;
  unmapP50Ns: number;
  violations: number;
}

export function summarizePoints(records: readonly SweepRecord[]): PointSummary[] {
  const byKey = new Map<string, SweepRecord[]>();
  for (const r of records) {
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  const med = (xs: number[]): number => spread(xs).median;
  return [...byKey.values()]
    .map((runs) => {
      const first = runs[0]!;
      const results = runs.map((r) => r.result);
      return {
        key: first.key,
        point: first.point,
        varied: first.varied,
        config: first.result.config,
        oversubscribed: first.oversubscribed,
        runs: runs.length,
        opsPerSec: spread(results.map((r) => r.totals.opsPerSec)),
        tableContentionPct: med(results.map((r) => tableLock(r)?.contentionPct ?? 0)),
        iovaContentionPct: med(results.map((r) => r.locks.find((l) => l.class === 'iova')?.contentionPct ?? 0)),
        tableWaitP99Ns: med(results.map((r) => tableLock(r)?.waittimeP99Ns ?? 0)),
        jain: med(results.map((r) => r.fairness.jain)),
        mapP50Ns: med(results.map((r) => r.latency.map.p50Ns)),
        unmapP50Ns: med(results.map((r) => r.latency.unmap.p50Ns)),
        violations: results.reduce((n, r) => n + r.violations.count, 0),
      };
    })
    .sort((a, b) => a.point - b.point);
}
