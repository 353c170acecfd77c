/**
 * The whole shared-memory layout, named once. The main thread computes a
 * Layout from the configuration, allocates one SharedArrayBuffer of
 * `layout.bytes`, and hands both to every worker; both sides index the same
 * words through the constants below. Every region starts on a cache line;
 * regions a configuration does not use have no words.
 *
 *   Int32 words                                       one SharedArrayBuffer
 *   +--------------------------------------------+ 0
 *   | CTL         16: ready count, go, stop, ...   |
 *   +--------------------------------------------+ locks
 *   | LOCKS       nLocks x 16 (one line a lock):   |  [0, D)       page-table lock of each domain
 *   |             see locks/lock.ts for the line   |  [D, D+N)     lock of each device
 *   |                                              |  [D+N, 2D+N)  IOVA allocator lock of each domain
 *   |                                              |  [2D+N, 3D+N) magazine depot lock of each domain
 *   |                                              |  3D+N         bounce pool lock
 *   +--------------------------------------------+ qnodes
 *   | QNODES      workers x classes x 16 (MCS)     |
 *   +--------------------------------------------+ devices
 *   | DEVICES     N x 16: attached domain, ...     |
 *   | PASIDS      N x pasids: PASID -> domain      |
 *   | IOTLBS      N x entries x 4: seq, key, frame |
 *   +--------------------------------------------+ domains
 *   | DOMAINS     D x 16: root table, locks, ...   |  D = table domains (+1 live-switch target)
 *   | IOVA BITMAP D x bitmapWords (1 bit a page)   |
 *   | MAGAZINES   W x T x 6 orders x 2 x 128       |  rcache: a loaded and a previous magazine
 *   | DEPOTS      T x 6 orders x (16 + 32 x 128)   |  rcache: full magazines, behind the depot lock
 *   +--------------------------------------------+ pool
 *   | POOL HDR    16: free-list head, free count   |
 *   | next[]      nTables: free-list links         |
 *   | count[]     nTables x 16: live entries, a    |  line a table: counts of different devices'
 *   |             cache line each (refcount)       |  tables never share a line
 *   | meta[]      nTables: level+1 | domain << 4   |
 *   | TABLES      nTables x 512 entries            |  table 0 is never used (0 = null)
 *   +--------------------------------------------+ tags
 *   | FRAME TAGS  one word a physical frame        |  DMAs that landed in the frame
 *   | BOUNCE      16 + slot bitmap                 |  pv-bounce: pool slot allocator
 *   | BYTES       data bytes (pv-bounce)           |  buffers, then the pool slots
 *   +--------------------------------------------+ workerState
 *   | WORKERS     W x 16: progress, phase, ...     |
 *   | SHADOWS     W x inflight x 4                 |  what each worker believes it mapped
 *   | FLUSH QUEUE W x (16 + fqSize x 4)            |  deferred IOTLB flush
 *   | TRACE       W x (16 + 64 x 4)                |  last events of each worker, logical clock
 *   | SCHED       16 + W x 16 + steps x 4          |  controlled scheduling (0 steps: free running)
 *   +--------------------------------------------+ counters (byte offset / 8)
 *   | COUNTERS    Float64, W x counterStride       |  ops, lock_stat fields, violations
 *   +--------------------------------------------+ bytes
 */
import { UsageError } from './errors.js';
import type { Config } from './config.js';
import { LOCK_LINE_WORDS, QNODE_WORDS } from './locks/lock.js';
import { ENTRIES, PAGE_SIZE, PTE_MAX_TARGET } from './pte.js';

/* ---- derived counts every part of the harness agrees on ----------------- */
/** Device workers: a thread per queue of each device. */
export const workersOf = (c: Config): number => c.devices * c.queues;
/** Domains the page tables belong to: a group's domain per PASID. */
export const tableDomainsOf = (c: Config): number => (c.devices / c.groupSize) * c.pasids;
/** Every domain object: the table domains, plus the target of the live switch. */
export const domainsOf = (c: Config): number => tableDomainsOf(c) + (c.switchMs > 0 ? 1 : 0);
/** Pages per map or unmap call. */
export const callPagesOf = (c: Config): number => (c.granule === 0 ? c.pages : c.granule);

/** Words in a cache line (64 bytes). */
export const LINE_WORDS = 16;

/* ---- CTL: run control -------------------------------------------------- */
export const CTL_READY = 0; // workers that reached the start barrier
export const CTL_GO = 1; // main sets 1 and notifies: start
export const CTL_STOP = 2; // main sets 1: finish the current operation and stop
export const CTL_FQ_TICK = 3; // bumped by the main thread every --fq-timeout (the flush-queue timer)
export const CTL_FREEZE = 4; // set by the first violation: trace rings stop, keeping what led to it
export const CTL_WORDS = LINE_WORDS;

/* ---- lock classes (what a lock protects), for lock_stat ---------------- */
export const LOCK_CLASSES = ['pgtable', 'device', 'iova', 'depot', 'bounce'] as const;
export type LockClassName = (typeof LOCK_CLASSES)[number];
/** A domain's page-table lock (--lock-scope domain). */
export const LC_PGTABLE = 0;
/** A device's own lock, guarding its DMA table (--lock-scope device, the s390 dma_table_lock). */
export const LC_DEVICE = 1;
/** A domain's IOVA allocator lock. */
export const LC_IOVA = 2;
/** A domain's magazine depot lock (--allocator rcache). */
export const LC_DEPOT = 3;
/** The bounce pool's slot allocator lock (--mode pv-bounce, swiotlb's io_tlb lock). */
export const LC_BOUNCE = 4;
/** The same classes as Linux lock_stat would name them. */
export const LOCK_CLASS_KERNEL_NAMES: readonly string[] = [
  '&domain->pgtable_lock',
  '&device->dma_table_lock',
  '&iovad->iova_rbtree_lock',
  '&rcache->lock',
  '&mem->lock',
];
/** Whose lock each class is. */
export const LOCK_CLASS_OWNERS: readonly string[] = ['domain', 'device', 'domain', 'domain', 'pool'];
export const NUM_LOCK_CLASSES = LOCK_CLASSES.length;

/* ---- DEVICES ------------------------------------------------------------ */
export const DEV_DOMAIN = 0; // attached domain; Atomics.load per operation (switchable)
export const DEV_LOCK = 1; // word index of the device's lock line
export const DEV_FRAME_BASE = 2; // first physical frame of the device
export const DEV_DEFAULT_DOMAIN = 3; // the domain it was attached to at start
export const DEV_WORDS = LINE_WORDS;

/* ---- IOTLB entries: per device, direct-mapped by IOVA page ------------- */
export const TLB_SEQ = 0; // even: stable; odd: being written (a seqlock per entry)
export const TLB_DOMAIN = 1; // domain + 1; 0: invalid
export const TLB_OFF = 2; // window offset of the page
export const TLB_FRAME = 3;
export const TLB_WORDS = 4;

/* ---- DOMAINS ------------------------------------------------------------ */
export const DOM_ROOT = 0; // level-0 table index
export const DOM_PT_LOCK = 1; // word index of the page-table lock line
export const DOM_ALLOC_LOCK = 2; // word index of the allocator lock line
export const DOM_BITMAP = 3; // word index of the IOVA bitmap
export const DOM_CURSOR = 4; // next-fit cursor of the allocator (page offset)
export const DOM_ALLOCATED = 5; // pages allocated now
export const DOM_OWNER = 6; // the domain whose table this is (itself, or the domain it shares a table with)
export const DOM_IOVA_OWNER = 7; // the domain whose IOVA allocator (and magazines) this one uses
export const DOM_WORDS = LINE_WORDS;

/* ---- magazines (iova rcache) ------------------------------------------- */
/** Range sizes cached: 1, 2, 4 ... 32 pages (128 KiB), as IOVA_RANGE_CACHE_MAX_SIZE. */
export const MAG_ORDERS = 6;
/** Ranges a magazine holds (IOVA_MAG_SIZE). */
export const MAG_SIZE = 127;
/** A magazine: its count, then MAG_SIZE window offsets. */
export const MAG_WORDS = 128;
/** Full magazines a depot holds (MAX_GLOBAL_MAGS). */
export const DEPOT_MAGS = 32;
export const DEPOT_WORDS = LINE_WORDS + DEPOT_MAGS * MAG_WORDS; // word 0: magazines held

/* ---- bounce pool (pv-bounce) ------------------------------------------- */
export const BP_CURSOR = 0;
export const BP_USED = 1;
export const BP_HDR_WORDS = LINE_WORDS;

/* ---- flush queue (deferred IOTLB flush), per worker -------------------- */
export const FQ_COUNT = 0; // entries queued
export const FQ_TICK = 1; // CTL_FQ_TICK seen at the last flush
export const FQ_HDR_WORDS = LINE_WORDS;
export const FQE_DOMAIN = 0;
export const FQE_OFF = 1;
export const FQE_PAGES = 2;
export const FQE_WORDS = 4;

/* ---- trace ring, per worker --------------------------------------------- */
export const TRACE_LEN = 64; // a power of two
export const TR_HEAD = 0; // events written (the ring index is head mod TRACE_LEN)
export const TR_CLOCK = 1; // the worker's logical clock
export const TR_HDR_WORDS = LINE_WORDS;
export const TE_CLOCK = 0;
export const TE_OP = 1;
export const TE_EVENT = 2;
export const TE_IOVA = 3; // window offset
export const TE_WORDS = 4;

/* ---- controlled scheduler ------------------------------------------------ */
export const SC_MODE = 0; // 0 free running, 1 controlled
export const SC_RUNNING = 1; // workers running (between points); the last to stop decides
export const SC_STEP = 2; // steps taken
export const SC_MAX_STEPS = 3;
export const SC_STRATEGY = 4; // 0 random, 1 pct, 2 replay
export const SC_RNG = 5;
export const SC_OUTCOME = 6; // 0 running, 1 all done, 2 deadlock, 3 step limit, 4 replay diverged
export const SC_DEPTH = 7; // PCT: d; change points follow in the worker lines' spare words
export const SC_STOP_AT_VIOLATION = 8;
export const SC_CHOICES = 9; // replay: switch points given
export const SC_HASH = 10; // running FNV-1a hash of the trace
export const SC_VIOLATION_STEP = 11; // steps taken when the first violation happened (the step index + 1; 0: none)
export const SC_FQ_EVERY = 12; // steps between flush-queue timer ticks in controlled mode
export const SC_LAST = 13; // worker chosen at the last step, -1 before the first
export const SC_SW_NEXT = 14; // replay: next switch point to apply
export const SC_CHANGES = 16; // PCT change points: SC_DEPTH - 1 step numbers
export const MAX_PCT_DEPTH = 32;
export const SC_HDR_WORDS = SC_CHANGES + MAX_PCT_DEPTH;
export const SW_STATE = 0; // SchedState below
export const SW_POINT = 1;
export const SW_ARG = 2;
export const SW_GRANT = 3; // bumped by the decider to let the worker pass
export const SW_WAIT_ADDR = 4; // emulated futex wait: word index
export const SW_PRIO = 5; // PCT priority
export const SW_WORDS = LINE_WORDS;
export const SS_RUN = 0;
export const SS_POINT = 1;
export const SS_YIELD = 2;
export const SS_SLEEP = 3;
export const SS_DONE = 4;
/** Each step of a controlled run: worker, point, arg, and how it was chosen (StepKind). */
export const ST_WORDS = 4;
export const ST_KIND = 3;
/** The default choice: the last worker again if it can go, else the lowest that can. */
export const SK_DEFAULT = 0;
/** Another choice while the last worker could have gone on: a preemption. */
export const SK_PREEMPT = 1;
/** Another choice than the default when the last worker could not go on. */
export const SK_FORCED = 2;
/** A replay's switch point: the step and the worker chosen there. */
export const SWP_WORDS = 2;

/* ---- table pool header ------------------------------------------------- */
/** Words between two tables' live-entry counts: a cache line, against false sharing. */
export const COUNT_STRIDE = LINE_WORDS;
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
export const SH_FRAME = 4; // first physical frame of the buffer
export const SH_WORDS = 8;
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
export const C_STALE = 9; // late DMAs that still translated through the IOTLB after unmap (deferred flush window)
export const C_FLUSHES = 10; // IOTLB flushes (deferred: flush-alls)
export const C_PROBES = 11; // late-DMA probes made
export const C_SW_COUNT = 12; // live switch: switches made (the switch agent's block)
export const C_SW_LAT_TOTAL = 13; // ns
export const C_SW_LAT_MAX = 14; // ns
export const C_SW_RATE_RATIO = 15; // sum over switches of (ops/s just after) / (ops/s just before)
export const C_VIOL_BY_CODE = 16; // NUM_VCODES counters
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

/** Buffers (frame sets) a worker owns per buffer it keeps in flight. */
export const BUFFER_SETS = 2;
/** Largest IOVA window per domain: 2^26 pages (256 GiB). */
export const MAX_WINDOW_PAGES = 1 << 26;
/** The window is centred on IOVA 2^39 (pfn 2^27) so it crosses a boundary at every level. */
export const IOVA_CENTRE_PFN = 2 ** 27;

export interface Layout {
  readonly bytes: number;
  /** Device workers: devices x queues. */
  readonly workers: number;
  /** Device workers plus control agents (the live-switch thread), which have a state line, a schedule line and counters but no frames. */
  readonly agents: number;
  readonly devices: number;
  /** Every domain object (table domains, then the live-switch target). */
  readonly domains: number;
  /** Domains that own page tables and allocators of their own: groups x PASIDs. */
  readonly tableDomains: number;
  readonly groupSize: number;
  readonly pasids: number;
  readonly queues: number;
  readonly inflight: number;
  readonly pages: number;
  readonly callPages: number;

  readonly locks: number;
  readonly nLocks: number;
  readonly qnodes: number;
  readonly deviceBase: number;
  readonly pasidTables: number;
  readonly iotlbs: number;
  readonly iotlbEntries: number;
  readonly domainBase: number;
  readonly bitmaps: number;
  readonly bitmapWords: number;
  /** Word index of the magazines, 0 when the allocator has none. */
  readonly magazines: number;
  readonly depots: number;
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
  /** First frame of device 0 (the bounce pool, if any, lies below). */
  readonly deviceFrames: number;
  /** pv-bounce: the slot allocator, the bytes (Uint8 index = word x 4), slot size. */
  readonly bounce: number;
  readonly bounceSlots: number;
  readonly bufferBytes: number;
  readonly bytesBase: number;
  readonly poolBytesBase: number;
  readonly workerState: number;
  readonly shadows: number;
  /** Words between two workers' shadows (a whole number of cache lines). */
  readonly shadowStride: number;
  readonly flushQueues: number;
  readonly fqSize: number;
  readonly traces: number;
  readonly sched: number;
  readonly schedSteps: number;
  /** Replay: switch points (step, worker), schedSteps of them at most. */
  readonly schedSwitches: number;
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

/** Largest steps a controlled run may take. */
export const MAX_SCHED_STEPS = 1 << 20;

/** Where the IOVA window lies: centred on 2^39, or just below the DMA mask when that is lower. */
function iovaBase(c: Config, windowPages: number): number {
  const centred = IOVA_CENTRE_PFN - windowPages / 2;
  if (c.dmaMaskBits >= 48) return centred;
  const limitPfn = 2 ** (c.dmaMaskBits - 12);
  if (limitPfn < windowPages) {
    const need = Math.ceil(Math.log2(windowPages * PAGE_SIZE));
    throw new UsageError(
      `--dma-mask-bits ${c.dmaMaskBits}: an IOVA window of ${windowPages} pages (${(windowPages * PAGE_SIZE) / 2 ** 20} MiB) cannot lie below 2^${c.dmaMaskBits} (allowed: at least ${need} for this configuration)`,
    );
  }
  return Math.min(centred, limitPfn - windowPages);
}

export function computeLayout(c: Config, schedSteps = 0): Layout {
  const workers = workersOf(c);
  const agents = workers + (c.switchMs > 0 ? 1 : 0);
  const domains = domainsOf(c);
  const tableDomains = tableDomainsOf(c);
  const devices = c.devices;
  const rcache = c.allocator === 'rcache';
  const bounceMode = c.mode === 'pv-bounce';

  // IOVA window per domain: room for 8x the pages live at once (magazines
  // round ranges up to a power of two and hold more), at least 1024.
  const rangePages = rcache && c.pages <= 32 ? nextPow2(c.pages) : c.pages;
  const live = c.groupSize * c.queues * c.inflight * rangePages;
  const cached = rcache ? c.groupSize * c.queues * 2 * MAG_SIZE * rangePages + DEPOT_MAGS * MAG_SIZE * rangePages : 0;
  const deferred = c.flush === 'strict' ? 0 : c.groupSize * c.queues * c.fqSize * rangePages;
  const poolPages = bounceMode ? workers * c.inflight * c.pages : 0;
  const windowPages = Math.max(1024, nextPow2((live + cached + deferred + poolPages) * 8));
  if (windowPages > MAX_WINDOW_PAGES) {
    throw new UsageError(
      `--group-size ${c.groupSize} x --queues ${c.queues} x --inflight ${c.inflight} x --pages ${c.pages}: ${live + cached + deferred} pages live, cached or awaiting a flush in one domain (allowed: at most ${MAX_WINDOW_PAGES / 8})`,
    );
  }
  // Twice the buffers a worker keeps in flight: a completed buffer's frames
  // rest while others are used, so a stale translation lands on the wrong frame.
  // Rounded up to a cache line of tag words, so that two workers' frames never share one.
  const framesPerWorker = lineUp(BUFFER_SETS * c.inflight * c.pages);
  const framesPerDevice = framesPerWorker * c.queues;
  const bounceSlots = bounceMode ? workers * c.inflight : 0;
  // The pool takes the lowest frames, the only ones a small DMA mask reaches;
  // the devices' own buffers may lie anywhere above (that is why they bounce).
  const poolFrames = bounceSlots * c.pages;
  // Device frames start on a cache line of tags.
  const deviceFrames = lineUp(poolFrames);
  const totalFrames = deviceFrames + framesPerDevice * devices;
  if (totalFrames > PTE_MAX_TARGET) {
    throw new UsageError(`${totalFrames} physical frames (devices x queues x inflight x pages): allowed at most ${PTE_MAX_TARGET}`);
  }
  if (bounceMode && poolFrames * PAGE_SIZE > 2 ** c.dmaMaskBits) {
    const need = Math.ceil(Math.log2(poolFrames * PAGE_SIZE));
    throw new UsageError(
      `--dma-mask-bits ${c.dmaMaskBits}: a bounce pool of ${bounceSlots} slots x ${c.pages} pages (${(poolFrames * PAGE_SIZE) / 2 ** 10} KiB) cannot lie below 2^${c.dmaMaskBits} bytes (allowed: at least ${need} for this pool)`,
    );
  }
  // Twice what the windows need (buggy modes leak tables), plus room for the
  // copies that lose a cmpxchg install race, plus the reserved table 0.
  const nTables = 1 + 2 * tableDomains * tablesForWindow(windowPages) + 4 * workers;
  if (nTables > 1 << 20) throw new UsageError(`${nTables} page-table pages needed: allowed at most ${1 << 20}`);
  if (schedSteps > MAX_SCHED_STEPS) throw new UsageError(`${schedSteps} scheduler steps: allowed at most ${MAX_SCHED_STEPS}`);

  let at = 0;
  const take = (words: number): number => {
    const start = at;
    at += lineUp(words);
    return start;
  };
  take(CTL_WORDS);
  const nLocks = 3 * domains + devices + 1;
  const locks = take(nLocks * LOCK_LINE_WORDS);
  const qnodes = take(agents * NUM_LOCK_CLASSES * QNODE_WORDS);
  const deviceBase = take(devices * DEV_WORDS);
  const pasidTables = take(devices * c.pasids);
  const iotlbs = take(devices * c.iotlbEntries * TLB_WORDS);
  const domainBase = take(domains * DOM_WORDS);
  const bitmapWords = lineUp(windowPages / 32);
  const bitmaps = take(domains * bitmapWords);
  const magazines = rcache ? take(workers * tableDomains * MAG_ORDERS * 2 * MAG_WORDS) : 0;
  const depots = rcache ? take(tableDomains * MAG_ORDERS * DEPOT_WORDS) : 0;
  const pool = take(POOL_HDR_WORDS);
  const poolNext = take(nTables);
  const poolCount = take(nTables * COUNT_STRIDE);
  const poolMeta = take(nTables);
  const tables = take(nTables * ENTRIES);
  const tags = take(totalFrames);
  const bounce = take(BP_HDR_WORDS + Math.ceil(bounceSlots / 32));
  const bufferBytes = bounceMode ? c.bufferBytes : 0;
  const slotBytes = Math.ceil(bufferBytes / 64) * 64;
  const bytesBase = take((workers * c.inflight * slotBytes) / 4);
  const poolBytesBase = take((bounceSlots * slotBytes) / 4);
  const workerState = take(agents * W_WORDS);
  const shadowStride = lineUp(c.inflight * SH_WORDS);
  const shadows = take(workers * shadowStride);
  const fqSize = c.flush === 'strict' ? 0 : c.fqSize;
  const flushQueues = take(workers * lineUp(FQ_HDR_WORDS + fqSize * FQE_WORDS));
  const traces = take(agents * (TR_HDR_WORDS + TRACE_LEN * TE_WORDS));
  const sched = take(SC_HDR_WORDS + agents * SW_WORDS + schedSteps * ST_WORDS);
  const schedSwitches = take(schedSteps * SWP_WORDS);
  const countersWord = take(agents * COUNTER_STRIDE * 2);

  return {
    bytes: at * 4,
    workers,
    agents,
    devices,
    domains,
    tableDomains,
    groupSize: c.groupSize,
    pasids: c.pasids,
    queues: c.queues,
    inflight: c.inflight,
    pages: c.pages,
    callPages: callPagesOf(c),
    locks,
    nLocks,
    qnodes,
    deviceBase,
    pasidTables,
    iotlbs,
    iotlbEntries: c.iotlbEntries,
    domainBase,
    bitmaps,
    bitmapWords,
    magazines,
    depots,
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
    deviceFrames,
    bounce,
    bounceSlots,
    bufferBytes: slotBytes,
    bytesBase: bytesBase * 4,
    poolBytesBase: poolBytesBase * 4,
    workerState,
    shadows,
    shadowStride,
    flushQueues,
    fqSize,
    traces,
    sched,
    schedSteps,
    schedSwitches,
    counters: countersWord / 2,
    windowPages,
    iovaBasePfn: iovaBase(c, windowPages),
  };
}

/* ---- one-line accessors: word index of each object -------------------- */
export const lockLine = (L: Layout, lock: number): number => L.locks + lock * LOCK_LINE_WORDS;
export const ptLockId = (_L: Layout, domain: number): number => domain;
export const deviceLockId = (L: Layout, device: number): number => L.domains + device;
export const allocLockId = (L: Layout, domain: number): number => L.domains + L.devices + domain;
export const depotLockId = (L: Layout, domain: number): number => 2 * L.domains + L.devices + domain;
export const bounceLockId = (L: Layout): number => 3 * L.domains + L.devices;
export const deviceAt = (L: Layout, device: number): number => L.deviceBase + device * DEV_WORDS;
export const pasidAt = (L: Layout, device: number, pasid: number): number => L.pasidTables + device * L.pasids + pasid;
export const iotlbAt = (L: Layout, device: number, entry: number): number => L.iotlbs + (device * L.iotlbEntries + entry) * TLB_WORDS;
export const domainAt = (L: Layout, domain: number): number => L.domainBase + domain * DOM_WORDS;
/** The table domain of a group's PASID. */
export const tableDomainOf = (L: Layout, group: number, pasid: number): number => group * L.pasids + pasid;
export const workerAt = (L: Layout, worker: number): number => L.workerState + worker * W_WORDS;
export const shadowAt = (L: Layout, worker: number, slot: number): number => L.shadows + worker * L.shadowStride + slot * SH_WORDS;
export const flushQueueAt = (L: Layout, worker: number): number => L.flushQueues + worker * lineUp(FQ_HDR_WORDS + L.fqSize * FQE_WORDS);
export const traceAt = (L: Layout, worker: number): number => L.traces + worker * (TR_HDR_WORDS + TRACE_LEN * TE_WORDS);
export const schedWorkerAt = (L: Layout, worker: number): number => L.sched + SC_HDR_WORDS + worker * SW_WORDS;
export const schedStepAt = (L: Layout, step: number): number => L.sched + SC_HDR_WORDS + L.agents * SW_WORDS + step * ST_WORDS;
export const countersAt = (L: Layout, worker: number): number => L.counters + worker * COUNTER_STRIDE;
export const qnodeAt = (L: Layout, worker: number, cls: number): number => L.qnodes + (worker * NUM_LOCK_CLASSES + cls) * QNODE_WORDS;
/** A worker's magazine (0: loaded, 1: previous) for one domain and order. */
export const magazineAt = (L: Layout, worker: number, domain: number, order: number, which: number): number =>
  L.magazines + (((worker * L.tableDomains + domain) * MAG_ORDERS + order) * 2 + which) * MAG_WORDS;
export const depotAt = (L: Layout, domain: number, order: number): number => L.depots + (domain * MAG_ORDERS + order) * DEPOT_WORDS;
/** Device of a worker: workers are numbered device-major. */
export const deviceOfWorker = (L: Layout, worker: number): number => Math.floor(worker / L.queues);
export const queueOfWorker = (L: Layout, worker: number): number => worker % L.queues;
/** The PASID a worker's DMA carries: queue q uses PASID q mod pasids. */
export const pasidOfWorker = (L: Layout, worker: number): number => queueOfWorker(L, worker) % L.pasids;
/** First frame of a worker's buffer number `buffer` (0 .. BUFFER_SETS x inflight - 1). */
export const bufferFrame = (L: Layout, worker: number, buffer: number): number =>
  L.deviceFrames + deviceOfWorker(L, worker) * L.framesPerDevice + queueOfWorker(L, worker) * L.framesPerWorker + buffer * L.pages;
/** pv-bounce: first frame of a pool slot (the pool takes the lowest frames). */
export const bounceFrame = (L: Layout, slot: number): number => slot * L.pages;
/** pv-bounce: byte index of a worker's buffer and of a pool slot. */
export const bufferByteAt = (L: Layout, worker: number, slot: number): number => L.bytesBase + (worker * L.inflight + slot) * L.bufferBytes;
export const poolByteAt = (L: Layout, slot: number): number => L.poolBytesBase + slot * L.bufferBytes;
