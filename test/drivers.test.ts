/**
 * The built-in page-table drivers, one thread, through the driver interface
 * a user's driver gets: map, unmap, the hardware walk, and what each reports.
 */
import { describe, expect, it } from 'vitest';
import { fixture } from './helpers.js';
import { ENTRIES, LEAF_LEVEL, WALK_FAULT_BASE, levelIndex, levelSpan } from '../src/drivers/radix.js';
import { IOVA_CENTRE_PFN } from '../src/memory/layout.js';

describe('radix table geometry', () => {
  it('indexes a pfn level by level, the root by division', () => {
    const pfn = 3 * 2 ** 27 + 5 * 2 ** 18 + 7 * 2 ** 9 + 11;
    expect([0, 1, 2, 3].map((l) => levelIndex(pfn, l))).toEqual([3, 5, 7, 11]);
    expect([0, 1, 2, 3].map(levelSpan)).toEqual([2 ** 27, 2 ** 18, 2 ** 9, 1]);
  });
});

for (const driver of ['nolock', 'refcount', 'cmpxchg'] as const) {
  describe(`driver ${driver}`, () => {
    it('empty tables translate nothing', async () => {
      const { s } = await fixture({ driver });
      expect(s.rt.driver.walk(0, 12345)).toBe(WALK_FAULT_BASE - 0);
    });

    it('maps pages across a leaf-table boundary and translates each', async () => {
      const { s } = await fixture({ driver });
      const pfn = 7 * ENTRIES - 2;
      expect(s.rt.driver.map(0, pfn, 5, 100)).toBe(true);
      for (let i = 0; i < 5; i++) expect(s.rt.driver.walk(0, pfn + i)).toBe(100 + i);
      expect(s.rt.driver.walk(0, pfn + 5)).toBeLessThan(0);
      expect(s.rt.driver.walk(0, pfn - 1)).toBeLessThan(0);
    });

    it('maps across the level-0 boundary at IOVA 2^39', async () => {
      const { s } = await fixture({ driver });
      const pfn = IOVA_CENTRE_PFN - 1;
      s.rt.driver.map(0, pfn, 2, 40);
      expect([s.rt.driver.walk(0, pfn), s.rt.driver.walk(0, pfn + 1)]).toEqual([40, 41]);
    });

    it('partial unmap leaves the rest of the buffer mapped; remap translates to the new frames', async () => {
      const f = await fixture({ driver });
      const d = f.s.rt.driver;
      d.map(0, 2048, 8, 0);
      expect(f.unmapExpecting(0, 2050, 2, 2)).toBe(2);
      for (const i of [0, 1, 4, 5, 6, 7]) expect(d.walk(0, 2048 + i)).toBe(i);
      expect(d.walk(0, 2050)).toBe(WALK_FAULT_BASE - LEAF_LEVEL);
      d.map(0, 2050, 2, 30);
      expect([d.walk(0, 2050), d.walk(0, 2051), d.walk(0, 2052)]).toEqual([30, 31, 4]);
      expect(f.audited()).toEqual({ 'audit-stray-mapping': 8 });
    });

    it('reports an unmap of a page never mapped, and one that finds another frame', async () => {
      const f = await fixture({ driver });
      expect(f.unmapExpecting(0, 777, 1, 5)).toBe(0);
      expect(f.violations('unmap-missing')).toBe(1);
      f.s.rt.driver.map(0, 777, 1, 5);
      f.unmapExpecting(0, 777, 1, 6);
      expect(f.violations('unmap-wrong-frame')).toBe(1);
    });

    it('reports a map over a live entry', async () => {
      const f = await fixture({ driver });
      f.s.rt.driver.map(0, 777, 1, 5);
      f.s.rt.driver.map(0, 777, 1, 6);
      expect(f.violations('map-over-live')).toBe(1);
    });
  });
}

describe('table lifetimes', () => {
  it('refcount tables: unmap frees the emptied tables, as tegra-smmu does', async () => {
    const f = await fixture({ driver: 'refcount' });
    const pool = f.s.rt.pool;
    const free0 = pool.freeCount();
    f.s.rt.driver.map(0, 1000, 3, 10);
    expect(pool.freeCount()).toBe(free0 - 3);
    expect(f.unmapExpecting(0, 1000, 3, 10)).toBe(3);
    expect(pool.freeCount()).toBe(free0);
    expect(f.audited()).toEqual({});
  });

  it('cmpxchg tables: kept after the last unmap, as io-pgtable-arm keeps them', async () => {
    const f = await fixture({ driver: 'cmpxchg' });
    const pool = f.s.rt.pool;
    const free0 = pool.freeCount();
    f.s.rt.driver.map(0, 1000, 3, 10);
    f.unmapExpecting(0, 1000, 3, 10);
    expect(f.s.rt.driver.walk(0, 1000)).toBe(WALK_FAULT_BASE - LEAF_LEVEL);
    expect(pool.freeCount()).toBe(free0 - 3);
    expect(f.audited()).toEqual({});
  });

  it('refcount tables count their live entries (the audit checks each count)', async () => {
    const f = await fixture({ driver: 'refcount' });
    f.s.rt.driver.map(0, 4096, 3, 0);
    f.unmapExpecting(0, 4097, 1, 1);
    // Corrupt the leaf table's count, as a lost update under the wrong lock would.
    const m = f.s.m;
    for (let t = 1; t < f.s.L.nTables; t++) if (f.s.rt.pool.infoOf(t) === ((0 << 4) | 4)) m[f.s.rt.pool.meta(t)]! += 1;
    f.s.expectations.set(0, new Map([[4096, 0], [4098, 2]]));
    expect(f.audited()).toEqual({ 'audit-table-count': 1 });
  });
});

describe('the drivers declare their locks', () => {
  it('refcount takes the domain lock, s390 the device lock, nolock and cmpxchg none', async () => {
    const classes = async (driver: string) => (await fixture({ driver })).s.L.lockClasses.filter((c) => c.owner === 'driver').map((c) => `${c.name}/${c.per}`);
    expect(await classes('refcount')).toEqual(['pgtable/domain']);
    expect(await classes('s390')).toEqual(['device/device']);
    expect(await classes('nolock')).toEqual([]);
    expect(await classes('cmpxchg')).toEqual([]);
    expect(await classes('cmpxchg-locked')).toEqual(['pgtable/domain']);
  });
});
