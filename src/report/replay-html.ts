/**
 * A RunTrace as one self-contained page (`replay --html FILE`): the
 * interleaving as swimlanes (a Vega-Lite chart rendered to SVG in Node), the
 * scheduler's steps as a table with a column per thread (as Lincheck prints
 * an interleaving), the violation report and the command that replays the
 * run. Like the sweep report (html-report.ts), whose conventions and look it
 * follows: inline CSS, inline SVG, no script, no URL; it opens offline.
 */
import type { TopLevelSpec } from 'vega-lite';
import { PAGE_STYLE, escapeHtml } from './html-report.js';
import { renderSvg } from './vega-svg.js';
import { type RunTrace, type TraceSlice, clockUnit } from './run-trace.js';

type LayerSpec = Extract<TopLevelSpec, { layer: unknown }>;
type Layer = LayerSpec['layer'][number];

/** The longest step table shown whole; a longer run shows its last this many steps. */
export const STEP_TABLE_LIMIT = 400;

/** Slice categories in legend order, and their colours: light, so that a label in black reads on every one. */
const CATS: readonly TraceSlice['cat'][] = ['op', 'map', 'dma', 'unmap', 'lock', 'agent'];
const CAT_COLORS = ['#e0e0e0', '#9ecae9', '#a1d99b', '#fdae6b', '#c5b0d5', '#f2cf5b'];
/** The point marks: kind, shape, colour. The violation's red is the page's (td.viol). */
const MARKS = [
  { kind: 'preemption', shape: 'triangle-down', color: '#222222' },
  { kind: 'agent event', shape: 'diamond', color: '#8c564b' },
  { kind: 'violation', shape: 'cross', color: '#b00020' },
] as const;
type MarkKind = (typeof MARKS)[number]['kind'];
/** The name of each kind's layer: its marks are drawn in `g.<name>_marks`. */
const MARK_LAYER: Record<MarkKind, string> = { preemption: 'preemptions', 'agent event': 'agent_events', violation: 'violation_mark' };

/**
 * The chart's point marks as small inline SVGs for the text and the table:
 * drawn, not glyphs (▼ ◆ ✕), so that they look the same as on the chart
 * whatever fonts the reader's machine has.
 */
const ICON_PATHS: Record<MarkKind, string> = {
  preemption: 'M-4.5,-3.5L4.5,-3.5L0,4.5Z',
  'agent event': 'M0,-4.5L4.5,0L0,4.5L-4.5,0Z',
  violation: 'M-1.5,-4.5h3v3h3v3h-3v3h-3v-3h-3v-3h3Z',
};
function icon(kind: MarkKind): string {
  const color = MARKS.find((m) => m.kind === kind)!.color;
  return `<svg class="icon" width="10" height="10" viewBox="-5 -5 10 10" role="img" aria-label="${kind}"><path d="${ICON_PATHS[kind]}" fill="${color}"/></svg>`;
}

/** Width a zero-length slice is drawn with, clock units (as in the Chrome trace). */
const MIN_WIDTH = 0.5;
/** Chart size: px per clock unit within these bounds, px per sub-row of a lane. */
const MIN_CHART_WIDTH = 640;
const MAX_CHART_WIDTH = 2400;
const PX_PER_UNIT = 28;
const ROW_HEIGHT = 16;
/** A label's font size, px, and roughly how wide a character of it is (to cut labels to their bars). */
const LABEL_FONT = 9;
const LABEL_CHAR_PX = 5.3;

/** The steps the page shows: all of them, or the last STEP_TABLE_LIMIT of a longer run. */
function shownSteps(t: RunTrace): RunTrace['steps'] {
  return t.steps.length > STEP_TABLE_LIMIT ? t.steps.slice(-STEP_TABLE_LIMIT) : t.steps;
}

/** Where the chart starts when the page shows a long run's last steps only (the chart then shows the same steps as the table); null: from the start. */
function windowStart(t: RunTrace): number | null {
  return t.steps.length > STEP_TABLE_LIMIT ? shownSteps(t)[0]!.step : null;
}

/** Axis and lane names: a track's name, made unique if two tracks share one. */
function laneNames(t: RunTrace): Map<number, string> {
  const count = new Map<string, number>();
  for (const k of t.tracks) count.set(k.name, (count.get(k.name) ?? 0) + 1);
  return new Map(t.tracks.map((k) => [k.id, (count.get(k.name) ?? 0) > 1 ? `${k.name} #${k.id}` : k.name]));
}

interface SliceRow {
  lane: string;
  depth: number;
  start: number;
  /** Drawn end: at least MIN_WIDTH past the start. */
  end: number;
  cat: string;
  name: string;
  /** The name as far as it fits before the next bar of its sub-row; '' when not even a few characters do. */
  label: string;
}

/**
 * Each slice's sub-row within its lane: the first where it overlaps nothing,
 * in start order, longer first, so an operation sits above its map and the map
 * above its lock hold.
 */
function depths(slices: readonly TraceSlice[]): Map<TraceSlice, number> {
  const out = new Map<TraceSlice, number>();
  const byTrack = new Map<number, TraceSlice[]>();
  for (const s of slices) {
    if (!byTrack.has(s.track)) byTrack.set(s.track, []);
    byTrack.get(s.track)!.push(s);
  }
  for (const list of byTrack.values()) {
    const ends: number[] = [];
    for (const s of [...list].sort((a, b) => a.start - b.start || b.end - a.end)) {
      const end = Math.max(s.end, s.start + MIN_WIDTH);
      let d = ends.findIndex((e) => e <= s.start);
      if (d < 0) d = ends.length;
      ends[d] = end;
      out.set(s, d);
    }
  }
  return out;
}

/** The label that fits `px`: the whole name, cut with an ellipsis, or nothing. */
function fitLabel(name: string, px: number): string {
  const chars = Math.floor((px - 4) / LABEL_CHAR_PX);
  if (chars >= name.length) return name;
  return chars >= 3 ? `${name.slice(0, chars - 1)}…` : '';
}

/** The swimlane chart: a lane per track, x the clock, slices as labelled bars, the marks on top. */
export function interleavingSpec(t: RunTrace): TopLevelSpec {
  const lanes = laneNames(t);
  const laneOrder = t.tracks.map((k) => lanes.get(k.id)!);
  const unit = clockUnit(t.clock);
  const onLane = <T extends { track: number }>(xs: readonly T[]): T[] => xs.filter((x) => lanes.has(x.track));

  const from = windowStart(t);
  // A long run's window: what ended before it is left out, what began before it starts at its left edge.
  const slices = onLane(t.slices)
    .filter((s) => from === null || Math.max(s.end, s.start + MIN_WIDTH) > from)
    .map((s) => (from !== null && s.start < from ? { ...s, start: from, end: Math.max(s.end, from) } : s));
  const instants = onLane(t.instants).filter((i) => from === null || i.at >= from);
  // From the first thing that happened: a Lamport clock need not start near 0.
  const times = [...slices.flatMap((s) => [s.start, Math.max(s.end, s.start + MIN_WIDTH)]), ...instants.map((i) => i.at), ...shownSteps(t).map((s) => s.step)];
  if (t.violation && (from === null || t.violation.at >= from)) times.push(t.violation.at);
  if (times.length === 0) times.push(0);
  // Not Math.min(...times): a long free run has more values than a call takes arguments.
  const lo = from ?? Math.floor(times.reduce((a, b) => Math.min(a, b)));
  const hi = Math.ceil(times.reduce((a, b) => Math.max(a, b))) + 1;
  const width = Math.round(Math.min(MAX_CHART_WIDTH, Math.max(MIN_CHART_WIDTH, (hi - lo) * PX_PER_UNIT)));
  const pxPerUnit = width / (hi - lo);

  const depth = depths(slices);
  const levels = [...depth.values()].reduce((a, d) => Math.max(a, d + 1), 1);
  const rows: SliceRow[] = slices.map((s) => {
    const end = Math.max(s.end, s.start + MIN_WIDTH);
    return { lane: lanes.get(s.track)!, depth: depth.get(s) ?? 0, start: s.start, end, cat: s.cat, name: s.name, label: '' };
  });
  // A label starts at its bar and may run on past its end up to the next bar of the same sub-row: lock names are longer than most holds.
  const subRows = new Map<string, SliceRow[]>();
  for (const r of rows) {
    const key = `${r.lane}\u0000${r.depth}`;
    if (!subRows.has(key)) subRows.set(key, []);
    subRows.get(key)!.push(r);
  }
  for (const list of subRows.values()) {
    list.sort((a, b) => a.start - b.start);
    list.forEach((r, i) => (r.label = fitLabel(r.name, ((list[i + 1]?.start ?? hi) - r.start) * pxPerUnit)));
  }
  const kindOf = (cat: RunTrace['instants'][number]['cat']): MarkKind => (cat === 'preempt' ? 'preemption' : cat === 'event' ? 'agent event' : 'violation');
  const marks = instants.map((i) => ({ lane: lanes.get(i.track)!, at: i.at, kind: kindOf(i.cat), name: i.name }));
  const v = t.violation && lanes.has(t.violation.track) && (from === null || t.violation.at >= from) ? t.violation : null;
  // The violation's cross on its lane, from `instants` if the engine put it there.
  if (v && !marks.some((m) => m.kind === 'violation')) marks.push({ lane: lanes.get(v.track)!, at: v.at, kind: 'violation', name: v.invariant });

  const xTitle = `${unit}${t.clock === 'lamport' ? ' (logical time, carried through the locks)' : ''}`;
  const x = (field: string) => ({
    field,
    type: 'quantitative' as const,
    title: xTitle,
    scale: { domain: [lo, hi], nice: false, zero: false },
    axis: { tickMinStep: 1, format: 'd', grid: true },
  });
  const y = { field: 'lane', type: 'nominal' as const, title: 'thread', scale: { domain: laneOrder }, sort: laneOrder, axis: { labelLimit: 200 } };
  const yOffset = { field: 'depth', type: 'ordinal' as const, scale: { domain: Array.from({ length: levels }, (_, i) => i), paddingInner: 0.15 } };
  // One shape scale over the point layers, one legend for them: the kinds this run has.
  const present = MARKS.filter((m) => marks.some((p) => p.kind === m.kind));
  const shape = { field: 'kind', type: 'nominal' as const, title: 'marks', scale: { domain: present.map((m) => m.kind), range: present.map((m) => m.shape) } };
  const markLayer = (kind: MarkKind, name: string): Layer => {
    const m = MARKS.find((k) => k.kind === kind)!;
    return {
      name,
      data: { values: marks.filter((p) => p.kind === kind) },
      mark: { type: 'point', filled: true, size: kind === 'violation' ? 160 : 90, color: m.color, opacity: 1, stroke: '#ffffff', strokeWidth: 0.5 },
      encoding: { x: x('at'), y, shape },
    };
  };

  const layer: Layer[] = [
    {
      // Every other lane shaded, so that a lane's sub-rows read as one thread.
      name: 'lane_bands',
      data: { values: laneOrder.filter((_, i) => i % 2 === 1).map((lane) => ({ lane })) },
      mark: { type: 'rect', color: '#f4f4f4' },
      encoding: { y },
    },
    {
      name: 'slices',
      data: { values: rows },
      mark: { type: 'bar', stroke: '#555555', strokeWidth: 0.5, cornerRadius: 1 },
      encoding: {
        x: x('start'),
        x2: { field: 'end' },
        y,
        yOffset,
        color: { field: 'cat', type: 'nominal', title: 'slices', scale: { domain: [...CATS], range: [...CAT_COLORS] } },
      },
    },
    {
      name: 'slice_labels',
      data: { values: rows.filter((r) => r.label !== '') },
      mark: { type: 'text', fontSize: LABEL_FONT, color: '#111111', baseline: 'middle', align: 'left', dx: 2 },
      encoding: { x: x('start'), y, yOffset, text: { field: 'label' } },
    },
    ...present.map((m) => markLayer(m.kind, MARK_LAYER[m.kind])),
  ];
  if (v) {
    const side = labelSide(v.at, lo, hi);
    layer.push(
      {
        name: 'violation_rule',
        data: { values: [{ at: v.at }] },
        mark: { type: 'rule', color: '#b00020', strokeWidth: 2, strokeDash: [4, 2] },
        encoding: { x: x('at') },
      },
      {
        name: 'violation_label',
        data: { values: [{ at: v.at, label: `violation: ${v.invariant}` }] },
        mark: { type: 'text', color: '#b00020', fontWeight: 'bold', fontSize: 11, align: side, baseline: 'bottom', dx: side === 'left' ? 4 : -4, dy: -3 },
        encoding: { x: x('at'), y: { value: 0 }, text: { field: 'label' } },
      },
    );
  }

  return {
    title: { text: `Interleaving: ${t.title}`, anchor: 'start', fontSize: 14, offset: 18 },
    width,
    height: Math.max(60, laneOrder.length * levels * ROW_HEIGHT),
    config: { legend: { symbolStrokeColor: '#333333', symbolFillColor: '#333333' } },
    layer,
  };
}

/** Which way the violation's label runs from its rule: rightwards unless that would leave the chart. */
function labelSide(at: number, lo: number, hi: number): 'left' | 'right' {
  return at - lo > (hi - lo) * 0.6 ? 'right' : 'left';
}

const STYLE = `${PAGE_STYLE}
th, td { padding: 0.15em 0.7em; border-bottom: 1px solid #eee; text-align: left; white-space: nowrap; }
th { background: #f5f5f5; position: sticky; top: 0; }
td.step { text-align: right; color: #555; }
tr.preempted td { background: #f3f3f3; }
span.read { color: #7a4b00; font-size: 90%; }
tr.viol td { background: #fde8ea; }
tr.viol td.step, .viol-text { color: #b00020; font-weight: bold; }
span.preempt { color: #222; font-size: 0.85em; margin-left: 0.4em; }
svg.icon { vertical-align: -1px; }
pre { background: #f7f7f7; border: 1px solid #e4e4e4; padding: 0.6em 0.8em; overflow-x: auto; }
`;

function howToRead(t: RunTrace): string {
  const time =
    t.clock === 'step'
      ? 'This was a controlled run: one worker at a time went on, from one schedule point to the next, as the scheduler chose; time is the scheduler step.'
      : 'This run was free running: every worker went at its own pace on the machine\'s cores; time is a Lamport clock carried through the locks, so events that passed through the same lock are in order, but unrelated events on different threads are not ordered by it.';
  return `<p>${escapeHtml(time)}
Each lane is a thread: the device queues, then the agents (the live-switch thread, a timer, a race's own agent). A bar is an interval on that thread (a whole operation, its map, DMA and unmap, a lock held, an agent's work), nested ones below the one they are in.
${icon('preemption')} marks a preemption, where the scheduler took the CPU from a worker that could have gone on; ${icon('agent event')} an agent's event (a domain switch, a timer tick); the red line and ${icon('violation')} the violation.</p>`;
}

function stepTableHtml(t: RunTrace, lanes: ReadonlyMap<number, string>): string {
  if (t.steps.length === 0) {
    const why =
      t.clock === 'lamport'
        ? 'this run was free running: no scheduler chose who went when, so there were no steps to record, and the chart above orders its events by a Lamport clock instead.'
        : 'the run recorded no scheduler steps.';
    return `<p class="note" id="no-steps">No step table: ${escapeHtml(why)}</p>`;
  }
  const shown = shownSteps(t);
  const first = shown[0]!.step;
  const last = shown[shown.length - 1]!.step;
  const note =
    shown.length < t.steps.length
      ? `<p class="note" id="steps-cut">The run took ${t.steps.length} steps: the table (and the chart above) shows the last ${shown.length} (steps ${first} to ${last})${t.violation ? ', which lead to the violation' : ''}.</p>\n`
      : '';
  const violStep = t.clock === 'step' && t.violation ? t.violation.at : null;
  const head = `<tr><th>step</th>${t.tracks.map((k) => `<th data-track="${k.id}">${escapeHtml(lanes.get(k.id)!)}</th>`).join('')}</tr>`;
  const body = shown.map((s) => {
    const cls = [s.preempted ? 'preempted' : '', s.step === violStep ? 'viol' : ''].filter(Boolean).join(' ');
    const cells = t.tracks.map((k) => {
      if (k.id !== s.track) return '<td></td>';
      const preempt = s.preempted ? `<span class="preempt">${icon('preemption')} preempted</span>` : '';
      const viol = s.step === violStep ? ` <span class="viol-text">${icon('violation')} ${escapeHtml(t.violation!.invariant)}</span>` : '';
      const read = s.read ? ` <span class="read">${escapeHtml(s.read)}</span>` : '';
      return `<td><code>${escapeHtml(s.point)}</code>${s.arg ? ` ${escapeHtml(s.arg)}` : ''}${preempt}${read}${viol}</td>`;
    });
    return `<tr${cls ? ` class="${cls}"` : ''} data-step="${s.step}"><td class="step">${s.step}</td>${cells.join('')}</tr>`;
  });
  return `${note}<table id="steps">\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>\n<p class="note">A row is one step: the thread that passed a schedule point, which point, and its argument. ${icon('preemption')} preempted: after this step the scheduler switched to another thread although this one could have gone on.${violStep !== null ? ' The highlighted row is the step where the violation was found.' : ''}</p>`;
}

export interface ReplayHtmlOptions {
  /** Told of anything the chart renderer warned about. */
  onWarning?: (message: string) => void;
}

export async function renderReplayHtml(t: RunTrace, opts: ReplayHtmlOptions = {}): Promise<string> {
  const lanes = laneNames(t);
  const { svg, warnings } = await renderSvg(interleavingSpec(t));
  for (const w of warnings) opts.onWarning?.(w);
  const v = t.violation;
  const clock = t.clock === 'step' ? `controlled run, ${t.steps.length} scheduler step${t.steps.length === 1 ? '' : 's'}` : 'free running, Lamport clock';
  const verdict = v ? `violation <strong class="viol-text">${escapeHtml(v.invariant)}</strong> at ${escapeHtml(clockUnit(t.clock))} ${v.at}` : 'no violation';
  const from = windowStart(t);
  const caption =
    `Time runs left to right in ${clockUnit(t.clock)}s. Colour is what the thread was doing; a lock hold is labelled with the lock. ` +
    (from !== null ? `The run was long: this shows its last ${STEP_TABLE_LIMIT} steps, from step ${from}, as the table below does; a bar begun earlier starts at the left edge. ` : '') +
    (t.flows.length ? `The lock changed hands ${t.flows.length} time${t.flows.length === 1 ? '' : 's'} between threads; the Chrome trace (--trace) draws those hand-offs as arrows.` : '');
  const report = t.report.trim() !== '' ? `<pre id="report">${escapeHtml(t.report)}</pre>` : `<p id="report">${v ? 'The run recorded no report text.' : 'No violation: the checker found nothing wrong in this run.'}</p>`;
  const replay =
    t.replay !== null
      ? `<pre id="replay"><code>${escapeHtml(t.replay)}</code></pre>\n<p class="note">Runs the same schedule again: the same interleaving, step for step, and the same violations.</p>`
      : `<p id="replay">No replay command: ${t.clock === 'lamport' ? 'a free-running interleaving was the machine\'s, not a schedule\'s, and cannot be replayed exactly.' : 'the run recorded none.'}</p>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>iommu-stress replay: ${escapeHtml(t.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>iommu-stress replay: ${escapeHtml(t.title)}</h1>
<p class="meta">${escapeHtml(clock)}; ${t.tracks.length} thread${t.tracks.length === 1 ? '' : 's'}, ${t.slices.length} slices; ${verdict}.</p>

<h2>How to read this page</h2>
${howToRead(t)}

<h2>Interleaving</h2>
<figure class="chart" id="interleaving" data-chart="interleaving">
${svg}
<figcaption>${escapeHtml(caption)}</figcaption>
</figure>

<h2>Steps</h2>
${stepTableHtml(t, lanes)}

<h2>Violation</h2>
${report}

<h2>Replay</h2>
${replay}
</body>
</html>
`;
}
