import { describe, expect, it } from 'vitest';
import { fixture } from './helpers.js';
import { NO_IOVA } from '../src/iova.js';

describe('IOVA allocator (bitmap, next fit)', () => {
  it('hands out disjoint ranges', () => {
    const { iova } = fixture({ pages: 4 });
    const a = iova.alloc(0, 4);
    const b = iova.alloc(0, 4);
    expect(a).not.toBe(NO_IOVA);
    expect(Math.abs(a - b)).toBeGreaterThanOrEqual(4);
  });

  it('moves its cursor on: a freed range is not reused at once', () => {
    const { iova } = fixture();
    const a = iova.alloc(0, 1);
    iova.free(0, a, 1);
    expect(iova.alloc(0, 1)).toBe(a + 1);
  });

  it('wraps to the start of the window when the end is taken', () => {
    const { iova, sh } = fixture();
    const window = sh.L.windowPages;
    const first = iova.alloc(0, 1);
    expect(iova.alloc(0, window - 2)).toBe(first + 1);
    iova.free(0, first, 1);
    // Only the last page and page 0 are free: a 1-page range fits at the end, then at 0.
    expect(iova.alloc(0, 1)).toBe(window - 1);
    expect(iova.alloc(0, 1)).toBe(0);
    expect(iova.alloc(0, 1)).toBe(NO_IOVA);
  });

  it('finds a run that fits in a fragmented window', () => {
    const { iova } = fixture();
    const offs = Array.from({ length: 40 }, () => iova.alloc(0, 1));
    for (const o of offs.filter((_, i) => i % 2 === 0)) iova.free(0, o, 1);
    iova.free(0, offs[21]!, 1); // pages 20..22 now free together
    const got = iova.alloc(0, 3);
    expect(got).toBeGreaterThanOrEqual(40); // next fit: searches on from the cursor first
    for (let i = 0; i < 3; i++) expect(iova.isAllocated(0, got + i)).toBe(true);
  });

  it('reports how many pages of a freed range were not allocated', () => {
    const { iova } = fixture();
    const a = iova.alloc(0, 2);
    expect(iova.free(0, a, 2)).toBe(0);
    expect(iova.free(0, a, 2)).toBe(2);
  });
});
