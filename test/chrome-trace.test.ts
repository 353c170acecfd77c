import { describe, expect, it } from 'vitest';
import { type ChromeTrace, type ChromeTraceEvent, MIN_DUR, checkChromeTrace, toChromeTrace } from '../src/report/chrome-trace.js';
import type { RunTrace } from '../src/report/run-trace.js';
import { L, controlledTrace } from './trace-fixtures.js';

/** A free run: Lamport clock, no steps, zero-length map and lock, a zero-length hold at its parent's very end. */
function freeTrace(): RunTrace {
  return {
    schema: 'iommu-stress/trace@1',
    title: 'run: 2 devices, group size 2',
    clock: 'lamport',
    tracks: [
      { id: 0, name: 'dev0', kind: 'device' },
      { id: 1, name: 'dev1', kind: 'device' },
    ],
    slices: [
      { track: 0, name: 'op 0', cat: 'op', start: 10, end: 20 },
      { track: 0, name: 'map', cat: 'map', start: 10, end: 12 },
      { track: 0, name: L, cat: 'lock', start: 12, end: 12 },
      { track: 0, name: 'dma', cat: 'dma', start: 14, end: 14 },
      { track: 1, name: 'op 0', cat: 'op', start: 13, end: 30 },
      { track: 1, name: L, cat: 'lock', start: 13, end: 16 },
    ],
    instants: [],
    flows: [{ lock: L, fromTrack: 0, fromAt: 12, toTrack: 1, toAt: 13 }],
    steps: [],
    violation: null,
    replay: null,
    report: '',
  };
}

type Of<P extends ChromeTraceEvent['ph']> = Extract<ChromeTraceEvent, { ph: P }>;
const ofPh = <P extends ChromeTraceEvent['ph']>(tr: ChromeTrace, ph: P): Of<P>[] => tr.traceEvents.filter((e): e is Of<P> => e.ph === ph);

/** Each track's thread id, by its thread_name. */
function tidsByName(tr: ChromeTrace): Map<string, number> {
  return new Map(ofPh(tr, 'M').filter((e) => e.name === 'thread_name').map((e) => [String(e.args['name']), e.tid]));
}

/** The slice a flow event at `ts` on `tid` binds to, as Perfetto binds it: the event begun last there (instants before slices at the same time, longer slices first). */
function boundSlice(tr: ChromeTrace, tid: number, ts: number): Of<'X'> | Of<'i'> | undefined {
  const evs = tr.traceEvents
    .filter((e): e is Of<'X'> | Of<'i'> => (e.ph === 'X' || (e.ph === 'i' && e.s === 't')) && e.tid === tid && e.ts <= ts)
    .sort((a, b) => a.ts - b.ts || (a.ph === 'X' ? 1 : 0) - (b.ph === 'X' ? 1 : 0) || (b.ph === 'X' ? b.dur : 0) - (a.ph === 'X' ? a.dur : 0));
  return evs[evs.length - 1];
}

describe('toChromeTrace: a controlled run', () => {
  const t = controlledTrace();
  const tr = toChromeTrace(t);
  const tids = tidsByName(tr);

  it('is one process named by the title, with a named thread per track in track order', () => {
    const meta = ofPh(tr, 'M');
    expect(meta.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args['name']])).toEqual([[1, 'device-locks (broken)']]);
    expect([...tids.keys()]).toEqual(['dev0', 'dev1', 'live-switch']);
    expect(new Set(tids.values()).size).toBe(3);
    const sort = meta.filter((e) => e.name === 'thread_sort_index').map((e) => [e.tid, e.args['sort_index']]);
    expect(sort).toEqual([...tids.values()].map((tid, i) => [tid, i]));
    for (const e of tr.traceEvents) expect(e.pid).toBe(1);
  });

  it('says what the time is: 1 us a scheduler step, displayed as the format default', () => {
    expect(tr.displayTimeUnit).toBe('ms');
    expect(Object.keys(tr)[0]).toBe('displayTimeUnit');
    expect(tr.otherData).toMatchObject({ clock: 'step', unit: '1 us = 1 scheduler step', replay: t.replay, overlapping: 0, unplaced: 0 });
    expect(String(tr.otherData['violation'])).toContain('dma-after-unmap');
  });

  it('has a complete event for every slice, on its track, at its step; zero-length ones drawn MIN_DUR wide', () => {
    const xs = ofPh(tr, 'X');
    expect(xs).toHaveLength(t.slices.length);
    for (const s of t.slices) {
      const track = t.tracks.find((k) => k.id === s.track)!;
      const hits = xs.filter((e) => e.tid === tids.get(track.name) && e.name === s.name && e.cat === s.cat && e.ts === s.start && e.args['end'] === s.end);
      expect(hits, `${track.name} ${s.name} ${s.start}-${s.end}`).toHaveLength(1);
      expect(hits[0]!.dur).toBe(s.end > s.start ? s.end - s.start : MIN_DUR);
    }
    expect(xs.find((e) => e.name === 'map' && e.tid === tids.get('dev0'))!.args).toMatchObject({ iova: '0x1000', start: 1, end: 4 });
  });

  it('marks both preemptions and the agent event on their threads, the violation on its thread and once globally', () => {
    const is = ofPh(tr, 'i');
    expect(is.filter((e) => e.cat === 'preempt').map((e) => [e.tid, e.ts, e.s])).toEqual([
      [tids.get('dev0'), 2, 't'],
      [tids.get('dev1'), 8, 't'],
    ]);
    expect(is.filter((e) => e.cat === 'event').map((e) => [e.tid, e.ts, e.name])).toEqual([[tids.get('live-switch'), 7, 'domain switch']]);
    const viol = is.filter((e) => e.cat === 'violation');
    expect(viol.map((e) => [e.s, e.tid, e.ts])).toEqual([
      ['t', tids.get('dev1'), 14],
      ['g', tids.get('dev1'), 14],
    ]);
    expect(viol[1]!.name).toBe('violation: dma-after-unmap');
    expect(viol[1]!.args['text']).toBe(t.violation!.text);
  });

  it('draws every hand-off as a flow from the release of the lock to its next acquisition, bound to those two holds', () => {
    const starts = ofPh(tr, 's');
    const ends = ofPh(tr, 'f');
    expect(starts).toHaveLength(t.flows.length);
    expect(ends).toHaveLength(t.flows.length);
    t.flows.forEach((f, n) => {
      const s = starts[n]!;
      const e = ends.find((x) => x.id === s.id)!;
      expect(e, `flow ${n}`).toBeDefined();
      expect([s.name, s.cat]).toEqual([e.name, e.cat]);
      expect(s.name).toBe(L);
      expect(e.bp).toBe('e');
      expect(s.tid).toBe(tids.get(t.tracks[f.fromTrack]!.name));
      expect(e.tid).toBe(tids.get(t.tracks[f.toTrack]!.name));
      const from = boundSlice(tr, s.tid, s.ts);
      const to = boundSlice(tr, e.tid, e.ts);
      expect(from && from.ph === 'X' ? [from.cat, from.name, from.args['end']] : from, `flow ${n} start`).toEqual(['lock', L, f.fromAt]);
      expect(to && to.ph === 'X' ? [to.cat, to.name, to.args['start']] : to, `flow ${n} end`).toEqual(['lock', L, f.toAt]);
      expect(e.ts).toBeGreaterThan(s.ts);
    });
    // dev0 was preempted at step 2 inside its hold [1, 3]: the release binds before the preemption, not to it.
    expect(starts[0]!.ts).toBeLessThan(2);
  });

  it('passes its own check, before and after a JSON round trip', () => {
    expect(checkChromeTrace(tr)).toEqual([]);
    expect(checkChromeTrace(JSON.parse(JSON.stringify(tr)))).toEqual([]);
  });
});

describe('toChromeTrace: a free-running run', () => {
  const t = freeTrace();
  const tr = toChromeTrace(t);
  const tids = tidsByName(tr);

  it('is on the Lamport clock, with a thread per worker and every slice', () => {
    expect(tr.otherData).toMatchObject({ clock: 'lamport', unit: '1 us = 1 Lamport clock tick', violation: 'none', replay: '' });
    expect([...tids.keys()]).toEqual(['dev0', 'dev1']);
    expect(ofPh(tr, 'X')).toHaveLength(t.slices.length);
    expect(ofPh(tr, 'i')).toEqual([]);
  });

  it('keeps zero-length slices visible, cut where they would stick out of the slice they are in', () => {
    const dev0 = ofPh(tr, 'X').filter((e) => e.tid === tids.get('dev0'));
    // The hold at 12, the map's last tick, starts as the map ends: drawn half a tick wide after it.
    expect(dev0.find((e) => e.cat === 'lock')).toMatchObject({ ts: 12, dur: MIN_DUR });
    expect(dev0.find((e) => e.cat === 'dma')).toMatchObject({ ts: 14, dur: MIN_DUR });
    const cut = toChromeTrace({ ...t, slices: [{ track: 0, name: 'op', cat: 'op', start: 0, end: 10.2 }, { track: 0, name: 'x', cat: 'map', start: 10, end: 10 }], flows: [] });
    expect(ofPh(cut, 'X').find((e) => e.name === 'x')!.dur).toBeCloseTo(0.2);
    expect(checkChromeTrace(cut)).toEqual([]);
  });

  it('binds the hand-off to the zero-length hold and the next one, and passes its own check', () => {
    const [s] = ofPh(tr, 's');
    const [f] = ofPh(tr, 'f');
    expect(boundSlice(tr, s!.tid, s!.ts)).toMatchObject({ ph: 'X', cat: 'lock', ts: 12 });
    expect(boundSlice(tr, f!.tid, f!.ts)).toMatchObject({ ph: 'X', cat: 'lock', ts: 13 });
    expect(checkChromeTrace(tr)).toEqual([]);
  });

  it('puts slices that overlap without nesting on a thread of their own, so none is dropped', () => {
    const t2: RunTrace = {
      ...t,
      slices: [
        { track: 0, name: 'map', cat: 'map', start: 1, end: 4 },
        { track: 0, name: L, cat: 'lock', start: 2, end: 6 },
        { track: 0, name: 'dma', cat: 'dma', start: 5, end: 8 },
        { track: 1, name: L, cat: 'lock', start: 13, end: 16 },
      ],
      flows: [{ lock: L, fromTrack: 0, fromAt: 6, toTrack: 1, toAt: 13 }],
    };
    const tr2 = toChromeTrace(t2);
    const names = tidsByName(tr2);
    expect([...names.keys()]).toEqual(['dev0', 'dev0 (overlapping)', 'dev1']);
    expect(tr2.otherData['overlapping']).toBe(1);
    const lock = ofPh(tr2, 'X').find((e) => e.cat === 'lock' && e.ts === 2)!;
    expect(lock.tid).toBe(names.get('dev0 (overlapping)'));
    expect(ofPh(tr2, 's')[0]!.tid).toBe(lock.tid);
    expect(checkChromeTrace(tr2)).toEqual([]);
  });

  it('leaves out, and counts, what names a track the trace does not list', () => {
    const tr3 = toChromeTrace({ ...t, slices: [...t.slices, { track: 9, name: 'map', cat: 'map', start: 1, end: 2 }], flows: [...t.flows, { lock: L, fromTrack: 9, fromAt: 2, toTrack: 0, toAt: 12 }] });
    expect(tr3.otherData['unplaced']).toBe(2);
    expect(ofPh(tr3, 'X')).toHaveLength(t.slices.length);
    expect(ofPh(tr3, 's')).toHaveLength(1);
    expect(checkChromeTrace(tr3)).toEqual([]);
  });
});

describe('checkChromeTrace finds what is wrong', () => {
  const good = (): ChromeTrace => toChromeTrace(controlledTrace());
  const withEvents = (evs: unknown[]): unknown => ({ traceEvents: evs });
  const name = (tid: number): unknown => ({ ph: 'M', name: 'thread_name', pid: 1, tid, ts: 0, args: { name: `t${tid}` } });

  it('in the shape of the whole', () => {
    expect(checkChromeTrace(null)).toEqual(['not an object']);
    expect(checkChromeTrace({ events: [] })).toEqual(['no traceEvents']);
    expect(checkChromeTrace({ traceEvents: {} })).toEqual(['traceEvents is not an array']);
    expect(checkChromeTrace({ traceEvents: [], displayTimeUnit: 'us' })).toEqual(['displayTimeUnit "us" is neither "ms" nor "ns"']);
  });

  it('in single events: no ph, no ts, no pid or tid, no name, no dur, a bad instant scope', () => {
    const problems = checkChromeTrace(
      withEvents([
        name(1),
        { name: 'a', pid: 1, tid: 1, ts: 0 },
        { ph: 'X', name: 'b', pid: 1, tid: 1, dur: 1 },
        { ph: 'X', name: 'c', ts: 0, dur: 1 },
        { ph: 'X', pid: 1, tid: 1, ts: 0, dur: 1 },
        { ph: 'X', name: 'd', pid: 1, tid: 1, ts: 0 },
        { ph: 'i', name: 'e', pid: 1, tid: 1, ts: 0, s: 'x' },
        'f',
      ]),
    );
    expect(problems).toEqual([
      'event 1: ph undefined is not an event phase',
      `event 2 (ph 'X' "b"): no valid ts`,
      `event 3 (ph 'X' "c"): no valid pid, tid`,
      `event 4 (ph 'X'): no valid name`,
      `event 5 (ph 'X' "d"): no valid dur`,
      'event 6: instant scope "x" is not t, p or g',
      'event 7: not an object',
    ]);
  });

  it('a flow start without its end, and an end without a start', () => {
    const tr = good();
    const firstEnd = tr.traceEvents.findIndex((e) => e.ph === 'f');
    const broken = { ...tr, traceEvents: tr.traceEvents.filter((_e, i) => i !== firstEnd) };
    expect(checkChromeTrace(broken)).toEqual([`flow "${L}" (id 1, cat "handoff"): a start without its end`]);
    const firstStart = tr.traceEvents.findIndex((e) => e.ph === 's');
    expect(checkChromeTrace({ ...tr, traceEvents: tr.traceEvents.filter((_e, i) => i !== firstStart) })).toEqual([`flow "${L}" (id 1, cat "handoff"): an end without its start`]);
  });

  it('a flow whose end comes before its start, or that has no slice to bind to, or whose ends differ in name', () => {
    const x = { ph: 'X', name: 's', cat: 'c', pid: 1, tid: 1, ts: 0, dur: 10 };
    expect(checkChromeTrace(withEvents([name(1), x, { ph: 's', name: 'h', cat: 'k', id: 1, pid: 1, tid: 1, ts: 5 }, { ph: 'f', bp: 'e', name: 'h', cat: 'k', id: 1, pid: 1, tid: 1, ts: 4 }]))).toEqual([
      'flow "h" (id 1, cat "k"): ends at 4, before it starts at 5',
    ]);
    expect(checkChromeTrace(withEvents([name(1), x, { ph: 's', name: 'h', cat: 'k', id: 1, pid: 1, tid: 1, ts: 5 }, { ph: 'f', bp: 'e', name: 'h', cat: 'k', id: 1, pid: 1, tid: 1, ts: 12 }]))).toEqual([
      'event 3: flow end "h" (id 1) at 12 on thread 1/1 is in no open slice to bind to',
    ]);
    expect(checkChromeTrace(withEvents([name(1), x, { ph: 's', name: 'h', cat: 'k', id: 1, pid: 1, tid: 1, ts: 5 }, { ph: 'f', bp: 'e', name: 'other', cat: 'k', id: 1, pid: 1, tid: 1, ts: 6 }]))).toEqual([
      'flow "h" (id 1, cat "k"): a start without its end',
      'flow "other" (id 1, cat "k"): an end without its start',
    ]);
  });

  it('slices of one thread that overlap without nesting, and a thread without a name', () => {
    expect(
      checkChromeTrace(
        withEvents([
          name(1),
          { ph: 'X', name: 'a', pid: 1, tid: 1, ts: 0, dur: 4 },
          { ph: 'X', name: 'b', pid: 1, tid: 1, ts: 2, dur: 4 },
          { ph: 'X', name: 'c', pid: 1, tid: 2, ts: 0, dur: 1 },
        ]),
      ),
    ).toEqual(['thread 1/1: event 2 "b" [2, 6] overlaps event 1 "a" [0, 4] without nesting in it (viewers drop one)', 'thread 1/2 has events but no thread_name']);
  });

  it('a slice moved off its thread by hand', () => {
    const tr = good();
    const lock = tr.traceEvents.find((e): e is Of<'X'> => e.ph === 'X' && e.cat === 'lock')!;
    lock.ts -= 0.5; // now starts before the map it sat in, and ends inside it
    expect(checkChromeTrace(tr)).toEqual([expect.stringMatching(new RegExp(`"map" \\[1, 4\\] overlaps event \\d+ "${L}" \\[0.5, 2.5\\] without nesting`))]);
  });
});
