/**
 * A run's interleaving as a RunTrace (report/run-trace.ts): the tracks (a
 * device queue or an agent each), the slices of their trace rings (lock
 * holds, map, DMA, unmap), the instants (violations, preemptions, agents'
 * events), the lock hand-offs, and under control every scheduler step. From
 * it the Chrome trace file and the replay page are drawn.
 */
import type { RunTrace } from '../report/run-trace.js';
import { describeAddress } from '../memory/regions.js';
import { readSteps } from '../sched/control.js';
import type { Engine } from '../engine/engine.js';
import { agentName } from '../engine/describe.js';
import { argText, pointNames, readText, readTimeline } from './collect.js';
import type { RunResult, TimelineEvent } from './result.js';

const PAIRS: Record<string, { begin: string; cat: 'map' | 'dma' | 'unmap' }> = {
  map: { begin: 'map-begin', cat: 'map' },
  dma: { begin: 'dma-begin', cat: 'dma' },
  unmap: { begin: 'unmap-begin', cat: 'unmap' },
};

export function buildRunTrace(e: Engine, r: RunResult, title: string, replay: string | null, report = ''): RunTrace {
  const L = e.L;
  const names = pointNames(e);
  const events = readTimeline(e, names, 0);
  const tracks = Array.from({ length: L.agents }, (_, a) => ({ id: a, name: agentName(L, a, e.agentNames).replace(/ \((worker|agent) \d+\)$/, ''), kind: (a < L.workers ? 'device' : 'agent') as 'device' | 'agent' }));
  const slices: RunTrace['slices'] = [];
  const instants: RunTrace['instants'] = [];
  const flows: RunTrace['flows'] = [];
  const byTrack = new Map<number, TimelineEvent[]>();
  for (const ev of events) {
    if (ev.worker >= L.agents) continue;
    const list = byTrack.get(ev.worker) ?? [];
    list.push(ev);
    byTrack.set(ev.worker, list);
  }
  for (const [track, list] of byTrack) {
    const open = new Map<string, number>();
    let prev = list[0]?.clock ?? 0;
    for (const ev of list) {
      if (ev.event === 'acquire') open.set(`lock:${ev.arg}`, ev.clock);
      else if (ev.event === 'release') {
        const s = open.get(`lock:${ev.arg}`);
        if (s !== undefined) slices.push({ track, name: ev.arg, cat: 'lock', start: s, end: ev.clock });
        open.delete(`lock:${ev.arg}`);
      } else if (ev.event.endsWith('-begin')) {
        open.set(ev.event, ev.clock);
      } else if (PAIRS[ev.event]) {
        const p = PAIRS[ev.event]!;
        const s = open.get(p.begin) ?? prev;
        open.delete(p.begin);
        slices.push({ track, name: ev.event, cat: p.cat, start: s, end: ev.clock, args: { iova: ev.arg, op: ev.op } });
      } else if (ev.event === 'violation') {
        instants.push({ track, name: 'violation', cat: 'violation', at: ev.clock, args: { iova: ev.arg } });
      } else if (!['op', 'alloc', 'free', 'flush', 'hold-forever'].includes(ev.event)) {
        instants.push({ track, name: ev.event, cat: 'event', at: ev.clock, args: { arg: ev.arg } });
      }
      prev = ev.clock;
    }
  }
  // Hand-offs: a release, then the next acquisition of the same lock by another track.
  const lockEvents = events.filter((ev) => ev.event === 'acquire' || ev.event === 'release');
  const lastRelease = new Map<string, TimelineEvent>();
  for (const ev of lockEvents) {
    if (ev.event === 'release') lastRelease.set(ev.arg, ev);
    else {
      const rel = lastRelease.get(ev.arg);
      if (rel && rel.worker !== ev.worker) flows.push({ lock: ev.arg, fromTrack: rel.worker, fromAt: rel.clock, toTrack: ev.worker, toAt: ev.clock });
      lastRelease.delete(ev.arg);
    }
  }
  const steps: RunTrace['steps'] = [];
  if (r.sched) {
    for (const s of readSteps(e.m, L, 0, r.sched.steps)) {
      const point = names.get(s.point) ?? `#${s.point.toString(16)}`;
      steps.push({ step: s.step, track: s.agent, point, arg: argText(L, point, s.arg), preempted: s.preempted, ...(s.rf > 0 ? { read: readText(s) } : {}) });
      if (s.preempted) instants.push({ track: s.agent, name: 'preempt', cat: 'preempt', at: s.step, args: { point } });
    }
  }
  const first = r.violations.samples[0];
  const vi = instants.find((i) => i.cat === 'violation');
  const at = r.sched && r.sched.violationStep >= 0 ? r.sched.violationStep : (vi?.at ?? -1);
  return {
    schema: 'iommu-stress/trace@1',
    title,
    clock: r.sched ? 'step' : 'lamport',
    tracks,
    slices,
    instants,
    flows,
    steps,
    violation: first && at >= 0 ? { at, track: vi?.track ?? 0, invariant: first.invariant, text: `${first.invariant}${first.iova ? ` at IOVA ${first.iova}` : ''}` } : null,
    replay,
    report,
  };
}

/** A lock's name from an address (for callers that hold raw addresses). */
export const lockText = (e: Engine, addr: number): string => describeAddress(e.L, addr) ?? String(addr);
