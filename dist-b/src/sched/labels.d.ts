/**
 * Names of schedule points and events. Code names a step with a string
 * (`mem.cas(at, 0, pte, 'pte-install')`); the scheduler records a 31-bit
 * hash of it, the same in every worker and every build that keeps the name,
 * so that trace hashes and schedules stay stable. Each worker writes a name
 * it uses for the first time into a small table in shared memory, from which
 * the main thread prints steps by name.
 */
import { type Layout } from '../memory/layout.js';
/** FNV-1a over the UTF-16 units of `s`, 31 bits, never 0. */
export declare function labelHash(s: string): number;
/** Write `text` under `hash` into the table unless it is there (any thread). */
export declare function registerLabel(m: Int32Array, L: Layout, hash: number, text: string): void;
/** Every name in the table (main thread, after a run). */
export declare function readLabels(m: Int32Array, L: Layout, into?: Map<number, string>): Map<number, string>;
/** A per-worker cache of label hashes, registering each name once. */
export declare class Labels {
    private readonly m;
    private readonly L;
    private readonly ids;
    constructor(m: Int32Array, L: Layout);
    id(label: string): number;
}
