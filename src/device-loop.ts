/**
 * The device loop: what one worker thread does, as one queue of one DMA
 * device. Every operation completes one in-flight buffer when the ring is
 * full and issues a new one:
 *
 *   complete: unmap (one call per granule, under the page-table lock),
 *             invalidate the IOTLB (strict) or queue the range (deferred),
 *             probe that the IOVA no longer translates, free the IOVA
 *             (magazine, depot or allocator)
 *   issue:    allocate an IOVA range, map its pages, DMA each page (IOTLB,
 *             then the hardware walk) and check it lands on the device's own
 *             frame; with --dma-live, DMA into one older live buffer too
 *
 * pv-hypercall adds a hypercall to every map and unmap call; pv-bounce
 * replaces mapping with a slot of a pre-mapped pool and a copy of real bytes.
 *
 * Hot path rules: nothing allocated, no closures, no timestamps unless a lock
 * was found held (or a hold or latency is sampled). Progress, phase and the
 * trace ring are plain stores the watchdog and the reports read.
 */
import { type RecordableHistogram, createHistogram, performance } from 'node:perf_hooks';
import type { Config } from './config.js';
import type { DeviceHistograms, DeviceTask } from './messages.js';
import { type LockAlgorithm, LK_CLOCK, LK_HOLDER, LK_LAST, QNODE_WORDS } from './locks/lock.js';
import { lockByName } from './locks/registry.js';
import {
  type Layout,
  CTL_FQ_TICK,
  CTL_GO,
  CTL_READY,
  CTL_STOP,
  C_DMAS,
  C_END_MS,
  C_FLUSHES,
  C_LOCKSTAT,
  C_MAP_CALLS,
  C_OPS,
  C_PAGES,
  C_PROBES,
  C_STALE,
  C_START_MS,
  C_STOP_CODE,
  C_UNMAP_CALLS,
  DEV_DOMAIN,
  DEV_LOCK,
  DOM_ALLOC_LOCK,
  DOM_IOVA_OWNER,
  DOM_OWNER,
  DOM_PT_LOCK,
  DOM_ROOT,
  FQ_COUNT,
  FQ_HDR_WORDS,
  FQ_TICK,
  FQE_DOMAIN,
  FQE_OFF,
  FQE_PAGES,
  FQE_WORDS,
  LC_BOUNCE,
  LC_DEPOT,
  LC_DEVICE,
  LC_IOVA,
  LC_PGTABLE,
  LS_ACQ,
  LS_ACQ_BOUNCES,
  LS_CON_BOUNCES,
  LS_CONT,
  LS_FIELDS,
  LS_HOLD_MAX,
  LS_HOLD_MIN,
  LS_HOLD_SAMPLES,
  LS_HOLD_TOTAL,
  LS_WAIT_MAX,
  LS_WAIT_MIN,
  LS_WAIT_TOTAL,
  MAG_WORDS,
  NUM_LOCK_CLASSES,
  PH_ALLOC,
  PH_DMA,
  PH_FREE,
  PH_IDLE,
  PH_MAP,
  PH_UNMAP,
  SH_DOMAIN,
  SH_OFF,
  SH_PAGES,
  SH_STATE,
  SS_EMPTY,
  SS_MAPPED,
  SS_MAPPING,
  SS_UNMAPPING,
  W_DOMAIN,
  W_IOVA,
  W_PHASE,
  W_PROGRESS,
  W_STATUS,
  W_WAIT_LOCK,
  W_WORDS,
  WS_DONE,
  WS_RUNNING,
  bounceFrame,
  bounceLockId,
  bufferByteAt,
  countersAt,
  depotAt,
  depotLockId,
  deviceAt,
  deviceOfWorker,
  domainAt,
  flushQueueAt,
  lockLine,
  magazineAt,
  pasidAt,
  pasidOfWorker,
  poolByteAt,
  qnodeAt,
  queueOfWorker,
  shadowAt,
  bufferFrame,
  SH_FRAME,
  BUFFER_SETS,
  traceAt,
  workerAt,
} from './layout.js';
import { PTE_SHIFT, faultLevel } from './pte.js';
import { PageTables } from './pgtable.js';
import { IovaAllocator, NO_IOVA } from './iova.js';
import { Iotlb, TLB_MISS, busyWaitNs, invalidateDomain, invalidateRange } from './iotlb.js';
import { depotCount, depotFull, depotPop, depotPush, magEmpty, magFull, magPop, magPush, magSwap, orderOf } from './rcache.js';
import { BouncePool, NO_SLOT } from './bounce.js';
import {
  V_DMA_AFTER_UNMAP,
  V_DMA_FAULT,
  V_DMA_WRONG_FRAME,
  V_IOVA_DOUBLE_FREE,
  V_IOVA_EXHAUSTED,
  V_POOL_EXHAUSTED,
  ViolationLog,
} from './checker.js';
import { seedState, xorshift32 } from './prng.js';
import { T_ALLOC, T_DMA, T_FLUSH, T_FREE, T_MAP, T_UNMAP, T_VIOLATION, traceEvent } from './trace.js';
import { P_DOMAIN, P_IOVA_ALLOC, P_IOVA_FREE, P_MAGAZINE, P_OP, P_START, SCHED, P_FLUSH } from './sched.js';

/** Nanoseconds since a performance.now() reading, at least 1 (histograms record integers >= 1). */
function nsSince(t0: number): number {
  const ns = Math.round((performance.now() - t0) * 1e6);
  return ns < 1 ? 1 : ns;
}

const SCOPE_DOMAIN = 0;
const SCOPE_DEVICE = 1;
const SCOPE_NONE = 2;
/** A word in the worker's state line nobody ever notifies (hold-forever parks on it). */
const W_PARK = W_WORDS - 1;


export class DeviceLoop {
  private readonly m: Int32Array;
  private readonly f: Float64Array;
  private readonly bytes: Uint8Array;
  private readonly L: Layout;
  private readonly cfg: Config;
  private readonly alg: LockAlgorithm;
  readonly worker: number;
  readonly device: number;
  /** Worker id + 1: what lock lines record as holder. */
  private readonly self: number;
  private readonly ws: number;
  private readonly cb: number;
  private readonly dev: number;
  private readonly qnode: number;
  private readonly scope: number;
  /** Time the holds of one operation in holdMask + 1; -1: never. */
  private readonly holdMask: number;
  /** This operation's acquisitions have their holds timed. */
  private holdTimed = false;
  private readonly holdStart = new Float64Array(NUM_LOCK_CLASSES);
  /** Lock class of the page-table lock this device takes. */
  private readonly ptClass: number;
  /** lock_stat accounting on (--stats on). */
  private readonly stats: boolean;
  /** Time one operation in latencyMask + 1; -1: never. */
  private readonly latencyMask: number;
  private readonly delayNs: number;
  readonly mapLatency: RecordableHistogram = createHistogram();
  readonly unmapLatency: RecordableHistogram = createHistogram();
  readonly waitTimes: RecordableHistogram[] = [];
  private readonly pt: PageTables;
  private readonly iova: IovaAllocator;
  private readonly log: ViolationLog;
  private readonly basePfn: number;
  private readonly pages: number;
  private readonly callPages: number;
  private readonly inflight: number;
  private readonly randomCompletion: boolean;
  private readonly totalFrames: number;
  /** PASID of this worker's DMA (0: the device's default domain). */
  private readonly pasid: number;
  private readonly pasidWord: number;
  private readonly dmaLive: boolean;
  /* IOTLB and flush queue */
  private readonly tlb: Iotlb;
  private readonly tlbOn: boolean;
  private readonly deferred: boolean;
  private readonly earlyFree: boolean;
  private readonly fq: number;
  private readonly fqSize: number;
  /* magazines */
  private readonly rcache: boolean;
  private readonly magScratch = new Int32Array(MAG_WORDS);
  /* paravirtual modes */
  private readonly bounce: boolean;
  private readonly hypercallNs: number;
  private readonly pool: BouncePool;
  private readonly bounceLock: number;
  /** pv-bounce: the pool slot each ring slot holds. */
  private readonly slotOf: Int32Array;
  /** The worker's free buffers, a FIFO: a completed buffer is reused last. */
  private readonly freeBuffers: Int32Array;
  private freeHead = 0;
  private freeCount: number;
  /* trace ring and its logical clock */
  private readonly tr: number;
  private clock = 0;
  private op = 0;
  private rng: number;
  /** Operation at which an injected fault fires, -1 if none. */
  private readonly injectAt: number;

  constructor(task: DeviceTask) {
    const { sab, layout: L, config: cfg, worker } = task;
    this.m = new Int32Array(sab);
    this.f = new Float64Array(sab);
    this.bytes = new Uint8Array(sab);
    this.L = L;
    this.cfg = cfg;
    const alg = lockByName(cfg.lock);
    if (!alg) throw new Error(`unknown lock ${cfg.lock}`);
    this.alg = alg;
    this.worker = worker;
    this.device = deviceOfWorker(L, worker);
    this.self = worker + 1;
    this.ws = workerAt(L, worker);
    this.cb = countersAt(L, worker);
    this.dev = deviceAt(L, this.device);
    this.qnode = qnodeAt(L, worker, 0);
    this.scope = cfg.lockScope === 'domain' ? SCOPE_DOMAIN : cfg.lockScope === 'device' ? SCOPE_DEVICE : SCOPE_NONE;
    this.holdMask = cfg.stats === 'on' ? cfg.holdSample - 1 : -1;
    this.ptClass = this.scope === SCOPE_DEVICE ? LC_DEVICE : LC_PGTABLE;
    this.stats = cfg.stats === 'on';
    this.latencyMask = this.stats && cfg.latencySample > 0 ? cfg.latencySample - 1 : -1;
    this.delayNs = cfg.delayNs;
    for (let c = 0; c < NUM_LOCK_CLASSES; c++) this.waitTimes.push(createHistogram());
    this.log = new ViolationLog(this.m, this.f, this.cb, this.device);
    this.pt = new PageTables(this.m, L, cfg.tableStyle, this.log);
    this.iova = new IovaAllocator(this.m, L);
    this.basePfn = L.iovaBasePfn;
    this.pages = L.pages;
    this.callPages = L.callPages;
    this.inflight = L.inflight;
    this.randomCompletion = cfg.completion === 'random';
    this.totalFrames = L.totalFrames;
    this.pasid = pasidOfWorker(L, worker);
    this.pasidWord = this.pasid === 0 ? this.dev + DEV_DOMAIN : pasidAt(L, this.device, this.pasid);
    this.dmaLive = cfg.dmaLive === 'on' && L.inflight > 1;
    this.tlb = new Iotlb(this.m, L, this.device);
    this.tlbOn = L.iotlbEntries > 0;
    this.deferred = cfg.flush !== 'strict';
    this.earlyFree = cfg.flush === 'deferred-early-free';
    this.fq = flushQueueAt(L, worker);
    this.fqSize = L.fqSize;
    this.rcache = cfg.allocator === 'rcache';
    this.bounce = cfg.mode === 'pv-bounce';
    this.hypercallNs = cfg.mode === 'pv-hypercall' ? cfg.hypercallNs : 0;
    this.pool = new BouncePool(this.m, L);
    this.bounceLock = lockLine(L, bounceLockId(L));
    this.slotOf = new Int32Array(L.inflight);
    this.freeBuffers = new Int32Array(BUFFER_SETS * L.inflight);
    for (let b = 0; b < this.freeBuffers.length; b++) this.freeBuffers[b] = b;
    this.freeCount = this.freeBuffers.length;
    this.tr = traceAt(L, worker);
    this.rng = seedState(cfg.seed, worker);
    const inj = cfg.inject;
    this.injectAt = inj && inj.device === this.device && queueOfWorker(L, worker) === 0 ? inj.afterOps : -1;
  }

  /** Wait at the start barrier, run until told to stop (or --ops done). */
  run(): void {
    const m = this.m;
    const f = this.f;
    Atomics.add(m, CTL_READY, 1);
    while (Atomics.load(m, CTL_GO) === 0) Atomics.wait(m, CTL_GO, 0, 100);
    SCHED.enable(m, this.L, this.worker);
    Atomics.store(m, this.ws + W_STATUS, WS_RUNNING);
    f[this.cb + C_START_MS] = performance.timeOrigin + performance.now();
    m[this.fq + FQ_TICK] = Atomics.load(m, CTL_FQ_TICK);
    if (SCHED.on) SCHED.point(P_START, this.worker);

    const limit = this.cfg.ops > 0 ? this.cfg.ops : Infinity;
    let op = 0;
    while (op < limit && Atomics.load(m, CTL_STOP) === 0) {
      if (op === this.injectAt) this.injectFault(op);
      if (SCHED.on) SCHED.point(P_OP, op);
      this.op = op;
      this.log.op = op;
      if (!this.step(op)) break;
      op++;
      m[this.ws + W_PROGRESS] = op;
    }
    f[this.cb + C_END_MS] = performance.timeOrigin + performance.now();
    m[this.ws + W_PHASE] = PH_IDLE;
    Atomics.store(m, this.ws + W_STATUS, WS_DONE);
    SCHED.finish();
  }

  /** One operation: complete a buffer if the ring is full, then issue one. False: cannot go on. */
  private step(op: number): boolean {
    // One operation in latencyMask + 1 is timed (dma_map_benchmark's map and unmap latency),
    // and the holds of every lock taken in one operation in holdMask + 1.
    const timed = this.latencyMask >= 0 && (op & this.latencyMask) === 0;
    this.holdTimed = this.holdMask >= 0 && (op & this.holdMask) === 0;
    if (this.deferred) this.flushIfDue();
    let slot: number;
    if (op < this.inflight) {
      slot = op;
    } else {
      if (this.randomCompletion) {
        this.rng = xorshift32(this.rng);
        slot = (this.rng >>> 0) % this.inflight;
      } else {
        slot = op % this.inflight;
      }
      const t0 = timed ? performance.now() : 0;
      if (this.bounce) this.completeBounce(slot);
      else this.complete(slot);
      if (timed) this.unmapLatency.record(nsSince(t0));
    }
    if (!(this.bounce ? this.issueBounce(slot, timed) : this.issue(slot, timed))) return false;
    if (this.dmaLive) this.dmaOlder(slot);
    if (this.delayNs > 0) busyWaitNs(this.delayNs);
    this.f[this.cb + C_OPS]! += 1;
    this.f[this.cb + C_PAGES]! += this.pages;
    return true;
  }

  /** The domain this worker's DMA goes through now: its PASID's, or the device's. */
  private currentDomain(): number {
    if (SCHED.on) SCHED.point(P_DOMAIN, this.pasid);
    return Atomics.load(this.m, this.pasidWord);
  }

  /** Point the page-table code at `domain` (line `dw`); returns the lock guarding its table, -1 for none. */
  private tablesOf(domain: number, dw: number): number {
    this.pt.domain = domain;
    this.pt.owner = this.m[dw + DOM_OWNER]!;
    return this.ptLock(domain);
  }

  /** Word index of the lock guarding `domain`'s table for this device, -1 for none. */
  private ptLock(domain: number): number {
    if (this.scope === SCOPE_DOMAIN) return this.m[domainAt(this.L, domain) + DOM_PT_LOCK]!;
    if (this.scope === SCOPE_DEVICE) return this.m[this.dev + DEV_LOCK]!;
    return -1;
  }

  private issue(slot: number, timed: boolean): boolean {
    const t0 = timed ? performance.now() : 0;
    const m = this.m;
    const ws = this.ws;
    const pages = this.pages;
    const domain = this.currentDomain();
    const dw = domainAt(this.L, domain);
    m[ws + W_DOMAIN] = domain;

    m[ws + W_PHASE] = PH_ALLOC;
    const off = this.iovaAlloc(domain, pages);
    if (off === NO_IOVA) {
      this.log.record(V_IOVA_EXHAUSTED, domain, -1, -1, pages, 0);
      this.f[this.cb + C_STOP_CODE] = V_IOVA_EXHAUSTED + 1;
      return false;
    }
    this.trace(T_ALLOC, off);
    m[ws + W_IOVA] = off;
    const sh = shadowAt(this.L, this.worker, slot);
    m[sh + SH_OFF] = off;
    m[sh + SH_DOMAIN] = domain;
    m[sh + SH_PAGES] = pages;
    m[sh + SH_STATE] = SS_MAPPING;

    m[ws + W_PHASE] = PH_MAP;
    const root = m[dw + DOM_ROOT]!;
    const pfn = this.basePfn + off;
    const frame = bufferFrame(this.L, this.worker, this.takeBuffer());
    m[sh + SH_FRAME] = frame;
    const ptl = this.tablesOf(domain, dw);
    for (let done = 0; done < pages; done += this.callPages) {
      const n = Math.min(this.callPages, pages - done);
      busyWaitNs(this.hypercallNs);
      if (ptl >= 0) this.acquire(this.ptClass, ptl);
      const ok = this.pt.map(root, pfn + done, n, frame + done);
      if (ptl >= 0) this.release(this.ptClass, ptl);
      this.f[this.cb + C_MAP_CALLS]! += 1;
      if (!ok) {
        this.f[this.cb + C_STOP_CODE] = V_POOL_EXHAUSTED + 1;
        return false;
      }
    }
    m[sh + SH_STATE] = SS_MAPPED;
    this.trace(T_MAP, off);
    if (timed) this.mapLatency.record(nsSince(t0));

    m[ws + W_PHASE] = PH_DMA;
    this.dma(off, frame, pages);
    return true;
  }

  /**
   * Translate one page for a DMA: the IOTLB first, then the walk (which fills
   * the IOTLB). IOTLB entries are tagged by the table's owner domain (a domain
   * sharing another's table shares its entries). Returns the frame, or < 0
   * for a fault.
   */
  private translate(tag: number, root: number, off: number): number {
    if (this.tlbOn) {
      const hit = this.tlb.lookup(tag, off);
      if (hit !== TLB_MISS) return hit;
    }
    const r = this.pt.walk(root, this.basePfn + off);
    if (r <= 0) return r;
    const frame = r >>> PTE_SHIFT;
    if (this.tlbOn) this.tlb.fill(tag, off, frame);
    return frame;
  }

  /** DMA into every page of a buffer through the worker's current domain. */
  private dma(off: number, frame: number, pages: number): void {
    const m = this.m;
    const domain = this.currentDomain();
    const dw = domainAt(this.L, domain);
    const root = m[dw + DOM_ROOT]!;
    const tag = m[dw + DOM_OWNER]!;
    const tags = this.L.tags;
    for (let i = 0; i < pages; i++) {
      const got = this.translate(tag, root, off + i);
      if (got < 0) {
        this.trace(T_VIOLATION, off + i);
        this.log.record(V_DMA_FAULT, domain, this.basePfn + off + i, faultLevel(got), frame + i, -1);
        continue;
      }
      if (got !== frame + i) {
        this.trace(T_VIOLATION, off + i);
        this.log.record(V_DMA_WRONG_FRAME, domain, this.basePfn + off + i, 3, frame + i, got);
      }
      // The DMA writes wherever the translation points: bump that frame's tag.
      if (got < this.totalFrames) m[tags + got] = m[tags + got]! + 1;
    }
    this.f[this.cb + C_DMAS]! += pages;
    this.trace(T_DMA, off);
  }

  /** --dma-live: the device writes one page of another buffer it has mapped (a NIC filling its RX ring). */
  private dmaOlder(exclude: number): void {
    this.rng = xorshift32(this.rng);
    const slot = (this.rng >>> 0) % this.inflight;
    if (slot === exclude) return;
    const sh = shadowAt(this.L, this.worker, slot);
    if (this.m[sh + SH_STATE] !== SS_MAPPED) return;
    this.dma(this.m[sh + SH_OFF]!, this.m[sh + SH_FRAME]!, 1);
  }

  /** Unmap a buffer, invalidate or queue its IOTLB entries, probe, free the IOVA. */
  private complete(slot: number): void {
    const m = this.m;
    const ws = this.ws;
    const sh = shadowAt(this.L, this.worker, slot);
    const domain = m[sh + SH_DOMAIN]!;
    const off = m[sh + SH_OFF]!;
    const pages = m[sh + SH_PAGES]!;
    const dw = domainAt(this.L, domain);
    const root = m[dw + DOM_ROOT]!;
    const tag = m[dw + DOM_OWNER]!;
    const pfn = this.basePfn + off;
    const frame = m[sh + SH_FRAME]!;
    m[ws + W_DOMAIN] = domain;
    m[ws + W_IOVA] = off;
    m[sh + SH_STATE] = SS_UNMAPPING;

    m[ws + W_PHASE] = PH_UNMAP;
    const ptl = this.tablesOf(domain, dw);
    for (let done = 0; done < pages; done += this.callPages) {
      const n = Math.min(this.callPages, pages - done);
      busyWaitNs(this.hypercallNs);
      if (ptl >= 0) this.acquire(this.ptClass, ptl);
      this.pt.unmap(root, pfn + done, n, frame + done);
      if (!this.deferred) {
        // Strict: invalidate and wait for it, under the lock.
        invalidateRange(m, this.L, tag, off + done, n);
        busyWaitNs(this.cfg.iotlbNs);
      }
      if (ptl >= 0) this.release(this.ptClass, ptl);
      this.f[this.cb + C_UNMAP_CALLS]! += 1;
    }
    this.trace(T_UNMAP, off);
    this.returnBuffer(frame);

    if (this.deferred) {
      // The IOVA waits on the flush queue (its IOTLB entries may still translate);
      // a late DMA to some unmapped, unflushed IOVA measures that window.
      this.queueFlush(domain, off, pages);
      this.probeStale();
      if (!this.earlyFree) {
        m[sh + SH_STATE] = SS_EMPTY;
        return;
      }
    } else {
      // Strict: the IOVA is still ours until freed, and nothing may translate it now.
      const r = this.translate(tag, root, off);
      if (r >= 0) this.log.record(V_DMA_AFTER_UNMAP, domain, pfn, 3, -1, r);
    }

    m[ws + W_PHASE] = PH_FREE;
    this.iovaFree(domain, off, pages);
    m[sh + SH_STATE] = SS_EMPTY;
  }

  /** The worker's least recently used free buffer. */
  private takeBuffer(): number {
    const b = this.freeBuffers[this.freeHead]!;
    this.freeHead = (this.freeHead + 1) % this.freeBuffers.length;
    this.freeCount--;
    return b;
  }

  private returnBuffer(frame: number): void {
    const n = this.freeBuffers.length;
    this.freeBuffers[(this.freeHead + this.freeCount) % n] = (frame - bufferFrame(this.L, this.worker, 0)) / this.pages;
    this.freeCount++;
  }

  /* ---- IOVA allocation: magazines, depot, then the allocator -------------- */

  /** Allocate from the IOVA space `domain` uses (a domain sharing another's table shares its IOVAs). */
  private iovaAlloc(domain: number, pages: number): number {
    domain = this.m[domainAt(this.L, domain) + DOM_IOVA_OWNER]!;
    const order = this.rcache ? orderOf(pages) : -1;
    if (order >= 0) {
      const m = this.m;
      const loaded = magazineAt(this.L, this.worker, domain, order, 0);
      const prev = magazineAt(this.L, this.worker, domain, order, 1);
      if (SCHED.on) SCHED.point(P_MAGAZINE, order);
      if (!magEmpty(m, loaded)) return magPop(m, loaded);
      if (!magEmpty(m, prev)) {
        magSwap(m, loaded, prev, this.magScratch);
        return magPop(m, loaded);
      }
      const dl = lockLine(this.L, depotLockId(this.L, domain));
      this.acquire(LC_DEPOT, dl);
      const depot = depotAt(this.L, domain, order);
      const got = depotCount(m, depot) > 0;
      if (got) depotPop(m, depot, loaded);
      this.release(LC_DEPOT, dl);
      if (got) return magPop(m, loaded);
      return this.globalAlloc(domain, 1 << order);
    }
    return this.globalAlloc(domain, pages);
  }

  private globalAlloc(domain: number, pages: number): number {
    const al = this.m[domainAt(this.L, domain) + DOM_ALLOC_LOCK]!;
    this.acquire(LC_IOVA, al);
    if (SCHED.on) SCHED.point(P_IOVA_ALLOC, pages);
    const off = this.iova.alloc(domain, pages);
    this.release(LC_IOVA, al);
    return off;
  }

  private iovaFree(domain: number, off: number, pages: number): void {
    domain = this.m[domainAt(this.L, domain) + DOM_IOVA_OWNER]!;
    const order = this.rcache ? orderOf(pages) : -1;
    if (order < 0) {
      this.globalFree(domain, off, pages);
      this.trace(T_FREE, off);
      return;
    }
    const m = this.m;
    const loaded = magazineAt(this.L, this.worker, domain, order, 0);
    const prev = magazineAt(this.L, this.worker, domain, order, 1);
    if (SCHED.on) SCHED.point(P_MAGAZINE, -1 - order);
    if (magFull(m, loaded)) {
      if (!magFull(m, prev)) {
        magSwap(m, loaded, prev, this.magScratch);
      } else {
        // Both full: the loaded one goes to the depot, or back to the allocator if the depot is full.
        const dl = lockLine(this.L, depotLockId(this.L, domain));
        this.acquire(LC_DEPOT, dl);
        const depot = depotAt(this.L, domain, order);
        const room = !depotFull(m, depot);
        if (room) depotPush(m, depot, loaded);
        this.release(LC_DEPOT, dl);
        if (!room) {
          while (!magEmpty(m, loaded)) this.globalFree(domain, magPop(m, loaded), 1 << order);
        }
      }
    }
    magPush(m, loaded, off);
    this.trace(T_FREE, off);
  }

  private globalFree(domain: number, off: number, pages: number): void {
    const al = this.m[domainAt(this.L, domain) + DOM_ALLOC_LOCK]!;
    this.acquire(LC_IOVA, al);
    if (SCHED.on) SCHED.point(P_IOVA_FREE, off);
    const missing = this.iova.free(domain, off, pages);
    this.release(LC_IOVA, al);
    if (missing !== 0) this.log.record(V_IOVA_DOUBLE_FREE, domain, this.basePfn + off, -1, pages, missing);
  }

  /* ---- deferred IOTLB flush -------------------------------------------- */

  private queueFlush(domain: number, off: number, pages: number): void {
    const m = this.m;
    if (m[this.fq + FQ_COUNT]! >= this.fqSize) this.flush();
    const e = this.fq + FQ_HDR_WORDS + m[this.fq + FQ_COUNT]! * FQE_WORDS;
    m[e + FQE_DOMAIN] = domain;
    m[e + FQE_OFF] = off;
    m[e + FQE_PAGES] = pages;
    m[this.fq + FQ_COUNT] = m[this.fq + FQ_COUNT]! + 1;
  }

  /** The flush-queue timer ticked since our last flush: flush what waits. */
  private flushIfDue(): void {
    const m = this.m;
    if (m[this.fq + FQ_COUNT]! > 0 && Atomics.load(m, CTL_FQ_TICK) !== m[this.fq + FQ_TICK]) this.flush();
  }

  /** Flush every domain on the queue (flush_iotlb_all, one command), then free the queued IOVAs. */
  private flush(): void {
    const m = this.m;
    const n = m[this.fq + FQ_COUNT]!;
    if (SCHED.on) SCHED.point(P_FLUSH, n);
    let last = -1;
    for (let i = 0; i < n; i++) {
      const tag = m[domainAt(this.L, m[this.fq + FQ_HDR_WORDS + i * FQE_WORDS + FQE_DOMAIN]!) + DOM_OWNER]!;
      if (tag !== last) invalidateDomain(m, this.L, tag);
      last = tag;
    }
    busyWaitNs(this.cfg.iotlbNs);
    if (!this.earlyFree) {
      for (let i = 0; i < n; i++) {
        const e = this.fq + FQ_HDR_WORDS + i * FQE_WORDS;
        this.iovaFree(m[e + FQE_DOMAIN]!, m[e + FQE_OFF]!, m[e + FQE_PAGES]!);
      }
    }
    m[this.fq + FQ_COUNT] = 0;
    m[this.fq + FQ_TICK] = Atomics.load(m, CTL_FQ_TICK);
    this.f[this.cb + C_FLUSHES]! += 1;
    this.trace(T_FLUSH, n);
  }

  /** A late DMA to one unmapped, not yet flushed IOVA: does the IOTLB still translate it? */
  private probeStale(): void {
    const m = this.m;
    const n = m[this.fq + FQ_COUNT]!;
    if (n === 0) return;
    this.rng = xorshift32(this.rng);
    const e = this.fq + FQ_HDR_WORDS + ((this.rng >>> 0) % n) * FQE_WORDS;
    this.f[this.cb + C_PROBES]! += 1;
    const tag = m[domainAt(this.L, m[e + FQE_DOMAIN]!) + DOM_OWNER]!;
    if (this.tlb.lookup(tag, m[e + FQE_OFF]!) !== TLB_MISS) this.f[this.cb + C_STALE]! += 1;
  }

  /* ---- pv-bounce: a pool slot and a copy instead of a mapping ----------- */

  private issueBounce(slot: number, timed: boolean): boolean {
    const t0 = timed ? performance.now() : 0;
    const m = this.m;
    m[this.ws + W_PHASE] = PH_ALLOC;
    this.acquire(LC_BOUNCE, this.bounceLock);
    const s = this.pool.alloc();
    this.release(LC_BOUNCE, this.bounceLock);
    if (s === NO_SLOT) {
      this.log.record(V_IOVA_EXHAUSTED, -1, -1, -1, this.pages, 0);
      this.f[this.cb + C_STOP_CODE] = V_IOVA_EXHAUSTED + 1;
      return false;
    }
    this.slotOf[slot] = s;
    const sh = shadowAt(this.L, this.worker, slot);
    m[sh + SH_OFF] = s * this.pages;
    m[sh + SH_DOMAIN] = this.currentDomain();
    m[sh + SH_PAGES] = this.pages;
    m[this.ws + W_PHASE] = PH_MAP;
    // map_single: copy the buffer into the slot (DMA_BIDIRECTIONAL copies both ways).
    const src = bufferByteAt(this.L, this.worker, slot);
    this.bytes.copyWithin(poolByteAt(this.L, s), src, src + this.cfg.bufferBytes);
    m[sh + SH_STATE] = SS_MAPPED;
    if (timed) this.mapLatency.record(nsSince(t0));
    m[this.ws + W_PHASE] = PH_DMA;
    // The pool is pre-mapped at window offset slot x pages: the DMA goes through it.
    this.dma(s * this.pages, bounceFrame(this.L, s), this.pages);
    this.bytes[poolByteAt(this.L, s)] = this.op & 0xff;
    return true;
  }

  private completeBounce(slot: number): void {
    const m = this.m;
    const s = this.slotOf[slot]!;
    m[this.ws + W_PHASE] = PH_UNMAP;
    // unmap_single: copy what the device wrote back into the buffer.
    const dst = bufferByteAt(this.L, this.worker, slot);
    const at = poolByteAt(this.L, s);
    this.bytes.copyWithin(dst, at, at + this.cfg.bufferBytes);
    m[this.ws + W_PHASE] = PH_FREE;
    this.acquire(LC_BOUNCE, this.bounceLock);
    const ok = this.pool.free(s);
    this.release(LC_BOUNCE, this.bounceLock);
    if (!ok) this.log.record(V_IOVA_DOUBLE_FREE, -1, -1, -1, this.pages, this.pages);
    m[shadowAt(this.L, this.worker, slot) + SH_STATE] = SS_EMPTY;
  }

  /* ---- trace ring -------------------------------------------------------- */

  /** Record an event with the worker's logical clock (the global step when controlled). */
  private trace(event: number, iova: number): void {
    traceEvent(this.m, this.tr, SCHED.on ? SCHED.step() : ++this.clock, this.op, event, iova);
  }

  /* ---- locks with lock_stat accounting ---------------------------------- */

  /**
   * Take lock line `l` of class `cls`. The uncontended path is one trylock
   * and a few counter updates; only a failed trylock is timed (as lock_stat
   * times only contended acquisitions). The lock line carries a logical clock
   * (Lamport): taking the lock moves ours past its last holder's.
   */
  private acquire(cls: number, l: number): void {
    const m = this.m;
    const node = this.qnode + cls * QNODE_WORDS;
    // Kept small so that it inlines: the contended path and the accounting are calls of their own.
    if (!this.alg.trylock(m, l, node)) this.contended(cls, l, node);
    // Bookkeeping the watchdog and the traces need, --stats or not: who holds the lock,
    // and the logical clock carried through it (Lamport).
    m[l + LK_HOLDER] = this.self;
    const lc = m[l + LK_CLOCK]!;
    if (lc > this.clock) this.clock = lc;
    if (this.stats) this.account(cls, l);
  }

  /** The lock was held: wait for it, timing the wait (lock_stat times only these). */
  private contended(cls: number, l: number, node: number): void {
    const m = this.m;
    if (!this.stats) {
      this.alg.lock(m, l, node);
      return;
    }
    const f = this.f;
    const st = this.cb + C_LOCKSTAT + cls * LS_FIELDS;
    m[this.ws + W_WAIT_LOCK] = l + 1;
    const t0 = performance.now();
    this.alg.lock(m, l, node);
    const wait = (performance.now() - t0) * 1e6;
    m[this.ws + W_WAIT_LOCK] = 0;
    this.waitTimes[cls]!.record(wait < 1 ? 1 : Math.round(wait));
    f[st + LS_CONT]! += 1;
    f[st + LS_WAIT_TOTAL]! += wait;
    if (wait < f[st + LS_WAIT_MIN]!) f[st + LS_WAIT_MIN] = wait;
    if (wait > f[st + LS_WAIT_MAX]!) f[st + LS_WAIT_MAX] = wait;
    if (m[l + LK_LAST] !== this.self) f[st + LS_CON_BOUNCES]! += 1;
  }

  /** lock_stat's part of an acquisition: count it and its bounce, maybe time the hold. */
  private account(cls: number, l: number): void {
    const m = this.m;
    const f = this.f;
    const st = this.cb + C_LOCKSTAT + cls * LS_FIELDS;
    f[st + LS_ACQ]! += 1;
    if (m[l + LK_LAST] !== this.self) {
      f[st + LS_ACQ_BOUNCES]! += 1;
      m[l + LK_LAST] = this.self;
    }
    if (this.holdTimed) this.holdStart[cls] = performance.now();
  }

  private release(cls: number, l: number): void {
    if (this.holdTimed) this.holdSampled(cls);
    this.m[l + LK_HOLDER] = 0;
    this.m[l + LK_CLOCK] = ++this.clock;
    this.alg.unlock(this.m, l, this.qnode + cls * QNODE_WORDS);
  }

  /** This acquisition's hold was sampled: record it. */
  private holdSampled(cls: number): void {
    const hold = (performance.now() - this.holdStart[cls]!) * 1e6;
    this.holdStart[cls] = 0;
    const f = this.f;
    const st = this.cb + C_LOCKSTAT + cls * LS_FIELDS;
    f[st + LS_HOLD_SAMPLES]! += 1;
    f[st + LS_HOLD_TOTAL]! += hold;
    if (hold < f[st + LS_HOLD_MIN]!) f[st + LS_HOLD_MIN] = hold;
    if (hold > f[st + LS_HOLD_MAX]!) f[st + LS_HOLD_MAX] = hold;
  }

  /** The latency and wait-time histograms, to return to the main thread. */
  histograms(): DeviceHistograms {
    return { map: this.mapLatency, unmap: this.unmapLatency, wait: this.waitTimes };
  }

  /* ---- fault injection (harness self-test) ------------------------------ */

  private injectFault(op: number): never {
    const inj = this.cfg.inject!;
    if (inj.kind === 'throw') {
      throw new Error(`injected fault: device ${this.device} throws after ${op} operations`);
    }
    // hold-forever: take the lock that guards this device's table and never return.
    const m = this.m;
    const domain = Atomics.load(m, this.dev + DEV_DOMAIN);
    const ptl = this.ptLock(domain);
    const l = ptl >= 0 ? ptl : m[domainAt(this.L, domain) + DOM_ALLOC_LOCK]!;
    m[this.ws + W_PHASE] = PH_MAP;
    this.acquire(ptl >= 0 ? this.ptClass : LC_IOVA, l);
    for (;;) Atomics.wait(m, this.ws + W_PARK, 0);
  }
}
