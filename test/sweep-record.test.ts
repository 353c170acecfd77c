/**
 * Reading sweep files for `report`: exact duplicates dropped and counted,
 * the same run with another result kept and named as a conflict, records
 * with a malformed result skipped with their line, and failed runs shown by
 * the summaries without figures. Records made by hand (sweep-fixtures.ts),
 * written to real temporary files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type SweepRecord,
  conflictsMessage,
  duplicatesMessage,
  problemsMessage,
  readRecords,
  summarizePoints,
} from '../src/sweep/sweep-record.js';
import { formatSummary } from '../src/report/summary.js';
import { configSummary, envSummary, failureRows, pointRows } from '../src/report/report-data.js';
import { fakeFailedRecord, fakeRecord, smallSweep } from './sweep-fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temporary file holding these records (or anything else), one a line. */
function fileOf(records: readonly unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-record-'));
  dirs.push(dir);
  const path = join(dir, 's.ndjson');
  writeFileSync(path, records.map((r) => JSON.stringify(r) + '\n').join(''));
  return path;
}

describe('report: duplicates and conflicts', () => {
  it('drops exact copies (a shard concatenated twice) and counts them', () => {
    const shard = smallSweep(1);
    const r = readRecords(fileOf([...shard, ...shard]), 'report');
    expect(r.records).toEqual(shard);
    expect(r.duplicates).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(r.conflicts).toEqual([]);
    expect(summarizePoints(r.records).every((p) => p.runs === 1)).toBe(true);
    expect(duplicatesMessage(r.duplicates.length)).toBe('report: 10 duplicate records dropped (the same run twice, e.g. a shard concatenated twice)');
  });

  it('keeps the same run recorded with a different result, and counts it as a conflict', () => {
    const run = { config: { devices: 2 }, varied: { devices: 2 }, point: 0, rep: 0 };
    const a = fakeRecord({ ...run, opsPerSec: 100 });
    const b = fakeRecord({ ...run, opsPerSec: 120 });
    const r = readRecords(fileOf([a, b, b]), 'report');
    expect(r.records).toEqual([a, b]);
    expect(r.duplicates).toEqual([3]);
    expect(r.conflicts).toEqual([{ point: 0, rep: 0, seed: 1, lines: [1, 2] }]);
    expect(summarizePoints(r.records)[0]!.runs).toBe(2);
    expect(conflictsMessage(r.conflicts)).toBe('report: 1 run recorded more than once with different results (kept, all counted, e.g. point #0 rep 0 seed 1 on lines 1, 2)');
  });

  it('sees no conflict between runs of another seed, another repetition, or a failure and its retry', () => {
    const run = { varied: { devices: 2 }, point: 0, rep: 0 };
    const r = readRecords(
      fileOf([
        fakeRecord({ ...run, config: { devices: 2 }, opsPerSec: 100 }),
        fakeRecord({ ...run, config: { devices: 2, seed: 7 }, opsPerSec: 120 }),
        fakeRecord({ ...run, config: { devices: 2 }, rep: 1, opsPerSec: 130 }),
        fakeFailedRecord({ ...run, config: { devices: 2 }, rep: 2 }),
        fakeRecord({ ...run, config: { devices: 2 }, rep: 2, opsPerSec: 140 }),
      ]),
      'report',
    );
    expect(r.records).toHaveLength(5);
    expect(r).toMatchObject({ duplicates: [], conflicts: [] });
  });
});

describe('malformed records', () => {
  it('are skipped with their line and why, and the summaries never see them', () => {
    const good = fakeRecord({ config: {}, varied: {}, opsPerSec: 5 });
    const path = fileOf([
      good,
      { ...good, result: {} },
      { ...good, result: { ...good.result, totals: undefined } },
      { ...good, result: null },
      { ...good, result: { ...good.result, locks: [{ class: 'pgtable' }] } },
      { ...fakeFailedRecord({ config: {}, varied: {} }), error: undefined },
    ]);
    const r = readRecords(path, 'report');
    expect(r.records).toEqual([good]);
    expect(r.skipped).toEqual([2, 3, 4, 5, 6]);
    expect(r.problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/^a sweep record with a malformed field: result\.config/),
      expect.stringMatching(/^a sweep record with a malformed field: result\.totals/),
      expect.stringMatching(/^a sweep record with a malformed field: result /),
      expect.stringMatching(/^a sweep record with a malformed field: result\.locks\.0\.instances/),
      expect.stringMatching(/^a sweep record with a malformed field: error/),
    ]);
    expect(problemsMessage('s.ndjson', r.problems)).toMatch(/^s\.ndjson: 5 lines ignored, not complete sweep records \(line 2: a sweep record with a malformed field: result\.config/);
    expect(() => formatSummary(summarizePoints(r.records))).not.toThrow();
  });

  it('leave nothing when nothing else is there (the CLI then exits 2)', () => {
    const good = fakeRecord({ config: {}, varied: {}, opsPerSec: 5 });
    expect(readRecords(fileOf([{ ...good, result: { ...good.result, totals: {} } }]), 'report')).toMatchObject({ records: [], skipped: [1] });
  });

  it('a record without a status (written before failures were recorded) is a finished run', () => {
    const old = fakeRecord({ config: {}, varied: {}, opsPerSec: 5 });
    expect('status' in old).toBe(false);
    const [p] = summarizePoints(readRecords(fileOf([old]), 'report').records);
    expect(p).toMatchObject({ runs: 1, failed: 0, figures: { opsPerSec: { median: 5 } } });
  });
});

describe('failed runs in the summaries', () => {
  // Point 1 failed once of two runs, point 2 every time.
  const records: SweepRecord[] = [
    fakeRecord({ config: { devices: 1 }, varied: { devices: 1 }, point: 0, opsPerSec: 100 }),
    fakeRecord({ config: { devices: 2 }, varied: { devices: 2 }, point: 1, opsPerSec: 150 }),
    fakeFailedRecord({ config: { devices: 2 }, varied: { devices: 2 }, point: 1, rep: 1, message: 'worker 1 (device 1) crashed: boom' }),
    fakeFailedRecord({ config: { devices: 4 }, varied: { devices: 4 }, point: 2 }),
    fakeFailedRecord({ config: { devices: 4 }, varied: { devices: 4 }, point: 2, rep: 1 }),
  ];

  it('count the failures at each point, with no figures where no run finished', () => {
    const points = summarizePoints(records);
    expect(points.map((p) => [p.point, p.runs, p.failed, p.figures?.opsPerSec.median ?? null])).toEqual([
      [0, 1, 0, 100],
      [1, 1, 1, 150],
      [2, 0, 2, null],
    ]);
    expect(points[2]!.errors).toEqual([expect.stringMatching(/^no progress for 5 s/)]);
    expect(points[2]!.config.devices).toBe(4);
  });

  it('the terminal summary shows each failed point with its count and message', () => {
    const text = formatSummary(summarizePoints(records));
    const [head, ...rows] = text.split('\n');
    expect(head).toMatch(/runs\s+failed\s+ops\/s/);
    expect(rows[1]).toMatch(/^1\s+2\s+1\s+1\s+150 /);
    expect(rows[2]).toMatch(/^2\*?\s+4\s+0\s+2\s+failed\s+-/);
    expect(text).toMatch(/#2 4 \*?\s*│ every run failed/);
    expect(text).toContain('failed runs (the harness gave up: a crashed worker or no progress): 3 at 2 points');
    expect(text).toContain('  #1: 1 of 2 runs failed: worker 1 (device 1) crashed: boom');
    expect(text).toMatch(/ {2}#2: 2 of 2 runs failed: no progress for 5 s/);
  });

  it('has no failed column when nothing failed', () => {
    expect(formatSummary(summarizePoints(smallSweep(1))).split('\n')[0]).not.toContain('failed');
  });

  it('the report data plots the points that have figures, labels their failures, and lists every failed point', () => {
    const rows = pointRows(records);
    expect(rows.map((r) => [r.point, r.runs, r.failed])).toEqual([
      [0, 1, 0],
      [1, 1, 1],
    ]);
    expect(rows[1]!.label).toBe('#1 2 devices, group 1, mcs, refcount, 1 failed run');
    expect(failureRows(records)).toEqual([
      { point: 1, label: '#1 2 devices, group 1, mcs, refcount', failed: 1, runs: 2, errors: ['worker 1 (device 1) crashed: boom'] },
      { point: 2, label: '#2* 4 devices, group 1, mcs, refcount', failed: 2, runs: 2, errors: [expect.stringMatching(/^no progress/)] },
    ]);
    expect(configSummary(records).varied).toEqual(['devices', 'seed']);
    expect(envSummary(records)).toMatchObject([{ runs: 5 }]);
  });
});
