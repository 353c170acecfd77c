/**
 * The whole shared-memory layout, named once. The main thread computes a
 * Layout from the configuration and the design's declared needs (the words
 * its driver, allocator and flush policy ask for, the lock classes they
 * declare), allocates one SharedArrayBuffer of `layout.bytes`, and hands both
 * to every worker; both sides index the same words through the constants and
 * accessors below. Every region starts on a cache line; regions a run does
 * not use have no words.
 *
 *   Int32 words                                       one SharedArrayBuffer
 *   +--------------------------------------------+ 0
 *   | CTL         16: ready, epoch, stop, ...      |
 *   | LABELS      names of schedule points         |  hash -> text, for reports
 *   +--------------------------------------------+ locks
 *   | LOCKS       a line a lock, class by class    |  the algorithm's words only
 *   | RECORDS     a line a lock: clock, last owner |  off the line waiters spin on
 *   | QNODES      agents x classes x node line     |  queue locks (MCS)
 *   +--------------------------------------------+ devices
 *   | DEVICES     N x 16: attached domain, ...     |
 *   | PASIDS      N x pasids: PASID -> domain      |
 *   | IOTLBS      N x entries x 4: seq, tag, off, frame
 *   +--------------------------------------------+ domains
 *   | DOMAINS     D x 16: table owner, IOVA owner  |  D = table domains (+1 live-switch target)
 *   | DRIVER      D x domain words, N x device words
 *   | ALLOCATOR   D x domain words, W x D x worker words
 *   | FLUSH       W x worker words (flush queues)  |
 *   +--------------------------------------------+ pool
 *   | POOL HDR    16: free-list head, free count   |
 *   | next[]      nTables: free-list links         |
 *   | info[]      nTables: level+1 | domain << 4   |  what each table was allocated for
 *   | META        nTables x a line: driver's words |  a live-entry count, ...
 *   | TABLES      nTables x entries x entry words  |  table 0 is never used (0 = none)
 *   +--------------------------------------------+ tags
 *   | FRAME TAGS  one word a physical frame        |  DMAs that landed in the frame
 *   | BOUNCE      16 + slot bitmap, then bytes     |  pv-bounce
 *   +--------------------------------------------+ workerState
 *   | WORKERS     agents x 16: progress, phase,    |  the watchdog reads these; the
 *   |             locks held, ...                  |  holder of a lock is found here
 *   | LOCK ORDER  agents x classes^2 x 4           |  lockdep: class A taken holding B, first when
 *   | SHADOWS     W x inflight x 8                 |  what each worker believes it mapped
 *   | TRACE       agents x (16 + len x 4)          |  last events, logical clock
 *   | SCHED       header, agent lines, steps       |  controlled scheduling
 *   +--------------------------------------------+ counters (byte offset / 8)
 *   | COUNTERS    Float64, agents x stride         |  ops, lock_stat, violations, figures
 *   +--------------------------------------------+ bytes
 */
import { UsageError } from '../util/errors.js';
import type { AllocatorDef, Config, DriverDef, FlushDef, LockClassDecl, LockDef, LockScope } from '../api/types.js';

/** Words in a cache line (64 bytes). */
export const LINE_WORDS = 16;
export const lineUp = (words: number): number => Math.ceil(words / LINE_WORDS) * LINE_WORDS;

/* ---- CTL: run control -------------------------------------------------- */
export const CTL_READY = 0; // agents that loaded their modules and wait for runs
export const CTL_EPOCH = 1; // bumped by main to start a run; -1: shut down
export const CTL_STOP = 2; // main sets 1: finish the current operation and stop
export const CTL_TICK = 3; // the flush-queue timer (main thread, or the scheduler when controlled)
export const CTL_FREEZE = 4; // set by the first violation: trace rings stop, keeping what led to it
export const CTL_DONE = 5; // agents that finished the current run
export const CTL_STARTED = 6; // agents that started the current run
export const CTL_SEED = 7; // the current run's seed
export const CTL_OPS = 8; // operations per worker of the current run (0: until stopped)
export const CTL_LABELS = 9; // label slots used
export const CTL_HIST = 10; // 1: agents send their latency and wait histograms at the end of the run
export const CTL_WORDS = LINE_WORDS;

/* ---- LABELS: schedule-point names, so reports can print them ------------ */
export const LABEL_SLOTS = 512;
export const LABEL_CHARS = 31;
export const LABEL_WORDS = 1 + LABEL_CHARS; // hash, then chars (0-terminated)

/* ---- lock lines and their records ---------------------------------------- */
/** A lock's own line: the algorithm's words only, nothing of the harness's. */
export const LOCK_WORDS = LINE_WORDS;
/** Queue nodes an agent has per lock class: locks of one class it may hold at once (taken and dropped in LIFO order). */
export const NODES_PER_CLASS = 2;
/** The record line beside each lock (its own cache line): written by holders only. */
export const R_CLOCK = 0; // Lamport clock of the last release (traces order by it)
export const R_LAST = 1; // agent + 1 of the last holder (bounces; the holder of a lock that is held)

/* ---- DEVICES ------------------------------------------------------------ */
export const DEV_DOMAIN = 0; // attached domain; Atomics.load per operation (switchable)
export const DEV_DEFAULT_DOMAIN = 1; // the domain it was attached to at start
export const DEV_WORDS = LINE_WORDS;

/* ---- IOTLB entries: per device, direct-mapped by IOVA page ------------- */
export const TLB_SEQ = 0; // even: stable; odd: being written (a seqlock per entry)
export const TLB_TAG = 1; // owner domain + 1; 0: invalid
export const TLB_OFF = 2; // window offset of the page
export const TLB_FRAME = 3;
export const TLB_WORDS = 4;

/* ---- DOMAINS ------------------------------------------------------------ */
export const DOM_OWNER = 0; // the domain whose tables this one translates through (itself, or the domain it shares a table with)
export const DOM_IOVA_OWNER = 1; // the domain whose IOVA allocator this one uses
export const DOM_WORDS = LINE_WORDS;

/* ---- table pool header ------------------------------------------------- */
export const POOL_HEAD = 0; // Treiber stack head: tag << 20 | table index
export const POOL_FREE = 1; // tables on the free list
export const POOL_HDR_WORDS = LINE_WORDS;

/* ---- bounce pool (pv-bounce) ------------------------------------------- */
export const BP_CURSOR = 0;
export const BP_USED = 1;
export const BP_HDR_WORDS = LINE_WORDS;

/* ---- WORKERS: what each agent is doing (read by the watchdog) ----------- */
export const W_PROGRESS = 0; // operations completed (device workers), progress marks (agents)
export const W_PHASE = 1; // Phase below
export const W_DOMAIN = 2; // domain of the current operation
export const W_IOVA = 3; // window offset of the current buffer
export const W_WAIT_LOCK = 4; // lock + 1 being waited for, 0 if none
export const W_STATUS = 5; // WorkerStatus below
export const W_PARK = 15; // a word nobody notifies (naps, hold-forever)
export const W_WORDS = LINE_WORDS;

export const PH_IDLE = 0;
export const PH_ALLOC = 1;
export const PH_MAP = 2;
export const PH_DMA = 3;
export const PH_UNMAP = 4;
export const PH_FREE = 5;
export const PH_AGENT = 6;
export const PHASES = ['idle', 'iova alloc', 'map', 'dma', 'unmap', 'iova free', 'agent'] as const;

export const WS_IDLE = 0;
export const WS_RUNNING = 1;
export const WS_DONE = 2;
export const WS_FAILED = 3;
export const WORKER_STATUSES = ['idle', 'running', 'done', 'failed'] as const;

/* ---- SHADOWS: one slot a buffer in flight -------------------------------- */
export const SH_STATE = 0; // ShadowState below
export const SH_OFF = 1; // window offset of the buffer's first page
export const SH_DOMAIN = 2; // domain it was mapped in (as attached)
export const SH_PAGES = 3;
export const SH_FRAME = 4; // first physical frame of the buffer
export const SH_WORDS = 8;
/** A slot's state between operations (what the audit reads after a run): empty, or its buffer mapped. */
export const SS_EMPTY = 0;
export const SS_MAPPED = 2;

/* ---- trace ring, per agent ----------------------------------------------- */
export const TRACE_LEN_FREE = 64; // a power of two
export const TRACE_LEN_CONTROLLED = 2048; // controlled runs keep a whole run, for the trace and the replay page
export const TR_HEAD = 0; // events written (the ring index is head mod len)
export const TR_HDR_WORDS = LINE_WORDS;
export const TE_CLOCK = 0;
export const TE_OP = 1;
export const TE_EVENT = 2;
export const TE_ARG = 3;
export const TE_WORDS = 4;

/* ---- controlled scheduler ------------------------------------------------ */
export const SC_MODE = 0; // 0 free running, 1 controlled
export const SC_RUNNING = 1; // agents running (between points); the last to stop decides
export const SC_STEP = 2; // steps taken
export const SC_MAX_STEPS = 3;
export const SC_STRATEGY = 4; // 0 random, 1 pct, 2 replay (dfs and dpor run as replays of a prefix)
export const SC_RNG = 5;
export const SC_OUTCOME = 6; // see sched/scheduler.ts
export const SC_DEPTH = 7; // PCT: d; change points at SC_CHANGES
export const SC_STOP_AT_VIOLATION = 8;
export const SC_CHOICES = 9; // replay: switch points given
export const SC_HASH = 10; // running FNV-1a hash of the trace
export const SC_VIOLATION_STEP = 11; // steps taken when the first violation happened (0: none)
export const SC_TICK_EVERY = 12; // steps between flush-queue timer ticks
export const SC_LAST = 13; // agent chosen at the last step, -1 before the first
export const SC_SW_NEXT = 14; // replay: next switch point to apply
export const SC_SPIN = 15; // hand control over by spinning (agents <= cores), else sleep
export const SC_WRITES = 16; // writes through the accessors so far (a spinner whose wait set overflowed waits for the next)
export const SC_SPIN_LOG = 17; // words of the spin log used (the wait sets of the spin steps taken)
export const SC_SLEEP_FROM = 18; // dpor: the step from which SC_SLEEP_INIT applies (-1: no sleep sets)
export const SC_SLEEP_INIT = 19; // dpor: the agents asleep from that step (a bit each)
export const SC_SLEEP = 20; // dpor: the agents asleep now; an agent wakes when a step dependent with its next access is taken
export const SC_RF_N = 21; // replay under tso/weak: read choices given (pairs at L.schedReads)
export const SC_RF_NEXT = 22; // replay: the next read choice to apply
export const SC_RF_BAD = 23; // replay: a read choice named a store the read could not take (the run then diverged)
export const SC_CHANGES = 24; // PCT change points: SC_DEPTH - 1 step numbers
export const MAX_PCT_DEPTH = 32;
/** Rounded to a cache line, so that no agent line shares one with the header. */
export const SC_HDR_WORDS = lineUp(SC_CHANGES + MAX_PCT_DEPTH);
export const SW_STATE = 0; // SchedState (scheduler.ts)
export const SW_POINT = 1; // the label hash of the point the agent stands at
export const SW_ARG = 2; // its argument (the address of an access)
export const SW_GRANT = 3; // bumped by the decider to let the agent pass
export const SW_WAIT_ADDR = 4; // emulated futex wait: word index
export const SW_PRIO = 5; // PCT priority
export const SW_SLEEPING = 6; // 1 while the agent sleeps in Atomics.wait for its grant (the granter then notifies)
export const SW_ACCESS = 7; // what passing the point does to SW_ARG (Access, sched/access.ts)
export const SW_PROGRESS = 8; // step of the agent's last completed operation or event (livelock)
export const SW_SPIN_N = 9; // spinning: pairs in the wait set (-1: it overflowed, wait for any write)
export const SW_SPIN_WRITES = 10; // spinning with an overflowed set: SC_WRITES when it began
export const SW_EXPECT = 11; // a cas at its point: the value it expects (it swaps if the word holds it)
export const SW_DID = 12; // what the agent's last step did (its access, a cas: rmw or read), copied into the step by the next decision
export const SW_VALUE = 13; // the value that step read or wrote, likewise (the agent writes its own line, not the shared step record)
export const SW_LEN = 14; // words its access covers from SW_ARG (1 for an accessor, more for mem.bulk)
export const SW_ORDER = 15; // the memory ordering of its access, or the fence it is (Order, sched/access.ts); a cas that failed sets it relaxed
export const SW_SPIN_SET = LINE_WORDS; // spinning: the wait set, pairs (address, value seen)
export const SPIN_PAIRS = 16;
/** Under tso/weak (memory/model.ts), what the agent's last read took: its choice among the stores it could read, how many it could, and the step of the store it read (-1: the initial value). */
export const SW_RF = SW_SPIN_SET + 2 * SPIN_PAIRS;
export const SW_RFN = SW_RF + 1;
export const SW_RF_FROM = SW_RF + 2;
export const SW_WORDS = lineUp(SW_RF_FROM + 1);
/**
 * A lock-order dependency, as an agent first saw it: 0 until seen, then
 * when (a controlled run's step, or free running the operation) + 1, and the
 * two lock instances (their lock words).
 */
export const LO_WHEN = 0;
export const LO_FROM = 1;
export const LO_TO = 2;
export const LO_WORDS = 4;
/** Each step of a controlled run: who, which point, its access, how it was chosen, who else could have gone. */
export const ST_AGENT = 0;
export const ST_POINT = 1;
export const ST_ARG = 2;
export const ST_KIND = 3; // StepKind below
export const ST_ACCESS = 4; // the access it made (a failed cas is a read), sched/access.ts
export const ST_ENABLED = 5; // agents that could have gone here, a bit each (agents 0..30; -1: more agents)
export const ST_SPIN = 6; // a spin step: where its wait set starts in the spin log (count, then addresses)
export const ST_VALUE = 7; // the value read, or written by a store
export const ST_SLEEP = 8; // dpor's sleep set when the step was taken (agents asleep: not chosen until woken by a dependent step)
export const ST_DECLARED = 9; // the access its point announced (a cas: rmw, whatever it did): what the agent would do from an earlier state
export const ST_LEN = 10; // words the access covers from ST_ARG (1 but for mem.bulk)
export const ST_ORDER = 11; // its memory ordering, or the fence it is (Order, sched/access.ts)
export const ST_RF = 12; // tso/weak: which of the stores its read could take it took (0: the newest; SC's choice)
export const ST_RFN = 13; // tso/weak: how many stores it could take (0 or 1: no choice)
export const ST_RF_FROM = 14; // tso/weak: the step of the store it read (-1: the value the run started with)
/** A cache line a step (16 words, the line aligned): the decider writes one line a step. */
export const ST_WORDS = 16;
export const SK_DEFAULT = 0;
export const SK_PREEMPT = 1;
export const SK_FORCED = 2;
/** A replay's switch point: the step and the agent chosen there. */
export const SWP_WORDS = 2;
/** A replay's read choice (tso/weak): the step and the choice taken there. */
export const RFP_WORDS = 2;
/** The memory models a controlled run can run under (memory/model.ts), by their code in `Layout.model`. */
export const MEMORY_MODELS = ['sc', 'tso', 'weak'] as const;
export type MemoryModelName = (typeof MEMORY_MODELS)[number];
export const MM_SC = 0;
export const MM_TSO = 1;
export const MM_WEAK = 2;
/** Agents a run under tso or weak may have: each keeps vector clocks of this many entries. */
export const MM_MAX_AGENTS = 8;
/** Words whose stores a run under tso or weak can keep (a run past them ends inconclusive), and the views its stores can carry. */
export const MM_RECORDS = 1 << 14;
export const MM_VIEWS = 1 << 15;
/** The region's header: the run's generation (a record of another is free), records and views used, and whether a run ran out of either. */
export const MH_GEN = 0;
export const MH_RECORDS = 1;
export const MH_VIEWS = 2;
export const MH_FULL = 3;
/** The full fences' view (smp_mb's global order), after the header. */
export const MH_SC_VIEW = LINE_WORDS;
/** Observers: each agent's CPU, then each agent's IOMMU walker (the hardware, an observer of its own). */
export const MM_OBSERVERS = 2 * MM_MAX_AGENTS;
export const MM_SB_CAP = 32;
export const MO_VC = 0; // its view: a vector clock, a store count per agent
export const MO_REL = MM_MAX_AGENTS; // the view its unordered stores carry (what its last wmb or mb ordered before them)
export const MO_ACQ = 2 * MM_MAX_AGENTS; // the views of what it read unordered: an rmb or mb makes them its own
export const MO_VC_VIEW = 3 * MM_MAX_AGENTS; // the view pool's copy of MO_VC, while it has not changed (-1: none)
export const MO_REL_VIEW = MO_VC_VIEW + 1; // likewise MO_REL's
export const MO_SB_HEAD = MO_VC_VIEW + 2; // tso: its store buffer, a ring of (record, store index)
export const MO_SB_N = MO_VC_VIEW + 3;
export const MO_SB = lineUp(MO_SB_N + 1);
export const MO_WORDS = lineUp(MO_SB + 2 * MM_SB_CAP);
/** A word's record: its address, the generation it belongs to, stores so far, each observer's floor (the oldest store it may still read), then its last MSG_KEEP stores. */
export const R_ADDR = 0;
export const R_GEN = 1;
export const R_N = 2;
export const R_FLOOR = 3;
export const R_MSG = R_FLOOR + MM_OBSERVERS;
export const MSG_KEEP = 7;
export const M_VALUE = 0;
export const M_AGENT = 1; // the storing agent + 1 (0: the value the run started with, which every observer has seen)
export const M_STAMP = 2; // its store count when it stored
export const M_VIEW = 3; // the view it carries (a view pool index, -1: none)
export const M_STEP = 4; // the step that stored it (-1: before the run)
export const M_FLAGS = 5; // MF_*
export const M_WORDS = 6;
export const MF_BUFFERED = 1; // tso: still in its agent's store buffer
export const REC_WORDS = 64;
export const MM_OBS_AT = LINE_WORDS + lineUp(MM_MAX_AGENTS);
export const MM_VIEWS_AT = MM_OBS_AT + MM_OBSERVERS * MO_WORDS;
export const MM_RECORDS_AT = MM_VIEWS_AT + MM_VIEWS * MM_MAX_AGENTS;
export const mmWords = (): number => MM_RECORDS_AT + MM_RECORDS * REC_WORDS;
/** Agents the enabled masks of the steps can name (dfs and dpor need them). */
export const MASK_AGENTS = 31;
/** The first failure of a controlled run's agents: agent + 1, step, then its text. */
export const FL_AGENT = 0;
export const FL_STEP = 1;
export const FL_LEN = 2;
export const FL_TEXT = 4;
export const FL_CHARS = 2044;
export const FL_WORDS = FL_TEXT + FL_CHARS;
/*
 * A batch of controlled runs the agents make among themselves (engine/batch.ts): agent 0 sets each run up and
 * checks it as the main thread would, so that a schedule costs no wake-up of the main thread or of the agents.
 * A header (what to run, what came of it: two lines), a line the other agents wait on, one they count themselves
 * done on, two for the trace keys, then a record a run.
 */
export const BA_RUNS = 0; // runs asked for
export const BA_SEED = 1; // the seed of the first (run i: seed + i)
export const BA_STRATEGY = 2; // 0 random, 1 pct (STRATEGIES)
export const BA_DEPTH = 3;
export const BA_EXPECTED = 4; // PCT: the run length change points are drawn from
export const BA_TICK_EVERY = 5;
export const BA_SPIN = 6;
export const BA_DIRTY_STEPS = 7; // what the run before the batch left to clear (setup.ts Dirty)
export const BA_DIRTY_SWITCHES = 8;
export const BA_RAN = 9; // runs finished and recorded
export const BA_HAND_BACK = 10; // the run the main thread must make itself (a forbidden outcome, a throw in setup or checks), -1: none
export const BA_LAST_STEPS = 13; // the last run's steps (what the main thread clears next)
export const BA_SETUP_US = 14; // time the batch's runs spent in their setup, µs (agent 0's clock)
export const BA_STEPS_US = 15; // in their steps (from the agents let go to the last one done)
export const BA_CHECKS_US = 16; // in their checks (the race's check, the audit, the outcome, the trace key)
export const BA_SUB = 2 * LINE_WORDS; // the run the other agents may start (1-based); -1: the batch is over
export const BA_SUB_SLEEPERS = 2 * LINE_WORDS + 1; // agents asleep in Atomics.wait on BA_SUB
export const BA_DONE = 3 * LINE_WORDS; // agents other than agent 0 done with the current run
export const BA_DONE_SLEEPING = 3 * LINE_WORDS + 1; // 1 while agent 0 sleeps on BA_DONE
export const BA_KEY_GO = 4 * LINE_WORDS; // the run (1-based) agent 1 may key, every agent being done with it (agents that fit the cores)
export const BA_KEY_SLEEPERS = 4 * LINE_WORDS + 1;
export const BA_KEYED = 5 * LINE_WORDS; // the last run agent 1 keyed
export const BA_KEYED_SLEEPING = 5 * LINE_WORDS + 1; // 1 while agent 0 sleeps on BA_KEYED
export const BA_HDR_WORDS = 6 * LINE_WORDS;
/** A run's record: its outcome (index in OUTCOME_DEFS), its steps, its trace key (two words). */
export const BR_OUTCOME = 0;
export const BR_STEPS = 1;
export const BR_KEY_HI = 2;
export const BR_KEY_LO = 3;
export const BR_DETECTED = 4; // what the detectors found (the keying agent runs them): DETECTED_* bits
export const BR_WORDS = 5;
export const DETECTED_DATA_RACE = 1;
export const DETECTED_LOCK_ORDER = 2;
/** Runs a batch holds at most. */
export const BATCH_RUNS = 256;
/** Largest steps a controlled run may take. */
export const MAX_SCHED_STEPS = 1 << 20;

/* ---- COUNTERS (Float64 indices within an agent's block) ----------------- */
export const C_OPS = 0;
export const C_PAGES = 1;
export const C_DMAS = 2;
export const C_MAP_CALLS = 3;
export const C_UNMAP_CALLS = 4;
export const C_START_MS = 5; // performance.timeOrigin + now() at the first operation
export const C_END_MS = 6;
export const C_VIOLATIONS = 7;
export const C_STOP_CODE = 8; // invariant code + 1 that made the worker stop early, 0 if none
export const C_STALE = 9; // late DMAs that still translated through the IOTLB after unmap
export const C_FLUSHES = 10; // IOTLB flushes (deferred: flush-alls)
export const C_PROBES = 11; // late-DMA probes made
export const C_CPU_NS = 12; // the loop's time on a CPU, ns (thread-cpu.ts), -1 where the platform does not say
export const C_CLOCK_NS = 13; // what a pair of clock reads costs in this agent, ns, measured at the start and taken off every sample (0: nothing sampled)
export const C_FIXED = 16;
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
export const LS_WAIT_SAMPLES = 11; // contentions whose wait was timed (those of sampled operations)
export const LS_FIELDS = 12;
/** Violation samples: the first few an agent sees, each VS_FIELDS doubles. */
export const SAMPLES_PER_AGENT = 4;
export const VS_CODE = 0;
export const VS_DEVICE = 1;
export const VS_DOMAIN = 2;
export const VS_PFN = 3;
export const VS_EXPECTED = 4;
export const VS_FOUND = 5;
export const VS_LEVEL = 6;
export const VS_OP = 7;
export const VS_FIELDS = 8;
/** An agent's own figures (`ctx.count`): name hash, value, how (0 sum, 1 max). */
export const FIGURE_SLOTS = 8;
export const FG_FIELDS = 3;

/** Buffers (frame sets) a worker owns per buffer it keeps in flight. */
export const BUFFER_SETS = 2;
/** Largest IOVA window per domain: 2^26 pages (256 GiB). */
export const MAX_WINDOW_PAGES = 1 << 26;
/** The window is centred on IOVA 2^39 (pfn 2^27) so it crosses a boundary at every level of a 4-level table. */
export const IOVA_CENTRE_PFN = 2 ** 27;
/** Page size, and the largest frame a 32-bit entry can name. */
export const PAGE_SIZE = 4096;
export const MAX_FRAMES = (1 << 27) - 1;

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
  /** The memory model controlled runs run under [sc]. */
  readonly memoryModel?: MemoryModelName;
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
  /** lockdep's dependencies (detect/lock-order.ts): per agent slot, a classes x classes matrix of LO_WORDS each. */
  readonly lockOrder: number;
  readonly shadows: number;
  readonly shadowStride: number;
  readonly traces: number;
  readonly traceLen: number;
  readonly sched: number;
  readonly schedSteps: number;
  readonly schedSwitches: number;
  /** The spin log: the wait sets of the spin steps of a controlled run (a count, then addresses). */
  readonly spinLog: number;
  readonly spinLogWords: number;
  /** The failure block (FL_*). */
  readonly failure: number;
  /** The memory model of controlled runs (MM_SC, MM_TSO, MM_WEAK), and its region (memory/model.ts; 0 under sc). */
  readonly model: number;
  readonly mm: number;
  /** Replay under tso/weak: the read choices given (RFP_WORDS each). */
  readonly schedReads: number;
  /** The batch block (BA_*, then BATCH_RUNS records of BR_WORDS), 0 free running. */
  readonly batch: number;
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

/* ---- derived counts every part of the harness agrees on ----------------- */
export const workersOf = (c: Config): number => c.devices * c.queues;
/** Domains the page tables belong to: a group's domain per PASID. */
export const tableDomainsOf = (c: Config): number => (c.devices / c.groupSize) * c.pasids;
/** Pages per map or unmap call. */
export const callPagesOf = (c: Config): number => (c.granule === 0 ? c.pages : c.granule);

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

const sizeOf = (v: number | ((s: never) => number) | undefined, shape: unknown): number => (typeof v === 'function' ? (v as (s: unknown) => number)(shape) : (v ?? 0));

/** Tables a radix table of `entries` an entry needs for a window of `window` contiguous pages of a 36-bit pfn space, at most. */
export function radixTablesFor(window: number, entries: number): number {
  const bits = Math.log2(entries);
  const levels = Math.ceil(36 / bits);
  let n = 0;
  for (let k = 1; k <= levels; k++) n += Math.ceil(window / entries ** k) + 1;
  return n;
}

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

export function computeLayout(inp: LayoutInput): Layout {
  const { config: c, driver, allocator, flush, lock } = inp;
  const workers = workersOf(c);
  const agents = workers + inp.extraAgents;
  // One more slot than agents: the main thread's own (setup, checks and the audit report through it).
  const slots = agents + 1;
  const tableDomains = tableDomainsOf(c);
  const domains = tableDomains + (c.switchMs > 0 ? 1 : 0);
  const devices = c.devices;
  const bounceMode = c.mode === 'pv-bounce';
  const controlled = inp.schedSteps > 0;

  const shape0 = { workers, devices, domains, workersPerDomain: c.groupSize * c.queues, config: c };
  const round = (p: number): number => (allocator.round ? allocator.round(p) : p);
  const live = c.groupSize * c.queues * c.inflight * round(c.pages);
  const cached = allocator.cachedPages ? allocator.cachedPages(shape0) : 0;
  const pending = flush.pendingPages ? flush.pendingPages(shape0) : 0;
  const poolPages = bounceMode ? workers * c.inflight * c.pages : 0;
  // Room for 8x the pages live, cached or pending at once (fragmentation), at least 1024.
  const windowPages = Math.max(1024, nextPow2((live + cached + pending + poolPages) * 8));
  if (windowPages > MAX_WINDOW_PAGES) {
    throw new UsageError(
      `--group-size ${c.groupSize} x --queues ${c.queues} x --inflight ${c.inflight} x --pages ${c.pages}: ${live + cached + pending} pages live, cached or awaiting a flush in one domain (allowed: at most ${MAX_WINDOW_PAGES / 8})`,
    );
  }
  const shape = { ...shape0, windowPages };

  // Twice the buffers a worker keeps in flight: a completed buffer's frames
  // rest while others are used, so a stale translation lands on the wrong
  // frame. A cache line of tag words at least, so two workers never share one.
  const framesPerWorker = lineUp(BUFFER_SETS * c.inflight * c.pages);
  const framesPerDevice = framesPerWorker * c.queues;
  const bounceSlots = bounceMode ? workers * c.inflight : 0;
  // The pool takes the lowest frames, the only ones a small DMA mask reaches.
  const poolFrames = bounceSlots * c.pages;
  const deviceFrames = lineUp(poolFrames);
  const totalFrames = deviceFrames + framesPerDevice * devices;
  if (totalFrames > MAX_FRAMES) throw new UsageError(`${totalFrames} physical frames (devices x queues x inflight x pages): allowed at most ${MAX_FRAMES}`);
  if (bounceMode && poolFrames * PAGE_SIZE > 2 ** c.dmaMaskBits) {
    const need = Math.ceil(Math.log2(poolFrames * PAGE_SIZE));
    throw new UsageError(
      `--dma-mask-bits ${c.dmaMaskBits}: a bounce pool of ${bounceSlots} slots x ${c.pages} pages (${(poolFrames * PAGE_SIZE) / 2 ** 10} KiB) cannot lie below 2^${c.dmaMaskBits} bytes (allowed: at least ${need} for this pool)`,
    );
  }
  const entries = driver.table.entries;
  const entryWords = driver.table.entryWords ?? 1;
  // Twice what the windows need (broken designs leak tables), plus the
  // copies that lose a concurrent install, plus the reserved table 0.
  const nTables = bounceMode && tableDomains === 0 ? 1 : 1 + 2 * domains * radixTablesFor(windowPages, entries) + 4 * agents + 8;
  if (nTables > 1 << 20) throw new UsageError(`${nTables} page-table pages needed: allowed at most ${1 << 20}`);
  if (inp.schedSteps > MAX_SCHED_STEPS) throw new UsageError(`${inp.schedSteps} scheduler steps: allowed at most ${MAX_SCHED_STEPS}`);

  let at = 0;
  const take = (words: number): number => {
    const start = at;
    at += lineUp(words);
    return start;
  };
  take(CTL_WORDS);
  const labels = take(LABEL_SLOTS * LABEL_WORDS);

  // Lock classes: the driver's, the allocator's, and the bounce pool's.
  const decls: { name: string; owner: LockClassLayout['owner']; d: LockClassDecl }[] = [];
  for (const [name, d] of Object.entries(driver.locks ?? {})) decls.push({ name, owner: 'driver', d });
  for (const [name, d] of Object.entries(allocator.locks ?? {})) decls.push({ name, owner: 'allocator', d });
  if (bounceMode) decls.push({ name: 'bounce', owner: 'dma', d: { per: 'global', kernelName: '&mem->lock' } });
  const instancesOf = (per: LockScope): number => (per === 'domain' ? domains : per === 'device' ? devices : per === 'table' ? nTables : 1);
  const nodeWords = lock.nodeWords ?? 0;
  const nodeStride = nodeWords > 0 ? lineUp(nodeWords) : 0;
  const locksBase = at;
  const lines = decls.map(({ name, owner, d }) => {
    const instances = instancesOf(d.per);
    return { name, owner, per: d.per, kernelName: d.kernelName ?? `&${name}_lock`, guardsTables: d.guardsTables ?? false, instances, base: take(instances * LOCK_WORDS) };
  });
  const locksEnd = at;
  const withRecords = lines.map((l) => ({ ...l, records: take(l.instances * LOCK_WORDS) }));
  const lockClasses: LockClassLayout[] = withRecords.map((l) => ({ ...l, nodes: nodeStride > 0 ? take(slots * nodeStride * NODES_PER_CLASS) : 0 }));

  const deviceBase = take(devices * DEV_WORDS);
  const pasidTables = take(devices * c.pasids);
  const iotlbs = take(devices * c.iotlbEntries * TLB_WORDS);
  const domainBase = take(domains * DOM_WORDS);
  const driverDomainStride = lineUp(driver.domainWords ?? 0);
  const driverDomain = take(domains * driverDomainStride);
  const driverDeviceStride = lineUp(driver.deviceWords ?? 0);
  const driverDevice = take(devices * driverDeviceStride);
  const allocDomainStride = lineUp(sizeOf(allocator.domainWords, shape));
  const allocDomain = take(domains * allocDomainStride);
  const allocWorkerStride = lineUp(sizeOf(allocator.workerWords, shape));
  const allocWorker = take(slots * domains * allocWorkerStride);
  const flushWorkerStride = lineUp(sizeOf(flush.workerWords, shape));
  const flushWorker = take(slots * flushWorkerStride);
  // A race's own words: 0 stands for "none", so the region starts past word 0 always.
  const shared = inp.sharedWords > 0 ? take(inp.sharedWords) : 0;

  const pool = take(POOL_HDR_WORDS);
  const poolNext = take(nTables);
  const poolInfo = take(nTables);
  const metaStride = lineUp(driver.table.metaWords ?? 0);
  const meta = take(nTables * metaStride);
  const tableWords = entries * entryWords;
  const tables = take(nTables * tableWords);
  const tags = take(totalFrames);
  const bounce = take(BP_HDR_WORDS + Math.ceil(bounceSlots / 32));
  const slotBytes = bounceMode ? Math.ceil(c.bufferBytes / 64) * 64 : 0;
  const bytesBase = take((workers * c.inflight * slotBytes) / 4);
  const poolBytesBase = take((bounceSlots * slotBytes) / 4);
  const workerState = take(slots * W_WORDS);
  const lockOrder = take(slots * lockClasses.length * lockClasses.length * LO_WORDS);
  const shadowStride = lineUp(c.inflight * SH_WORDS);
  const shadows = take(workers * shadowStride);
  const traceLen = controlled ? TRACE_LEN_CONTROLLED : TRACE_LEN_FREE;
  const traces = take(slots * (TR_HDR_WORDS + traceLen * TE_WORDS));
  const sched = take(SC_HDR_WORDS + agents * SW_WORDS + inp.schedSteps * ST_WORDS);
  const schedSwitches = take(inp.schedSteps * SWP_WORDS);
  const spinLogWords = controlled ? 2 * inp.schedSteps : 0;
  const spinLog = take(spinLogWords);
  const failure = take(FL_WORDS);
  const model = controlled ? MEMORY_MODELS.indexOf(inp.memoryModel ?? 'sc') : MM_SC;
  if (model > MM_SC && agents > MM_MAX_AGENTS) {
    throw new UsageError(`--memory-model ${inp.memoryModel}: ${agents} agents (allowed: at most ${MM_MAX_AGENTS} under tso and weak)`);
  }
  const schedReads = model > MM_SC ? take(inp.schedSteps * RFP_WORDS) : 0;
  const mm = model > MM_SC ? take(mmWords()) : 0;
  const batch = controlled ? take(BA_HDR_WORDS + BATCH_RUNS * BR_WORDS) : 0;

  const nClasses = lockClasses.length;
  const cLockstat = C_FIXED;
  const cViolations = cLockstat + nClasses * LS_FIELDS;
  const cSamples = cViolations + inp.invariants;
  const cFigures = cSamples + SAMPLES_PER_AGENT * VS_FIELDS;
  // Rounded to a cache line, plus one line of padding between agents.
  const counterStride = Math.ceil((cFigures + FIGURE_SLOTS * FG_FIELDS) / 8) * 8 + 8;
  const countersWord = take(slots * counterStride * 2);

  return {
    bytes: at * 4,
    controlled,
    workers,
    agents,
    mainSlot: agents,
    devices,
    domains,
    tableDomains,
    switchDomain: c.switchMs > 0 ? domains - 1 : -1,
    groupSize: c.groupSize,
    pasids: c.pasids,
    queues: c.queues,
    inflight: c.inflight,
    pages: c.pages,
    callPages: callPagesOf(c),
    labels,
    lockClasses,
    locksBase,
    locksEnd,
    nodeStride,
    deviceBase,
    pasidTables,
    iotlbs,
    iotlbEntries: c.iotlbEntries,
    domainBase,
    driverDomain,
    driverDomainStride,
    driverDevice,
    driverDeviceStride,
    allocDomain,
    allocDomainStride,
    allocWorker,
    allocWorkerStride,
    flushWorker,
    flushWorkerStride,
    shared,
    sharedWords: inp.sharedWords,
    pool,
    poolNext,
    poolInfo,
    meta,
    metaStride,
    tables,
    tableWords,
    entries,
    entryWords,
    nTables,
    tags,
    totalFrames,
    framesPerWorker,
    framesPerDevice,
    deviceFrames,
    bounce,
    bounceSlots,
    slotBytes,
    bytesBase: bytesBase * 4,
    poolBytesBase: poolBytesBase * 4,
    workerState,
    lockOrder,
    shadows,
    shadowStride,
    traces,
    traceLen,
    sched,
    schedSteps: inp.schedSteps,
    schedSwitches,
    spinLog,
    spinLogWords,
    failure,
    model,
    mm,
    schedReads,
    batch,
    counters: countersWord / 2,
    counterStride,
    cLockstat,
    cViolations,
    cSamples,
    cFigures,
    invariants: inp.invariants,
    windowPages,
    iovaBasePfn: iovaBase(c, windowPages),
  };
}

/* ---- one-line accessors: word index of each object -------------------- */
export const deviceAt = (L: Layout, device: number): number => L.deviceBase + device * DEV_WORDS;
export const pasidAt = (L: Layout, device: number, pasid: number): number => L.pasidTables + device * L.pasids + pasid;
export const iotlbAt = (L: Layout, device: number, entry: number): number => L.iotlbs + (device * L.iotlbEntries + entry) * TLB_WORDS;
export const domainAt = (L: Layout, domain: number): number => L.domainBase + domain * DOM_WORDS;
/** The table domain of a group's PASID. */
export const tableDomainOf = (L: Layout, group: number, pasid: number): number => group * L.pasids + pasid;
export const workerAt = (L: Layout, agent: number): number => L.workerState + agent * W_WORDS;
/** Where agent slot `agent` keeps the dependency "class `to` taken while holding class `from`". */
export const lockOrderAt = (L: Layout, agent: number, from: number, to: number): number => L.lockOrder + ((agent * L.lockClasses.length + from) * L.lockClasses.length + to) * LO_WORDS;
export const shadowAt = (L: Layout, worker: number, slot: number): number => L.shadows + worker * L.shadowStride + slot * SH_WORDS;
export const traceAt = (L: Layout, agent: number): number => L.traces + agent * (TR_HDR_WORDS + L.traceLen * TE_WORDS);
export const schedAgentAt = (L: Layout, agent: number): number => L.sched + SC_HDR_WORDS + agent * SW_WORDS;
export const schedStepAt = (L: Layout, step: number): number => L.sched + SC_HDR_WORDS + L.agents * SW_WORDS + step * ST_WORDS;
export const countersAt = (L: Layout, agent: number): number => L.counters + agent * L.counterStride;
/** Device of a worker: workers are numbered device-major; agents past the workers have none (-1). */
export const deviceOfWorker = (L: Layout, worker: number): number => (worker < L.workers ? Math.floor(worker / L.queues) : -1);
export const queueOfWorker = (L: Layout, worker: number): number => worker % L.queues;
/** The PASID a worker's DMA carries: queue q uses PASID q mod pasids. */
export const pasidOfWorker = (L: Layout, worker: number): number => queueOfWorker(L, worker) % L.pasids;
/** First frame of a worker's buffer number `buffer` (0 .. BUFFER_SETS x inflight - 1). */
export const bufferFrame = (L: Layout, worker: number, buffer: number): number =>
  L.deviceFrames + deviceOfWorker(L, worker) * L.framesPerDevice + queueOfWorker(L, worker) * L.framesPerWorker + buffer * L.pages;
/** pv-bounce: first frame of a pool slot (the pool takes the lowest frames). */
export const bounceFrame = (L: Layout, slot: number): number => slot * L.pages;
/** pv-bounce: byte index of a worker's buffer and of a pool slot. */
export const bufferByteAt = (L: Layout, worker: number, slot: number): number => L.bytesBase + (worker * L.inflight + slot) * L.slotBytes;
export const poolByteAt = (L: Layout, slot: number): number => L.poolBytesBase + slot * L.slotBytes;
/** The lock class and instance a lock word belongs to, or null. */
/** The record line of lock `lock` (its holder, last holder, clock). */
export function recordOf(L: Layout, lock: number): number {
  const o = lockOwnerOf(L, lock);
  return o ? o.cls.records + o.index * LOCK_WORDS : -1;
}

export function lockOwnerOf(L: Layout, lock: number): { cls: LockClassLayout; index: number } | null {
  for (const cls of L.lockClasses) {
    if (lock >= cls.base && lock < cls.base + cls.instances * LOCK_WORDS) return { cls, index: (lock - cls.base) / LOCK_WORDS };
  }
  return null;
}
