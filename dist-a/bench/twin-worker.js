/**
 * The bare twin of one harness operation, and its worker-thread entry.
 *
 * The harness's default design, algorithm for algorithm, written plainly
 * and with no bookkeeping at all: no counters but the loop's operation
 * count, no shadows, traces, phases, schedule points, lock_stat, latency
 * samples, probes or audit. What is left is what a driver and an IOMMU do:
 *
 *   - a domain: an IOVA allocator (a bitmap over the window searched
 *     next-fit from a cursor, as src/iova.ts) behind its own ttas lock, and a
 *     4-level radix page table (512 Int32 entries a level, src/pte.ts's
 *     encoding), refcount style (src/pgtable.ts 'refcount': a live-entry count
 *     per table, plain loads and stores under the page-table lock, a table
 *     freed as soon as its count reaches zero, never the root) behind the
 *     domain's page-table ttas lock;
 *   - one pool of table pages for every domain: a tagged Treiber stack
 *     (src/table-pool.ts);
 *   - the locks: test-and-test-and-set with exponential backoff (src/locks/ttas.ts);
 *   - the IOVA window centred on 2^39 (pfn 2^27), sized as src/layout.ts sizes it;
 *   - one operation, as DeviceLoop.step() with --completion random, 1 page a
 *     buffer: when the ring of `inflight` buffers is full, complete a random
 *     one (unmap under the page-table lock, free the IOVA under the allocator
 *     lock), then issue one (allocate an IOVA, map it under the page-table
 *     lock, DMA it: the lock-free walk, compared with the frame mapped, and
 *     the frame's tag bumped, the DMA's write). A walk that does not land on
 *     the frame mapped throws: with correct locking it never happens.
 *
 * Left out on purpose, because they are the harness's checking and not the
 * operation: the probe walk after unmap (strict mode's "no longer
 * translates" check), the map-over-live and unmap-wrong-frame checks, the
 * double-free count, the table metadata and free counters, the rotating
 * buffer FIFO (the twin DMAs slot `s` into frame `s`), and the per-operation
 * Atomics.load of the attached domain (the twin's domain never switches).
 *
 * Nothing here imports src/: the twin must stay what it is while the engine
 * is rewritten. The main thread lays out and initialises the memory
 * (twinLayout, initTwin); each worker runs one TwinDevice over it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
/* ---- geometry and entry encoding (the same as src/pte.ts) --------------- */
export const ENTRIES = 512;
const PTE_VALID = 1;
const PTE_LEAF = 2;
const PROT_RW = 4 | 8;
const PTE_SHIFT = 4;
const mkTablePte = (t) => (t << (4 /* PTE_SHIFT */)) | (1 /* PTE_VALID */);
const mkLeafPte = (frame) => (frame << (4 /* PTE_SHIFT */)) | (1 /* PTE_VALID */) | (2 /* PTE_LEAF */) | (12 /* PROT_RW */);
/** Words in a cache line: every lock, and each domain's hot words, get lines of their own. */
const LINE = 16;
const lineUp = (w) => Math.ceil(w / (16 /* LINE */)) * (16 /* LINE */);
/** Words between two tables' live counts: a line, as the harness (no false sharing between tables). */
const COUNT_STRIDE = (16 /* LINE */);
/* ---- the table pool's head word (as src/table-pool.ts) ------------------ */
const INDEX_BITS = 20;
const INDEX_MASK = (1 << (20 /* INDEX_BITS */)) - 1;
const TAG_MASK = (1 << (31 - (20 /* INDEX_BITS */))) - 1;
/* ---- ttas backoff bounds, spin-loop iterations (as src/locks/ttas.ts) --- */
const BACKOFF_MIN = 4;
const BACKOFF_MAX = 1024;
/* ---- the window (as src/layout.ts) -------------------------------------- */
const IOVA_CENTRE_PFN = 2 ** 27;
const NO_IOVA = -1;
/* ---- words of the memory ------------------------------------------------- */
/** Control line: workers at the start barrier, and the go flag. */
export const CTL_READY = 0;
export const CTL_GO = 1;
/** A domain: three lines, its page-table lock, its allocator lock, then its root and cursor. */
const D_PT_LOCK = 0;
const D_ALLOC_LOCK = (16 /* LINE */);
const D_ROOT = 2 * (16 /* LINE */);
const D_CURSOR = 2 * (16 /* LINE */) + 1;
const DOM_WORDS = 3 * (16 /* LINE */);
const nextPow2 = (n) => {
    let p = 1;
    while (p < n)
        p *= 2;
    return p;
};
/** As src/memory/layout.ts radixTablesFor: the tables a window of `w` pages spans at each of the 4 levels, at most. */
const tablesForWindow = (w) => {
    let n = 0;
    for (let k = 1; k <= 4; k++)
        n += Math.ceil(w / (512 /* ENTRIES */) ** k) + 1;
    return n;
};
/**
 * `workers` devices, all on one domain (`shared`) or a domain each; `inflight`
 * buffers of 1 page each. The window and the pool are sized as the harness
 * sizes them for the same configuration.
 */
export function twinLayout(workers, shared, inflight) {
    const domains = shared ? 1 : workers;
    const perDomain = shared ? workers : 1;
    const windowPages = Math.max(1024, nextPow2(perDomain * inflight * 8));
    const iovaBasePfn = (134217728 /* IOVA_CENTRE_PFN */) - windowPages / 2;
    // The walk takes level indices with 32-bit shifts: exact while every pfn is below 2^31.
    if (iovaBasePfn + windowPages >= 2 ** 31)
        throw new Error('twin: the window must lie below pfn 2^31');
    const nTables = 1 + 2 * domains * tablesForWindow(windowPages) + 4 * workers + 8;
    const framesPerWorker = lineUp(2 * inflight);
    let at = 0;
    const take = (words) => {
        const start = at;
        at += lineUp(words);
        return start;
    };
    take((16 /* LINE */)); // control
    const domainBase = take(domains * (48 /* DOM_WORDS */));
    const bitmapWords = lineUp(windowPages / 32);
    const bitmaps = take(domains * bitmapWords);
    const poolHead = take((16 /* LINE */));
    const poolNext = take(nTables);
    const poolCount = take(nTables * (16 /* COUNT_STRIDE */));
    const tables = take(nTables * (512 /* ENTRIES */));
    const tags = take(workers * framesPerWorker);
    return {
        words: at,
        workers,
        domains,
        inflight,
        windowPages,
        iovaBasePfn,
        domainBase,
        bitmaps,
        bitmapWords,
        poolHead,
        poolNext,
        poolCount,
        tables,
        nTables,
        tags,
        framesPerWorker,
    };
}
const domainAt = (L, d) => L.domainBase + d * (48 /* DOM_WORDS */);
/** The domain worker `w` maps through. */
export const domainOfWorker = (L, w) => (L.domains === 1 ? 0 : w);
/** Main thread, once, on fresh (zeroed) memory: the pool's free list, a root table a domain. */
export function initTwin(sab, L) {
    const m = new Int32Array(sab);
    for (let t = 1; t < L.nTables; t++)
        m[L.poolNext + t] = t + 1 < L.nTables ? t + 1 : 0;
    Atomics.store(m, L.poolHead, L.nTables > 1 ? 1 : 0);
    for (let d = 0; d < L.domains; d++) {
        // Pop the root as a device would (tables 1, 2, ... in domain order).
        const h = m[L.poolHead];
        const t = h & (1048575 /* INDEX_MASK */);
        if (t === 0)
            throw new Error('twin: table pool too small for the roots');
        m[L.poolHead] = (((h >>> (20 /* INDEX_BITS */)) + 1) & (2047 /* TAG_MASK */)) << (20 /* INDEX_BITS */) | m[L.poolNext + t];
        m[domainAt(L, d) + (32 /* D_ROOT */)] = t;
        m[domainAt(L, d) + (33 /* D_CURSOR */)] = 0;
    }
}
/* ---- a device ------------------------------------------------------------- */
/** Keeps the backoff loop's result alive so that the JIT cannot drop it (src/locks/spin.ts). */
let sink = 0;
function spinDelay(n) {
    let s = sink;
    for (let i = 0; i < n; i++)
        s = (s + i) | 0;
    sink = s;
}
/**
 * One device over the twin's memory. A class with readonly fields, as the
 * harness's DeviceLoop: field loads are monomorphic and every method is a
 * single shape at its call sites, so TurboFan inlines the small ones; the
 * comparison measures bookkeeping, not a style of writing JavaScript.
 */
export class TwinDevice {
    m;
    tables;
    poolHead;
    poolNext;
    poolCount;
    ptLock;
    allocLock;
    root;
    cursorAt;
    bitmap;
    window;
    basePfn;
    frameBase;
    tags;
    inflight;
    /** Window offset of the IOVA each ring slot holds: the driver's own handle (its dma_addr_t). */
    slotOff;
    rng;
    constructor(sab, L, worker, seed) {
        const m = new Int32Array(sab);
        const dw = domainAt(L, domainOfWorker(L, worker));
        this.m = m;
        this.tables = L.tables;
        this.poolHead = L.poolHead;
        this.poolNext = L.poolNext;
        this.poolCount = L.poolCount;
        this.ptLock = dw + (0 /* D_PT_LOCK */);
        this.allocLock = dw + (16 /* D_ALLOC_LOCK */);
        this.root = m[dw + (32 /* D_ROOT */)];
        this.cursorAt = dw + (33 /* D_CURSOR */);
        this.bitmap = L.bitmaps + domainOfWorker(L, worker) * L.bitmapWords;
        this.window = L.windowPages;
        this.basePfn = L.iovaBasePfn;
        this.frameBase = worker * L.framesPerWorker;
        this.tags = L.tags;
        this.inflight = L.inflight;
        this.slotOff = new Int32Array(L.inflight);
        this.rng = seedState(seed, worker);
    }
    /** Wait at the start barrier, do `ops` operations; the times (performance.timeOrigin-based ms) around them. */
    run(ops) {
        const m = this.m;
        Atomics.add(m, (0 /* CTL_READY */), 1);
        while (Atomics.load(m, (1 /* CTL_GO */)) === 0)
            Atomics.wait(m, (1 /* CTL_GO */), 0, 100);
        const startMs = performance.timeOrigin + performance.now();
        for (let op = 0; op < ops; op++)
            this.step(op);
        const endMs = performance.timeOrigin + performance.now();
        return { startMs, endMs };
    }
    /** One operation: complete a random buffer once the ring is full, then issue one into its slot. */
    step(op) {
        let slot;
        if (op < this.inflight) {
            slot = op;
        }
        else {
            // xorshift32, inline: the harness's --completion random draws the slot the same way.
            let s = this.rng;
            s ^= s << 13;
            s ^= s >>> 17;
            s ^= s << 5;
            this.rng = s;
            slot = (s >>> 0) % this.inflight;
            this.complete(slot);
        }
        this.issue(slot);
    }
    complete(slot) {
        const off = this.slotOff[slot];
        this.lock(this.ptLock);
        this.unmap(this.basePfn + off);
        this.unlock(this.ptLock);
        this.lock(this.allocLock);
        this.iovaFree(off);
        this.unlock(this.allocLock);
    }
    issue(slot) {
        this.lock(this.allocLock);
        const off = this.iovaAlloc();
        this.unlock(this.allocLock);
        if (off === (-1 /* NO_IOVA */))
            throw new Error('twin: IOVA window exhausted');
        this.slotOff[slot] = off;
        const pfn = this.basePfn + off;
        const frame = this.frameBase + slot;
        this.lock(this.ptLock);
        this.map(pfn, frame);
        this.unlock(this.ptLock);
        this.dma(pfn, frame);
    }
    /** The device writes its page: walk with no lock, check it lands on the frame mapped, bump that frame's tag. */
    dma(pfn, frame) {
        const got = this.walk(pfn);
        if (got !== frame)
            dmaMiss(pfn, frame, got);
        this.m[this.tags + got] = this.m[this.tags + got] + 1;
    }
    /* ---- locks: ttas with exponential backoff ------------------------------ */
    lock(l) {
        // The uncontended path, kept tiny so that it inlines: a read, then the exchange.
        if (Atomics.load(this.m, l) === 0 && Atomics.exchange(this.m, l, 1) === 0)
            return;
        this.lockSlow(l);
    }
    lockSlow(l) {
        const m = this.m;
        let delay = (4 /* BACKOFF_MIN */);
        for (;;) {
            if (Atomics.load(m, l) === 0 && Atomics.exchange(m, l, 1) === 0)
                return;
            spinDelay(delay);
            if (delay < (1024 /* BACKOFF_MAX */))
                delay <<= 1;
        }
    }
    unlock(l) {
        Atomics.store(this.m, l, 0);
    }
    /* ---- IOVA allocator: bitmap, next-fit (under the allocator lock) ------- */
    iovaAlloc() {
        const m = this.m;
        const cursor = m[this.cursorAt];
        let off = this.findRun(cursor, this.window, 1);
        if (off === (-1 /* NO_IOVA */))
            off = this.findRun(0, Math.min(this.window, cursor), 1);
        if (off === (-1 /* NO_IOVA */))
            return (-1 /* NO_IOVA */);
        const w = this.bitmap + (off >>> 5);
        m[w] = m[w] | (1 << (off & 31));
        const next = off + 1;
        m[this.cursorAt] = next >= this.window ? 0 : next;
        return off;
    }
    iovaFree(off) {
        const w = this.bitmap + (off >>> 5);
        this.m[w] = this.m[w] & ~(1 << (off & 31));
    }
    /** First run of `pages` clear bits starting in [from, to) and ending by the window's end (src/iova.ts). */
    findRun(from, to, pages) {
        const m = this.m;
        const bm = this.bitmap;
        const end = this.window;
        let run = 0;
        let p = from;
        while (p < end && (run > 0 || p < to)) {
            if ((p & 31) === 0 && p + 32 <= end) {
                const w = m[bm + (p >>> 5)];
                if (w === 0) {
                    run += 32;
                    p += 32;
                    if (run >= pages)
                        return p - run;
                    continue;
                }
                if (w === -1) {
                    run = 0;
                    p += 32;
                    continue;
                }
            }
            if ((m[bm + (p >>> 5)] & (1 << (p & 31))) !== 0) {
                run = 0;
            }
            else if (++run === pages) {
                return p - pages + 1;
            }
            p++;
        }
        return (-1 /* NO_IOVA */);
    }
    /* ---- the page table, refcount style -------------------------------------- */
    /**
     * The hardware walk: no lock, plain reads, from the root. The frame, or -1
     * where an entry is empty. The four levels are written out: level indices
     * are plain shifts, exact for pfns below 2^31 (twinLayout checks).
     */
    walk(pfn) {
        const m = this.m;
        const tb = this.tables;
        let e = m[tb + this.root * (512 /* ENTRIES */) + ((pfn >>> 27) & 511)];
        if ((e & (1 /* PTE_VALID */)) === 0)
            return -1;
        e = m[tb + (e >>> (4 /* PTE_SHIFT */)) * (512 /* ENTRIES */) + ((pfn >>> 18) & 511)];
        if ((e & (1 /* PTE_VALID */)) === 0)
            return -1;
        e = m[tb + (e >>> (4 /* PTE_SHIFT */)) * (512 /* ENTRIES */) + ((pfn >>> 9) & 511)];
        if ((e & (1 /* PTE_VALID */)) === 0)
            return -1;
        e = m[tb + (e >>> (4 /* PTE_SHIFT */)) * (512 /* ENTRIES */) + (pfn & 511)];
        if ((e & (1 /* PTE_VALID */)) === 0)
            return -1;
        return e >>> (4 /* PTE_SHIFT */);
    }
    /** Map one page (under the page-table lock): install missing tables on the way down, write the leaf, count it. */
    map(pfn, frame) {
        const m = this.m;
        const tb = this.tables;
        let t = this.root;
        for (let shift = 27; shift > 0; shift -= 9) {
            const at = tb + t * (512 /* ENTRIES */) + ((pfn >>> shift) & 511);
            let e = m[at];
            if ((e & (1 /* PTE_VALID */)) === 0)
                e = this.install(t, at);
            t = e >>> (4 /* PTE_SHIFT */);
        }
        m[tb + t * (512 /* ENTRIES */) + (pfn & 511)] = mkLeafPte(frame);
        m[this.poolCount + t * (16 /* COUNT_STRIDE */)] = m[this.poolCount + t * (16 /* COUNT_STRIDE */)] + 1;
    }
    /** A fresh table at entry `at` of `parent`; returns the entry. Rare: once per 512 pages the cursor crosses. */
    install(parent, at) {
        const fresh = this.poolAlloc();
        const pte = mkTablePte(fresh);
        // Published with Atomics.store, as src/pgtable.ts does in the refcount style (its comment says a
        // plain store would do under the lock, and it would; the twin follows the code, not the comment).
        Atomics.store(this.m, at, pte);
        this.m[this.poolCount + parent * (16 /* COUNT_STRIDE */)] = this.m[this.poolCount + parent * (16 /* COUNT_STRIDE */)] + 1;
        return pte;
    }
    /**
     * Unmap one page (under the page-table lock): clear the leaf, and when its
     * table's count reaches zero free it and every table above that empties
     * in turn, never the root (tegra-smmu's as_put_pte). The descent is
     * written out, the path kept in locals: nothing allocated.
     */
    unmap(pfn) {
        const m = this.m;
        const tb = this.tables;
        const cnt = this.poolCount;
        const t0 = this.root;
        const at0 = tb + t0 * (512 /* ENTRIES */) + ((pfn >>> 27) & 511);
        const t1 = m[at0] >>> (4 /* PTE_SHIFT */);
        const at1 = tb + t1 * (512 /* ENTRIES */) + ((pfn >>> 18) & 511);
        const t2 = m[at1] >>> (4 /* PTE_SHIFT */);
        const at2 = tb + t2 * (512 /* ENTRIES */) + ((pfn >>> 9) & 511);
        const t3 = m[at2] >>> (4 /* PTE_SHIFT */);
        m[tb + t3 * (512 /* ENTRIES */) + (pfn & 511)] = 0;
        const c3 = m[cnt + t3 * (16 /* COUNT_STRIDE */)] - 1;
        m[cnt + t3 * (16 /* COUNT_STRIDE */)] = c3;
        if (c3 > 0)
            return;
        this.unlink(at2, t3);
        const c2 = m[cnt + t2 * (16 /* COUNT_STRIDE */)] - 1;
        m[cnt + t2 * (16 /* COUNT_STRIDE */)] = c2;
        if (c2 > 0)
            return;
        this.unlink(at1, t2);
        const c1 = m[cnt + t1 * (16 /* COUNT_STRIDE */)] - 1;
        m[cnt + t1 * (16 /* COUNT_STRIDE */)] = c1;
        if (c1 > 0)
            return;
        this.unlink(at0, t1);
        m[cnt + t0 * (16 /* COUNT_STRIDE */)] = m[cnt + t0 * (16 /* COUNT_STRIDE */)] - 1;
    }
    /** Clear the entry pointing at empty table `t` and give `t` back to the pool (Atomics.store, as src/pgtable.ts). */
    unlink(at, t) {
        Atomics.store(this.m, at, 0);
        this.poolRelease(t);
    }
    /* ---- the table pool: a tagged Treiber stack (lock-free) ------------------ */
    poolAlloc() {
        const m = this.m;
        let t;
        for (;;) {
            const h = Atomics.load(m, this.poolHead);
            t = h & (1048575 /* INDEX_MASK */);
            if (t === 0)
                throw new Error('twin: table pool empty');
            const below = Atomics.load(m, this.poolNext + t);
            if (Atomics.compareExchange(m, this.poolHead, h, (((h >>> (20 /* INDEX_BITS */)) + 1) & (2047 /* TAG_MASK */)) << (20 /* INDEX_BITS */) | below) === h)
                break;
        }
        const at = this.tables + t * (512 /* ENTRIES */);
        m.fill(0, at, at + (512 /* ENTRIES */));
        m[this.poolCount + t * (16 /* COUNT_STRIDE */)] = 0;
        return t;
    }
    poolRelease(t) {
        const m = this.m;
        for (;;) {
            const h = Atomics.load(m, this.poolHead);
            Atomics.store(m, this.poolNext + t, h & (1048575 /* INDEX_MASK */));
            if (Atomics.compareExchange(m, this.poolHead, h, (((h >>> (20 /* INDEX_BITS */)) + 1) & (2047 /* TAG_MASK */)) << (20 /* INDEX_BITS */) | t) === h)
                break;
        }
    }
}
/** A DMA that did not land where it was mapped: the one check the twin keeps. Out of line, so the hot path stays small. */
function dmaMiss(pfn, frame, got) {
    throw new Error(`twin: DMA to pfn 0x${pfn.toString(16)} ${got < 0 ? 'faulted' : `landed on frame ${got}`}, mapped to frame ${frame}`);
}
/** The harness's seeding (src/prng.ts seedState): with the same seed, the same completion order. */
function seedState(seed, stream) {
    let s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) | 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b);
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35);
    s ^= s >>> 16;
    return s === 0 ? 0x6d2b79f5 : s;
}
/**
 * The same twin, its locks on the atomics the harness's accessors use
 * (WebAssembly's, src/memory/shared.ts, handed in: nothing here imports
 * src/): the like-for-like figure beside the plain one, which uses
 * Atomics.* as a plain JavaScript program does.
 */
export class TwinDeviceWasm extends TwinDevice {
    a;
    constructor(sab, L, worker, seed, a) {
        super(sab, L, worker, seed);
        this.a = a;
    }
    lock(l) {
        if (this.a.load(l) === 0 && this.a.exchange(l, 1) === 0)
            return;
        this.lockSlow(l);
    }
    lockSlow(l) {
        let delay = (4 /* BACKOFF_MIN */);
        for (;;) {
            if (this.a.load(l) === 0 && this.a.exchange(l, 1) === 0)
                return;
            spinDelay(delay);
            if (delay < (1024 /* BACKOFF_MAX */))
                delay <<= 1;
        }
    }
    unlock(l) {
        this.a.store(l, 0);
    }
}
/** For tests: the word index of `pfn`'s leaf entry in `worker`'s domain, -1 if a table on the way is missing. */
export function leafWord(sab, L, worker, pfn) {
    const m = new Int32Array(sab);
    let t = m[domainAt(L, domainOfWorker(L, worker)) + (32 /* D_ROOT */)];
    for (let shift = 27; shift > 0; shift -= 9) {
        const e = m[L.tables + t * (512 /* ENTRIES */) + ((pfn >>> shift) & 511)];
        if ((e & (1 /* PTE_VALID */)) === 0)
            return -1;
        t = e >>> (4 /* PTE_SHIFT */);
    }
    return L.tables + t * (512 /* ENTRIES */) + (pfn & 511);
}
const job = workerData;
if (parentPort && job?.kind === 'twin') {
    let dev;
    if (job.memory === null) {
        dev = new TwinDevice(job.sab, job.layout, job.worker, job.seed);
    }
    else {
        // Only this variant's wiring takes anything from src/: the harness's atomics over the same memory.
        const { adoptShared, wordAtomics } = await import('../src/memory/shared.js');
        const sab = adoptShared({ sab: job.sab, memory: job.memory });
        dev = new TwinDeviceWasm(sab, job.layout, job.worker, job.seed, wordAtomics(sab));
    }
    const { startMs, endMs } = dev.run(job.ops);
    parentPort.postMessage({ worker: job.worker, ops: job.ops, startMs, endMs });
}
//# sourceMappingURL=twin-worker.js.map