/**
 * The shared pool of page-table pages: a lock-free Treiber stack of free
 * table indices, so that table allocation is safe whatever lock (if any) the
 * caller holds. The head word carries a tag beside the index, bumped on every
 * pop and push, so that a pop that read a stale `next` cannot succeed (ABA).
 *
 *   head = tag << 20 | index        next[index] = index below it, 0 = end
 *
 * info[t] records what a table in use was allocated for (level + 1,
 * domain << 4), 0 when free, for the audit. A pop or a push is one schedule
 * point ('pool', a write of the head and the free count: the pool is the
 * engine's, not the design's, and its own correctness is tested apart);
 * zeroing an allocated table is another ('pool-zero'), so that a walker
 * still reading a freed table is ordered with it.
 */
import type { Mem, TablePool } from '../api/types.js';
import { type Layout, POOL_FREE, POOL_HEAD } from '../memory/layout.js';

const INDEX_BITS = 20;
const INDEX_MASK = (1 << INDEX_BITS) - 1;
const TAG_MASK = (1 << (31 - INDEX_BITS)) - 1;

const headOf = (tag: number, index: number): number => ((tag & TAG_MASK) << INDEX_BITS) | index;
const tagOf = (head: number): number => head >>> INDEX_BITS;

export const infoOf = (level: number, domain: number): number => (domain << 4) | ((level + 1) & 15);
export const infoLevel = (info: number): number => (info & 15) - 1;
export const infoDomain = (info: number): number => info >>> 4;

export class EngineTablePool implements TablePool {
  readonly entries: number;
  readonly entryWords: number;
  readonly count: number;
  readonly base: number;
  readonly tableWords: number;
  private readonly m: Int32Array;
  private readonly head: number;
  private readonly free_: number;
  private readonly next: number;
  private readonly info: number;
  private readonly metaBase: number;
  private readonly metaStride: number;
  /** Called when the pool is empty (the engine counts `pool-exhausted`). */
  onEmpty: (level: number, domain: number) => void = () => undefined;

  constructor(
    private readonly mem: Mem,
    L: Layout,
  ) {
    this.m = mem.words;
    this.entries = L.entries;
    this.entryWords = L.entryWords;
    this.count = L.nTables;
    this.head = L.pool + POOL_HEAD;
    this.free_ = L.pool + POOL_FREE;
    this.next = L.poolNext;
    this.info = L.poolInfo;
    this.metaBase = L.meta;
    this.metaStride = L.metaStride;
    this.base = L.tables;
    this.tableWords = L.tableWords;
  }

  /** Main thread, before a run: every table but 0 on the free list, lowest index on top. */
  init(): void {
    const m = this.m;
    const n = this.count;
    for (let t = 1; t < n; t++) m[this.next + t] = t + 1 < n ? t + 1 : 0;
    m.fill(0, this.info, this.info + n);
    Atomics.store(m, this.free_, n - 1);
    Atomics.store(m, this.head, headOf(0, n > 1 ? 1 : 0));
  }

  alloc(level: number, domain: number): number {
    const m = this.m;
    // The head and the free count: every pop and push writes them.
    this.mem.bulk(this.head, 2, 'atomic', 'pool');
    let h: number;
    let t: number;
    for (;;) {
      h = Atomics.load(m, this.head);
      t = h & INDEX_MASK;
      if (t === 0) {
        this.onEmpty(level, domain);
        return 0;
      }
      const below = Atomics.load(m, this.next + t);
      if (Atomics.compareExchange(m, this.head, h, headOf(tagOf(h) + 1, below)) === h) break;
    }
    Atomics.sub(m, this.free_, 1);
    // Zeroed as steps of their own: a walker still inside a freed table reads these words.
    const at = this.base + t * this.tableWords;
    this.mem.bulk(at, this.tableWords, 'write', 'pool-zero');
    m.fill(0, at, at + this.tableWords);
    if (this.metaStride > 0) {
      this.mem.bulk(this.metaBase + t * this.metaStride, this.metaStride, 'write', 'pool-zero');
      m.fill(0, this.metaBase + t * this.metaStride, this.metaBase + (t + 1) * this.metaStride);
    }
    Atomics.store(m, this.info + t, infoOf(level, domain));
    return t;
  }

  free(t: number): void {
    const m = this.m;
    this.mem.bulk(this.head, 2, 'atomic', 'pool');
    Atomics.store(m, this.info + t, 0);
    for (;;) {
      const h = Atomics.load(m, this.head);
      Atomics.store(m, this.next + t, h & INDEX_MASK);
      if (Atomics.compareExchange(m, this.head, h, headOf(tagOf(h) + 1, t)) === h) break;
    }
    Atomics.add(m, this.free_, 1);
  }

  entry(t: number, index: number): number {
    return this.base + t * this.tableWords + index * this.entryWords;
  }

  meta(t: number): number {
    return this.metaBase + t * this.metaStride;
  }

  freeCount(): number {
    return Atomics.load(this.m, this.free_);
  }

  /** What table `t` was allocated for (0: free). */
  infoOf(t: number): number {
    return this.m[this.info + t]!;
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
