import { ns, pct, si, table } from './report.js';
/** The cell of a figure a point does not have: every run of it failed. */
const NONE = '-';
/** Columns: the swept parameters, then the measured figures; a `failed` column only when some run failed. */
export function summaryRows(points) {
    const params = [...new Set(points.flatMap((p) => Object.keys(p.varied)))];
    const failures = points.some((p) => p.failed > 0);
    const header = ['#', ...params, 'runs', ...(failures ? ['failed'] : []), 'ops/s', 'spread', 'tbl cont%', 'tbl wait p99', 'iova cont%', 'jain', 'map p50', 'viol'];
    const rows = points.map((p) => {
        const f = p.figures;
        const figures = f
            ? [
                si(f.opsPerSec.median),
                p.runs > 1 ? `${(100 * f.opsPerSec.relSpread).toFixed(0)}%` : '-',
                pct(f.tableContentionPct),
                ns(f.tableWaitP99Ns),
                pct(f.iovaContentionPct),
                f.jain.toFixed(3),
                ns(f.mapP50Ns),
                String(p.violations),
            ]
            : ['failed', NONE, NONE, NONE, NONE, NONE, NONE, NONE];
        return [`${p.point}${p.oversubscribed ? '*' : ''}`, ...params.map((k) => String(p.varied[k] ?? '')), String(p.runs), ...(failures ? [String(p.failed)] : []), ...figures];
    });
    return { header, rows };
}
/** Horizontal bars, one a point, scaled to the largest; a null value (nothing measured) shows `missing` instead of a bar. */
export function barChart(labels, values, width = 40, missing = 'no figures') {
    const max = Math.max(...values.map((v) => v ?? 0), 0);
    const lw = Math.max(...labels.map((l) => l.length));
    return labels
        .map((l, i) => {
        const v = values[i];
        if (v === null || v === undefined)
            return `${l.padEnd(lw)} │ ${missing}`;
        const n = max > 0 ? (v / max) * width : 0;
        const full = Math.floor(n);
        const part = ' ▏▎▍▌▋▊▉'[Math.round((n - full) * 7)] ?? '';
        return `${l.padEnd(lw)} │${'█'.repeat(full)}${full < width ? part.trim() : ''} ${si(v)}`;
    })
        .join('\n');
}
/** The first line of a harness message, cut to a width that fits a terminal line. */
function firstLine(message, width = 120) {
    const line = message.split('\n')[0] ?? '';
    return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}
export function formatSummary(points) {
    const { header, rows } = summaryRows(points);
    const out = [table(header, rows)];
    if (points.some((p) => p.oversubscribed))
        out.push('* oversubscribed: more workers than cores (lock-holder preemption hits spinning locks)');
    const labels = points.map((p) => `#${p.point} ${Object.values(p.varied).join(' ')}${p.oversubscribed ? ' *' : ''}`);
    out.push('', 'throughput (median ops/s):', barChart(labels, points.map((p) => p.figures?.opsPerSec.median ?? null), 40, 'every run failed'));
    const viol = points.filter((p) => p.violations > 0);
    if (viol.length)
        out.push('', `violations at ${viol.length} point${viol.length > 1 ? 's' : ''}: ${viol.map((p) => `#${p.point}`).join(', ')}`);
    const failed = points.filter((p) => p.failed > 0);
    if (failed.length) {
        const runs = failed.reduce((n, p) => n + p.failed, 0);
        out.push('', `failed runs (the harness gave up: a crashed worker or no progress): ${runs} at ${failed.length} point${failed.length > 1 ? 's' : ''}`);
        for (const p of failed) {
            out.push(`  #${p.point}: ${p.failed} of ${p.runs + p.failed} run${p.runs + p.failed > 1 ? 's' : ''} failed: ${p.errors.map((e) => firstLine(e)).join(' | ')}`);
        }
    }
    return out.join('\n');
}
//# sourceMappingURL=summary.js.map