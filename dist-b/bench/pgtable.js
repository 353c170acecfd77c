import { standalone } from '../src/engine/standalone.js';
import { C_VIOLATIONS, countersAt } from '../src/memory/layout.js';
import { table } from '../src/report/report.js';
import { runMicroIsolated } from './isolate.js';
import { ns1, rme } from './format.js';
/** Largest buffer benchmarked; the layout is sized for it (window 2048 pages, 256 frames). */
const MAX_PAGES = 64;
/** One device's memory and ops on this thread; the drivers measured take no lock (nolock: the refcount tables; cmpxchg). */
async function fixture(driver, over = {}) {
    const s = await standalone({ devices: 1, pages: (64 /* MAX_PAGES */), driver, ...over });
    const f = new Float64Array(s.sab);
    return { s, base: s.L.iovaBasePfn, violations: () => f[countersAt(s.L, 0) + (7 /* C_VIOLATIONS */)] + f[countersAt(s.L, s.L.mainSlot) + (7 /* C_VIOLATIONS */)] };
}
/** Map and unmap `pages` pages; with `anchor`, beside a page that stays mapped. */
async function mapUnmap(driver, pages, anchor) {
    const x = await fixture(driver);
    const d = x.s.rt.driver;
    if (anchor && !d.map(0, x.base, 1, 0))
        throw new Error('cannot map the anchor page');
    // Offset `pages` (>= 1) keeps the buffer clear of the anchor and inside the first leaf table.
    const pfn = x.base + pages;
    const frame = pages;
    let lost = 0;
    return {
        run(n) {
            for (let i = 0; i < n; i++) {
                if (!d.map(0, pfn, pages, frame))
                    lost++;
                lost += pages - d.unmap(0, pfn, pages);
            }
        },
        check() {
            if (lost > 0 || x.violations() > 0)
                return `${lost} pages lost, ${x.violations()} violations`;
            if (anchor && d.walk(0, x.base) !== 0)
                return 'the anchor page no longer translates';
            return d.walk(0, pfn) >= 0 ? 'the buffer still translates' : null;
        },
    };
}
let sink = 0;
async function walkMapped() {
    const x = await fixture('nolock');
    const d = x.s.rt.driver;
    const pfn = x.base + 1;
    if (!d.map(0, pfn, 1, 1))
        throw new Error('cannot map the walked page');
    return {
        run(n) {
            let s = 0;
            for (let i = 0; i < n; i++)
                s ^= d.walk(0, pfn);
            sink ^= s;
        },
        check: () => (d.walk(0, pfn) === 1 && x.violations() === 0 ? null : 'the walk no longer finds the page'),
    };
}
async function iovaAllocFree(pages) {
    const x = await fixture('nolock');
    const a = x.s.rt.allocator;
    let failed = 0;
    return {
        run(n) {
            for (let i = 0; i < n; i++) {
                const off = a.alloc(0, pages);
                if (off < 0) {
                    failed++;
                    continue;
                }
                a.free(0, off, pages);
            }
        },
        check() {
            return failed > 0 || x.violations() > 0 ? `${failed} failed allocations, ${x.violations()} double frees` : null;
        },
    };
}
export function pgtableCases() {
    const c = (name, batch, pages, setup) => ({ suite: 'pgtable', name, batch, pages, setup });
    return [
        c('map+unmap 1 page, refcount tables', 500, 1, () => mapUnmap('nolock', 1, true)),
        c('map+unmap 1 page, cmpxchg', 500, 1, () => mapUnmap('cmpxchg', 1, true)),
        c('map+unmap 64 pages, refcount tables', 20, 64, () => mapUnmap('nolock', 64, true)),
        c('map+unmap 64 pages, cmpxchg', 20, 64, () => mapUnmap('cmpxchg', 64, true)),
        c('map+unmap 1 page into empty tables, refcount tables', 50, 1, () => mapUnmap('nolock', 1, false)),
        c('walk of a mapped page', 2000, 1, walkMapped),
        c('IOVA alloc+free 1 page', 1000, 1, () => iovaAllocFree(1)),
        c('IOVA alloc+free 64 pages', 200, 64, () => iovaAllocFree(64)),
    ];
}
export async function measurePgtable(profile) {
    const out = [];
    for (const c of pgtableCases())
        out.push(await runMicroIsolated({ suite: 'pgtable', name: c.name, profile }));
    return out;
}
export function formatPgtable(rows) {
    return [
        'pgtable: page-table and IOVA allocator operations, one thread, no lock (median of batch means; each case in a fresh isolate)',
        table(['operation', 'ns/op', 'ns/page', 'p99', 'rme'], rows.map((r) => [r.name, ns1(r.nsPerOp), r.pages > 1 ? ns1(r.nsPerOp / r.pages) : '', ns1(r.p99Ns), rme(r.rmePct)])),
    ].join('\n');
}
/** Keeps the walk's results observable, so the JIT cannot drop the loop. */
export const walkSink = () => sink;
//# sourceMappingURL=pgtable.js.map