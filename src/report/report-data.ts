/**
 * The data behind the HTML report, as plain rows: one row a sweep point
 * (medians over its repetitions), then the rows each chart plots. Pure
 * functions of the sweep records; nothing here knows about charts or HTML.
 * Runs the harness gave up on have no figures: a point's row counts them,
 * and a point none of whose runs finished has no row to plot (it is listed
 * by failureRows instead).
 */
import { type Config, FIELDS, driverOfConfig } from '../config/config.js';
import type { Env } from '../util/env.js';
import type { LockClassStats } from '../results/result.js';
import { median } from '../util/stats.js';
import { type OkRecord, type SweepRecord, isOk, recordConfig, summarizePoints, tableLock } from '../sweep/sweep-record.js';

/** The parameters the charts place on axes, panels and colours; any other swept one makes a variant. */
const PLOTTED = new Set<string>(['devices', 'groupSize', 'lock', 'driver', 'lockScope', 'tableStyle']);

/** How a point's workers compare with the cores: the legend text of the oversubscription mark. */
export const LOAD_FITS = 'workers ≤ cores';
export const LOAD_OVER = 'workers > cores (oversubscribed)';

export interface WaitPercentiles {
  p50Ns: number;
  p99Ns: number;
  p999Ns: number;
}

/** One sweep point, medians over its repetitions. */
export interface PointRow {
  point: number;
  /** `#12 2 devices, group 2, ttas, domain`: the point for a reader (`#12*` oversubscribed; violations named). */
  label: string;
  devices: number;
  groupSize: number;
  lock: string;
  /** The page-table driver (results before version 2: its table style and lock scope as the driver they name). */
  driver: string;
  /** The point's values of the other options that differ between runs, as flags (`--table-style cmpxchg`); '' when none do. */
  variant: string;
  oversubscribed: boolean;
  load: string;
  /** Finished runs, whose figures these are. */
  runs: number;
  /** Runs of the point the harness gave up on. */
  failed: number;
  opsPerSec: number;
  opsMin: number;
  opsMax: number;
  /** Contention % of the lock that guarded the page tables (0 when none did). */
  tableContentionPct: number;
  iovaContentionPct: number;
  /** Percentiles of contended waits on the page-table lock, medians over the runs; 0: none recorded. */
  tableWait: WaitPercentiles;
  violations: number;
}

/** A split of the points by how devices share domains; the devices charts draw each apart. */
export interface Sharing {
  id: 'private' | 'shared';
  title: string;
  includes(r: PointRow): boolean;
}

/** A single device is both: group size 1 is then also the whole group. */
export const SHARINGS: readonly Sharing[] = [
  { id: 'private', title: 'private domains (group size 1)', includes: (r) => r.groupSize === 1 },
  { id: 'shared', title: 'one shared domain (group size = devices)', includes: (r) => r.groupSize === r.devices },
];

/** How a point's devices share domains, in words. */
export function sharingOf(r: PointRow): string {
  if (r.groupSize === 1) return 'private domains';
  if (r.groupSize === r.devices) return 'one shared domain';
  return `domains of ${r.groupSize} devices`;
}

export function devicesLabel(n: number): string {
  return `${n} device${n === 1 ? '' : 's'}`;
}

/** The device labels of some rows, in the order of their counts: the order of the panels. */
export function devicePanels(rows: readonly { devices: string; deviceCount: number }[]): string[] {
  return distinct([...rows].sort((a, b) => a.deviceCount - b.deviceCount).map((r) => r.devices));
}

export function distinct<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

export function distinctNumbers(xs: readonly number[]): number[] {
  return distinct(xs).sort((a, b) => a - b);
}

function flagOf(key: string): string {
  return FIELDS.find((f) => f.key === key)?.flag ?? key;
}

/**
 * The options other than the plotted ones that differ between the runs, as
 * flags. Taken from the configurations rather than each record's `varied`,
 * so that concatenated sweeps that differ in an option they did not sweep
 * still draw apart. The seed differs by repetition and is no variant.
 */
function variantKeys(records: readonly SweepRecord[]): (keyof Config)[] {
  return configSummary(records).varied.filter((k) => !PLOTTED.has(k) && k !== 'seed');
}

function variantOf(keys: readonly (keyof Config)[], config: Config): string {
  return keys.map((k) => `${flagOf(k)} ${String(config[k])}`).join(' ');
}

function pointLabel(point: number, c: Config, variant: string, oversubscribed: boolean, violations: number, failed = 0): string {
  const parts = [devicesLabel(c.devices), `group ${c.groupSize}`, c.lock, driverOfConfig(c)];
  if (variant) parts.push(variant);
  if (violations > 0) parts.push(`${violations} violation${violations === 1 ? '' : 's'}`);
  if (failed > 0) parts.push(`${failed} failed run${failed === 1 ? '' : 's'}`);
  return `#${point}${oversubscribed ? '*' : ''} ${parts.join(', ')}`;
}

/** One row a point with at least one finished run; points whose every run failed have no figures to plot. */
export function pointRows(records: readonly SweepRecord[]): PointRow[] {
  const byKey = new Map<string, OkRecord[]>();
  for (const r of records.filter(isOk)) {
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  const keys = variantKeys(records);
  return summarizePoints(records).flatMap((p) => {
    const f = p.figures;
    if (!f) return [];
    const results = (byKey.get(p.key) ?? []).map((r) => r.result);
    const wait = (pick: (l: LockClassStats) => number): number =>
      median(results.map((r) => {
        const l = tableLock(r);
        return l ? pick(l) : 0;
      }));
    const c = p.config;
    const variant = variantOf(keys, c);
    const row: PointRow = {
      point: p.point,
      label: pointLabel(p.point, c, variant, p.oversubscribed, p.violations, p.failed),
      devices: c.devices,
      groupSize: c.groupSize,
      lock: c.lock,
      driver: driverOfConfig(c),
      variant,
      oversubscribed: p.oversubscribed,
      load: p.oversubscribed ? LOAD_OVER : LOAD_FITS,
      runs: p.runs,
      failed: p.failed,
      opsPerSec: f.opsPerSec.median,
      opsMin: f.opsPerSec.min,
      opsMax: f.opsPerSec.max,
      tableContentionPct: f.tableContentionPct,
      iovaContentionPct: f.iovaContentionPct,
      tableWait: { p50Ns: wait((l) => l.waittimeP50Ns), p99Ns: wait((l) => l.waittimeP99Ns), p999Ns: wait((l) => l.waittimeP999Ns) },
      violations: p.violations,
    };
    return [row];
  });
}

/** A point some of whose runs the harness gave up on: a crashed worker, or the watchdog. */
export interface FailureRow {
  point: number;
  /** The point as pointRows labels it (`#12 128 devices, group 128, mcs, domain`). */
  label: string;
  /** Runs that failed, and all runs of the point. */
  failed: number;
  runs: number;
  /** The distinct harness messages, in the order they came. */
  errors: string[];
}

/** Every point with a failed run, whether or not any of its runs finished. */
export function failureRows(records: readonly SweepRecord[]): FailureRow[] {
  const keys = variantKeys(records);
  return summarizePoints(records)
    .filter((p) => p.failed > 0)
    .map((p) => ({
      point: p.point,
      label: pointLabel(p.point, p.config, variantOf(keys, p.config), p.oversubscribed, 0),
      failed: p.failed,
      runs: p.runs + p.failed,
      errors: p.errors,
    }));
}

/**
 * What tells the points of one chart apart besides its x, its colour (the
 * lock) and its columns: the driver and the variant, named only where
 * they differ between the rows. '' when all rows agree.
 */
export function panelOf(rows: readonly PointRow[]): (r: PointRow) => string {
  const drivers = distinct(rows.map((r) => r.driver)).length > 1;
  const variants = distinct(rows.map((r) => r.variant)).length > 1;
  return (r) => [drivers ? `driver ${r.driver}` : '', variants ? r.variant || 'defaults' : ''].filter(Boolean).join(', ');
}

/** What all rows of a chart share, for its subtitle: `lock scope domain, --pages 4`. */
export function commonOf(rows: readonly PointRow[]): string {
  const parts: string[] = [];
  const drivers = distinct(rows.map((r) => r.driver));
  const locks = distinct(rows.map((r) => r.lock));
  const variants = distinct(rows.map((r) => r.variant));
  if (locks.length === 1) parts.push(`lock ${locks[0]}`);
  if (drivers.length === 1) parts.push(`driver ${drivers[0]}`);
  if (variants.length === 1 && variants[0]) parts.push(variants[0]);
  return parts.join(', ');
}

/** A point on a line chart: x, y with its min–max over repetitions, its series and panel. */
export interface SeriesRow {
  point: number;
  x: number;
  y: number;
  yMin: number;
  yMax: number;
  lock: string;
  panel: string;
  load: string;
}

/** Throughput against devices, for one way of sharing domains. */
export function throughputByDevices(rows: readonly PointRow[], sharing: Sharing): SeriesRow[] {
  const mine = rows.filter((r) => sharing.includes(r));
  const panel = panelOf(mine);
  return mine.map((r) => ({ point: r.point, x: r.devices, y: r.opsPerSec, yMin: r.opsMin, yMax: r.opsMax, lock: r.lock, panel: panel(r), load: r.load }));
}

/** A point on a chart of group size: its device count is its column. */
export interface GroupSizeRow extends SeriesRow {
  /** `4 devices`: the panel's header. */
  devices: string;
  deviceCount: number;
}

/** Throughput against group size, for every device count measured at more than one group size. */
export function throughputByGroupSize(rows: readonly PointRow[]): GroupSizeRow[] {
  const sizes = new Map<number, Set<number>>();
  for (const r of rows) sizes.set(r.devices, (sizes.get(r.devices) ?? new Set()).add(r.groupSize));
  const mine = rows.filter((r) => (sizes.get(r.devices)?.size ?? 0) > 1);
  const panel = panelOf(mine);
  return mine.map((r) => ({
    point: r.point,
    x: r.groupSize,
    y: r.opsPerSec,
    yMin: r.opsMin,
    yMax: r.opsMax,
    lock: r.lock,
    panel: panel(r),
    load: r.load,
    devices: devicesLabel(r.devices),
    deviceCount: r.devices,
  }));
}

export const LOCK_CLASS_TABLE = 'page-table lock';
export const LOCK_CLASS_IOVA = 'IOVA allocator lock';

/** Contention of a lock class at a point. */
export interface ContentionRow {
  point: number;
  x: number;
  pct: number;
  lock: string;
  lockClass: string;
  panel: string;
  load: string;
}

/** Contention % of the page-table lock and the allocator lock against devices, for one way of sharing. */
export function contentionByDevices(rows: readonly PointRow[], sharing: Sharing): ContentionRow[] {
  const mine = rows.filter((r) => sharing.includes(r));
  const panel = panelOf(mine);
  return mine.flatMap((r) => [
    { point: r.point, x: r.devices, pct: r.tableContentionPct, lock: r.lock, lockClass: LOCK_CLASS_TABLE, panel: panel(r), load: r.load },
    { point: r.point, x: r.devices, pct: r.iovaContentionPct, lock: r.lock, lockClass: LOCK_CLASS_IOVA, panel: panel(r), load: r.load },
  ]);
}

export const PERCENTILES = [
  { name: 'p50', pick: (w: WaitPercentiles) => w.p50Ns },
  { name: 'p99', pick: (w: WaitPercentiles) => w.p99Ns },
  { name: 'p99.9', pick: (w: WaitPercentiles) => w.p999Ns },
] as const;

/** One percentile of the contended waits at a point. */
export interface WaitRow {
  point: number;
  percentile: string;
  waitNs: number;
  lock: string;
  devices: string;
  deviceCount: number;
  /** Group size, scope and variant where they differ. */
  panel: string;
  load: string;
}

/**
 * The page-table lock's contended waits: p50, p99 and p99.9 of every point
 * that recorded any. A percentile of 0 (no contended wait) has no place on a
 * log axis and is left out.
 */
export function waitPercentiles(rows: readonly PointRow[]): WaitRow[] {
  const mine = rows.filter((r) => PERCENTILES.some((p) => p.pick(r.tableWait) > 0));
  const sharings = distinct(mine.map(sharingOf)).length > 1;
  const panel = panelOf(mine);
  return mine.flatMap((r) =>
    PERCENTILES.filter((p) => p.pick(r.tableWait) > 0).map((p) => ({
      point: r.point,
      percentile: p.name,
      waitNs: p.pick(r.tableWait),
      lock: r.lock,
      devices: devicesLabel(r.devices),
      deviceCount: r.devices,
      panel: [sharings ? sharingOf(r) : '', panel(r)].filter(Boolean).join(', '),
      load: r.load,
    })),
  );
}

/** The configuration every run shares, as flag and value; and the swept keys. */
export interface ConfigSummary {
  fixed: { key: keyof Config; flag: string; value: string; help: string }[];
  varied: (keyof Config)[];
}

export function configSummary(records: readonly SweepRecord[]): ConfigSummary {
  const fixed: ConfigSummary['fixed'] = [];
  const varied: (keyof Config)[] = [];
  for (const f of FIELDS) {
    const values = distinct(records.map((r) => JSON.stringify(recordConfig(r)[f.key])));
    const first = records[0];
    if (values.length === 1) fixed.push({ key: f.key, flag: f.flag, value: String(first ? recordConfig(first)[f.key] : undefined), help: f.help });
    else varied.push(f.key);
  }
  return { fixed, varied };
}

/** The machines the runs were measured on (concatenated shards may come from several), with their run counts (failed ones too) and time span. */
export interface EnvSummary {
  env: Omit<Env, 'date'>;
  runs: number;
  first: string;
  last: string;
}

export function envSummary(records: readonly SweepRecord[]): EnvSummary[] {
  const byMachine = new Map<string, EnvSummary>();
  for (const r of records) {
    const { date, ...env } = isOk(r) ? r.result.env : r.env;
    const id = JSON.stringify(env);
    const seen = byMachine.get(id);
    if (!seen) byMachine.set(id, { env, runs: 1, first: date, last: date });
    else {
      seen.runs++;
      if (date < seen.first) seen.first = date;
      if (date > seen.last) seen.last = date;
    }
  }
  return [...byMachine.values()];
}
