/**
 * The native baseline of `npm run bench` builds and speaks its one-line
 * format. Nothing here times anything: benchmarks are `npm run bench`,
 * never `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
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

describe('the build without schedule points (bench/points.ts)', () => {
  it('strips every point but the scheduler\'s own, and the stripped device loop still runs clean', async () => {
    const { buildWithoutPoints } = await import('../bench/points.js');
    const removed = buildWithoutPoints();
    expect(removed).toBeGreaterThan(50);
    const { readFileSync, readdirSync } = await import('node:fs');
    const root = new URL('../dist/nopoints/src/', import.meta.url);
    for (const f of ['pgtable.js', 'device-loop.js', 'iotlb.js', 'table-pool.js']) {
      expect(readFileSync(new URL(f, root), 'utf8'), f).not.toMatch(/SCHED\.on\)\s*\n\s*SCHED\./);
    }
    for (const f of readdirSync(new URL('locks/', root))) expect(readFileSync(new URL(`locks/${f}`, root), 'utf8')).not.toMatch(/SCHED\.(point|spin)/);
    const { runDeviceLoop } = (await import(new URL('../dist/nopoints/bench/loop.js', import.meta.url).href)) as typeof import('../bench/loop.js');
    expect(runDeviceLoop({ ops: 2000 })).toMatchObject({ ops: 2000, violations: 0 });
  });
});
