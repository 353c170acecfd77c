import type { TopLevelSpec } from 'vega-lite';
export interface RenderedSvg {
    svg: string;
    /** What vega-lite and vega warned about (a spec the charts should not produce), instead of their console output. */
    warnings: string[];
}
export declare function renderSvg(spec: TopLevelSpec): Promise<RenderedSvg>;
