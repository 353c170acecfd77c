/** The CLI's progress, on progress.ts: a counted bar (with a line for notes) and a timed one. */
import { type Progress, createProgress as create, timeProgress as timed } from './progress.js';

export interface Bar {
  setTotal(total: number): void;
  update(done: number, what?: string): void;
  /** A line of its own (a failed sweep point), between the bar's updates. */
  log(line: string): void;
  stop(): void;
}

export function createProgress(o: { label: string; unit: string; total?: number }): Bar {
  const p: Progress = create({ label: o.label, unit: o.unit, ...(o.total !== undefined ? { total: o.total } : {}) });
  return {
    setTotal: (t) => p.setTotal(t),
    update: (d, w) => p.update(d, w),
    log: (line) => void process.stderr.write(`\n${line}\n`),
    stop: () => p.stop(),
  };
}

/** A bar that fills with the time of a run (a terminal only, runs over a second). */
export function timeProgress(label: string, seconds: number): { tick(elapsedSec: number): void; stop(): void } {
  if (seconds <= 1) return { tick: () => undefined, stop: () => undefined };
  return timed(label, seconds);
}
