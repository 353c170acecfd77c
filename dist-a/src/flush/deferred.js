/**
 * deferred: Linux's flush queues (iova.c fq, dma-iommu.c since 2017): an
 * unmap only queues its IOVA range on the worker's flush queue; when the
 * queue fills or the flush-queue timer ticks, one flush_iotlb_all per domain
 * invalidates everything queued, and only then are the IOVAs freed. Until
 * then a late DMA to an unmapped IOVA may still translate through a stale
 * IOTLB entry: the window deferral leaves open, measured (probeLate) and
 * harmless, because the IOVA cannot be handed out again before its flush.
 *
 * `deferredFlush({ earlyFree: true })` is the broken variant (broken/).
 */
import { defineFlush } from '../api/define.js';
import { UNMAP_FREE_UNFLUSHED, UNMAP_KEEP } from '../api/types.js';
import { LINE_WORDS } from '../memory/layout.js';
/** The queue: a header line (entries queued, the timer tick seen at the last flush), then entries. */
const FQ_COUNT = 0;
const FQ_TICK = 1;
const FQ_HDR = (16 /* LINE_WORDS */);
const FQE_DOMAIN = 0;
const FQE_OFF = 1;
const FQE_PAGES = 2;
const FQE_WORDS = 4;
export function deferredFlush(o) {
    return defineFlush({
        name: o.name,
        summary: o.summary,
        source: o.source,
        ...(o.broken ? { broken: true } : {}),
        needsIotlb: true,
        workerWords: (s) => (16 /* FQ_HDR */) + s.config.fqSize * (4 /* FQE_WORDS */),
        // Every writer of a domain may hold a full queue of its ranges (freed only after the flush).
        pendingPages: (s) => (o.earlyFree ? 0 : s.workersPerDomain * s.config.fqSize * s.config.pages * 2),
        create(ctx) {
            const m = ctx.mem.words;
            const fq = ctx.state;
            const size = ctx.config.fqSize;
            m[fq + (1 /* FQ_TICK */)] = ctx.timerTicks();
            /** One flush_iotlb_all per domain on the queue, then the queued IOVAs are free. */
            function flush() {
                const n = m[fq + (0 /* FQ_COUNT */)];
                ctx.mem.point('flush', n);
                let last = -1;
                for (let i = 0; i < n; i++) {
                    const tag = ctx.tlbTag(m[fq + (16 /* FQ_HDR */) + i * (4 /* FQE_WORDS */) + (0 /* FQE_DOMAIN */)]);
                    if (tag !== last)
                        ctx.invalidateAll(tag);
                    last = tag;
                }
                ctx.waitForInvalidation();
                if (!o.earlyFree) {
                    for (let i = 0; i < n; i++) {
                        const e = fq + (16 /* FQ_HDR */) + i * (4 /* FQE_WORDS */);
                        ctx.allocator.free(m[e + (0 /* FQE_DOMAIN */)], m[e + (1 /* FQE_OFF */)], m[e + (2 /* FQE_PAGES */)]);
                    }
                }
                m[fq + (0 /* FQ_COUNT */)] = 0;
                m[fq + (1 /* FQ_TICK */)] = ctx.timerTicks();
                ctx.flushed(n);
            }
            return {
                // The gather: nothing now, the flush invalidates whole domains.
                invalidate() { },
                unmapped(domain, off, pages) {
                    if (m[fq + (0 /* FQ_COUNT */)] >= size)
                        flush();
                    const n = m[fq + (0 /* FQ_COUNT */)];
                    const e = fq + (16 /* FQ_HDR */) + n * (4 /* FQE_WORDS */);
                    m[e + (0 /* FQE_DOMAIN */)] = domain;
                    m[e + (1 /* FQE_OFF */)] = off;
                    m[e + (2 /* FQE_PAGES */)] = pages;
                    m[fq + (0 /* FQ_COUNT */)] = n + 1;
                    // A late DMA to one unmapped, not yet flushed IOVA: does an IOTLB still translate it?
                    const p = fq + (16 /* FQ_HDR */) + (ctx.random() % (n + 1)) * (4 /* FQE_WORDS */);
                    ctx.probeLate(m[p + (0 /* FQE_DOMAIN */)], m[p + (1 /* FQE_OFF */)]);
                    return o.earlyFree ? (2 /* UNMAP_FREE_UNFLUSHED */) : (0 /* UNMAP_KEEP */);
                },
                tick() {
                    if (m[fq + (0 /* FQ_COUNT */)] > 0 && ctx.timerTicks() !== m[fq + (1 /* FQ_TICK */)])
                        flush();
                },
            };
        },
        audit(ctx) {
            if (o.earlyFree)
                return;
            const m = ctx.mem.words;
            for (let w = 0; w < ctx.workers; w++) {
                const fq = ctx.stateOf(w);
                for (let i = 0; i < m[fq + (0 /* FQ_COUNT */)]; i++) {
                    const e = fq + (16 /* FQ_HDR */) + i * (4 /* FQE_WORDS */);
                    ctx.pending(m[e + (0 /* FQE_DOMAIN */)], m[e + (1 /* FQE_OFF */)], m[e + (2 /* FQE_PAGES */)]);
                }
            }
        },
    });
}
export const deferred = deferredFlush({
    name: 'deferred',
    summary: 'a per-worker flush queue: one flush per domain when it fills or the timer ticks; IOVAs freed only after their flush (Linux fq)',
    source: 'drivers/iommu/dma-iommu.c flush queues (iommu.strict=0)',
    earlyFree: false,
});
//# sourceMappingURL=deferred.js.map