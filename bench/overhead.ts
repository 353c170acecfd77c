/**
 * What the harness's own counters cost: `iommu-stress run --devices 1`
 * (the run defaults otherwise) with `--stats on` against `--stats off`, and
 * with latency sampling (`--latency-sample 256`, the default) against none.
 *
 * Whole runs, as a user runs them: through the engine, a fresh worker
 * thread each, about a default run's operations, so V8's warm-up is in
 * each as in every user's run. Runs alternate between the two sides (which
 * goes first alternating too); each pair of neighbouring runs gives one
 * overhead figure, (on - off) / off, and the section reports their median
 * with a distribution-free confidence interval beside it.
 *
 * Pinned to one CPU (taskset), when it can be: the process, and with it
 * both sides' workers. This VM's two CPUs run at different speeds from one
 * minute to the next (another tenant on the host), and a thread that wakes
 * on the slow one tends to stay there: unpinned, an A/A test (the same
 * configuration on both sides) spread from -12% to +46%; pinned, from -2%
 * to +8%. Neighbouring runs still meet different moments of the machine,
 * hence many pairs and a median.
 *
 * Not a steady state of one process reused for many runs: each run makes
 * the design's ops afresh, and V8 then compiles the loop for several
 * generations of closures at once (about a fifth slower than a run's own
 * code), which is not what a run executes.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Config } from '../src/api/types.js';
import { resolveConfig } from '../src/config/config.js';
import { runConfig } from '../src/engine/run.js';
import { type MedianInterval, median, medianInterval } from '../src/util/stats.js';
import { table } from '../src/report/report.js';
import { ns1, signedPct } from './format.js';
import { FULL, QUICK, STATS_OVERHEAD_TARGET_PCT, type Profile } from './tuning.js';

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
  /** Median of the pairs' overheads, %: the reported overhead. */
  medianPct: number;
  /** A confidence interval of that median (order statistics of the pairs'). */
  interval: MedianInterval;
  /** Medians over every run of each side, ns/op. */
  medianOn: number;
  medianOff: number;
}

export interface OverheadResult {
  /** Operations of one run. */
  ops: number;
  /** The CPU the runs were pinned to, or why they were not. */
  pinned: { cpu: number } | { why: string };
  stats: Comparison;
  latency: Comparison;
  targetPct: number;
  /** The stats comparison's whole interval under the target. */
  pass: boolean;
}

/** ns/op of one run through the engine, 1 device: its workers' time, as the run reports its throughput. */
async function wholeRun(c: Partial<Config>, ops: number): Promise<number> {
  const r = await runConfig(resolveConfig({ ...c, devices: 1, ops }));
  if (r.status !== 'clean' || r.totals.ops !== ops) throw new Error(`overhead run ${JSON.stringify(c)}: ${r.status}, ${r.totals.ops} of ${ops} ops`);
  return 1e9 / r.totals.opsPerSec;
}

export async function compareRuns(label: string, on: Partial<Config>, off: Partial<Config>, pairs: number, ops: number): Promise<Comparison> {
  const out: Pair[] = [];
  for (let i = 0; i < pairs; i++) {
    let a: number;
    let b: number;
    if (i % 2 === 0) {
      a = await wholeRun(on, ops);
      b = await wholeRun(off, ops);
    } else {
      b = await wholeRun(off, ops);
      a = await wholeRun(on, ops);
    }
    out.push({ on: a, off: b, pct: ((a - b) / b) * 100 });
  }
  const pct = out.map((x) => x.pct);
  return {
    label,
    pairs: out,
    medianPct: median(pct),
    interval: medianInterval(pct),
    medianOn: median(out.map((x) => x.on)),
    medianOff: median(out.map((x) => x.off)),
  };
}

/** Measure in this process, as it is placed. */
export async function measureOverheadHere(p: Profile, pinned: OverheadResult['pinned']): Promise<OverheadResult> {
  const stats = await compareRuns('--stats on vs off', { stats: 'on' }, { stats: 'off' }, p.overheadPairs, p.overheadOps);
  const latency = await compareRuns('--latency-sample 256 vs 0 (stats on)', { stats: 'on', latencySample: 256 }, { stats: 'on', latencySample: 0 }, p.overheadLatencyPairs, p.overheadOps);
  // Reliably under the target: the whole interval, not only the median.
  return { ops: p.overheadOps, pinned, stats, latency, targetPct: STATS_OVERHEAD_TARGET_PCT, pass: stats.interval.hi < STATS_OVERHEAD_TARGET_PCT };
}

/**
 * Measure pinned to the last CPU: this section again in a child process
 * under `taskset` (Node cannot set a thread's affinity), its result back as
 * JSON. Unpinned, with the reason, where there is no taskset or one CPU.
 */
export async function measureOverhead(p: Profile): Promise<OverheadResult> {
  const cpus = availableParallelism();
  if (cpus < 2) return measureOverheadHere(p, { why: 'one CPU' });
  const cpu = cpus - 1;
  const child = fileURLToPath(new URL('./overhead-pinned.js', import.meta.url));
  const r = spawnSync('taskset', ['-c', String(cpu), process.execPath, child, p.name, String(cpu)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return measureOverheadHere(p, { why: 'no taskset on PATH' });
  if (r.status !== 0) throw new Error(`the pinned overhead measurement failed (taskset -c ${cpu}, exit ${r.status ?? r.signal}): ${r.stderr.trim() || r.error?.message || ''}`);
  return JSON.parse(r.stdout) as OverheadResult;
}

export const profileNamed = (name: string): Profile => (name === QUICK.name ? QUICK : FULL);

export function formatOverhead(r: OverheadResult): string {
  const ci = (c: Comparison): string => `${signedPct(c.interval.lo)} .. ${signedPct(c.interval.hi)}`;
  const cover = (c: Comparison): string => `${Math.round(c.interval.coverage * 1000) / 10}%`;
  const row = (c: Comparison): string[] => [
    c.label,
    String(c.pairs.length),
    ns1(c.medianOn),
    ns1(c.medianOff),
    signedPct(c.medianPct),
    `${ci(c)} (${cover(c)})`,
    [...c.pairs.map((x) => x.pct)].sort((a, b) => a - b).map(signedPct).join(' '),
  ];
  const s = r.stats;
  const verdict = r.pass
    ? 'PASS'
    : s.interval.lo >= r.targetPct
      ? 'FAIL'
      : `FAIL: the interval reaches ${signedPct(s.interval.hi)}, so this run does not show it under the target${s.medianPct < r.targetPct ? ' (the median is under it)' : ''}`;
  const where = 'cpu' in r.pinned ? `pinned to CPU ${r.pinned.cpu} (taskset)` : `not pinned (${r.pinned.why}): expect a wider spread`;
  return [
    `overhead: the harness's own counters; \`run --devices 1 --ops ${r.ops}\` (run defaults: mcs, random completion, 1 page, 4 in flight),`,
    `  whole runs through the engine, a fresh worker each (V8's warm-up in it, as in every run), the two sides alternating; ${where}`,
    table(['comparison', 'pairs', 'on ns/op', 'off ns/op', 'overhead', 'interval (coverage)', 'each pair'], [row(s), row(r.latency)]),
    `  overhead = median over pairs of neighbouring runs of (on - off) / off; on/off ns/op = medians of each side's runs;`,
    `  interval: a distribution-free confidence interval of that median (two order statistics of the pairs')`,
    `stats overhead: ${signedPct(s.medianPct)} (interval ${ci(s)}) against a target of < ${r.targetPct}% for the whole interval: ${verdict}`,
  ].join('\n');
}
