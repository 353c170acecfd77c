/**
 * What the schedule points cost when nobody schedules: the real device loop
 * of this build against the same loop built without them.
 *
 * Every point in the sources is one statement, `if (SCHED.on) SCHED.x(...);`
 * (src/sched.ts), which tsc emits as two lines. The build without points is a
 * copy of dist/ with those two lines removed from every module but sched.js
 * itself (whose futexWait/futexWake branch on SCHED.on as part of an
 * if/else). The count of points removed is printed, so a change in how tsc
 * emits them shows up as 0 rather than as a false result.
 */
import { cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from '../src/report.js';
import { compare, type Comparison } from './overhead.js';
import { signedPct, ns1 } from './format.js';
import { POINTS_OVERHEAD_TARGET_PCT, type Profile } from './tuning.js';

const DIST = fileURLToPath(new URL('../', import.meta.url));
const COPY = join(DIST, 'nopoints');
/** A point as tsc emits it: the guard on one line, the call on the next. */
const POINT = /^[ \t]*if \(SCHED\.on\)\n[ \t]*SCHED\.[A-Za-z]+\([^\n]*\);\n/gm;
const POINT_ONE_LINE = /^[ \t]*if \(SCHED\.on\) SCHED\.[A-Za-z]+\([^\n]*\);\n/gm;

function stripDir(dir: string): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      removed += stripDir(path);
    } else if (name.endsWith('.js') && name !== 'sched.js') {
      const text = readFileSync(path, 'utf8');
      let n = 0;
      const out = text.replace(POINT, () => (n++, '')).replace(POINT_ONE_LINE, () => (n++, ''));
      if (n > 0) writeFileSync(path, out);
      removed += n;
    }
  }
  return removed;
}

/** Copy dist/{src,workers,bench} to dist/nopoints and strip the points; the number stripped. */
export function buildWithoutPoints(): number {
  rmSync(COPY, { recursive: true, force: true });
  for (const d of ['src', 'workers', 'bench']) cpSync(join(DIST, d), join(COPY, d), { recursive: true });
  return stripDir(join(COPY, 'src'));
}

export interface PointsResult {
  removed: number;
  cmp: Comparison;
  targetPct: number;
  pass: boolean;
}

export async function measurePoints(p: Profile): Promise<PointsResult> {
  const removed = buildWithoutPoints();
  if (removed === 0) throw new Error('no schedule points found to strip in dist/src: has the emitted form changed?');
  const cmp = await compare('schedule points vs none (stats on)', { stats: 'on' }, { stats: 'on' }, p, {
    on: new URL('./worker.js', import.meta.url),
    off: new URL('file://' + join(COPY, 'bench', 'worker.js')),
  });
  return { removed, cmp, targetPct: POINTS_OVERHEAD_TARGET_PCT, pass: cmp.medianPct < POINTS_OVERHEAD_TARGET_PCT };
}

export function formatPoints(r: PointsResult): string {
  const c = r.cmp;
  const lo = Math.min(...c.groupPct);
  const hi = Math.max(...c.groupPct);
  return [
    `points: the schedule points free running (a load and a branch each), against a copy of this build with all ${r.removed} removed;`,
    `  real device loop, 1 device, run defaults; ${c.groups.length} isolate pairs x ${c.groups[0]?.length ?? 0} alternating pairs of runs`,
    table(
      ['comparison', 'with ns/op', 'without ns/op', 'overhead', 'range'],
      [[c.label, ns1(c.medianOn), ns1(c.medianOff), signedPct(c.medianPct), `${signedPct(lo)} .. ${signedPct(hi)}`]],
    ),
    `schedule-point overhead: ${signedPct(c.medianPct)} (isolate pairs ${signedPct(lo)} .. ${signedPct(hi)}) against a target of < ${r.targetPct}%: ${r.pass ? 'PASS' : 'FAIL'}` +
      (lo < r.targetPct && hi >= r.targetPct ? `; the isolate pairs straddle the target, so this machine's noise does not resolve it` : ''),
  ].join('\n');
}
