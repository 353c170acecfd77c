/**
 * rcache: the bitmap allocator (bitmap.ts) with Linux lib/iova.c's range
 * caches in front: per worker (CPU) and domain, a loaded and a previous
 * magazine of 127 ranges for each size of 1 to 32 pages (128 KiB), and per
 * domain a depot of 32 full magazines behind its own lock. Allocation tries
 * the loaded magazine, then the previous one, then the depot, then the
 * bitmap; a free goes the same way back, and to the bitmap when the depot is
 * full. A magazine is a count, then up to MAG_SIZE window offsets.
 */
import { defineAllocator } from '../api/define.js';
import { LINE_WORDS } from '../memory/layout.js';
import { bitmap, bitmapIsAllocated, bitmapWords } from './bitmap.js';
/** Range sizes cached: 1, 2, 4 ... 32 pages (128 KiB), as IOVA_RANGE_CACHE_MAX_SIZE. */
export const MAG_ORDERS = 6;
/** Ranges a magazine holds (IOVA_MAG_SIZE). */
export const MAG_SIZE = 127;
/** A magazine: its count, then MAG_SIZE window offsets. */
export const MAG_WORDS = 128;
/** Full magazines a depot holds (MAX_GLOBAL_MAGS). */
export const DEPOT_MAGS = 32;
/** A depot: a line whose word 0 counts the full magazines, then the magazines. */
const DEPOT_WORDS = (16 /* LINE_WORDS */) + (32 /* DEPOT_MAGS */) * (128 /* MAG_WORDS */);
/** Order of a range of `pages` pages, or -1 if too large to cache (> 128 KiB). */
export function orderOf(pages) {
    let order = 0;
    while (1 << order < pages)
        order++;
    return order < (6 /* MAG_ORDERS */) ? order : -1;
}
const roundPages = (pages) => (orderOf(pages) >= 0 ? 1 << orderOf(pages) : pages);
/* ---- magazines: one-liners -------------------------------------------- */
const magFull = (m, mag) => m[mag] === (127 /* MAG_SIZE */);
const magEmpty = (m, mag) => m[mag] === 0;
function magPop(m, mag) {
    const n = m[mag] - 1;
    m[mag] = n;
    return m[mag + 1 + n];
}
function magPush(m, mag, off) {
    m[mag + 1 + m[mag]] = off;
    m[mag] = m[mag] + 1;
}
/** Exchange two magazines' contents (the loaded and the previous; there are no pointers to swap here). */
function magSwap(m, a, b, scratch) {
    for (let i = 0; i < (128 /* MAG_WORDS */); i++)
        scratch[i] = m[a + i];
    m.copyWithin(a, b, b + (128 /* MAG_WORDS */));
    for (let i = 0; i < (128 /* MAG_WORDS */); i++)
        m[b + i] = scratch[i];
}
const depotSlot = (depot, i) => depot + (16 /* LINE_WORDS */) + i * (128 /* MAG_WORDS */);
/** Move a full magazine into the depot (caller holds the depot lock). */
function depotPush(m, depot, mag) {
    m.copyWithin(depotSlot(depot, m[depot]), mag, mag + (128 /* MAG_WORDS */));
    m[depot] = m[depot] + 1;
    m[mag] = 0;
}
/** Take a full magazine from the depot into `mag` (caller holds the depot lock). */
function depotPop(m, depot, mag) {
    m[depot] = m[depot] - 1;
    const slot = depotSlot(depot, m[depot]);
    m.copyWithin(mag, slot, slot + (128 /* MAG_WORDS */));
}
/** Where things are in a domain's state: the bitmap, then the depots (one per order). */
const depotAt = (st, window, order) => st + bitmapWords(window) + order * (4112 /* DEPOT_WORDS */);
/** A worker's magazine (0: loaded, 1: previous) for one order, within its per-domain words. */
const magAt = (ws, order, which) => ws + (order * 2 + which) * (128 /* MAG_WORDS */);
export const rcache = defineAllocator({
    name: 'rcache',
    summary: 'the bitmap plus per-worker magazines of 127 ranges (a loaded and a previous per size up to 128 KiB) and a depot of 32 magazines behind its own lock (Linux iova.c)',
    source: 'drivers/iommu/iova.c (iova_rcache, iova_magazine, 9257b4a206fc)',
    domainWords: (s) => bitmapWords(s.windowPages) + (6 /* MAG_ORDERS */) * (4112 /* DEPOT_WORDS */),
    workerWords: (6 /* MAG_ORDERS */) * 2 * (128 /* MAG_WORDS */),
    locks: {
        iova: { per: 'domain', kernelName: '&iovad->iova_rbtree_lock' },
        depot: { per: 'domain', kernelName: '&rcache->lock' },
    },
    round: roundPages,
    cachedPages: (s) => {
        const range = roundPages(s.config.pages);
        return s.workersPerDomain * 2 * (127 /* MAG_SIZE */) * range + (32 /* DEPOT_MAGS */) * (127 /* MAG_SIZE */) * range;
    },
    initDomain(ctx, domain) {
        const st = ctx.domainState(domain);
        ctx.mem.words.fill(0, st, st + bitmapWords(ctx.windowPages) + (6 /* MAG_ORDERS */) * (4112 /* DEPOT_WORDS */));
    },
    create(ctx) {
        const mem = ctx.mem;
        const m = mem.words;
        const depotLock = ctx.locks.depot;
        const window = ctx.windowPages;
        const scratch = new Int32Array((128 /* MAG_WORDS */));
        // The global allocator behind the magazines is the bitmap allocator itself, on the bitmap at the
        // start of this domain's state, under the same `iova` lock class.
        const global = bitmap.create(ctx);
        const globalAlloc = (domain, pages) => global.alloc(domain, pages);
        const globalFree = (domain, off, pages) => global.free(domain, off, pages);
        return {
            alloc(domain, pages) {
                const order = orderOf(pages);
                if (order < 0)
                    return globalAlloc(domain, pages);
                const ws = ctx.workerState(domain);
                const loaded = magAt(ws, order, 0);
                const prev = magAt(ws, order, 1);
                mem.point('magazine', order);
                if (!magEmpty(m, loaded))
                    return magPop(m, loaded);
                if (!magEmpty(m, prev)) {
                    magSwap(m, loaded, prev, scratch);
                    return magPop(m, loaded);
                }
                const dl = depotLock.of(domain);
                depotLock.acquire(dl);
                const depot = depotAt(ctx.domainState(domain), window, order);
                const got = m[depot] > 0;
                if (got)
                    depotPop(m, depot, loaded);
                depotLock.release(dl);
                if (got)
                    return magPop(m, loaded);
                return globalAlloc(domain, 1 << order);
            },
            free(domain, off, pages) {
                const order = orderOf(pages);
                if (order < 0)
                    return globalFree(domain, off, pages);
                const ws = ctx.workerState(domain);
                const loaded = magAt(ws, order, 0);
                const prev = magAt(ws, order, 1);
                mem.point('magazine', -1 - order);
                if (magFull(m, loaded)) {
                    if (!magFull(m, prev)) {
                        magSwap(m, loaded, prev, scratch);
                    }
                    else {
                        // Both full: the loaded one goes to the depot, or back to the bitmap if the depot is full.
                        const dl = depotLock.of(domain);
                        depotLock.acquire(dl);
                        const depot = depotAt(ctx.domainState(domain), window, order);
                        const room = m[depot] < (32 /* DEPOT_MAGS */);
                        if (room)
                            depotPush(m, depot, loaded);
                        depotLock.release(dl);
                        if (!room)
                            while (!magEmpty(m, loaded))
                                globalFree(domain, magPop(m, loaded), 1 << order);
                    }
                }
                magPush(m, loaded, off);
            },
        };
    },
    audit(ctx, domain) {
        const m = ctx.mem.words;
        const st = ctx.domainState(domain);
        for (let off = 0; off < ctx.windowPages; off++)
            if (bitmapIsAllocated(m, st, off))
                ctx.allocated(off, 1);
        for (let order = 0; order < (6 /* MAG_ORDERS */); order++) {
            for (let w = 0; w < ctx.workers; w++) {
                const ws = ctx.workerStateOf(w, domain);
                for (let which = 0; which < 2; which++) {
                    const mag = magAt(ws, order, which);
                    for (let i = 0; i < Math.min(m[mag], (127 /* MAG_SIZE */)); i++)
                        ctx.cached(m[mag + 1 + i], 1 << order);
                }
            }
            const depot = depotAt(st, ctx.windowPages, order);
            for (let k = 0; k < Math.min(m[depot], (32 /* DEPOT_MAGS */)); k++) {
                const mag = depotSlot(depot, k);
                for (let i = 0; i < Math.min(m[mag], (127 /* MAG_SIZE */)); i++)
                    ctx.cached(m[mag + 1 + i], 1 << order);
            }
        }
    },
});
//# sourceMappingURL=rcache.js.map