/**
 * The bare twin of `npm run bench -- --only twin` runs in real worker
 * threads, does what the harness does, and its one check (a DMA lands on the
 * frame mapped) holds, and fails when the table is wrong. Nothing here
 * times anything; 2 worker threads at most.
 */
import { describe, expect, it } from 'vitest';
import { planRun } from '../src/engine/run.js';
import { resolveConfig } from '../src/config/config.js';
import { formatTwin, harnessOpsPerSec, runTwin, type TwinResult } from '../bench/twin.js';
import { TwinDevice, initTwin, leafWord, twinLayout } from '../bench/twin-worker.js';

const OPS = 3000;

describe('the twin in worker threads', () => {
  it('runs 1 worker: positive throughput, every operation one DMA onto its own frames', async () => {
    const r = await runTwin({ workers: 1, shared: false, ops: OPS });
    expect(r.ops).toBe(OPS);
    expect(r.opsPerSec).toBeGreaterThan(0);
    expect(r.dmas).toEqual([OPS]);
  });

  it('runs 2 workers sharing one domain (both locks shared): the DMA check holds throughout', async () => {
    const r = await runTwin({ workers: 2, shared: true, ops: OPS });
    expect(r.ops).toBe(2 * OPS);
    expect(r.opsPerSec).toBeGreaterThan(0);
    expect(r.workerSec).toHaveLength(2);
    expect(r.dmas).toEqual([OPS, OPS]);
  });

  it('runs 2 workers with a domain each', async () => {
    const r = await runTwin({ workers: 2, shared: false, ops: OPS });
    expect(r.dmas).toEqual([OPS, OPS]);
  });

  it('runs on the harness\'s WebAssembly atomics too, 2 workers sharing a domain: the DMA check holds', async () => {
    const r = await runTwin({ workers: 2, shared: true, ops: OPS, wasm: true });
    expect(r.dmas).toEqual([OPS, OPS]);
  });
});

describe('the twin does the harness\'s operation on the harness\'s layout', () => {
  it('sizes the IOVA window and the table pool and places the window as src/memory/layout.ts does', async () => {
    for (const [workers, shared] of [[1, false], [2, false], [2, true]] as const) {
      const L = twinLayout(workers, shared, 4);
      const H = await planRun(resolveConfig({ devices: workers, groupSize: shared ? workers : 1, pages: 1, inflight: 4 }));
      expect([L.windowPages, L.iovaBasePfn, L.nTables]).toEqual([H.windowPages, H.iovaBasePfn, H.nTables]);
    }
  });

  it('maps, walks and unmaps through all four levels, and frees every table but the root when the last page goes', () => {
    const L = twinLayout(1, false, 4);
    const sab = new SharedArrayBuffer(L.words * 4);
    initTwin(sab, L);
    const dev = new TwinDevice(sab, L, 0, 1);
    const m = new Int32Array(sab);
    const head = (): number => m[L.poolHead]! & ((1 << 20) - 1);
    // Either side of the window's centre: a boundary at every level, so two chains of three tables.
    const lo = L.iovaBasePfn + L.windowPages / 2 - 1;
    const hi = lo + 1;
    dev.map(lo, 3);
    dev.map(hi, 5);
    expect([dev.walk(lo), dev.walk(hi)]).toEqual([3, 5]);
    expect(leafWord(sab, L, 0, lo)).not.toBe(leafWord(sab, L, 0, hi));
    dev.unmap(lo);
    expect(dev.walk(lo)).toBe(-1);
    expect(dev.walk(hi)).toBe(5);
    expect(leafWord(sab, L, 0, lo)).toBe(-1); // the whole chain under the root went back to the pool
    dev.unmap(hi);
    expect(leafWord(sab, L, 0, hi)).toBe(-1);
    // Every table came back: six pops and six pushes leave every table free but table 0 (never used) and the root.
    const free = new Set<number>();
    for (let t = head(); t !== 0 && free.size < L.nTables; t = m[L.poolNext + t]!) free.add(t);
    expect(free.size).toBe(L.nTables - 2);
  });
});

describe('the twin\'s DMA check', () => {
  const setup = (): { sab: SharedArrayBuffer; m: Int32Array; dev: TwinDevice; pfn: number; leaf: number } => {
    const L = twinLayout(1, false, 4);
    const sab = new SharedArrayBuffer(L.words * 4);
    initTwin(sab, L);
    const dev = new TwinDevice(sab, L, 0, 1);
    const pfn = L.iovaBasePfn + 7;
    dev.map(pfn, 2);
    return { sab, m: new Int32Array(sab), dev, pfn, leaf: leafWord(sab, L, 0, pfn) };
  };

  it('passes a DMA that lands on the frame mapped', () => {
    const { dev, pfn } = setup();
    expect(() => dev.dma(pfn, 2)).not.toThrow();
  });

  it('throws when the leaf entry points at another frame', () => {
    const { m, dev, pfn, leaf } = setup();
    m[leaf] = m[leaf]! + (1 << 4); // the same entry, one frame further
    expect(() => dev.dma(pfn, 2)).toThrow(/landed on frame 3, mapped to frame 2/);
  });

  it('throws when the leaf entry is gone (the walk faults)', () => {
    const { m, dev, pfn, leaf } = setup();
    m[leaf] = 0;
    expect(() => dev.dma(pfn, 2)).toThrow(/faulted, mapped to frame 2/);
  });
});

describe('the harness side of the twin section', () => {
  it('harnessOpsPerSec runs the harness on the twin\'s configuration', async () => {
    expect(await harnessOpsPerSec(2, 2, 2000)).toBeGreaterThan(0);
  });
});

describe('the twin section\'s verdicts', () => {
  const result = (oneRatio: number, quotient: number): TwinResult => ({
    ops: 1000,
    reps: 1,
    rows: ['1 worker', '2 private', '2 shared', '1 worker, twin on WebAssembly atomics'].map((label) => ({ label, twin: [4e6], harness: [4e6 * oneRatio], ratio: [oneRatio] })),
    twinSharing: [0.8],
    harnessSharing: [0.8 * quotient],
    quotient: [quotient],
    ratioTarget: 0.5,
    tolerance: 1.25,
    ratioPass: oneRatio >= 0.5,
    sharingPass: quotient <= 1.25 && quotient >= 0.8,
  });

  it('prints PASS and FAIL lines against the targets', () => {
    const bad = formatTwin(result(0.12, 1.4));
    expect(bad).toMatch(/harness\/twin at 1 worker: 0\.12 against a target of >= 0\.5: FAIL/);
    expect(bad).toMatch(/like for like \(the twin on WebAssembly atomics too\): 0\.12/);
    expect(bad).toMatch(/sharing cost, harness against twin \(median quotient\): 1\.40 .*: FAIL/);
    const good = formatTwin(result(0.6, 1.1));
    expect(good).toMatch(/1 worker: 0\.60 .*: PASS/);
    expect(good).toMatch(/sharing cost.*: PASS/);
  });
});
