/**
 * The bare twin of one harness operation, and its worker-thread entry.
 *
 * The harness's default design, algorithm for algorithm, written plainly
 * and with no bookkeeping at all: no counters but the loop's operation
 * count, no shadows, traces, phases, schedule points, lock_stat, latency
 * samples, probes or audit. What is left is what a driver and an IOMMU do:
 *
 *   - a domain: an IOVA allocator (a bitmap over the window searched
 *     next-fit from a cursor, as src/iova.ts) behind its own ttas lock, and a
 *     4-level radix page table (512 Int32 entries a level, src/pte.ts's
 *     encoding), refcount style (src/pgtable.ts 'refcount': a live-entry count
 *     per table, plain loads and stores under the page-table lock, a table
 *     freed as soon as its count reaches zero, never the root) behind the
 *     domain's page-table ttas lock;
 *   - one pool of table pages for every domain: a tagged Treiber stack
 *     (src/table-pool.ts);
 *   - the locks: test-and-test-and-set with exponential backoff (src/locks/ttas.ts);
 *   - the IOVA window centred on 2^39 (pfn 2^27), sized as src/layout.ts sizes it;
 *   - one operation, as DeviceLoop.step() with --completion random, 1 page a
 *     buffer: when the ring of `inflight` buffers is full, complete a random
 *     one (unmap under the page-table lock, free the IOVA under the allocator
 *     lock), then issue one (allocate an IOVA, map it under the page-table
 *     lock, DMA it: the lock-free walk, compared with the frame mapped, and
 *     the frame's tag bumped, the DMA's write). A walk that does not land on
 *     the frame mapped throws: with correct locking it never happens.
 *
 * Left out on purpose, because they are the harness's checking and not the
 * operation: the probe walk after unmap (strict mode's "no longer
 * translates" check), the map-over-live and unmap-wrong-frame checks, the
 * double-free count, the table metadata and free counters, the rotating
 * buffer FIFO (the twin DMAs slot `s` into frame `s`), and the per-operation
 * Atomics.load of the attached domain (the twin's domain never switches).
 *
 * Nothing here imports src/: the twin must stay what it is while the engine
 * is rewritten. The main thread lays out and initialises the memory
 * (twinLayout, initTwin); each worker runs one TwinDevice over it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

/* ---- geometry and entry encoding (the same as src/pte.ts) --------------- */
export const ENTRIES = 512;
const PTE_VALID = 1;
const PTE_LEAF = 2;
const PROT_RW = 4 | 8;
const PTE_SHIFT = 4;
const mkTablePte = (t: number): number => (t << PTE_SHIFT) | PTE_VALID;
const mkLeafPte = (frame: number): number => (frame << PTE_SHIFT) | PTE_VALID | PTE_LEAF | PROT_RW;

/** Words in a cache line: every lock, and each domain's hot words, get lines of their own. */
const LINE = 16;
const lineUp = (w: number): number => Math.ceil(w / LINE) * LINE;
/** Words between two tables' live counts: a line, as the harness (no false sharing between tables). */
const COUNT_STRIDE = LINE;

/* ---- the table pool's head word (as src/table-pool.ts) ------------------ */
const INDEX_BITS = 20;
const INDEX_MASK = (1 << INDEX_BITS) - 1;
const TAG_MASK = (1 << (31 - INDEX_BITS)) - 1;

/* ---- ttas backoff bounds, spin-loop iterations (as src/locks/ttas.ts) --- */
const BACKOFF_MIN = 4;
const BACKOFF_MAX = 1024;

/* ---- the window (as src/layout.ts) -------------------------------------- */
const IOVA_CENTRE_PFN = 2 ** 27;
const NO_IOVA = -1;

/* ---- words of the memory ------------------------------------------------- */
/** Control line: workers at the start barrier, and the go flag. */
export const CTL_READY = 0;
export const CTL_GO = 1;
/** A domain: three lines, its page-table lock, its allocator lock, then its root and cursor. */
const D_PT_LOCK = 0;
const D_ALLOC_LOCK = LINE;
const D_ROOT = 2 * LINE;
const D_CURSOR = 2 * LINE + 1;
const DOM_WORDS = 3 * LINE;

export interface TwinLayout {
  readonly words: number;
  readonly workers: number;
  readonly domains: number;
  readonly inflight: number;
  readonly windowPages: number;
  readonly iovaBasePfn: number;
  readonly domainBase: number;
  readonly bitmaps: number;
  readonly bitmapWords: number;
  readonly poolHead: number;
  readonly poolNext: number;
  readonly poolCount: number;
  readonly tables: number;
  readonly nTables: number;
  readonly tags: number;
  /** Tag words a worker: a whole line, so that two workers' frames never share one. */
  readonly framesPerWorker: number;
}

const nextPow2 = (n: number): number => {
  let p = 1;
  while (p < n) p *= 2;
  return p;
};

/** As src/memory/layout.ts radixTablesFor: the tables a window of `w` pages spans at each of the 4 levels, at most. */
const tablesForWindow = (w: number): number => {
  let n = 0;
  for (let k = 1; k <= 4; k++) n += Math.ceil(w / ENTRIES ** k) + 1;
  return n;
};

/**
 * `workers` devices, all on one domain (`shared`) or a domain each; `inflight`
 * buffers of 1 page each. The window and the pool are sized as the harness
 * sizes them for the same configuration.
 */
export function twinLayout(workers: number, shared: boolean, inflight: number): TwinLayout {
  const domains = shared ? 1 : workers;
  const perDomain = shared ? workers : 1;
  const windowPages = Math.max(1024, nextPow2(perDomain * inflight * 8));
  const iovaBasePfn = IOVA_CENTRE_PFN - windowPages / 2;
  // The walk takes level indices with 32-bit shifts: exact while every pfn is below 2^31.
  if (iovaBasePfn + windowPages >= 2 ** 31) throw new Error('twin: the window must lie below pfn 2^31');
  const nTables = 1 + 2 * domains * tablesForWindow(windowPages) + 4 * workers + 8;
  const framesPerWorker = lineUp(2 * inflight);
  let at = 0;
  const take = (words: number): number => {
    const start = at;
    at += lineUp(words);
    return start;
  };
  take(LINE); // control
  const domainBase = take(domains * DOM_WORDS);
  const bitmapWords = lineUp(windowPages / 32);
  const bitmaps = take(domains * bitmapWords);
  const poolHead = take(LINE);
  const poolNext = take(nTables);
  const poolCount = take(nTables * COUNT_STRIDE);
  const tables = take(nTables * ENTRIES);
  const tags = take(workers * framesPerWorker);
  return {
    words: at,
    workers,
    domains,
    inflight,
    windowPages,
    iovaBasePfn,
    domainBase,
    bitmaps,
    bitmapWords,
    poolHead,
    poolNext,
    poolCount,
    tables,
    nTables,
    tags,
    framesPerWorker,
  };
}

const domainAt = (L: TwinLayout, d: number): number => L.domainBase + d * DOM_WORDS;
/** The domain worker `w` maps through. */
export const domainOfWorker = (L: TwinLayout, w: number): number => (L.domains === 1 ? 0 : w);

/** Main thread, once, on fresh (zeroed) memory: the pool's free list, a root table a domain. */
export function initTwin(sab: SharedArrayBuffer, L: TwinLayout): void {
  const m = new Int32Array(sab);
  for (let t = 1; t < L.nTables; t++) m[L.poolNext + t] = t + 1 < L.nTables ? t + 1 : 0;
  Atomics.store(m, L.poolHead, L.nTables > 1 ? 1 : 0);
  for (let d = 0; d < L.domains; d++) {
    // Pop the root as a device would (tables 1, 2, ... in domain order).
    const h = m[L.poolHead]!;
    const t = h & INDEX_MASK;
    if (t === 0) throw new Error('twin: table pool too small for the roots');
    m[L.poolHead] = (((h >>> INDEX_BITS) + 1) & TAG_MASK) << INDEX_BITS | m[L.poolNext + t]!;
    m[domainAt(L, d) + D_ROOT] = t;
    m[domainAt(L, d) + D_CURSOR] = 0;
  }
}

/* ---- a device ------------------------------------------------------------- */

/** Keeps the backoff loop's result alive so that the JIT cannot drop it (src/locks/spin.ts). */
let sink = 0;
function spinDelay(n: number): void {
  let s = sink;
  for (let i = 0; i < n; i++) s = (s + i) | 0;
  sink = s;
}

/**
 * One device over the twin's memory. A class with readonly fields, as the
 * harness's DeviceLoop: field loads are monomorphic and every method is a
 * single shape at its call sites, so TurboFan inlines the small ones; the
 * comparison measures bookkeeping, not a style of writing JavaScript.
 */
export class TwinDevice {
  private readonly m: Int32Array;
  private readonly tables: number;
  private readonly poolHead: number;
  private readonly poolNext: number;
  private readonly poolCount: number;
  private readonly ptLock: number;
  private readonly allocLock: number;
  private readonly root: number;
  private readonly cursorAt: number;
  private readonly bitmap: number;
  private readonly window: number;
  private readonly basePfn: number;
  private readonly frameBase: number;
  private readonly tags: number;
  private readonly inflight: number;
  /** Window offset of the IOVA each ring slot holds: the driver's own handle (its dma_addr_t). */
  private readonly slotOff: Int32Array;
  private rng: number;

  constructor(sab: SharedArrayBuffer, L: TwinLayout, worker: number, seed: number) {
    const m = new Int32Array(sab);
    const dw = domainAt(L, domainOfWorker(L, worker));
    this.m = m;
    this.tables = L.tables;
    this.poolHead = L.poolHead;
    this.poolNext = L.poolNext;
    this.poolCount = L.poolCount;
    this.ptLock = dw + D_PT_LOCK;
    this.allocLock = dw + D_ALLOC_LOCK;
    this.root = m[dw + D_ROOT]!;
    this.cursorAt = dw + D_CURSOR;
    this.bitmap = L.bitmaps + domainOfWorker(L, worker) * L.bitmapWords;
    this.window = L.windowPages;
    this.basePfn = L.iovaBasePfn;
    this.frameBase = worker * L.framesPerWorker;
    this.tags = L.tags;
    this.inflight = L.inflight;
    this.slotOff = new Int32Array(L.inflight);
    this.rng = seedState(seed, worker);
  }

  /** Wait at the start barrier, do `ops` operations; the times (performance.timeOrigin-based ms) around them. */
  run(ops: number): { startMs: number; endMs: number } {
    const m = this.m;
    Atomics.add(m, CTL_READY, 1);
    while (Atomics.load(m, CTL_GO) === 0) Atomics.wait(m, CTL_GO, 0, 100);
    const startMs = performance.timeOrigin + performance.now();
    for (let op = 0; op < ops; op++) this.step(op);
    const endMs = performance.timeOrigin + performance.now();
    return { startMs, endMs };
  }

  /** One operation: complete a random buffer once the ring is full, then issue one into its slot. */
  step(op: number): void {
    let slot: number;
    if (op < this.inflight) {
      slot = op;
    } else {
      // xorshift32, inline: the harness's --completion random draws the slot the same way.
      let s = this.rng;
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      this.rng = s;
      slot = (s >>> 0) % this.inflight;
      this.complete(slot);
    }
    this.issue(slot);
  }

  private complete(slot: number): void {
    const off = this.slotOff[slot]!;
    this.lock(this.ptLock);
    this.unmap(this.basePfn + off);
    this.unlock(this.ptLock);
    this.lock(this.allocLock);
    this.iovaFree(off);
    this.unlock(this.allocLock);
  }

  private issue(slot: number): void {
    this.lock(this.allocLock);
    const off = this.iovaAlloc();
    this.unlock(this.allocLock);
    if (off === NO_IOVA) throw new Error('twin: IOVA window exhausted');
    this.slotOff[slot] = off;
    const pfn = this.basePfn + off;
    const frame = this.frameBase + slot;
    this.lock(this.ptLock);
    this.map(pfn, frame);
    this.unlock(this.ptLock);
    this.dma(pfn, frame);
  }

  /** The device writes its page: walk with no lock, check it lands on the frame mapped, bump that frame's tag. */
  dma(pfn: number, frame: number): void {
    const got = this.walk(pfn);
    if (got !== frame) dmaMiss(pfn, frame, got);
    this.m[this.tags + got] = this.m[this.tags + got]! + 1;
  }

  /* ---- locks: ttas with exponential backoff ------------------------------ */

  protected lock(l: number): void {
    // The uncontended path, kept tiny so that it inlines: a read, then the exchange.
    if (Atomics.load(this.m, l) === 0 && Atomics.exchange(this.m, l, 1) === 0) return;
    this.lockSlow(l);
  }

  protected lockSlow(l: number): void {
    const m = this.m;
    let delay = BACKOFF_MIN;
    for (;;) {
      if (Atomics.load(m, l) === 0 && Atomics.exchange(m, l, 1) === 0) return;
      spinDelay(delay);
      if (delay < BACKOFF_MAX) delay <<= 1;
    }
  }

  protected unlock(l: number): void {
    Atomics.store(this.m, l, 0);
  }

  /* ---- IOVA allocator: bitmap, next-fit (under the allocator lock) ------- */

  private iovaAlloc(): number {
    const m = this.m;
    const cursor = m[this.cursorAt]!;
    let off = this.findRun(cursor, this.window, 1);
    if (off === NO_IOVA) off = this.findRun(0, Math.min(this.window, cursor), 1);
    if (off === NO_IOVA) return NO_IOVA;
    const w = this.bitmap + (off >>> 5);
    m[w] = m[w]! | (1 << (off & 31));
    const next = off + 1;
    m[this.cursorAt] = next >= this.window ? 0 : next;
    return off;
  }

  private iovaFree(off: number): void {
    const w = this.bitmap + (off >>> 5);
    this.m[w] = this.m[w]! & ~(1 << (off & 31));
  }

  /** First run of `pages` clear bits starting in [from, to) and ending by the window's end (src/iova.ts). */
  private findRun(from: number, to: number, pages: number): number {
    const m = this.m;
    const bm = this.bitmap;
    const end = this.window;
    let run = 0;
    let p = from;
    while (p < end && (run > 0 || p < to)) {
      if ((p & 31) === 0 && p + 32 <= end) {
        const w = m[bm + (p >>> 5)]!;
        if (w === 0) {
          run += 32;
          p += 32;
          if (run >= pages) return p - run;
          continue;
        }
        if (w === -1) {
          run = 0;
          p += 32;
          continue;
        }
      }
      if ((m[bm + (p >>> 5)]! & (1 << (p & 31))) !== 0) {
        run = 0;
      } else if (++run === pages) {
        return p - pages + 1;
      }
      p++;
    }
    return NO_IOVA;
  }

  /* ---- the page table, refcount style -------------------------------------- */

  /**
   * The hardware walk: no lock, plain reads, from the root. The frame, or -1
   * where an entry is empty. The four levels are written out: level indices
   * are plain shifts, exact for pfns below 2^31 (twinLayout checks).
   */
  walk(pfn: number): number {
    const m = this.m;
    const tb = this.tables;
    let e = m[tb + this.root * ENTRIES + ((pfn >>> 27) & 511)]!;
    if ((e & PTE_VALID) === 0) return -1;
    e = m[tb + (e >>> PTE_SHIFT) * ENTRIES + ((pfn >>> 18) & 511)]!;
    if ((e & PTE_VALID) === 0) return -1;
    e = m[tb + (e >>> PTE_SHIFT) * ENTRIES + ((pfn >>> 9) & 511)]!;
    if ((e & PTE_VALID) === 0) return -1;
    e = m[tb + (e >>> PTE_SHIFT) * ENTRIES + (pfn & 511)]!;
    if ((e & PTE_VALID) === 0) return -1;
    return e >>> PTE_SHIFT;
  }

  /** Map one page (under the page-table lock): install missing tables on the way down, write the leaf, count it. */
  map(pfn: number, frame: number): void {
    const m = this.m;
    const tb = this.tables;
    let t = this.root;
    for (let shift = 27; shift > 0; shift -= 9) {
      const at = tb + t * ENTRIES + ((pfn >>> shift) & 511);
      let e = m[at]!;
      if ((e & PTE_VALID) === 0) e = this.install(t, at);
      t = e >>> PTE_SHIFT;
    }
    m[tb + t * ENTRIES + (pfn & 511)] = mkLeafPte(frame);
    m[this.poolCount + t * COUNT_STRIDE] = m[this.poolCount + t * COUNT_STRIDE]! + 1;
  }

  /** A fresh table at entry `at` of `parent`; returns the entry. Rare: once per 512 pages the cursor crosses. */
  private install(parent: number, at: number): number {
    const fresh = this.poolAlloc();
    const pte = mkTablePte(fresh);
    // Published with Atomics.store, as src/pgtable.ts does in the refcount style (its comment says a
    // plain store would do under the lock, and it would; the twin follows the code, not the comment).
    Atomics.store(this.m, at, pte);
    this.m[this.poolCount + parent * COUNT_STRIDE] = this.m[this.poolCount + parent * COUNT_STRIDE]! + 1;
    return pte;
  }

  /**
   * Unmap one page (under the page-table lock): clear the leaf, and when its
   * table's count reaches zero free it and every table above that empties
   * in turn, never the root (tegra-smmu's as_put_pte). The descent is
   * written out, the path kept in locals: nothing allocated.
   */
  unmap(pfn: number): void {
    const m = this.m;
    const tb = this.tables;
    const cnt = this.poolCount;
    const t0 = this.root;
    const at0 = tb + t0 * ENTRIES + ((pfn >>> 27) & 511);
    const t1 = m[at0]! >>> PTE_SHIFT;
    const at1 = tb + t1 * ENTRIES + ((pfn >>> 18) & 511);
    const t2 = m[at1]! >>> PTE_SHIFT;
    const at2 = tb + t2 * ENTRIES + ((pfn >>> 9) & 511);
    const t3 = m[at2]! >>> PTE_SHIFT;
    m[tb + t3 * ENTRIES + (pfn & 511)] = 0;
    const c3 = m[cnt + t3 * COUNT_STRIDE]! - 1;
    m[cnt + t3 * COUNT_STRIDE] = c3;
    if (c3 > 0) return;
    this.unlink(at2, t3);
    const c2 = m[cnt + t2 * COUNT_STRIDE]! - 1;
    m[cnt + t2 * COUNT_STRIDE] = c2;
    if (c2 > 0) return;
    this.unlink(at1, t2);
    const c1 = m[cnt + t1 * COUNT_STRIDE]! - 1;
    m[cnt + t1 * COUNT_STRIDE] = c1;
    if (c1 > 0) return;
    this.unlink(at0, t1);
    m[cnt + t0 * COUNT_STRIDE] = m[cnt + t0 * COUNT_STRIDE]! - 1;
  }

  /** Clear the entry pointing at empty table `t` and give `t` back to the pool (Atomics.store, as src/pgtable.ts). */
  private unlink(at: number, t: number): void {
    Atomics.store(this.m, at, 0);
    this.poolRelease(t);
  }

  /* ---- the table pool: a tagged Treiber stack (lock-free) ------------------ */

  private poolAlloc(): number {
    const m = this.m;
    let t: number;
    for (;;) {
      const h = Atomics.load(m, this.poolHead);
      t = h & INDEX_MASK;
      if (t === 0) throw new Error('twin: table pool empty');
      const below = Atomics.load(m, this.poolNext + t);
      if (Atomics.compareExchange(m, this.poolHead, h, (((h >>> INDEX_BITS) + 1) & TAG_MASK) << INDEX_BITS | below) === h) break;
    }
    const at = this.tables + t * ENTRIES;
    m.fill(0, at, at + ENTRIES);
    m[this.poolCount + t * COUNT_STRIDE] = 0;
    return t;
  }

  private poolRelease(t: number): void {
    const m = this.m;
    for (;;) {
      const h = Atomics.load(m, this.poolHead);
      Atomics.store(m, this.poolNext + t, h & INDEX_MASK);
      if (Atomics.compareExchange(m, this.poolHead, h, (((h >>> INDEX_BITS) + 1) & TAG_MASK) << INDEX_BITS | t) === h) break;
    }
  }
}

/** A DMA that did not land where it was mapped: the one check the twin keeps. Out of line, so the hot path stays small. */
function dmaMiss(pfn: number, frame: number, got: number): never {
  throw new Error(`twin: DMA to pfn 0x${pfn.toString(16)} ${got < 0 ? 'faulted' : `landed on frame ${got}`}, mapped to frame ${frame}`);
}

/** The harness's seeding (src/prng.ts seedState): with the same seed, the same completion order. */
function seedState(seed: number, stream: number): number {
  let s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) | 0;
  s = Math.imul(s ^ (s >>> 16), 0x85ebca6b);
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35);
  s ^= s >>> 16;
  return s === 0 ? 0x6d2b79f5 : s;
}

/** Atomic load, exchange and store on word addresses: what TwinDeviceWasm is handed. */
export interface TwinAtomics {
  load(addr: number): number;
  exchange(addr: number, value: number): number;
  store(addr: number, value: number): void;
}

/**
 * The same twin, its locks on the atomics the harness's accessors use
 * (WebAssembly's, src/memory/shared.ts, handed in: nothing here imports
 * src/): the like-for-like figure beside the plain one, which uses
 * Atomics.* as a plain JavaScript program does.
 */
export class TwinDeviceWasm extends TwinDevice {
  constructor(
    sab: SharedArrayBuffer,
    L: TwinLayout,
    worker: number,
    seed: number,
    private readonly a: TwinAtomics,
  ) {
    super(sab, L, worker, seed);
  }

  protected override lock(l: number): void {
    if (this.a.load(l) === 0 && this.a.exchange(l, 1) === 0) return;
    this.lockSlow(l);
  }

  protected override lockSlow(l: number): void {
    let delay = BACKOFF_MIN;
    for (;;) {
      if (this.a.load(l) === 0 && this.a.exchange(l, 1) === 0) return;
      spinDelay(delay);
      if (delay < BACKOFF_MAX) delay <<= 1;
    }
  }

  protected override unlock(l: number): void {
    this.a.store(l, 0);
  }
}

/** For tests: the word index of `pfn`'s leaf entry in `worker`'s domain, -1 if a table on the way is missing. */
export function leafWord(sab: SharedArrayBuffer, L: TwinLayout, worker: number, pfn: number): number {
  const m = new Int32Array(sab);
  let t = m[domainAt(L, domainOfWorker(L, worker)) + D_ROOT]!;
  for (let shift = 27; shift > 0; shift -= 9) {
    const e = m[L.tables + t * ENTRIES + ((pfn >>> shift) & 511)]!;
    if ((e & PTE_VALID) === 0) return -1;
    t = e >>> PTE_SHIFT;
  }
  return L.tables + t * ENTRIES + (pfn & 511);
}

/* ---- worker-thread entry ---------------------------------------------------- */

/** What the main thread hands a twin worker. */
export interface TwinJob {
  kind: 'twin';
  sab: SharedArrayBuffer;
  /** The twin on the harness's atomics: the WebAssembly.Memory behind sab (null: Atomics.*, the plain twin). */
  memory: unknown;
  layout: TwinLayout;
  worker: number;
  ops: number;
  seed: number;
}

/** What a twin worker posts back once its operations are done. */
export interface TwinReply {
  worker: number;
  ops: number;
  startMs: number;
  endMs: number;
}

const job = workerData as TwinJob | undefined;
if (parentPort && job?.kind === 'twin') {
  let dev: TwinDevice;
  if (job.memory === null) {
    dev = new TwinDevice(job.sab, job.layout, job.worker, job.seed);
  } else {
    // Only this variant's wiring takes anything from src/: the harness's atomics over the same memory.
    const { adoptShared, wordAtomics } = await import('../src/memory/shared.js');
    const sab = adoptShared({ sab: job.sab, memory: job.memory as Parameters<typeof adoptShared>[0]['memory'] });
    dev = new TwinDeviceWasm(sab, job.layout, job.worker, job.seed, wordAtomics(sab)!);
  }
  const { startMs, endMs } = dev.run(job.ops);
  parentPort.postMessage({ worker: job.worker, ops: job.ops, startMs, endMs } satisfies TwinReply);
}
