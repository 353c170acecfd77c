/**
 * bitmap: the IOVA allocator of a domain as a bitmap over the domain's IOVA
 * window, one bit a page, searched next-fit from a cursor, as s390's
 * dma_alloc_iommu() searches zdev->iommu_bitmap from next_bit. The search
 * skips full and empty words; its cost grows with fragmentation. Every call
 * takes the domain's allocator lock; under it the bitmap and the cursor are
 * read and written plainly (one schedule point a call: what a search reads
 * under its own lock is nobody else's business).
 *
 * It is also the global allocator behind rcache's magazines (rcache.ts
 * calls its `create` on the bitmap at the start of its own domain state).
 */
import { defineAllocator } from '../api/define.js';
import { LINE_WORDS } from '../memory/layout.js';

/** The domain's state: a header line (cursor, pages allocated), then the bitmap. */
const CURSOR = 0;
const ALLOCATED = 1;
export const BITMAP_HDR = LINE_WORDS;
export const bitmapWords = (windowPages: number): number => BITMAP_HDR + Math.ceil(windowPages / 32);

/** First run of `pages` clear bits starting in [from, to) and ending by the window's end; -1 if none. */
function findRun(m: Int32Array, bm: number, window: number, from: number, to: number, pages: number): number {
  let run = 0;
  let p = from;
  while (p < window && (run > 0 || p < to)) {
    if ((p & 31) === 0 && p + 32 <= window) {
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
    if ((m[bm + (p >>> 5)]! & (1 << (p & 31))) !== 0) run = 0;
    else if (++run === pages) return p - pages + 1;
    p++;
  }
  return -1;
}

/** Allocate `pages` contiguous pages next-fit; the offset of the first, or -1. Caller holds the lock. */
function bitmapAlloc(m: Int32Array, st: number, window: number, pages: number): number {
  const bm = st + BITMAP_HDR;
  const cursor = m[st + CURSOR]!;
  let off = findRun(m, bm, window, cursor, window, pages);
  if (off < 0) off = findRun(m, bm, window, 0, Math.min(window, cursor + pages - 1), pages);
  if (off < 0) return -1;
  for (let i = off; i < off + pages; i++) m[bm + (i >>> 5)] = m[bm + (i >>> 5)]! | (1 << (i & 31));
  const next = off + pages;
  m[st + CURSOR] = next >= window ? 0 : next;
  m[st + ALLOCATED] = m[st + ALLOCATED]! + pages;
  return off;
}

/** Free `pages` pages at `off`; returns how many of them were not allocated (a double free). Caller holds the lock. */
function bitmapFree(m: Int32Array, st: number, off: number, pages: number): number {
  const bm = st + BITMAP_HDR;
  let missing = 0;
  for (let i = off; i < off + pages; i++) {
    const w = bm + (i >>> 5);
    const bit = 1 << (i & 31);
    if ((m[w]! & bit) === 0) missing++;
    m[w] = m[w]! & ~bit;
  }
  m[st + ALLOCATED] = m[st + ALLOCATED]! - (pages - missing);
  return missing;
}

export const bitmapIsAllocated = (m: Int32Array, st: number, off: number): boolean => (m[st + BITMAP_HDR + (off >>> 5)]! & (1 << (off & 31))) !== 0;

export const bitmap = defineAllocator({
  name: 'bitmap',
  summary: 'a bitmap over the IOVA window searched next-fit, behind one lock a domain (s390 iommu_bitmap)',
  source: 'arch/s390/pci/pci_dma.c dma_alloc_iommu()',
  domainWords: (s) => bitmapWords(s.windowPages),
  locks: { iova: { per: 'domain', kernelName: '&iovad->iova_rbtree_lock' } },
  initDomain(ctx, domain) {
    const st = ctx.domainState(domain);
    ctx.mem.words.fill(0, st, st + bitmapWords(ctx.windowPages));
  },
  create(ctx) {
    const mem = ctx.mem;
    const m = mem.words;
    const lc = ctx.locks.iova!;
    const window = ctx.windowPages;
    const words = bitmapWords(window);
    return {
      alloc(domain, pages) {
        const l = lc.of(domain);
        lc.acquire(l);
        // The search and the claim read and write the bitmap through mem.words: one bulk step, under the lock.
        mem.bulk(ctx.domainState(domain), words, 'write', 'iova-alloc');
        const off = bitmapAlloc(m, ctx.domainState(domain), window, pages);
        lc.release(l);
        return off;
      },
      free(domain, off, pages) {
        const l = lc.of(domain);
        lc.acquire(l);
        mem.bulk(ctx.domainState(domain), words, 'write', 'iova-free');
        const missing = bitmapFree(m, ctx.domainState(domain), off, pages);
        lc.release(l);
        if (missing !== 0) ctx.report('iova-double-free', domain, -1, -1, pages, missing);
      },
    };
  },
  audit(ctx, domain) {
    const st = ctx.domainState(domain);
    for (let off = 0; off < ctx.windowPages; off++) if (bitmapIsAllocated(ctx.mem.words, st, off)) ctx.allocated(off, 1);
  },
});
