/**
 * cmpxchg: page tables written as io-pgtable-arm writes them since it went
 * lockless (2c3d273eabe8, "iommu/io-pgtable-arm: Support lockless
 * operation", 2017). A missing table is installed by compare-and-swap and
 * the loser frees its copy; tables live until the domain dies; leaves are
 * written and cleared with atomics. Writers of disjoint IOVAs need no lock.
 *
 * `cmpxchgDriver` also writes the same tables under a domain lock
 * (cmpxchg-locked.ts), and two ways wrong (broken/): installs with a plain
 * store, and tables freed under a walker.
 */
import { defineDriver } from '../api/define.js';
import type { DriverDef } from '../api/types.js';
import {
  ENTRIES,
  LEAF_LEVEL,
  LEVEL_NOTE,
  LEVELS,
  PROT_RW,
  PTE_LEAF,
  PTE_SHIFT,
  PTE_VALID,
  auditRadix,
  levelIndex,
  mkLeafPte,
  mkTablePte,
  walkRadix,
} from './radix.js';

const META_COUNT = 0;
const DOM_ROOT = 0;

export interface CmpxchgOptions {
  name: string;
  summary: string;
  source: string;
  /** How a missing table is installed: compare-and-swap (the loser frees its copy), or BROKEN a plain store. */
  install: 'cas' | 'store';
  /** BROKEN: free a table when its atomic live count reaches zero, with no lock and no grace period. */
  freeEmpty: boolean;
  /** A domain lock around map and unmap (arm-smmu's pgtbl_lock before it went), or none. */
  domainLock: boolean;
  broken?: boolean;
}

export function cmpxchgDriver(o: CmpxchgOptions): DriverDef {
  const counts = o.freeEmpty;
  return defineDriver({
    name: o.name,
    summary: o.summary,
    source: o.source,
    ...(o.broken ? { broken: true } : {}),
    table: { entries: ENTRIES, entryWords: 1, metaWords: counts ? 1 : 0 },
    domainWords: 1,
    levels: LEVEL_NOTE,
    locks: o.domainLock ? { pgtable: { per: 'domain', kernelName: '&smmu_domain->pgtbl_lock', guardsTables: true } } : {},

    initDomain(ctx, domain) {
      const root = ctx.tables.alloc(0, domain);
      if (root === 0) throw new Error('the table pool has no room for the domain roots');
      ctx.mem.store(ctx.domainState(domain), root);
    },

    create(ctx) {
      const mem = ctx.mem;
      const tables = ctx.tables;
      // One-word entries: the address of entry i of table t, inline (TablePool.entry's arithmetic).
      const base = tables.base;
      const tw = tables.tableWords;
      const count = tables.count;
      const lc = o.domainLock ? ctx.locks.pgtable! : null;
      const cas = o.install === 'cas';
      const pathTable = new Int32Array(LEVELS);
      const pathEntry = new Int32Array(LEVELS);
      let stopLevel = 0;
      // The root never changes after initDomain: a plain read, not a schedule point.
      const rootOf = (domain: number): number => mem.words[ctx.domainState(domain) + DOM_ROOT]!;

      /** Install a table at `at`: returns the entry now there (ours, or the winner's), 0 if the pool is empty. */
      function install(domain: number, parent: number, at: number, level: number): number {
        const fresh = tables.alloc(level, domain);
        if (fresh === 0) return 0;
        const pte = mkTablePte(fresh);
        if (!cas) {
          // BROKEN: two mappers that both found the entry empty both store; the second wins, the first mapper's leaves go into a table nobody reaches.
          mem.store(at, pte, 'pte-install');
          return pte;
        }
        const old = mem.cas(at, 0, pte, 'pte-install');
        if (old !== 0) {
          tables.free(fresh);
          return old;
        }
        if (counts) mem.add(tables.meta(parent) + META_COUNT, 1, 'count-add');
        return pte;
      }

      function descend(domain: number, pfn: number, build: boolean): number {
        let t = rootOf(domain);
        for (let level = 0; level < LEAF_LEVEL; level++) {
          const at = base + t * tw + levelIndex(pfn, level);
          pathTable[level] = t;
          pathEntry[level] = at;
          let e = mem.load(at, 'pte-read');
          if ((e & PTE_VALID) === 0) {
            if (!build || (e = install(domain, t, at, level + 1)) === 0) {
              stopLevel = level;
              return 0;
            }
          }
          const next = e >>> PTE_SHIFT;
          if ((e & PTE_LEAF) !== 0 || next >= count || next === 0) {
            ctx.report('table-corrupt', domain, pfn, level, 0, e);
            stopLevel = level;
            return 0;
          }
          t = next;
        }
        pathTable[LEAF_LEVEL] = t;
        return t;
      }

      /** BROKEN (freeEmpty): unlink an empty table if its parent still points at it, and free it at once: a walker or mapper still inside reads or writes a freed, perhaps reused, table. */
      function freeEmpty(): void {
        for (let level = LEAF_LEVEL; level > 0; level--) {
          const t = pathTable[level]!;
          if (mem.load(tables.meta(t) + META_COUNT, 'count-read') > 0) return;
          if (mem.cas(pathEntry[level - 1]!, mkTablePte(t), 0, 'table-free') !== mkTablePte(t)) return;
          tables.free(t);
          if (mem.add(tables.meta(pathTable[level - 1]!) + META_COUNT, -1, 'count-add') - 1 > 0) return;
        }
      }

      function mapAll(domain: number, pfn: number, pages: number, frame: number): boolean {
        let done = 0;
        while (done < pages) {
          const p = pfn + done;
          const t = descend(domain, p, true);
          if (t === 0) return false;
          const idx = p & (ENTRIES - 1);
          const n = Math.min(pages - done, ENTRIES - idx);
          for (let j = 0; j < n; j++) {
            const at = base + t * tw + idx + j;
            const old = mem.load(at, 'leaf-read');
            if ((old & PTE_VALID) !== 0) ctx.report('map-over-live', domain, p + j, LEAF_LEVEL, 0, old);
            mem.store(at, mkLeafPte(frame + done + j, PROT_RW), 'leaf-write');
          }
          if (counts) mem.add(tables.meta(t) + META_COUNT, n, 'count-add');
          done += n;
        }
        return true;
      }

      function unmapAll(domain: number, pfn: number, pages: number): number {
        let done = 0;
        let cleared = 0;
        while (done < pages) {
          const p = pfn + done;
          const idx = p & (ENTRIES - 1);
          const n = Math.min(pages - done, ENTRIES - idx);
          const t = descend(domain, p, false);
          if (t === 0) {
            for (let j = 0; j < n; j++) ctx.cleared(p + j, -1, stopLevel);
            done += n;
            continue;
          }
          let gone = 0;
          for (let j = 0; j < n; j++) {
            const old = mem.exchange(base + t * tw + idx + j, 0, 'leaf-clear');
            if ((old & PTE_VALID) === 0) {
              ctx.cleared(p + j, -1, LEAF_LEVEL);
            } else {
              gone++;
              ctx.cleared(p + j, old >>> PTE_SHIFT, LEAF_LEVEL);
            }
          }
          ctx.tlb.invalidate(domain, p, n);
          cleared += gone;
          if (counts && mem.add(tables.meta(t) + META_COUNT, -gone, 'count-add') - gone <= 0) freeEmpty();
          done += n;
        }
        return cleared;
      }

      return {
        map(domain, pfn, pages, frame) {
          const l = lc === null ? -1 : lc.of(domain);
          if (l >= 0) lc!.acquire(l);
          const ok = mapAll(domain, pfn, pages, frame);
          if (l >= 0) lc!.release(l);
          return ok;
        },
        unmap(domain, pfn, pages) {
          const l = lc === null ? -1 : lc.of(domain);
          if (l >= 0) lc!.acquire(l);
          const n = unmapAll(domain, pfn, pages);
          if (l >= 0) lc!.release(l);
          return n;
        },
        walk(domain, pfn) {
          return walkRadix(mem, tables, rootOf(domain), pfn);
        },
      };
    },

    audit(ctx, domain) {
      const m = ctx.mem.words;
      auditRadix(ctx, domain, m[ctx.domainState(domain) + DOM_ROOT]!, counts ? (t) => m[ctx.tables.meta(t) + META_COUNT]! : null);
    },
  });
}

export const cmpxchg = cmpxchgDriver({
  name: 'cmpxchg',
  summary: 'io-pgtable-arm, lockless: tables installed by cmpxchg (the loser frees its copy) and kept until the domain dies; no lock',
  source: 'drivers/iommu/io-pgtable-arm.c (2c3d273eabe8, lockless operation, 2017)',
  install: 'cas',
  freeEmpty: false,
  domainLock: false,
});
