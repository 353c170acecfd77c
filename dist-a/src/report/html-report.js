/**
 * The HTML report of a sweep: one self-contained page (inline CSS, charts as
 * inline SVG, no script, no URL) that opens offline. Data comes from
 * report-data.ts, chart specs from report-charts.ts, SVG from vega-svg.ts;
 * this file only lays the page out.
 */
import { basename } from 'node:path';
import { planCharts } from './report-charts.js';
import { configSummary, envSummary, pointRows } from './report-data.js';
import { summarizePoints } from '../sweep/sweep-record.js';
import { summaryRows } from './summary.js';
import { renderSvg } from './vega-svg.js';
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}
/** What every page of this tool looks like: type, headings, charts, tables (each page adds its own). */
export const PAGE_STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 2em auto; max-width: 1200px; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.meta { color: #555; margin-top: 0; }
figure.chart { margin: 1.5em 0; overflow-x: auto; }
figure.chart figcaption { color: #444; max-width: 60em; margin-top: 0.3em; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, monospace; font-size: 0.95em; }
.note { color: #555; }
`;
const STYLE = `${PAGE_STYLE}
th, td { padding: 0.15em 0.7em; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
th { background: #f5f5f5; }
td.text, th.text { text-align: left; white-space: normal; }
tr.over td { background: #fff6e0; }
td.viol { color: #b00020; font-weight: bold; }
`;
function tableHtml(header, rows, rowClass = () => '', cellClass = () => '') {
    const cls = (c) => (c ? ` class="${c}"` : '');
    const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
    const body = rows.map((r, i) => `<tr${cls(rowClass(i))}>${r.map((c, j) => `<td${cls(cellClass(i, j))}>${escapeHtml(c)}</td>`).join('')}</tr>`);
    return `<table>\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}
async function chartHtml(plan, onWarning) {
    const { svg, warnings } = await renderSvg(plan.spec);
    for (const w of warnings)
        onWarning?.(plan.id, w);
    return `<figure class="chart" id="${escapeHtml(plan.id)}" data-chart="${escapeHtml(plan.id)}">\n${svg}\n<figcaption>${escapeHtml(plan.caption)}</figcaption>\n</figure>`;
}
function howToRead() {
    return `<p>Each run of the sweep had worker threads act as DMA devices: each allocated an IOVA range, mapped it into its domain's IO page table, DMA'd through it and unmapped it, as fast as the locks let it.
A <em>point</em> is one configuration; its figures are medians over its repeated runs, and where a chart shows a vertical bar it spans the slowest to the fastest run.
Throughput is operations (map, DMA, unmap) per second over all devices together: a design that scales draws a line that rises with the devices.
<em>Private domains</em> (group size 1) give every device its own page table and locks, as s390 does; <em>one shared domain</em> (group size = devices) puts every device behind one page-table lock, so its lines show what that lock costs. A single device is both, and appears in both.
Colour is the lock algorithm, the same on every chart. Triangles (and faded bars, and rows marked <code>*</code>) are oversubscribed points: more worker threads than cores, where a preempted lock holder makes spinning locks wait out whole time slices; that is a finding about the lock, not noise.
Contention is the share of lock acquisitions that found the lock held; wait times are timed only for those, as Linux lock_stat does.
Points with violations (the <code>viol</code> column) ran a design the checker caught breaking, such as per-device locks on a shared table; their speed is not a fair comparison.</p>`;
}
function environmentHtml(records) {
    const machines = envSummary(records);
    const rows = machines.map((m) => [m.env.node, m.env.v8, m.env.cpuModel, String(m.env.cores), `${m.env.platform} ${m.env.arch}`, `${m.env.memoryGiB} GiB`, String(m.runs), `${m.first} – ${m.last}`]);
    const note = machines.length > 1 ? '<p class="note">The runs come from more than one machine (concatenated shards?): compare their points with care.</p>\n' : '';
    return note + tableHtml(['Node', 'V8', 'CPU', 'cores', 'platform', 'memory', 'runs', 'measured (UTC)'], rows, () => '', (_i, j) => (j === 2 ? 'text' : ''));
}
function configurationHtml(records) {
    const { fixed, varied } = configSummary(records);
    const rows = fixed.map((f) => [f.flag, f.value, f.help]);
    const sweptText = varied.length
        ? `<p>Swept (differ between runs): ${varied.map((k) => `<code>${escapeHtml(k)}</code>`).join(', ')}${varied.includes('seed') ? ' (the seed is the base seed plus the repetition number)' : ''}.</p>\n`
        : '';
    return sweptText + '<p>Shared by every run:</p>\n' + tableHtml(['option', 'value', 'meaning'], rows, () => '', (_i, j) => (j === 2 || j === 0 ? 'text' : ''));
}
function pointsHtml(records) {
    const points = summarizePoints(records);
    const { header, rows } = summaryRows(points);
    const violCol = header.indexOf('viol');
    const table = tableHtml(header, rows, (i) => (points[i]?.oversubscribed ? 'over' : ''), (i, j) => (j === violCol && (points[i]?.violations ?? 0) > 0 ? 'viol' : ''));
    const notes = [
        '<code>ops/s</code> is the median over the runs and <code>spread</code> (max − min) / median; <code>tbl</code> is the lock that guarded the page tables, <code>iova</code> the allocator lock; <code>jain</code> is Jain\'s fairness index of per-device work (1 = equal shares); <code>map p50</code> the median latency of one map call; <code>viol</code> the checker\'s violations over all runs of the point.',
    ];
    if (points.some((p) => p.oversubscribed))
        notes.push('<code>*</code> and a shaded row: oversubscribed, more worker threads than cores.');
    return table + '\n' + notes.map((n) => `<p class="note">${n}</p>`).join('\n');
}
function omittedHtml(plans) {
    const left = plans.filter((p) => p.kind === 'omitted');
    if (left.length === 0)
        return '<p>Every chart had data to draw.</p>';
    return `<ul id="omitted">\n${left.map((p) => `<li data-omitted="${escapeHtml(p.id)}"><strong>${escapeHtml(p.title)}</strong>: ${escapeHtml(p.reason)}.</li>`).join('\n')}\n</ul>`;
}
export async function renderHtmlReport(records, opts) {
    const rows = pointRows(records);
    const plans = planCharts(rows);
    const charts = [];
    for (const plan of plans)
        if (plan.kind === 'chart')
            charts.push(await chartHtml(plan, opts.onWarning));
    const name = basename(opts.source);
    const skipped = opts.skippedLines?.length ? `; ${opts.skippedLines.length} incomplete line${opts.skippedLines.length > 1 ? 's' : ''} ignored` : '';
    const over = rows.filter((r) => r.oversubscribed).length;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>iommu-stress sweep report: ${escapeHtml(name)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>iommu-stress sweep report</h1>
<p class="meta">Sweep file <code>${escapeHtml(name)}</code>: ${records.length} run${records.length === 1 ? '' : 's'} of ${rows.length} point${rows.length === 1 ? '' : 's'}${over ? `, ${over} oversubscribed` : ''}${escapeHtml(skipped)}.</p>

<h2>How to read this page</h2>
${howToRead()}

<h2>Environment</h2>
${environmentHtml(records)}

<h2>Configuration</h2>
${configurationHtml(records)}

<h2>Charts</h2>
${charts.join('\n\n')}

<h2>Charts left out</h2>
${omittedHtml(plans)}

<h2>Every point</h2>
${pointsHtml(records)}
</body>
</html>
`;
}
//# sourceMappingURL=html-report.js.map