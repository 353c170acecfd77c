/**
 * The invariants the checker knows: the built-in ones (online checks in the
 * device loop, and the audit's after the run), then those a design declares
 * (a driver's, a race's). Codes are indices into one list, the same in every
 * worker: the list is made from the design, which every worker loads alike.
 */
import type { InvariantDecl, OutcomeKind } from '../api/types.js';
export interface Invariant {
    readonly code: number;
    readonly name: string;
    readonly meaning: string;
    /** The outcome a violation puts a race run in. */
    readonly outcome: OutcomeKind;
    /** What `expected` and `found` hold in a sample, for printing. */
    readonly values: 'frame' | 'pte' | 'count' | 'table' | 'pages' | 'none';
}
export declare const BUILTIN_INVARIANTS: readonly Invariant[];
/** Codes of the built-ins, for the engine's own checks. */
export declare const V: {
    readonly DMA_FAULT: 0;
    readonly DMA_WRONG_FRAME: 1;
    readonly DMA_AFTER_UNMAP: 2;
    readonly MAP_OVER_LIVE: 3;
    readonly UNMAP_MISSING: 4;
    readonly UNMAP_WRONG: 5;
    readonly TABLE_CORRUPT: 6;
    readonly IOVA_DOUBLE_FREE: 7;
    readonly IOVA_EXHAUSTED: 8;
    readonly POOL_EXHAUSTED: 9;
    readonly FRAME_TAG: 10;
    readonly AUDIT_LOST: 11;
    readonly AUDIT_STRAY: 12;
    readonly AUDIT_IOVA_LEAK: 13;
    readonly AUDIT_IOVA_LOST: 14;
    readonly AUDIT_TABLE_LEAK: 15;
    readonly AUDIT_TABLE_SHARED: 16;
    readonly AUDIT_TABLE_COUNT: 17;
    readonly AUDIT_TABLE_META: 18;
};
/** The built-ins, then each declared invariant once (the first declaration wins; a built-in's name cannot be redeclared). */
export declare function invariantsOf(declared: readonly (Readonly<Record<string, InvariantDecl>> | undefined)[]): Invariant[];
export declare const invariantByName: (list: readonly Invariant[], name: string) => Invariant | undefined;
