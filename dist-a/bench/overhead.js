import { median, medianInterval } from '../src/util/stats.js';
import { table } from '../src/report/report.js';
import { Isolate } from './isolate.js';
import { ns1, signedPct } from './format.js';
import { STATS_OVERHEAD_TARGET_PCT } from './tuning.js';
/** One isolate pair: warm both, then `p.overheadPairs` alternating pairs of runs. */
async function isolatePair(on, off, p, builds) {
    const isoOn = new Isolate(builds.on);
    const isoOff = new Isolate(builds.off);
    try {
        const run = async (iso, c, ops) => (await iso.runLoop({ config: { ...c, ops } })).nsPerOp;
        await run(isoOn, on, p.overheadWarmupOps);
        await run(isoOff, off, p.overheadWarmupOps);
        const pairs = [];
        for (let i = 0; i < p.overheadPairs; i++) {
            let a;
            let b;
            if (i % 2 === 0) {
                a = await run(isoOn, on, p.overheadOps);
                b = await run(isoOff, off, p.overheadOps);
            }
            else {
                b = await run(isoOff, off, p.overheadOps);
                a = await run(isoOn, on, p.overheadOps);
            }
            pairs.push({ on: a, off: b, pct: ((a - b) / b) * 100 });
        }
        return pairs;
    }
    finally {
        await Promise.all([isoOn.close(), isoOff.close()]);
    }
}
export async function compare(label, on, off, p, builds = {}) {
    const groups = [];
    for (let g = 0; g < p.overheadIsolatePairs; g++)
        groups.push(await isolatePair(on, off, p, builds));
    const groupPct = groups.map((pairs) => median(pairs.map((x) => x.pct)));
    const all = groups.flat();
    return {
        label,
        groups,
        groupPct,
        medianPct: median(groupPct),
        interval: medianInterval(groupPct),
        medianOn: median(all.map((x) => x.on)),
        medianOff: median(all.map((x) => x.off)),
    };
}
export async function measureOverhead(p) {
    const stats = await compare('--stats on vs off', { stats: 'on' }, { stats: 'off' }, p);
    const latency = await compare('--latency-sample 256 vs 0 (stats on)', { stats: 'on', latencySample: 256 }, { stats: 'on', latencySample: 0 }, p);
    // Reliably under the target: the whole interval, not only the median.
    return { ops: p.overheadOps, stats, latency, targetPct: (5 /* STATS_OVERHEAD_TARGET_PCT */), pass: stats.interval.hi < (5 /* STATS_OVERHEAD_TARGET_PCT */) };
}
export function formatOverhead(r) {
    const ci = (c) => `${signedPct(c.interval.lo)} .. ${signedPct(c.interval.hi)}`;
    const row = (c) => [
        c.label,
        ns1(c.medianOn),
        ns1(c.medianOff),
        signedPct(c.medianPct),
        ci(c),
        [...c.groupPct].sort((a, b) => a - b).map(signedPct).join(' '),
    ];
    const s = r.stats;
    const groups = s.groups.length;
    const cover = Math.round(s.interval.coverage * 1000) / 10;
    const verdict = r.pass
        ? 'PASS'
        : s.interval.lo >= r.targetPct
            ? 'FAIL'
            : `FAIL: the interval reaches ${signedPct(s.interval.hi)}, so this run does not show it under the target${s.medianPct < r.targetPct ? ' (the median is under it)' : ''}`;
    return [
        `overhead: the harness's own counters; real device loop, 1 device, run defaults (mcs, random completion, 1 page, 4 in flight),`,
        `  ${groups} isolate pairs x ${s.groups[0]?.length ?? 0} alternating pairs of ${r.ops}-op runs, each isolate warmed up first, fresh shared memory each run`,
        table(['comparison', 'on ns/op', 'off ns/op', 'overhead', `${cover}% interval`, 'each isolate pair'], [row(s), row(r.latency)]),
        `  overhead = median over isolate pairs of (median over run pairs of (on - off) / off); on/off ns/op = medians of all runs;`,
        `  interval: a distribution-free confidence interval of that median (two order statistics of the isolate pairs', ${cover}% coverage)`,
        `stats overhead: ${signedPct(s.medianPct)} (interval ${ci(s)}) against a target of < ${r.targetPct}% for the whole interval: ${verdict}`,
    ].join('\n');
}
//# sourceMappingURL=overhead.js.map