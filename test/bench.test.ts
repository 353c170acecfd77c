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
import { planRun } from '../src/engine/run.js';
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
  it('compiles, and at 1 thread prints one JSON line with a positive ns/op over the JS layout\'s IOVA window', async (ctx) => {
    ctx.skip(!cc, NO_CC);
    build();
    const r = runMapbench(bin, { threads: 1, domains: 'private', ops: 2000, pages: 1, inflight: 4, lock: 'ticket' });
    expect(r).toMatchObject({ threads: 1, domains: 'private', totalOps: 2000, opsPerThread: [2000], violations: 0 });
    expect(r.nsPerOp).toBeGreaterThan(0);
    const L = await planRun(resolveConfig({ devices: 1, pages: 1, inflight: 4 }));
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

describe('the device loop of the benchmarks (bench/loop.ts)', () => {
  it('runs the real device loop on one thread, clean, the operations it was asked for', async () => {
    const { runDeviceLoop } = (await import(new URL('../dist/bench/loop.js', import.meta.url).href)) as typeof import('../bench/loop.js');
    const r = await runDeviceLoop({ ops: 2000 });
    expect(r).toMatchObject({ ops: 2000, violations: 0 });
    expect(r.nsPerOp).toBeGreaterThan(0);
  });
});
