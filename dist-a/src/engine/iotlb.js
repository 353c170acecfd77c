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
import { TLB_FRAME, TLB_OFF, TLB_SEQ, TLB_TAG, TLB_WORDS, iotlbAt } from '../memory/layout.js';
/** Busy-wait `ns` nanoseconds (0: free). Allocates nothing. */
export function busyWaitNs(ns) {
    if (ns <= 0)
        return;
    const until = performance.now() + ns / 1e6;
    while (performance.now() < until) {
        /* spin on the clock */
    }
}
export const TLB_MISS = -1;
/** One device's IOTLB. */
export class Iotlb {
    mem;
    mask;
    base;
    m;
    constructor(mem, L, device) {
        this.mem = mem;
        this.m = mem.words;
        this.mask = L.iotlbEntries - 1;
        this.base = L.iotlbEntries > 0 && device >= 0 ? iotlbAt(L, device, 0) : 0;
    }
    /** The cached frame of (tag, page offset), or TLB_MISS (always, when the run has no IOTLB). */
    lookup(tag, off) {
        if (this.mask < 0)
            return (-1 /* TLB_MISS */);
        const m = this.m;
        const e = this.base + (off & this.mask) * (4 /* TLB_WORDS */);
        this.mem.point('iotlb-lookup', off);
        const s = Atomics.load(m, e + (0 /* TLB_SEQ */));
        if ((s & 1) !== 0)
            return (-1 /* TLB_MISS */);
        const d = m[e + (1 /* TLB_TAG */)];
        const o = m[e + (2 /* TLB_OFF */)];
        const f = m[e + (3 /* TLB_FRAME */)];
        if (Atomics.load(m, e + (0 /* TLB_SEQ */)) !== s)
            return (-1 /* TLB_MISS */);
        return d === tag + 1 && o === off ? f : (-1 /* TLB_MISS */);
    }
    /** Cache a translation; skipped if another writer holds the entry (or there is no IOTLB). */
    fill(tag, off, frame) {
        if (this.mask < 0)
            return;
        const m = this.m;
        const e = this.base + (off & this.mask) * (4 /* TLB_WORDS */);
        this.mem.point('iotlb-fill', off);
        const s = Atomics.load(m, e + (0 /* TLB_SEQ */));
        if ((s & 1) !== 0 || Atomics.compareExchange(m, e + (0 /* TLB_SEQ */), s, s + 1) !== s)
            return;
        m[e + (1 /* TLB_TAG */)] = tag + 1;
        m[e + (2 /* TLB_OFF */)] = off;
        m[e + (3 /* TLB_FRAME */)] = frame;
        Atomics.store(m, e + (0 /* TLB_SEQ */), s + 2);
    }
}
/** Invalidate entry `e` if it holds `tag`; waits out a concurrent fill, never gives up. */
function invalidateEntry(m, e, tag) {
    for (;;) {
        const s = Atomics.load(m, e + (0 /* TLB_SEQ */));
        if ((s & 1) !== 0)
            continue;
        if (Atomics.compareExchange(m, e + (0 /* TLB_SEQ */), s, s + 1) !== s)
            continue;
        if (tag < 0 || m[e + (1 /* TLB_TAG */)] === tag + 1)
            m[e + (1 /* TLB_TAG */)] = 0;
        Atomics.store(m, e + (0 /* TLB_SEQ */), s + 2);
        return;
    }
}
/** Invalidations every device's IOTLB takes: a range, a whole domain, a whole device. */
export class IotlbInvalidator {
    mem;
    L;
    m;
    /** IOTLB entries a device (0: none, and every invalidation is nothing). */
    entries;
    constructor(mem, L) {
        this.mem = mem;
        this.L = L;
        this.m = mem.words;
        this.entries = L.iotlbEntries;
    }
    /** Invalidate (tag, pages at off) in every device's IOTLB: one range invalidation command. */
    range(tag, off, pages) {
        if (this.entries === 0)
            return;
        const L = this.L;
        const mask = L.iotlbEntries - 1;
        this.mem.point('iotlb-inval', off);
        for (let dev = 0; dev < L.devices; dev++) {
            const base = iotlbAt(L, dev, 0);
            for (let i = 0; i < pages && i <= mask; i++)
                invalidateEntry(this.m, base + ((off + i) & mask) * (4 /* TLB_WORDS */), tag);
        }
    }
    /** Invalidate every entry of `tag` in every device (flush_iotlb_all). */
    all(tag) {
        const L = this.L;
        if (L.iotlbEntries === 0)
            return;
        this.mem.point('iotlb-inval', -1 - tag);
        for (let dev = 0; dev < L.devices; dev++) {
            const base = iotlbAt(L, dev, 0);
            for (let i = 0; i < L.iotlbEntries; i++) {
                const e = base + i * (4 /* TLB_WORDS */);
                if (this.m[e + (1 /* TLB_TAG */)] === tag + 1)
                    invalidateEntry(this.m, e, tag);
            }
        }
    }
    /** Invalidate every entry of one device (its domain changed). */
    device(device) {
        const L = this.L;
        if (L.iotlbEntries === 0)
            return;
        this.mem.point('iotlb-inval', -100 - device);
        const base = iotlbAt(L, device, 0);
        for (let i = 0; i < L.iotlbEntries; i++) {
            const e = base + i * (4 /* TLB_WORDS */);
            if (this.m[e + (1 /* TLB_TAG */)] !== 0)
                invalidateEntry(this.m, e, -1);
        }
    }
}
//# sourceMappingURL=iotlb.js.map