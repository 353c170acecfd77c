import { LOCK_NAMES } from '../locks/registry.js';
import { LOAD_FITS, LOAD_OVER, LOCK_CLASS_IOVA, LOCK_CLASS_TABLE, PERCENTILES, SHARINGS, commonOf, contentionByDevices, devicePanels, distinct, distinctNumbers, throughputByDevices, throughputByGroupSize, waitPercentiles, } from './report-data.js';
/** Sizes of one panel, px. */
const PANEL_WIDTH = 280;
const PANEL_HEIGHT = 200;
/** Panels a row before a facet wraps. */
const FACET_COLUMNS = 3;
/** Height of one bar of the per-point chart, px. */
const BAR_STEP = 16;
/** Longest axis or legend label before it is cut, px. */
const LABEL_LIMIT = 360;
/** Opacity of an oversubscribed point's bar. */
const OVER_OPACITY = 0.45;
/** An SI-formatted axis would label its zero "0M". */
const ZERO_LABEL = "datum.value === 0 ? '0' : datum.label";
/** Wait-axis ticks in the unit that suits them: 500 ns, 20 µs, 3 ms. */
const DURATION_LABEL = "datum.value >= 1e6 ? format(datum.value / 1e6, '~g') + ' ms' : datum.value >= 1e3 ? format(datum.value / 1e3, '~g') + ' µs' : format(datum.value, '~g') + ' ns'";
const THROUGHPUT_TITLE = 'throughput (ops/s, median over runs)';
function paletteOf(rows) {
    const locks = distinct(rows.map((r) => r.lock)).sort((a, b) => LOCK_NAMES.indexOf(a) - LOCK_NAMES.indexOf(b));
    const loads = [LOAD_FITS, LOAD_OVER].filter((l) => rows.some((r) => r.load === l));
    return {
        color: { field: 'lock', type: 'nominal', title: 'lock', scale: { domain: locks } },
        shape: {
            field: 'load',
            type: 'nominal',
            title: 'workers vs cores',
            scale: { domain: loads, range: loads.map((l) => (l === LOAD_OVER ? 'triangle-up' : 'circle')) },
        },
    };
}
/** A log2 x axis through exactly the measured counts (1, 2, 4, 8 sit evenly apart). */
function countAxis(field, title, values) {
    return {
        field,
        type: 'quantitative',
        title,
        scale: { type: 'log', base: 2, domain: [values[0] ?? 1, values[values.length - 1] ?? 1], nice: false, padding: 14 },
        axis: { values, format: 'd', grid: false },
    };
}
/** Powers of ten from below the smallest value to above the largest (at least two). */
export function decadesAround(values) {
    const lo = Math.floor(Math.log10(Math.min(...values)));
    const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values))));
    return Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
}
/** Lines through the medians, min–max rules, and a symbol a point (its shape marks oversubscription). */
function lineLayers(p, x, yTitle, yFormat, withRange) {
    const y = { field: 'y', type: 'quantitative', title: yTitle, axis: { format: yFormat, labelExpr: ZERO_LABEL } };
    const layers = [];
    if (withRange)
        layers.push({ mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.6 }, encoding: { x, y: { ...y, field: 'yMin' }, y2: { field: 'yMax' }, color: p.color } });
    layers.push({ mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color: p.color } });
    layers.push({ mark: { type: 'point', filled: true, size: 70, opacity: 1 }, encoding: { x, y, color: p.color, shape: p.shape } });
    return layers;
}
/** Wrap layers in panels by `panel` when it takes more than one value. */
function panelled(title, subtitle, values, layers) {
    const panels = distinct(values.map((v) => v.panel));
    if (panels.length <= 1)
        return { ...head(title, subtitle, values), width: (280 /* PANEL_WIDTH */), height: (200 /* PANEL_HEIGHT */), layer: layers };
    return {
        ...head(title, subtitle, values),
        facet: { field: 'panel', type: 'nominal', title: null, sort: panels },
        columns: (3 /* FACET_COLUMNS */),
        spec: { width: (280 /* PANEL_WIDTH */), height: (200 /* PANEL_HEIGHT */), layer: layers },
    };
}
/** Title, data and the page-wide look of every chart. */
function head(title, subtitle, values) {
    return {
        title: { text: title, subtitle: subtitle || undefined, anchor: 'start', fontSize: 14 },
        data: { values },
        config: { legend: { labelLimit: (360 /* LABEL_LIMIT */) }, axis: { labelLimit: (360 /* LABEL_LIMIT */) }, header: { labelFontSize: 12 } },
    };
}
function omitted(id, title, reason) {
    return { kind: 'omitted', id, title, reason };
}
function throughputChart(rows, p, sharing) {
    const id = `throughput-devices-${sharing.id}`;
    const title = `Throughput against devices, ${sharing.title}`;
    const data = throughputByDevices(rows, sharing);
    const xs = distinctNumbers(data.map((d) => d.x));
    if (data.length === 0)
        return omitted(id, title, `no point of the sweep has ${sharing.title}`);
    if (xs.length < 2)
        return omitted(id, title, `the points with ${sharing.title} have one device count (${xs.join('')}); a line needs two`);
    const x = countAxis('x', 'devices (DMA devices, one worker thread each)', xs);
    return {
        kind: 'chart',
        id,
        title,
        caption: 'Each line is a lock algorithm; a point is the median of its runs and its vertical bar spans the slowest to the fastest run. ' +
            'Flat lines scale badly: the work did not grow with the devices.',
        spec: panelled(title, commonOf(rows.filter((r) => sharing.includes(r))), data, lineLayers(p, x, THROUGHPUT_TITLE, '~s', true)),
    };
}
function groupSizeChart(rows, p) {
    const id = 'throughput-group-size';
    const title = 'Throughput against group size (devices sharing one domain)';
    const data = throughputByGroupSize(rows);
    if (data.length === 0)
        return omitted(id, title, 'no device count was measured at more than one group size');
    const devices = devicePanels(data);
    const panels = distinct(data.map((d) => d.panel));
    const x = countAxis('x', 'group size (devices per domain)', distinctNumbers(data.map((d) => d.x)));
    const layers = lineLayers(p, x, THROUGHPUT_TITLE, '~s', true);
    const common = commonOf(rows.filter((r) => data.some((d) => d.point === r.point)));
    const facet = panels.length > 1
        ? { column: { field: 'devices', type: 'nominal', title: null, sort: devices }, row: { field: 'panel', type: 'nominal', title: null, sort: panels } }
        : { column: { field: 'devices', type: 'nominal', title: null, sort: devices } };
    return {
        kind: 'chart',
        id,
        title,
        caption: 'One panel a device count. Group size 1 gives every device its own domain (its own page table and locks); the largest gives all of them one. ' +
            'A falling line is the price of sharing a page table.',
        spec: {
            ...head(title, common, data),
            facet,
            spec: { width: (280 /* PANEL_WIDTH */) * 0.75, height: (200 /* PANEL_HEIGHT */), layer: layers },
        },
    };
}
function contentionChart(rows, p, sharing) {
    const id = `contention-devices-${sharing.id}`;
    const title = `Lock contention against devices, ${sharing.title}`;
    const data = contentionByDevices(rows, sharing);
    const xs = distinctNumbers(data.map((d) => d.x));
    if (data.length === 0)
        return omitted(id, title, `no point of the sweep has ${sharing.title}`);
    if (xs.length < 2)
        return omitted(id, title, `the points with ${sharing.title} have one device count (${xs.join('')}); a line needs two`);
    if (data.every((d) => d.pct === 0)) {
        return omitted(id, title, `no lock was ever contended at these points (0% everywhere): with ${sharing.title} each lock had one worker to serve`);
    }
    const x = countAxis('x', 'devices (DMA devices, one worker thread each)', xs);
    const y = { field: 'pct', type: 'quantitative', title: 'contended acquisitions (%)' };
    const layers = [
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color: p.color } },
        { mark: { type: 'point', filled: true, size: 70, opacity: 1 }, encoding: { x, y, color: p.color, shape: p.shape } },
    ];
    const panels = distinct(data.map((d) => d.panel));
    const classes = [LOCK_CLASS_TABLE, LOCK_CLASS_IOVA];
    const facet = panels.length > 1
        ? { row: { field: 'lockClass', type: 'nominal', title: null, sort: classes }, column: { field: 'panel', type: 'nominal', title: null, sort: panels } }
        : { row: { field: 'lockClass', type: 'nominal', title: null, sort: classes } };
    return {
        kind: 'chart',
        id,
        title,
        caption: 'The share of acquisitions that found the lock held, medians over the runs: the page-table lock (the lock class the driver declares as guarding its tables: ' +
            "a domain's, or each device's for a per-device driver such as s390) above, the domain's IOVA allocator lock below.",
        spec: {
            ...head(title, commonOf(rows.filter((r) => sharing.includes(r))), data),
            facet,
            spec: { width: (280 /* PANEL_WIDTH */), height: (200 /* PANEL_HEIGHT */) * 0.75, layer: layers },
        },
    };
}
function waitChart(rows, p) {
    const id = 'wait-percentiles';
    const title = 'Contended waits on the page-table lock: p50, p99, p99.9';
    const data = waitPercentiles(rows);
    if (data.length === 0)
        return omitted(id, title, 'no point recorded a contended wait on a page-table lock');
    const devices = devicePanels(data);
    const panels = distinct(data.map((d) => d.panel));
    const x = { field: 'percentile', type: 'ordinal', title: 'percentile of contended waits', sort: PERCENTILES.map((q) => q.name), axis: { labelAngle: 0 } };
    const decades = decadesAround(data.map((d) => d.waitNs));
    const y = {
        field: 'waitNs',
        type: 'quantitative',
        title: 'wait (log scale)',
        scale: { type: 'log', domain: [decades[0] ?? 1, decades[decades.length - 1] ?? 10], nice: false },
        axis: { values: decades, labelExpr: DURATION_LABEL },
    };
    const layers = [
        { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color: p.color, detail: { field: 'point', type: 'nominal' } } },
        { mark: { type: 'point', filled: true, size: 60, opacity: 1 }, encoding: { x, y, color: p.color, shape: p.shape } },
    ];
    const facet = panels.length > 1
        ? { column: { field: 'devices', type: 'nominal', title: null, sort: devices }, row: { field: 'panel', type: 'nominal', title: null, sort: panels } }
        : { column: { field: 'devices', type: 'nominal', title: null, sort: devices } };
    return {
        kind: 'chart',
        id,
        title,
        caption: 'Only acquisitions that found the lock held are timed (as Linux lock_stat does); a line is one point of the sweep, from its median wait to its 1-in-1000 worst, medians over its runs. ' +
            'A steep line is a long tail: a few waiters wait far longer than most (unfair locks, or a preempted holder).',
        spec: {
            ...head(title, commonOf(rows.filter((r) => data.some((d) => d.point === r.point))), data),
            facet,
            spec: { width: (280 /* PANEL_WIDTH */) * 0.6, height: (200 /* PANEL_HEIGHT */), layer: layers },
        },
    };
}
function pointsChart(rows, p) {
    const title = 'Throughput at every point';
    const y = { field: 'label', type: 'nominal', title: 'point (# devices, group size, lock, driver)', sort: rows.map((r) => r.label) };
    const x = { field: 'opsPerSec', type: 'quantitative', title: THROUGHPUT_TITLE, axis: { format: '~s', labelExpr: ZERO_LABEL } };
    return {
        kind: 'chart',
        id: 'throughput-points',
        title,
        caption: 'Every point of the sweep in order, whatever was swept: the bar is the median, the black line the range of its runs; faded bars (* in the label) were oversubscribed.',
        spec: {
            ...head(title, '', rows.map((r) => ({ label: r.label, opsPerSec: r.opsPerSec, opsMin: r.opsMin, opsMax: r.opsMax, lock: r.lock, load: r.load }))),
            width: (280 /* PANEL_WIDTH */) * 1.6,
            height: { step: (16 /* BAR_STEP */) },
            layer: [
                {
                    mark: { type: 'bar' },
                    encoding: {
                        y,
                        x,
                        color: p.color,
                        opacity: { field: 'load', type: 'ordinal', title: 'workers vs cores', scale: { domain: p.shape.scale.domain, range: p.shape.scale.domain.map((l) => (l === LOAD_OVER ? (0.45 /* OVER_OPACITY */) : 1)) } },
                    },
                },
                { mark: { type: 'rule', color: 'black' }, encoding: { y, x: { ...x, field: 'opsMin' }, x2: { field: 'opsMax' } } },
            ],
        },
    };
}
/** Every chart of the report, drawn or left out, in page order. */
export function planCharts(rows) {
    const p = paletteOf(rows);
    return [
        ...SHARINGS.map((s) => throughputChart(rows, p, s)),
        groupSizeChart(rows, p),
        ...SHARINGS.map((s) => contentionChart(rows, p, s)),
        waitChart(rows, p),
        pointsChart(rows, p),
    ];
}
//# sourceMappingURL=report-charts.js.map