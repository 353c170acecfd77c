/**
 * A RunTrace as one self-contained page (`replay --html FILE`): the
 * interleaving as swimlanes (a Vega-Lite chart rendered to SVG in Node), the
 * scheduler's steps as a table with a column per thread (as Lincheck prints
 * an interleaving), the violation report and the command that replays the
 * run. Like the sweep report (html-report.ts), whose conventions and look it
 * follows: inline CSS, inline SVG, no script, no URL; it opens offline.
 */
import type { TopLevelSpec } from 'vega-lite';
import { type RunTrace } from './run-trace.js';
/** The longest step table shown whole; a longer run shows its last this many steps. */
export declare const STEP_TABLE_LIMIT = 400;
/** The swimlane chart: a lane per track, x the clock, slices as labelled bars, the marks on top. */
export declare function interleavingSpec(t: RunTrace): TopLevelSpec;
export interface ReplayHtmlOptions {
    /** Told of anything the chart renderer warned about. */
    onWarning?: (message: string) => void;
}
export declare function renderReplayHtml(t: RunTrace, opts?: ReplayHtmlOptions): Promise<string>;
