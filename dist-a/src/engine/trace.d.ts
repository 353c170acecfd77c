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
import { type Layout } from '../memory/layout.js';
/** The engine's events, as -1 - index. */
export declare const ENGINE_EVENTS: readonly ["op", "alloc", "map-begin", "map", "dma-begin", "dma", "unmap-begin", "unmap", "free", "violation", "flush", "acquire", "release", "hold-forever"];
export declare const E_OP: number;
export declare const E_ALLOC: number;
export declare const E_MAP_BEGIN: number;
export declare const E_MAP: number;
export declare const E_DMA_BEGIN: number;
export declare const E_DMA: number;
export declare const E_UNMAP_BEGIN: number;
export declare const E_UNMAP: number;
export declare const E_FREE: number;
export declare const E_VIOLATION: number;
export declare const E_FLUSH: number;
export declare const E_ACQUIRE: number;
export declare const E_RELEASE: number;
export declare const E_HOLD_FOREVER: number;
export declare const engineEventName: (e: number) => string | undefined;
export declare class TraceRing {
    private readonly m;
    private readonly tr;
    private readonly mask;
    constructor(m: Int32Array, L: Layout, agent: number);
    event(clock: number, op: number, event: number, arg: number): void;
}
