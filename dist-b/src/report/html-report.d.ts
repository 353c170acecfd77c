import type { SweepRecord } from '../sweep/sweep-record.js';
export interface HtmlReportOptions {
    /** The sweep file the records came from, named on the page. */
    source: string;
    /** Line numbers of incomplete lines that were ignored. */
    skippedLines?: readonly number[];
    /** Told of anything the chart renderer warned about, chart by chart. */
    onWarning?: (chartId: string, message: string) => void;
}
export declare function escapeHtml(text: string): string;
/** What every page of this tool looks like: type, headings, charts, tables (each page adds its own). */
export declare const PAGE_STYLE = "\nbody { font: 14px/1.45 system-ui, -apple-system, \"Segoe UI\", sans-serif; color: #222; margin: 2em auto; max-width: 1200px; padding: 0 1em; }\nh1 { font-size: 1.5em; margin-bottom: 0.2em; }\nh2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }\n.meta { color: #555; margin-top: 0; }\nfigure.chart { margin: 1.5em 0; overflow-x: auto; }\nfigure.chart figcaption { color: #444; max-width: 60em; margin-top: 0.3em; }\ntable { border-collapse: collapse; font-variant-numeric: tabular-nums; }\ncode { font-family: ui-monospace, monospace; font-size: 0.95em; }\n.note { color: #555; }\n";
export declare function renderHtmlReport(records: readonly SweepRecord[], opts: HtmlReportOptions): Promise<string>;
