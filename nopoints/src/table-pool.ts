/**
 * The shared pool of page-table pages: a lock-free Treiber stack of free
 * table indices, so that table allocation is safe whatever lock (if any) the
 * caller holds. The head word carries a tag beside the index, bumped on every
 * pop and push, so that a pop that read a stale `next` cannot succeed (ABA).
 *
 *   head = tag << 20 | index        next[index] = index below it, 0 = end
 *
 * meta[t] records what a table in use is (level + 1, domain << 4), 0 when
 * free, for the audit; count[t] is the refcount style's live-entry count.
 */
import { ENTRIES } from './pte.js';
import { type Layout, COUNT_STRIDE, POOL_FREE, POOL_HEAD } from './layout.js';
import { P_POOL, SCHED } from './sched.js';

const INDEX_BITS = 20;
const INDEX_MASK = (1 << INDEX_BITS) - 1;
const TAG_MASK = (1 << (31 - INDEX_BITS)) - 1;

const headOf = (tag: number, index: number): number => ((tag & TAG_MASK) << INDEX_BITS) | index;
const tagOf = (head: number): number => head >>> INDEX_BITS;

export const metaOf = (level: number, domain: number): number => (domain << 4) | (level + 1);
export const metaLevel = (meta: number): number => (meta & 15) - 1;
export const metaDomain = (meta: number): number => meta >>> 4;

export class TablePool {
  private readonly head: number;
  private readonly free: number;
  private readonly next: number;
  private readonly meta: number;
  private readonly count: number;
  private readonly tables: number;

  constructor(
    private readonly m: Int32Array,
    L: Layout,
  ) {
    this.head = L.pool + POOL_HEAD;
    this.free = L.pool + POOL_FREE;
    this.next = L.poolNext;
    this.meta = L.poolMeta;
    this.count = L.poolCount;
    this.tables = L.tables;
  }

  /** Main thread, once: every table but 0 on the free list, lowest index on top. */
  init(nTables: number): void {
    const m = this.m;
    for (let t = 1; t < nTables; t++) m[this.next + t] = t + 1 < nTables ? t + 1 : 0;
    m.fill(0, this.meta, this.meta + nTables);
    m.fill(0, this.count, this.count + nTables * COUNT_STRIDE);
    Atomics.store(m, this.free, nTables - 1);
    Atomics.store(m, this.head, headOf(0, nTables > 1 ? 1 : 0));
  }

  /** Pop a zeroed table for `level` of `domain`; 0 when the pool is empty. */
  alloc(level: number, domain: number): number {
    const m = this.m;
    let h: number;
    let t: number;
    if (SCHED.on) SCHED.point(P_POOL, level);
    for (;;) {
      h = Atomics.load(m, this.head);
      t = h & INDEX_MASK;
      if (t === 0) return 0;
      const below = Atomics.load(m, this.next + t);
      if (Atomics.compareExchange(m, this.head, h, headOf(tagOf(h) + 1, below)) === h) break;
    }
    Atomics.sub(m, this.free, 1);
    const at = this.tables + t * ENTRIES;
    m.fill(0, at, at + ENTRIES);
    m[this.count + t * COUNT_STRIDE] = 0;
    Atomics.store(m, this.meta + t, metaOf(level, domain));
    return t;
  }

  /** Push table `t` back. Its entries are left as they are (zeroed on reuse). */
  release(t: number): void {
    const m = this.m;
    if (SCHED.on) SCHED.point(P_POOL, -t);
    Atomics.store(m, this.meta + t, 0);
    for (;;) {
      const h = Atomics.load(m, this.head);
      Atomics.store(m, this.next + t, h & INDEX_MASK);
      if (Atomics.compareExchange(m, this.head, h, headOf(tagOf(h) + 1, t)) === h) break;
    }
    Atomics.add(m, this.free, 1);
  }

  freeCount(): number {
    return Atomics.load(this.m, this.free);
  }

  /** The free list, for the audit; stops after `limit` entries (a corrupted list may loop). */
  freeList(limit: number): number[] {
    const out: number[] = [];
    let t = Atomics.load(this.m, this.head) & INDEX_MASK;
    while (t !== 0 && out.length < limit) {
      out.push(t);
      t = this.m[this.next + t]!;
    }
    return out;
  }
}
