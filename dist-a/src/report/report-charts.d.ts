/**
 * The charts of the HTML report as Vega-Lite specifications, built from the
 * plain rows of report-data.ts. A chart whose data cannot make a line (one x
 * value, no points, nothing but zeros) is not drawn: its plan says why, and
 * the page lists it. Rendering is elsewhere (vega-svg.ts).
 *
 * The same encodings throughout: colour = lock algorithm (one palette for the
 * whole page), point shape = whether workers outnumbered cores, panels = lock
 * driver and any other swept option; the x axis is the one thing that varies
 * along a line.
 */
import type { TopLevelSpec } from 'vega-lite';
import { type PointRow } from './report-data.js';
export interface DrawnChart {
    kind: 'chart';
    id: string;
    title: string;
    /** What to look for, a sentence or two under the chart. */
    caption: string;
    spec: TopLevelSpec;
}
export interface OmittedChart {
    kind: 'omitted';
    id: string;
    title: string;
    reason: string;
}
export type ChartPlan = DrawnChart | OmittedChart;
/** Powers of ten from below the smallest value to above the largest (at least two). */
export declare function decadesAround(values: readonly number[]): number[];
/** Every chart of the report, drawn or left out, in page order. */
export declare function planCharts(rows: readonly PointRow[]): ChartPlan[];
