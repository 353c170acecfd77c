/**
 * The DMA API a device worker calls, as the kernel's dma-iommu.c sits
 * between a driver and the IOMMU: issue a buffer (allocate an IOVA range,
 * map it through the page-table driver, DMA every page) and complete one
 * (unmap it, hand it to the flush policy, free its IOVA when allowed).
 * `DmaIommu` does this through the design's driver, allocator and flush
 * policy; `DmaBounce` is the paravirtual bounce pool (--mode pv-bounce).
 *
 * Every DMA is checked: it must reach the frame its device mapped there
 * (online checks), and its frame's tag counts it (the audit's frame check).
 * A device worker holds one of the two for its whole life.
 */
import { performance } from 'node:perf_hooks';
import type { NsHistogram } from '../results/histogram.js';
import { type AllocatorOps, type Config, type DriverOps, type FlushOps, UNMAP_FREE, UNMAP_KEEP } from '../api/types.js';
import {
  BUFFER_SETS,
  BP_CURSOR,
  BP_HDR_WORDS,
  BP_USED,
  C_STOP_CODE,
  DEV_DOMAIN,
  DOM_IOVA_OWNER,
  DOM_OWNER,
  DOM_WORDS,
  SH_WORDS,
  type Layout,
  PH_ALLOC,
  PH_DMA,
  PH_FREE,
  PH_MAP,
  PH_UNMAP,
  SH_DOMAIN,
  SH_FRAME,
  SH_OFF,
  SH_PAGES,
  SH_STATE,
  SS_EMPTY,
  SS_MAPPED,
  W_DOMAIN,
  W_IOVA,
  W_PHASE,
  bounceFrame,
  bufferByteAt,
  bufferFrame,
  deviceAt,
  pasidAt,
  pasidOfWorker,
  poolByteAt,
  shadowAt,
} from '../memory/layout.js';
import { V } from '../checker/invariants.js';
import type { ViolationLog } from '../checker/log.js';
import type { AgentCore } from './agent-core.js';
import type { EngineDriverContext } from './contexts.js';
import type { EngineLockClass } from './lock-class.js';
import { type Iotlb, TLB_MISS, busyWaitNs } from './iotlb.js';
import { E_ALLOC, E_DMA, E_DMA_BEGIN, E_FREE, E_MAP, E_MAP_BEGIN, E_UNMAP, E_UNMAP_BEGIN, E_VIOLATION } from './trace.js';

/** Nanoseconds since a performance.now() reading (histograms round it, and count below 1 as 1). */
export function nsSince(t0: number): number {
  return (performance.now() - t0) * 1e6;
}

/** The level a walk result names (faults are -1 - level), -1 for a corrupt entry. */
const faultLevel = (r: number): number => (r <= -16 ? -1 : -1 - r);

/** Counters of a run, kept in the worker and written to shared memory at its end. */
export class RunCounts {
  pages = 0;
  dmas = 0;
  mapCalls = 0;
  unmapCalls = 0;
  reset(): void {
    this.pages = 0;
    this.dmas = 0;
    this.mapCalls = 0;
    this.unmapCalls = 0;
  }
}

/** What both DMA paths share: the worker's buffers and shadows, the IOTLB, and the checked DMA itself. */
abstract class DmaBase {
  protected readonly m: Int32Array;
  protected readonly ws: number;
  protected readonly basePfn: number;
  protected readonly pages: number;
  protected readonly inflight: number;
  protected readonly tags: number;
  protected readonly totalFrames: number;
  protected readonly tlbOn: boolean;
  /** The word naming this worker's domain: its PASID's, or its device's attached domain. */
  protected readonly domainWord: number;
  protected readonly pasid: number;
  /** The worker's free buffers, a FIFO: a completed buffer is reused last. */
  private readonly freeBuffers: Int32Array;
  private freeHead = 0;
  private freeCount = 0;
  private readonly buffer0: number;
  readonly mapLatency: NsHistogram;
  /** This worker's first shadow slot, and the domains' words (layout addresses, held here: no Layout lookups per operation). */
  protected readonly shadow0: number;
  protected readonly domainBase: number;

  constructor(
    protected readonly core: AgentCore,
    protected readonly L: Layout,
    protected readonly cfg: Config,
    protected readonly log: ViolationLog,
    protected readonly driver: DriverOps,
    protected readonly tlb: Iotlb,
    protected readonly counts: RunCounts,
    mapLatency: NsHistogram,
  ) {
    this.m = core.m;
    this.ws = core.ws;
    this.basePfn = L.iovaBasePfn;
    this.pages = L.pages;
    this.inflight = L.inflight;
    this.tags = L.tags;
    this.totalFrames = L.totalFrames;
    this.tlbOn = L.iotlbEntries > 0;
    const device = Math.floor(core.agent / L.queues);
    this.pasid = pasidOfWorker(L, core.agent);
    this.domainWord = this.pasid === 0 ? deviceAt(L, device) + DEV_DOMAIN : pasidAt(L, device, this.pasid);
    this.freeBuffers = new Int32Array(BUFFER_SETS * L.inflight);
    this.buffer0 = bufferFrame(L, core.agent, 0);
    this.shadow0 = shadowAt(L, core.agent, 0);
    this.domainBase = L.domainBase;
    this.mapLatency = mapLatency;
    this.resetBuffers();
  }

  /**
   * A timed map is done: record its latency. Out of line, and too large for
   * V8 to inline whatever the call's frequency: inlined, the clock's calls
   * used up the inlining budget of issue() (timing the map in there cost
   * 1.6% to 2.5% of every operation, timed or not). The clock is read here,
   * not through nsSince: with that call this method's bytecode would be
   * small enough (under 28 bytes) for V8 to inline it anyway.
   */
  protected mapTimed(t0: number): void {
    const c = this.core;
    const ns = Math.max(0, (performance.now() - t0) * 1e6 - c.clockNs - (c.instrNs - c.mapInstr0));
    const h = this.mapLatency;
    h.record(ns);
  }

  resetBuffers(): void {
    for (let b = 0; b < this.freeBuffers.length; b++) this.freeBuffers[b] = b;
    this.freeHead = 0;
    this.freeCount = this.freeBuffers.length;
  }

  /**
   * Allocate, map and DMA a buffer on ring slot `slot`; false if the run
   * must stop. `t0`: the performance.now() its sampled map latency counts
   * from, taken by the caller, or 0 when this operation is not timed.
   */
  abstract issue(slot: number, t0: number): boolean;
  abstract complete(slot: number): void;
  abstract tick(): void;

  /** The shadow of ring slot `slot` (layout.ts shadowAt, from this worker's first). */
  protected shadowOf(slot: number): number {
    return this.shadow0 + slot * SH_WORDS;
  }

  /** The words of domain `domain` (layout.ts domainAt). */
  protected domainWordsOf(domain: number): number {
    return this.domainBase + domain * DOM_WORDS;
  }

  /**
   * The domain this worker's DMA goes through now (switchable by another
   * agent). A marked read, as the IOMMU reads its device table (an aligned
   * word is never torn, each operation reads it afresh; never a data race
   * with the CPU's attach), and under the controlled scheduler a schedule
   * point like any access.
   */
  protected currentDomain(): number {
    // Free running a plain read, as before: a marked one (Atomics.load) cost 4% of the throughput here.
    if (this.core.sched === null) return this.m[this.domainWord]!;
    return this.core.mem.readOnce(this.domainWord, 'domain-read');
  }

  protected takeBuffer(): number {
    const b = this.freeBuffers[this.freeHead]!;
    this.freeHead = this.freeHead + 1 === this.freeBuffers.length ? 0 : this.freeHead + 1;
    this.freeCount--;
    return this.buffer0 + b * this.pages;
  }

  protected returnBuffer(frame: number): void {
    const n = this.freeBuffers.length;
    const at = this.freeHead + this.freeCount;
    this.freeBuffers[at >= n ? at - n : at] = (frame - this.buffer0) / this.pages;
    this.freeCount++;
  }

  /**
   * Translate one page for a DMA: the IOTLB first, then the driver's walk
   * (which fills the IOTLB). IOTLB entries are tagged by the table's owner
   * domain. Returns the frame, or < 0 for a fault.
   */
  protected translate(tag: number, off: number): number {
    if (this.tlbOn) {
      const hit = this.tlb.lookup(tag, off);
      if (hit !== TLB_MISS) return hit;
    }
    const r = this.driver.walk(tag, this.basePfn + off);
    if (r >= 0 && this.tlbOn) this.tlb.fill(tag, off, r);
    return r;
  }

  /** DMA into every page of a buffer through the worker's current domain; each must reach its own frame. */
  protected dma(off: number, frame: number, pages: number): void {
    const m = this.m;
    const core = this.core;
    const domain = this.currentDomain();
    const tag = m[this.domainWordsOf(domain) + DOM_OWNER]!;
    if (core.detail) core.trace(E_DMA_BEGIN, off);
    for (let i = 0; i < pages; i++) {
      const got = this.translate(tag, off + i);
      if (got < 0) {
        core.trace(E_VIOLATION, off + i);
        this.log.record(V.DMA_FAULT, domain, this.basePfn + off + i, faultLevel(got), frame + i, -1);
        continue;
      }
      if (got !== frame + i) {
        core.trace(E_VIOLATION, off + i);
        this.log.record(V.DMA_WRONG_FRAME, domain, this.basePfn + off + i, -1, frame + i, got);
      }
      // The DMA writes wherever the translation points: that frame's tag counts it.
      if (got < this.totalFrames) m[this.tags + got] = m[this.tags + got]! + 1;
    }
    this.counts.dmas += pages;
    if (core.detail) core.trace(E_DMA, off);
  }

  /** --dma-live: the device writes one page of another buffer it has mapped (a NIC filling its RX ring). */
  dmaLive(exclude: number): void {
    const slot = this.core.randomBelow(this.inflight);
    if (slot === exclude) return;
    const sh = this.shadowOf(slot);
    if (this.m[sh + SH_STATE] !== SS_MAPPED) return;
    this.dma(this.m[sh + SH_OFF]!, this.m[sh + SH_FRAME]!, 1);
  }

  protected stop(code: number): false {
    this.core.f[this.core.cb + C_STOP_CODE] = code + 1;
    return false;
  }
}

/** The IOMMU path: the design's allocator, driver and flush policy. */
export class DmaIommu extends DmaBase {
  private readonly callPages: number;
  private readonly hypercallNs: number;

  constructor(
    core: AgentCore,
    L: Layout,
    cfg: Config,
    log: ViolationLog,
    driver: DriverOps,
    tlb: Iotlb,
    counts: RunCounts,
    mapLatency: NsHistogram,
    private readonly alloc: AllocatorOps,
    private readonly flush: FlushOps,
    private readonly dctx: EngineDriverContext,
  ) {
    super(core, L, cfg, log, driver, tlb, counts, mapLatency);
    this.callPages = L.callPages;
    this.hypercallNs = cfg.mode === 'pv-hypercall' ? cfg.hypercallNs : 0;
  }

  tick(): void {
    this.flush.tick();
  }

  issue(slot: number, t0: number): boolean {
    const m = this.m;
    const ws = this.ws;
    const core = this.core;
    const pages = this.pages;
    const domain = this.currentDomain();
    const dw = this.domainWordsOf(domain);
    const owner = m[dw + DOM_OWNER]!;
    m[ws + W_DOMAIN] = domain;

    m[ws + W_PHASE] = PH_ALLOC;
    const off = this.alloc.alloc(m[dw + DOM_IOVA_OWNER]!, pages);
    if (off < 0) {
      this.log.record(V.IOVA_EXHAUSTED, domain, -1, -1, pages, 0);
      return this.stop(V.IOVA_EXHAUSTED);
    }
    if (core.detail) core.trace(E_ALLOC, off);
    m[ws + W_IOVA] = off;
    const sh = this.shadowOf(slot);
    const frame = this.takeBuffer();
    m[sh + SH_OFF] = off;
    m[sh + SH_DOMAIN] = domain;
    m[sh + SH_PAGES] = pages;
    m[sh + SH_FRAME] = frame;

    m[ws + W_PHASE] = PH_MAP;
    if (core.detail) core.trace(E_MAP_BEGIN, off);
    const pfn = this.basePfn + off;
    for (let done = 0; done < pages; done += this.callPages) {
      const n = Math.min(this.callPages, pages - done);
      if (this.hypercallNs > 0) busyWaitNs(this.hypercallNs);
      const ok = this.driver.map(owner, pfn + done, n, frame + done);
      this.counts.mapCalls++;
      if (!ok) return this.stop(V.POOL_EXHAUSTED);
    }
    m[sh + SH_STATE] = SS_MAPPED;
    core.trace(E_MAP, off);
    if (t0 !== 0) this.mapTimed(t0);

    m[ws + W_PHASE] = PH_DMA;
    this.dma(off, frame, pages);
    this.counts.pages += pages;
    return true;
  }

  complete(slot: number): void {
    const m = this.m;
    const ws = this.ws;
    const core = this.core;
    const sh = this.shadowOf(slot);
    const domain = m[sh + SH_DOMAIN]!;
    const off = m[sh + SH_OFF]!;
    const pages = m[sh + SH_PAGES]!;
    const frame = m[sh + SH_FRAME]!;
    const dw = this.domainWordsOf(domain);
    const owner = m[dw + DOM_OWNER]!;
    const pfn = this.basePfn + off;
    m[ws + W_DOMAIN] = domain;
    m[ws + W_IOVA] = off;

    m[ws + W_PHASE] = PH_UNMAP;
    if (core.detail) core.trace(E_UNMAP_BEGIN, off);
    const d = this.dctx;
    d.expectPfn = pfn;
    d.expectFrame = frame;
    d.expectDomain = domain;
    for (let done = 0; done < pages; done += this.callPages) {
      const n = Math.min(this.callPages, pages - done);
      if (this.hypercallNs > 0) busyWaitNs(this.hypercallNs);
      this.driver.unmap(owner, pfn + done, n);
      this.counts.unmapCalls++;
    }
    d.expectFrame = -1;
    core.trace(E_UNMAP, off);
    this.returnBuffer(frame);

    const u = this.flush.unmapped(domain, off, pages);
    if (u === UNMAP_KEEP) {
      m[sh + SH_STATE] = SS_EMPTY;
      return;
    }
    // The IOVA is still ours until freed, and nothing may translate it now:
    // not the table, and (unless the policy frees it unflushed) no IOTLB either.
    const r = u === UNMAP_FREE ? this.translate(owner, off) : this.driver.walk(owner, pfn);
    if (r >= 0) this.log.record(V.DMA_AFTER_UNMAP, domain, pfn, -1, -1, r);
    m[ws + W_PHASE] = PH_FREE;
    this.alloc.free(m[dw + DOM_IOVA_OWNER]!, off, pages);
    if (core.detail) core.trace(E_FREE, off);
    m[sh + SH_STATE] = SS_EMPTY;
  }
}

/**
 * The paravirtual bounce pool (pv-bounce, after Joerg Roedel's 2008
 * proposal): a contiguous pool mapped for DMA once, at start; a streaming
 * map takes a pool slot behind the pool's lock and copies the buffer's bytes
 * into it, an unmap copies them back and frees the slot, as swiotlb does.
 */
export class DmaBounce extends DmaBase {
  private readonly bytes: Uint8Array;
  private readonly bits: number;
  private readonly slots: number;
  /** The pool slot each ring slot holds. */
  private readonly slotOf: Int32Array;
  private readonly poolLock: number;

  constructor(
    core: AgentCore,
    L: Layout,
    cfg: Config,
    log: ViolationLog,
    driver: DriverOps,
    tlb: Iotlb,
    counts: RunCounts,
    mapLatency: NsHistogram,
    bytes: Uint8Array,
    private readonly lc: EngineLockClass,
  ) {
    super(core, L, cfg, log, driver, tlb, counts, mapLatency);
    this.bytes = bytes;
    this.bits = L.bounce + BP_HDR_WORDS;
    this.slots = L.bounceSlots;
    this.slotOf = new Int32Array(L.inflight);
    this.poolLock = lc.of(0);
  }

  tick(): void {}

  /** A free pool slot (next-fit), or -1. Caller holds the pool lock. */
  private slotAlloc(): number {
    const m = this.m;
    const start = m[this.L.bounce + BP_CURSOR]!;
    for (let i = 0; i < this.slots; i++) {
      const s = (start + i) % this.slots;
      const w = this.bits + (s >>> 5);
      const bit = 1 << (s & 31);
      if ((m[w]! & bit) === 0) {
        m[w] = m[w]! | bit;
        m[this.L.bounce + BP_CURSOR] = (s + 1) % this.slots;
        m[this.L.bounce + BP_USED] = m[this.L.bounce + BP_USED]! + 1;
        return s;
      }
    }
    return -1;
  }

  /** Free a slot; false if it was not allocated. Caller holds the pool lock. */
  private slotFree(s: number): boolean {
    const m = this.m;
    const w = this.bits + (s >>> 5);
    const bit = 1 << (s & 31);
    const was = (m[w]! & bit) !== 0;
    m[w] = m[w]! & ~bit;
    if (was) m[this.L.bounce + BP_USED] = m[this.L.bounce + BP_USED]! - 1;
    return was;
  }

  issue(slot: number, t0: number): boolean {
    const m = this.m;
    const core = this.core;
    m[this.ws + W_PHASE] = PH_ALLOC;
    this.lc.acquire(this.poolLock);
    const s = this.slotAlloc();
    this.lc.release(this.poolLock);
    if (s < 0) {
      this.log.record(V.IOVA_EXHAUSTED, -1, -1, -1, this.pages, 0);
      return this.stop(V.IOVA_EXHAUSTED);
    }
    this.slotOf[slot] = s;
    const sh = this.shadowOf(slot);
    m[sh + SH_OFF] = s * this.pages;
    m[sh + SH_DOMAIN] = this.currentDomain();
    m[sh + SH_PAGES] = this.pages;
    m[sh + SH_FRAME] = bounceFrame(this.L, s);
    m[this.ws + W_PHASE] = PH_MAP;
    // map_single: copy the buffer into the slot (DMA_BIDIRECTIONAL copies both ways).
    const src = bufferByteAt(this.L, core.agent, slot);
    this.bytes.copyWithin(poolByteAt(this.L, s), src, src + this.cfg.bufferBytes);
    m[sh + SH_STATE] = SS_MAPPED;
    core.trace(E_MAP, s * this.pages);
    if (t0 !== 0) this.mapTimed(t0);
    m[this.ws + W_PHASE] = PH_DMA;
    // The pool is pre-mapped at window offset slot x pages: the DMA goes through it.
    this.dma(s * this.pages, bounceFrame(this.L, s), this.pages);
    this.bytes[poolByteAt(this.L, s)] = core.op & 0xff;
    this.counts.pages += this.pages;
    return true;
  }

  complete(slot: number): void {
    const m = this.m;
    const s = this.slotOf[slot]!;
    m[this.ws + W_PHASE] = PH_UNMAP;
    // unmap_single: copy what the device wrote back into the buffer.
    const dst = bufferByteAt(this.L, this.core.agent, slot);
    const at = poolByteAt(this.L, s);
    this.bytes.copyWithin(dst, at, at + this.cfg.bufferBytes);
    this.core.trace(E_UNMAP, s * this.pages);
    m[this.ws + W_PHASE] = PH_FREE;
    this.lc.acquire(this.poolLock);
    const ok = this.slotFree(s);
    this.lc.release(this.poolLock);
    if (!ok) this.log.record(V.IOVA_DOUBLE_FREE, -1, -1, -1, this.pages, this.pages);
    m[this.shadowOf(slot) + SH_STATE] = SS_EMPTY;
  }
}
