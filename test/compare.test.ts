import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/config.js';
import { configDiff, formatCompare, runCompare } from '../src/sweep/compare.js';

describe('compare', () => {
  it('runs A and B in alternation and gives B/A per pair', async () => {
    const a = resolveConfig({ devices: 2, groupSize: 1, durationSec: 0.2 });
    const b = resolveConfig({ ...a, groupSize: 2 });
    const order: string[] = [];
    const o = await runCompare(a, b, 2, (label, pair) => order.push(`${label}${pair}`));
    expect(order).toEqual(['A0', 'B0', 'A1', 'B1']);
    expect(o.ratios).toHaveLength(2);
    o.ratios.forEach((r, i) => expect(r).toBeCloseTo(o.runsB[i]!.totals.opsPerSec / o.runsA[i]!.totals.opsPerSec));
    expect(o.runsB.every((r) => r.config.groupSize === 2)).toBe(true);
    const text = formatCompare(o);
    expect(text).toMatch(/B differs from A in groupSize: 1 -> 2/);
    expect(text).toMatch(/conclusion: /);
  });

  it('names only the options that differ', () => {
    const a = resolveConfig({});
    expect(configDiff(a, { ...a, lock: 'ticket', pages: 8 })).toEqual(['lock: "mcs" -> "ticket"', 'pages: 1 -> 8']);
  });
});
