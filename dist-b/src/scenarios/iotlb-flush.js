/**
 * iotlb-flush (all threads; Linux iova flush queues): invalidate the IOTLB
 * synchronously on every unmap, under the lock, or queue the IOVAs and flush
 * the whole domain when the queue fills or its timer fires, freeing the
 * IOVAs only after the flush. Deferral is faster; it leaves a window in which
 * a late DMA still translates through a stale IOTLB entry. Freeing an IOVA
 * before its flush (broken) lets a new mapping of it be shadowed by the
 * stale entry.
 */
import { Runner, caughtIn, opsPerSec, oversubscribedNote, times } from './scenario.js';
import { si } from '../report/report.js';
const FLUSHES = ['strict', 'deferred', 'deferred-early-free'];
export const iotlbFlush = {
    name: 'iotlb-flush',
    thread: 'all threads; Linux drivers/iommu/dma-iommu.c flush queues',
    question: 'strict IOTLB invalidation under the lock against a deferred flush queue: how much faster is deferral, and how wide is the window it opens for DMA through stale translations?',
    defaultDurationSec: 1,
    runsPlanned: () => FLUSHES.length,
    async run(opts) {
        // Linux's pairing: per-CPU IOVA magazines hand a freed IOVA straight back, which is what makes an early free dangerous.
        const R = new Runner(opts, this.runsPlanned(opts), { devices: 2, iotlbEntries: 64, iotlbNs: 2000, allocator: 'rcache', driver: 'refcount' });
        const by = new Map();
        for (const flush of FLUSHES)
            by.set(flush, await R.run(`${flush} flush`, { flush }));
        const strict = by.get('strict');
        const deferred = by.get('deferred');
        const early = by.get('deferred-early-free');
        const row = (label, r) => [
            label,
            si(opsPerSec(r)),
            times(opsPerSec(r), opsPerSec(strict)),
            si(r.config.flush === 'strict' ? r.totals.unmapCalls : r.iotlb.flushes),
            si(r.iotlb.lateDmaProbes),
            r.iotlb.stalePerMillionOps.toFixed(0),
            r.violations.count,
        ];
        const inv = strict.config.iotlbNs;
        const names = Object.keys(early.violations.byInvariant).join(', ') || 'none';
        const finding = `with ${inv} ns an invalidation, deferring flushes gave ${times(opsPerSec(deferred), opsPerSec(strict))} the throughput of strict invalidation ` +
            `(${si(deferred.iotlb.flushes)} flushes instead of ${si(strict.totals.unmapCalls)} invalidations) and left a window: ` +
            `${deferred.iotlb.stalePerMillionOps.toFixed(0)} late DMAs per million operations still translated through a stale IOTLB entry (strict: ${strict.iotlb.stalePerMillionOps.toFixed(0)}); ` +
            (early.violations.count > 0
                ? `freeing IOVAs before their flush was caught: ${early.violations.count} violations (${names}).`
                : `freeing IOVAs before their flush was NOT caught in this run: run longer.`);
        return {
            tables: [
                {
                    title: '2 devices, 64-entry IOTLBs, IOVA magazines; late DMAs probe an unmapped IOVA still waiting for its flush',
                    header: ['flush', 'ops/s', 'vs strict', 'invalidations', 'late DMAs tried', 'stale per million ops', 'violations'],
                    rows: [row('strict', strict), row('deferred', deferred), row('deferred, early free (broken)', early)],
                },
            ],
            finding,
            caught: [caughtIn('deferred flush, IOVA freed before the flush', early)],
            warnings: oversubscribedNote(R.runs),
            runs: R.runs,
        };
    },
};
//# sourceMappingURL=iotlb-flush.js.map