export const LEVELS = 4;
export const LEAF_LEVEL = (4 /* LEVELS */) - 1;
export const LEVEL_BITS = 9;
export const ENTRIES = 1 << (9 /* LEVEL_BITS */);
export const LEVEL_NOTE = 'level 0 is the root (x86 PML4, Arm LPAE level 0); level 3 holds the 4 KiB leaves';
export const PTE_VALID = 1;
export const PTE_LEAF = 2;
export const PTE_READ = 4;
export const PTE_WRITE = 8;
export const PTE_SHIFT = 4;
export const PROT_RW = (4 /* PTE_READ */) | (8 /* PTE_WRITE */);
/** Pages one entry at `level` spans: 2^27, 2^18, 2^9, 1. */
export const levelSpan = (level) => 2 ** ((9 /* LEVEL_BITS */) * ((3 /* LEAF_LEVEL */) - level));
/** Index of `pfn` in a table at `level` (0 = root). */
export function levelIndex(pfn, level) {
    // Both arms int32 (a quotient's `& 511` truncates it): no float round trip in the walk.
    return level === 0 ? (pfn / 134217728) & ((512 /* ENTRIES */) - 1) : (pfn >>> ((9 /* LEVEL_BITS */) * ((3 /* LEAF_LEVEL */) - level))) & ((512 /* ENTRIES */) - 1);
}
export const isValid = (e) => (e & (1 /* PTE_VALID */)) !== 0;
export const isLeaf = (e) => (e & (2 /* PTE_LEAF */)) !== 0;
export const pteTarget = (e) => e >>> (4 /* PTE_SHIFT */);
export const mkTablePte = (table) => (table << (4 /* PTE_SHIFT */)) | (1 /* PTE_VALID */);
export const mkLeafPte = (frame, prot) => (frame << (4 /* PTE_SHIFT */)) | (1 /* PTE_VALID */) | (2 /* PTE_LEAF */) | prot;
/** Walk results that are not a frame: no entry at a level, or an impossible entry. */
export const WALK_FAULT_BASE = -1; // -1 - level
export const WALK_CORRUPT = -16; // a leaf above the last level, or a table number out of range
/**
 * Translate `pfn` as the IOMMU does: no lock, from the root; each entry read
 * is a schedule point ('walk'). Returns the frame, WALK_FAULT_BASE - level
 * where an entry was empty, or WALK_CORRUPT.
 */
export function walkRadix(mem, tables, root, pfn) {
    // Written out level by level, as the hardware walks: one-word entries, so
    // entry i of table t is base + t * tableWords + i.
    const base = tables.base;
    const tw = tables.tableWords;
    const count = tables.count;
    let e = mem.read(base + root * tw + ((pfn / 134217728) & ((512 /* ENTRIES */) - 1)), 'walk');
    if ((e & (1 /* PTE_VALID */)) === 0)
        return (-1 /* WALK_FAULT_BASE */);
    let t = e >>> (4 /* PTE_SHIFT */);
    if ((e & (2 /* PTE_LEAF */)) !== 0 || t === 0 || t >= count)
        return (-16 /* WALK_CORRUPT */);
    e = mem.read(base + t * tw + ((pfn >>> 18) & ((512 /* ENTRIES */) - 1)), 'walk');
    if ((e & (1 /* PTE_VALID */)) === 0)
        return (-1 /* WALK_FAULT_BASE */) - 1;
    t = e >>> (4 /* PTE_SHIFT */);
    if ((e & (2 /* PTE_LEAF */)) !== 0 || t === 0 || t >= count)
        return (-16 /* WALK_CORRUPT */);
    e = mem.read(base + t * tw + ((pfn >>> 9) & ((512 /* ENTRIES */) - 1)), 'walk');
    if ((e & (1 /* PTE_VALID */)) === 0)
        return (-1 /* WALK_FAULT_BASE */) - 2;
    t = e >>> (4 /* PTE_SHIFT */);
    if ((e & (2 /* PTE_LEAF */)) !== 0 || t === 0 || t >= count)
        return (-16 /* WALK_CORRUPT */);
    e = mem.read(base + t * tw + (pfn & ((512 /* ENTRIES */) - 1)), 'walk');
    if ((e & (1 /* PTE_VALID */)) === 0)
        return (-1 /* WALK_FAULT_BASE */) - (3 /* LEAF_LEVEL */);
    if ((e & (2 /* PTE_LEAF */)) === 0)
        return (-16 /* WALK_CORRUPT */);
    return e >>> (4 /* PTE_SHIFT */);
}
/**
 * The audit's walk of one domain's radix table: every reachable table
 * (`ctx.table`), every leaf (`ctx.mapping`), impossible entries
 * (`table-corrupt`), and, when `count` is given, each table's live-entry
 * count against its valid entries (`audit-table-count`).
 */
export function auditRadix(ctx, domain, root, count) {
    const m = ctx.mem.words;
    const tables = ctx.tables;
    if (root === 0)
        return;
    if (!ctx.table(root, 0))
        return;
    const visit = (t, level, pfnBase) => {
        let valid = 0;
        for (let i = 0; i < (512 /* ENTRIES */); i++) {
            const e = m[tables.entry(t, i)];
            if ((e & (1 /* PTE_VALID */)) === 0)
                continue;
            valid++;
            const pfn = pfnBase + i * levelSpan(level);
            if (level === (3 /* LEAF_LEVEL */)) {
                if ((e & (2 /* PTE_LEAF */)) === 0)
                    ctx.report('table-corrupt', domain, pfn, level, 0, e);
                else
                    ctx.mapping(pfn, pteTarget(e));
                continue;
            }
            const next = pteTarget(e);
            if ((e & (2 /* PTE_LEAF */)) !== 0 || next === 0 || next >= tables.count) {
                ctx.report('table-corrupt', domain, pfn, level, 0, e);
                continue;
            }
            if (ctx.table(next, level + 1))
                visit(next, level + 1, pfn);
        }
        if (count && t !== root && count(t) !== valid)
            ctx.report('audit-table-count', domain, pfnBase, level, valid, count(t));
    };
    visit(root, 0, 0);
}
//# sourceMappingURL=radix.js.map