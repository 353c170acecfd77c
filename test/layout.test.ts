import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/config.js';
import { BUFFER_SETS, COUNTER_STRIDE, LINE_WORDS, bufferFrame, computeLayout, countersAt, shadowAt, workerAt } from '../src/layout.js';
import { UsageError } from '../src/util/errors.js';

const regionsOf = (L: ReturnType<typeof computeLayout>): [string, number][] =>
  (
    [
      ['locks', L.locks],
      ['qnodes', L.qnodes],
      ['devices', L.deviceBase],
      ['domains', L.domainBase],
      ['bitmaps', L.bitmaps],
      ['pool', L.pool],
      ['poolNext', L.poolNext],
      ['poolCount', L.poolCount],
      ['poolMeta', L.poolMeta],
      ['tables', L.tables],
      ['tags', L.tags],
      ['workerState', L.workerState],
      ['shadows', L.shadows],
      ['counters', L.counters * 2],
    ] as [string, number][]
  );

describe('shared memory layout', () => {
  it('puts every region on a cache line, in order, inside the buffer', () => {
    const L = computeLayout(resolveConfig({ devices: 6, groupSize: 3, queues: 2, pages: 5, inflight: 3 }));
    const regions = regionsOf(L);
    for (const [, at] of regions) expect(at % LINE_WORDS).toBe(0);
    for (let i = 1; i < regions.length; i++) expect(regions[i]![1]).toBeGreaterThan(regions[i - 1]![1]);
    expect(countersAt(L, L.workers - 1) + COUNTER_STRIDE).toBeLessThanOrEqual(L.bytes / 8);
  });

  it('keeps every worker block a cache line apart', () => {
    const L = computeLayout(resolveConfig({ devices: 4 }));
    expect(workerAt(L, 1) - workerAt(L, 0)).toBeGreaterThanOrEqual(LINE_WORDS);
    expect((countersAt(L, 1) - countersAt(L, 0)) * 2).toBeGreaterThanOrEqual(LINE_WORDS * 2);
  });

  it('sizes from the configuration', () => {
    const small = computeLayout(resolveConfig({ devices: 1 }));
    const big = computeLayout(resolveConfig({ devices: 8, pages: 64, inflight: 16 }));
    expect(big.bytes).toBeGreaterThan(small.bytes);
    expect(big.totalFrames).toBe(BUFFER_SETS * 8 * 64 * 16);
    expect(big.windowPages).toBeGreaterThanOrEqual(8 * 64 * 16);
  });

  it('gives each worker buffer its own frames and each slot its own shadow', () => {
    const L = computeLayout(resolveConfig({ devices: 2, queues: 2, pages: 3, inflight: 2 }));
    const frames = new Set<number>();
    const shadows = new Set<number>();
    for (let w = 0; w < L.workers; w++) {
      for (let b = 0; b < BUFFER_SETS * L.inflight; b++) for (let i = 0; i < L.pages; i++) frames.add(bufferFrame(L, w, b) + i);
      for (let s = 0; s < L.inflight; s++) shadows.add(shadowAt(L, w, s));
    }
    expect(frames.size).toBe(L.workers * BUFFER_SETS * L.inflight * L.pages);
    expect(Math.max(...frames)).toBeLessThan(L.totalFrames);
    // Two workers' frames never share a cache line of tags.
    for (let w = 1; w < L.workers; w++) expect((bufferFrame(L, w, 0) - L.deviceFrames) % LINE_WORDS).toBe(0);
    expect(shadows.size).toBe(L.workers * L.inflight);
  });

  it('refuses a window beyond 2^26 pages', () => {
    expect(() => computeLayout(resolveConfig({ devices: 256, groupSize: 256, pages: 4096, inflight: 1024 }))).toThrow(UsageError);
  });
});
