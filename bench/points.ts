/**
 * What a schedule point would cost free running if it were left in: the
 * real device loop of the build with the points (what controlled runs use)
 * against the free-running build, where `npm run build` took them out
 * (src/free-build.ts, dist/free). Free-running runs start their workers from
 * the free build, so there a point costs nothing at all; this measures the
 * price that saves.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { table } from '../src/report.js';
import { compare, type Comparison } from './overhead.js';
import { signedPct, ns1 } from './format.js';
import { POINTS_OVERHEAD_TARGET_PCT, type Profile } from './tuning.js';

/** bench/worker.js of the build with points, and of the free build. */
const WITH = new URL('./worker.js', import.meta.url);
const FREE = new URL('../free/bench/worker.js', import.meta.url);

export interface PointsResult {
  cmp: Comparison;
  targetPct: number;
  pass: boolean;
}

export async function measurePoints(p: Profile): Promise<PointsResult> {
  if (!existsSync(fileURLToPath(FREE))) throw new Error(`${fileURLToPath(FREE)} is missing: run \`npm run build\``);
  const cmp = await compare('schedule points left in vs taken out', { stats: 'on' }, { stats: 'on' }, p, { on: WITH, off: FREE });
  return { cmp, targetPct: POINTS_OVERHEAD_TARGET_PCT, pass: cmp.medianPct < POINTS_OVERHEAD_TARGET_PCT };
}

export function formatPoints(r: PointsResult): string {
  const c = r.cmp;
  const lo = Math.min(...c.groupPct);
  const hi = Math.max(...c.groupPct);
  return [
    `points: the device loop with its schedule points left in (a load and a branch each, as controlled runs need them)`,
    `  against the free-running build, which has them taken out (dist/free); 1 device, run defaults;`,
    `  ${c.groups.length} isolate pairs x ${c.groups[0]?.length ?? 0} alternating pairs of runs`,
    table(
      ['comparison', 'with ns/op', 'without ns/op', 'overhead', 'range'],
      [[c.label, ns1(c.medianOn), ns1(c.medianOff), signedPct(c.medianPct), `${signedPct(lo)} .. ${signedPct(hi)}`]],
    ),
    `points left in would cost ${signedPct(c.medianPct)} (isolate pairs ${signedPct(lo)} .. ${signedPct(hi)}; target < ${r.targetPct}%: ${r.pass ? 'PASS' : 'FAIL'}` +
      (lo < r.targetPct && hi >= r.targetPct ? `, the isolate pairs straddle the target` : '') +
      `); free-running runs use the build without them and pay nothing.`,
  ].join('\n');
}
