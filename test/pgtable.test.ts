import { describe, expect, it } from 'vitest';
import { fixture } from './helpers.js';
import { ENTRIES, PTE_SHIFT, WALK_FAULT_BASE } from '../src/pte.js';
import { V_MAP_OVER_LIVE, V_UNMAP_MISSING, V_UNMAP_WRONG } from '../src/checker.js';
import { COUNT_STRIDE, IOVA_CENTRE_PFN } from '../src/layout.js';

const frameOf = (pte: number): number => pte >>> PTE_SHIFT;

describe('page table (refcount style)', () => {
  it('empty tables translate nothing', () => {
    const { pt, root } = fixture();
    expect(pt.walk(root, 12345)).toBe(WALK_FAULT_BASE - 0);
  });

  it('maps pages across a leaf-table boundary and translates each', () => {
    const { pt, root } = fixture();
    const pfn = 7 * ENTRIES - 2;
    expect(pt.map(root, pfn, 5, 100)).toBe(true);
    for (let i = 0; i < 5; i++) expect(frameOf(pt.walk(root, pfn + i))).toBe(100 + i);
    expect(pt.walk(root, pfn + 5)).toBeLessThan(0);
    expect(pt.walk(root, pfn - 1)).toBeLessThan(0);
  });

  it('maps across the level-0 boundary at IOVA 2^39', () => {
    const { pt, root } = fixture();
    const pfn = IOVA_CENTRE_PFN - 1;
    pt.map(root, pfn, 2, 40);
    expect(frameOf(pt.walk(root, pfn))).toBe(40);
    expect(frameOf(pt.walk(root, pfn + 1))).toBe(41);
  });

  it('unmap removes the translation and frees the emptied tables', () => {
    const { pt, root, sh } = fixture();
    const free0 = pt.pool.freeCount();
    pt.map(root, 1000, 3, 10);
    expect(pt.pool.freeCount()).toBe(free0 - 3);
    expect(pt.unmap(root, 1000, 3, 10)).toBe(3);
    expect(pt.walk(root, 1000)).toBeLessThan(0);
    expect(pt.pool.freeCount()).toBe(free0);
    expect(sh.m[sh.L.tables + root * ENTRIES]).toBe(0);
  });

  it('partial unmap leaves the rest of the buffer mapped', () => {
    const { pt, root } = fixture();
    pt.map(root, 2048, 8, 0);
    expect(pt.unmap(root, 2050, 2, 2)).toBe(2);
    for (const i of [0, 1, 4, 5, 6, 7]) expect(frameOf(pt.walk(root, 2048 + i))).toBe(i);
    expect(pt.walk(root, 2050)).toBe(WALK_FAULT_BASE - 3);
  });

  it('remap after partial unmap translates to the new frames', () => {
    const { pt, root } = fixture();
    pt.map(root, 2048, 8, 0);
    pt.unmap(root, 2050, 2, 2);
    pt.map(root, 2050, 2, 30);
    expect(frameOf(pt.walk(root, 2050))).toBe(30);
    expect(frameOf(pt.walk(root, 2051))).toBe(31);
    expect(frameOf(pt.walk(root, 2052))).toBe(4);
  });

  it('counts live entries per table', () => {
    const { pt, root, sh } = fixture();
    pt.map(root, 4096, 3, 0);
    pt.unmap(root, 4097, 1, 1);
    let t = root;
    for (let level = 0; level < 3; level++) {
      t = sh.m[sh.L.tables + t * ENTRIES + [0, 0, 8][level]!]! >>> PTE_SHIFT;
    }
    expect(sh.m[sh.L.poolCount + t * COUNT_STRIDE]).toBe(2);
  });

  it('reports an unmap of a page never mapped', () => {
    const f = fixture();
    expect(f.pt.unmap(f.root, 777, 1, 5)).toBe(0);
    expect(f.violations(V_UNMAP_MISSING)).toBe(1);
  });

  it('reports an unmap that finds another frame', () => {
    const f = fixture();
    f.pt.map(f.root, 777, 1, 5);
    f.pt.unmap(f.root, 777, 1, 6);
    expect(f.violations(V_UNMAP_WRONG)).toBe(1);
  });

  it('reports a map over a live entry', () => {
    const f = fixture();
    f.pt.map(f.root, 777, 1, 5);
    f.pt.map(f.root, 777, 1, 6);
    expect(f.violations(V_MAP_OVER_LIVE)).toBe(1);
  });
});

describe('page table (cmpxchg style)', () => {
  it('keeps its tables after the last unmap, as io-pgtable-arm does', () => {
    const { pt, root } = fixture({ tableStyle: 'cmpxchg' });
    const free0 = pt.pool.freeCount();
    pt.map(root, 1000, 3, 10);
    pt.unmap(root, 1000, 3, 10);
    expect(pt.walk(root, 1000)).toBe(WALK_FAULT_BASE - 3);
    expect(pt.pool.freeCount()).toBe(free0 - 3);
  });

  it('maps and translates like the refcount style', () => {
    const { pt, root } = fixture({ tableStyle: 'cmpxchg' });
    pt.map(root, 511, 2, 9);
    expect(frameOf(pt.walk(root, 511))).toBe(9);
    expect(frameOf(pt.walk(root, 512))).toBe(10);
  });
});
