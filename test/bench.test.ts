/**
 * The native baseline of `npm run bench` builds and speaks its one-line
 * format. Nothing here times anything: benchmarks are `npm run bench`,
 * never `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/config.js';
import { computeLayout } from '../src/layout.js';
import { CC, buildMapbench, haveCc, parseMapbenchLine, runMapbench } from '../bench/native.js';

const cc = haveCc();
const NO_CC = `no C compiler: \`${CC}\` is not on PATH`;
const dir = mkdtempSync(join(tmpdir(), 'mapbench-'));
const bin = join(dir, 'mapbench');
let built = false;
const build = (): void => {
  if (!built) buildMapbench(bin);
  built = true;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the native baseline, bench/native/mapbench.c', () => {
  it('compiles, and at 1 thread prints one JSON line with a positive ns/op over the JS layout\'s IOVA window', (ctx) => {
    ctx.skip(!cc, NO_CC);
    build();
    const r = runMapbench(bin, { threads: 1, domains: 'private', ops: 2000, pages: 1, inflight: 4, lock: 'ticket' });
    expect(r).toMatchObject({ threads: 1, domains: 'private', totalOps: 2000, opsPerThread: [2000], violations: 0 });
    expect(r.nsPerOp).toBeGreaterThan(0);
    const L = computeLayout(resolveConfig({ devices: 1, pages: 1, inflight: 4 }));
    expect([r.windowPages, r.iovaBasePfn]).toEqual([L.windowPages, L.iovaBasePfn]);
  });

  it('runs 2 threads on one shared domain clean, with the ticket lock and with pthread_mutex', (ctx) => {
    ctx.skip(!cc, NO_CC);
    build();
    for (const lock of ['ticket', 'mutex'] as const) {
      const r = runMapbench(bin, { threads: 2, domains: 'shared', ops: 2000, pages: 3, inflight: 4, lock });
      expect(r).toMatchObject({ lock, totalOps: 4000, violations: 0 });
    }
  });

  it('rejects an output line that is not its format', () => {
    expect(() => parseMapbenchLine('{"bench":"mapbench","threads":0}')).toThrow(/unexpected line/);
    expect(() => parseMapbenchLine('mapbench: oops')).toThrow(/not JSON/);
  });
});

describe('the free-running build (src/free-build.ts)', () => {
  it('has every schedule point taken out but the scheduler\'s own, and its device loop runs clean', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const root = new URL('../dist/free/src/', import.meta.url);
    for (const f of ['pgtable.js', 'device-loop.js', 'iotlb.js', 'table-pool.js', 'checker.js']) {
      expect(readFileSync(new URL(f, root), 'utf8'), f).not.toMatch(/SCHED\.on\)\s*\n?\s*SCHED\./);
    }
    for (const f of readdirSync(new URL('locks/', root))) expect(readFileSync(new URL(`locks/${f}`, root), 'utf8')).not.toMatch(/SCHED\.(point|spin)/);
    // ... while the build with points still has them.
    expect(readFileSync(new URL('../dist/src/pgtable.js', import.meta.url), 'utf8')).toMatch(/SCHED\.on\)\s*\n\s*SCHED\.point/);
    const { runDeviceLoop } = (await import(new URL('../dist/free/bench/loop.js', import.meta.url).href)) as typeof import('../bench/loop.js');
    expect(runDeviceLoop({ ops: 2000 })).toMatchObject({ ops: 2000, violations: 0 });
  });

  it('strips a point as tsc emits it, and nothing else', async () => {
    const { stripPoints } = await import('../src/free-build.js');
    const js = 'a();\n    if (SCHED.on)\n        SCHED.point(P_LOCK, l);\n    b();\n    if (SCHED.on) {\n        c();\n    }\n';
    expect(stripPoints(js)).toEqual({ text: 'a();\n    b();\n    if (SCHED.on) {\n        c();\n    }\n', removed: 1 });
  });
});
