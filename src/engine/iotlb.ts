/**
 * The IOTLB: a small per-device translation cache in shared memory that a
 * DMA consults before walking the table, and its invalidation. It is the
 * engine's (hardware), not the design's: the flush policy decides *when* to
 * invalidate, this file how.
 *
 * An entry is direct-mapped by IOVA page and tagged by the table owner
 * domain, guarded by a sequence word (a seqlock per entry): readers retry
 * nothing, they treat a torn read as a miss; fills are best effort (a lost
 * fill is a later miss); invalidations are never dropped. Each operation is
 * one schedule point.
 */
import { performance } from 'node:perf_hooks';
import type { Mem } from '../api/types.js';
import { type Layout, TLB_FRAME, TLB_OFF, TLB_SEQ, TLB_TAG, TLB_WORDS, iotlbAt } from '../memory/layout.js';

/** Busy-wait `ns` nanoseconds (0: free). Allocates nothing. */
export function busyWaitNs(ns: number): void {
  if (ns <= 0) return;
  const until = performance.now() + ns / 1e6;
  while (performance.now() < until) {
    /* spin on the clock */
  }
}

export const TLB_MISS = -1;

/** One device's IOTLB. */
export class Iotlb {
  private readonly mask: number;
  private readonly base: number;
  private readonly m: Int32Array;

  constructor(
    private readonly mem: Mem,
    L: Layout,
    device: number,
  ) {
    this.m = mem.words;
    this.mask = L.iotlbEntries - 1;
    this.base = L.iotlbEntries > 0 && device >= 0 ? iotlbAt(L, device, 0) : 0;
  }

  /** The cached frame of (tag, page offset), or TLB_MISS (always, when the run has no IOTLB). */
  lookup(tag: number, off: number): number {
    if (this.mask < 0) return TLB_MISS;
    const m = this.m;
    const e = this.base + (off & this.mask) * TLB_WORDS;
    this.mem.bulk(e, TLB_WORDS, 'read', 'iotlb-lookup');
    const s = Atomics.load(m, e + TLB_SEQ);
    if ((s & 1) !== 0) return TLB_MISS;
    const d = m[e + TLB_TAG]!;
    const o = m[e + TLB_OFF]!;
    const f = m[e + TLB_FRAME]!;
    if (Atomics.load(m, e + TLB_SEQ) !== s) return TLB_MISS;
    return d === tag + 1 && o === off ? f : TLB_MISS;
  }

  /** Cache a translation; skipped if another writer holds the entry (or there is no IOTLB). */
  fill(tag: number, off: number, frame: number): void {
    if (this.mask < 0) return;
    const m = this.m;
    const e = this.base + (off & this.mask) * TLB_WORDS;
    this.mem.bulk(e, TLB_WORDS, 'write', 'iotlb-fill');
    const s = Atomics.load(m, e + TLB_SEQ);
    if ((s & 1) !== 0 || Atomics.compareExchange(m, e + TLB_SEQ, s, s + 1) !== s) return;
    m[e + TLB_TAG] = tag + 1;
    m[e + TLB_OFF] = off;
    m[e + TLB_FRAME] = frame;
    Atomics.store(m, e + TLB_SEQ, s + 2);
  }
}

/** Invalidate entry `e` if it holds `tag`; waits out a concurrent fill, never gives up. */
function invalidateEntry(m: Int32Array, e: number, tag: number): void {
  for (;;) {
    const s = Atomics.load(m, e + TLB_SEQ);
    if ((s & 1) !== 0) continue;
    if (Atomics.compareExchange(m, e + TLB_SEQ, s, s + 1) !== s) continue;
    if (tag < 0 || m[e + TLB_TAG] === tag + 1) m[e + TLB_TAG] = 0;
    Atomics.store(m, e + TLB_SEQ, s + 2);
    return;
  }
}

/** Invalidations every device's IOTLB takes: a range, a whole domain, a whole device. */
export class IotlbInvalidator {
  private readonly m: Int32Array;
  /** IOTLB entries a device (0: none, and every invalidation is nothing). */
  private readonly entries: number;
  constructor(
    private readonly mem: Mem,
    private readonly L: Layout,
  ) {
    this.m = mem.words;
    this.entries = L.iotlbEntries;
  }

  /** Invalidate (tag, pages at off) in every device's IOTLB: one range invalidation command. */
  range(tag: number, off: number, pages: number): void {
    if (this.entries === 0) return;
    const L = this.L;
    const mask = L.iotlbEntries - 1;
    // The entries of every device it may touch: all of them (a range wraps around each IOTLB).
    this.mem.bulk(L.iotlbs, L.devices * L.iotlbEntries * TLB_WORDS, 'write', 'iotlb-inval');
    for (let dev = 0; dev < L.devices; dev++) {
      const base = iotlbAt(L, dev, 0);
      for (let i = 0; i < pages && i <= mask; i++) invalidateEntry(this.m, base + ((off + i) & mask) * TLB_WORDS, tag);
    }
  }

  /** Invalidate every entry of `tag` in every device (flush_iotlb_all). */
  all(tag: number): void {
    const L = this.L;
    if (L.iotlbEntries === 0) return;
    this.mem.bulk(L.iotlbs, L.devices * L.iotlbEntries * TLB_WORDS, 'write', 'iotlb-inval');
    for (let dev = 0; dev < L.devices; dev++) {
      const base = iotlbAt(L, dev, 0);
      for (let i = 0; i < L.iotlbEntries; i++) {
        const e = base + i * TLB_WORDS;
        if (this.m[e + TLB_TAG] === tag + 1) invalidateEntry(this.m, e, tag);
      }
    }
  }

  /** Invalidate every entry of one device (its domain changed). */
  device(device: number): void {
    const L = this.L;
    if (L.iotlbEntries === 0) return;
    const base = iotlbAt(L, device, 0);
    this.mem.bulk(base, L.iotlbEntries * TLB_WORDS, 'write', 'iotlb-inval');
    for (let i = 0; i < L.iotlbEntries; i++) {
      const e = base + i * TLB_WORDS;
      if (this.m[e + TLB_TAG] !== 0) invalidateEntry(this.m, e, -1);
    }
  }
}
