/**
 * What the harness's own counters cost: the real device loop (one device,
 * the run defaults otherwise) with `--stats on` against `--stats off`, and
 * with latency sampling (`--latency-sample 256`, the default) against none.
 *
 * Each side runs in an isolate of its own, warmed up once, so it sees only
 * its own configuration, as a device worker does. Runs alternate between the
 * two sides (which goes first alternating too), each a fixed number of
 * operations on fresh shared memory; each pair of neighbouring runs gives
 * one overhead figure. The machine's speed drifts (on a shared VM by tens of
 * percent within milliseconds), hence many short runs and medians. And two
 * isolates of the same code can be JIT-compiled tens of percent apart, hence
 * many isolate pairs: the reported overhead is the median of the isolate
 * pairs' medians, with a distribution-free confidence interval beside it.
 */
import type { Config } from '../src/api/types.js';
import { type MedianInterval, median, medianInterval } from '../src/util/stats.js';
import { table } from '../src/report/report.js';
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
  /** Pairs of runs, per isolate pair. */
  groups: Pair[][];
  /** Median of each isolate pair's pair overheads, %. */
  groupPct: number[];
  /** Median of those, %: the reported overhead. */
  medianPct: number;
  /** A 95% confidence interval of that median (order statistics of the isolate pairs'). */
  interval: MedianInterval;
  /** Medians over every run of each side, ns/op. */
  medianOn: number;
  medianOff: number;
}

export interface OverheadResult {
  ops: number;
  stats: Comparison;
  latency: Comparison;
  targetPct: number;
  pass: boolean;
}

/** Worker scripts of the two sides; the same build unless a comparison is between builds. */
export interface Builds {
  on?: URL;
  off?: URL;
}

/** One isolate pair: warm both, then `p.overheadPairs` alternating pairs of runs. */
async function isolatePair(on: Partial<Config>, off: Partial<Config>, p: Profile, builds: Builds): Promise<Pair[]> {
  const isoOn = new Isolate(builds.on);
  const isoOff = new Isolate(builds.off);
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
    return pairs;
  } finally {
    await Promise.all([isoOn.close(), isoOff.close()]);
  }
}

export async function compare(label: string, on: Partial<Config>, off: Partial<Config>, p: Profile, builds: Builds = {}): Promise<Comparison> {
  const groups: Pair[][] = [];
  for (let g = 0; g < p.overheadIsolatePairs; g++) groups.push(await isolatePair(on, off, p, builds));
  const groupPct = groups.map((pairs) => median(pairs.map((x) => x.pct)));
  const all = groups.flat();
  return {
    label,
    groups,
    groupPct,
    medianPct: median(groupPct),
    interval: medianInterval(groupPct),
    medianOn: median(all.map((x) => x.on)),
    medianOff: median(all.map((x) => x.off)),
  };
}

export async function measureOverhead(p: Profile): Promise<OverheadResult> {
  const stats = await compare('--stats on vs off', { stats: 'on' }, { stats: 'off' }, p);
  const latency = await compare('--latency-sample 256 vs 0 (stats on)', { stats: 'on', latencySample: 256 }, { stats: 'on', latencySample: 0 }, p);
  // Reliably under the target: the whole interval, not only the median.
  return { ops: p.overheadOps, stats, latency, targetPct: STATS_OVERHEAD_TARGET_PCT, pass: stats.interval.hi < STATS_OVERHEAD_TARGET_PCT };
}

export function formatOverhead(r: OverheadResult): string {
  const ci = (c: Comparison): string => `${signedPct(c.interval.lo)} .. ${signedPct(c.interval.hi)}`;
  const row = (c: Comparison): string[] => [
    c.label,
    ns1(c.medianOn),
    ns1(c.medianOff),
    signedPct(c.medianPct),
    ci(c),
    [...c.groupPct].sort((a, b) => a - b).map(signedPct).join(' '),
  ];
  const s = r.stats;
  const groups = s.groups.length;
  const cover = Math.round(s.interval.coverage * 1000) / 10;
  const verdict = r.pass
    ? 'PASS'
    : s.interval.lo >= r.targetPct
      ? 'FAIL'
      : `FAIL: the interval reaches ${signedPct(s.interval.hi)}, so this run does not show it under the target${s.medianPct < r.targetPct ? ' (the median is under it)' : ''}`;
  return [
    `overhead: the harness's own counters; real device loop, 1 device, run defaults (mcs, random completion, 1 page, 4 in flight),`,
    `  ${groups} isolate pairs x ${s.groups[0]?.length ?? 0} alternating pairs of ${r.ops}-op runs, each isolate warmed up first, fresh shared memory each run`,
    table(['comparison', 'on ns/op', 'off ns/op', 'overhead', `${cover}% interval`, 'each isolate pair'], [row(s), row(r.latency)]),
    `  overhead = median over isolate pairs of (median over run pairs of (on - off) / off); on/off ns/op = medians of all runs;`,
    `  interval: a distribution-free confidence interval of that median (two order statistics of the isolate pairs', ${cover}% coverage)`,
    `stats overhead: ${signedPct(s.medianPct)} (interval ${ci(s)}) against a target of < ${r.targetPct}% for the whole interval: ${verdict}`,
  ].join('\n');
}
