import type { AllocatorDef, Config, DriverDef, FlushDef, LockDef, LockScope } from '../api/types.js';
/** Words in a cache line (64 bytes). */
export declare const LINE_WORDS = 16;
export declare const lineUp: (words: number) => number;
export declare const CTL_READY = 0;
export declare const CTL_EPOCH = 1;
export declare const CTL_STOP = 2;
export declare const CTL_TICK = 3;
export declare const CTL_FREEZE = 4;
export declare const CTL_DONE = 5;
export declare const CTL_STARTED = 6;
export declare const CTL_SEED = 7;
export declare const CTL_OPS = 8;
export declare const CTL_LABELS = 9;
export declare const CTL_HIST = 10;
export declare const CTL_WORDS = 16;
export declare const LABEL_SLOTS = 512;
export declare const LABEL_CHARS = 31;
export declare const LABEL_WORDS: number;
/** A lock's own line: the algorithm's words only, nothing of the harness's. */
export declare const LOCK_WORDS = 16;
/** Queue nodes an agent has per lock class: locks of one class it may hold at once (taken and dropped in LIFO order). */
export declare const NODES_PER_CLASS = 2;
/** The record line beside each lock (its own cache line): written by holders only. */
export declare const R_CLOCK = 0;
export declare const R_LAST = 1;
export declare const DEV_DOMAIN = 0;
export declare const DEV_DEFAULT_DOMAIN = 1;
export declare const DEV_WORDS = 16;
export declare const TLB_SEQ = 0;
export declare const TLB_TAG = 1;
export declare const TLB_OFF = 2;
export declare const TLB_FRAME = 3;
export declare const TLB_WORDS = 4;
export declare const DOM_OWNER = 0;
export declare const DOM_IOVA_OWNER = 1;
export declare const DOM_WORDS = 16;
export declare const POOL_HEAD = 0;
export declare const POOL_FREE = 1;
export declare const POOL_HDR_WORDS = 16;
export declare const BP_CURSOR = 0;
export declare const BP_USED = 1;
export declare const BP_HDR_WORDS = 16;
export declare const W_PROGRESS = 0;
export declare const W_PHASE = 1;
export declare const W_DOMAIN = 2;
export declare const W_IOVA = 3;
export declare const W_WAIT_LOCK = 4;
export declare const W_STATUS = 5;
export declare const W_PARK = 15;
export declare const W_WORDS = 16;
export declare const PH_IDLE = 0;
export declare const PH_ALLOC = 1;
export declare const PH_MAP = 2;
export declare const PH_DMA = 3;
export declare const PH_UNMAP = 4;
export declare const PH_FREE = 5;
export declare const PH_AGENT = 6;
export declare const PHASES: readonly ["idle", "iova alloc", "map", "dma", "unmap", "iova free", "agent"];
export declare const WS_IDLE = 0;
export declare const WS_RUNNING = 1;
export declare const WS_DONE = 2;
export declare const WS_FAILED = 3;
export declare const WORKER_STATUSES: readonly ["idle", "running", "done", "failed"];
export declare const SH_STATE = 0;
export declare const SH_OFF = 1;
export declare const SH_DOMAIN = 2;
export declare const SH_PAGES = 3;
export declare const SH_FRAME = 4;
export declare const SH_WORDS = 8;
/** A slot's state between operations (what the audit reads after a run): empty, or its buffer mapped. */
export declare const SS_EMPTY = 0;
export declare const SS_MAPPED = 2;
export declare const TRACE_LEN_FREE = 64;
export declare const TRACE_LEN_CONTROLLED = 2048;
export declare const TR_HEAD = 0;
export declare const TR_HDR_WORDS = 16;
export declare const TE_CLOCK = 0;
export declare const TE_OP = 1;
export declare const TE_EVENT = 2;
export declare const TE_ARG = 3;
export declare const TE_WORDS = 4;
export declare const SC_MODE = 0;
export declare const SC_RUNNING = 1;
export declare const SC_STEP = 2;
export declare const SC_MAX_STEPS = 3;
export declare const SC_STRATEGY = 4;
export declare const SC_RNG = 5;
export declare const SC_OUTCOME = 6;
export declare const SC_DEPTH = 7;
export declare const SC_STOP_AT_VIOLATION = 8;
export declare const SC_CHOICES = 9;
export declare const SC_HASH = 10;
export declare const SC_VIOLATION_STEP = 11;
export declare const SC_TICK_EVERY = 12;
export declare const SC_LAST = 13;
export declare const SC_SW_NEXT = 14;
export declare const SC_SPIN = 15;
export declare const SC_CHANGES = 16;
export declare const MAX_PCT_DEPTH = 32;
export declare const SC_HDR_WORDS: number;
export declare const SW_STATE = 0;
export declare const SW_POINT = 1;
export declare const SW_ARG = 2;
export declare const SW_GRANT = 3;
export declare const SW_WAIT_ADDR = 4;
export declare const SW_PRIO = 5;
export declare const SW_SLEEPING = 6;
export declare const SW_WORDS = 16;
/** Each step of a controlled run: agent, point, arg, and how it was chosen (StepKind). */
export declare const ST_WORDS = 4;
export declare const ST_KIND = 3;
export declare const SK_DEFAULT = 0;
export declare const SK_PREEMPT = 1;
export declare const SK_FORCED = 2;
/** A replay's switch point: the step and the agent chosen there. */
export declare const SWP_WORDS = 2;
/** Largest steps a controlled run may take. */
export declare const MAX_SCHED_STEPS: number;
export declare const C_OPS = 0;
export declare const C_PAGES = 1;
export declare const C_DMAS = 2;
export declare const C_MAP_CALLS = 3;
export declare const C_UNMAP_CALLS = 4;
export declare const C_START_MS = 5;
export declare const C_END_MS = 6;
export declare const C_VIOLATIONS = 7;
export declare const C_STOP_CODE = 8;
export declare const C_STALE = 9;
export declare const C_FLUSHES = 10;
export declare const C_PROBES = 11;
export declare const C_FIXED = 16;
/** lock_stat fields per lock class (times in ns). */
export declare const LS_ACQ = 0;
export declare const LS_CONT = 1;
export declare const LS_WAIT_TOTAL = 2;
export declare const LS_WAIT_MIN = 3;
export declare const LS_WAIT_MAX = 4;
export declare const LS_HOLD_SAMPLES = 5;
export declare const LS_HOLD_TOTAL = 6;
export declare const LS_HOLD_MIN = 7;
export declare const LS_HOLD_MAX = 8;
export declare const LS_CON_BOUNCES = 9;
export declare const LS_ACQ_BOUNCES = 10;
export declare const LS_FIELDS = 12;
/** Violation samples: the first few an agent sees, each VS_FIELDS doubles. */
export declare const SAMPLES_PER_AGENT = 4;
export declare const VS_CODE = 0;
export declare const VS_DEVICE = 1;
export declare const VS_DOMAIN = 2;
export declare const VS_PFN = 3;
export declare const VS_EXPECTED = 4;
export declare const VS_FOUND = 5;
export declare const VS_LEVEL = 6;
export declare const VS_OP = 7;
export declare const VS_FIELDS = 8;
/** An agent's own figures (`ctx.count`): name hash, value, how (0 sum, 1 max). */
export declare const FIGURE_SLOTS = 8;
export declare const FG_FIELDS = 3;
/** Buffers (frame sets) a worker owns per buffer it keeps in flight. */
export declare const BUFFER_SETS = 2;
/** Largest IOVA window per domain: 2^26 pages (256 GiB). */
export declare const MAX_WINDOW_PAGES: number;
/** The window is centred on IOVA 2^39 (pfn 2^27) so it crosses a boundary at every level of a 4-level table. */
export declare const IOVA_CENTRE_PFN: number;
/** Page size, and the largest frame a 32-bit entry can name. */
export declare const PAGE_SIZE = 4096;
export declare const MAX_FRAMES: number;
/** One lock class of a run: who declared it, how many locks, where they are. */
export interface LockClassLayout {
    readonly name: string;
    readonly owner: 'driver' | 'allocator' | 'dma';
    readonly per: LockScope;
    readonly kernelName: string;
    readonly guardsTables: boolean;
    readonly instances: number;
    /** First lock line, and first record line. */
    readonly base: number;
    readonly records: number;
    /** Queue nodes: agent a's k-th node for this class is nodes + (a x NODES_PER_CLASS + k) x nodeStride (0 stride: none). */
    readonly nodes: number;
}
/** What the layout needs to know of the design. */
export interface LayoutInput {
    readonly config: Config;
    readonly driver: DriverDef;
    readonly allocator: AllocatorDef;
    readonly flush: FlushDef;
    readonly lock: LockDef;
    /** Agents beyond the device workers (the live switch, a race's own). */
    readonly extraAgents: number;
    /** Invariant codes (built-in and declared). */
    readonly invariants: number;
    /** Steps a controlled run may take (0: free running only). */
    readonly schedSteps: number;
    /** Words of a race's own shared memory. */
    readonly sharedWords: number;
}
/** A plain object (it crosses to workers by structured clone): numbers and lock-class records only. */
export interface Layout {
    readonly bytes: number;
    readonly controlled: boolean;
    /** Device workers (devices x queues), then the extra agents. */
    readonly workers: number;
    readonly agents: number;
    /** The main thread's slot (its counters, worker line, queue nodes): agents. */
    readonly mainSlot: number;
    readonly devices: number;
    readonly domains: number;
    readonly tableDomains: number;
    /** The live switch's target domain, or -1. */
    readonly switchDomain: number;
    readonly groupSize: number;
    readonly pasids: number;
    readonly queues: number;
    readonly inflight: number;
    readonly pages: number;
    readonly callPages: number;
    readonly labels: number;
    readonly lockClasses: readonly LockClassLayout[];
    readonly locksBase: number;
    readonly locksEnd: number;
    readonly nodeStride: number;
    readonly deviceBase: number;
    readonly pasidTables: number;
    readonly iotlbs: number;
    readonly iotlbEntries: number;
    readonly domainBase: number;
    readonly driverDomain: number;
    readonly driverDomainStride: number;
    readonly driverDevice: number;
    readonly driverDeviceStride: number;
    readonly allocDomain: number;
    readonly allocDomainStride: number;
    readonly allocWorker: number;
    readonly allocWorkerStride: number;
    readonly flushWorker: number;
    readonly flushWorkerStride: number;
    /** A race's own shared words (`RaceDef.sharedWords`), 0 when it has none. */
    readonly shared: number;
    readonly sharedWords: number;
    readonly pool: number;
    readonly poolNext: number;
    readonly poolInfo: number;
    readonly meta: number;
    readonly metaStride: number;
    readonly tables: number;
    readonly tableWords: number;
    readonly entries: number;
    readonly entryWords: number;
    readonly nTables: number;
    readonly tags: number;
    readonly totalFrames: number;
    readonly framesPerWorker: number;
    readonly framesPerDevice: number;
    /** First frame of device 0 (the bounce pool, if any, lies below). */
    readonly deviceFrames: number;
    readonly bounce: number;
    readonly bounceSlots: number;
    readonly slotBytes: number;
    readonly bytesBase: number;
    readonly poolBytesBase: number;
    readonly workerState: number;
    readonly shadows: number;
    readonly shadowStride: number;
    readonly traces: number;
    readonly traceLen: number;
    readonly sched: number;
    readonly schedSteps: number;
    readonly schedSwitches: number;
    /** Float64 index of agent 0's counter block, and the stride between blocks. */
    readonly counters: number;
    readonly counterStride: number;
    readonly cLockstat: number;
    readonly cViolations: number;
    readonly cSamples: number;
    readonly cFigures: number;
    readonly invariants: number;
    readonly windowPages: number;
    readonly iovaBasePfn: number;
}
export declare const workersOf: (c: Config) => number;
/** Domains the page tables belong to: a group's domain per PASID. */
export declare const tableDomainsOf: (c: Config) => number;
/** Pages per map or unmap call. */
export declare const callPagesOf: (c: Config) => number;
/** Tables a radix table of `entries` an entry needs for a window of `window` contiguous pages of a 36-bit pfn space, at most. */
export declare function radixTablesFor(window: number, entries: number): number;
export declare function computeLayout(inp: LayoutInput): Layout;
export declare const deviceAt: (L: Layout, device: number) => number;
export declare const pasidAt: (L: Layout, device: number, pasid: number) => number;
export declare const iotlbAt: (L: Layout, device: number, entry: number) => number;
export declare const domainAt: (L: Layout, domain: number) => number;
/** The table domain of a group's PASID. */
export declare const tableDomainOf: (L: Layout, group: number, pasid: number) => number;
export declare const workerAt: (L: Layout, agent: number) => number;
export declare const shadowAt: (L: Layout, worker: number, slot: number) => number;
export declare const traceAt: (L: Layout, agent: number) => number;
export declare const schedAgentAt: (L: Layout, agent: number) => number;
export declare const schedStepAt: (L: Layout, step: number) => number;
export declare const countersAt: (L: Layout, agent: number) => number;
/** Device of a worker: workers are numbered device-major; agents past the workers have none (-1). */
export declare const deviceOfWorker: (L: Layout, worker: number) => number;
export declare const queueOfWorker: (L: Layout, worker: number) => number;
/** The PASID a worker's DMA carries: queue q uses PASID q mod pasids. */
export declare const pasidOfWorker: (L: Layout, worker: number) => number;
/** First frame of a worker's buffer number `buffer` (0 .. BUFFER_SETS x inflight - 1). */
export declare const bufferFrame: (L: Layout, worker: number, buffer: number) => number;
/** pv-bounce: first frame of a pool slot (the pool takes the lowest frames). */
export declare const bounceFrame: (L: Layout, slot: number) => number;
/** pv-bounce: byte index of a worker's buffer and of a pool slot. */
export declare const bufferByteAt: (L: Layout, worker: number, slot: number) => number;
export declare const poolByteAt: (L: Layout, slot: number) => number;
/** The lock class and instance a lock word belongs to, or null. */
/** The record line of lock `lock` (its holder, last holder, clock). */
export declare function recordOf(L: Layout, lock: number): number;
export declare function lockOwnerOf(L: Layout, lock: number): {
    cls: LockClassLayout;
    index: number;
} | null;
