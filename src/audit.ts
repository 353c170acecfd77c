/**
 * The final audit, on the main thread after every worker stopped: the page
 * tables must hold exactly the live shadows, the allocators exactly the live
 * IOVA ranges, the table pool exactly the reachable tables plus the free
 * ones, and each frame exactly its own device's DMAs.
 */
import {
  C_DMAS,
  DOM_ROOT,
  SH_DOMAIN,
  SH_OFF,
  SH_PAGES,
  SH_STATE,
  SS_MAPPED,
  countersAt,
  domainAt,
  shadowAt,
  slotFrame,
} from './layout.js';
import { ENTRIES, LEAF_LEVEL, PTE_LEAF, PTE_VALID, formatIova, pteTarget } from './pte.js';
import { TablePool, metaDomain, metaLevel, metaOf } from './table-pool.js';
import { IovaAllocator } from './iova.js';
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

export function audit(sh: Shared, refcount: boolean): AuditResult {
  const { m, f, L } = sh;
  const out = new Findings();
  const pool = new TablePool(m, L);
  const iova = new IovaAllocator(m, L);

  // What the devices believe: per domain, pfn -> [frame, device].
  const expected: Map<number, { frame: number; device: number }>[] = [];
  const liveIova: Uint8Array[] = [];
  for (let d = 0; d < L.domains; d++) {
    expected.push(new Map());
    liveIova.push(new Uint8Array(L.windowPages));
  }
  let liveBuffers = 0;
  for (let w = 0; w < L.workers; w++) {
    const device = Math.floor(w / L.queues);
    for (let s = 0; s < L.inflight; s++) {
      const at = shadowAt(L, w, s);
      if (m[at + SH_STATE] !== SS_MAPPED) continue;
      liveBuffers++;
      const d = m[at + SH_DOMAIN]!;
      const off = m[at + SH_OFF]!;
      const frame = slotFrame(L, w, s);
      for (let i = 0; i < m[at + SH_PAGES]!; i++) {
        expected[d]!.set(L.iovaBasePfn + off + i, { frame: frame + i, device });
        liveIova[d]![off + i] = 1;
      }
    }
  }

  // What the tables hold: walk every domain from its root.
  const reached = new Uint8Array(L.nTables);
  let mappedPages = 0;
  for (let d = 0; d < L.domains; d++) {
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
      if (refcount && t !== root && m[L.poolCount + t] !== valid) {
        out.add(V_AUDIT_TABLE_COUNT, -1, d, pfnBase, level, valid, m[L.poolCount + t]!);
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

    for (let off = 0; off < L.windowPages; off++) {
      const allocated = iova.isAllocated(d, off);
      const live = liveIova[d]![off] === 1;
      if (allocated && !live) out.add(V_AUDIT_IOVA_LEAK, -1, d, L.iovaBasePfn + off, -1, 0, 1);
      else if (!allocated && live) out.add(V_AUDIT_IOVA_LOST, -1, d, L.iovaBasePfn + off, -1, 1, 0);
    }
  }

  // The pool: every table is reachable or free, never both, never twice free.
  const free = pool.freeList(L.nTables);
  const onList = new Uint8Array(L.nTables);
  for (const t of free) {
    if (reached[t] || onList[t]) out.add(V_AUDIT_TABLE_SHARED, -1, metaDomain(m[L.poolMeta + t]!), -1, metaLevel(m[L.poolMeta + t]!), 0, t);
    onList[t] = 1;
  }
  let inUse = 0;
  for (let t = 1; t < L.nTables; t++) {
    if (reached[t]) inUse++;
    else if (!onList[t]) out.add(V_AUDIT_TABLE_LEAK, -1, metaDomain(m[L.poolMeta + t]!), -1, metaLevel(m[L.poolMeta + t]!), 0, t);
  }

  // Frames: the DMAs that landed in a worker's frames are the DMAs it made.
  for (let w = 0; w < L.workers; w++) {
    const first = slotFrame(L, w, 0);
    let landed = 0;
    for (let i = 0; i < L.framesPerWorker; i++) landed += m[L.tags + first + i]!;
    const made = f[countersAt(L, w) + C_DMAS]!;
    if (landed !== made) out.add(V_FRAME_TAG, Math.floor(w / L.queues), -1, -1, -1, made, landed);
  }

  let allocatedPages = 0;
  for (let d = 0; d < L.domains; d++) for (let off = 0; off < L.windowPages; off++) if (iova.isAllocated(d, off)) allocatedPages++;

  return {
    summary: {
      domains: L.domains,
      liveBuffers,
      livePages: expected.reduce((n, e) => n + e.size, 0),
      mappedPages,
      tablesInUse: inUse,
      tablesFree: pool.freeCount(),
      tablePool: L.nTables - 1,
      iovaPagesAllocated: allocatedPages,
    },
    counts: out.counts,
    samples: out.samples,
  };
}
