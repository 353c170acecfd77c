/**
 * Compare two configurations on a noisy machine: run them in alternation
 * (A B A B ...) so that drift hits both alike, take the ratio B/A of each
 * pair, and conclude only when every pair agrees on the direction.
 */
import type { Config } from '../config/config.js';
import { runConfig } from '../engine/run.js';
import type { RunResult } from '../results/result.js';
import { type Spread, spread } from '../util/stats.js';
import { tableLock } from './sweep-record.js';
import { pct, si, table } from '../report/report.js';

export interface CompareOutcome {
  a: Config;
  b: Config;
  runsA: RunResult[];
  runsB: RunResult[];
  /** B/A throughput of each pair. */
  ratios: number[];
  ratio: Spread;
  /** Direction every pair agrees on, or null. */
  verdict: 'faster' | 'slower' | null;
}

export async function runCompare(a: Config, b: Config, pairs: number, onRun?: (label: 'A' | 'B', pair: number) => void): Promise<CompareOutcome> {
  const runsA: RunResult[] = [];
  const runsB: RunResult[] = [];
  for (let i = 0; i < pairs; i++) {
    onRun?.('A', i);
    runsA.push(await runConfig({ ...a, seed: (a.seed + i) >>> 0 }));
    onRun?.('B', i);
    runsB.push(await runConfig({ ...b, seed: (b.seed + i) >>> 0 }));
  }
  const ratios = runsA.map((ra, i) => runsB[i]!.totals.opsPerSec / ra.totals.opsPerSec);
  const verdict = ratios.every((r) => r > 1) ? 'faster' : ratios.every((r) => r < 1) ? 'slower' : null;
  return { a, b, runsA, runsB, ratios, ratio: spread(ratios), verdict };
}

/** The options in which B differs from A, as flags would say them. */
export function configDiff(a: Config, b: Config): string[] {
  return (Object.keys(a) as (keyof Config)[])
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k}: ${JSON.stringify(a[k])} -> ${JSON.stringify(b[k])}`);
}

export function formatCompare(o: CompareOutcome): string {
  const diff = configDiff(o.a, o.b);
  const out = [`compare: B differs from A in ${diff.length ? diff.join(', ') : 'nothing'}`, ''];
  const rows = o.ratios.map((r, i) => [
    String(i + 1),
    si(o.runsA[i]!.totals.opsPerSec),
    si(o.runsB[i]!.totals.opsPerSec),
    r.toFixed(3) + 'x',
    pct(tableLock(o.runsA[i]!)?.contentionPct ?? 0),
    pct(tableLock(o.runsB[i]!)?.contentionPct ?? 0),
    String(o.runsA[i]!.violations.count),
    String(o.runsB[i]!.violations.count),
  ]);
  out.push(table(['pair', 'A ops/s', 'B ops/s', 'B/A', 'A tbl cont%', 'B tbl cont%', 'A viol', 'B viol'], rows));
  const sA = spread(o.runsA.map((r) => r.totals.opsPerSec));
  const sB = spread(o.runsB.map((r) => r.totals.opsPerSec));
  out.push('');
  out.push(`median: A ${si(sA.median)} ops/s, B ${si(sB.median)} ops/s; B/A ${o.ratio.median.toFixed(3)}x (pairs from ${o.ratio.min.toFixed(3)}x to ${o.ratio.max.toFixed(3)}x)`);
  if (o.ratios.length < 2) out.push('conclusion: one pair is not enough to conclude; use --repeat 3 or more');
  else if (o.verdict) out.push(`conclusion: B is ${o.verdict} than A in all ${o.ratios.length} pairs (median ${o.ratio.median.toFixed(2)}x)`);
  else out.push(`conclusion: none; the pairs disagree (B/A from ${o.ratio.min.toFixed(2)}x to ${o.ratio.max.toFixed(2)}x): run more pairs or longer`);
  return out.join('\n');
}
