/**
 * The final audit, on the main thread after every worker stopped: the page
 * tables must hold exactly the live shadows (and the pre-mapped bounce
 * pool), the allocators exactly the live, cached and flush-pending IOVA
 * ranges, the table pool exactly the reachable tables plus the free ones,
 * and each frame exactly the DMAs its owner made.
 *
 * Domains that share another's table (the live switch's shared-table domain)
 * or IOVA space are audited once, through their owner.
 */
import type { Config } from './config.js';
import {
  type Layout,
  C_DMAS,
  COUNT_STRIDE,
  DEPOT_MAGS,
  DOM_IOVA_OWNER,
  DOM_OWNER,
  DOM_ROOT,
  FQ_COUNT,
  FQ_HDR_WORDS,
  FQE_DOMAIN,
  FQE_OFF,
  FQE_PAGES,
  FQE_WORDS,
  MAG_ORDERS,
  SH_DOMAIN,
  SH_OFF,
  SH_PAGES,
  SH_STATE,
  SS_MAPPED,
  bounceFrame,
  countersAt,
  depotAt,
  domainAt,
  flushQueueAt,
  magazineAt,
  shadowAt,
  bufferFrame,
  SH_FRAME,
} from './layout.js';
import { ENTRIES, LEAF_LEVEL, PTE_LEAF, PTE_VALID, formatIova, pteTarget } from './pte.js';
import { TablePool, metaDomain, metaLevel, metaOf } from './table-pool.js';
import { IovaAllocator } from './iova.js';
import { depotCount, depotSlot, orderOf } from './rcache.js';
import {
  INVARIANTS,
  V_AUDIT_IOVA_LEAK,
  V_AUDIT_IOVA_LOST,
  V_AUDIT_LOST,
  V_AUDIT_STRAY,
  V_AUDIT_TABLE_COUNT,
  V_AUDIT_TABLE_LEAK,
  V_AUDIT_TABLE_META,
  V_AUDIT_TABLE_SHARED,
  V_FRAME_TAG,
  V_TABLE_CORRUPT,
  type ViolationSample,
} from './checker.js';
import type { Shared } from './memory.js';
import type { AuditSummary } from './result.js';

/** Samples kept per invariant by the audit. */
const AUDIT_SAMPLES = 4;

export interface AuditResult {
  summary: AuditSummary;
  counts: number[];
  samples: ViolationSample[];
}

class Findings {
  readonly counts = new Array<number>(INVARIANTS.length).fill(0);
  readonly samples: ViolationSample[] = [];

  add(code: number, device: number, domain: number, pfn: number, level: number, expected: number, found: number): void {
    if (this.counts[code]! < AUDIT_SAMPLES) {
      this.samples.push({
        invariant: INVARIANTS[code]!.name,
        device,
        domain,
        pfn,
        iova: pfn >= 0 ? formatIova(pfn) : null,
        level,
        expected,
        found,
        op: -1,
      });
    }
    this.counts[code]! += 1;
  }
}

/** Pages an allocation of `pages` took: magazines round cached sizes up to a power of two. */
const rangeOf = (cfg: Config, pages: number): number => (cfg.allocator === 'rcache' && orderOf(pages) >= 0 ? 1 << orderOf(pages) : pages);

export function audit(sh: Shared, cfg: Config): AuditResult {
  const { m, f, L } = sh;
  const out = new Findings();
  const pool = new TablePool(m, L);
  const iova = new IovaAllocator(m, L);
  const counts = cfg.tableStyle === 'refcount' || cfg.tableStyle === 'cmpxchg-free';
  const owner = (d: number): number => m[domainAt(L, d) + DOM_OWNER]!;
  const iovaOwner = (d: number): number => m[domainAt(L, d) + DOM_IOVA_OWNER]!;

  // What the devices believe: per table owner, pfn -> frame and device;
  // per IOVA owner, which window pages are in use (live, cached, pending).
  const expected: Map<number, { frame: number; device: number }>[] = [];
  const inUse: Uint8Array[] = [];
  for (let d = 0; d < L.domains; d++) {
    expected.push(new Map());
    inUse.push(new Uint8Array(L.windowPages));
  }
  const take = (d: number, off: number, pages: number): void => {
    for (let i = 0; i < pages && off + i < L.windowPages; i++) inUse[iovaOwner(d)]![off + i] = 1;
  };
  let liveBuffers = 0;
  if (L.bounceSlots > 0) {
    // pv-bounce: the pool is the only mapping, at the bottom of every window.
    for (let d = 0; d < L.tableDomains; d++) {
      for (let s = 0; s < L.bounceSlots; s++) {
        for (let i = 0; i < L.pages; i++) expected[owner(d)]!.set(L.iovaBasePfn + s * L.pages + i, { frame: bounceFrame(L, s) + i, device: -1 });
      }
      take(d, 0, L.bounceSlots * L.pages);
    }
  }
  for (let w = 0; w < L.workers; w++) {
    const device = Math.floor(w / L.queues);
    for (let s = 0; s < L.inflight; s++) {
      const at = shadowAt(L, w, s);
      if (m[at + SH_STATE] !== SS_MAPPED) continue;
      liveBuffers++;
      if (L.bounceSlots > 0) continue;
      const d = m[at + SH_DOMAIN]!;
      const off = m[at + SH_OFF]!;
      const pages = m[at + SH_PAGES]!;
      const frame = m[at + SH_FRAME]!;
      for (let i = 0; i < pages; i++) expected[owner(d)]!.set(L.iovaBasePfn + off + i, { frame: frame + i, device });
      take(d, off, rangeOf(cfg, pages));
    }
    if (L.fqSize > 0 && cfg.flush === 'deferred') {
      const fq = flushQueueAt(L, w);
      for (let i = 0; i < m[fq + FQ_COUNT]!; i++) {
        const e = fq + FQ_HDR_WORDS + i * FQE_WORDS;
        take(m[e + FQE_DOMAIN]!, m[e + FQE_OFF]!, rangeOf(cfg, m[e + FQE_PAGES]!));
      }
    }
    if (L.magazines > 0) {
      for (let d = 0; d < L.tableDomains; d++) {
        for (let order = 0; order < MAG_ORDERS; order++) {
          for (let which = 0; which < 2; which++) {
            const mag = magazineAt(L, w, d, order, which);
            for (let i = 0; i < m[mag]!; i++) take(d, m[mag + 1 + i]!, 1 << order);
          }
        }
      }
    }
  }
  if (L.depots > 0) {
    for (let d = 0; d < L.tableDomains; d++) {
      for (let order = 0; order < MAG_ORDERS; order++) {
        const depot = depotAt(L, d, order);
        for (let k = 0; k < Math.min(depotCount(m, depot), DEPOT_MAGS); k++) {
          const mag = depotSlot(depot, k);
          for (let i = 0; i < m[mag]!; i++) take(d, m[mag + 1 + i]!, 1 << order);
        }
      }
    }
  }

  // What the tables hold: walk every table owner from its root.
  const reached = new Uint8Array(L.nTables);
  let mappedPages = 0;
  for (let d = 0; d < L.domains; d++) {
    if (owner(d) !== d) continue;
    const found = new Map<number, number>();
    const root = m[domainAt(L, d) + DOM_ROOT]!;
    reached[root] = 1;
    const visit = (t: number, level: number, pfnBase: number): void => {
      const meta = m[L.poolMeta + t]!;
      if (meta !== metaOf(level, d)) out.add(V_AUDIT_TABLE_META, -1, d, pfnBase, level, t, meta);
      let valid = 0;
      for (let i = 0; i < ENTRIES; i++) {
        const e = m[L.tables + t * ENTRIES + i]!;
        if ((e & PTE_VALID) === 0) continue;
        valid++;
        const pfn = pfnBase + i * 2 ** (9 * (LEAF_LEVEL - level));
        if (level === LEAF_LEVEL) {
          if ((e & PTE_LEAF) === 0) out.add(V_TABLE_CORRUPT, -1, d, pfn, level, 0, e);
          else found.set(pfn, pteTarget(e));
          continue;
        }
        const next = pteTarget(e);
        if ((e & PTE_LEAF) !== 0 || next === 0 || next >= L.nTables) {
          out.add(V_TABLE_CORRUPT, -1, d, pfn, level, 0, e);
          continue;
        }
        if (reached[next]) {
          out.add(V_AUDIT_TABLE_SHARED, -1, d, pfn, level + 1, 0, next);
          continue;
        }
        reached[next] = 1;
        visit(next, level + 1, pfn);
      }
      if (counts && t !== root && m[L.poolCount + t * COUNT_STRIDE] !== valid) {
        out.add(V_AUDIT_TABLE_COUNT, -1, d, pfnBase, level, valid, m[L.poolCount + t * COUNT_STRIDE]!);
      }
    };
    visit(root, 0, 0);
    mappedPages += found.size;

    for (const [pfn, want] of expected[d]!) {
      const got = found.get(pfn);
      if (got !== want.frame) out.add(V_AUDIT_LOST, want.device, d, pfn, LEAF_LEVEL, want.frame, got ?? -1);
    }
    for (const [pfn, got] of found) {
      if (!expected[d]!.has(pfn)) out.add(V_AUDIT_STRAY, -1, d, pfn, LEAF_LEVEL, -1, got);
    }
  }

  // The allocators: every page in use is allocated, and nothing else is.
  let allocatedPages = 0;
  for (let d = 0; d < L.domains; d++) {
    if (iovaOwner(d) !== d) continue;
    for (let off = 0; off < L.windowPages; off++) {
      const allocated = iova.isAllocated(d, off);
      if (allocated) allocatedPages++;
      const used = inUse[d]![off] === 1;
      if (allocated && !used) out.add(V_AUDIT_IOVA_LEAK, -1, d, L.iovaBasePfn + off, -1, 0, 1);
      else if (!allocated && used) out.add(V_AUDIT_IOVA_LOST, -1, d, L.iovaBasePfn + off, -1, 1, 0);
    }
  }

  // The pool: every table is reachable or free, never both, never twice free.
  const free = pool.freeList(L.nTables);
  const onList = new Uint8Array(L.nTables);
  for (const t of free) {
    if (reached[t] || onList[t]) out.add(V_AUDIT_TABLE_SHARED, -1, metaDomain(m[L.poolMeta + t]!), -1, metaLevel(m[L.poolMeta + t]!), 0, t);
    onList[t] = 1;
  }
  let inUseTables = 0;
  for (let t = 1; t < L.nTables; t++) {
    if (reached[t]) inUseTables++;
    else if (!onList[t]) out.add(V_AUDIT_TABLE_LEAK, -1, metaDomain(m[L.poolMeta + t]!), -1, metaLevel(m[L.poolMeta + t]!), 0, t);
  }

  auditFrames(m, f, L, out);

  let livePages = 0;
  for (const e of expected) livePages += e.size;
  return {
    summary: {
      domains: L.domains,
      liveBuffers,
      livePages,
      mappedPages,
      tablesInUse: inUseTables,
      tablesFree: pool.freeCount(),
      tablePool: L.nTables - 1,
      iovaPagesAllocated: allocatedPages,
    },
    counts: out.counts,
    samples: out.samples,
  };
}

/**
 * Frames: the DMAs that landed in a worker's frames are the DMAs it made.
 * With a bounce pool every DMA lands in the pool: compare the totals.
 */
function auditFrames(m: Int32Array, f: Float64Array, L: Layout, out: Findings): void {
  if (L.bounceSlots > 0) {
    let landed = 0;
    let made = 0;
    for (let i = 0; i < L.bounceSlots * L.pages; i++) landed += m[L.tags + i]!;
    for (let w = 0; w < L.workers; w++) made += f[countersAt(L, w) + C_DMAS]!;
    if (landed !== made) out.add(V_FRAME_TAG, -1, -1, -1, -1, made, landed);
    return;
  }
  for (let w = 0; w < L.workers; w++) {
    const first = bufferFrame(L, w, 0);
    let landed = 0;
    for (let i = 0; i < L.framesPerWorker; i++) landed += m[L.tags + first + i]!;
    const made = f[countersAt(L, w) + C_DMAS]!;
    if (landed !== made) out.add(V_FRAME_TAG, Math.floor(w / L.queues), -1, -1, -1, made, landed);
  }
}
