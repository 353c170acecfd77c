/**
 * What the harness's own counters cost: the real device loop (one device,
 * the run defaults otherwise) with `--stats on` against `--stats off`, and
 * with latency sampling (`--latency-sample 16`, the default) against none.
 *
 * Each side has an isolate of its own, warmed up once, so each sees only its
 * own configuration, as a device worker does. Then runs alternate between
 * the two sides, which goes first alternating too, each run a fixed number
 * of operations on fresh shared memory. The machine's speed drifts (on a
 * shared VM by tens of percent within milliseconds, by several times for a
 * while), so runs are short and many, each pair of neighbouring runs gives
 * one overhead figure, and the median of those is reported with its
 * confidence interval. As a cross-check, the ratio of the fastest runs
 * (10th percentile of each side), which slowdowns from outside touch least.
 */
import type { Config } from '../src/config.js';
import { median } from '../src/stats.js';
import { table } from '../src/report.js';
import { Isolate } from './isolate.js';
import { ns1, signedPct } from './format.js';
import { STATS_OVERHEAD_TARGET_PCT, type Profile } from './tuning.js';

export interface Pair {
  /** ns/op with the feature on, and off. */
  on: number;
  off: number;
  /** (on - off) / off, %. */
  pct: number;
}

export interface Comparison {
  label: string;
  pairs: Pair[];
  medianOn: number;
  medianOff: number;
  /** Median over pairs of the pair's overhead, %. */
  medianPct: number;
  /** About 95% confidence interval of that median (order statistics), %. */
  ciLowPct: number;
  ciHighPct: number;
  /** 10th percentile of each side's runs, ns/op, and their ratio - 1, %. */
  fastOn: number;
  fastOff: number;
  fastPct: number;
}

export interface OverheadResult {
  ops: number;
  stats: Comparison;
  latency: Comparison;
  targetPct: number;
  pass: boolean;
}

/** Linear-interpolated quantile. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
}

/**
 * A distribution-free ~95% confidence interval for the median: the order
 * statistics k and n-1-k of the sorted sample, k = floor((n - 1.96 sqrt n) / 2).
 */
export function medianInterval(xs: readonly number[]): [number, number] {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return [NaN, NaN];
  const k = Math.max(0, Math.floor((s.length - 1.96 * Math.sqrt(s.length)) / 2));
  return [s[k]!, s[s.length - 1 - k]!];
}

async function compare(label: string, on: Partial<Config>, off: Partial<Config>, p: Profile): Promise<Comparison> {
  const isoOn = new Isolate();
  const isoOff = new Isolate();
  try {
    const run = async (iso: Isolate, c: Partial<Config>, ops: number): Promise<number> => (await iso.runLoop({ config: { ...c, ops } })).nsPerOp;
    await run(isoOn, on, p.overheadWarmupOps);
    await run(isoOff, off, p.overheadWarmupOps);
    const pairs: Pair[] = [];
    for (let i = 0; i < p.overheadPairs; i++) {
      let a: number;
      let b: number;
      if (i % 2 === 0) {
        a = await run(isoOn, on, p.overheadOps);
        b = await run(isoOff, off, p.overheadOps);
      } else {
        b = await run(isoOff, off, p.overheadOps);
        a = await run(isoOn, on, p.overheadOps);
      }
      pairs.push({ on: a, off: b, pct: ((a - b) / b) * 100 });
    }
    const pcts = pairs.map((x) => x.pct);
    const [ciLowPct, ciHighPct] = medianInterval(pcts);
    const fastOn = quantile(pairs.map((x) => x.on), 0.1);
    const fastOff = quantile(pairs.map((x) => x.off), 0.1);
    return {
      label,
      pairs,
      medianOn: median(pairs.map((x) => x.on)),
      medianOff: median(pairs.map((x) => x.off)),
      medianPct: median(pcts),
      ciLowPct,
      ciHighPct,
      fastOn,
      fastOff,
      fastPct: ((fastOn - fastOff) / fastOff) * 100,
    };
  } finally {
    await Promise.all([isoOn.close(), isoOff.close()]);
  }
}

export async function measureOverhead(p: Profile): Promise<OverheadResult> {
  const stats = await compare('--stats on vs off', { stats: 'on' }, { stats: 'off' }, p);
  const latency = await compare('--latency-sample 16 vs 0 (stats on)', { stats: 'on', latencySample: 16 }, { stats: 'on', latencySample: 0 }, p);
  return { ops: p.overheadOps, stats, latency, targetPct: STATS_OVERHEAD_TARGET_PCT, pass: stats.medianPct < STATS_OVERHEAD_TARGET_PCT };
}

export function formatOverhead(r: OverheadResult): string {
  const row = (c: Comparison): string[] => [
    c.label,
    ns1(c.medianOn),
    ns1(c.medianOff),
    signedPct(c.medianPct),
    `${signedPct(c.ciLowPct)} .. ${signedPct(c.ciHighPct)}`,
    `${ns1(c.fastOn)} / ${ns1(c.fastOff)} = ${signedPct(c.fastPct)}`,
  ];
  const s = r.stats;
  const interval = `95% interval ${signedPct(s.ciLowPct)} .. ${signedPct(s.ciHighPct)}`;
  const unresolved = s.ciLowPct < r.targetPct && s.ciHighPct >= r.targetPct;
  return [
    `overhead: the harness's own counters; real device loop, 1 device, run defaults (mcs, random completion, 1 page, 4 in flight),`,
    `  ${s.pairs.length} alternating pairs of ${r.ops}-op runs, fresh shared memory each run, one warm isolate per side`,
    table(['comparison', 'on ns/op', 'off ns/op', 'overhead', '95% interval', 'fastest 10%: on / off'], [row(s), row(r.latency)]),
    `  overhead = median over pairs of (on - off) / off; on/off ns/op = medians of the runs`,
    `stats overhead: ${signedPct(s.medianPct)} (${interval}) against a target of < ${r.targetPct}%: ${r.pass ? 'PASS' : 'FAIL'}` +
      (unresolved ? ` on the median; the interval straddles the target, so this machine's noise does not resolve it` : ''),
  ].join('\n');
}
