/** PLACEHOLDER until the trace helper's branch is merged. */
import type { RunTrace } from './run-trace.js';
export function toChromeTrace(t: RunTrace): { traceEvents: unknown[] } {
  return { traceEvents: t.slices.map((s) => ({ ph: 'X', ts: s.start, dur: s.end - s.start, pid: 1, tid: s.track, name: s.name })) };
}
