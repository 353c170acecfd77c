/**
 * The final audit, on the main thread after every agent stopped: the page
 * tables must hold exactly what the devices believe they mapped (their live
 * shadows, a race's own expectations, the pre-mapped bounce pool), the
 * allocators exactly the IOVA ranges in use, cached or waiting for a flush,
 * the table pool exactly the reachable tables plus the free ones, and each
 * frame exactly the DMAs its owner made.
 *
 * The design's pieces say what they hold (the driver walks its tables, the
 * allocator names its allocated and cached ranges, the flush policy its
 * pending ones); the audit compares. Domains that share another's table (the
 * live switch's shared-table target) or IOVA space are audited once,
 * through their owner.
 */
import type { Mem } from '../api/types.js';
import { type Layout } from '../memory/layout.js';
import type { Design } from '../engine/design.js';
import { type Invariant } from './invariants.js';
import type { AuditSummary, ViolationSample } from '../results/result.js';
export declare const formatIova: (pfn: number) => string;
/** Violations found on the main thread (setup, a race's check, the audit): counted by code, the first few of each kept whole. */
export declare class Findings {
    private readonly invariants;
    readonly counts: number[];
    readonly samples: ViolationSample[];
    constructor(invariants: readonly Invariant[]);
    add(code: number, device: number, domain: number, pfn: number, level: number, expected: number, found: number): void;
    report(name: string, domain: number, pfn?: number, level?: number, expected?: number, found?: number): void;
}
/** Mappings a race expects beside the devices' own (ctx.expect / ctx.unexpect in its setup and check). */
export type Expectations = Map<number, Map<number, number>>;
export declare function audit(m: Int32Array, f: Float64Array, L: Layout, mem: Mem, d: Design, out: Findings, expectations: Expectations, agentDevices: readonly number[]): AuditSummary;
