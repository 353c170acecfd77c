/**
 * The implementations of the accessors (api/types.ts `Mem`).
 *
 * A worker gets one of them for its whole life. Free running: `WasmMem`
 * over a run's WebAssembly.Memory (its atomics are WebAssembly's, see
 * shared.ts), or `FreeMem` over a plain SharedArrayBuffer (`Atomics.*`);
 * each accessor is the bare access and inlines to it (the label argument
 * is never read). Under the controlled scheduler, `ControlledMem`, where
 * each accessor first stops at a schedule point named by its label. Every
 * call site in a design's code therefore sees one class, and a free-running
 * run pays nothing for the points: no build step takes them out, there is
 * nothing to take out.
 */
import type { Mem } from '../api/types.js';
import type { Scheduler } from '../sched/scheduler.js';
import type { Layout } from './layout.js';
import { type WordAtomics } from './shared.js';
export declare class FreeMem implements Mem {
    readonly words: Int32Array;
    readonly controlled = false;
    constructor(words: Int32Array);
    load(addr: number, _label?: string): number;
    store(addr: number, value: number, _label?: string): void;
    read(addr: number, _label?: string): number;
    write(addr: number, value: number, _label?: string): void;
    cas(addr: number, expected: number, value: number, _label?: string): number;
    exchange(addr: number, value: number, _label?: string): number;
    add(addr: number, delta: number, _label?: string): number;
    wait(addr: number, expected: number, _label?: string): void;
    notify(addr: number, count: number, _label?: string): number;
    spin(_addr: number, _label?: string): void;
    point(_label: string, _arg?: number): void;
}
/**
 * The free-running accessors over a WebAssembly.Memory (shared.ts): the
 * atomic ones call the memory's WebAssembly atomics, a few dozen
 * instructions where `Atomics.*` takes about 130; the rest are FreeMem's.
 * A worker holds one class for its life, so each call site still sees one.
 */
export declare class WasmMem extends FreeMem {
    private readonly a;
    constructor(words: Int32Array, a: WordAtomics);
    load(addr: number, _label?: string): number;
    store(addr: number, value: number, _label?: string): void;
    cas(addr: number, expected: number, value: number, _label?: string): number;
    exchange(addr: number, value: number, _label?: string): number;
    add(addr: number, delta: number, _label?: string): number;
}
/** The free-running accessors for `words`: WebAssembly's atomics when its buffer is a WebAssembly.Memory's, else Atomics.*. */
export declare function freeMem(words: Int32Array): Mem;
/** The accessors under the controlled scheduler: a named point, then the access. */
export declare class ControlledMem implements Mem {
    readonly words: Int32Array;
    private readonly s;
    readonly controlled = true;
    private readonly labels;
    constructor(words: Int32Array, L: Layout, s: Scheduler);
    load(addr: number, label?: string): number;
    store(addr: number, value: number, label?: string): void;
    read(addr: number, label?: string): number;
    write(addr: number, value: number, label?: string): void;
    cas(addr: number, expected: number, value: number, label?: string): number;
    exchange(addr: number, value: number, label?: string): number;
    add(addr: number, delta: number, label?: string): number;
    wait(addr: number, expected: number, label?: string): void;
    notify(addr: number, count: number, label?: string): number;
    spin(addr: number, label?: string): void;
    point(label: string, arg?: number): void;
    /** The id a label is recorded under (for the engine's own points). */
    id(label: string): number;
}
