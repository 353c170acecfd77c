/**
 * per-device-tables (seed 000, s390 IOMMU, 2014): s390 kept one DMA table
 * and one spinlock per device; the IOMMU API wants one table per domain,
 * shared by every device in it. What does sharing cost, and what breaks if
 * the per-device locks are kept while the table is shared?
 */
import { Runner, caughtIn, contention, opsPerSec, oversubscribedNote, pct1, times } from './scenario.js';
import { si } from '../report/report.js';
import { Controller, explore } from '../races/explore.js';
import { loadRace } from '../modules/loader.js';
const counts = (quick) => (quick ? [1, 2] : [1, 2, 4, 8]);
export const perDeviceTables = {
    name: 'per-device-tables',
    thread: '000: [PATCH linux-next] iommu: add iommu for s390 platform (Schaefer, Roedel, Oct 2014)',
    question: 'one DMA table and lock per device, or one table per domain shared by its devices: what does sharing cost, and what breaks when per-device locks guard a shared table?',
    defaultDurationSec: 1,
    runsPlanned: (o) => counts(o.quick).reduce((n, d) => n + (d === 1 ? 1 : 3), 0),
    async run(opts) {
        // 4 and 8 devices outnumber the cores of a small machine: a FIFO spinlock then collapses under
        // lock-holder preemption (see the sweep), which would hide what sharing costs; spin-then-park does not.
        const R = new Runner(opts, this.runsPlanned(opts), { lock: 'spin-park' });
        const rows = [];
        const caught = [];
        const ratios = [];
        for (const n of counts(opts.quick)) {
            const priv = await R.run(`private tables, N=${n}`, { devices: n, groupSize: 1, driver: 'refcount' });
            if (n === 1) {
                rows.push([n, si(opsPerSec(priv)), '(same)', '-', '-', '-', '-']);
                continue;
            }
            const shared = await R.run(`shared table, domain lock, N=${n}`, { devices: n, groupSize: n, driver: 'refcount' });
            const broken = await R.run(`shared table, per-device locks, N=${n}`, { devices: n, groupSize: n, driver: 's390', dmaLive: 'on' });
            caught.push(caughtIn(`shared table, per-device locks, N=${n}`, broken));
            ratios.push({ n, r: opsPerSec(shared) / opsPerSec(priv), cont: contention(shared, 'pgtable') });
            rows.push([
                n,
                si(opsPerSec(priv)),
                si(opsPerSec(shared)),
                times(opsPerSec(shared), opsPerSec(priv)),
                pct1(contention(shared, 'pgtable')),
                pct1(contention(shared, 'iova')),
                broken.violations.count,
            ]);
        }
        const first = ratios[0];
        const last = ratios[ratios.length - 1];
        const cost = (x) => (x.r <= 1 ? `${((1 - x.r) * 100).toFixed(0)}% of the throughput` : `nothing (it gained ${((x.r - 1) * 100).toFixed(0)}%)`);
        const hits = caught.filter((c) => c.violations > 0);
        // Free running, the race needs both workers on a core at the same moment; if no run caught it,
        // the controlled scheduler looks for the interleaving on purpose.
        let explored = '';
        if (hits.length === 0) {
            const ctl = new Controller();
            const ex = await explore(await loadRace('device-locks'), 'broken', { strategy: 'random', depth: 1, runs: 50, seed: opts.base.seed ?? 1 }, ctl).finally(() => ctl.close());
            explored = ex.found
                ? `; free running did not hit the race in these runs, the controlled scheduler found it in ${ex.tried} schedules (${ex.found.outcome})`
                : `; neither free running nor ${ex.tried} controlled schedules hit it`;
            if (ex.found?.result)
                caught.push(caughtIn('shared table, per-device locks, controlled schedule', ex.found.result));
        }
        let finding = `sharing one table cost ${cost(first)} at ${first.n} devices (${first.r.toFixed(2)}x private tables, its lock contended on ${pct1(first.cont)} of acquisitions)` +
            (last !== first ? ` and ${cost(last)} at ${last.n} (${last.r.toFixed(2)}x, ${pct1(last.cont)} contended)` : '') +
            `; per-device locks on the shared table were caught corrupting it at ${hits.length} of ${counts(opts.quick).length - 1} device counts (${hits.reduce((n, c) => n + c.violations, 0)} violations)`;
        if (hits.length > 0 && hits.length < counts(opts.quick).length - 1)
            finding += ', the others ran clean for the run length';
        finding += explored;
        return {
            tables: [
                {
                    title: `private tables (group size 1) against one shared table (group size N, domain lock); and the shared table under per-device locks; lock ${R.runs[0]?.result.config.lock}`,
                    header: ['N', 'private ops/s', 'shared ops/s', 'shared/private', 'shared table lock cont%', 'allocator lock cont%', 'per-device locks: violations'],
                    rows,
                },
            ],
            finding: finding + '.',
            caught,
            warnings: oversubscribedNote(R.runs),
            runs: R.runs,
        };
    },
};
//# sourceMappingURL=per-device-tables.js.map