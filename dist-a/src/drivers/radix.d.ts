/**
 * The table format the built-in drivers share: a 4-level radix table like
 * x86-64 and Arm LPAE with a 4 KiB granule, 512 entries a level, 48-bit IOVA.
 * Constants and one-line accessors first, then the hardware walk and the
 * audit's walk, which every built-in driver uses as is.
 *
 *   IOVA bit  47      39 38      30 29      21 20      12 11        0
 *             | level 0 | level 1  | level 2  | level 3  |  offset   |
 *
 * IOVAs are handled as page frame numbers (pfn = iova >> 12, 36 bits), which
 * fit a double exactly; only level 0 needs a division, the others a shift.
 *
 * An entry is one Int32:
 *
 *   bit  31 ............ 4   3   2    1     0
 *        | target index  | W | R | LEAF | VALID |
 *
 *   0                     empty
 *   VALID                 next-level table; target = table number in the pool
 *   VALID|LEAF|R|W        leaf (level 3 only); target = physical frame
 */
import type { AuditContext, Mem, TablePool } from '../api/types.js';
export declare const LEVELS = 4;
export declare const LEAF_LEVEL: number;
export declare const LEVEL_BITS = 9;
export declare const ENTRIES: number;
export declare const LEVEL_NOTE = "level 0 is the root (x86 PML4, Arm LPAE level 0); level 3 holds the 4 KiB leaves";
export declare const PTE_VALID = 1;
export declare const PTE_LEAF = 2;
export declare const PTE_READ = 4;
export declare const PTE_WRITE = 8;
export declare const PTE_SHIFT = 4;
export declare const PROT_RW: number;
/** Pages one entry at `level` spans: 2^27, 2^18, 2^9, 1. */
export declare const levelSpan: (level: number) => number;
/** Index of `pfn` in a table at `level` (0 = root). */
export declare function levelIndex(pfn: number, level: number): number;
export declare const isValid: (e: number) => boolean;
export declare const isLeaf: (e: number) => boolean;
export declare const pteTarget: (e: number) => number;
export declare const mkTablePte: (table: number) => number;
export declare const mkLeafPte: (frame: number, prot: number) => number;
/** Walk results that are not a frame: no entry at a level, or an impossible entry. */
export declare const WALK_FAULT_BASE = -1;
export declare const WALK_CORRUPT = -16;
/**
 * Translate `pfn` as the IOMMU does: no lock, from the root; each entry read
 * is a schedule point ('walk'). Returns the frame, WALK_FAULT_BASE - level
 * where an entry was empty, or WALK_CORRUPT.
 */
export declare function walkRadix(mem: Mem, tables: TablePool, root: number, pfn: number): number;
/**
 * The audit's walk of one domain's radix table: every reachable table
 * (`ctx.table`), every leaf (`ctx.mapping`), impossible entries
 * (`table-corrupt`), and, when `count` is given, each table's live-entry
 * count against its valid entries (`audit-table-count`).
 */
export declare function auditRadix(ctx: AuditContext, domain: number, root: number, count: ((t: number) => number) | null): void;
