/**
 * pasid-domains (seed 002, vfio/mdev aux domains, 2021): "a PASID is merely
 * an index into a set of iommu_domains". One device serving K client
 * contexts, each with a PASID and a domain of its own, against the same
 * contexts in one domain, and against K separate devices.
 */
import { Runner, contention, opsPerSec, oversubscribedNote, pct1, times } from './scenario.js';
import { si } from '../report/report.js';
export const pasidDomains = {
    name: 'pasid-domains',
    thread: '002: Re: [PATCH 3/6] vfio: remove the unused mdev iommu hook (Murphy, Gunthorpe, Tian, May 2021)',
    question: 'one device whose work is spread over K PASIDs, each an index into its own domain, against the same work in one domain, and K client contexts on one device against K devices: where is the contention?',
    defaultDurationSec: 1,
    runsPlanned: () => 4,
    async run(opts) {
        // K: --pasids if given (every variant sets its own devices, queues and PASIDs from it), else 2.
        const k = Math.max(2, opts.base.pasids ?? 2);
        const R = new Runner(opts, this.runsPlanned(opts), { driver: 'refcount' });
        const pasids = await R.run(`1 device, ${k} contexts, ${k} PASID domains`, { devices: 1, queues: k, pasids: k });
        const one = await R.run(`1 device, ${k} contexts, one domain`, { devices: 1, queues: k, pasids: 1 });
        const devices = await R.run(`${k} devices, a domain each`, { devices: k, queues: 1, pasids: 1, groupSize: 1 });
        const devLock = await R.run(`1 device, ${k} PASID domains, one device lock`, { devices: 1, queues: k, pasids: k, driver: 's390' });
        const row = (label, r, domains) => [
            label,
            domains,
            si(opsPerSec(r)),
            si(opsPerSec(r) / domains),
            pct1(contention(r, 'pgtable')),
            pct1(contention(r, 'device')),
            pct1(contention(r, 'iova')),
        ];
        const finding = `one device's ${k} contexts in ${k} PASID domains did ${times(opsPerSec(pasids), opsPerSec(one))} the work of the same contexts in one domain ` +
            `(page-table lock contention ${pct1(contention(one, 'pgtable'))} in one domain, ${pct1(contention(pasids, 'pgtable'))} across the PASID domains) ` +
            `and ${times(opsPerSec(pasids), opsPerSec(devices))} the work of ${k} separate devices; with one device lock guarding all its PASID domains ` +
            `the contexts contended again on ${pct1(contention(devLock, 'device'))} of acquisitions (${times(opsPerSec(devLock), opsPerSec(pasids))}).`;
        return {
            tables: [
                {
                    title: `${k} client contexts (worker threads): PASID domains, one domain, separate devices, and PASID domains behind one device lock`,
                    header: ['variant', 'domains', 'ops/s', 'ops/s a domain', 'domain lock cont%', 'device lock cont%', 'allocator cont%'],
                    rows: [row(`${k} PASIDs, a domain each`, pasids, k), row('one domain', one, 1), row(`${k} devices`, devices, k), row(`${k} PASIDs, one device lock`, devLock, k)],
                },
            ],
            finding,
            caught: [],
            warnings: oversubscribedNote(R.runs),
            runs: R.runs,
        };
    },
};
//# sourceMappingURL=pasid-domains.js.map