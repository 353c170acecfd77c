import { describe, expect, it } from 'vitest';
import { type ChartPlan, decadesAround, planCharts } from '../src/report/report-charts.js';
import { pointRows } from '../src/report/report-data.js';
import { LOCK_NAMES } from '../src/locks/registry.js';
import { fakeRecord, smallSweep } from './sweep-fixtures.js';

const drawn = (plans: ChartPlan[]): string[] => plans.filter((p) => p.kind === 'chart').map((p) => p.id);
const reasons = (plans: ChartPlan[]): Record<string, string> =>
  Object.fromEntries(plans.flatMap((p) => (p.kind === 'omitted' ? [[p.id, p.reason]] : [])));

describe('which charts a sweep gets', () => {
  it('a sweep of devices, group size and lock gets every chart but the contention of private domains, which is all zero', () => {
    const plans = planCharts(pointRows(smallSweep()));
    expect(drawn(plans)).toEqual([
      'throughput-devices-private',
      'throughput-devices-shared',
      'throughput-group-size',
      'contention-devices-shared',
      'wait-percentiles',
      'throughput-points',
    ]);
    expect(reasons(plans)).toEqual({ 'contention-devices-private': expect.stringMatching(/0% everywhere/) });
  });

  it('a sweep of the lock alone gets the per-point bars, and is told why each line chart is missing', () => {
    const recs = LOCK_NAMES.map((lock, point) => fakeRecord({ config: { devices: 2, lock }, varied: { lock }, point, opsPerSec: 1000 + point }));
    const plans = planCharts(pointRows(recs));
    expect(drawn(plans)).toEqual(['throughput-points']);
    expect(reasons(plans)).toEqual({
      'throughput-devices-private': expect.stringMatching(/one device count \(2\); a line needs two/),
      'throughput-devices-shared': expect.stringMatching(/no point of the sweep has one shared domain/),
      'throughput-group-size': 'no device count was measured at more than one group size',
      'contention-devices-private': expect.stringMatching(/one device count/),
      'contention-devices-shared': expect.stringMatching(/no point/),
      'wait-percentiles': 'no point recorded a contended wait on a page-table lock',
    });
  });

  it('a line chart always has at least two x values', () => {
    for (const plan of planCharts(pointRows(smallSweep()))) {
      if (plan.kind !== 'chart' || !plan.id.includes('devices')) continue;
      const values = (plan.spec as { data: { values: { x: number }[] } }).data.values;
      expect(new Set(values.map((v) => v.x)).size, plan.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('every chart colours the locks in the same order', () => {
    const domains = planCharts(pointRows(smallSweep()))
      .filter((p) => p.kind === 'chart')
      .map((p) => JSON.stringify(p.spec).match(/"field":"lock","type":"nominal","title":"lock","scale":\{"domain":(\[[^\]]*\])/)?.[1]);
    expect(new Set(domains)).toEqual(new Set(['["ttas","futex"]']));
  });
});

describe('the wait axis', () => {
  it('spans whole decades around the values', () => {
    expect(decadesAround([300, 90_000])).toEqual([100, 1000, 10_000, 100_000]);
    expect(decadesAround([1000])).toEqual([1000, 10_000]);
  });
});
