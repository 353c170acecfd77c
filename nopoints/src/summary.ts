/**
 * The terminal summary of a sweep: a table of every point (median of its
 * repetitions and their spread) and a bar chart of throughput. Points where
 * workers outnumber cores are marked. Data first, then drawing.
 */
import type { PointSummary } from './sweep-record.js';
import { ns, pct, si, table } from './report.js';

/** Columns: the swept parameters, then the measured figures. */
export function summaryRows(points: readonly PointSummary[]): { header: string[]; rows: string[][] } {
  const params = [...new Set(points.flatMap((p) => Object.keys(p.varied)))];
  const header = ['#', ...params, 'runs', 'ops/s', 'spread', 'tbl cont%', 'tbl wait p99', 'iova cont%', 'jain', 'map p50', 'viol'];
  const rows = points.map((p) => [
    `${p.point}${p.oversubscribed ? '*' : ''}`,
    ...params.map((k) => String(p.varied[k] ?? '')),
    String(p.runs),
    si(p.opsPerSec.median),
    p.runs > 1 ? `${(100 * p.opsPerSec.relSpread).toFixed(0)}%` : '-',
    pct(p.tableContentionPct),
    ns(p.tableWaitP99Ns),
    pct(p.iovaContentionPct),
    p.jain.toFixed(3),
    ns(p.mapP50Ns),
    String(p.violations),
  ]);
  return { header, rows };
}

/** Horizontal bars, one a point, scaled to the largest. */
export function barChart(labels: readonly string[], values: readonly number[], width = 40): string {
  const max = Math.max(...values, 0);
  const lw = Math.max(...labels.map((l) => l.length));
  return labels
    .map((l, i) => {
      const v = values[i]!;
      const n = max > 0 ? (v / max) * width : 0;
      const full = Math.floor(n);
      const part = ' ▏▎▍▌▋▊▉'[Math.round((n - full) * 7)] ?? '';
      return `${l.padEnd(lw)} │${'█'.repeat(full)}${full < width ? part.trim() : ''} ${si(v)}`;
    })
    .join('\n');
}

export function formatSummary(points: readonly PointSummary[]): string {
  const { header, rows } = summaryRows(points);
  const out = [table(header, rows)];
  if (points.some((p) => p.oversubscribed)) out.push('* oversubscribed: more workers than cores (lock-holder preemption hits spinning locks)');
  const labels = points.map((p) => `#${p.point} ${Object.values(p.varied).join(' ')}${p.oversubscribed ? ' *' : ''}`);
  out.push('', 'throughput (median ops/s):', barChart(labels, points.map((p) => p.opsPerSec.median)));
  const viol = points.filter((p) => p.violations > 0);
  if (viol.length) out.push('', `violations at ${viol.length} point${viol.length > 1 ? 's' : ''}: ${viol.map((p) => `#${p.point}`).join(', ')}`);
  return out.join('\n');
}
