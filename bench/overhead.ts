/**
 * What the harness's own counters cost: `iommu-stress run --devices 1`
 * (the run defaults otherwise) with `--stats on` against `--stats off`, and
 * with latency sampling (`--latency-sample 256`, the default) against none.
 *
 * Whole runs, as a user runs them: through the engine, a fresh worker
 * thread each, about a default run's operations, so V8's warm-up (and its
 * compiles, made in the worker's own thread) is in each as in every user's
 * run. Each pair is one run of each side at the same time, on the same
 * CPU, and each side's figure is its device loop's time on that CPU per
 * operation (Linux /proc/thread-self/schedstat: DeviceStats.cpuSec). The
 * two sides share every moment of the machine: this VM's CPUs change speed
 * from one minute to the next (another tenant on the host), which runs one
 * after the other met at different speeds. An A/A test (the same
 * configuration on both sides) spread from -12% to +46% unpinned one after
 * the other, -2% to +8% pinned one after the other, and about -1% to +3%
 * pinned side by side. Which side starts first alternates.
 *
 * Each pair gives one overhead figure, (on - off) / off; the section
 * reports their median with a distribution-free confidence interval.
 * Where the platform does not give a thread's CPU time, the pairs are run
 * one after the other and timed by the wall clock, and the section says so.
 *
 * Pinned to one CPU (taskset), when it can be: the process, and with it
 * both sides' workers.
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

/** How a pair's two runs were made and timed. */
export type PairMethod = 'side by side, CPU time' | 'one after the other, wall time';

export interface Comparison {
  label: string;
  method: PairMethod;
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

interface RunTime {
  /** ns/op by the wall clock (the run's own throughput). */
  wall: number;
  /** ns/op of the device loop's time on a CPU; null where the platform does not say. */
  cpu: number | null;
}

/** One run through the engine, 1 device: its ns/op by the wall clock and by its loop's time on a CPU. */
async function wholeRun(c: Partial<Config>, ops: number): Promise<RunTime> {
  const r = await runConfig(resolveConfig({ ...c, devices: 1, ops }));
  if (r.status !== 'clean' || r.totals.ops !== ops) throw new Error(`overhead run ${JSON.stringify(c)}: ${r.status}, ${r.totals.ops} of ${ops} ops`);
  const cpuSec = r.devices[0]?.cpuSec ?? null;
  return { wall: 1e9 / r.totals.opsPerSec, cpu: cpuSec === null ? null : (cpuSec * 1e9) / ops };
}

/** One pair, side by side: both runs at once, the first to start alternating with `flip`. */
async function sideBySide(on: Partial<Config>, off: Partial<Config>, ops: number, flip: boolean): Promise<[RunTime, RunTime]> {
  if (!flip) return Promise.all([wholeRun(on, ops), wholeRun(off, ops)]);
  const [b, a] = await Promise.all([wholeRun(off, ops), wholeRun(on, ops)]);
  return [a, b];
}

/** One pair, one run after the other, which goes first alternating with `flip`. */
async function oneAfterOther(on: Partial<Config>, off: Partial<Config>, ops: number, flip: boolean): Promise<[RunTime, RunTime]> {
  if (!flip) {
    const a = await wholeRun(on, ops);
    return [a, await wholeRun(off, ops)];
  }
  const b = await wholeRun(off, ops);
  return [await wholeRun(on, ops), b];
}

export async function compareRuns(label: string, on: Partial<Config>, off: Partial<Config>, pairs: number, ops: number): Promise<Comparison> {
  const out: Pair[] = [];
  // Side by side, timed by CPU time, unless the platform gives none (then the wall clock would count the other run's time too).
  let cpuTimed = true;
  for (let i = 0; i < pairs; i++) {
    const flip = i % 2 === 1;
    let [a, b] = cpuTimed ? await sideBySide(on, off, ops, flip) : await oneAfterOther(on, off, ops, flip);
    if (cpuTimed && (a.cpu === null || b.cpu === null)) {
      if (i > 0) throw new Error(`overhead: a run's CPU time went missing after ${i} pairs had it (${label})`);
      cpuTimed = false;
      [a, b] = await oneAfterOther(on, off, ops, flip);
    }
    const x = cpuTimed ? a.cpu! : a.wall;
    const y = cpuTimed ? b.cpu! : b.wall;
    out.push({ on: x, off: y, pct: ((x - y) / y) * 100 });
  }
  const pct = out.map((x) => x.pct);
  return {
    label,
    method: cpuTimed ? 'side by side, CPU time' : 'one after the other, wall time',
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
  const sideBySide = s.method === 'side by side, CPU time';
  return [
    `overhead: the harness's own counters; \`run --devices 1 --ops ${r.ops}\` (run defaults: mcs, random completion, 1 page, 4 in flight),`,
    `  whole runs through the engine, a fresh worker each (V8's warm-up in it, as in every run); ${where}`,
    sideBySide
      ? `  each pair: one run of each side at the same time on that CPU, each timed by its device loop's time on the CPU (schedstat), which goes first alternating`
      : `  each pair: one run of each side one after the other, timed by the wall clock (no thread CPU time on this platform), which goes first alternating`,
    table(['comparison', 'pairs', 'on ns/op', 'off ns/op', 'overhead', 'interval (coverage)', 'each pair'], [row(s), row(r.latency)]),
    `  overhead = median over the pairs of (on - off) / off; on/off ns/op = medians of each side's runs;`,
    `  interval: a distribution-free confidence interval of that median (two order statistics of the pairs')`,
    `stats overhead: ${signedPct(s.medianPct)} (interval ${ci(s)}) against a target of < ${r.targetPct}% for the whole interval: ${verdict}`,
  ].join('\n');
}
