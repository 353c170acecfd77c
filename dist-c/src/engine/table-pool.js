import { POOL_FREE, POOL_HEAD } from '../memory/layout.js';
const INDEX_BITS = 20;
const INDEX_MASK = (1 << (20 /* INDEX_BITS */)) - 1;
const TAG_MASK = (1 << (31 - (20 /* INDEX_BITS */))) - 1;
const headOf = (tag, index) => ((tag & (2047 /* TAG_MASK */)) << (20 /* INDEX_BITS */)) | index;
const tagOf = (head) => head >>> (20 /* INDEX_BITS */);
export const infoOf = (level, domain) => (domain << 4) | ((level + 1) & 15);
export const infoLevel = (info) => (info & 15) - 1;
export const infoDomain = (info) => info >>> 4;
export class EngineTablePool {
    mem;
    entries;
    entryWords;
    count;
    base;
    tableWords;
    m;
    head;
    free_;
    next;
    info;
    metaBase;
    metaStride;
    /** Called when the pool is empty (the engine counts `pool-exhausted`). */
    onEmpty = () => undefined;
    constructor(mem, L) {
        this.mem = mem;
        this.m = mem.words;
        this.entries = L.entries;
        this.entryWords = L.entryWords;
        this.count = L.nTables;
        this.head = L.pool + (0 /* POOL_HEAD */);
        this.free_ = L.pool + (1 /* POOL_FREE */);
        this.next = L.poolNext;
        this.info = L.poolInfo;
        this.metaBase = L.meta;
        this.metaStride = L.metaStride;
        this.base = L.tables;
        this.tableWords = L.tableWords;
    }
    /** Main thread, before a run: every table but 0 on the free list, lowest index on top. */
    init() {
        const m = this.m;
        const n = this.count;
        for (let t = 1; t < n; t++)
            m[this.next + t] = t + 1 < n ? t + 1 : 0;
        m.fill(0, this.info, this.info + n);
        Atomics.store(m, this.free_, n - 1);
        Atomics.store(m, this.head, headOf(0, n > 1 ? 1 : 0));
    }
    alloc(level, domain) {
        const m = this.m;
        this.mem.point('pool', level);
        let h;
        let t;
        for (;;) {
            h = Atomics.load(m, this.head);
            t = h & (1048575 /* INDEX_MASK */);
            if (t === 0) {
                this.onEmpty(level, domain);
                return 0;
            }
            const below = Atomics.load(m, this.next + t);
            if (Atomics.compareExchange(m, this.head, h, headOf(tagOf(h) + 1, below)) === h)
                break;
        }
        Atomics.sub(m, this.free_, 1);
        const at = this.base + t * this.tableWords;
        m.fill(0, at, at + this.tableWords);
        if (this.metaStride > 0)
            m.fill(0, this.metaBase + t * this.metaStride, this.metaBase + (t + 1) * this.metaStride);
        Atomics.store(m, this.info + t, infoOf(level, domain));
        return t;
    }
    free(t) {
        const m = this.m;
        this.mem.point('pool', -t);
        Atomics.store(m, this.info + t, 0);
        for (;;) {
            const h = Atomics.load(m, this.head);
            Atomics.store(m, this.next + t, h & (1048575 /* INDEX_MASK */));
            if (Atomics.compareExchange(m, this.head, h, headOf(tagOf(h) + 1, t)) === h)
                break;
        }
        Atomics.add(m, this.free_, 1);
    }
    entry(t, index) {
        return this.base + t * this.tableWords + index * this.entryWords;
    }
    meta(t) {
        return this.metaBase + t * this.metaStride;
    }
    freeCount() {
        return Atomics.load(this.m, this.free_);
    }
    /** What table `t` was allocated for (0: free). */
    infoOf(t) {
        return this.m[this.info + t];
    }
    /** The free list, for the audit; stops after `limit` entries (a corrupted list may loop). */
    freeList(limit) {
        const out = [];
        let t = Atomics.load(this.m, this.head) & (1048575 /* INDEX_MASK */);
        while (t !== 0 && out.length < limit) {
            out.push(t);
            t = this.m[this.next + t];
        }
        return out;
    }
}
//# sourceMappingURL=table-pool.js.map