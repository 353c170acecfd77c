/**
 * The whole shared-memory layout, named once. The main thread computes a
 * Layout from the configuration, allocates one SharedArrayBuffer of
 * `layout.bytes`, and hands both to every worker; both sides index the same
 * words through the constants below. Every region starts on a cache line.
 *
 *   Int32 words                                       one SharedArrayBuffer
 *   +--------------------------------------------+ 0
 *   | CTL         16: ready count, go, stop        |
 *   +--------------------------------------------+ locks
 *   | LOCKS       nLocks x 16 (one line a lock):   |  [0, D)      page-table lock of each domain
 *   |             see locks/lock.ts for the line   |  [D, D+N)    lock of each device
 *   |                                              |  [D+N, 2D+N) IOVA allocator lock of each domain
 *   +--------------------------------------------+ qnodes
 *   | QNODES      workers x classes x 16 (MCS)     |
 *   +--------------------------------------------+ devices
 *   | DEVICES     N x 16: attached domain, ...     |
 *   +--------------------------------------------+ domains
 *   | DOMAINS     D x 16: root table, locks, ...   |
 *   +--------------------------------------------+ bitmaps
 *   | IOVA BITMAP D x bitmapWords (1 bit a page)   |
 *   +--------------------------------------------+ pool
 *   | POOL HDR    16: free-list head, free count   |
 *   | next[]      nTables: free-list links         |
 *   | count[]     nTables: live entries (refcount) |
 *   | meta[]      nTables: level+1 | domain << 4   |
 *   | TABLES      nTables x 512 entries            |  table 0 is never used (0 = null)
 *   +--------------------------------------------+ tags
 *   | FRAME TAGS  one word a physical frame        |  DMAs that landed in the frame
 *   +--------------------------------------------+ workerState
 *   | WORKERS     W x 16: progress, phase, ...     |
 *   +--------------------------------------------+ shadows
 *   | SHADOWS     W x inflight x 4                 |  what each worker believes it mapped
 *   +--------------------------------------------+ counters (byte offset / 8)
 *   | COUNTERS    Float64, W x counterStride       |  ops, lock_stat fields, violations
 *   +--------------------------------------------+ bytes
 */
import { UsageError } from './errors.js';
import { type Config, callPagesOf, domainsOf, workersOf } from './config.js';
import { LOCK_LINE_WORDS, QNODE_WORDS } from './locks/lock.js';
import { ENTRIES, PTE_MAX_TARGET } from './pte.js';

/** Words in a cache line (64 bytes). */
export const LINE_WORDS = 16;

/* ---- CTL: run control -------------------------------------------------- */
export const CTL_READY = 0; // workers that reached the start barrier
export const CTL_GO = 1; // main sets 1 and notifies: start
export const CTL_STOP = 2; // main sets 1: finish the current operation and stop
export const CTL_WORDS = LINE_WORDS;

/* ---- lock classes (what a lock protects), for lock_stat ---------------- */
export const LOCK_CLASSES = ['pgtable', 'device', 'iova'] as const;
export type LockClassName = (typeof LOCK_CLASSES)[number];
/** A domain's page-table lock (--lock-scope domain). */
export const LC_PGTABLE = 0;
/** A device's own lock, guarding its DMA table (--lock-scope device, the s390 dma_table_lock). */
export const LC_DEVICE = 1;
/** A domain's IOVA allocator lock. */
export const LC_IOVA = 2;
/** The same classes as Linux lock_stat would name them. */
export const LOCK_CLASS_KERNEL_NAMES: readonly string[] = ['&domain->pgtable_lock', '&device->dma_table_lock', '&iovad->iova_rbtree_lock'];
/** Whose lock each class is. */
export const LOCK_CLASS_OWNERS: readonly string[] = ['domain', 'device', 'domain'];
export const NUM_LOCK_CLASSES = LOCK_CLASSES.length;

/* ---- DEVICES ------------------------------------------------------------ */
export const DEV_DOMAIN = 0; // attached domain; Atomics.load per operation (switchable)
export const DEV_LOCK = 1; // word index of the device's lock line
export const DEV_FRAME_BASE = 2; // first physical frame of the device
export const DEV_WORDS = LINE_WORDS;

/* ---- DOMAINS ------------------------------------------------------------ */
export const DOM_ROOT = 0; // level-0 table index
export const DOM_PT_LOCK = 1; // word index of the page-table lock line
export const DOM_ALLOC_LOCK = 2; // word index of the allocator lock line
export const DOM_BITMAP = 3; // word index of the IOVA bitmap
export const DOM_CURSOR = 4; // next-fit cursor of the allocator (page offset)
export const DOM_ALLOCATED = 5; // pages allocated now
export const DOM_WORDS = LINE_WORDS;

/* ---- table pool header ------------------------------------------------- */
export const POOL_HEAD = 0; // Treiber stack head: tag << 20 | table index
export const POOL_FREE = 1; // tables on the free list
export const POOL_HDR_WORDS = LINE_WORDS;

/* ---- WORKERS: what each worker is doing (read by the watchdog) ---------- */
export const W_PROGRESS = 0; // operations completed (wraps)
export const W_PHASE = 1; // Phase below
export const W_DOMAIN = 2; // domain of the current operation
export const W_IOVA = 3; // window offset of the current buffer
export const W_WAIT_LOCK = 4; // lock line + 1 being waited for, 0 if none
export const W_STATUS = 5; // WorkerStatus below
export const W_WORDS = LINE_WORDS;

export const PH_IDLE = 0;
export const PH_ALLOC = 1;
export const PH_MAP = 2;
export const PH_DMA = 3;
export const PH_UNMAP = 4;
export const PH_FREE = 5;
export const PHASES = ['idle', 'iova alloc', 'map', 'dma', 'unmap', 'iova free'] as const;

export const WS_STARTING = 0;
export const WS_RUNNING = 1;
export const WS_DONE = 2;
export const WS_FAILED = 3;
export const WORKER_STATUSES = ['starting', 'running', 'done', 'failed'] as const;

/* ---- SHADOWS: one slot a buffer in flight -------------------------------- */
export const SH_STATE = 0; // ShadowState below
export const SH_OFF = 1; // window offset of the buffer's first page
export const SH_DOMAIN = 2; // domain it was mapped in
export const SH_PAGES = 3; // pages
export const SH_WORDS = 4;
export const SS_EMPTY = 0;
export const SS_MAPPING = 1;
export const SS_MAPPED = 2;
export const SS_UNMAPPING = 3;

/* ---- COUNTERS (Float64 indices within a worker's block) ----------------- */
export const C_OPS = 0;
export const C_PAGES = 1;
export const C_DMAS = 2;
export const C_MAP_CALLS = 3;
export const C_UNMAP_CALLS = 4;
export const C_START_MS = 5; // performance.timeOrigin + now() at the first operation
export const C_END_MS = 6;
export const C_VIOLATIONS = 7;
export const C_STOP_CODE = 8; // invariant code + 1 that made the worker stop early, 0 if none
export const C_VIOL_BY_CODE = 9; // NUM_VCODES counters
export const NUM_VCODES = 24;
export const C_LOCKSTAT = C_VIOL_BY_CODE + NUM_VCODES; // NUM_LOCK_CLASSES x LS_FIELDS

/** lock_stat fields per lock class (times in ns). */
export const LS_ACQ = 0;
export const LS_CONT = 1;
export const LS_WAIT_TOTAL = 2;
export const LS_WAIT_MIN = 3;
export const LS_WAIT_MAX = 4;
export const LS_HOLD_SAMPLES = 5;
export const LS_HOLD_TOTAL = 6;
export const LS_HOLD_MIN = 7;
export const LS_HOLD_MAX = 8;
export const LS_CON_BOUNCES = 9;
export const LS_ACQ_BOUNCES = 10;
export const LS_FIELDS = 12;

/** Violation samples: the first few a worker sees, each VS_FIELDS doubles. */
export const C_SAMPLES = C_LOCKSTAT + NUM_LOCK_CLASSES * LS_FIELDS;
export const SAMPLES_PER_WORKER = 4;
export const VS_CODE = 0;
export const VS_DEVICE = 1;
export const VS_DOMAIN = 2;
export const VS_PFN = 3;
export const VS_EXPECTED = 4;
export const VS_FOUND = 5;
export const VS_LEVEL = 6;
export const VS_OP = 7;
export const VS_FIELDS = 8;
/** Stride rounded to a cache line, plus one line of padding between workers. */
export const COUNTER_STRIDE = Math.ceil((C_SAMPLES + SAMPLES_PER_WORKER * VS_FIELDS) / 8) * 8 + 8;

/** Largest IOVA window per domain: 2^26 pages (256 GiB). */
export const MAX_WINDOW_PAGES = 1 << 26;
/** The window is centred on IOVA 2^39 (pfn 2^27) so it crosses a boundary at every level. */
export const IOVA_CENTRE_PFN = 2 ** 27;

export interface Layout {
  readonly bytes: number;
  readonly workers: number;
  readonly devices: number;
  readonly domains: number;
  readonly queues: number;
  readonly inflight: number;
  readonly pages: number;
  readonly callPages: number;

  readonly locks: number;
  readonly nLocks: number;
  readonly qnodes: number;
  readonly deviceBase: number;
  readonly domainBase: number;
  readonly bitmaps: number;
  readonly bitmapWords: number;
  readonly pool: number;
  readonly poolNext: number;
  readonly poolCount: number;
  readonly poolMeta: number;
  readonly tables: number;
  readonly nTables: number;
  readonly tags: number;
  readonly totalFrames: number;
  readonly framesPerWorker: number;
  readonly framesPerDevice: number;
  readonly workerState: number;
  readonly shadows: number;
  /** Float64 index of worker 0's counter block. */
  readonly counters: number;

  readonly windowPages: number;
  readonly iovaBasePfn: number;
}

function lineUp(words: number): number {
  return Math.ceil(words / LINE_WORDS) * LINE_WORDS;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Tables that map `window` contiguous pages, at most: leaf tables plus the levels above. */
export function tablesForWindow(window: number): number {
  return Math.ceil(window / ENTRIES) + 1 + Math.ceil(window / ENTRIES ** 2) + 1 + 2 + 1;
}

export function computeLayout(c: Config): Layout {
  const workers = workersOf(c);
  const domains = domainsOf(c);
  const devices = c.devices;

  // IOVA window per domain: room for 8x the pages live at once, at least 1024.
  const live = c.groupSize * c.queues * c.inflight * c.pages;
  const windowPages = Math.max(1024, nextPow2(live * 8));
  if (windowPages > MAX_WINDOW_PAGES) {
    throw new UsageError(
      `--group-size ${c.groupSize} x --queues ${c.queues} x --inflight ${c.inflight} x --pages ${c.pages}: ${live} pages live in one domain (allowed: at most ${MAX_WINDOW_PAGES / 8})`,
    );
  }
  const framesPerWorker = c.inflight * c.pages;
  const framesPerDevice = framesPerWorker * c.queues;
  const totalFrames = framesPerDevice * devices;
  if (totalFrames > PTE_MAX_TARGET) {
    throw new UsageError(`${totalFrames} physical frames (devices x queues x inflight x pages): allowed at most ${PTE_MAX_TARGET}`);
  }
  // Twice what the windows need (buggy modes leak tables), plus room for the
  // copies that lose a cmpxchg install race, plus the reserved table 0.
  const nTables = 1 + 2 * domains * tablesForWindow(windowPages) + 4 * workers;
  if (nTables > 1 << 20) throw new UsageError(`${nTables} page-table pages needed: allowed at most ${1 << 20}`);

  let at = 0;
  const take = (words: number): number => {
    const start = at;
    at += lineUp(words);
    return start;
  };
  take(CTL_WORDS);
  const nLocks = 2 * domains + devices;
  const locks = take(nLocks * LOCK_LINE_WORDS);
  const qnodes = take(workers * NUM_LOCK_CLASSES * QNODE_WORDS);
  const deviceBase = take(devices * DEV_WORDS);
  const domainBase = take(domains * DOM_WORDS);
  const bitmapWords = lineUp(windowPages / 32);
  const bitmaps = take(domains * bitmapWords);
  const pool = take(POOL_HDR_WORDS);
  const poolNext = take(nTables);
  const poolCount = take(nTables);
  const poolMeta = take(nTables);
  const tables = take(nTables * ENTRIES);
  const tags = take(totalFrames);
  const workerState = take(workers * W_WORDS);
  const shadows = take(workers * c.inflight * SH_WORDS);
  const counterWords = workers * COUNTER_STRIDE * 2;
  const countersWord = take(counterWords);

  return {
    bytes: at * 4,
    workers,
    devices,
    domains,
    queues: c.queues,
    inflight: c.inflight,
    pages: c.pages,
    callPages: callPagesOf(c),
    locks,
    nLocks,
    qnodes,
    deviceBase,
    domainBase,
    bitmaps,
    bitmapWords,
    pool,
    poolNext,
    poolCount,
    poolMeta,
    tables,
    nTables,
    tags,
    totalFrames,
    framesPerWorker,
    framesPerDevice,
    workerState,
    shadows,
    counters: countersWord / 2,
    windowPages,
    iovaBasePfn: IOVA_CENTRE_PFN - windowPages / 2,
  };
}

/* ---- one-line accessors: word index of each object -------------------- */
export const lockLine = (L: Layout, lock: number): number => L.locks + lock * LOCK_LINE_WORDS;
export const ptLockId = (_L: Layout, domain: number): number => domain;
export const deviceLockId = (L: Layout, device: number): number => L.domains + device;
export const allocLockId = (L: Layout, domain: number): number => L.domains + L.devices + domain;
export const deviceAt = (L: Layout, device: number): number => L.deviceBase + device * DEV_WORDS;
export const domainAt = (L: Layout, domain: number): number => L.domainBase + domain * DOM_WORDS;
export const workerAt = (L: Layout, worker: number): number => L.workerState + worker * W_WORDS;
export const shadowAt = (L: Layout, worker: number, slot: number): number => L.shadows + (worker * L.inflight + slot) * SH_WORDS;
export const countersAt = (L: Layout, worker: number): number => L.counters + worker * COUNTER_STRIDE;
export const qnodeAt = (L: Layout, worker: number, cls: number): number => L.qnodes + (worker * NUM_LOCK_CLASSES + cls) * QNODE_WORDS;
export const tableAt = (L: Layout, table: number): number => L.tables + table * ENTRIES;
/** Device of a worker: workers are numbered device-major. */
export const deviceOfWorker = (L: Layout, worker: number): number => Math.floor(worker / L.queues);
export const queueOfWorker = (L: Layout, worker: number): number => worker % L.queues;
/** First frame of a worker's buffer slot. */
export const slotFrame = (L: Layout, worker: number, slot: number): number =>
  deviceOfWorker(L, worker) * L.framesPerDevice + queueOfWorker(L, worker) * L.framesPerWorker + slot * L.pages;
