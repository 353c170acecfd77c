/**
 * The final audit, on the main thread after every agent stopped: the page
 * tables must hold exactly what the devices believe they mapped (their live
 * shadows, a race's own expectations, the pre-mapped bounce pool), the
 * allocators exactly the IOVA ranges in use, cached or waiting for a flush,
 * the table pool exactly the reachable tables plus the free ones, and each
 * frame exactly the DMAs its owner made.
 *
 * The design's pieces say what they hold (the driver walks its tables, the
 * allocator names its allocated and cached ranges, the flush policy its
 * pending ones); the audit compares. Domains that share another's table (the
 * live switch's shared-table target) or IOVA space are audited once,
 * through their owner.
 */
import type { AllocatorAuditContext, AuditContext, FlushAuditContext, Mem } from '../api/types.js';
import {
  C_DMAS,
  DOM_IOVA_OWNER,
  DOM_OWNER,
  type Layout,
  SH_DOMAIN,
  SH_FRAME,
  SH_OFF,
  SH_PAGES,
  SH_STATE,
  SS_MAPPED,
  bounceFrame,
  bufferFrame,
  countersAt,
  domainAt,
} from '../memory/layout.js';
import { EngineTablePool, infoDomain, infoLevel, infoOf } from '../engine/table-pool.js';
import type { Design, PieceName } from '../engine/design.js';
import { type Invariant, V } from './invariants.js';
import type { AuditSummary, ViolationSample } from '../results/result.js';

/** Samples kept per invariant by the audit. */
const AUDIT_SAMPLES = 4;

export const formatIova = (pfn: number): string => '0x' + (pfn * 4096).toString(16).padStart(12, '0');

/** Violations found on the main thread (setup, a race's check, the audit): counted by code, the first few of each kept whole. */
export class Findings {
  readonly counts: number[];
  readonly samples: ViolationSample[] = [];
  constructor(private readonly invariants: readonly Invariant[]) {
    this.counts = new Array<number>(invariants.length).fill(0);
  }

  add(code: number, device: number, domain: number, pfn: number, level: number, expected: number, found: number): void {
    if (this.counts[code]! < AUDIT_SAMPLES) {
      this.samples.push({ invariant: this.invariants[code]!.name, device, domain, pfn, iova: pfn >= 0 ? formatIova(pfn) : null, level, expected, found, op: -1 });
    }
    this.counts[code]! += 1;
  }

  report(name: string, domain: number, pfn = -1, level = -1, expected = -1, found = -1): void {
    const inv = this.invariants.find((i) => i.name === name);
    if (!inv) throw new Error(`report(${JSON.stringify(name)}): no such invariant (declare it in the driver's or race's \`invariants\`)`);
    this.add(inv.code, -1, domain, pfn, level, expected, found);
  }
}

/** Mappings a race expects beside the devices' own (ctx.expect / ctx.unexpect in its setup and check). */
export type Expectations = Map<number, Map<number, number>>;

/** How the audit calls a piece's own audit: under the main thread's watchdog, in a run (engine/runtime.ts `call`). */
export type DesignCall = <T>(piece: PieceName, fn: string, f: () => T) => T;

export function audit(
  m: Int32Array,
  f: Float64Array,
  L: Layout,
  mem: Mem,
  d: Design,
  out: Findings,
  expectations: Expectations,
  agentDevices: readonly number[],
  call: DesignCall = (_p, _fn, g) => g(),
): AuditSummary {
  const owner = (x: number): number => m[domainAt(L, x) + DOM_OWNER]!;
  const iovaOwner = (x: number): number => m[domainAt(L, x) + DOM_IOVA_OWNER]!;
  const round = (p: number): number => (d.allocator.round ? d.allocator.round(p) : p);
  const pool = new EngineTablePool(mem, L);
  const bounce = L.bounceSlots > 0;

  // What the devices (and a race) believe: per table owner, pfn -> frame and device;
  // per IOVA owner, which window pages are in use (live or pending a flush).
  const expected: Map<number, { frame: number; device: number }>[] = [];
  const inUse: Uint8Array[] = [];
  for (let x = 0; x < L.domains; x++) {
    expected.push(new Map());
    inUse.push(new Uint8Array(L.windowPages));
  }
  const take = (x: number, off: number, pages: number): void => {
    const u = inUse[iovaOwner(x)]!;
    for (let i = 0; i < pages && off + i < L.windowPages; i++) if (off + i >= 0) u[off + i] = 1;
  };
  let liveBuffers = 0;
  if (bounce) {
    // pv-bounce: the pool is the only mapping, at the bottom of every window.
    for (let x = 0; x < L.tableDomains; x++) {
      for (let s = 0; s < L.bounceSlots; s++) {
        for (let i = 0; i < L.pages; i++) expected[owner(x)]!.set(L.iovaBasePfn + s * L.pages + i, { frame: bounceFrame(L, s) + i, device: -1 });
      }
      take(x, 0, L.bounceSlots * L.pages);
    }
  }
  for (let w = 0; w < L.workers; w++) {
    const device = Math.floor(w / L.queues);
    for (let s = 0; s < L.inflight; s++) {
      const at = L.shadows + w * L.shadowStride + s * 8;
      if (m[at + SH_STATE] !== SS_MAPPED) continue;
      liveBuffers++;
      if (bounce) continue;
      const x = m[at + SH_DOMAIN]!;
      const off = m[at + SH_OFF]!;
      const pages = m[at + SH_PAGES]!;
      const frame = m[at + SH_FRAME]!;
      for (let i = 0; i < pages; i++) expected[owner(x)]!.set(L.iovaBasePfn + off + i, { frame: frame + i, device });
      take(x, off, round(pages));
    }
  }
  // A race's own mappings (its setup said so): expected in the tables; their IOVAs are the race's, not the allocator's.
  for (const [x, maps] of expectations) {
    for (const [pfn, frame] of maps) expected[owner(x)]!.set(pfn, { frame, device: -1 });
  }
  if (d.flush.audit) {
    const fctx: FlushAuditContext = {
      mem,
      workers: L.agents,
      stateOf: (w) => L.flushWorker + w * L.flushWorkerStride,
      pending: (x, off, pages) => take(x, off, round(pages)),
    };
    call('flush', 'audit', () => d.flush.audit!(fctx));
  }

  // What the tables hold: the driver walks every table owner from its root.
  const reached = new Uint8Array(L.nTables);
  let mappedPages = 0;
  for (let x = 0; x < L.domains; x++) {
    if (owner(x) !== x) continue;
    const found = new Map<number, number>();
    const actx: AuditContext = {
      mem,
      domains: L.domains,
      config: d.config,
      domainState: (y) => L.driverDomain + y * L.driverDomainStride,
      deviceState: (y) => L.driverDevice + y * L.driverDeviceStride,
      tables: pool,
      table(t, level) {
        if (t <= 0 || t >= L.nTables) {
          out.add(V.TABLE_CORRUPT, -1, x, -1, level, 0, t);
          return false;
        }
        if (reached[t]) {
          out.add(V.AUDIT_TABLE_SHARED, -1, x, -1, level, 0, t);
          return false;
        }
        reached[t] = 1;
        const info = pool.infoOf(t);
        if (info !== infoOf(level, x)) out.add(V.AUDIT_TABLE_META, -1, x, -1, level, t, info);
        return true;
      },
      mapping(pfn, frame, pages = 1) {
        for (let i = 0; i < pages; i++) found.set(pfn + i, frame + i);
      },
      report: (name, y, pfn = -1, level = -1, e = -1, fd = -1) => out.report(name, y, pfn, level, e, fd),
    };
    call('driver', 'audit', () => d.driver.audit(actx, x));
    mappedPages += found.size;
    for (const [pfn, want] of expected[x]!) {
      const got = found.get(pfn);
      if (got !== want.frame) out.add(V.AUDIT_LOST, want.device, x, pfn, -1, want.frame, got ?? -1);
    }
    for (const [pfn, got] of found) if (!expected[x]!.has(pfn)) out.add(V.AUDIT_STRAY, -1, x, pfn, -1, -1, got);
  }

  // The allocators: every page in use is allocated, and every allocated page is in use or cached.
  let allocatedPages = 0;
  if (!bounce || L.tableDomains > 0) {
    for (let x = 0; x < L.domains; x++) {
      if (iovaOwner(x) !== x) continue;
      const allocated = new Uint8Array(L.windowPages);
      const cached = new Uint8Array(L.windowPages);
      const mark = (a: Uint8Array, off: number, pages: number): void => {
        for (let i = 0; i < pages; i++) if (off + i >= 0 && off + i < L.windowPages) a[off + i] = 1;
      };
      const ctx: AllocatorAuditContext = {
        mem,
        workers: L.agents,
        windowPages: L.windowPages,
        domainState: (y) => L.allocDomain + y * L.allocDomainStride,
        workerStateOf: (w, y) => L.allocWorker + (w * L.domains + y) * L.allocWorkerStride,
        allocated: (off, pages) => mark(allocated, off, pages),
        cached: (off, pages) => mark(cached, off, pages),
      };
      call('allocator', 'audit', () => d.allocator.audit(ctx, x));
      const used = inUse[x]!;
      for (let off = 0; off < L.windowPages; off++) {
        if (allocated[off]) allocatedPages++;
        if (allocated[off] && !used[off] && !cached[off]) out.add(V.AUDIT_IOVA_LEAK, -1, x, L.iovaBasePfn + off, -1, 0, 1);
        else if (!allocated[off] && used[off]) out.add(V.AUDIT_IOVA_LOST, -1, x, L.iovaBasePfn + off, -1, 1, 0);
      }
    }
  }

  // The pool: every table is reachable or free, never both, never twice free.
  const free = pool.freeList(L.nTables);
  const onList = new Uint8Array(L.nTables);
  for (const t of free) {
    const info = pool.infoOf(t);
    if (reached[t] || onList[t]) out.add(V.AUDIT_TABLE_SHARED, -1, infoDomain(info), -1, infoLevel(info), 0, t);
    onList[t] = 1;
  }
  let tablesInUse = 0;
  for (let t = 1; t < L.nTables; t++) {
    if (reached[t]) tablesInUse++;
    else if (!onList[t]) out.add(V.AUDIT_TABLE_LEAK, -1, infoDomain(pool.infoOf(t)), -1, infoLevel(pool.infoOf(t)), 0, t);
  }

  auditFrames(m, f, L, out, agentDevices);

  let livePages = 0;
  for (const e of expected) livePages += e.size;
  return {
    domains: L.domains,
    liveBuffers,
    livePages,
    mappedPages,
    tablesInUse,
    tablesFree: pool.freeCount(),
    tablePool: L.nTables - 1,
    iovaPagesAllocated: allocatedPages,
    done: true,
  };
}

/**
 * Frames: the DMAs that landed in a worker's frames are the DMAs it made
 * (per device where an agent acts as the device too). With a bounce pool
 * every DMA lands in the pool: compare the totals.
 */
function auditFrames(m: Int32Array, f: Float64Array, L: Layout, out: Findings, agentDevices: readonly number[]): void {
  const made = (a: number): number => f[countersAt(L, a) + C_DMAS]!;
  if (L.bounceSlots > 0) {
    let landed = 0;
    let total = 0;
    for (let i = 0; i < L.bounceSlots * L.pages; i++) landed += m[L.tags + i]!;
    for (let w = 0; w < L.workers; w++) total += made(w);
    if (landed !== total) out.add(V.FRAME_TAG, -1, -1, -1, -1, total, landed);
    return;
  }
  for (let dev = 0; dev < L.devices; dev++) {
    const sharedWithAgents = agentDevices.includes(dev);
    if (!sharedWithAgents) {
      for (let q = 0; q < L.queues; q++) {
        const w = dev * L.queues + q;
        const first = bufferFrame(L, w, 0);
        let landed = 0;
        for (let i = 0; i < L.framesPerWorker; i++) landed += m[L.tags + first + i]!;
        if (landed !== made(w)) out.add(V.FRAME_TAG, dev, -1, -1, -1, made(w), landed);
      }
      continue;
    }
    let landed = 0;
    let total = 0;
    const first = L.deviceFrames + dev * L.framesPerDevice;
    for (let i = 0; i < L.framesPerDevice; i++) landed += m[L.tags + first + i]!;
    for (let q = 0; q < L.queues; q++) total += made(dev * L.queues + q);
    agentDevices.forEach((ad, k) => {
      if (ad === dev) total += made(L.workers + k);
    });
    if (landed !== total) out.add(V.FRAME_TAG, dev, -1, -1, -1, total, landed);
  }
}
