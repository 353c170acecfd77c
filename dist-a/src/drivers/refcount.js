/**
 * refcount: page tables written as exynos-iommu (`lv2entcnt`) and
 * tegra-smmu (`count[]`) write theirs. Each table counts its live entries
 * with a plain load and store; a missing table is installed with a plain
 * store; a table whose count drops to zero is unlinked and freed at once
 * (tegra-smmu's as_put_pte). All of it assumes one lock serialises every
 * writer of the domain: here, the domain's page-table lock.
 *
 * `refcountDriver` writes the same tables under another lock, or none: the
 * s390 per-device `dma_table_lock` (s390.ts), no lock (nolock.ts).
 */
import { defineDriver } from '../api/define.js';
import { ENTRIES, LEAF_LEVEL, LEVEL_NOTE, LEVELS, PROT_RW, PTE_LEAF, PTE_SHIFT, PTE_VALID, auditRadix, levelIndex, mkLeafPte, mkTablePte, walkRadix, } from './radix.js';
/** The table metadata word: its live-entry count. */
const META_COUNT = 0;
/** The domain's driver word: its root table. */
const DOM_ROOT = 0;
export function refcountDriver(o) {
    return defineDriver({
        name: o.name,
        summary: o.summary,
        source: o.source,
        ...(o.broken ? { broken: true } : {}),
        table: { entries: (512 /* ENTRIES */), entryWords: 1, metaWords: 1 },
        domainWords: 1,
        levels: LEVEL_NOTE,
        locks: o.lock ? { [o.lock.name]: { per: o.lock.per, kernelName: o.lock.kernelName, guardsTables: true } } : {},
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
            const lc = o.lock ? ctx.locks[o.lock.name] : null;
            // A device lock is this worker's device's, whatever the domain (s390: zdev->dma_table_lock).
            const devLock = lc !== null && o.lock.per === 'device' ? lc.of(Math.max(0, ctx.device)) : -1;
            /** Table at each level of the last descent, and the entry taken there. */
            const pathTable = new Int32Array((4 /* LEVELS */));
            const pathEntry = new Int32Array((4 /* LEVELS */));
            /** Where the last descent stopped short. */
            let stopLevel = 0;
            const lockOf = (domain) => (lc === null ? -1 : devLock >= 0 ? devLock : lc.of(domain));
            // The root never changes after initDomain: a plain read, not a schedule point.
            const rootOf = (domain) => mem.words[ctx.domainState(domain) + (0 /* DOM_ROOT */)];
            /** count[t] += n with a plain read and a plain write (under the lock). */
            function addCount(t, n) {
                const at = tables.meta(t) + (0 /* META_COUNT */);
                const c = mem.read(at, 'count-read') + n;
                mem.write(at, c, 'count-write');
                return c;
            }
            /** Install a new table for `level` at entry `at` of `parent`: a plain store, as under the lock nobody else is here. 0 if the pool is empty. */
            function install(domain, parent, at, level) {
                const fresh = tables.alloc(level, domain);
                if (fresh === 0)
                    return 0;
                const pte = mkTablePte(fresh);
                mem.store(at, pte, 'pte-install');
                addCount(parent, 1);
                return pte;
            }
            /** The leaf table covering `pfn`, installing missing tables when `build`; 0 (stopLevel set) if it cannot. */
            function descend(domain, pfn, build) {
                let t = rootOf(domain);
                for (let level = 0; level < (3 /* LEAF_LEVEL */); level++) {
                    const at = base + t * tw + levelIndex(pfn, level);
                    pathTable[level] = t;
                    pathEntry[level] = at;
                    // Under the lock a plain read is exact, and much cheaper than Atomics.load on V8.
                    let e = mem.read(at, 'pte-read');
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
            /** The leaf table of the last descent is empty: unlink and free it, and every table above it that empties in turn (never the root). */
            function freeEmpty() {
                for (let level = (3 /* LEAF_LEVEL */); level > 0; level--) {
                    const t = pathTable[level];
                    if (mem.read(tables.meta(t) + (0 /* META_COUNT */), 'count-read') > 0)
                        return;
                    mem.store(pathEntry[level - 1], 0, 'table-free');
                    tables.free(t);
                    if (addCount(pathTable[level - 1], -1) > 0)
                        return;
                }
            }
            function mapLocked(domain, pfn, pages, frame) {
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
                        const old = mem.read(at, 'leaf-read');
                        if ((old & (1 /* PTE_VALID */)) !== 0)
                            ctx.report('map-over-live', domain, p + j, (3 /* LEAF_LEVEL */), 0, old);
                        mem.write(at, mkLeafPte(frame + done + j, (12 /* PROT_RW */)), 'leaf-write');
                    }
                    addCount(t, n);
                    done += n;
                }
                return true;
            }
            function unmapLocked(domain, pfn, pages) {
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
                        const at = base + t * tw + idx + j;
                        const old = mem.read(at, 'leaf-read');
                        mem.write(at, 0, 'leaf-clear');
                        if ((old & (1 /* PTE_VALID */)) === 0) {
                            ctx.cleared(p + j, -1, (3 /* LEAF_LEVEL */));
                        }
                        else {
                            gone++;
                            ctx.cleared(p + j, old >>> (4 /* PTE_SHIFT */), (3 /* LEAF_LEVEL */));
                        }
                    }
                    // Invalidate under the lock, as the driver's iotlb_sync_map/unmap callbacks do.
                    ctx.tlb.invalidate(domain, p, n);
                    cleared += gone;
                    if (addCount(t, -gone) <= 0)
                        freeEmpty();
                    done += n;
                }
                return cleared;
            }
            return {
                map(domain, pfn, pages, frame) {
                    const l = lockOf(domain);
                    if (l >= 0)
                        lc.acquire(l);
                    const ok = mapLocked(domain, pfn, pages, frame);
                    if (l >= 0)
                        lc.release(l);
                    return ok;
                },
                unmap(domain, pfn, pages) {
                    const l = lockOf(domain);
                    if (l >= 0)
                        lc.acquire(l);
                    const n = unmapLocked(domain, pfn, pages);
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
            auditRadix(ctx, domain, m[ctx.domainState(domain) + (0 /* DOM_ROOT */)], (t) => m[ctx.tables.meta(t) + (0 /* META_COUNT */)]);
        },
    });
}
export const refcount = refcountDriver({
    name: 'refcount',
    summary: 'exynos/tegra style: per-table live-entry counts under the domain lock, plain-store installs, empty tables freed at once',
    source: 'drivers/iommu/exynos-iommu.c (lv2entcnt), drivers/iommu/tegra-smmu.c (count[], as_put_pte)',
    lock: { name: 'pgtable', per: 'domain', kernelName: '&domain->pgtable_lock' },
});
//# sourceMappingURL=refcount.js.map