/**
 * group-size (seed 003, AMD attach/detach, 2022): "The group size matters
 * too for DMA-API performance. If two devices compete for the same lock in
 * the allocator and/or the same cached magazines, things will slow down."
 * A fixed number of devices, grouped 1, 2, 4 ... all to a domain, with the
 * allocator as a bitmap behind one lock and as Linux's magazines and depot.
 */
import { Runner, acquisitions, contention, opsPerSec, oversubscribedNote, pct1, times, waitTotal } from './scenario.js';
import { si } from '../report/report.js';
const ALLOCATORS = ['bitmap', 'rcache'];
const deviceCount = (quick, base) => base ?? (quick ? 2 : 4);
const groups = (n) => {
    const out = [];
    for (let g = 1; g <= n; g *= 2)
        if (n % g === 0)
            out.push(g);
    if (!out.includes(n))
        out.push(n);
    return out;
};
/** Share of all lock wait time spent on each class. */
function waitShares(r) {
    const pt = waitTotal(r, 'pgtable');
    const io = waitTotal(r, 'iova');
    const dp = waitTotal(r, 'depot');
    const all = pt + io + dp;
    return all > 0 ? { pgtable: (100 * pt) / all, iova: (100 * io) / all, depot: (100 * dp) / all } : { pgtable: 0, iova: 0, depot: 0 };
}
export const groupSize = {
    name: 'group-size',
    thread: '003: Re: [PATCH v1 5/8] iommu/amd: Use iommu_attach/detach_device() (Roedel, Murphy, Gunthorpe, Feb 2022)',
    question: 'a fixed number of devices grouped 1, 2, 4 ... all to a domain: which lock does the time go to (page table, allocator, magazine depot), and how much do per-CPU magazines take off the allocator lock?',
    defaultDurationSec: 1,
    runsPlanned: (o) => groups(deviceCount(o.quick, o.base.devices)).length * ALLOCATORS.length,
    async run(opts) {
        const n = deviceCount(opts.quick, opts.base.devices);
        // More devices than cores: spin-then-park keeps lock-holder preemption from drowning the question (see per-device-tables).
        const R = new Runner(opts, this.runsPlanned(opts), { driver: 'refcount', lock: 'spin-park' });
        const rows = [];
        const by = new Map();
        for (const g of groups(n)) {
            for (const allocator of ALLOCATORS) {
                const r = await R.run(`${n} devices, group size ${g}, ${allocator}`, { devices: n, groupSize: g, allocator });
                by.set(`${g}/${allocator}`, r);
                const w = waitShares(r);
                rows.push([
                    g,
                    allocator,
                    si(opsPerSec(r)),
                    pct1(contention(r, 'pgtable')),
                    pct1(contention(r, 'iova')),
                    allocator === 'rcache' ? pct1(contention(r, 'depot')) : '-',
                    `${w.pgtable.toFixed(0)} / ${w.iova.toFixed(0)} / ${w.depot.toFixed(0)}`,
                ]);
            }
        }
        const privB = by.get('1/bitmap');
        const allB = by.get(`${n}/bitmap`);
        const allR = by.get(`${n}/rcache`);
        const finding = `with all ${n} devices in one domain, throughput was ${times(opsPerSec(allB), opsPerSec(privB))} that of private domains (bitmap allocator); ` +
            `its allocator lock was contended on ${pct1(contention(allB, 'iova'))} of acquisitions and the page-table lock on ${pct1(contention(allB, 'pgtable'))}; ` +
            `with per-worker magazines the allocator lock was taken ${si(acquisitions(allR, 'iova'))} times instead of ` +
            `${si(acquisitions(allB, 'iova'))} (contended ${pct1(contention(allR, 'iova'))}, the depot's lock ${pct1(contention(allR, 'depot'))}), ` +
            `and throughput was ${times(opsPerSec(allR), opsPerSec(allB))} the bitmap allocator's.`;
        return {
            tables: [
                {
                    title: `${n} devices by group size and IOVA allocator, lock ${R.runs[0]?.result.config.lock}; wait share = % of all lock wait time on the page-table / allocator / depot lock`,
                    header: ['group size', 'allocator', 'ops/s', 'page-table cont%', 'allocator cont%', 'depot cont%', 'wait share pt/iova/depot %'],
                    rows,
                },
            ],
            finding,
            caught: [],
            warnings: oversubscribedNote(R.runs),
            runs: R.runs,
        };
    },
};
//# sourceMappingURL=group-size.js.map