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
import { CTL_FREEZE, TE_ARG, TE_CLOCK, TE_EVENT, TE_OP, TE_WORDS, TR_HDR_WORDS, TR_HEAD, traceAt } from '../memory/layout.js';
/** The engine's events, as -1 - index. */
export const ENGINE_EVENTS = ['op', 'alloc', 'map-begin', 'map', 'dma-begin', 'dma', 'unmap-begin', 'unmap', 'free', 'violation', 'flush', 'acquire', 'release', 'hold-forever'];
const ev = (name) => -1 - ENGINE_EVENTS.indexOf(name);
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
export const engineEventName = (e) => (e < 0 ? ENGINE_EVENTS[-1 - e] : undefined);
export class TraceRing {
    m;
    tr;
    mask;
    constructor(m, L, agent) {
        this.m = m;
        this.tr = traceAt(L, agent);
        this.mask = L.traceLen - 1;
    }
    event(clock, op, event, arg) {
        const m = this.m;
        if (m[(4 /* CTL_FREEZE */)] !== 0)
            return;
        const head = m[this.tr + (0 /* TR_HEAD */)];
        const e = this.tr + (16 /* TR_HDR_WORDS */) + (head & this.mask) * (4 /* TE_WORDS */);
        m[e + (0 /* TE_CLOCK */)] = clock;
        m[e + (1 /* TE_OP */)] = op;
        m[e + (2 /* TE_EVENT */)] = event;
        m[e + (3 /* TE_ARG */)] = arg;
        m[this.tr + (0 /* TR_HEAD */)] = (head + 1) | 0;
    }
}
//# sourceMappingURL=trace.js.map