/** The built-in IOVA allocators, one thread, through the allocator interface. */
import { describe, expect, it } from 'vitest';
import { LS_ACQ, LS_FIELDS } from '../src/memory/layout.js';
import { fixture } from './helpers.js';

describe('allocator bitmap (next fit)', () => {
  it('hands out disjoint ranges', async () => {
    const { s } = await fixture({ pages: 4 });
    const a = s.rt.allocator.alloc(0, 4);
    const b = s.rt.allocator.alloc(0, 4);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(Math.abs(a - b)).toBeGreaterThanOrEqual(4);
  });

  it('moves its cursor on: a freed range is not reused at once', async () => {
    const { s } = await fixture();
    const a = s.rt.allocator.alloc(0, 1);
    s.rt.allocator.free(0, a, 1);
    expect(s.rt.allocator.alloc(0, 1)).toBe(a + 1);
  });

  it('wraps to the start of the window when the end is taken, and says when nothing is left', async () => {
    const { s } = await fixture();
    const a = s.rt.allocator;
    const window = s.L.windowPages;
    const first = a.alloc(0, 1);
    expect(a.alloc(0, window - 2)).toBe(first + 1);
    a.free(0, first, 1);
    expect(a.alloc(0, 1)).toBe(window - 1);
    expect(a.alloc(0, 1)).toBe(0);
    expect(a.alloc(0, 1)).toBe(-1);
  });

  it('reports a double free', async () => {
    const f = await fixture();
    const a = f.s.rt.allocator.alloc(0, 2);
    f.s.rt.allocator.free(0, a, 2);
    expect(f.violations('iova-double-free')).toBe(0);
    f.s.rt.allocator.free(0, a, 2);
    expect(f.violations('iova-double-free')).toBe(1);
  });

  it('takes its lock for every call (the lock_stat class iova)', async () => {
    const { s } = await fixture({ stats: 'on' });
    s.rt.allocator.alloc(0, 1);
    s.rt.allocator.alloc(0, 1);
    const iova = s.L.lockClasses.find((c) => c.name === 'iova')!;
    const k = s.L.lockClasses.indexOf(iova);
    const at = s.rt.core.cb + s.L.cLockstat + k * LS_FIELDS + LS_ACQ;
    // Counted in the worker, written to shared memory when the agent flushes (every 256 operations, and at the end of a run).
    expect(new Float64Array(s.sab)[at]).toBe(0);
    s.rt.core.flushLocks();
    expect(new Float64Array(s.sab)[at]).toBe(2);
  });
});

describe('allocator rcache (magazines and depot)', () => {
  it('hands a freed range straight back from the magazine (what makes an early free dangerous)', async () => {
    const { s } = await fixture({ allocator: 'rcache' });
    const a = s.rt.allocator.alloc(0, 1);
    s.rt.allocator.alloc(0, 1);
    s.rt.allocator.free(0, a, 1);
    expect(s.rt.allocator.alloc(0, 1)).toBe(a);
  });

  it('rounds cached sizes up to a power of two, and the audit counts cached ranges as no leak', async () => {
    const f = await fixture({ allocator: 'rcache', pages: 3 });
    const a = f.s.rt.allocator.alloc(0, 3);
    const b = f.s.rt.allocator.alloc(0, 3);
    expect(Math.abs(b - a)).toBeGreaterThanOrEqual(4);
    f.s.rt.allocator.free(0, a, 3);
    f.s.rt.allocator.free(0, b, 3);
    expect(f.audited()).toEqual({});
  });
});
