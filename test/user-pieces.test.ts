/**
 * An IOVA allocator and an IOTLB flush policy of a user's own
 * (test/fixtures/stack-allocator.mjs, flush-all.mjs), through the public API
 * as a user's test would run them: on real workers the correct ones run
 * clean and audit clean, and the broken ones are caught, the allocator's
 * race by the controlled scheduler.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { explore, run } from '../src/api/index.js';

const fx = (p: string): string => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));

describe("a user's IOVA allocator (a free-page stack)", () => {
  it('two devices of one domain run clean through it; its lock class is reported by its kernel name; its audit counts the live IOVAs', async () => {
    const r = await run({ allocator: fx('stack-allocator.mjs'), devices: 2, groupSize: 2, durationSec: 0.3 });
    expect(r.status).toBe('clean');
    expect(r.design.allocator.name).toBe('stack');
    const cls = r.locks.find((l) => l.class === 'stack');
    expect(cls?.kernelName).toBe('&dom->iova_stack_lock');
    expect(cls!.acquisitions).toBeGreaterThan(1000);
    expect(r.audit.done).toBe(true);
    // Two devices, 4 buffers in flight each, 1 page a buffer: what the allocator's audit says is allocated.
    expect(r.audit.iovaPagesAllocated).toBe(8);
  });

  it('its lockless pop is found by explore (two devices get one IOVA), and the locked pop is clean over 300 schedules', async () => {
    const found = await explore(fx('stack-race.mjs'), { runs: 300 });
    expect(found.found, `not found in ${found.tried} schedules`).not.toBeNull();
    expect(found.found!.class).toBe('forbidden');
    // Both devices were handed one IOVA before either mapped it.
    const allocs = found.found!.result.timeline.filter((e) => e.event === 'alloc');
    const twice = allocs.find((a) => allocs.some((b) => b.worker !== a.worker && b.arg === a.arg));
    expect(twice, JSON.stringify(allocs)).toBeDefined();
    const fixed = await explore(fx('stack-race.mjs'), { correct: true, runs: 300 });
    expect(fixed.found).toBeNull();
    expect(Object.keys(fixed.histogram)).toEqual(['clean']);
  }, 60_000);
});

describe("a user's IOTLB flush policy", () => {
  it('flush-all invalidates on every unmap: clean, its flushes counted; it does not defer', async () => {
    const r = await run({ flush: fx('flush-all.mjs'), iotlbEntries: 64, devices: 2, durationSec: 0.3 });
    expect(r.status).toBe('clean');
    expect(r.design.flush).toMatchObject({ name: 'flush-all', defers: false });
    expect(r.iotlb!.flushes).toBe(r.totals.ops - 8);
  });

  it('a policy that never invalidates and frees the IOVA is caught: the IOVA still translates after unmap', async () => {
    const r = await run({ flush: `${fx('flush-all.mjs')}#noFlush`, iotlbEntries: 64, devices: 1, durationSec: 0.2 });
    expect(r.status).toBe('violations');
    expect(r.violations.byInvariant['dma-after-unmap']).toBeGreaterThan(0);
  });
});
