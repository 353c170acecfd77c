import { describe, expect, it } from 'vitest';
import {
  LOAD_FITS,
  LOAD_OVER,
  LOCK_CLASS_IOVA,
  LOCK_CLASS_TABLE,
  SHARINGS,
  configSummary,
  devicePanels,
  contentionByDevices,
  envSummary,
  pointRows,
  throughputByDevices,
  throughputByGroupSize,
  waitPercentiles,
} from '../src/report/report-data.js';
import { fakeRecord, smallSweep } from './sweep-fixtures.js';

const [PRIVATE, SHARED] = SHARINGS as [(typeof SHARINGS)[number], (typeof SHARINGS)[number]];

describe('point rows', () => {
  it('give each point the median of its runs and the range between its slowest and fastest', () => {
    const recs = [100, 300, 200].map((ops, rep) => fakeRecord({ config: { devices: 2 }, varied: { devices: 2 }, rep, opsPerSec: ops }));
    const [row] = pointRows(recs);
    expect(row).toMatchObject({ runs: 3, opsPerSec: 200, opsMin: 100, opsMax: 300 });
  });

  it('take the wait percentiles from the lock that guarded the tables, per-device locks included', () => {
    const recs = [
      fakeRecord({ config: { devices: 2, groupSize: 2 }, varied: { driver: 'refcount' }, point: 0, opsPerSec: 1, waits: [1, 2, 3] }),
      fakeRecord({ config: { devices: 2, groupSize: 2, driver: 's390' }, varied: { driver: 's390' }, point: 1, opsPerSec: 1, waits: [4, 5, 6] }),
    ];
    expect(pointRows(recs).map((r) => r.tableWait)).toEqual([
      { p50Ns: 1, p99Ns: 2, p999Ns: 3 },
      { p50Ns: 4, p99Ns: 5, p999Ns: 6 },
    ]);
  });

  it('name oversubscribed points in the label and the legend text', () => {
    const rows = pointRows([
      fakeRecord({ config: { devices: 1 }, varied: { devices: 1 }, point: 0, opsPerSec: 1 }),
      fakeRecord({ config: { devices: 4 }, varied: { devices: 4 }, point: 1, opsPerSec: 1, oversubscribed: true }),
    ]);
    expect(rows.map((r) => r.load)).toEqual([LOAD_FITS, LOAD_OVER]);
    expect(rows[1]?.label).toBe('#1* 4 devices, group 1, mcs, refcount');
  });

  it('gather options that differ between runs, other than the plotted ones, into a variant named by flags', () => {
    const rows = pointRows([
      fakeRecord({ config: { allocator: 'rcache', pages: 4 }, varied: { allocator: 'rcache', pages: 4 }, point: 0, opsPerSec: 1 }),
      fakeRecord({ config: { allocator: 'bitmap', pages: 1, lock: 'ttas' }, varied: { allocator: 'bitmap', pages: 1 }, point: 1, opsPerSec: 1 }),
    ]);
    expect(rows.map((r) => r.variant)).toEqual(['--allocator rcache --pages 4', '--allocator bitmap --pages 1']);
    expect(rows[0]?.label).toContain('--allocator rcache --pages 4');
  });

  it('tell apart concatenated sweeps that differ in an option neither swept', () => {
    const rows = pointRows([
      fakeRecord({ config: { durationSec: 1 }, varied: {}, point: 0, opsPerSec: 1 }),
      fakeRecord({ config: { durationSec: 2 }, varied: {}, point: 0, opsPerSec: 1 }),
    ]);
    expect(rows.map((r) => r.variant)).toEqual(['--duration 1', '--duration 2']);
  });

  it('note violations in the label', () => {
    const [row] = pointRows([fakeRecord({ config: { devices: 2, groupSize: 2, driver: 's390' }, varied: { driver: 's390' }, opsPerSec: 1, violations: 7 })]);
    expect(row?.label).toMatch(/, 7 violations$/);
  });
});

describe('chart rows', () => {
  const rows = pointRows(smallSweep());

  it('split throughput against devices into private and shared domains; one device is in both', () => {
    expect(throughputByDevices(rows, PRIVATE).map((r) => `${r.x} ${r.lock}`)).toEqual(['1 ttas', '1 futex', '2 ttas', '2 futex', '4 ttas', '4 futex']);
    expect(throughputByDevices(rows, SHARED).map((r) => `${r.x} ${r.lock}`)).toEqual(['1 ttas', '1 futex', '2 ttas', '2 futex', '4 ttas', '4 futex']);
    expect(throughputByDevices(rows, SHARED).find((r) => r.x === 4 && r.lock === 'futex')).toMatchObject({ y: 131_250, yMin: 125_000, yMax: 137_500 });
  });

  it('leave panels unnamed when only one driver and no other option was swept', () => {
    expect(new Set(throughputByDevices(rows, PRIVATE).map((r) => r.panel))).toEqual(new Set(['']));
  });

  it('name a panel by driver when the driver was swept', () => {
    const recs = ['refcount', 's390'].flatMap((driver, i) =>
      [1, 2].map((devices) => fakeRecord({ config: { devices, driver }, varied: { devices, driver }, point: i * 2 + devices, opsPerSec: 1 })),
    );
    expect(throughputByDevices(pointRows(recs), PRIVATE).map((r) => r.panel)).toEqual(['driver refcount', 'driver refcount', 'driver s390', 'driver s390']);
  });

  it('read results from before version 2 (a table style and a lock scope) as the driver they name', () => {
    const old = fakeRecord({ config: { devices: 2, groupSize: 2 }, varied: { lockScope: 'device' }, point: 0, opsPerSec: 1 });
    const c = old.result.config as unknown as Record<string, unknown>;
    delete c.driver;
    c.tableStyle = 'refcount';
    c.lockScope = 'device';
    expect(pointRows([old])[0]?.driver).toBe('s390');
  });

  it('plot group size only for device counts measured at more than one', () => {
    const g = throughputByGroupSize(rows);
    expect([...new Set(g.map((r) => r.devices))]).toEqual(['2 devices', '4 devices']);
    expect(g.filter((r) => r.devices === '4 devices').map((r) => r.x)).toEqual([1, 1, 4, 4]);
  });

  it('order device panels by count, 10 after 2', () => {
    const rows = [10, 2, 10, 1].map((n) => ({ devices: `${n} devices`, deviceCount: n }));
    expect(devicePanels(rows)).toEqual(['1 devices', '2 devices', '10 devices']);
  });

  it('give contention of both lock classes for every point', () => {
    const c = contentionByDevices(rows, SHARED).filter((r) => r.x === 4 && r.lock === 'ttas');
    expect(c.map((r) => [r.lockClass, r.pct])).toEqual([
      [LOCK_CLASS_TABLE, 40],
      [LOCK_CLASS_IOVA, 4],
    ]);
  });

  it('give wait percentiles only where waits were recorded, in ns', () => {
    const w = waitPercentiles(rows);
    expect(new Set(w.map((r) => r.devices))).toEqual(new Set(['2 devices', '4 devices']));
    expect(w.filter((r) => r.devices === '2 devices' && r.lock === 'ttas').map((r) => [r.percentile, r.waitNs])).toEqual([
      ['p50', 600],
      ['p99', 10_000],
      ['p99.9', 180_000],
    ]);
  });

  it('leave out a percentile of 0, which a log axis cannot place', () => {
    const recs = [fakeRecord({ config: { devices: 2, groupSize: 2 }, varied: {}, opsPerSec: 1, tableContentionPct: 1, waits: [0, 50, 900] })];
    expect(waitPercentiles(pointRows(recs)).map((r) => r.percentile)).toEqual(['p99', 'p99.9']);
  });
});

describe('configuration and environment', () => {
  it('list the options every run shares, and the swept ones apart', () => {
    const { fixed, varied } = configSummary(smallSweep());
    expect(varied).toEqual(['devices', 'groupSize', 'lock', 'seed']);
    expect(fixed.find((f) => f.key === 'durationSec')).toMatchObject({ flag: '--duration', value: '0.1' });
    expect(fixed.map((f) => f.key)).not.toContain('devices');
  });

  it('name each machine once, with its runs and time span', () => {
    const recs = [
      fakeRecord({ config: {}, varied: {}, opsPerSec: 1, env: { date: '2026-01-02T00:00:00.000Z' } }),
      fakeRecord({ config: {}, varied: {}, opsPerSec: 1, env: { date: '2026-01-01T00:00:00.000Z' } }),
      fakeRecord({ config: {}, varied: {}, opsPerSec: 1, env: { cpuModel: 'Other CPU' } }),
    ];
    const machines = envSummary(recs);
    expect(machines.map((m) => [m.env.cpuModel, m.runs])).toEqual([
      ['Test CPU', 2],
      ['Other CPU', 1],
    ]);
    expect(machines[0]).toMatchObject({ first: '2026-01-01T00:00:00.000Z', last: '2026-01-02T00:00:00.000Z' });
  });
});
