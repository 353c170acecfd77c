import { describe, expect, it } from 'vitest';
import { planCharts } from '../src/report/report-charts.js';
import { pointRows } from '../src/report/report-data.js';
import { renderSvg } from '../src/report/vega-svg.js';
import { smallSweep } from './sweep-fixtures.js';

describe('rendering a chart to SVG in Node', () => {
  it('gives every planned chart an SVG with a title, axis titles and a legend, without a warning or a URL', async () => {
    for (const plan of planCharts(pointRows(smallSweep()))) {
      if (plan.kind !== 'chart') continue;
      const { svg, warnings } = await renderSvg(plan.spec);
      expect(warnings, plan.id).toEqual([]);
      expect(svg, plan.id).toMatch(/^<svg /);
      expect(svg, plan.id).toContain('role-title');
      expect(svg.match(/class="mark-text role-axis-title"/g)?.length ?? 0, plan.id).toBeGreaterThanOrEqual(2);
      expect(svg, plan.id).toContain('role-legend');
      expect(svg, plan.id).not.toMatch(/https?:/);
    }
  });

  it('reports what vega-lite warns about instead of printing it', async () => {
    const { warnings } = await renderSvg({
      data: { values: [{ a: 1, b: 'x' }] },
      mark: 'point',
      encoding: { x: { field: 'a', type: 'quantitative' }, opacity: { field: 'b', type: 'nominal' } },
    });
    expect(warnings.join('\n')).toMatch(/opacity/);
  });
});
