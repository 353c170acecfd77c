/**
 * pvdma (seed 004, x86 pvdma, 2008): a paravirtual IOMMU that makes a
 * hypercall per map and unmap, against Joerg Roedel's proposal: a contiguous
 * pool mapped once, coherent allocations straight from it, streaming maps
 * bounced through it (a copy each way), the pool placed below the device's
 * DMA mask. Where does the copy start to cost more than the hypercall?
 */
import { Runner, opsPerSec, oversubscribedNote, times } from './scenario.js';
import { si } from '../report/report.js';
import { resolveConfig } from '../config/config.js';
import { planRun } from '../engine/run.js';
/** Least-squares line through (x, y). */
function fit(xs, ys) {
    const n = xs.length;
    const mx = xs.reduce((s, x) => s + x, 0) / n;
    const my = ys.reduce((s, y) => s + y, 0) / n;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
        sxy += (xs[i] - mx) * (ys[i] - my);
        sxx += (xs[i] - mx) ** 2;
    }
    const b = sxx > 0 ? sxy / sxx : 0;
    return { a: my - b * mx, b };
}
/** Bytes where the fitted bounce cost overtakes the fitted hypercall cost, or null if it never does. */
export function extrapolate(costs) {
    if (costs.length < 2)
        return null;
    const xs = costs.map((c) => c.bytes);
    const h = fit(xs, costs.map((c) => c.hypercallNs));
    const b = fit(xs, costs.map((c) => c.bounceNs));
    if (b.b <= h.b)
        return null;
    const x = (h.a - b.a) / (b.b - h.b);
    return x > 0 ? x : null;
}
/** The scenario's own defaults, under the user's options. */
const DEFAULTS_PV = { devices: 1, dmaMaskBits: 32 };
const sizes = (quick) => (quick ? [64, 4096, 65536] : [64, 256, 1024, 4096, 16384, 65536]);
const bytesText = (b) => (b >= 1024 ? `${b / 1024} KiB` : `${b} B`);
export const pvdma = {
    name: 'pvdma',
    thread: '004: Re: [PATCH 9/9] x86/iommu: use dma_ops_list in get_dma_ops (Roedel, Ben-Yehuda, Sep 2008)',
    question: 'a hypercall per map and unmap against a pre-mapped contiguous pool with bounce buffers: from which buffer size does the copy cost more than the hypercall, and can the pool satisfy the device DMA mask?',
    defaultDurationSec: 0.8,
    runsPlanned: (o) => sizes(o.quick).length * 2,
    async check(opts) {
        // The largest buffer needs the largest pool: it must fit below the DMA mask, in both modes.
        const bufferBytes = Math.max(...sizes(opts.quick));
        for (const mode of ['pv-hypercall', 'pv-bounce'])
            await planRun(resolveConfig({ ...DEFAULTS_PV, ...opts.base, mode, bufferBytes }));
    },
    async run(opts) {
        const R = new Runner(opts, this.runsPlanned(opts), DEFAULTS_PV);
        const rows = [];
        const points = [];
        const costs = [];
        let hypercallNs = 0;
        let mask = 0;
        for (const bytes of sizes(opts.quick)) {
            const hc = await R.run(`${bytesText(bytes)}, hypercall`, { mode: 'pv-hypercall', bufferBytes: bytes });
            const bb = await R.run(`${bytesText(bytes)}, bounce`, { mode: 'pv-bounce', bufferBytes: bytes });
            hypercallNs = hc.config.hypercallNs;
            mask = bb.config.dmaMaskBits;
            points.push({ bytes, ratio: opsPerSec(bb) / opsPerSec(hc) });
            costs.push({ bytes, hypercallNs: 1e9 / opsPerSec(hc), bounceNs: 1e9 / opsPerSec(bb) });
            rows.push([bytesText(bytes), bb.config.pages, si(opsPerSec(hc)), si(opsPerSec(bb)), times(opsPerSec(bb), opsPerSec(hc)), bb.violations.count + hc.violations.count]);
        }
        const cross = points.findIndex((p) => p.ratio < 1);
        const first = points[0];
        const last = points[points.length - 1];
        let where;
        if (cross === -1) {
            // Beyond the sizes measured: where the two per-operation cost lines, fitted over the multi-page sizes, would cross.
            const x = extrapolate(costs.filter((c) => c.bytes >= 4096));
            where =
                `bouncing stayed faster up to ${bytesText(last.bytes)}: no crossover in this range` +
                    (x !== null ? ` (the per-operation cost lines, fitted from 4 KiB up, cross near ${bytesText(Math.round(x / 1024) * 1024)})` : '');
        }
        else if (cross === 0)
            where = `the copy already cost more than the hypercall at ${bytesText(first.bytes)}`;
        else
            where = `the copy costs more than the hypercall from between ${bytesText(points[cross - 1].bytes)} and ${bytesText(points[cross].bytes)}`;
        const finding = `with a ${(hypercallNs / 1000).toFixed(1)} us hypercall per map and per unmap, bouncing through the pre-mapped pool did ${first.ratio.toFixed(2)}x the operations at ${bytesText(first.bytes)} ` +
            `and ${last.ratio.toFixed(2)}x at ${bytesText(last.bytes)}; ${where}. The pool lay below the ${mask}-bit DMA mask.`;
        return {
            tables: [
                {
                    title: `one device, a ${(hypercallNs / 1000).toFixed(1)} us hypercall (--hypercall-ns) against bounce buffers, by buffer size; DMA mask ${mask} bits`,
                    header: ['buffer', 'pages', 'hypercall ops/s', 'bounce ops/s', 'bounce/hypercall', 'violations'],
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
//# sourceMappingURL=pvdma.js.map