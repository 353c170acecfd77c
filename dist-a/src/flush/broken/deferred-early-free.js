/**
 * BROKEN deferred-early-free: the flush queue of deferred.ts, but each IOVA
 * is freed when it is queued, before its flush. The CPU's magazine hands it
 * straight back; the new buffer's DMA translates through the stale IOTLB
 * entry onto the old buffer's frame.
 */
import { deferredFlush } from '../deferred.js';
export const deferredEarlyFree = deferredFlush({
    name: 'deferred-early-free',
    summary: 'BROKEN: a deferred flush that frees each IOVA before its flush (a stale IOTLB entry reaches the next owner)',
    source: 'a flush queue without the rule that an IOVA waits for its flush',
    earlyFree: true,
    broken: true,
});
//# sourceMappingURL=deferred-early-free.js.map