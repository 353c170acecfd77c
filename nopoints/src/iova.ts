/**
 * The IOVA allocator of a domain: a bitmap over the domain's IOVA window, one
 * bit a page, searched next-fit from a cursor, as s390's
 * dma_alloc_iommu() searches zdev->iommu_bitmap from next_bit. The search
 * skips full and empty words; its cost grows with fragmentation.
 *
 * Every call must hold the domain's allocator lock (a separate lock from the
 * page-table lock): the bitmap and the cursor are read and written plainly.
 * Offsets are page offsets within the window; the IOVA pfn is
 * layout.iovaBasePfn + offset.
 */
import { type Layout, DOM_ALLOCATED, DOM_BITMAP, DOM_CURSOR, domainAt } from './layout.js';

export const NO_IOVA = -1;

export class IovaAllocator {
  private readonly window: number;

  constructor(
    private readonly m: Int32Array,
    private readonly L: Layout,
  ) {
    this.window = L.windowPages;
  }

  /** Main thread, once per domain. */
  init(domain: number): void {
    const d = domainAt(this.L, domain);
    const bm = this.L.bitmaps + domain * this.L.bitmapWords;
    this.m.fill(0, bm, bm + this.L.bitmapWords);
    this.m[d + DOM_BITMAP] = bm;
    this.m[d + DOM_CURSOR] = 0;
    this.m[d + DOM_ALLOCATED] = 0;
  }

  /** Allocate `pages` contiguous pages; the offset of the first, or NO_IOVA. */
  alloc(domain: number, pages: number): number {
    const m = this.m;
    const d = domainAt(this.L, domain);
    const bm = m[d + DOM_BITMAP]!;
    const cursor = m[d + DOM_CURSOR]!;
    let off = this.findRun(bm, cursor, this.window, pages);
    if (off === NO_IOVA) off = this.findRun(bm, 0, Math.min(this.window, cursor + pages - 1), pages);
    if (off === NO_IOVA) return NO_IOVA;
    for (let i = off; i < off + pages; i++) m[bm + (i >>> 5)] = m[bm + (i >>> 5)]! | (1 << (i & 31));
    const next = off + pages;
    m[d + DOM_CURSOR] = next >= this.window ? 0 : next;
    m[d + DOM_ALLOCATED] = m[d + DOM_ALLOCATED]! + pages;
    return off;
  }

  /**
   * Free `pages` pages at `off`. Returns how many of them were not allocated
   * (0 when correct): a double free, which the caller reports.
   */
  free(domain: number, off: number, pages: number): number {
    const m = this.m;
    const d = domainAt(this.L, domain);
    const bm = m[d + DOM_BITMAP]!;
    let missing = 0;
    for (let i = off; i < off + pages; i++) {
      const w = bm + (i >>> 5);
      const bit = 1 << (i & 31);
      if ((m[w]! & bit) === 0) missing++;
      m[w] = m[w]! & ~bit;
    }
    m[d + DOM_ALLOCATED] = m[d + DOM_ALLOCATED]! - (pages - missing);
    return missing;
  }

  /** First run of `pages` clear bits starting in [from, to) and ending by the window's end. */
  private findRun(bm: number, from: number, to: number, pages: number): number {
    const m = this.m;
    const end = this.window;
    let run = 0;
    let p = from;
    while (p < end && (run > 0 || p < to)) {
      if ((p & 31) === 0 && p + 32 <= end) {
        const w = m[bm + (p >>> 5)]!;
        if (w === 0) {
          run += 32;
          p += 32;
          if (run >= pages) return p - run;
          continue;
        }
        if (w === -1) {
          run = 0;
          p += 32;
          continue;
        }
      }
      if ((m[bm + (p >>> 5)]! & (1 << (p & 31))) !== 0) {
        run = 0;
      } else if (++run === pages) {
        return p - pages + 1;
      }
      p++;
    }
    return NO_IOVA;
  }

  /** Is page `off` allocated (for the audit). */
  isAllocated(domain: number, off: number): boolean {
    const bm = this.m[domainAt(this.L, domain) + DOM_BITMAP]!;
    return (this.m[bm + (off >>> 5)]! & (1 << (off & 31))) !== 0;
  }
}
