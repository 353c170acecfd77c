/**
 * A run's interleaving as a RunTrace (report/run-trace.ts): the tracks (a
 * device queue or an agent each), the slices of their trace rings (lock
 * holds, map, DMA, unmap), the instants (violations, preemptions, agents'
 * events), the lock hand-offs, and under control every scheduler step. From
 * it the Chrome trace file and the replay page are drawn.
 */
import type { RunTrace } from '../report/run-trace.js';
import type { Engine } from '../engine/engine.js';
import type { RunResult } from './result.js';
export declare function buildRunTrace(e: Engine, r: RunResult, title: string, replay: string | null, report?: string): RunTrace;
/** A lock's name from an address (for callers that hold raw addresses). */
export declare const lockText: (e: Engine, addr: number) => string;
