/**
 * The bounce pool of the paravirtual IOMMU (pv-bounce, after Joerg Roedel's
 * 2008 proposal): a contiguous pool of guest memory mapped for DMA once, at
 * start; a streaming map takes a pool slot and copies the buffer's bytes
 * into it, an unmap copies them back and frees the slot, as swiotlb does.
 * The slot allocator is a bitmap searched next-fit, behind the pool lock.
 */
import { type Layout, BP_CURSOR, BP_HDR_WORDS, BP_USED } from './layout.js';

export const NO_SLOT = -1;

export class BouncePool {
  private readonly bits: number;

  constructor(
    private readonly m: Int32Array,
    private readonly L: Layout,
  ) {
    this.bits = L.bounce + BP_HDR_WORDS;
  }

  /** A free slot, or NO_SLOT. Caller holds the pool lock. */
  alloc(): number {
    const m = this.m;
    const n = this.L.bounceSlots;
    const start = m[this.L.bounce + BP_CURSOR]!;
    for (let i = 0; i < n; i++) {
      const s = (start + i) % n;
      const w = this.bits + (s >>> 5);
      const bit = 1 << (s & 31);
      if ((m[w]! & bit) === 0) {
        m[w] = m[w]! | bit;
        m[this.L.bounce + BP_CURSOR] = (s + 1) % n;
        m[this.L.bounce + BP_USED] = m[this.L.bounce + BP_USED]! + 1;
        return s;
      }
    }
    return NO_SLOT;
  }

  /** Free a slot; false if it was not allocated. Caller holds the pool lock. */
  free(s: number): boolean {
    const m = this.m;
    const w = this.bits + (s >>> 5);
    const bit = 1 << (s & 31);
    const was = (m[w]! & bit) !== 0;
    m[w] = m[w]! & ~bit;
    if (was) m[this.L.bounce + BP_USED] = m[this.L.bounce + BP_USED]! - 1;
    return was;
  }

  used(): number {
    return this.m[this.L.bounce + BP_USED]!;
  }
}
