/**
 * The trace ring of an agent: its last events, each with a logical clock,
 * in shared memory (64 free running; a whole run, 2048, under control, for
 * the trace file and the replay page). Writing stops once the first
 * violation froze the rings (CTL_FREEZE), so they keep what led to it. Plain
 * stores; nothing allocated.
 *
 * An event is the engine's own (a small negative number below) or a name a
 * design gave (`ctx.event('switch')`: its label hash, positive).
 */
import { CTL_FREEZE, type Layout, TE_ARG, TE_CLOCK, TE_EVENT, TE_OP, TE_WORDS, TR_HDR_WORDS, TR_HEAD, traceAt } from '../memory/layout.js';

/** The engine's events, as -1 - index. */
export const ENGINE_EVENTS = ['op', 'alloc', 'map-begin', 'map', 'dma-begin', 'dma', 'unmap-begin', 'unmap', 'free', 'violation', 'flush', 'acquire', 'release', 'hold-forever'] as const;
const ev = (name: (typeof ENGINE_EVENTS)[number]): number => -1 - ENGINE_EVENTS.indexOf(name);
export const E_OP = ev('op');
export const E_ALLOC = ev('alloc');
export const E_MAP_BEGIN = ev('map-begin');
export const E_MAP = ev('map');
export const E_DMA_BEGIN = ev('dma-begin');
export const E_DMA = ev('dma');
export const E_UNMAP_BEGIN = ev('unmap-begin');
export const E_UNMAP = ev('unmap');
export const E_FREE = ev('free');
export const E_VIOLATION = ev('violation');
export const E_FLUSH = ev('flush');
export const E_ACQUIRE = ev('acquire');
export const E_RELEASE = ev('release');
export const E_HOLD_FOREVER = ev('hold-forever');

export const engineEventName = (e: number): string | undefined => (e < 0 ? ENGINE_EVENTS[-1 - e] : undefined);

export class TraceRing {
  private readonly tr: number;
  private readonly mask: number;

  constructor(
    private readonly m: Int32Array,
    L: Layout,
    agent: number,
  ) {
    this.tr = traceAt(L, agent);
    this.mask = L.traceLen - 1;
  }

  event(clock: number, op: number, event: number, arg: number): void {
    const m = this.m;
    if (m[CTL_FREEZE] !== 0) return;
    const head = m[this.tr + TR_HEAD]!;
    const e = this.tr + TR_HDR_WORDS + (head & this.mask) * TE_WORDS;
    m[e + TE_CLOCK] = clock;
    m[e + TE_OP] = op;
    m[e + TE_EVENT] = event;
    m[e + TE_ARG] = arg;
    m[this.tr + TR_HEAD] = (head + 1) | 0;
  }
}
