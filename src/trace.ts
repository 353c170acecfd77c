/**
 * The trace ring of an agent (a device worker or the live-switch thread):
 * its last TRACE_LEN events, each with a logical clock, in shared memory.
 * Writing stops once the first violation froze the rings (CTL_FREEZE), so
 * they keep what led to it. Plain stores; nothing allocated.
 */
import { CTL_FREEZE, TE_CLOCK, TE_EVENT, TE_IOVA, TE_OP, TE_WORDS, TR_CLOCK, TR_HDR_WORDS, TR_HEAD, TRACE_LEN } from './layout.js';

export const TRACE_EVENTS = ['alloc', 'map', 'dma', 'unmap', 'free', 'violation', 'flush', 'switch'] as const;
export const T_ALLOC = 0;
export const T_MAP = 1;
export const T_DMA = 2;
export const T_UNMAP = 3;
export const T_FREE = 4;
export const T_VIOLATION = 5;
export const T_FLUSH = 6;
export const T_SWITCH = 7;

/** Append an event to the ring at word `tr`, unless the rings are frozen. */
export function traceEvent(m: Int32Array, tr: number, clock: number, op: number, event: number, arg: number): void {
  if (m[CTL_FREEZE] !== 0) return;
  const head = m[tr + TR_HEAD]!;
  const e = tr + TR_HDR_WORDS + (head & (TRACE_LEN - 1)) * TE_WORDS;
  m[e + TE_CLOCK] = clock;
  m[e + TE_OP] = op;
  m[e + TE_EVENT] = event;
  m[e + TE_IOVA] = arg;
  m[tr + TR_HEAD] = head + 1;
  m[tr + TR_CLOCK] = clock;
}
