/**
 * Sampled figures against dense ones: the defaults (1 operation in 256,
 * gaps drawn) against every operation timed (`--latency-sample 1
 * --hold-sample 1`), whole runs through the engine (2 s each, medians of 3
 * runs, the two sides alternated). A figure that depends on how often it
 * is sampled describes the measurement, not the design.
 *
 *   - 1 device, `--lock ttas`: map and unmap p50, the page-table lock's hold
 *     average; at the defaults, map p50 + unmap p50 against the time an
 *     operation takes (1 / throughput);
 *   - 2 devices sharing a domain: the page-table lock's wait average;
 *   - a user's driver (examples/drivers/amd-v1.mjs): the same figures, from
 *     the same sampling path as a built-in's.
 *
 * Targets: uncontended, the p50s and the hold average within 1.25x and the
 * sampled phases within an operation's time; shared, the wait average
 * within 1.25x (contended, the p50s are printed, not judged: waits make
 * them two-humped).
 */
import { fileURLToPath } from 'node:url';
import type { Config } from '../src/api/types.js';
import { resolveConfig } from '../src/config/config.js';
import { runConfig } from '../src/engine/run.js';
import type { RunResult } from '../src/results/result.js';
import { median } from '../src/util/stats.js';
import { table } from '../src/report/report.js';
import { times } from './format.js';
import type { Profile } from './tuning.js';

export const SAMPLING_TARGET = 1.25;

const userDriver = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../examples/drivers/amd-v1.mjs' : '../../examples/drivers/amd-v1.mjs', import.meta.url));

interface Case {
  name: string;
  config: Partial<Config>;
  /** Compare the page-table lock's wait average (contended), else its hold average. */
  waits: boolean;
}

const CASES: Case[] = [
  { name: '1 device, ttas', config: { devices: 1, lock: 'ttas' }, waits: false },
  { name: '2 devices, one domain', config: { devices: 2, groupSize: 2, lock: 'ttas' }, waits: true },
  { name: "1 device, a user's driver (amd-v1.mjs)", config: { devices: 1, lock: 'ttas', driver: userDriver }, waits: false },
];

export interface SamplingRow {
  name: string;
  waits: boolean;
  /** Medians over the reps: defaults, dense. */
  mapP50: [number, number];
  unmapP50: [number, number];
  lock: [number, number];
  /** ns an operation takes a worker at the defaults (1 / its throughput). */
  opNs: number;
}

export async function measureSampling(p: Profile): Promise<SamplingRow[]> {
  const reps = p.name === 'quick' ? 1 : 3;
  const durationSec = p.name === 'quick' ? 0.5 : 2;
  const rows: SamplingRow[] = [];
  for (const c of CASES) {
    const sparse: RunResult[] = [];
    const dense: RunResult[] = [];
    for (let i = 0; i < reps; i++) {
      // Alternated: the VM's drift falls on both sides alike.
      sparse.push(await runConfig(resolveConfig({ ...c.config, durationSec })));
      dense.push(await runConfig(resolveConfig({ ...c.config, durationSec, latencySample: 1, holdSample: 1 })));
    }
    // The busiest lock class (the page-table lock first where it is as busy as any): a driver's class taken once at setup has no samples to compare.
    const lockOf = (r: RunResult): number => {
      const l = [...r.locks].sort((a, b) => b.acquisitions - a.acquisitions || Number(b.guardsTables) - Number(a.guardsTables))[0]!;
      return c.waits ? l.waittimeAvgNs : l.holdtimeAvgNs;
    };
    const pair = (f: (r: RunResult) => number): [number, number] => [median(sparse.map(f)), median(dense.map(f))];
    rows.push({
      name: c.name,
      waits: c.waits,
      mapP50: pair((r) => r.latency.map.p50Ns),
      unmapP50: pair((r) => r.latency.unmap.p50Ns),
      lock: pair(lockOf),
      opNs: median(sparse.map((r) => (r.totals.durationSec * 1e9 * r.layout.workers) / r.totals.ops)),
    });
  }
  return rows;
}

const ratio = ([a, b]: [number, number]): number => Math.max(a, b) / Math.max(1e-9, Math.min(a, b));

export function formatSampling(rows: SamplingRow[]): string {
  const fig = ([a, b]: [number, number]): string => `${a.toFixed(0)} / ${b.toFixed(0)} ns (${times(ratio([a, b]))})`;
  const out = [
    'sampling: the defaults (1 op in 256, gaps drawn) against every operation sampled, whole runs, medians (defaults / dense, ratio)',
    table(
      ['case', 'map p50', 'unmap p50', 'busiest lock', 'map + unmap p50 at the defaults / an operation'],
      rows.map((r) => [
        r.name,
        fig(r.mapP50),
        fig(r.unmapP50),
        `${r.waits ? 'wait' : 'hold'} avg ${fig(r.lock)}`,
        `${(r.mapP50[0] + r.unmapP50[0]).toFixed(0)} / ${r.opNs.toFixed(0)} ns`,
      ]),
    ),
  ];
  const fails: string[] = [];
  // The targets: uncontended, the p50s and the hold average, and the phases within an operation; shared, the wait average.
  for (const r of rows) {
    const checked = r.waits ? ([['wait avg', r.lock]] as const) : ([['map p50', r.mapP50], ['unmap p50', r.unmapP50], ['hold avg', r.lock]] as const);
    for (const [what, x] of checked) if (ratio(x) > SAMPLING_TARGET) fails.push(`${r.name}: ${what} ${times(ratio(x))}`);
    if (!r.waits && r.mapP50[0] + r.unmapP50[0] > r.opNs) fails.push(`${r.name}: map + unmap p50 over an operation`);
  }
  out.push(`target: within ${SAMPLING_TARGET}x (uncontended: map, unmap p50, hold avg; shared: wait avg) and, uncontended, the sampled phases within an operation: ${fails.length === 0 ? 'PASS' : `FAIL (${fails.join('; ')})`}`);
  return out.join('\n');
}
