import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fieldByKey } from '../src/config/config.js';
import { UsageError } from '../src/util/errors.js';
import { parseList, parseShard, planSweep, runSweep } from '../src/sweep/sweep.js';
import { readRecords, summarizePoints } from '../src/sweep/sweep-record.js';
import { jain, minMaxRatio, median, spread } from '../src/util/stats.js';

describe('sweep plan', () => {
  it('is the cartesian product, in the order of the options', () => {
    const plan = planSweep({ durationSec: 0.1 }, { devices: [1, 2], lock: ['ttas', 'mcs'] });
    expect(plan.points.map((p) => [p.config.devices, p.config.lock])).toEqual([
      [1, 'ttas'],
      [1, 'mcs'],
      [2, 'ttas'],
      [2, 'mcs'],
    ]);
    expect(plan.points.every((p) => p.config.durationSec === 0.1)).toBe(true);
  });

  it("reads group size 'all' as the point's device count, and drops duplicates", () => {
    const plan = planSweep({}, { devices: [1, 4], groupSize: parseList(fieldByKey('groupSize'), '1,all') });
    expect(plan.points.map((p) => [p.config.devices, p.config.groupSize])).toEqual([
      [1, 1],
      [4, 1],
      [4, 4],
    ]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['the same configuration as point #0']);
  });

  it('skips combinations that are not valid, saying why', () => {
    const plan = planSweep({}, { devices: [2, 3], groupSize: [2] });
    expect(plan.points.map((p) => p.config.devices)).toEqual([2]);
    expect(plan.skipped[0]!.reason).toMatch(/--group-size 2: must divide --devices 3/);
  });

  it("expands 'all' of an enum and rejects a bad item by name", () => {
    expect(parseList(fieldByKey('completion'), 'all')).toEqual(['random', 'fifo']);
    expect(parseList(fieldByKey('driver'), 'all')).toEqual(['refcount', 's390', 'nolock', 'cmpxchg', 'cmpxchg-locked']);
    expect(() => parseList(fieldByKey('devices'), '1,two')).toThrow(/--devices "two": not a number/);
    expect(() => parseList(fieldByKey('devices'), '1,,2')).toThrow(UsageError);
  });

  it('parses shards k/n', () => {
    expect(parseShard('2/3')).toEqual([2, 3]);
    expect(() => parseShard('4/3')).toThrow(/--shard "4\/3"/);
  });
});

describe('sweep runs', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('appends each run to the NDJSON file, skips what is there on a rerun, and shards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-'));
    dirs.push(dir);
    const out = join(dir, 's.ndjson');
    const plan = planSweep({ durationSec: 0.05 }, { devices: [1, 2], groupSize: [1] , lock: ['ttas', 'futex'] });
    const first = await runSweep(plan, { repeat: 1, out, shard: [1, 2] });
    expect(first.ran.map((r) => r.point)).toEqual([0, 2]);
    const second = await runSweep(plan, { repeat: 2, out, shard: [1, 1] });
    expect(second.reused).toBe(2);
    expect(second.ran.map((r) => `${r.point}#${r.rep}`)).toEqual(['1#0', '3#0', '0#1', '1#1', '2#1', '3#1']);
    const { records, skipped } = readRecords(out, '--out');
    expect(records).toHaveLength(8);
    expect(skipped).toEqual([]);
    const points = summarizePoints(records);
    expect(points.map((p) => p.runs)).toEqual([2, 2, 2, 2]);
    expect(points.every((p) => (p.figures?.opsPerSec.median ?? 0) > 0)).toBe(true);
  });

  it('ignores a half-written last line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-'));
    dirs.push(dir);
    const out = join(dir, 's.ndjson');
    writeFileSync(out, '');
    appendFileSync(out, '{"schema":"iommu-stress/sweep-run@1","key":"x",');
    const r = readRecords(out, '--out');
    expect(r.records).toEqual([]);
    expect(r.skipped).toEqual([1]);
    expect(readFileSync(out, 'utf8')).toContain('sweep-run');
  });
});

describe('statistics', () => {
  it("Jain's index is 1 for equal shares and 1/n when one does all", () => {
    expect(jain([5, 5, 5, 5])).toBeCloseTo(1);
    expect(jain([8, 0, 0, 0])).toBeCloseTo(0.25);
    expect(minMaxRatio([2, 4])).toBe(0.5);
  });
  it('median and spread', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(spread([90, 100, 110])).toMatchObject({ median: 100, min: 90, max: 110, relSpread: 0.2 });
  });
});
