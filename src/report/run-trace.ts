/**
 * The plain data a run records of how its workers interleaved. The engine
 * produces it; chrome-trace.ts turns it into a Chrome trace (`--trace FILE`)
 * and replay-html.ts into a page (`replay --html FILE`). Plain JSON-able
 * values only, so a trace can be written out and read back as it is.
 */

/** What a run recorded of how its workers interleaved: the input of --trace (Chrome Trace Event Format) and replay --html. */
export interface RunTrace {
  schema: 'iommu-stress/trace@1';
  /** e.g. "device-locks (broken)" or "run: 2 devices, group size 2" */
  title: string;
  /** 'step': a controlled run, times are scheduler steps; 'lamport': free running, a logical clock carried through the locks */
  clock: 'step' | 'lamport';
  /** One per thread: device queues first, then agents (a live-switch thread, a timer, a race's own agent). */
  tracks: { id: number; name: string; kind: 'device' | 'agent' }[];
  /** Intervals on a track, in clock units, end >= start: lock holds (cat 'lock', name = the lock, e.g. "pgtable lock of domain 0"), map, dma, unmap, a whole operation, an agent's own work. */
  slices: { track: number; name: string; cat: 'lock' | 'map' | 'dma' | 'unmap' | 'op' | 'agent'; start: number; end: number; args?: Record<string, string | number> }[];
  /** Points in time: the violation, preemptions (the scheduler took the CPU from a worker that could have gone on), an agent's events (a domain switch, a flush-queue timer tick). */
  instants: { track: number; name: string; cat: 'violation' | 'preempt' | 'event'; at: number; args?: Record<string, string | number> }[];
  /** Lock hand-offs: from one track's release of a lock to the next acquisition of the same lock by another track. */
  flows: { lock: string; fromTrack: number; fromAt: number; toTrack: number; toAt: number }[];
  /** Controlled runs: every scheduler step in order (who passed which schedule point); empty when free running. `arg` is already formatted (hex address, a lock's name, ...). */
  /** `read`: under tso or weak, a load that took an older store than the newest, in words. */
  steps: { step: number; track: number; point: string; arg: string; preempted: boolean; read?: string }[];
  violation: { at: number; track: number; invariant: string; text: string } | null;
  /** The command that replays this run, when there is one (controlled runs). */
  replay: string | null;
  /** The violation report as the terminal prints it (plain text, several lines); '' when clean. */
  report: string;
}

export type TraceTrack = RunTrace['tracks'][number];
export type TraceSlice = RunTrace['slices'][number];
export type TraceInstant = RunTrace['instants'][number];
export type TraceFlow = RunTrace['flows'][number];
export type TraceStep = RunTrace['steps'][number];

/** What one clock unit is, for axis titles and the trace's metadata. */
export function clockUnit(clock: RunTrace['clock']): string {
  return clock === 'step' ? 'scheduler step' : 'Lamport clock tick';
}
