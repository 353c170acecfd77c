import { describe, expect, it } from 'vitest';
import { SCENARIOS, scenarioByName } from '../src/scenarios/index.js';
import { runScenario, type ScenarioResult } from '../src/scenarios/scenario.js';
import { formatScenario } from '../src/scenarios/format.js';

const tiny = (name: string): Promise<ScenarioResult> => runScenario(scenarioByName(name)!, { base: {}, durationSec: 0.15, quick: true });

/** Every scenario at a tiny size: it runs, its result has the fields, its finding is drawn from its own numbers. */
describe('scenarios', () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: runs, fills its tables, draws a finding from the numbers`, async () => {
      const r = await tiny(s.name);
      expect(r).toMatchObject({ schema: 'iommu-stress/scenario@1', scenario: s.name, question: s.question });
      expect(r.runs.length).toBeGreaterThanOrEqual(s.runsPlanned({ base: {}, durationSec: 0.15, quick: true }));
      expect(r.tables.length).toBeGreaterThan(0);
      for (const t of r.tables) {
        expect(t.rows.length).toBeGreaterThan(0);
        for (const row of t.rows) expect(row).toHaveLength(t.header.length);
      }
      expect(r.runs.every((x) => x.result.totals.ops > 0)).toBe(true);
      // The finding quotes measured figures: some ratio or percentage of it is printed in a table too.
      const figures = r.finding.match(/\d+(\.\d+)?(x|%)/g) ?? [];
      const tables = r.tables.map((t) => t.rows.flat().join(' ')).join(' ');
      expect(figures.length, r.finding).toBeGreaterThan(0);
      expect(figures.some((x) => tables.includes(x)), `${r.finding}\n${tables}`).toBe(true);
      expect(formatScenario(r)).toContain(`finding: ${r.finding}`);
    });
  }

  it("map-batch: one call's map p50 against size beside the kernel's iommupt figures, its ratio drawn from the runs", async () => {
    const r = await tiny('map-batch');
    const t = r.tables.find((x) => x.header.includes('kernel ns'))!;
    expect(t.header).toEqual(['size', 'ns', 'kernel ns', 'ratio to 4 KiB', 'kernel ratio']);
    expect(t.rows[0]).toEqual(['4 KiB', expect.any(Number), 53, '1.0x', '1.0x']);
    const mapped = r.runs.filter((x) => x.label.includes('one array call, 1 device'));
    const p50 = (pages: number): number => mapped.find((x) => x.label.startsWith(`${pages} pages`))!.result.latency.map.p50Ns;
    expect(t.rows[0]![1]).toBe(Math.round(p50(1)));
    expect(t.rows[1]).toEqual(['64 KiB', Math.round(p50(16)), '-', `${(p50(16) / p50(1)).toFixed(1)}x`, '-']);
  });

  it('per-device-tables: the correct variants run clean, per-device locks on a shared table are caught', async () => {
    const r = await tiny('per-device-tables');
    for (const run of r.runs.filter((x) => !x.label.includes('per-device locks'))) expect(run.result.violations.count).toBe(0);
    expect(r.caught.some((c) => c.violations > 0)).toBe(true);
  });

  it('live-switch: a switch to a shared table keeps mappings live, a switch to an empty domain is caught', async () => {
    const r = await tiny('live-switch');
    const good = r.runs.find((x) => x.label.includes('shared table'))!.result;
    expect(good.liveSwitch!.switches).toBeGreaterThan(0);
    expect(good.violations.count).toBe(0);
    expect(r.caught[0]!.violations).toBeGreaterThan(0);
    expect(Object.keys(r.caught[0]!.byInvariant)).toContain('dma-fault');
  });

  it('iotlb-flush: deferral opens a stale window, an early free is caught', async () => {
    const r = await tiny('iotlb-flush');
    const deferred = r.runs.find((x) => x.label === 'deferred flush')!.result;
    const strict = r.runs.find((x) => x.label === 'strict flush')!.result;
    expect(deferred.violations.count).toBe(0);
    expect(strict.violations.count).toBe(0);
    expect(deferred.iotlb.staleTranslations).toBeGreaterThan(0);
    expect(strict.iotlb.staleTranslations).toBe(0);
    expect(r.caught[0]!.violations).toBeGreaterThan(0);
  });

  it('group-size: magazines take the allocator lock far less often than the bitmap allocator', async () => {
    const r = await tiny('group-size');
    // Per operation, so that the figure does not depend on how fast this machine ran.
    const perOp = (label: string): number => {
      const run = r.runs.find((x) => x.label.endsWith(label))!.result;
      return run.locks.find((l) => l.class === 'iova')!.acquisitions / run.totals.ops;
    };
    expect(perOp('group size 2, bitmap')).toBeGreaterThan(1.5); // an alloc and a free each operation
    expect(perOp('group size 2, rcache')).toBeLessThan(0.2); // only until the magazines fill
  });

  it('pvdma: every size runs in both modes with the pool below the DMA mask', async () => {
    const r = await tiny('pvdma');
    expect(r.runs.filter((x) => x.result.config.mode === 'pv-bounce')).toHaveLength(3);
    expect(r.runs.every((x) => x.result.violations.count === 0)).toBe(true);
    expect(r.finding).toMatch(/DMA mask/);
  });
});
