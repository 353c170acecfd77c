/**
 * A RunTrace as a Chrome trace (Trace Event Format, JSON), the file that
 * Perfetto (ui.perfetto.dev) and chrome://tracing open: one process named by
 * the trace's title, a thread per track, the slices as complete events, the
 * instants as instant events, the lock hand-offs as flow arrows from the
 * release to the next acquisition. checkChromeTrace() says what is wrong
 * with an object as such a trace, as the viewers would find it.
 *
 * Time: one clock unit (a scheduler step, or a Lamport tick) is 1 µs of
 * `ts`, the format's unit, so Perfetto's time ruler reads in steps.
 * `displayTimeUnit` is 'ms', the format's default: Perfetto reads 'ns' as the
 * unit of `ts` itself (not only of the display), which would shrink the run a
 * thousandfold and round the half-step slices below away.
 *
 * Zero-length slices (a lock taken and dropped within one step, a map between
 * two ticks of the clock) are drawn MIN_DUR wide, half a unit: visible, and
 * still short of the next step. Where that would stick out of an enclosing
 * slice it is cut at the enclosing slice's end.
 *
 * Both viewers need the complete events of a thread to nest; slices of one
 * track that overlap without nesting (a lock held across the end of a map)
 * would be dropped, so such a slice goes to an extra thread of its own,
 * "<track> (overlapping)", and the count is in otherData (as is the count of
 * slices, instants and flows naming a track the trace does not list, which
 * have no thread to go on and are left out).
 */
import { clockUnit } from './run-trace.js';
/** The one process of the trace. */
export const TRACE_PID = 1;
/** Thread id of the first track; the rest follow in track order (Perfetto orders threads by id, chrome://tracing by thread_sort_index). Away from the pid: a thread whose id is its process's is that process's main thread to Perfetto. */
export const TID_BASE = 10;
/** Width of a zero-length slice, µs (clock units). */
export const MIN_DUR = 0.5;
/** How far inside its slice a flow event sits at most, µs. */
const FLOW_INSET = 0.1;
/**
 * Give each slice of one track a lane and a drawn interval such that the
 * slices of a lane nest: in start order (longer first at equal starts), a
 * slice goes to the first lane where it fits inside the innermost open
 * slice, or starts after it ended.
 */
function placeSlices(slices) {
    const order = slices.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start || b.s.end - a.s.end || a.i - b.i);
    const lanes = [];
    const placed = [];
    for (const { s } of order) {
        const widened = s.end <= s.start;
        let end = widened ? s.start + (0.5 /* MIN_DUR */) : s.end;
        for (let lane = 0;; lane++) {
            const stack = (lanes[lane] ??= []);
            while (stack.length > 0 && stack[stack.length - 1].end <= s.start)
                stack.pop();
            const top = stack[stack.length - 1];
            if (top && end > top.end) {
                if (!widened)
                    continue; // a real overlap: try the next lane
                end = top.end; // only the widening sticks out: cut it
            }
            const p = { slice: s, lane, ts: s.start, end };
            stack.push(p);
            placed.push(p);
            break;
        }
    }
    return placed;
}
const itemTs = (it) => (it.kind === 'slice' ? it.p.ts : it.i.at);
/**
 * The order a viewer meets a thread's events in: by time; at the same time
 * instants before slices and longer slices first, so a parent comes before
 * its children and the slice begun last is the innermost.
 */
function byViewerOrder(a, b) {
    const d = itemTs(a) - itemTs(b);
    if (d !== 0)
        return d;
    if (a.kind !== b.kind)
        return a.kind === 'instant' ? -1 : 1;
    if (a.kind === 'slice' && b.kind === 'slice')
        return b.p.end - b.p.ts - (a.p.end - a.p.ts);
    return 0;
}
/**
 * Where a flow event binds to slice `p` of `lane`. Perfetto binds a flow
 * event to the last slice (or thread instant) begun on its thread, still open
 * or not; chrome://tracing to the innermost slice enclosing it. Both give `p`
 * between its start and whatever begins next on the thread (a nested slice, a
 * preemption), so the point is taken from that window: near its end for a
 * release, near its start for an acquisition.
 */
function bindPoint(lane, p, side) {
    const next = lane.items[(lane.indexOf.get(p) ?? lane.items.length) + 1];
    const windowEnd = next ? Math.min(p.end, itemTs(next)) : p.end;
    const len = windowEnd - p.ts;
    // An empty window (something else begins at the same time, after it) leaves no point that binds to `p`: the start is as near as any.
    if (len <= 0)
        return p.ts;
    const inset = Math.min((0.1 /* FLOW_INSET */), len / 4);
    return side === 'release' ? windowEnd - inset : p.ts + inset;
}
export function toChromeTrace(t) {
    const events = [];
    // On the first track's thread: any other tid would show up as a thread of its own, with nothing on it.
    events.push({ ph: 'M', name: 'process_name', pid: (1 /* TRACE_PID */), tid: (10 /* TID_BASE */), ts: 0, args: { name: t.title } });
    // Each track's own thread (ids in track order), and any overlapping lanes (ids after all of those).
    const own = new Map();
    const extra = new Map();
    const placedOf = new Map();
    let nextExtraTid = (10 /* TID_BASE */) + t.tracks.length;
    let overlapping = 0;
    t.tracks.forEach((track, i) => {
        const lane = { tid: (10 /* TID_BASE */) + i, name: track.name, sortIndex: 0, items: [], indexOf: new Map() };
        own.set(track.id, lane);
        const placed = placeSlices(t.slices.filter((s) => s.track === track.id));
        placedOf.set(track.id, placed);
        const more = [];
        for (const p of placed) {
            if (p.lane === 0) {
                lane.items.push({ kind: 'slice', p });
                continue;
            }
            overlapping++;
            while (more.length < p.lane) {
                more.push({ tid: nextExtraTid++, name: `${track.name} (overlapping${more.length ? ` ${more.length + 1}` : ''})`, sortIndex: 0, items: [], indexOf: new Map() });
            }
            more[p.lane - 1].items.push({ kind: 'slice', p });
        }
        extra.set(track.id, more);
    });
    const instants = [...t.instants];
    const v = t.violation;
    // The violation on its own thread, from `instants` if the engine put it there.
    if (v && !instants.some((i) => i.cat === 'violation'))
        instants.push({ track: v.track, name: v.invariant, cat: 'violation', at: v.at, args: { text: v.text } });
    for (const i of instants)
        own.get(i.track)?.items.push({ kind: 'instant', i });
    // Anything on a track the trace does not list has no thread to go on: counted, for the metadata.
    const known = (track) => own.has(track);
    const unplaced = t.slices.filter((s) => !known(s.track)).length + instants.filter((i) => !known(i.track)).length + t.flows.filter((f) => !known(f.fromTrack) || !known(f.toTrack)).length;
    const laneOfPlaced = new Map();
    const allLanes = [];
    for (const track of t.tracks)
        allLanes.push(own.get(track.id), ...(extra.get(track.id) ?? []));
    // A track's overlapping lanes right under it.
    allLanes.forEach((lane, i) => (lane.sortIndex = i));
    for (const lane of allLanes) {
        lane.items.sort(byViewerOrder);
        lane.items.forEach((it, n) => {
            if (it.kind !== 'slice')
                return;
            laneOfPlaced.set(it.p, lane);
            lane.indexOf.set(it.p, n);
        });
        events.push({ ph: 'M', name: 'thread_name', pid: (1 /* TRACE_PID */), tid: lane.tid, ts: 0, args: { name: lane.name } });
        events.push({ ph: 'M', name: 'thread_sort_index', pid: (1 /* TRACE_PID */), tid: lane.tid, ts: 0, args: { sort_index: lane.sortIndex } });
    }
    for (const lane of allLanes) {
        for (const it of lane.items) {
            if (it.kind === 'slice') {
                const s = it.p.slice;
                events.push({ ph: 'X', name: s.name, cat: s.cat, pid: (1 /* TRACE_PID */), tid: lane.tid, ts: it.p.ts, dur: it.p.end - it.p.ts, args: { start: s.start, end: s.end, ...s.args } });
            }
            else {
                const i = it.i;
                events.push({ ph: 'i', s: 't', name: i.name, cat: i.cat, pid: (1 /* TRACE_PID */), tid: lane.tid, ts: i.at, args: { ...i.args } });
            }
        }
    }
    // Hand-offs: from the hold released at fromAt to the one acquired at toAt.
    const holds = indexHolds(placedOf);
    t.flows.forEach((f, n) => {
        if (!known(f.fromTrack) || !known(f.toTrack))
            return;
        const id = n + 1;
        const name = f.lock;
        const from = holds.get(holdKey(f.fromTrack, f.lock, 'end', f.fromAt));
        const to = holds.get(holdKey(f.toTrack, f.lock, 'start', f.toAt));
        const fromLane = from ? laneOfPlaced.get(from) : own.get(f.fromTrack);
        const toLane = to ? laneOfPlaced.get(to) : own.get(f.toTrack);
        // No such hold (the engine's data disagree with themselves): at the bare times, which checkChromeTrace flags if nothing encloses them.
        const fromTs = from ? bindPoint(fromLane, from, 'release') : f.fromAt;
        const toTs = to ? bindPoint(toLane, to, 'acquire') : f.toAt;
        events.push({ ph: 's', name, cat: 'handoff', id, pid: (1 /* TRACE_PID */), tid: fromLane.tid, ts: fromTs });
        events.push({ ph: 'f', bp: 'e', name, cat: 'handoff', id, pid: (1 /* TRACE_PID */), tid: toLane.tid, ts: toTs });
    });
    // And once more as a global instant: chrome://tracing draws it as a line across every thread, Perfetto puts it on a track of its own at the top, where it is seen without opening the process.
    if (v)
        events.push({ ph: 'i', s: 'g', name: `violation: ${v.invariant}`, cat: 'violation', pid: (1 /* TRACE_PID */), tid: own.get(v.track)?.tid ?? (10 /* TID_BASE */), ts: v.at, args: { text: v.text, track: v.track } });
    const otherData = {
        schema: t.schema,
        title: t.title,
        clock: t.clock,
        unit: `1 us = 1 ${clockUnit(t.clock)}`,
        zeroLength: `slices of zero length are drawn ${(0.5 /* MIN_DUR */)} us wide`,
        overlapping,
        unplaced,
        violation: v ? `${v.invariant}: ${v.text}` : 'none',
        replay: t.replay ?? '',
    };
    return { displayTimeUnit: 'ms', otherData, traceEvents: events };
}
const holdKey = (track, lock, edge, at) => `${track}\u0000${lock}\u0000${edge}\u0000${at}`;
/** Every lock hold by the track, lock and time it starts, and the same by when it ends; the innermost where two coincide. */
function indexHolds(placedOf) {
    const holds = new Map();
    for (const [track, placed] of placedOf) {
        for (const p of placed) {
            if (p.slice.cat !== 'lock')
                continue;
            for (const edge of ['start', 'end']) {
                const key = holdKey(track, p.slice.name, edge, p.slice[edge]);
                const had = holds.get(key);
                if (!had || p.ts >= had.ts)
                    holds.set(key, p);
            }
        }
    }
    return holds;
}
// ---------------------------------------------------------------------------
// The self-check.
const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'M', 's', 't', 'f', 'b', 'e', 'n', 'C', 'P', 'O', 'N', 'D', 'R']);
const isRecord = (x) => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
/**
 * What is wrong with `obj` as a Chrome trace, one line a problem; [] when
 * nothing is. Checks the shape (traceEvents, each event's ph, name, pid, tid,
 * ts; dur of complete events; the scope of instants), that the complete
 * events of each thread nest, that every thread with events is named, and
 * that every flow start has exactly one end, later, and that both bind to a
 * slice (Perfetto's rule: the slice begun last on the thread, which must
 * still be open at the flow event).
 */
export function checkChromeTrace(obj) {
    const problems = [];
    if (!isRecord(obj))
        return ['not an object'];
    if (!('traceEvents' in obj))
        return ['no traceEvents'];
    const list = obj['traceEvents'];
    if (!Array.isArray(list))
        return ['traceEvents is not an array'];
    if ('displayTimeUnit' in obj && obj['displayTimeUnit'] !== 'ms' && obj['displayTimeUnit'] !== 'ns')
        problems.push(`displayTimeUnit ${JSON.stringify(obj['displayTimeUnit'])} is neither "ms" nor "ns"`);
    const checked = [];
    const named = new Set();
    list.forEach((e, n) => {
        const where = `event ${n}`;
        if (!isRecord(e)) {
            problems.push(`${where}: not an object`);
            return;
        }
        const ph = e['ph'];
        if (typeof ph !== 'string' || !PHASES.has(ph)) {
            problems.push(`${where}: ph ${JSON.stringify(ph)} is not an event phase`);
            return;
        }
        const bad = [];
        if (typeof e['name'] !== 'string' || e['name'] === '')
            bad.push('name');
        for (const k of ['pid', 'tid', 'ts'])
            if (!isNum(e[k]))
                bad.push(k);
        if (ph === 'X' && !(isNum(e['dur']) && e['dur'] >= 0))
            bad.push('dur');
        if (bad.length) {
            problems.push(`${where} (ph '${ph}'${typeof e['name'] === 'string' ? ` "${e['name']}"` : ''}): no valid ${bad.join(', ')}`);
            return;
        }
        const name = e['name'];
        const thread = `${e['pid']}/${e['tid']}`;
        const c = { n, ph, name, thread, ts: e['ts'], dur: ph === 'X' ? e['dur'] : 0, id: String(e['id'] ?? ''), cat: typeof e['cat'] === 'string' ? e['cat'] : '' };
        if (ph === 'M') {
            const args = e['args'];
            if ((name === 'thread_name' || name === 'process_name') && !(isRecord(args) && typeof args['name'] === 'string'))
                problems.push(`${where}: ${name} without args.name`);
            else if (name === 'thread_name')
                named.add(thread);
            return;
        }
        if ((ph === 'i' || ph === 'I') && 's' in e && e['s'] !== 't' && e['s'] !== 'p' && e['s'] !== 'g')
            problems.push(`${where}: instant scope ${JSON.stringify(e['s'])} is not t, p or g`);
        if (ph === 's' || ph === 't' || ph === 'f') {
            if (!('id' in e) || (typeof e['id'] !== 'number' && typeof e['id'] !== 'string'))
                problems.push(`${where}: flow event without an id`);
            if (typeof e['cat'] !== 'string')
                problems.push(`${where}: flow event without a cat (a flow is its id, cat and name)`);
            if (ph === 'f' && 'bp' in e && e['bp'] !== 'e')
                problems.push(`${where}: flow end bp ${JSON.stringify(e['bp'])} is not "e"`);
        }
        checked.push(c);
    });
    const threads = new Map();
    for (const c of checked) {
        if (c.ph === 'i' && list[c.n]['s'] === 'g')
            continue;
        if (!threads.has(c.thread))
            threads.set(c.thread, []);
        threads.get(c.thread).push(c);
    }
    const ordered = new Map();
    for (const [thread, evs] of threads) {
        if (!named.has(thread) && evs.some((c) => c.ph === 'X' || c.ph === 'i'))
            problems.push(`thread ${thread} has events but no thread_name`);
        ordered.set(thread, slicesInOrder(evs));
        problems.push(...nestingProblems(thread, ordered.get(thread)));
    }
    problems.push(...flowProblems(checked, ordered));
    return problems;
}
/** Slices of one thread in the order viewers take them: by start, longer first. */
function slicesInOrder(evs) {
    return evs.filter((c) => c.ph === 'X' || c.ph === 'i' || c.ph === 'I').sort((a, b) => a.ts - b.ts || (a.ph === 'X' ? 1 : 0) - (b.ph === 'X' ? 1 : 0) || b.dur - a.dur || a.n - b.n);
}
/** `ordered`: the thread's slices and instants, slicesInOrder. */
function nestingProblems(thread, ordered) {
    const out = [];
    const stack = [];
    for (const c of ordered) {
        if (c.ph !== 'X')
            continue;
        while (stack.length > 0 && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= c.ts)
            stack.pop();
        const top = stack[stack.length - 1];
        if (top && c.ts + c.dur > top.ts + top.dur) {
            out.push(`thread ${thread}: event ${c.n} "${c.name}" [${c.ts}, ${c.ts + c.dur}] overlaps event ${top.n} "${top.name}" [${top.ts}, ${top.ts + top.dur}] without nesting in it (viewers drop one)`);
            continue;
        }
        stack.push(c);
    }
    return out;
}
/** Perfetto's binding: the slice or thread instant begun last at or before `ts` (`ordered` as slicesInOrder gives them); a flow needs it to be a slice still open. */
function bindsTo(ordered, ts) {
    let lo = 0;
    let hi = ordered.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ordered[mid].ts <= ts)
            lo = mid + 1;
        else
            hi = mid;
    }
    const last = ordered[lo - 1];
    return last && last.ph === 'X' && ts < last.ts + last.dur ? last : undefined;
}
function flowProblems(checked, threads) {
    const out = [];
    const flows = new Map();
    for (const c of checked) {
        if (c.ph !== 's' && c.ph !== 'f')
            continue;
        // Perfetto keys a flow by id, cat and name together.
        const key = `${c.id}\u0000${c.cat}\u0000${c.name}`;
        if (!flows.has(key))
            flows.set(key, { s: [], f: [] });
        flows.get(key)[c.ph].push(c);
        if (!bindsTo(threads.get(c.thread) ?? [], c.ts))
            out.push(`event ${c.n}: flow ${c.ph === 's' ? 'start' : 'end'} "${c.name}" (id ${c.id}) at ${c.ts} on thread ${c.thread} is in no open slice to bind to`);
    }
    for (const { s, f } of flows.values()) {
        const any = (s[0] ?? f[0]);
        const what = `flow "${any.name}" (id ${any.id}, cat "${any.cat}")`;
        if (s.length === 0)
            out.push(`${what}: an end without its start`);
        else if (f.length === 0)
            out.push(`${what}: a start without its end`);
        else if (s.length > 1 || f.length > 1)
            out.push(`${what}: ${s.length} starts and ${f.length} ends, not one of each`);
        else if (f[0].ts < s[0].ts)
            out.push(`${what}: ends at ${f[0].ts}, before it starts at ${s[0].ts}`);
    }
    return out;
}
//# sourceMappingURL=chrome-trace.js.map