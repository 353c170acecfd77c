/**
 * The IOTLB: a small per-device translation cache in shared memory that a
 * DMA consults before walking the table, and its invalidation.
 *
 * An entry is direct-mapped by IOVA page and tagged by domain, guarded by a
 * sequence word (a seqlock per entry): readers retry nothing, they treat a
 * torn read as a miss; fills are best effort (a lost fill is a later miss);
 * invalidations are never dropped.
 *
 * Strict mode invalidates an unmapped range under the page-table lock and
 * waits for it (--iotlb-ns a command, busy-waited). Deferred mode queues the
 * range on the worker's flush queue and flushes the whole domain when the
 * queue fills or the flush-queue timer ticks (Linux iova flush queues).
 */
import { performance } from 'node:perf_hooks';
import { type Layout, TLB_DOMAIN, TLB_FRAME, TLB_OFF, TLB_SEQ, TLB_WORDS, iotlbAt } from './layout.js';
import { P_TLB_FILL, P_TLB_INVAL, P_TLB_LOOKUP, SCHED } from './sched.js';

/** Busy-wait `ns` nanoseconds (0: free). Allocates nothing. */
export function busyWaitNs(ns: number): void {
  if (ns <= 0) return;
  const until = performance.now() + ns / 1e6;
  while (performance.now() < until) {
    /* spin on the clock */
  }
}

export const TLB_MISS = -1;

export class Iotlb {
  private readonly mask: number;
  private readonly base: number;

  constructor(
    private readonly m: Int32Array,
    L: Layout,
    device: number,
  ) {
    this.mask = L.iotlbEntries - 1;
    this.base = L.iotlbEntries > 0 ? iotlbAt(L, device, 0) : 0;
  }

  /** The cached frame of (domain, page offset), or TLB_MISS. */
  lookup(domain: number, off: number): number {
    const m = this.m;
    const e = this.base + (off & this.mask) * TLB_WORDS;
    if (SCHED.on) SCHED.point(P_TLB_LOOKUP, off);
    const s = Atomics.load(m, e + TLB_SEQ);
    if ((s & 1) !== 0) return TLB_MISS;
    const d = m[e + TLB_DOMAIN]!;
    const o = m[e + TLB_OFF]!;
    const f = m[e + TLB_FRAME]!;
    if (Atomics.load(m, e + TLB_SEQ) !== s) return TLB_MISS;
    return d === domain + 1 && o === off ? f : TLB_MISS;
  }

  /** Cache a translation; skipped if another writer holds the entry. */
  fill(domain: number, off: number, frame: number): void {
    const m = this.m;
    const e = this.base + (off & this.mask) * TLB_WORDS;
    if (SCHED.on) SCHED.point(P_TLB_FILL, off);
    const s = Atomics.load(m, e + TLB_SEQ);
    if ((s & 1) !== 0 || Atomics.compareExchange(m, e + TLB_SEQ, s, s + 1) !== s) return;
    m[e + TLB_DOMAIN] = domain + 1;
    m[e + TLB_OFF] = off;
    m[e + TLB_FRAME] = frame;
    Atomics.store(m, e + TLB_SEQ, s + 2);
  }
}

/** Invalidate entry `e` if `match` says so; waits out a concurrent fill, never gives up. */
function invalidateEntry(m: Int32Array, e: number, domain: number, off: number): void {
  for (;;) {
    const s = Atomics.load(m, e + TLB_SEQ);
    if ((s & 1) !== 0) continue;
    if (Atomics.compareExchange(m, e + TLB_SEQ, s, s + 1) !== s) continue;
    if (m[e + TLB_DOMAIN] === domain + 1 && (off < 0 || m[e + TLB_OFF] === off)) m[e + TLB_DOMAIN] = 0;
    Atomics.store(m, e + TLB_SEQ, s + 2);
    return;
  }
}

/** Invalidate (domain, pages at off) in every device's IOTLB: one range invalidation command. */
export function invalidateRange(m: Int32Array, L: Layout, domain: number, off: number, pages: number): void {
  if (L.iotlbEntries === 0) return;
  const mask = L.iotlbEntries - 1;
  if (SCHED.on) SCHED.point(P_TLB_INVAL, off);
  for (let dev = 0; dev < L.devices; dev++) {
    const base = iotlbAt(L, dev, 0);
    for (let i = 0; i < pages && i <= mask; i++) invalidateEntry(m, base + ((off + i) & mask) * TLB_WORDS, domain, -1);
  }
}

/** Invalidate every entry of `domain` in every device (flush_iotlb_all). */
export function invalidateDomain(m: Int32Array, L: Layout, domain: number): void {
  if (SCHED.on) SCHED.point(P_TLB_INVAL, -1 - domain);
  for (let dev = 0; dev < L.devices; dev++) {
    const base = iotlbAt(L, dev, 0);
    for (let i = 0; i < L.iotlbEntries; i++) {
      const e = base + i * TLB_WORDS;
      if (m[e + TLB_DOMAIN] === domain + 1) invalidateEntry(m, e, domain, -1);
    }
  }
}

/** Invalidate every entry of one device (its domain changed). */
export function invalidateDevice(m: Int32Array, L: Layout, device: number): void {
  if (SCHED.on) SCHED.point(P_TLB_INVAL, -100 - device);
  const base = iotlbAt(L, device, 0);
  for (let i = 0; i < L.iotlbEntries; i++) {
    const e = base + i * TLB_WORDS;
    const d = m[e + TLB_DOMAIN]!;
    if (d !== 0) invalidateEntry(m, e, d - 1, -1);
  }
}
