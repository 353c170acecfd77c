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

export const LEVELS = 4;
export const LEAF_LEVEL = LEVELS - 1;
export const LEVEL_BITS = 9;
export const ENTRIES = 1 << LEVEL_BITS;
export const LEVEL_NOTE = 'level 0 is the root (x86 PML4, Arm LPAE level 0); level 3 holds the 4 KiB leaves';

export const PTE_VALID = 1;
export const PTE_LEAF = 2;
export const PTE_READ = 4;
export const PTE_WRITE = 8;
export const PTE_SHIFT = 4;
export const PROT_RW = PTE_READ | PTE_WRITE;

/** Pages one entry at `level` spans: 2^27, 2^18, 2^9, 1. */
export const levelSpan = (level: number): number => 2 ** (LEVEL_BITS * (LEAF_LEVEL - level));
/** Index of `pfn` in a table at `level` (0 = root). */
export function levelIndex(pfn: number, level: number): number {
  // Both arms int32 (a quotient's `& 511` truncates it): no float round trip in the walk.
  return level === 0 ? (pfn / 134217728) & (ENTRIES - 1) : (pfn >>> (LEVEL_BITS * (LEAF_LEVEL - level))) & (ENTRIES - 1);
}

export const isValid = (e: number): boolean => (e & PTE_VALID) !== 0;
export const isLeaf = (e: number): boolean => (e & PTE_LEAF) !== 0;
export const pteTarget = (e: number): number => e >>> PTE_SHIFT;
export const mkTablePte = (table: number): number => (table << PTE_SHIFT) | PTE_VALID;
export const mkLeafPte = (frame: number, prot: number): number => (frame << PTE_SHIFT) | PTE_VALID | PTE_LEAF | prot;

/** Walk results that are not a frame: no entry at a level, or an impossible entry. */
export const WALK_FAULT_BASE = -1; // -1 - level
export const WALK_CORRUPT = -16; // a leaf above the last level, or a table number out of range

/**
 * Translate `pfn` as the IOMMU does: no lock, from the root; each entry read
 * is a schedule point ('walk'). Returns the frame, WALK_FAULT_BASE - level
 * where an entry was empty, or WALK_CORRUPT.
 */
export function walkRadix(mem: Mem, tables: TablePool, root: number, pfn: number): number {
  // Written out level by level, as the hardware walks: one-word entries, so
  // entry i of table t is base + t * tableWords + i.
  const base = tables.base;
  const tw = tables.tableWords;
  const count = tables.count;
  let e = mem.read(base + root * tw + ((pfn / 134217728) & (ENTRIES - 1)), 'walk');
  if ((e & PTE_VALID) === 0) return WALK_FAULT_BASE;
  let t = e >>> PTE_SHIFT;
  if ((e & PTE_LEAF) !== 0 || t === 0 || t >= count) return WALK_CORRUPT;
  e = mem.read(base + t * tw + ((pfn >>> 18) & (ENTRIES - 1)), 'walk');
  if ((e & PTE_VALID) === 0) return WALK_FAULT_BASE - 1;
  t = e >>> PTE_SHIFT;
  if ((e & PTE_LEAF) !== 0 || t === 0 || t >= count) return WALK_CORRUPT;
  e = mem.read(base + t * tw + ((pfn >>> 9) & (ENTRIES - 1)), 'walk');
  if ((e & PTE_VALID) === 0) return WALK_FAULT_BASE - 2;
  t = e >>> PTE_SHIFT;
  if ((e & PTE_LEAF) !== 0 || t === 0 || t >= count) return WALK_CORRUPT;
  e = mem.read(base + t * tw + (pfn & (ENTRIES - 1)), 'walk');
  if ((e & PTE_VALID) === 0) return WALK_FAULT_BASE - LEAF_LEVEL;
  if ((e & PTE_LEAF) === 0) return WALK_CORRUPT;
  return e >>> PTE_SHIFT;
}

/**
 * The audit's walk of one domain's radix table: every reachable table
 * (`ctx.table`), every leaf (`ctx.mapping`), impossible entries
 * (`table-corrupt`), and, when `count` is given, each table's live-entry
 * count against its valid entries (`audit-table-count`).
 */
export function auditRadix(ctx: AuditContext, domain: number, root: number, count: ((t: number) => number) | null): void {
  const m = ctx.mem.words;
  const tables = ctx.tables;
  if (root === 0) return;
  if (!ctx.table(root, 0)) return;
  const visit = (t: number, level: number, pfnBase: number): void => {
    let valid = 0;
    for (let i = 0; i < ENTRIES; i++) {
      const e = m[tables.entry(t, i)]!;
      if ((e & PTE_VALID) === 0) continue;
      valid++;
      const pfn = pfnBase + i * levelSpan(level);
      if (level === LEAF_LEVEL) {
        if ((e & PTE_LEAF) === 0) ctx.report('table-corrupt', domain, pfn, level, 0, e);
        else ctx.mapping(pfn, pteTarget(e));
        continue;
      }
      const next = pteTarget(e);
      if ((e & PTE_LEAF) !== 0 || next === 0 || next >= tables.count) {
        ctx.report('table-corrupt', domain, pfn, level, 0, e);
        continue;
      }
      if (ctx.table(next, level + 1)) visit(next, level + 1, pfn);
    }
    if (count && t !== root && count(t) !== valid) ctx.report('audit-table-count', domain, pfnBase, level, valid, count(t));
  };
  visit(root, 0, 0);
}
