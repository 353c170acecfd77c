/**
 * The terminal summary of a sweep: a table of every point (median of its
 * repetitions and their spread) and a bar chart of throughput. Points where
 * workers outnumber cores are marked. A point whose runs failed is shown
 * with its failure count, and with no figures when none of its runs
 * finished. Data first, then drawing.
 */
import type { PointSummary } from '../sweep/sweep-record.js';
/** Columns: the swept parameters, then the measured figures; a `failed` column only when some run failed. */
export declare function summaryRows(points: readonly PointSummary[]): {
    header: string[];
    rows: string[][];
};
/** Horizontal bars, one a point, scaled to the largest; a null value (nothing measured) shows `missing` instead of a bar. */
export declare function barChart(labels: readonly string[], values: readonly (number | null)[], width?: number, missing?: string): string;
export declare function formatSummary(points: readonly PointSummary[]): string;
