const BUILTIN = [
    { name: 'dma-fault', meaning: 'a DMA to an IOVA its device had mapped found no translation', outcome: 'lost-mapping', values: 'frame' },
    { name: 'dma-wrong-frame', meaning: 'a DMA translated to a frame other than the one its device mapped', outcome: 'misdirected-dma', values: 'frame' },
    { name: 'dma-after-unmap', meaning: 'a DMA to an IOVA just unmapped still translated', outcome: 'misdirected-dma', values: 'frame' },
    { name: 'map-over-live', meaning: 'map found a live entry where its freshly allocated IOVA should be empty', outcome: 'lost-mapping', values: 'pte' },
    { name: 'unmap-missing', meaning: 'unmap found no entry (or no table) where its device had mapped a page', outcome: 'lost-mapping', values: 'frame' },
    { name: 'unmap-wrong-frame', meaning: 'unmap found another frame where its device had mapped a page', outcome: 'lost-mapping', values: 'frame' },
    { name: 'table-corrupt', meaning: 'a walk met an impossible entry: a leaf above the last level or a table number out of range', outcome: 'lost-mapping', values: 'pte' },
    { name: 'iova-double-free', meaning: 'an IOVA range was freed that the allocator did not have allocated', outcome: 'lost-mapping', values: 'pages' },
    { name: 'iova-exhausted', meaning: 'the IOVA window of a domain had no free range (leaked IOVAs)', outcome: 'corrupt-bookkeeping', values: 'pages' },
    { name: 'pool-exhausted', meaning: 'the page-table pool ran out of tables (leaked tables)', outcome: 'corrupt-bookkeeping', values: 'none' },
    { name: 'frame-tag', meaning: "a frame's DMA count differs from the DMAs its own device made (another device's DMA landed in it)", outcome: 'misdirected-dma', values: 'count' },
    { name: 'audit-lost-mapping', meaning: 'after the run, a page a device still has mapped is missing from its domain table', outcome: 'lost-mapping', values: 'frame' },
    { name: 'audit-stray-mapping', meaning: 'after the run, a domain table maps a page no device believes it mapped', outcome: 'corrupt-bookkeeping', values: 'frame' },
    { name: 'audit-iova-leak', meaning: 'after the run, the allocator holds IOVA pages no live buffer uses', outcome: 'corrupt-bookkeeping', values: 'none' },
    { name: 'audit-iova-lost', meaning: 'after the run, a live buffer uses IOVA pages the allocator counts as free', outcome: 'lost-mapping', values: 'none' },
    { name: 'audit-table-leak', meaning: 'after the run, a table page is neither reachable from a root nor free', outcome: 'corrupt-bookkeeping', values: 'table' },
    { name: 'audit-table-shared', meaning: 'after the run, a table page is reachable twice, or reachable and free', outcome: 'lost-mapping', values: 'table' },
    { name: 'audit-table-count', meaning: "after the run, a table's live-entry count differs from its valid entries", outcome: 'corrupt-bookkeeping', values: 'count' },
    { name: 'audit-table-meta', meaning: 'after the run, a table is reachable at another level or domain than it was allocated for', outcome: 'corrupt-bookkeeping', values: 'table' },
];
export const BUILTIN_INVARIANTS = BUILTIN.map((b, code) => ({ ...b, code }));
/** Codes of the built-ins, for the engine's own checks. */
export const V = {
    DMA_FAULT: 0,
    DMA_WRONG_FRAME: 1,
    DMA_AFTER_UNMAP: 2,
    MAP_OVER_LIVE: 3,
    UNMAP_MISSING: 4,
    UNMAP_WRONG: 5,
    TABLE_CORRUPT: 6,
    IOVA_DOUBLE_FREE: 7,
    IOVA_EXHAUSTED: 8,
    POOL_EXHAUSTED: 9,
    FRAME_TAG: 10,
    AUDIT_LOST: 11,
    AUDIT_STRAY: 12,
    AUDIT_IOVA_LEAK: 13,
    AUDIT_IOVA_LOST: 14,
    AUDIT_TABLE_LEAK: 15,
    AUDIT_TABLE_SHARED: 16,
    AUDIT_TABLE_COUNT: 17,
    AUDIT_TABLE_META: 18,
};
if (BUILTIN_INVARIANTS.some((inv, i) => Object.values(V)[i] !== inv.code))
    throw new Error('invariant codes out of order');
/** The built-ins, then each declared invariant once (the first declaration wins; a built-in's name cannot be redeclared). */
export function invariantsOf(declared) {
    const out = [...BUILTIN_INVARIANTS];
    for (const d of declared) {
        for (const [name, decl] of Object.entries(d ?? {})) {
            if (out.some((x) => x.name === name))
                continue;
            out.push({ code: out.length, name, meaning: decl.meaning, outcome: decl.outcome ?? 'corrupt-bookkeeping', values: 'none' });
        }
    }
    return out;
}
export const invariantByName = (list, name) => list.find((i) => i.name === name);
//# sourceMappingURL=invariants.js.map