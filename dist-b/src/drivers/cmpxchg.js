/**
 * cmpxchg: page tables written as io-pgtable-arm writes them since it went
 * lockless (2c3d273eabe8, "iommu/io-pgtable-arm: Support lockless
 * operation", 2017). A missing table is installed by compare-and-swap and
 * the loser frees its copy; tables live until the domain dies; leaves are
 * written and cleared with atomics. Writers of disjoint IOVAs need no lock.
 *
 * `cmpxchgDriver` also writes the same tables under a domain lock
 * (cmpxchg-locked.ts), and two ways wrong (broken/): installs with a plain
 * store, and tables freed under a walker.
 */
import { defineDriver } from '../api/define.js';
import { ENTRIES, LEAF_LEVEL, LEVEL_NOTE, LEVELS, PROT_RW, PTE_LEAF, PTE_SHIFT, PTE_VALID, auditRadix, levelIndex, mkLeafPte, mkTablePte, walkRadix, } from './radix.js';
const META_COUNT = 0;
const DOM_ROOT = 0;
export function cmpxchgDriver(o) {
    const counts = o.freeEmpty;
    return defineDriver({
        name: o.name,
        summary: o.summary,
        source: o.source,
        ...(o.broken ? { broken: true } : {}),
        table: { entries: (512 /* ENTRIES */), entryWords: 1, metaWords: counts ? 1 : 0 },
        domainWords: 1,
        levels: LEVEL_NOTE,
        locks: o.domainLock ? { pgtable: { per: 'domain', kernelName: '&smmu_domain->pgtbl_lock', guardsTables: true } } : {},
        initDomain(ctx, domain) {
            const root = ctx.tables.alloc(0, domain);
            if (root === 0)
                throw new Error('the table pool has no room for the domain roots');
            ctx.mem.store(ctx.domainState(domain), root);
        },
        create(ctx) {
            const mem = ctx.mem;
            const tables = ctx.tables;
            // One-word entries: the address of entry i of table t, inline (TablePool.entry's arithmetic).
            const base = tables.base;
            const tw = tables.tableWords;
            const count = tables.count;
            const lc = o.domainLock ? ctx.locks.pgtable : null;
            const cas = o.install === 'cas';
            const pathTable = new Int32Array((4 /* LEVELS */));
            const pathEntry = new Int32Array((4 /* LEVELS */));
            let stopLevel = 0;
            // The root never changes after initDomain: a plain read, not a schedule point.
            const rootOf = (domain) => mem.words[ctx.domainState(domain) + (0 /* DOM_ROOT */)];
            /** Install a table at `at`: returns the entry now there (ours, or the winner's), 0 if the pool is empty. */
            function install(domain, parent, at, level) {
                const fresh = tables.alloc(level, domain);
                if (fresh === 0)
                    return 0;
                const pte = mkTablePte(fresh);
                if (!cas) {
                    // BROKEN: two mappers that both found the entry empty both store; the second wins, the first mapper's leaves go into a table nobody reaches.
                    mem.store(at, pte, 'pte-install');
                    return pte;
                }
                const old = mem.cas(at, 0, pte, 'pte-install');
                if (old !== 0) {
                    tables.free(fresh);
                    return old;
                }
                if (counts)
                    mem.add(tables.meta(parent) + (0 /* META_COUNT */), 1, 'count-add');
                return pte;
            }
            function descend(domain, pfn, build) {
                let t = rootOf(domain);
                for (let level = 0; level < (3 /* LEAF_LEVEL */); level++) {
                    const at = base + t * tw + levelIndex(pfn, level);
                    pathTable[level] = t;
                    pathEntry[level] = at;
                    let e = mem.load(at, 'pte-read');
                    if ((e & (1 /* PTE_VALID */)) === 0) {
                        if (!build || (e = install(domain, t, at, level + 1)) === 0) {
                            stopLevel = level;
                            return 0;
                        }
                    }
                    const next = e >>> (4 /* PTE_SHIFT */);
                    if ((e & (2 /* PTE_LEAF */)) !== 0 || next >= count || next === 0) {
                        ctx.report('table-corrupt', domain, pfn, level, 0, e);
                        stopLevel = level;
                        return 0;
                    }
                    t = next;
                }
                pathTable[(3 /* LEAF_LEVEL */)] = t;
                return t;
            }
            /** BROKEN (freeEmpty): unlink an empty table if its parent still points at it, and free it at once: a walker or mapper still inside reads or writes a freed, perhaps reused, table. */
            function freeEmpty() {
                for (let level = (3 /* LEAF_LEVEL */); level > 0; level--) {
                    const t = pathTable[level];
                    if (mem.load(tables.meta(t) + (0 /* META_COUNT */), 'count-read') > 0)
                        return;
                    if (mem.cas(pathEntry[level - 1], mkTablePte(t), 0, 'table-free') !== mkTablePte(t))
                        return;
                    tables.free(t);
                    if (mem.add(tables.meta(pathTable[level - 1]) + (0 /* META_COUNT */), -1, 'count-add') - 1 > 0)
                        return;
                }
            }
            function mapAll(domain, pfn, pages, frame) {
                let done = 0;
                while (done < pages) {
                    const p = pfn + done;
                    const t = descend(domain, p, true);
                    if (t === 0)
                        return false;
                    const idx = p & ((512 /* ENTRIES */) - 1);
                    const n = Math.min(pages - done, (512 /* ENTRIES */) - idx);
                    for (let j = 0; j < n; j++) {
                        const at = base + t * tw + idx + j;
                        const old = mem.load(at, 'leaf-read');
                        if ((old & (1 /* PTE_VALID */)) !== 0)
                            ctx.report('map-over-live', domain, p + j, (3 /* LEAF_LEVEL */), 0, old);
                        mem.store(at, mkLeafPte(frame + done + j, (12 /* PROT_RW */)), 'leaf-write');
                    }
                    if (counts)
                        mem.add(tables.meta(t) + (0 /* META_COUNT */), n, 'count-add');
                    done += n;
                }
                return true;
            }
            function unmapAll(domain, pfn, pages) {
                let done = 0;
                let cleared = 0;
                while (done < pages) {
                    const p = pfn + done;
                    const idx = p & ((512 /* ENTRIES */) - 1);
                    const n = Math.min(pages - done, (512 /* ENTRIES */) - idx);
                    const t = descend(domain, p, false);
                    if (t === 0) {
                        for (let j = 0; j < n; j++)
                            ctx.cleared(p + j, -1, stopLevel);
                        done += n;
                        continue;
                    }
                    let gone = 0;
                    for (let j = 0; j < n; j++) {
                        const old = mem.exchange(base + t * tw + idx + j, 0, 'leaf-clear');
                        if ((old & (1 /* PTE_VALID */)) === 0) {
                            ctx.cleared(p + j, -1, (3 /* LEAF_LEVEL */));
                        }
                        else {
                            gone++;
                            ctx.cleared(p + j, old >>> (4 /* PTE_SHIFT */), (3 /* LEAF_LEVEL */));
                        }
                    }
                    ctx.tlb.invalidate(domain, p, n);
                    cleared += gone;
                    if (counts && mem.add(tables.meta(t) + (0 /* META_COUNT */), -gone, 'count-add') - gone <= 0)
                        freeEmpty();
                    done += n;
                }
                return cleared;
            }
            return {
                map(domain, pfn, pages, frame) {
                    const l = lc === null ? -1 : lc.of(domain);
                    if (l >= 0)
                        lc.acquire(l);
                    const ok = mapAll(domain, pfn, pages, frame);
                    if (l >= 0)
                        lc.release(l);
                    return ok;
                },
                unmap(domain, pfn, pages) {
                    const l = lc === null ? -1 : lc.of(domain);
                    if (l >= 0)
                        lc.acquire(l);
                    const n = unmapAll(domain, pfn, pages);
                    if (l >= 0)
                        lc.release(l);
                    return n;
                },
                walk(domain, pfn) {
                    return walkRadix(mem, tables, rootOf(domain), pfn);
                },
            };
        },
        audit(ctx, domain) {
            const m = ctx.mem.words;
            auditRadix(ctx, domain, m[ctx.domainState(domain) + (0 /* DOM_ROOT */)], counts ? (t) => m[ctx.tables.meta(t) + (0 /* META_COUNT */)] : null);
        },
    });
}
export const cmpxchg = cmpxchgDriver({
    name: 'cmpxchg',
    summary: 'io-pgtable-arm, lockless: tables installed by cmpxchg (the loser frees its copy) and kept until the domain dies; no lock',
    source: 'drivers/iommu/io-pgtable-arm.c (2c3d273eabe8, lockless operation, 2017)',
    install: 'cas',
    freeEmpty: false,
    domainLock: false,
});
//# sourceMappingURL=cmpxchg.js.map