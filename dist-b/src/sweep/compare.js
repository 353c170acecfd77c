import { runConfig } from '../engine/run.js';
import { spread } from '../util/stats.js';
import { tableLock } from './sweep-record.js';
import { pct, si, table } from '../report/report.js';
export async function runCompare(a, b, pairs, onRun) {
    const runsA = [];
    const runsB = [];
    for (let i = 0; i < pairs; i++) {
        onRun?.('A', i);
        runsA.push(await runConfig({ ...a, seed: (a.seed + i) >>> 0 }));
        onRun?.('B', i);
        runsB.push(await runConfig({ ...b, seed: (b.seed + i) >>> 0 }));
    }
    const ratios = runsA.map((ra, i) => runsB[i].totals.opsPerSec / ra.totals.opsPerSec);
    const verdict = ratios.every((r) => r > 1) ? 'faster' : ratios.every((r) => r < 1) ? 'slower' : null;
    return { a, b, runsA, runsB, ratios, ratio: spread(ratios), verdict };
}
/** The options in which B differs from A, as flags would say them. */
export function configDiff(a, b) {
    return Object.keys(a)
        .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
        .map((k) => `${k}: ${JSON.stringify(a[k])} -> ${JSON.stringify(b[k])}`);
}
export function formatCompare(o) {
    const diff = configDiff(o.a, o.b);
    const out = [`compare: B differs from A in ${diff.length ? diff.join(', ') : 'nothing'}`, ''];
    const rows = o.ratios.map((r, i) => [
        String(i + 1),
        si(o.runsA[i].totals.opsPerSec),
        si(o.runsB[i].totals.opsPerSec),
        r.toFixed(3) + 'x',
        pct(tableLock(o.runsA[i])?.contentionPct ?? 0),
        pct(tableLock(o.runsB[i])?.contentionPct ?? 0),
        String(o.runsA[i].violations.count),
        String(o.runsB[i].violations.count),
    ]);
    out.push(table(['pair', 'A ops/s', 'B ops/s', 'B/A', 'A tbl cont%', 'B tbl cont%', 'A viol', 'B viol'], rows));
    const sA = spread(o.runsA.map((r) => r.totals.opsPerSec));
    const sB = spread(o.runsB.map((r) => r.totals.opsPerSec));
    out.push('');
    out.push(`median: A ${si(sA.median)} ops/s, B ${si(sB.median)} ops/s; B/A ${o.ratio.median.toFixed(3)}x (pairs from ${o.ratio.min.toFixed(3)}x to ${o.ratio.max.toFixed(3)}x)`);
    if (o.ratios.length < 2)
        out.push('conclusion: one pair is not enough to conclude; use --repeat 3 or more');
    else if (o.verdict)
        out.push(`conclusion: B is ${o.verdict} than A in all ${o.ratios.length} pairs (median ${o.ratio.median.toFixed(2)}x)`);
    else
        out.push(`conclusion: none; the pairs disagree (B/A from ${o.ratio.min.toFixed(2)}x to ${o.ratio.max.toFixed(2)}x): run more pairs or longer`);
    return out.join('\n');
}
//# sourceMappingURL=compare.js.map