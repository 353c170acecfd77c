/**
 * The agent-side violation log: violations are counted per invariant in the
 * agent's counter block, the first few kept whole. The first violation of a
 * run freezes every trace ring (they keep what led to it) and, under the
 * controlled scheduler, marks the step so the run ends there.
 */
import { type Layout } from '../memory/layout.js';
import type { Scheduler } from '../sched/scheduler.js';
import type { Invariant } from './invariants.js';
export declare class ViolationLog {
    private readonly m;
    private readonly f;
    private readonly base;
    private readonly device;
    private readonly sched;
    /** The agent's current operation number, set by the device loop. */
    op: number;
    private readonly byName;
    private readonly samples;
    private readonly codes;
    constructor(m: Int32Array, f: Float64Array, L: Layout, base: number, device: number, sched: Scheduler | null, invariants: readonly Invariant[]);
    record(code: number, domain: number, pfn: number, level: number, expected: number, found: number): void;
    /** By name, as a design reports one: a name the design did not declare is a bug in the design. */
    report(name: string, domain: number, pfn?: number, level?: number, expected?: number, found?: number): void;
    count(): number;
}
