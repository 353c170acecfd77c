/**
 * live-switch (seed 003, AMD attach/detach, 2022): "It was actually a
 * requirement for this code that when it jumps in, the DMA-API mappings stay
 * live." Device 0 is switched from its default domain to a PASID-capable
 * domain and back while every device keeps mapping; each device also DMAs
 * into older live buffers (--dma-live), so a dropped mapping faults at once.
 */
import { Runner, caughtIn, opsPerSec, oversubscribedNote, times } from './scenario.js';
import { ns, si } from '../report/report.js';
export const liveSwitch = {
    name: 'live-switch',
    thread: '003: Re: [PATCH v1 5/8] iommu/amd: Use iommu_attach/detach_device() (Roedel, Murphy, Gunthorpe, Feb 2022)',
    question: "switching a device's domain while its DMA-API mappings stay live: does every live mapping keep translating, what does a switch cost, and is a switch that installs an empty domain caught?",
    defaultDurationSec: 1.5,
    runsPlanned: () => 3,
    async run(opts) {
        const defaults = { devices: 2, dmaLive: 'on', inflight: 8, iotlbEntries: 64, driver: 'refcount' };
        const R = new Runner(opts, this.runsPlanned(opts), defaults);
        const every = opts.base.switchMs && opts.base.switchMs > 0 ? opts.base.switchMs : 10;
        const none = await R.run('no switching', { switchMs: 0 });
        const good = await R.run(`switch every ${every} ms, shared table`, { switchMs: every, switchTo: 'shared-table' });
        const bad = await R.run(`switch every ${every} ms, empty domain (broken)`, { switchMs: every, switchTo: 'empty' });
        const row = (label, r) => {
            const s = r.liveSwitch;
            return [
                label,
                si(opsPerSec(r)),
                s ? s.switches : 0,
                s ? ns(s.latencyAvgNs) : '-',
                s ? ns(s.latencyMaxNs) : '-',
                s ? `${(100 * s.throughputAfterVsBefore).toFixed(0)}%` : '-',
                r.violations.count,
            ];
        };
        const s = good.liveSwitch;
        const names = Object.keys(bad.violations.byInvariant).join(', ') || 'none';
        const finding = `switching device 0 ${s.switches} times to a domain sharing its table kept every live mapping translating (${good.violations.count} violations); ` +
            `a switch took ${ns(s.latencyAvgNs)} on average (max ${ns(s.latencyMaxNs)}), device throughput just after a switch was ${(100 * s.throughputAfterVsBefore).toFixed(0)}% of just before, ` +
            `and overall ${times(opsPerSec(good), opsPerSec(none))} the throughput without switching; ` +
            (bad.violations.count > 0
                ? `installing an empty domain instead was caught: ${bad.violations.count} violations (${names}).`
                : `installing an empty domain was NOT caught in this run (${bad.liveSwitch?.switches ?? 0} switches): run longer.`);
        return {
            tables: [
                {
                    title: 'device 0 switched between its default domain and a PASID-capable one while 2 devices map and DMA into live buffers',
                    header: ['variant', 'ops/s', 'switches', 'switch avg', 'switch max', 'throughput after/before', 'violations'],
                    rows: [row('no switching', none), row('shared table (correct)', good), row('empty domain (broken)', bad)],
                },
            ],
            finding,
            caught: [caughtIn('switch to an empty domain', bad)],
            warnings: oversubscribedNote(R.runs),
            runs: R.runs,
        };
    },
};
//# sourceMappingURL=live-switch.js.map