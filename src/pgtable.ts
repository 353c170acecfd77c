/**
 * The IO page table of a domain: map, unmap and the hardware walk.
 *
 * Two ways of writing the same table (Config.tableStyle):
 *
 * refcount  as exynos-iommu (lv2entcnt) and tegra-smmu (count[]): each table
 *           has a count of live entries, updated with plain loads and stores;
 *           a missing table is installed with a plain store; a table whose
 *           count drops to zero is unlinked and freed at once. All of it
 *           assumes the caller holds the one lock every writer of the domain
 *           takes. Per-device locks on a shared table break exactly this.
 * cmpxchg   as io-pgtable-arm: a missing table is installed by
 *           compare-and-swap and the loser frees its copy; tables live until
 *           the domain dies; leaves are written and cleared with atomics.
 *           Writers of disjoint IOVAs need no lock at all.
 *
 * The hardware walk takes no lock, as an IOMMU's table walker does.
 *
 * One instance per worker; `map` and `unmap` take a root table and work on
 * whichever domain it belongs to. Nothing here allocates.
 */
import {
  ENTRIES,
  LEAF_LEVEL,
  LEVELS,
  PROT_RW,
  PTE_LEAF,
  PTE_SHIFT,
  PTE_VALID,
  WALK_CORRUPT,
  WALK_FAULT_BASE,
  levelIndex,
  mkLeafPte,
  mkTablePte,
} from './pte.js';
import type { Layout } from './layout.js';
import { TablePool } from './table-pool.js';
import {
  V_MAP_OVER_LIVE,
  V_POOL_EXHAUSTED,
  V_TABLE_CORRUPT,
  V_UNMAP_MISSING,
  V_UNMAP_WRONG,
  type ViolationLog,
} from './checker.js';

/** Result of `descend` when the walk cannot reach a leaf table. */
const NO_TABLE = 0;

export class PageTables {
  private readonly tables: number;
  private readonly count: number;
  private readonly nTables: number;
  readonly pool: TablePool;
  /** Table index at each level of the last descent (pathTable[0] = root). */
  private readonly pathTable = new Int32Array(LEVELS);
  /** Word index of the entry taken at each level of the last descent. */
  private readonly pathEntry = new Int32Array(LEVELS);
  /** Level at which the last descent stopped short (for reports). */
  private stopLevel = 0;
  /** Domain being worked on, for violation reports. */
  domain = 0;

  constructor(
    private readonly m: Int32Array,
    L: Layout,
    private readonly refcount: boolean,
    private readonly log: ViolationLog,
  ) {
    this.tables = L.tables;
    this.count = L.poolCount;
    this.nTables = L.nTables;
    this.pool = new TablePool(m, L);
  }

  /* ---- the hardware walk ------------------------------------------------ */

  /**
   * Translate `pfn` as the IOMMU does: no lock, plain loads, from the root.
   * Returns the leaf entry (> 0), WALK_FAULT_BASE - level where an entry was
   * empty, or WALK_CORRUPT.
   */
  walk(root: number, pfn: number): number {
    const m = this.m;
    let t = root;
    for (let level = 0; level < LEAF_LEVEL; level++) {
      const e = m[this.tables + t * ENTRIES + levelIndex(pfn, level)]!;
      if ((e & PTE_VALID) === 0) return WALK_FAULT_BASE - level;
      t = e >>> PTE_SHIFT;
      if ((e & PTE_LEAF) !== 0 || t >= this.nTables) return WALK_CORRUPT;
    }
    const leaf = m[this.tables + t * ENTRIES + (pfn & (ENTRIES - 1))]!;
    if ((leaf & PTE_VALID) === 0) return WALK_FAULT_BASE - LEAF_LEVEL;
    if ((leaf & PTE_LEAF) === 0) return WALK_CORRUPT;
    return leaf;
  }

  /* ---- descent: find (or build) the leaf table for a pfn ---------------- */

  /**
   * Find the level-3 table covering `pfn`, installing missing tables when
   * `build` is set. Records the path. Returns the table, or NO_TABLE (with
   * `stopLevel` set) if a table is missing, the pool is empty, or the walk
   * met a corrupt entry (recorded as a violation).
   */
  private descend(root: number, pfn: number, build: boolean): number {
    const m = this.m;
    let t = root;
    for (let level = 0; level < LEAF_LEVEL; level++) {
      const at = this.tables + t * ENTRIES + levelIndex(pfn, level);
      this.pathTable[level] = t;
      this.pathEntry[level] = at;
      let e = Atomics.load(m, at);
      if ((e & PTE_VALID) === 0) {
        if (!build) {
          this.stopLevel = level;
          return NO_TABLE;
        }
        e = this.install(t, at, level + 1);
        if (e === 0) {
          this.stopLevel = level;
          return NO_TABLE;
        }
      }
      const next = e >>> PTE_SHIFT;
      if ((e & PTE_LEAF) !== 0 || next >= this.nTables || next === 0) {
        this.log.record(V_TABLE_CORRUPT, this.domain, pfn, level, 0, e);
        this.stopLevel = level;
        return NO_TABLE;
      }
      t = next;
    }
    this.pathTable[LEAF_LEVEL] = t;
    return t;
  }

  /** Install a new table for `level` at entry `at` of table `parent`; returns the entry now there, 0 if the pool is empty. */
  private install(parent: number, at: number, level: number): number {
    const fresh = this.pool.alloc(level, this.domain);
    if (fresh === 0) {
      this.log.record(V_POOL_EXHAUSTED, this.domain, -1, level, 0, 0);
      return 0;
    }
    const pte = mkTablePte(fresh);
    if (this.refcount) {
      // Under the domain's lock nobody else can be here: a plain store will do.
      Atomics.store(this.m, at, pte);
      this.m[this.count + parent] = this.m[this.count + parent]! + 1;
      return pte;
    }
    // io-pgtable-arm: publish with cmpxchg; if another mapper won, use its table and free ours.
    const old = Atomics.compareExchange(this.m, at, 0, pte);
    if (old === 0) return pte;
    this.pool.release(fresh);
    return old;
  }

  /* ---- map and unmap ----------------------------------------------------- */

  /**
   * Map `pages` pages from `pfn` to frames `frame`, `frame`+1, ...: descend
   * once per leaf table, then fill its entries. Returns false if the pool ran
   * out (the pages mapped so far stay mapped).
   */
  map(root: number, pfn: number, pages: number, frame: number): boolean {
    const m = this.m;
    let done = 0;
    while (done < pages) {
      const p = pfn + done;
      const t = this.descend(root, p, true);
      if (t === NO_TABLE) return false;
      const idx = p & (ENTRIES - 1);
      const n = Math.min(pages - done, ENTRIES - idx);
      const at = this.tables + t * ENTRIES + idx;
      for (let j = 0; j < n; j++) {
        const old = Atomics.load(m, at + j);
        if ((old & PTE_VALID) !== 0) this.log.record(V_MAP_OVER_LIVE, this.domain, p + j, LEAF_LEVEL, 0, old);
        Atomics.store(m, at + j, mkLeafPte(frame + done + j, PROT_RW));
      }
      if (this.refcount) m[this.count + t] = m[this.count + t]! + n;
      done += n;
    }
    return true;
  }

  /**
   * Unmap `pages` pages from `pfn` that were mapped to `frame`, ...; check
   * each entry held what this device mapped. Refcount style frees tables
   * that become empty. Returns the pages actually cleared.
   */
  unmap(root: number, pfn: number, pages: number, frame: number): number {
    const m = this.m;
    let done = 0;
    let cleared = 0;
    while (done < pages) {
      const p = pfn + done;
      const idx = p & (ENTRIES - 1);
      const n = Math.min(pages - done, ENTRIES - idx);
      const t = this.descend(root, p, false);
      if (t === NO_TABLE) {
        for (let j = 0; j < n; j++) this.log.record(V_UNMAP_MISSING, this.domain, p + j, this.stopLevel, frame + done + j, -1);
        done += n;
        continue;
      }
      const at = this.tables + t * ENTRIES + idx;
      let gone = 0;
      for (let j = 0; j < n; j++) {
        let old: number;
        if (this.refcount) {
          old = m[at + j]!;
          Atomics.store(m, at + j, 0);
        } else {
          old = Atomics.exchange(m, at + j, 0);
        }
        const want = frame + done + j;
        if ((old & PTE_VALID) === 0) {
          this.log.record(V_UNMAP_MISSING, this.domain, p + j, LEAF_LEVEL, want, -1);
        } else {
          gone++;
          if (old >>> PTE_SHIFT !== want) this.log.record(V_UNMAP_WRONG, this.domain, p + j, LEAF_LEVEL, want, old >>> PTE_SHIFT);
        }
      }
      cleared += gone;
      if (this.refcount) {
        const left = m[this.count + t]! - gone;
        m[this.count + t] = left;
        if (left <= 0) this.freeEmpty();
      }
      done += n;
    }
    return cleared;
  }

  /**
   * Refcount style: the leaf table of the last descent is empty. Unlink and
   * free it, and every table above it that becomes empty in turn (never the
   * root), as tegra-smmu's as_put_pte does.
   */
  private freeEmpty(): void {
    const m = this.m;
    for (let level = LEAF_LEVEL; level > 0; level--) {
      const t = this.pathTable[level]!;
      if (m[this.count + t]! > 0) return;
      const parent = this.pathTable[level - 1]!;
      Atomics.store(m, this.pathEntry[level - 1]!, 0);
      this.pool.release(t);
      m[this.count + parent] = m[this.count + parent]! - 1;
    }
  }
}
