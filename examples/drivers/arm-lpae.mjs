/**
 * A user's page-table driver: Arm's LPAE tables as io-pgtable-arm writes them
 * since it went lockless (drivers/iommu/io-pgtable-arm.c,
 * arm_lpae_install_table()), written only through the public API of
 * iommu-stress. Four levels of 512 one-word entries; a missing table is
 * installed by a relaxed cmpxchg into its parent entry (the loser frees its
 * copy); unmapping a whole table's range clears the parent entry and frees
 * the table, as __arm_lpae_unmap() does for a table-sized unmap. Map and
 * unmap take no lock.
 *
 * What the CPU writes to a new table (the allocator's zeroing) must be
 * visible to the IOMMU's walker before the entry that publishes the table
 * is: the kernel puts dma_wmb() before the cmpxchg ("Ensure the table
 * itself is visible before its PTE can be", arm_lpae_install_table()).
 * `lpae({ wmb: false })` leaves it out, and a walker that reads the new
 * entry may then read the table's old contents.
 *
 * Entries: bit 0 valid, bit 1 table (else a leaf), the table or frame from
 * bit 2. Level 0 is the root; level 3 holds the 4 KiB leaves.
 */
import { defineDriver } from 'iommu-stress';

const VALID = 1;
const TABLE = 2;
const SHIFT = 2;
const LEVELS = 4;
const LEAF = LEVELS - 1;
const tablePte = (t) => (t << SHIFT) | TABLE | VALID;
const leafPte = (frame) => (frame << SHIFT) | VALID;
/** Index of `pfn` in a table of `level`. */
const indexAt = (pfn, level) => Math.floor(pfn / 2 ** (9 * (LEAF - level))) % 512;

/** @param {{ wmb: boolean, name?: string }} o */
export function lpae(o) {
  return defineDriver({
    name: o.name ?? (o.wmb ? 'arm-lpae' : 'arm-lpae-no-wmb'),
    summary: `Arm LPAE tables, lock-free: a missing table installed by cmpxchg_relaxed ${o.wmb ? 'after dma_wmb()' : 'with NO dma_wmb() before it'}, a table-sized unmap frees its table`,
    source: 'drivers/iommu/io-pgtable-arm.c: arm_lpae_install_table(), __arm_lpae_unmap()',
    broken: !o.wmb,
    table: { entries: 512 },
    domainWords: 1,
    levels: 'level 0 is the root; level 3 holds the 4 KiB leaves',

    initDomain(ctx, domain) {
      const root = ctx.tables.alloc(0, domain);
      if (root === 0) throw new Error('the table pool has no room for the domain roots');
      ctx.mem.store(ctx.domainState(domain), root);
    },

    create(ctx) {
      const { mem, tables } = ctx;
      // The root never changes after initDomain: read as a plain word, no schedule point.
      const rootOf = (domain) => mem.words[ctx.domainState(domain)];
      const entry = (t, pfn, level) => tables.entry(t, indexAt(pfn, level));

      /** arm_lpae_install_table(): a fresh (zeroed) table into the entry at `at`; the entry there now (ours or the winner's), 0 with no table left. */
      function install(domain, at, level) {
        const fresh = tables.alloc(level, domain);
        if (fresh === 0) return 0;
        // "Ensure the table itself is visible before its PTE can be."
        if (o.wmb) mem.fence('wmb', 'dma_wmb');
        const old = mem.casRelaxed(at, 0, tablePte(fresh), 'pte-install');
        if (old === 0) return tablePte(fresh);
        tables.free(fresh);
        return old;
      }

      /** The leaf table of `pfn` (building what is missing if `build`), or 0; the level-2 entry that points to it in `parentAt`. */
      let parentAt = 0;
      function leafTable(domain, pfn, build) {
        let t = rootOf(domain);
        for (let level = 0; level < LEAF; level++) {
          const at = entry(t, pfn, level);
          let e = mem.readOnce(at, 'pte-read');
          if ((e & VALID) === 0) {
            if (!build || (e = install(domain, at, level + 1)) === 0) return 0;
          }
          if ((e & TABLE) === 0) {
            ctx.report('table-corrupt', domain, pfn, level, 0, e);
            return 0;
          }
          parentAt = at;
          t = e >>> SHIFT;
        }
        return t;
      }

      return {
        map(domain, pfn, pages, frame) {
          for (let i = 0; i < pages; i++) {
            const t = leafTable(domain, pfn + i, true);
            if (t === 0) return false;
            const at = entry(t, pfn + i, LEAF);
            const old = mem.readOnce(at, 'leaf-read');
            if ((old & VALID) !== 0) ctx.report('map-over-live', domain, pfn + i, LEAF, 0, old);
            mem.writeOnce(at, leafPte(frame + i), 'leaf-write');
          }
          return true;
        },

        unmap(domain, pfn, pages) {
          let n = 0;
          for (let i = 0; i < pages; ) {
            const p = pfn + i;
            const t = leafTable(domain, p, false);
            if (t === 0) {
              ctx.cleared(p, -1, LEAF);
              i++;
              continue;
            }
            // A whole table's range: the table goes with it, its entries as they are (__arm_lpae_unmap frees the sub-table).
            if (p % 512 === 0 && pages - i >= 512) {
              const parent = parentAt;
              for (let j = 0; j < 512; j++) {
                const e = mem.readOnce(tables.entry(t, j), 'leaf-read');
                if ((e & VALID) !== 0) n++;
                ctx.cleared(p + j, (e & VALID) !== 0 ? e >>> SHIFT : -1, LEAF);
              }
              mem.exchange(parent, 0, 'table-clear');
              ctx.tlb.invalidate(domain, p, 512);
              tables.free(t);
              i += 512;
              continue;
            }
            const old = mem.exchange(entry(t, p, LEAF), 0, 'leaf-clear');
            if ((old & VALID) !== 0) n++;
            ctx.cleared(p, (old & VALID) !== 0 ? old >>> SHIFT : -1, LEAF);
            ctx.tlb.invalidate(domain, p, 1);
            i++;
          }
          return n;
        },

        /** The IOMMU's walk: every read is the hardware's (iommu-stress records it so, whatever accessor it calls). */
        walk(domain, pfn) {
          let t = rootOf(domain);
          for (let level = 0; level < LEAF; level++) {
            const e = mem.readOnce(entry(t, pfn, level), 'walk');
            if ((e & VALID) === 0) return -1 - level;
            if ((e & TABLE) === 0) return -16;
            t = e >>> SHIFT;
          }
          const e = mem.readOnce(entry(t, pfn, LEAF), 'walk');
          if ((e & VALID) === 0) return -1 - LEAF;
          if ((e & TABLE) !== 0) return -16;
          return e >>> SHIFT;
        },
      };
    },

    audit(ctx, domain) {
      const m = ctx.mem.words;
      const visit = (t, level, base) => {
        if (!ctx.table(t, level)) return;
        for (let i = 0; i < 512; i++) {
          const e = m[ctx.tables.entry(t, i)];
          if ((e & VALID) === 0) continue;
          const pfn = base + i * 2 ** (9 * (LEAF - level));
          if (level === LEAF) ctx.mapping(pfn, e >>> SHIFT);
          else if ((e & TABLE) === 0) ctx.report('table-corrupt', domain, pfn, level, 0, e);
          else visit(e >>> SHIFT, level + 1, pfn);
        }
      };
      visit(m[ctx.domainState(domain)], 0, 0);
    },
  });
}

/** The driver as Linux has it: dma_wmb() before every table install. */
export default lpae({ wmb: true });
