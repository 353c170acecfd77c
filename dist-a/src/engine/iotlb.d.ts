import type { Mem } from '../api/types.js';
import { type Layout } from '../memory/layout.js';
/** Busy-wait `ns` nanoseconds (0: free). Allocates nothing. */
export declare function busyWaitNs(ns: number): void;
export declare const TLB_MISS = -1;
/** One device's IOTLB. */
export declare class Iotlb {
    private readonly mem;
    private readonly mask;
    private readonly base;
    private readonly m;
    constructor(mem: Mem, L: Layout, device: number);
    /** The cached frame of (tag, page offset), or TLB_MISS (always, when the run has no IOTLB). */
    lookup(tag: number, off: number): number;
    /** Cache a translation; skipped if another writer holds the entry (or there is no IOTLB). */
    fill(tag: number, off: number, frame: number): void;
}
/** Invalidations every device's IOTLB takes: a range, a whole domain, a whole device. */
export declare class IotlbInvalidator {
    private readonly mem;
    private readonly L;
    private readonly m;
    /** IOTLB entries a device (0: none, and every invalidation is nothing). */
    private readonly entries;
    constructor(mem: Mem, L: Layout);
    /** Invalidate (tag, pages at off) in every device's IOTLB: one range invalidation command. */
    range(tag: number, off: number, pages: number): void;
    /** Invalidate every entry of `tag` in every device (flush_iotlb_all). */
    all(tag: number): void;
    /** Invalidate every entry of one device (its domain changed). */
    device(device: number): void;
}
