/**
 * The IO page table of a domain: map, unmap and the hardware walk.
 *
 * Ways of writing the same table (Config.tableStyle):
 *
 * refcount      as exynos-iommu (lv2entcnt) and tegra-smmu (count[]): each
 *               table has a count of live entries, updated with plain loads
 *               and stores; a missing table is installed with a plain store;
 *               a table whose count drops to zero is unlinked and freed at
 *               once. All of it assumes the caller holds the one lock every
 *               writer of the domain takes. Per-device locks on a shared
 *               table break exactly this.
 * cmpxchg       as io-pgtable-arm: a missing table is installed by
 *               compare-and-swap and the loser frees its copy; tables live
 *               until the domain dies; leaves are written and cleared with
 *               atomics. Writers of disjoint IOVAs need no lock at all.
 * plain-install BROKEN: cmpxchg without the cmpxchg. Two lock-free mappers
 *               that both find an entry empty both install a table; the
 *               second store wins and the first mapper's leaves are lost.
 * cmpxchg-free  BROKEN: cmpxchg that also frees a table when its atomic live
 *               count reaches zero, with no lock and no grace period: a
 *               mapper or walker still inside the table writes into, or
 *               reads from, a table that was freed and perhaps reused.
 *
 * The hardware walk takes no lock, as an IOMMU's table walker does.
 * One instance per worker; nothing here allocates. Every shared step is a
 * schedule point (sched.ts) for the controlled scheduler.
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
import { type Layout, COUNT_STRIDE } from './layout.js';
import type { TableStyle } from './config.js';
import { TablePool } from './table-pool.js';
import {
  V_MAP_OVER_LIVE,
  V_POOL_EXHAUSTED,
  V_TABLE_CORRUPT,
  V_UNMAP_MISSING,
  V_UNMAP_WRONG,
  type ViolationLog,
} from './checker.js';
import {
  P_COUNT_READ,
  P_COUNT_WRITE,
  P_LEAF_CLEAR,
  P_LEAF_WRITE,
  P_PTE_INSTALL,
  P_PTE_READ,
  P_TABLE_FREE,
  P_WALK,
  SCHED,
} from './sched.js';

/** Result of `descend` when the walk cannot reach a leaf table. */
const NO_TABLE = 0;

/** How live-entry counts are kept. */
const COUNT_NONE = 0;
const COUNT_PLAIN = 1;
const COUNT_ATOMIC = 2;

export class PageTables {
  private readonly tables: number;
  private readonly count: number;
  private readonly nTables: number;
  readonly pool: TablePool;
  /** Install missing tables by compare-and-swap (else a plain store). */
  private readonly casInstall: boolean;
  private readonly counting: number;
  /** Free a table when its count reaches zero. */
  private readonly frees: boolean;
  /** Table index at each level of the last descent (pathTable[0] = root). */
  private readonly pathTable = new Int32Array(LEVELS);
  /** Word index of the entry taken at each level of the last descent. */
  private readonly pathEntry = new Int32Array(LEVELS);
  /** Level at which the last descent stopped short (for reports). */
  private stopLevel = 0;
  /** Domain being worked on, for violation reports. */
  domain = 0;
  /** Domain that owns the table (itself, or the domain it shares a table with), for table metadata. */
  owner = 0;

  constructor(
    private readonly m: Int32Array,
    L: Layout,
    style: TableStyle,
    private readonly log: ViolationLog,
  ) {
    this.tables = L.tables;
    this.count = L.poolCount;
    this.nTables = L.nTables;
    this.pool = new TablePool(m, L);
    this.casInstall = style === 'cmpxchg' || style === 'cmpxchg-free';
    this.counting = style === 'refcount' ? COUNT_PLAIN : style === 'cmpxchg-free' ? COUNT_ATOMIC : COUNT_NONE;
    this.frees = style === 'refcount' || style === 'cmpxchg-free';
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
      if (SCHED.on) SCHED.point(P_WALK, level);
      const e = m[this.tables + t * ENTRIES + levelIndex(pfn, level)]!;
      if ((e & PTE_VALID) === 0) return WALK_FAULT_BASE - level;
      t = e >>> PTE_SHIFT;
      if ((e & PTE_LEAF) !== 0 || t >= this.nTables) return WALK_CORRUPT;
    }
    if (SCHED.on) SCHED.point(P_WALK, LEAF_LEVEL);
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
      if (SCHED.on) SCHED.point(P_PTE_READ, level);
      // Under the domain lock (refcount) a plain read is exact and much cheaper than Atomics.load on
      // V8; the lock-free styles read with Atomics (ordered against the cmpxchg installs).
      let e = this.casInstall ? Atomics.load(m, at) : m[at]!;
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
    const fresh = this.pool.alloc(level, this.owner);
    if (fresh === 0) {
      this.log.record(V_POOL_EXHAUSTED, this.domain, -1, level, 0, 0);
      return 0;
    }
    const pte = mkTablePte(fresh);
    if (SCHED.on) SCHED.point(P_PTE_INSTALL, level);
    if (!this.casInstall) {
      // Under the domain's lock nobody else can be here: a plain store will do.
      Atomics.store(this.m, at, pte);
      if (this.counting === COUNT_PLAIN) this.addCount(parent, 1);
      return pte;
    }
    // io-pgtable-arm: publish with cmpxchg; if another mapper won, use its table and free ours.
    const old = Atomics.compareExchange(this.m, at, 0, pte);
    if (old !== 0) {
      this.pool.release(fresh);
      return old;
    }
    if (this.counting === COUNT_ATOMIC) Atomics.add(this.m, this.count + parent * COUNT_STRIDE, 1);
    return pte;
  }

  /** count[t] += n with a plain read and a plain write (refcount style, under the lock). */
  private addCount(t: number, n: number): number {
    const m = this.m;
    if (SCHED.on) SCHED.point(P_COUNT_READ, t);
    const c = m[this.count + t * COUNT_STRIDE]! + n;
    if (SCHED.on) SCHED.point(P_COUNT_WRITE, t);
    m[this.count + t * COUNT_STRIDE] = c;
    return c;
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
        if (SCHED.on) SCHED.point(P_LEAF_WRITE, p + j);
        const old = this.casInstall ? Atomics.load(m, at + j) : m[at + j]!;
        if ((old & PTE_VALID) !== 0) this.log.record(V_MAP_OVER_LIVE, this.domain, p + j, LEAF_LEVEL, 0, old);
        if (this.casInstall) Atomics.store(m, at + j, mkLeafPte(frame + done + j, PROT_RW));
        else m[at + j] = mkLeafPte(frame + done + j, PROT_RW);
      }
      if (this.counting === COUNT_PLAIN) this.addCount(t, n);
      else if (this.counting === COUNT_ATOMIC) Atomics.add(m, this.count + t * COUNT_STRIDE, n);
      done += n;
    }
    return true;
  }

  /**
   * Unmap `pages` pages from `pfn` that were mapped to `frame`, ...; check
   * each entry held what this device mapped. Styles that count free tables
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
        if (SCHED.on) SCHED.point(P_LEAF_CLEAR, p + j);
        let old: number;
        if (this.counting === COUNT_PLAIN) {
          old = m[at + j]!;
          m[at + j] = 0;
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
      if (this.frees) {
        const left = this.counting === COUNT_PLAIN ? this.addCount(t, -gone) : Atomics.sub(m, this.count + t * COUNT_STRIDE, gone) - gone;
        if (left <= 0) this.freeEmpty();
      }
      done += n;
    }
    return cleared;
  }

  /**
   * The leaf table of the last descent is empty. Unlink and free it, and
   * every table above it that becomes empty in turn (never the root), as
   * tegra-smmu's as_put_pte does.
   */
  private freeEmpty(): void {
    const m = this.m;
    for (let level = LEAF_LEVEL; level > 0; level--) {
      const t = this.pathTable[level]!;
      const parent = this.pathTable[level - 1]!;
      const entry = this.pathEntry[level - 1]!;
      if (SCHED.on) SCHED.point(P_TABLE_FREE, t);
      if (this.counting === COUNT_PLAIN) {
        if (m[this.count + t * COUNT_STRIDE]! > 0) return;
        Atomics.store(m, entry, 0);
        this.pool.release(t);
        if (this.addCount(parent, -1) > 0) return;
      } else {
        // cmpxchg-free: unlink only if the parent still points here; no grace period for walkers inside.
        if (Atomics.load(m, this.count + t * COUNT_STRIDE) > 0) return;
        if (Atomics.compareExchange(m, entry, mkTablePte(t), 0) !== mkTablePte(t)) return;
        this.pool.release(t);
        if (Atomics.sub(m, this.count + parent * COUNT_STRIDE, 1) - 1 > 0) return;
      }
    }
  }
}
