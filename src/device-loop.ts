/**
 * The device loop: what one worker thread does, as one queue of one DMA
 * device. Every operation completes one in-flight buffer when the ring is
 * full and issues a new one:
 *
 *   complete: unmap (one call per granule, under the page-table lock),
 *             probe that the IOVA no longer translates, free the IOVA
 *   issue:    allocate an IOVA range (allocator lock), map its pages
 *             (page-table lock), DMA each page through the hardware walk and
 *             check it lands on the device's own frame
 *
 * Hot path rules: nothing allocated, no closures, no timestamps unless a lock
 * was found held (or a hold time is sampled). Progress and phase are plain
 * stores the watchdog reads.
 */
import { type RecordableHistogram, createHistogram, performance } from 'node:perf_hooks';
import type { Config } from './config.js';
import type { DeviceTask, DeviceHistograms } from './messages.js';
import { type LockAlgorithm, LK_HOLDER, LK_LAST, QNODE_WORDS } from './locks/lock.js';
import { lockByName } from './locks/registry.js';
import {
  type Layout,
  CTL_GO,
  CTL_READY,
  CTL_STOP,
  C_DMAS,
  C_END_MS,
  C_LOCKSTAT,
  C_MAP_CALLS,
  C_OPS,
  C_PAGES,
  C_START_MS,
  C_STOP_CODE,
  C_UNMAP_CALLS,
  DEV_DOMAIN,
  DEV_LOCK,
  DOM_ALLOC_LOCK,
  DOM_PT_LOCK,
  DOM_ROOT,
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
  countersAt,
  deviceAt,
  deviceOfWorker,
  domainAt,
  qnodeAt,
  queueOfWorker,
  shadowAt,
  slotFrame,
  workerAt,
} from './layout.js';
import { PTE_SHIFT, faultLevel } from './pte.js';
import { PageTables } from './pgtable.js';
import { IovaAllocator, NO_IOVA } from './iova.js';
import { busyWaitNs } from './iotlb.js';
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
  private readonly holdMask: number;
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
  private rng: number;
  /** Operation at which an injected fault fires, -1 if none. */
  private readonly injectAt: number;

  constructor(task: DeviceTask) {
    const { sab, layout: L, config: cfg, worker } = task;
    this.m = new Int32Array(sab);
    this.f = new Float64Array(sab);
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
    this.holdMask = cfg.holdSample - 1;
    this.ptClass = this.scope === SCOPE_DEVICE ? LC_DEVICE : LC_PGTABLE;
    this.stats = cfg.stats === 'on';
    this.latencyMask = this.stats && cfg.latencySample > 0 ? cfg.latencySample - 1 : -1;
    this.delayNs = cfg.delayNs;
    for (let c = 0; c < NUM_LOCK_CLASSES; c++) this.waitTimes.push(createHistogram());
    this.log = new ViolationLog(this.f, this.cb, this.device);
    this.pt = new PageTables(this.m, L, cfg.tableStyle === 'refcount', this.log);
    this.iova = new IovaAllocator(this.m, L);
    this.basePfn = L.iovaBasePfn;
    this.pages = L.pages;
    this.callPages = L.callPages;
    this.inflight = L.inflight;
    this.randomCompletion = cfg.completion === 'random';
    this.totalFrames = L.totalFrames;
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
    Atomics.store(m, this.ws + W_STATUS, WS_RUNNING);
    f[this.cb + C_START_MS] = performance.timeOrigin + performance.now();

    const limit = this.cfg.ops > 0 ? this.cfg.ops : Infinity;
    let op = 0;
    while (op < limit && Atomics.load(m, CTL_STOP) === 0) {
      if (op === this.injectAt) this.injectFault(op);
      this.log.op = op;
      if (!this.step(op)) break;
      op++;
      m[this.ws + W_PROGRESS] = op;
    }
    f[this.cb + C_END_MS] = performance.timeOrigin + performance.now();
    m[this.ws + W_PHASE] = PH_IDLE;
    Atomics.store(m, this.ws + W_STATUS, WS_DONE);
  }

  /** One operation: complete a buffer if the ring is full, then issue one. False: cannot go on. */
  private step(op: number): boolean {
    // One operation in latencyMask + 1 is timed (dma_map_benchmark's map and unmap latency).
    const timed = this.latencyMask >= 0 && (op & this.latencyMask) === 0;
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
      this.complete(slot);
      if (timed) this.unmapLatency.record(nsSince(t0));
    }
    if (!this.issue(slot, timed)) return false;
    if (this.delayNs > 0) busyWaitNs(this.delayNs);
    this.f[this.cb + C_OPS]! += 1;
    this.f[this.cb + C_PAGES]! += this.pages;
    return true;
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
    const domain = Atomics.load(m, this.dev + DEV_DOMAIN);
    const dw = domainAt(this.L, domain);
    m[ws + W_DOMAIN] = domain;

    m[ws + W_PHASE] = PH_ALLOC;
    const al = m[dw + DOM_ALLOC_LOCK]!;
    this.acquire(LC_IOVA, al);
    const off = this.iova.alloc(domain, pages);
    this.release(LC_IOVA, al);
    if (off === NO_IOVA) {
      this.log.record(V_IOVA_EXHAUSTED, domain, -1, -1, pages, 0);
      this.f[this.cb + C_STOP_CODE] = V_IOVA_EXHAUSTED + 1;
      return false;
    }
    m[ws + W_IOVA] = off;
    const sh = shadowAt(this.L, this.worker, slot);
    m[sh + SH_OFF] = off;
    m[sh + SH_DOMAIN] = domain;
    m[sh + SH_PAGES] = pages;
    m[sh + SH_STATE] = SS_MAPPING;

    m[ws + W_PHASE] = PH_MAP;
    const root = m[dw + DOM_ROOT]!;
    const pfn = this.basePfn + off;
    const frame = slotFrame(this.L, this.worker, slot);
    const ptl = this.ptLock(domain);
    this.pt.domain = domain;
    for (let done = 0; done < pages; done += this.callPages) {
      const n = Math.min(this.callPages, pages - done);
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
    if (timed) this.mapLatency.record(nsSince(t0));

    m[ws + W_PHASE] = PH_DMA;
    this.dma(pfn, frame, pages);
    return true;
  }

  /** DMA into every page of a buffer through the device's current domain. */
  private dma(pfn: number, frame: number, pages: number): void {
    const m = this.m;
    const domain = Atomics.load(m, this.dev + DEV_DOMAIN);
    const root = m[domainAt(this.L, domain) + DOM_ROOT]!;
    const tags = this.L.tags;
    for (let i = 0; i < pages; i++) {
      const r = this.pt.walk(root, pfn + i);
      if (r <= 0) {
        this.log.record(V_DMA_FAULT, domain, pfn + i, faultLevel(r), frame + i, -1);
        continue;
      }
      const got = r >>> PTE_SHIFT;
      if (got !== frame + i) this.log.record(V_DMA_WRONG_FRAME, domain, pfn + i, 3, frame + i, got);
      // The DMA writes wherever the translation points: bump that frame's tag.
      if (got < this.totalFrames) m[tags + got] = m[tags + got]! + 1;
    }
    this.f[this.cb + C_DMAS]! += pages;
  }

  /** Unmap a buffer, check the IOVA no longer translates, free the IOVA. */
  private complete(slot: number): void {
    const m = this.m;
    const ws = this.ws;
    const sh = shadowAt(this.L, this.worker, slot);
    const domain = m[sh + SH_DOMAIN]!;
    const off = m[sh + SH_OFF]!;
    const pages = m[sh + SH_PAGES]!;
    const dw = domainAt(this.L, domain);
    const root = m[dw + DOM_ROOT]!;
    const pfn = this.basePfn + off;
    const frame = slotFrame(this.L, this.worker, slot);
    m[ws + W_DOMAIN] = domain;
    m[ws + W_IOVA] = off;
    m[sh + SH_STATE] = SS_UNMAPPING;

    m[ws + W_PHASE] = PH_UNMAP;
    const ptl = this.ptLock(domain);
    this.pt.domain = domain;
    for (let done = 0; done < pages; done += this.callPages) {
      const n = Math.min(this.callPages, pages - done);
      if (ptl >= 0) this.acquire(this.ptClass, ptl);
      this.pt.unmap(root, pfn + done, n, frame + done);
      busyWaitNs(this.cfg.iotlbNs);
      if (ptl >= 0) this.release(this.ptClass, ptl);
      this.f[this.cb + C_UNMAP_CALLS]! += 1;
    }
    // The IOVA is still ours until freed: nothing may translate it now.
    const r = this.pt.walk(root, pfn);
    if (r > 0) this.log.record(V_DMA_AFTER_UNMAP, domain, pfn, 3, 0, r >>> PTE_SHIFT);

    m[ws + W_PHASE] = PH_FREE;
    const al = m[dw + DOM_ALLOC_LOCK]!;
    this.acquire(LC_IOVA, al);
    const missing = this.iova.free(domain, off, pages);
    this.release(LC_IOVA, al);
    if (missing !== 0) this.log.record(V_IOVA_DOUBLE_FREE, domain, pfn, -1, pages, missing);
    m[sh + SH_STATE] = SS_EMPTY;
  }

  /* ---- locks with lock_stat accounting ---------------------------------- */

  /**
   * Take lock line `l` of class `cls`. The uncontended path is one trylock
   * and a few counter updates; only a failed trylock is timed (as lock_stat
   * times only contended acquisitions).
   */
  private acquire(cls: number, l: number): void {
    const m = this.m;
    const f = this.f;
    const st = this.cb + C_LOCKSTAT + cls * LS_FIELDS;
    const node = this.qnode + cls * QNODE_WORDS;
    if (!this.stats) {
      // --stats off: the lock alone, for measuring what the accounting costs.
      this.alg.lock(m, l, node);
      return;
    }
    if (!this.alg.trylock(m, l, node)) {
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
    const acq = f[st + LS_ACQ]! + 1;
    f[st + LS_ACQ] = acq;
    if (m[l + LK_LAST] !== this.self) {
      f[st + LS_ACQ_BOUNCES]! += 1;
      m[l + LK_LAST] = this.self;
    }
    m[l + LK_HOLDER] = this.self;
    if ((acq & this.holdMask) === 0) this.holdStart[cls] = performance.now();
  }

  private release(cls: number, l: number): void {
    const t0 = this.holdStart[cls]!;
    if (t0 !== 0) {
      const hold = (performance.now() - t0) * 1e6;
      this.holdStart[cls] = 0;
      const f = this.f;
      const st = this.cb + C_LOCKSTAT + cls * LS_FIELDS;
      f[st + LS_HOLD_SAMPLES]! += 1;
      f[st + LS_HOLD_TOTAL]! += hold;
      if (hold < f[st + LS_HOLD_MIN]!) f[st + LS_HOLD_MIN] = hold;
      if (hold > f[st + LS_HOLD_MAX]!) f[st + LS_HOLD_MAX] = hold;
    }
    if (this.stats) this.m[l + LK_HOLDER] = 0;
    this.alg.unlock(this.m, l, this.qnode + cls * QNODE_WORDS);
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
