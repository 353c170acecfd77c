/**
 * Vega-Lite spec to SVG text, in Node: compile to Vega, run a headless view
 * (no canvas, no DOM) and serialise its scene graph. The only file that
 * touches vega; its loose types stop here.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
/**
 * Namespace declarations name the SVG and XLink vocabularies by URL; inside
 * an HTML page the parser supplies them, so they are dropped and the page
 * names no URL at all.
 */
const NAMESPACE_ATTR = /\s+xmlns(?::xlink)?="[^"]*"/g;
export async function renderSvg(spec) {
    const warnings = [];
    const logger = vega.logger(vega.Warn, 'warn', (_method, level, args) => {
        warnings.push(`${level} ${args.map(String).join(' ')}`);
    });
    const compiled = vl.compile(spec, { logger }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
    try {
        const svg = await view.toSVG();
        if (typeof svg !== 'string' || !svg.startsWith('<svg'))
            throw new Error('vega rendered no SVG');
        return { svg: svg.replace(NAMESPACE_ATTR, ''), warnings };
    }
    finally {
        view.finalize();
    }
}
//# sourceMappingURL=vega-svg.js.map