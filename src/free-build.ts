/**
 * The free-running build: a copy of the compiled harness with every
 * schedule point taken out, as a kernel static key patches a disabled
 * tracepoint out of the code. Free-running runs start their workers from it,
 * so a point costs them nothing at all; controlled runs (explore, replay,
 * shrink) start theirs from the build with the points.
 *
 * Every point in the sources is one statement, `if (SCHED.on) SCHED.x(...);`
 * (see sched.ts), which tsc emits as two lines; this removes those two lines
 * from every module but sched.js itself (whose futexWait/futexWake branch on
 * SCHED.on as part of an if/else). `npm run build` runs it after tsc:
 *
 *   dist/src, dist/workers, dist/bench  ->  dist/free/src, dist/free/workers, dist/free/bench
 */
import { cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A point as tsc emits it: the guard on one line, the call on the next (or both on one). */
const POINT = /^[ \t]*if \(SCHED\.on\)\n[ \t]*SCHED\.[A-Za-z]+\([^\n]*\);\n/gm;
const POINT_ONE_LINE = /^[ \t]*if \(SCHED\.on\) SCHED\.[A-Za-z]+\([^\n]*\);\n/gm;

/** Remove the points of one compiled module's text; returns the text and how many went. */
export function stripPoints(text: string): { text: string; removed: number } {
  let removed = 0;
  const out = text.replace(POINT, () => (removed++, '')).replace(POINT_ONE_LINE, () => (removed++, ''));
  return { text: out, removed };
}

function stripDir(dir: string): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      removed += stripDir(path);
    } else if (name.endsWith('.js') && name !== 'sched.js') {
      const r = stripPoints(readFileSync(path, 'utf8'));
      if (r.removed > 0) writeFileSync(path, r.text);
      removed += r.removed;
    }
  }
  return removed;
}

/** Build dist/free from dist; returns the number of points taken out. */
export function buildFree(dist: string): number {
  const free = join(dist, 'free');
  rmSync(free, { recursive: true, force: true });
  for (const d of ['src', 'workers', 'bench']) cpSync(join(dist, d), join(free, d), { recursive: true, filter: (p) => !p.endsWith('.map') });
  const removed = stripDir(join(free, 'src'));
  if (removed === 0) throw new Error('no schedule points found to take out of dist/src: has the way tsc emits them changed?');
  return removed;
}

// `node dist/src/free-build.js`: the build step.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = fileURLToPath(new URL('../', import.meta.url));
  const n = buildFree(dist);
  process.stdout.write(`free-running build: ${n} schedule points taken out (dist/free)\n`);
}
