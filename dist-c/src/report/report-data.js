/**
 * The data behind the HTML report, as plain rows: one row a sweep point
 * (medians over its repetitions), then the rows each chart plots. Pure
 * functions of the sweep records; nothing here knows about charts or HTML.
 * Runs the harness gave up on have no figures: a point's row counts them,
 * and a point none of whose runs finished has no row to plot (it is listed
 * by failureRows instead).
 */
import { FIELDS, driverOfConfig } from '../config/config.js';
import { median } from '../util/stats.js';
import { isOk, recordConfig, summarizePoints, tableLock } from '../sweep/sweep-record.js';
/** The parameters the charts place on axes, panels and colours; any other swept one makes a variant. */
const PLOTTED = new Set(['devices', 'groupSize', 'lock', 'driver', 'lockScope', 'tableStyle']);
/** How a point's workers compare with the cores: the legend text of the oversubscription mark. */
export const LOAD_FITS = 'workers ≤ cores';
export const LOAD_OVER = 'workers > cores (oversubscribed)';
/** A single device is both: group size 1 is then also the whole group. */
export const SHARINGS = [
    { id: 'private', title: 'private domains (group size 1)', includes: (r) => r.groupSize === 1 },
    { id: 'shared', title: 'one shared domain (group size = devices)', includes: (r) => r.groupSize === r.devices },
];
/** How a point's devices share domains, in words. */
export function sharingOf(r) {
    if (r.groupSize === 1)
        return 'private domains';
    if (r.groupSize === r.devices)
        return 'one shared domain';
    return `domains of ${r.groupSize} devices`;
}
export function devicesLabel(n) {
    return `${n} device${n === 1 ? '' : 's'}`;
}
/** The device labels of some rows, in the order of their counts: the order of the panels. */
export function devicePanels(rows) {
    return distinct([...rows].sort((a, b) => a.deviceCount - b.deviceCount).map((r) => r.devices));
}
export function distinct(xs) {
    return [...new Set(xs)];
}
export function distinctNumbers(xs) {
    return distinct(xs).sort((a, b) => a - b);
}
function flagOf(key) {
    return FIELDS.find((f) => f.key === key)?.flag ?? key;
}
/**
 * The options other than the plotted ones that differ between the runs, as
 * flags. Taken from the configurations rather than each record's `varied`,
 * so that concatenated sweeps that differ in an option they did not sweep
 * still draw apart. The seed differs by repetition and is no variant.
 */
function variantKeys(records) {
    return configSummary(records).varied.filter((k) => !PLOTTED.has(k) && k !== 'seed');
}
function variantOf(keys, config) {
    return keys.map((k) => `${flagOf(k)} ${String(config[k])}`).join(' ');
}
function pointLabel(point, c, variant, oversubscribed, violations, failed = 0) {
    const parts = [devicesLabel(c.devices), `group ${c.groupSize}`, c.lock, driverOfConfig(c)];
    if (variant)
        parts.push(variant);
    if (violations > 0)
        parts.push(`${violations} violation${violations === 1 ? '' : 's'}`);
    if (failed > 0)
        parts.push(`${failed} failed run${failed === 1 ? '' : 's'}`);
    return `#${point}${oversubscribed ? '*' : ''} ${parts.join(', ')}`;
}
/** One row a point with at least one finished run; points whose every run failed have no figures to plot. */
export function pointRows(records) {
    const byKey = new Map();
    for (const r of records.filter(isOk)) {
        const list = byKey.get(r.key);
        if (list)
            list.push(r);
        else
            byKey.set(r.key, [r]);
    }
    const keys = variantKeys(records);
    return summarizePoints(records).flatMap((p) => {
        const f = p.figures;
        if (!f)
            return [];
        const results = (byKey.get(p.key) ?? []).map((r) => r.result);
        const wait = (pick) => median(results.map((r) => {
            const l = tableLock(r);
            return l ? pick(l) : 0;
        }));
        const c = p.config;
        const variant = variantOf(keys, c);
        const row = {
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
/** Every point with a failed run, whether or not any of its runs finished. */
export function failureRows(records) {
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
export function panelOf(rows) {
    const drivers = distinct(rows.map((r) => r.driver)).length > 1;
    const variants = distinct(rows.map((r) => r.variant)).length > 1;
    return (r) => [drivers ? `driver ${r.driver}` : '', variants ? r.variant || 'defaults' : ''].filter(Boolean).join(', ');
}
/** What all rows of a chart share, for its subtitle: `lock scope domain, --pages 4`. */
export function commonOf(rows) {
    const parts = [];
    const drivers = distinct(rows.map((r) => r.driver));
    const locks = distinct(rows.map((r) => r.lock));
    const variants = distinct(rows.map((r) => r.variant));
    if (locks.length === 1)
        parts.push(`lock ${locks[0]}`);
    if (drivers.length === 1)
        parts.push(`driver ${drivers[0]}`);
    if (variants.length === 1 && variants[0])
        parts.push(variants[0]);
    return parts.join(', ');
}
/** Throughput against devices, for one way of sharing domains. */
export function throughputByDevices(rows, sharing) {
    const mine = rows.filter((r) => sharing.includes(r));
    const panel = panelOf(mine);
    return mine.map((r) => ({ point: r.point, x: r.devices, y: r.opsPerSec, yMin: r.opsMin, yMax: r.opsMax, lock: r.lock, panel: panel(r), load: r.load }));
}
/** Throughput against group size, for every device count measured at more than one group size. */
export function throughputByGroupSize(rows) {
    const sizes = new Map();
    for (const r of rows)
        sizes.set(r.devices, (sizes.get(r.devices) ?? new Set()).add(r.groupSize));
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
/** Contention % of the page-table lock and the allocator lock against devices, for one way of sharing. */
export function contentionByDevices(rows, sharing) {
    const mine = rows.filter((r) => sharing.includes(r));
    const panel = panelOf(mine);
    return mine.flatMap((r) => [
        { point: r.point, x: r.devices, pct: r.tableContentionPct, lock: r.lock, lockClass: LOCK_CLASS_TABLE, panel: panel(r), load: r.load },
        { point: r.point, x: r.devices, pct: r.iovaContentionPct, lock: r.lock, lockClass: LOCK_CLASS_IOVA, panel: panel(r), load: r.load },
    ]);
}
export const PERCENTILES = [
    { name: 'p50', pick: (w) => w.p50Ns },
    { name: 'p99', pick: (w) => w.p99Ns },
    { name: 'p99.9', pick: (w) => w.p999Ns },
];
/**
 * The page-table lock's contended waits: p50, p99 and p99.9 of every point
 * that recorded any. A percentile of 0 (no contended wait) has no place on a
 * log axis and is left out.
 */
export function waitPercentiles(rows) {
    const mine = rows.filter((r) => PERCENTILES.some((p) => p.pick(r.tableWait) > 0));
    const sharings = distinct(mine.map(sharingOf)).length > 1;
    const panel = panelOf(mine);
    return mine.flatMap((r) => PERCENTILES.filter((p) => p.pick(r.tableWait) > 0).map((p) => ({
        point: r.point,
        percentile: p.name,
        waitNs: p.pick(r.tableWait),
        lock: r.lock,
        devices: devicesLabel(r.devices),
        deviceCount: r.devices,
        panel: [sharings ? sharingOf(r) : '', panel(r)].filter(Boolean).join(', '),
        load: r.load,
    })));
}
export function configSummary(records) {
    const fixed = [];
    const varied = [];
    for (const f of FIELDS) {
        const values = distinct(records.map((r) => JSON.stringify(recordConfig(r)[f.key])));
        const first = records[0];
        if (values.length === 1)
            fixed.push({ key: f.key, flag: f.flag, value: String(first ? recordConfig(first)[f.key] : undefined), help: f.help });
        else
            varied.push(f.key);
    }
    return { fixed, varied };
}
export function envSummary(records) {
    const byMachine = new Map();
    for (const r of records) {
        const { date, ...env } = isOk(r) ? r.result.env : r.env;
        const id = JSON.stringify(env);
        const seen = byMachine.get(id);
        if (!seen)
            byMachine.set(id, { env, runs: 1, first: date, last: date });
        else {
            seen.runs++;
            if (date < seen.first)
                seen.first = date;
            if (date > seen.last)
                seen.last = date;
        }
    }
    return [...byMachine.values()];
}
//# sourceMappingURL=report-data.js.map