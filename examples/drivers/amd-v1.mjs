/**
 * A user's page-table driver: the AMD IOMMU v1 page table
 * (drivers/iommu/amd/io_pgtable.c), written only through the public API of
 * iommu-stress. Things the built-in drivers do not do:
 *
 *  - its height grows at run time: a domain starts with 3 levels (mode 3,
 *    39-bit IOVAs, as PAGE_MODE_3_LEVEL) and increase_address_space() adds a
 *    level whenever an IOVA beyond the current mode is mapped (up to 6);
 *  - an entry is two 32-bit words (AMD's PTEs are 64 bits): `lo` holds the
 *    present bit, the permissions and the next level, `hi` the address;
 *  - a domain's state is set up lazily, on the first map (no initDomain),
 *    two mappers racing to do it settled by a cmpxchg;
 *  - the domain lock guards only the growth; map and unmap are lock-free,
 *    installing missing tables with a claim-then-publish protocol on `lo`.
 *
 * Three of its history's races are parameters (`amdV1({...})`), and the
 * races in ../races/ explore them:
 *
 *  increaseLocked  754265bcab78 "iommu/amd: Fix race in increase_address_space()"
 *                  (Sep 2019): after the lockless DMA-API conversion, two CPUs
 *                  could grow the table at once, "leading to invalid
 *                  domain->mode settings and invalid page-tables".
 *  dteFirst        19c6978fba68 "iommu/amd: Update Device Table in
 *                  increase_address_space()" (May 2020): the device table
 *                  entry must name the new root before the root is
 *                  published, "otherwise a concurrent call to fetch_pte might
 *                  fetch a PTE which is not reachable through the Device
 *                  Table Entry" (a mapper installs its leaf under the new
 *                  root and its device's DMA walks from the old one).
 *  seqcount        1e56310b40fd "iommu/amd/pgtbl: Fix possible race while
 *                  increase page table level" (Sep 2025): fetch_pte() read
 *                  pgtable->root and ->mode without the lock, and could read
 *                  the new root with the old mode while the table grew.
 *
 * Level numbering is AMD's: level 1 tables hold the 4 KiB leaves; the root
 * is a table of level `mode`.
 */
import { defineDriver } from 'iommu-stress';

/* ---- an entry: two words ------------------------------------------------ */
const LO = 0;
const HI = 1;
const PR = 1; // present
const IR = 2; // read permission
const IW = 4; // write permission
const BUSY = 8; // being installed: claimed, its address not written yet
const LEVEL_SHIFT = 9; // next level (0: a leaf), as PM_LEVEL_PDE
const pde = (nextLevel) => PR | IR | IW | (nextLevel << LEVEL_SHIFT);
const leafLo = PR | IR | IW;
const nextLevelOf = (lo) => (lo >>> LEVEL_SHIFT) & 7;

/* ---- a domain's state --------------------------------------------------- */
const ROOT = 0; // the root table, 0 until the first map
const MODE = 1; // levels of the table
const SEQ = 2; // seqcount over ROOT and MODE (the 2025 fix)
const DTE = 3; // the device table entry the hardware walks from: root << 3 | mode, written in one store
const START_MODE = 3;
const MAX_MODE = 6;

/** Index of `pfn` in a table of `level` (1: the leaf table). */
const indexAt = (pfn, level) => Math.floor(pfn / 2 ** (9 * (level - 1))) % 512;
/** Does mode `mode` reach `pfn`? (mode m maps 9m + 12 address bits) */
const fits = (pfn, mode) => pfn < 2 ** (9 * mode);

/**
 * @param {{ name?: string, increaseLocked: boolean, dteFirst?: boolean, seqcount: boolean }} o
 */
export function amdV1(o) {
  const dteFirst = o.dteFirst ?? true;
  const missing = [o.increaseLocked ? '' : '-unlocked-increase', dteFirst ? '' : '-dte-after-root', o.seqcount ? '' : '-no-seqcount'].join('');
  return defineDriver({
    name: o.name ?? `amd-v1${missing}`,
    summary: `AMD IOMMU v1 tables that grow a level at a time; increase_address_space() ${o.increaseLocked ? 'under' : 'WITHOUT'} the domain lock, the device table updated ${dteFirst ? 'before' : 'AFTER'} the new root is published, root and mode read ${o.seqcount ? 'under a seqcount' : 'as two plain reads'}`,
    source: 'drivers/iommu/amd/io_pgtable.c; 754265bcab78 (2019), 19c6978fba68 (2020), 1e56310b40fd (2025)',
    broken: !(o.increaseLocked && dteFirst && o.seqcount),
    table: { entries: 512, entryWords: 2 },
    domainWords: 4,
    levels: "AMD's numbering: level 1 tables hold the 4 KiB leaves; the root is a table of level `mode` (3 at first, up to 6)",
    locks: { domain: { per: 'domain', kernelName: '&domain->lock', guardsTables: true } },
    invariants: {
      'dte-stale': { meaning: "after the run, the device table entry names another root or mode than the domain's page table", outcome: 'lost-mapping' },
    },

    create(ctx) {
      const { mem, tables } = ctx;
      const lock = ctx.locks.domain;
      const st = (domain) => ctx.domainState(domain);

      /**
       * The first map of a domain sets it up: a root of START_MODE levels,
       * published by cmpxchg (the loser frees its copy). Only the winner
       * writes the mode, after it won; anyone who sees the root before the
       * mode waits for it (a loser that wrote the mode itself could undo a
       * growth that happened meanwhile). The winner writes the device table
       * entry before the mode: once the mode is out another mapper may grow
       * the table, and a late first DTE would then undo its DTE (the
       * kernel sets a domain up before any map; the exhaustive search found
       * this ordering in the first version of this file).
       */
      function ensureRoot(domain) {
        if (mem.load(st(domain) + ROOT, 'root-read') === 0) {
          const t = tables.alloc(START_MODE, domain);
          if (t === 0) return false;
          if (mem.cas(st(domain) + ROOT, 0, t, 'root-init') !== 0) tables.free(t);
          else {
            mem.store(st(domain) + DTE, (t << 3) | START_MODE, 'dte-write');
            mem.store(st(domain) + MODE, START_MODE, 'mode-init');
          }
        }
        while (mem.load(st(domain) + MODE, 'mode-read') === 0) mem.spin(st(domain) + MODE);
        return true;
      }

      /**
       * Root and mode, as alloc_pte() and fetch_pte() read them: without the
       * lock, so marked (READ_ONCE; increase() writes them WRITE_ONCE): two
       * reads, or two under the seqcount.
       */
      const rm = { root: 0, mode: 0 };
      function readRootMode(domain) {
        if (!o.seqcount) {
          rm.root = mem.readOnce(st(domain) + ROOT, 'root-read');
          rm.mode = mem.readOnce(st(domain) + MODE, 'mode-read');
          return;
        }
        for (;;) {
          const s = mem.load(st(domain) + SEQ, 'seq-read');
          if (s & 1) {
            mem.spin(st(domain) + SEQ);
            continue;
          }
          rm.root = mem.readOnce(st(domain) + ROOT, 'root-read');
          rm.mode = mem.readOnce(st(domain) + MODE, 'mode-read');
          if (mem.load(st(domain) + SEQ, 'seq-retry') === s) return;
        }
      }

      /** increase_address_space(): one more level, the old root becoming entry 0 of the new one. */
      function increase(domain, pfn) {
        const l = lock.of(domain);
        if (o.increaseLocked) lock.acquire(l);
        try {
          const mode = mem.read(st(domain) + MODE, 'mode-read');
          if (fits(pfn, mode) || mode >= MAX_MODE) return true;
          const root = mem.read(st(domain) + ROOT, 'root-read');
          const t = tables.alloc(mode + 1, domain);
          if (t === 0) return false;
          mem.write(tables.entry(t, 0) + HI, root, 'pte-write');
          mem.write(tables.entry(t, 0) + LO, pde(mode), 'pte-write');
          // 19c6978fba68: update_and_flush_device_table() with the new root and mode, before either is published.
          if (dteFirst) mem.store(st(domain) + DTE, (t << 3) | (mode + 1), 'dte-write');
          if (o.seqcount) mem.add(st(domain) + SEQ, 1, 'seq-begin');
          // Published to lockless readers (fetch_pte) after its entry 0 is written: a release (on x86 the plain store it is in the kernel).
          mem.storeRelease(st(domain) + ROOT, t, 'root-write');
          // `pgtable->mode += 1`: a read-modify-write of the mode as it is now.
          mem.writeOnce(st(domain) + MODE, mem.read(st(domain) + MODE, 'mode-read') + 1, 'mode-write');
          if (o.seqcount) mem.add(st(domain) + SEQ, 1, 'seq-end');
          // Before 19c6978fba68: the device table follows the published root, and a mapper that saw it may DMA first.
          if (!dteFirst) mem.store(st(domain) + DTE, (mem.read(st(domain) + ROOT) << 3) | mem.read(st(domain) + MODE), 'dte-write');
          return true;
        } finally {
          if (o.increaseLocked) lock.release(l);
        }
      }

      /** The entry's `lo`, waiting out a concurrent install (BUSY). */
      function loOf(e) {
        for (;;) {
          const lo = mem.load(e + LO, 'pte-read');
          if ((lo & BUSY) === 0) return lo;
          mem.spin(e + LO);
        }
      }

      /** alloc_pte(): the level-1 entry of `pfn`, installing missing tables; -1 if it cannot. */
      function allocPte(domain, pfn) {
        readRootMode(domain);
        let t = rm.root;
        for (let level = rm.mode; level > 1; level--) {
          const e = tables.entry(t, indexAt(pfn, level));
          let lo = loOf(e);
          if ((lo & PR) === 0) {
            // Claim the entry, then write its address, then publish it: two words, one owner.
            if (mem.cas(e + LO, 0, BUSY, 'pte-claim') === 0) {
              const fresh = tables.alloc(level - 1, domain);
              if (fresh === 0) {
                mem.store(e + LO, 0, 'pte-release');
                return -1;
              }
              mem.write(e + HI, fresh, 'pte-write');
              mem.store(e + LO, pde(level - 1), 'pte-install');
            }
            lo = loOf(e);
          }
          if (nextLevelOf(lo) !== level - 1) {
            ctx.report('table-corrupt', domain, pfn, level, level - 1, lo);
            return -1;
          }
          t = mem.read(e + HI, 'pte-read');
        }
        return tables.entry(t, indexAt(pfn, 1));
      }

      /** fetch_pte(): the leaf entry of `pfn`, or -1 where a level is missing or wrong (AMD returns NULL). */
      function fetchPte(domain, pfn) {
        readRootMode(domain);
        if (rm.root === 0 || !fits(pfn, rm.mode)) return -1;
        let t = rm.root;
        for (let level = rm.mode; level > 1; level--) {
          const e = tables.entry(t, indexAt(pfn, level));
          const lo = mem.load(e + LO, 'pte-read');
          if ((lo & PR) === 0 || nextLevelOf(lo) !== level - 1) return -1;
          t = mem.read(e + HI, 'pte-read');
        }
        return tables.entry(t, indexAt(pfn, 1));
      }

      return {
        map(domain, pfn, pages, frame) {
          if (!ensureRoot(domain)) return false;
          while (!fits(pfn + pages - 1, mem.readOnce(st(domain) + MODE, 'mode-read'))) if (!increase(domain, pfn + pages - 1)) return false;
          for (let i = 0; i < pages; i++) {
            const e = allocPte(domain, pfn + i);
            if (e < 0) return false;
            const old = mem.load(e + LO, 'leaf-read');
            if ((old & PR) !== 0) ctx.report('map-over-live', domain, pfn + i, 1, 0, old);
            mem.write(e + HI, frame + i, 'leaf-write');
            mem.store(e + LO, leafLo, 'leaf-write');
          }
          return true;
        },
        unmap(domain, pfn, pages) {
          let n = 0;
          for (let i = 0; i < pages; i++) {
            const e = fetchPte(domain, pfn + i);
            if (e < 0) {
              ctx.cleared(pfn + i, -1, 1);
              continue;
            }
            const lo = mem.exchange(e + LO, 0, 'leaf-clear');
            if ((lo & PR) === 0) {
              ctx.cleared(pfn + i, -1, 1);
              continue;
            }
            ctx.cleared(pfn + i, mem.read(e + HI, 'leaf-read'), 1);
            n++;
          }
          ctx.tlb.invalidate(domain, pfn, pages);
          return n;
        },
        /** The hardware walks from the device table entry: root and mode in one word. */
        walk(domain, pfn) {
          const dte = mem.load(st(domain) + DTE, 'dte-read');
          const mode = dte & 7;
          let t = dte >>> 3;
          if (t === 0) return -1;
          if (!fits(pfn, mode)) return -1 - mode;
          for (let level = mode; level > 1; level--) {
            const e = tables.entry(t, indexAt(pfn, level));
            const lo = mem.load(e + LO, 'walk');
            if ((lo & PR) === 0) return -1 - (mode - level);
            if (nextLevelOf(lo) !== level - 1) return -16;
            t = mem.read(e + HI, 'walk');
          }
          const lo = mem.load(tables.entry(t, indexAt(pfn, 1)) + LO, 'walk');
          if ((lo & PR) === 0) return -1 - (mode - 1);
          return mem.read(tables.entry(t, indexAt(pfn, 1)) + HI, 'walk');
        },
      };
    },

    audit(ctx, domain) {
      const m = ctx.mem.words;
      const s = ctx.domainState(domain);
      const root = m[s + ROOT];
      const mode = m[s + MODE];
      if (root === 0) return;
      if (m[s + DTE] !== ((root << 3) | mode)) ctx.report('dte-stale', domain, -1, -1, (root << 3) | mode, m[s + DTE]);
      const visit = (t, level, base) => {
        if (!ctx.table(t, level)) return;
        for (let i = 0; i < 512; i++) {
          const e = ctx.tables.entry(t, i);
          const lo = m[e + LO];
          if ((lo & PR) === 0) continue;
          const pfn = base + i * 2 ** (9 * (level - 1));
          if (level === 1) {
            ctx.mapping(pfn, m[e + HI]);
            continue;
          }
          if (nextLevelOf(lo) !== level - 1) ctx.report('table-corrupt', domain, pfn, level, level - 1, lo);
          else visit(m[e + HI], level - 1, pfn);
        }
      };
      visit(root, mode, 0);
    },
  });
}

/** The driver as Linux has it today: growth under the domain lock, the device table updated first, root and mode under a seqcount. */
export default amdV1({ name: 'amd-v1', increaseLocked: true, dteFirst: true, seqcount: true });
