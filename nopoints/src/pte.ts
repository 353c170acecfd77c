/**
 * IO page-table geometry and entry encoding: a 4-level radix table like
 * x86-64 and Arm LPAE with a 4 KiB granule, 512 entries a level, 48-bit IOVA.
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
 *   VALID                 next-level table; target = table index in the pool
 *   VALID|LEAF|R|W        leaf (level 3 only); target = physical frame
 */
export const LEVELS = 4;
export const LEAF_LEVEL = LEVELS - 1;
export const LEVEL_BITS = 9;
export const ENTRIES = 1 << LEVEL_BITS;
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const IOVA_BITS = 48;
export const MAX_PFN = 2 ** (IOVA_BITS - PAGE_SHIFT);

export const PTE_VALID = 1;
export const PTE_LEAF = 2;
export const PTE_READ = 4;
export const PTE_WRITE = 8;
export const PTE_SHIFT = 4;
/** Largest frame or table index an entry can hold (kept positive as an Int32). */
export const PTE_MAX_TARGET = (1 << 27) - 1;
export const PROT_RW = PTE_READ | PTE_WRITE;

/** Pages one entry at `level` spans: 2^27, 2^18, 2^9, 1. */
export const levelSpan = (level: number): number => 2 ** (LEVEL_BITS * (LEAF_LEVEL - level));

/** Index of `pfn` in a table at `level` (0 = root). */
export const levelIndex = (pfn: number, level: number): number =>
  (level === 0 ? Math.floor(pfn / 134217728) : pfn >>> (LEVEL_BITS * (LEAF_LEVEL - level))) & (ENTRIES - 1);

export const isValid = (e: number): boolean => (e & PTE_VALID) !== 0;
export const isLeaf = (e: number): boolean => (e & PTE_LEAF) !== 0;
export const pteTarget = (e: number): number => e >>> PTE_SHIFT;
export const mkTablePte = (table: number): number => (table << PTE_SHIFT) | PTE_VALID;
export const mkLeafPte = (frame: number, prot: number): number => (frame << PTE_SHIFT) | PTE_VALID | PTE_LEAF | prot;

/** Walk results that are not a leaf: faults at a level, or an impossible entry. */
export const WALK_FAULT_BASE = -1; // -1 - level: no entry at that level
export const WALK_CORRUPT = -16; // a leaf above level 3, or a table index out of range
export const faultLevel = (r: number): number => (r === WALK_CORRUPT ? -1 : -1 - r);

export function formatIova(pfn: number): string {
  return '0x' + (pfn * PAGE_SIZE).toString(16).padStart(12, '0');
}
