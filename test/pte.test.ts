import { describe, expect, it } from 'vitest';
import { ENTRIES, MAX_PFN, PROT_RW, isLeaf, isValid, levelIndex, levelSpan, mkLeafPte, mkTablePte, pteTarget, PTE_MAX_TARGET, formatIova } from '../src/pte.js';

describe('pte encoding', () => {
  it('a leaf keeps its frame and permissions', () => {
    const e = mkLeafPte(PTE_MAX_TARGET, PROT_RW);
    expect(e).toBeGreaterThan(0);
    expect(isValid(e) && isLeaf(e)).toBe(true);
    expect(pteTarget(e)).toBe(PTE_MAX_TARGET);
  });

  it('a table pointer is valid and not a leaf', () => {
    const e = mkTablePte(12345);
    expect(isValid(e)).toBe(true);
    expect(isLeaf(e)).toBe(false);
    expect(pteTarget(e)).toBe(12345);
  });

  it('the empty entry is not valid', () => {
    expect(isValid(0)).toBe(false);
  });
});

describe('level indices of a 48-bit IOVA', () => {
  it('split a pfn into four 9-bit indices, root first', () => {
    const idx = [0x1a3, 0x0f7, 0x155, 0x0aa];
    const pfn = idx[0]! * 2 ** 27 + idx[1]! * 2 ** 18 + idx[2]! * 2 ** 9 + idx[3]!;
    expect([0, 1, 2, 3].map((l) => levelIndex(pfn, l))).toEqual(idx);
  });

  it('handle the highest pfn of the 48-bit space', () => {
    expect([0, 1, 2, 3].map((l) => levelIndex(MAX_PFN - 1, l))).toEqual([511, 511, 511, 511]);
  });

  it('give each level its span', () => {
    expect([0, 1, 2, 3].map(levelSpan)).toEqual([ENTRIES ** 3, ENTRIES ** 2, ENTRIES, 1]);
  });

  it('print IOVAs as 48-bit hex', () => {
    expect(formatIova(2 ** 27)).toBe('0x008000000000');
  });
});
