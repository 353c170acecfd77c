/** The shared-memory layout, computed from a configuration and a design's declared needs. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/config.js';
import { planRun } from '../src/engine/run.js';
import { BUFFER_SETS, LINE_WORDS, LOCK_WORDS, bufferFrame, countersAt, shadowAt, workerAt } from '../src/memory/layout.js';
import { UsageError } from '../src/util/errors.js';

const plan = (c: Parameters<typeof resolveConfig>[0]) => planRun(resolveConfig(c));

describe('shared memory layout', () => {
  it('puts every region on a cache line, in order, inside the buffer', async () => {
    const L = await plan({ devices: 6, groupSize: 3, queues: 2, pages: 5, inflight: 3, allocator: 'rcache' });
    const regions: [string, number][] = [
      ['labels', L.labels],
      ['locks', L.locksBase],
      ['devices', L.deviceBase],
      ['domains', L.domainBase],
      ['driver domain', L.driverDomain],
      ['allocator domain', L.allocDomain],
      ['allocator workers', L.allocWorker],
      ['pool', L.pool],
      ['tables', L.tables],
      ['tags', L.tags],
      ['workers', L.workerState],
      ['shadows', L.shadows],
      ['traces', L.traces],
      ['sched', L.sched],
      ['counters', L.counters * 2],
    ];
    for (const [name, at] of regions) expect(at % LINE_WORDS, name).toBe(0);
    for (let i = 1; i < regions.length; i++) expect(regions[i]![1], regions[i]![0]).toBeGreaterThan(regions[i - 1]![1]);
    expect((countersAt(L, L.mainSlot) + L.counterStride) * 2).toBeLessThanOrEqual(L.bytes / 4);
  });

  it('lays a lock line per lock of each declared class, and its record line apart from it', async () => {
    const L = await plan({ devices: 4, groupSize: 2, allocator: 'rcache' });
    expect(L.lockClasses.map((c) => `${c.name}:${c.instances}`)).toEqual(['pgtable:2', 'iova:2', 'depot:2']);
    for (const c of L.lockClasses) {
      expect(c.base % LINE_WORDS).toBe(0);
      // The harness's record of a lock (clock, last holder) is on a line of its own, never the lock's.
      expect(Math.abs(c.records - c.base)).toBeGreaterThanOrEqual(c.instances * LOCK_WORDS);
    }
  });

  it('keeps every agent block a cache line apart', async () => {
    const L = await plan({ devices: 4 });
    expect(workerAt(L, 1) - workerAt(L, 0)).toBeGreaterThanOrEqual(LINE_WORDS);
    expect((countersAt(L, 1) - countersAt(L, 0)) * 2).toBeGreaterThanOrEqual(LINE_WORDS * 2);
  });

  it('gives each worker buffer its own frames and each slot its own shadow', async () => {
    const L = await plan({ devices: 2, queues: 2, pages: 3, inflight: 2 });
    const frames = new Set<number>();
    const shadows = new Set<number>();
    for (let w = 0; w < L.workers; w++) {
      for (let b = 0; b < BUFFER_SETS * L.inflight; b++) for (let i = 0; i < L.pages; i++) frames.add(bufferFrame(L, w, b) + i);
      for (let s = 0; s < L.inflight; s++) shadows.add(shadowAt(L, w, s));
    }
    expect(frames.size).toBe(L.workers * BUFFER_SETS * L.inflight * L.pages);
    expect(Math.max(...frames)).toBeLessThan(L.totalFrames);
    for (let w = 1; w < L.workers; w++) expect((bufferFrame(L, w, 0) - L.deviceFrames) % LINE_WORDS).toBe(0);
    expect(shadows.size).toBe(L.workers * L.inflight);
  });

  it('sizes the window for what the allocator caches and the flush policy keeps pending', async () => {
    const plain = await plan({ devices: 2, groupSize: 2 });
    const cached = await plan({ devices: 2, groupSize: 2, allocator: 'rcache' });
    const pending = await plan({ devices: 2, groupSize: 2, flush: 'deferred', iotlbEntries: 16 });
    expect(cached.windowPages).toBeGreaterThan(plain.windowPages);
    expect(pending.windowPages).toBeGreaterThan(plain.windowPages);
  });

  it('refuses a window beyond 2^26 pages, naming the options that make it', async () => {
    await expect(plan({ devices: 256, groupSize: 256, pages: 4096, inflight: 1024 })).rejects.toThrow(UsageError);
    await expect(plan({ devices: 256, groupSize: 256, pages: 4096, inflight: 1024 })).rejects.toThrow(/--group-size 256 x --queues 1 x --inflight 1024 x --pages 4096/);
  });
});
