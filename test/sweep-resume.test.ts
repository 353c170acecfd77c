/**
 * What a sweep does with its output file and with runs that fail: a torn
 * last line healed and its run made again, a torn middle line refused,
 * resume by the run's whole configuration, foreign files refused, failed
 * runs recorded and the sweep going on. Real temporary files; the runs are
 * made up (fakeRunner) except where a real harness failure is the point.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../src/config/config.js';
import { UsageError } from '../src/util/errors.js';
import { runConfig } from '../src/engine/run.js';
import { type SweepPlan, planSweep, runSweep, tornLineMessage } from '../src/sweep/sweep.js';
import { isOk, readRecords, summarizePoints } from '../src/sweep/sweep-record.js';
import { formatSummary } from '../src/report/summary.js';
import { configSummary, envSummary, failureRows, pointRows } from '../src/report/report-data.js';
import { fakeRecord, fakeResult, fakeRunner } from './sweep-fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempFile(name = 's.ndjson'): string {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-rel-'));
  dirs.push(dir);
  return join(dir, name);
}

/** Four points: devices 1, 2 by lock ttas, futex. Planning runs nothing. */
function fourPoints(base: Partial<Config> = {}): SweepPlan {
  return planSweep({ durationSec: 0.1, ...base }, { devices: [1, 2], lock: ['ttas', 'futex'] });
}

/** Run a sweep with made-up runs; returns the outcome and what was run. */
async function sweep(plan: SweepPlan, out: string, more: { repeat?: number; retryFailed?: boolean; fails?: (c: Config) => boolean } = {}) {
  const { runOne, calls } = fakeRunner(more.fails);
  const outcome = await runSweep(plan, { repeat: more.repeat ?? 1, out, shard: [1, 1], runOne, retryFailed: more.retryFailed });
  return { outcome, calls };
}

/** Byte offsets where each line of a file starts. */
function lineStarts(path: string): number[] {
  const buf = readFileSync(path);
  const starts = [0];
  for (let i = 0; i < buf.length - 1; i++) if (buf[i] === 0x0a) starts.push(i + 1);
  return starts;
}

describe('a torn last line', () => {
  it('is cut off the file (not rewritten), said, and its run made again', async () => {
    const out = tempFile();
    await sweep(fourPoints(), out);
    const whole = readFileSync(out);
    const start4 = lineStarts(out)[3]!;
    truncateSync(out, start4 + 30); // a kill 30 bytes into writing the 4th record
    const inode = statSync(out).ino;

    const { outcome, calls } = await sweep(fourPoints(), out);
    expect(outcome.torn).toEqual({ line: 4, bytes: 30, keptBytes: start4 });
    expect(tornLineMessage('sweep.ndjson', outcome.torn!)).toBe(
      'sweep.ndjson: the last line (line 4) was cut off mid-record (an interrupted write); removed, its run will be run again',
    );
    expect(outcome.reused).toBe(3);
    expect(outcome.ran.map((r) => r.point)).toEqual([3]);
    expect(calls).toHaveLength(1);
    // The whole lines are the same bytes in the same file; the new record follows them.
    expect(statSync(out).ino).toBe(inode);
    expect(readFileSync(out).subarray(0, start4).equals(whole.subarray(0, start4))).toBe(true);
    const r = readRecords(out, 'test');
    expect(r.skipped).toEqual([]);
    expect(r.records.map((x) => x.point)).toEqual([0, 1, 2, 3]);
    expect(readFileSync(out, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('counts a last line without its newline as torn, even when it parses', async () => {
    const out = tempFile();
    await sweep(fourPoints(), out);
    truncateSync(out, statSync(out).size - 1);
    const { outcome } = await sweep(fourPoints(), out);
    expect(outcome.torn?.line).toBe(4);
    expect(outcome.ran.map((r) => r.point)).toEqual([3]);
    expect(readRecords(out, 'test').records).toHaveLength(4);
  });

  it('heals a file where a record was appended onto a cut-off line (what resuming such a file used to do)', async () => {
    const out = tempFile();
    await sweep(fourPoints(), out);
    const [a, b, c, d] = readFileSync(out, 'utf8').split('\n');
    writeFileSync(out, `${a}\n${b}\n${c!.slice(0, 40)}${d}\n`);
    expect(readRecords(out, 'test').skipped).toEqual([3]);
    const { outcome } = await sweep(fourPoints(), out);
    expect(outcome.torn?.line).toBe(3);
    expect(outcome.ran.map((r) => r.point)).toEqual([2, 3]);
    expect(readRecords(out, 'test')).toMatchObject({ skipped: [], duplicates: [] });
  });

  it('is not taken for ours when it does not start like a record: the file is refused, untouched', async () => {
    const out = tempFile();
    writeFileSync(out, '{"a":1');
    const { calls } = fakeRunner();
    await expect(sweep(fourPoints(), out)).rejects.toThrow(/--out ".*s\.ndjson": not a sweep file of iommu-stress: line 1 is not JSON/);
    expect(readFileSync(out, 'utf8')).toBe('{"a":1');
    expect(calls).toHaveLength(0);
  });
});

describe('a torn line in the middle', () => {
  it('refuses the file on resume, naming file and line; report still reads the rest', async () => {
    const out = tempFile();
    await sweep(fourPoints(), out);
    const lines = readFileSync(out, 'utf8').split('\n');
    lines[1] = lines[1]!.slice(0, 50);
    writeFileSync(out, lines.join('\n'));
    const before = readFileSync(out, 'utf8');
    const run = sweep(fourPoints(), out);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/--out ".*s\.ndjson": line 2 is not a whole sweep record \(cut off mid-record\)/);
    expect(readFileSync(out, 'utf8')).toBe(before);
    const r = readRecords(out, 'test');
    expect(r.records.map((x) => x.point)).toEqual([0, 2, 3]);
    expect(r.skipped).toEqual([2]);
  });

  it('refuses a malformed record in the file too, even as its last line: it is whole, not cut off', async () => {
    const out = tempFile();
    await sweep(fourPoints(), out);
    const bad = { ...fakeRecord({ config: {}, varied: {}, opsPerSec: 1 }), result: {} };
    appendFileSync(out, JSON.stringify(bad) + '\n');
    await expect(sweep(fourPoints(), out)).rejects.toThrow(/line 5 is not a whole sweep record \(a sweep record with a malformed field: result\.config/);
  });
});

describe('resume', () => {
  it('resumes the same command exactly, and runs again for another seed, duration or op count', async () => {
    const out = tempFile();
    const first = await sweep(fourPoints(), out, { repeat: 2 });
    expect(first.calls.map((c) => c.seed)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    const same = await sweep(fourPoints(), out, { repeat: 2 });
    expect(same.outcome).toMatchObject({ reused: 8, ran: [] });
    const seed = await sweep(fourPoints({ seed: 7 }), out, { repeat: 2 });
    expect(seed.outcome.reused).toBe(0);
    expect(seed.calls.map((c) => c.seed)).toEqual([7, 7, 7, 7, 8, 8, 8, 8]);
    // rep 0 of seed 2 is not rep 1 of seed 1: the repetition is part of the run's identity
    expect((await sweep(fourPoints({ seed: 2 }), out)).outcome.reused).toBe(0);
    expect((await sweep(fourPoints({ durationSec: 0.2 }), out)).outcome.reused).toBe(0);
    expect((await sweep(fourPoints({ ops: 100 }), out)).outcome.reused).toBe(0);
    expect((await sweep(fourPoints({ seed: 7 }), out, { repeat: 3 })).outcome).toMatchObject({ reused: 8, ran: { length: 4 } });
  });
});

describe('--out must be a sweep file', () => {
  it('refuses a run result, naming the file and what it is, before any run', async () => {
    const out = tempFile('run.json');
    const text = JSON.stringify(fakeResult(fourPoints().points[0]!.config, { opsPerSec: 1 }), null, 2) + '\n';
    writeFileSync(out, text);
    const { runOne, calls } = fakeRunner();
    const run = runSweep(fourPoints(), { repeat: 1, out, shard: [1, 1], runOne });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/^--out ".*run\.json": not a sweep file of iommu-stress: a run result \(the JSON of iommu-stress run --json\)/);
    expect(calls).toHaveLength(0);
    expect(readFileSync(out, 'utf8')).toBe(text);
  });

  it('refuses other text by its first line, and takes an empty file', async () => {
    const out = tempFile('notes.txt');
    writeFileSync(out, 'hello\nworld\n');
    await expect(sweep(fourPoints(), out)).rejects.toThrow(/not a sweep file of iommu-stress: line 1 is not JSON/);
    const compact = tempFile('other.ndjson');
    writeFileSync(compact, '{"schema":"iommu-stress/run@1"}\n{"schema":"iommu-stress/run@1"}\n');
    await expect(sweep(fourPoints(), compact)).rejects.toThrow(/not a sweep file of iommu-stress: line 1 is a record of schema "iommu-stress\/run@1"/);
    const empty = tempFile('empty.ndjson');
    writeFileSync(empty, '');
    expect((await sweep(fourPoints(), empty)).outcome.ran).toHaveLength(4);
  });
});

describe('a run that fails', () => {
  const ttas2 = (c: Config): boolean => c.devices === 2 && c.lock === 'ttas';

  it('is recorded as failed and the sweep goes on; the summaries show it without figures', async () => {
    const out = tempFile();
    const { outcome, calls } = await sweep(fourPoints(), out, { fails: ttas2 });
    expect(calls).toHaveLength(4);
    expect(outcome.failed).toBe(1);
    expect(outcome.ran.map((r) => `${r.point}:${r.status}`)).toEqual(['0:ok', '1:ok', '2:failed', '3:ok']);
    const { records, skipped } = readRecords(out, 'test');
    expect(skipped).toEqual([]);
    const failed = records.find((r) => !isOk(r))!;
    expect(failed).toMatchObject({ point: 2, status: 'failed', result: null, config: { devices: 2, lock: 'ttas', seed: 1 } });
    if (isOk(failed)) throw new Error('expected a failed run');
    expect(failed.error.message).toMatch(/crashed: injected/);
    expect(failed.error.report).toBe('worker 0: crashed at op 3');

    const points = summarizePoints(records);
    expect(points.map((p) => [p.runs, p.failed, p.figures === null])).toEqual([
      [1, 0, false],
      [1, 0, false],
      [0, 1, true],
      [1, 0, false],
    ]);
    const text = formatSummary(points);
    expect(text).toMatch(/failed runs \(the harness gave up: a crashed worker or no progress\): 1 at 1 point/);
    expect(text).toMatch(/#2: 1 of 1 run failed: worker 0 \(device 0\) crashed: injected/);
    expect(text).toMatch(/#2 2 ttas\s+│ every run failed/);
    expect(pointRows(records).map((r) => r.point)).toEqual([0, 1, 3]);
    expect(failureRows(records)).toEqual([{ point: 2, label: '#2 2 devices, group 1, ttas, refcount', failed: 1, runs: 1, errors: [failed.error.message] }]);
    expect(configSummary(records).varied).toEqual(['devices', 'lock']);
    expect(envSummary(records).reduce((n, m) => n + m.runs, 0)).toBe(4);
  });

  it('is not run again on resume unless failed runs are retried; a retry that finishes is no conflict', async () => {
    const out = tempFile();
    await sweep(fourPoints(), out, { fails: ttas2 });
    const resumed = await sweep(fourPoints(), out);
    expect(resumed.outcome).toMatchObject({ reused: 4, reusedFailed: 1, ran: [] });
    const retried = await sweep(fourPoints(), out, { retryFailed: true });
    expect(retried.outcome).toMatchObject({ reused: 3, reusedFailed: 0, failed: 0 });
    expect(retried.outcome.ran.map((r) => `${r.point}:${r.status}`)).toEqual(['2:ok']);
    const r = readRecords(out, 'test');
    expect(r).toMatchObject({ duplicates: [], conflicts: [] });
    expect(summarizePoints(r.records)[2]).toMatchObject({ runs: 1, failed: 1 });
  });

  it('stops the sweep when the error is not the harness giving up (a bug is no finding)', async () => {
    const out = tempFile();
    let n = 0;
    const { runOne } = fakeRunner();
    const buggy = async (c: Config) => {
      if (n++ === 1) throw new TypeError('a bug');
      return runOne(c);
    };
    await expect(runSweep(fourPoints(), { repeat: 1, out, shard: [1, 1], runOne: buggy })).rejects.toThrow(TypeError);
    expect(readRecords(out, 'test').records.map((r) => r.point)).toEqual([0]);
  });

  it('with the real harness: a worker that crashes fails its run, and the next run is measured', async () => {
    const out = tempFile();
    const plan = planSweep({ durationSec: 0.05 }, { devices: [1, 2] });
    const crashFirst = (c: Config) => runConfig(c.devices === 1 ? { ...c, inject: { kind: 'throw', device: 0, afterOps: 5 } } : c);
    const o = await runSweep(plan, { repeat: 1, out, shard: [1, 1], runOne: crashFirst });
    expect(o.failed).toBe(1);
    const { records } = readRecords(out, 'test');
    expect(records.map((r) => r.status)).toEqual(['failed', 'ok']);
    const [bad, good] = records;
    if (!bad || isOk(bad) || !good || !isOk(good)) throw new Error('expected a failed run, then a finished one');
    expect(bad.error.message).toMatch(/crashed/);
    expect(good.result.totals.opsPerSec).toBeGreaterThan(0);
  });
});
