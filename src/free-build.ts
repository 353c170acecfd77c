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
 *
 * The copies go without source maps: a map would point one directory off
 * (its sources are relative) and, where points went, at the wrong lines. So
 * their `//# sourceMappingURL=` comments go too; left in, vite (vitest) and
 * Node's --enable-source-maps look for the missing .map files and complain
 * ("Failed to load source map") whenever a free-running worker starts.
 */
import { cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A point as tsc emits it: the guard on one line, the call on the next (or both on one). */
const POINT = /^[ \t]*if \(SCHED\.on\)\n[ \t]*SCHED\.[A-Za-z]+\([^\n]*\);\n/gm;
const POINT_ONE_LINE = /^[ \t]*if \(SCHED\.on\) SCHED\.[A-Za-z]+\([^\n]*\);\n/gm;

/** tsc's source map comment: the last line of a module it emits with sourceMap on. */
const SOURCE_MAP_COMMENT = /^\/\/# sourceMappingURL=[^\n]*\n?(?![\s\S])/m;

/** Remove the points of one compiled module's text; returns the text and how many went. */
export function stripPoints(text: string): { text: string; removed: number } {
  let removed = 0;
  const out = text.replace(POINT, () => (removed++, '')).replace(POINT_ONE_LINE, () => (removed++, ''));
  return { text: out, removed };
}

/** Remove the source map comment of one compiled module's text (its map is not copied). */
export function stripSourceMapComment(text: string): string {
  return text.replace(SOURCE_MAP_COMMENT, '');
}

/** Rewrite every .js file under `dir`: its points out when `points`, its source map comment out always; returns the points removed. */
function stripDir(dir: string, points: boolean): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      removed += stripDir(path, points);
    } else if (name.endsWith('.js')) {
      const original = readFileSync(path, 'utf8');
      let text = stripSourceMapComment(original);
      if (points && name !== 'sched.js') {
        const r = stripPoints(text);
        text = r.text;
        removed += r.removed;
      }
      if (text !== original) writeFileSync(path, text);
    }
  }
  return removed;
}

/** Build dist/free from dist; returns the number of points taken out. */
export function buildFree(dist: string): number {
  const free = join(dist, 'free');
  rmSync(free, { recursive: true, force: true });
  for (const d of ['src', 'workers', 'bench']) cpSync(join(dist, d), join(free, d), { recursive: true, filter: (p) => !p.endsWith('.map') });
  const removed = stripDir(join(free, 'src'), true);
  stripDir(join(free, 'workers'), false);
  stripDir(join(free, 'bench'), false);
  if (removed === 0) throw new Error('no schedule points found to take out of dist/src: has the way tsc emits them changed?');
  return removed;
}

// `node dist/src/free-build.js`: the build step.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = fileURLToPath(new URL('../', import.meta.url));
  const n = buildFree(dist);
  process.stdout.write(`free-running build: ${n} schedule points taken out (dist/free)\n`);
}
