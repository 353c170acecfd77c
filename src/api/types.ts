/**
 * The public surface of iommu-stress: what a user writes to bring their own
 * design (a page-table driver, a lock, an IOVA allocator, a flush policy, a
 * race with its agents) and what the engine hands that code.
 *
 * Everything a design does to shared memory goes through a `Mem`: its
 * accessors are schedule points under the controlled scheduler (so that a
 * user's design is explored, replayed and shrunk exactly like a built-in
 * one) and plain `Atomics` calls when free running. A design names no
 * scheduler and never sees a thread: the engine owns both.
 *
 * Addresses are word indices into the one shared Int32Array of a run.
 */
/* ======================================================================
 * The run configuration (what `--json` writes as `config`, `--config` reads)
 * ====================================================================== */

/** After `afterOps` operations the first worker of `device` throws, or takes its table lock and never returns (a harness self-test). */
export interface Inject {
  kind: 'throw' | 'hold-forever';
  device: number;
  afterOps: number;
}

/**
 * Every option of a run. `driver`, `lock`, `allocator` and `flush` name a
 * built-in or a user module by path (`./mine.mjs`, `./mine.mjs#export`).
 */
export interface Config {
  devices: number;
  groupSize: number;
  queues: number;
  driver: string;
  lock: string;
  allocator: string;
  flush: string;
  pages: number;
  granule: number;
  inflight: number;
  completion: 'random' | 'fifo';
  pasids: number;
  dmaLive: 'on' | 'off';
  iotlbEntries: number;
  fqSize: number;
  fqTimeoutMs: number;
  iotlbNs: number;
  delayNs: number;
  mode: 'iommu' | 'pv-hypercall' | 'pv-bounce';
  hypercallNs: number;
  bufferBytes: number;
  dmaMaskBits: number;
  switchMs: number;
  switchTo: 'shared-table' | 'empty';
  stats: 'on' | 'off';
  latencySample: number;
  holdSample: number;
  durationSec: number;
  ops: number;
  seed: number;
  watchdogSec: number;
  inject: Inject | null;
}

/* ======================================================================
 * Shared-memory accessors
 * ====================================================================== */

/**
 * Typed accessors over the run's shared memory. Each call is one named
 * schedule point under the controlled scheduler: the worker stops there
 * until the scheduler lets it pass, so the interleaving of every access is
 * the scheduler's choice. Free running, each is the bare `Atomics` (or
 * plain) access it names.
 *
 * `label` names the step in the schedule, the timeline and the trace
 * (`'pte-install'`, `'count-read'`); it defaults to the accessor's own name.
 * Use a constant string: labels are hashed into step identities.
 */
/** What a `mem.bulk` does to its words: plain reads, plain writes (and reads), or fully ordered atomic read-modify-writes. */
export type BulkAccess = 'read' | 'write' | 'atomic';

/** `mem.fence`'s kinds: smp_mb, smp_rmb, smp_wmb, smp_mb__before_atomic, smp_mb__after_atomic. */
export type FenceKind = 'mb' | 'rmb' | 'wmb' | 'mb-before-atomic' | 'mb-after-atomic';

export interface Mem {
  /** The shared words themselves, for bulk work the caller knows is private (a search or a copy under its own lock). Invisible to the scheduler: prefer the accessors. */
  readonly words: Int32Array;
  /** True under the controlled scheduler. */
  readonly controlled: boolean;
  /** `Atomics.load` */
  load(addr: number, label?: string): number;
  /** `Atomics.store` */
  store(addr: number, value: number, label?: string): void;
  /** A plain (non-atomic) read: for data a lock protects. */
  read(addr: number, label?: string): number;
  /** A plain (non-atomic) write: for data a lock protects. */
  write(addr: number, value: number, label?: string): void;
  /** `Atomics.compareExchange`: returns the old value (equal to `expected` when it swapped). */
  cas(addr: number, expected: number, value: number, label?: string): number;
  /** `Atomics.exchange`: returns the old value. */
  exchange(addr: number, value: number, label?: string): number;
  /** `Atomics.add`: returns the old value (`add(a, -1)` subtracts). */
  add(addr: number, delta: number, label?: string): number;
  /*
   * The kernel's orderings (tools/memory-model). The accessors above are
   * fully ordered (a value-returning atomic, smp_mb on each side), `read`
   * and `write` plain. These say what the kernel's code says, so the
   * data-race detector and the weak memory models see what it promises;
   * free running each is the cheapest JavaScript that keeps the promise.
   */
  /** READ_ONCE: a marked read, no ordering (never races with another marked access). */
  readOnce(addr: number, label?: string): number;
  /** WRITE_ONCE: a marked write, no ordering. */
  writeOnce(addr: number, value: number, label?: string): void;
  /** smp_load_acquire: later accesses stay after it. */
  loadAcquire(addr: number, label?: string): number;
  /** smp_store_release: earlier accesses stay before it. */
  storeRelease(addr: number, value: number, label?: string): void;
  /**
   * smp_mb, smp_rmb, smp_wmb, smp_mb__before_atomic, smp_mb__after_atomic.
   * `wmb` also orders a CPU's writes for the device's walker, as dma_wmb()
   * does before a table is published.
   */
  fence(kind: FenceKind, label?: string): void;
  /** cmpxchg_relaxed: as `cas`, no ordering. A failed cmpxchg of any form orders nothing, as in the kernel. */
  casRelaxed(addr: number, expected: number, value: number, label?: string): number;
  /** cmpxchg_acquire */
  casAcquire(addr: number, expected: number, value: number, label?: string): number;
  /** cmpxchg_release */
  casRelease(addr: number, expected: number, value: number, label?: string): number;
  /** xchg_relaxed */
  exchangeRelaxed(addr: number, value: number, label?: string): number;
  /** xchg_acquire */
  exchangeAcquire(addr: number, value: number, label?: string): number;
  /** xchg_release */
  exchangeRelease(addr: number, value: number, label?: string): number;
  /** atomic_fetch_add_relaxed: returns the old value. */
  addRelaxed(addr: number, delta: number, label?: string): number;
  /** atomic_fetch_add_acquire */
  addAcquire(addr: number, delta: number, label?: string): number;
  /** atomic_fetch_add_release */
  addRelease(addr: number, delta: number, label?: string): number;
  /** Futex wait: sleep while the word holds `expected` (emulated under the controlled scheduler, where a sleeper nobody wakes is a deadlock seen at once). */
  wait(addr: number, expected: number, label?: string): void;
  /** Futex wake of up to `count` sleepers on `addr`; returns how many woke (controlled runs; free running, what Atomics.notify says). */
  notify(addr: number, count: number, label?: string): number;
  /**
   * A failed attempt of a wait loop (`while (mem.load(a) !== 0) mem.spin(a)`):
   * under the controlled scheduler the agent is blocked until another agent
   * changes a word this attempt read (what it read since its previous spin,
   * or since the lock acquisition it is in), then runnable like any other;
   * free running, nothing. `addr` names the wait in reports. A wait loop
   * without it keeps taking steps: a livelock to the scheduler.
   */
  spin(addr: number, label?: string): void;
  /** A schedule point that touches no memory: a step of your own the scheduler may preempt at. */
  point(label: string, arg?: number): void;
  /**
   * A bulk access the code makes next through `mem.words` (zeroing a
   * table, searching a bitmap, copying a buffer): under the controlled
   * scheduler one schedule point that reads (`'read'`) or writes
   * (`'write'`, reading too if it likes) the `words` words from `addr`
   * with plain accesses, or updates them with `Atomics.*` (`'atomic'`: a
   * lock-free structure's push or pop, fully ordered, never a data race), so
   * that the exhaustive searches order it with every other access of those
   * words; free running, nothing. Accesses through `mem.words` with no such
   * point are invisible to the scheduler.
   */
  bulk(addr: number, words: number, how: BulkAccess, label?: string): void;
}

/* ======================================================================
 * Locks
 * ====================================================================== */

/** Optional abilities of a lock (Concurrency Kit's declared features). */
export interface LockAbilities {
  /** Waiters are served in arrival order. */
  readonly fair?: boolean;
  /** Waiters may sleep (futex wait) instead of spinning. */
  readonly parks?: boolean;
  /** Each waiter spins on its own queue node. */
  readonly queued?: boolean;
}

/**
 * A lock algorithm: the same operation names on every one (Concurrency Kit
 * style). A lock owns a cache line of 16 words at `lock`; a queue lock may
 * ask for a node of `nodeWords` words per worker and lock class (`node`).
 * Runs in the hot loop: keep it small, allocate nothing.
 */
export interface LockDef {
  readonly kind: 'lock';
  readonly name: string;
  /** One line for `iommu-stress locks`. */
  readonly summary: string;
  /** Deliberately wrong (for races and for proving the checks can fail). */
  readonly broken?: boolean;
  readonly abilities?: LockAbilities;
  /** Words of a waiter's queue node (MCS), 0 or absent for none; at most 16. */
  readonly nodeWords?: number;
  /** Make `lock` an unlocked lock. Main thread, before any worker runs. */
  init(mem: Mem, lock: number): void;
  lock(mem: Mem, lock: number, node: number): void;
  /** Take the lock if it is free; never waits. */
  trylock(mem: Mem, lock: number, node: number): boolean;
  unlock(mem: Mem, lock: number, node: number): void;
  /** A racy snapshot, for reports. */
  locked(mem: Mem, lock: number): boolean;
}

/* ======================================================================
 * Lock classes a design declares, and what the engine hands back
 * ====================================================================== */

/** Whose lock objects a lock class has: one per domain, per device, per table page, or one in all. */
export type LockScope = 'domain' | 'device' | 'table' | 'global';

/** A lock class a driver or allocator takes (reported per class, as Linux lock_stat does). */
export interface LockClassDecl {
  readonly per: LockScope;
  /** As Linux lock_stat would name it: `&domain->pgtable_lock`. */
  readonly kernelName?: string;
  /** Mark the class that guards the page tables (the live switch takes it to quiesce mappers); at most one a driver. */
  readonly guardsTables?: boolean;
}

/**
 * A lock class, as a design's code uses it: `of(i)` is the lock of domain
 * (device, table) `i`; `acquire` and `release` take and drop it with the
 * run's lock algorithm and keep lock_stat's figures (contended waits timed,
 * holds sampled, bounces counted) off the lock's own cache line.
 */
export interface LockClass {
  readonly name: string;
  readonly per: LockScope;
  /** The lock of domain / device / table `index` (0 for a global class). */
  of(index: number): number;
  acquire(lock: number): void;
  release(lock: number): void;
  /** Take it if free; true when taken (counted as an acquisition). */
  tryAcquire(lock: number): boolean;
}

/* ======================================================================
 * Invariants a design adds to the checker
 * ====================================================================== */

/** How a violation of an invariant classes the run's outcome. */
export type OutcomeKind = 'misdirected-dma' | 'lost-mapping' | 'corrupt-bookkeeping';

export interface InvariantDecl {
  /** One line: what a violation means. */
  readonly meaning: string;
  /** The outcome a violation puts a run in [corrupt-bookkeeping]. */
  readonly outcome?: OutcomeKind;
}

/* ======================================================================
 * Page-table drivers (Linux io_pgtable_ops)
 * ====================================================================== */

/**
 * The shared pool of table pages every driver allocates from: lock-free
 * (a tagged Treiber stack), zeroed on allocation, with the level and domain
 * each table was allocated for kept for the audit.
 */
export interface TablePool {
  /** Entries of a table page, and words of an entry, as the driver declared. */
  readonly entries: number;
  readonly entryWords: number;
  /** A zeroed table for `level` of `domain`; 0 when the pool is empty (the engine reports `pool-exhausted`). */
  alloc(level: number, domain: number): number;
  /** Give table `t` back (its words are zeroed when it is next allocated). */
  free(t: number): void;
  /** Address of entry `index` of table `t` (its first word): `base + t * tableWords + index * entryWords`. */
  entry(t: number, index: number): number;
  /** The address arithmetic of `entry`, for a walk that computes it inline: the address of table 0, and the words of a table. */
  readonly base: number;
  readonly tableWords: number;
  /** Address of table `t`'s metadata words (`table.metaWords`, on a cache line of their own). */
  meta(t: number): number;
  /** Tables in the pool: valid table numbers are 1 .. count-1 (0 means none). */
  readonly count: number;
}

/** The IOTLB invalidations a driver issues while it unmaps (Linux's iommu_iotlb_gather): the flush policy decides when they happen. */
export interface TlbGather {
  /** Pages `pfn` .. `pfn + pages - 1` of `domain` are no longer mapped. */
  invalidate(domain: number, pfn: number, pages: number): void;
}

/** What a driver's code may use, on the main thread (initDomain) and in each worker (create). */
export interface DriverContext {
  readonly mem: Mem;
  /** The worker running this code (-1 on the main thread). */
  readonly worker: number;
  /** The device of that worker (-1 for an agent or the main thread). */
  readonly device: number;
  /** Domains with page tables in this run (domain numbers are 0 .. domains-1). */
  readonly domains: number;
  readonly devices: number;
  /** The run's configuration (read only). */
  readonly config: Readonly<Config>;
  /** Address of the `domainWords` words of `domain`'s own state. */
  domainState(domain: number): number;
  /** Address of the `deviceWords` words of `device`'s own state. */
  deviceState(device: number): number;
  readonly tables: TablePool;
  /** The lock classes the driver declared, by name. */
  readonly locks: Readonly<Record<string, LockClass>>;
  readonly tlb: TlbGather;
  /**
   * Report a violation of an invariant: a built-in one (`map-over-live`,
   * `table-corrupt`, `unmap-missing`, ...) or one the driver declared.
   * Give what is known; -1 for what is not.
   */
  report(invariant: string, domain: number, pfn?: number, level?: number, expected?: number, found?: number): void;
  /**
   * Tell the checker what the leaf at `pfn` pointed to when unmap cleared it
   * (-1: nothing was there, `level` where the walk stopped): a wrong frame is
   * `unmap-wrong-frame`, nothing at all `unmap-missing`. Optional, but
   * without it only the audit catches a wrong unmap.
   */
  cleared(pfn: number, frame: number, level?: number): void;
}

/** A worker's handle on the driver: map, unmap and the hardware walk. One per worker, made once. */
export interface DriverOps {
  /** Map `pages` pages from `pfn` to frames `frame`, `frame + 1`, ...; false if it ran out of table pages. */
  map(domain: number, pfn: number, pages: number, frame: number): boolean;
  /** Unmap `pages` pages from `pfn`; returns how many were mapped and are now not (the kernel's unmapped size, in pages). */
  unmap(domain: number, pfn: number, pages: number): number;
  /** Translate `pfn` as the IOMMU does, with no lock: the frame (>= 0), or -1 - level where the walk found no entry, or WALK_CORRUPT (-16). */
  walk(domain: number, pfn: number): number;
}

/** What a driver's audit is handed, on the main thread after every worker stopped. */
export interface AuditContext {
  readonly mem: Mem;
  readonly domains: number;
  readonly config: Readonly<Config>;
  domainState(domain: number): number;
  deviceState(device: number): number;
  readonly tables: TablePool;
  /** Table `t` is reachable from this domain at `level`. False when it was already reached (shared, or a loop): do not descend into it again. */
  table(t: number, level: number): boolean;
  /** A leaf: `pages` pages from `pfn` map frames `frame` onwards. */
  mapping(pfn: number, frame: number, pages?: number): void;
  report(invariant: string, domain: number, pfn?: number, level?: number, expected?: number, found?: number): void;
}

/** A page-table driver: its table format, its locking, map, unmap, the hardware walk, and what the audit checks. */
export interface DriverDef {
  readonly kind: 'driver';
  readonly name: string;
  readonly summary: string;
  /** The real design it follows (a kernel file, a commit). */
  readonly source?: string;
  readonly broken?: boolean;
  /** A table page: entries, words an entry [1], metadata words per table [0] (a live-entry count, a lock word, ...). */
  readonly table: { readonly entries: number; readonly entryWords?: number; readonly metaWords?: number };
  /** Words of driver state per domain (a root, a level count, ...) and per device [0]. */
  readonly domainWords?: number;
  readonly deviceWords?: number;
  /** How this driver numbers table levels, for reports ("level 0 is the root; level 3 holds the 4 KiB leaves"). */
  readonly levels?: string;
  readonly locks?: Readonly<Record<string, LockClassDecl>>;
  readonly invariants?: Readonly<Record<string, InvariantDecl>>;
  /** Main thread, before the run: set up a domain (allocate its root). Leave it out to set up lazily, on first use, in `map`. */
  initDomain?(ctx: DriverContext, domain: number): void;
  /**
   * In a worker, at the start of every run: this worker's ops. Closures over
   * scratch state are fine (made once a run, never per operation); state that
   * must last from one operation to the next belongs in shared memory, which
   * every run starts afresh.
   */
  create(ctx: DriverContext): DriverOps;
  /** Main thread, after the run, for each domain: every table reachable (`ctx.table`), every mapping (`ctx.mapping`), and the driver's own checks (`ctx.report`). */
  audit(ctx: AuditContext, domain: number): void;
}

/* ======================================================================
 * IOVA allocators
 * ====================================================================== */

/** The shape of a run, as a design sizes its memory from it. */
export interface RunShape {
  readonly workers: number;
  readonly devices: number;
  readonly domains: number;
  /** Worker threads that map through one domain (group size x queues). */
  readonly workersPerDomain: number;
  /** Pages of each domain's IOVA window. */
  readonly windowPages: number;
  readonly config: Readonly<Config>;
}

export interface AllocatorContext {
  readonly mem: Mem;
  readonly worker: number;
  readonly domains: number;
  readonly windowPages: number;
  readonly config: Readonly<Config>;
  /** Address of the `domainWords` words of `domain`'s allocator state. */
  domainState(domain: number): number;
  /** Address of this worker's `workerWords` words for `domain` (per-CPU caches). -1 on the main thread. */
  workerState(domain: number): number;
  /** Address of `worker`'s words for `domain` (for the audit). */
  workerStateOf(worker: number, domain: number): number;
  readonly locks: Readonly<Record<string, LockClass>>;
  report(invariant: string, domain: number, pfn?: number, level?: number, expected?: number, found?: number): void;
}

export interface AllocatorOps {
  /** `pages` contiguous window pages of `domain`: the offset of the first, or -1. */
  alloc(domain: number, pages: number): number;
  /** Give back what `alloc(domain, pages)` returned (report `iova-double-free` on a range not allocated). */
  free(domain: number, off: number, pages: number): void;
}

export interface AllocatorAuditContext {
  readonly mem: Mem;
  readonly workers: number;
  readonly windowPages: number;
  domainState(domain: number): number;
  workerStateOf(worker: number, domain: number): number;
  /** Window pages `off` .. `off + pages - 1` are allocated (handed out, cached, or lost). */
  allocated(off: number, pages: number): void;
  /** Of those, pages held in a cache of the allocator's own (magazines): allocated, in use by nobody, and not a leak. */
  cached(off: number, pages: number): void;
}

export interface AllocatorDef {
  readonly kind: 'allocator';
  readonly name: string;
  readonly summary: string;
  readonly source?: string;
  readonly broken?: boolean;
  readonly domainWords?: number | ((shape: RunShape) => number);
  /** Words per worker and domain (per-CPU magazines). */
  readonly workerWords?: number | ((shape: RunShape) => number);
  readonly locks?: Readonly<Record<string, LockClassDecl>>;
  /** Pages a request of `pages` really takes (magazines round up to a power of two) [pages]. */
  round?(pages: number): number;
  /** Pages it may hold cached per domain beyond those in use, so that the window is sized for them [0]. */
  cachedPages?(shape: Omit<RunShape, 'windowPages'>): number;
  /** Main thread, before the run. */
  initDomain(ctx: AllocatorContext, domain: number): void;
  /** In a worker, at the start of every run (as DriverDef.create). */
  create(ctx: AllocatorContext): AllocatorOps;
  /** Main thread, after the run: every allocated range, and what of it is cached. */
  audit(ctx: AllocatorAuditContext, domain: number): void;
}

/* ======================================================================
 * IOTLB flush policies
 * ====================================================================== */

export interface FlushContext {
  readonly mem: Mem;
  readonly worker: number;
  readonly config: Readonly<Config>;
  /** Address of this worker's `workerWords` words (a flush queue). */
  readonly state: number;
  /** The IOVA allocator of the run: a policy frees IOVAs when it deems it safe. */
  readonly allocator: AllocatorOps;
  /** The table owner domain an attached domain translates through (IOTLB entries are tagged by it). */
  tlbTag(domain: number): number;
  /** Invalidate `pages` window pages from `off` of tag `tag` in every device's IOTLB (one range command). */
  invalidateRange(tag: number, off: number, pages: number): void;
  /** Invalidate every entry of tag `tag` in every device's IOTLB (flush_iotlb_all). */
  invalidateAll(tag: number): void;
  /** Pay for an invalidation command: `--iotlb-ns`, busy-waited. */
  waitForInvalidation(): void;
  /** Ticks of the flush-queue timer so far (`--fq-timeout` free running; every so many steps when controlled). */
  timerTicks(): number;
  /** A late DMA to `off` of `domain`, unmapped and not yet flushed: counts the probe, and a stale translation if the IOTLB still has it (the window deferral leaves open). */
  probeLate(domain: number, off: number): void;
  /** A flush happened (counted in the result). */
  flushed(ranges: number): void;
  /** A uint32 from the worker's seeded generator (deterministic under replay). */
  random(): number;
}

/** What `FlushOps.unmapped` tells the engine to do with an unmapped IOVA range. */
export const UNMAP_KEEP = 0;
/** Free it now: no IOTLB translates it any more (the engine checks so, then frees it). */
export const UNMAP_FREE = 1;
/** Free it now although IOTLBs may still translate it (what a broken early free does; its consequences are for the DMA checks to catch). */
export const UNMAP_FREE_UNFLUSHED = 2;
export type Unmapped = typeof UNMAP_KEEP | typeof UNMAP_FREE | typeof UNMAP_FREE_UNFLUSHED;

export interface FlushOps {
  /** Driver, inside unmap (under its lock): the gather of what `tag` (the table owner domain) no longer maps. Strict invalidates here. */
  invalidate(tag: number, off: number, pages: number): void;
  /** Engine, after unmap: the range of `domain` no longer maps. UNMAP_KEEP: the policy keeps the IOVA and frees it itself after its flush (ctx.allocator.free); else the engine frees it now. */
  unmapped(domain: number, off: number, pages: number): Unmapped;
  /** Engine, before each operation: flush what is due. */
  tick(): void;
}

export interface FlushAuditContext {
  readonly mem: Mem;
  readonly workers: number;
  stateOf(worker: number): number;
  /** Window pages of `domain` still allocated while waiting for their flush. */
  pending(domain: number, off: number, pages: number): void;
}

export interface FlushDef {
  readonly kind: 'flush';
  readonly name: string;
  readonly summary: string;
  readonly source?: string;
  readonly broken?: boolean;
  /** It defers invalidations: needs an IOTLB (`--iotlb-entries`) to mean anything. */
  readonly needsIotlb?: boolean;
  readonly workerWords?: number | ((shape: RunShape) => number);
  /** Pages per domain it may keep allocated while they wait for a flush [0]. */
  pendingPages?(shape: Omit<RunShape, 'windowPages'>): number;
  /** In a worker, at the start of every run (as DriverDef.create). */
  create(ctx: FlushContext): FlushOps;
  audit?(ctx: FlushAuditContext): void;
}

/* ======================================================================
 * Agents and races
 * ====================================================================== */

/** What an agent's code may use (a thread of its own: a domain switcher, a teardown, a race's own actor). */
export interface AgentContext {
  readonly mem: Mem;
  readonly worker: number;
  /** The device the agent acts as (`AgentDef.device`), or -1. */
  readonly device: number;
  readonly devices: number;
  /** Domains with page tables (0 .. domains-1), and the live-switch target (or -1). */
  readonly domains: number;
  readonly switchTarget: number;
  readonly config: Readonly<Config>;
  readonly driver: DriverOps;
  readonly allocator: AllocatorOps;
  /** Every lock class of the design, by name (driver's, allocator's). */
  readonly locks: Readonly<Record<string, LockClass>>;
  /** The driver's lock class that guards the tables (`guardsTables`), or null. */
  readonly tableLock: LockClass | null;
  /** The domain `device` is attached to now. */
  attached(device: number): number;
  /** The domain `device` was attached to at the start. */
  defaultDomain(device: number): number;
  /** The domain whose tables `domain` translates through (itself, or the domain it shares a table with): the domain its table lock belongs to. */
  tableOwner(domain: number): number;
  /** Attach `device` to `domain` (a device-table entry update) and flush its IOTLB. */
  attach(device: number, domain: number): void;
  /** Physical frame `i` of the device this agent acts as (0 .. framesPerDevice - 1). */
  frame(i: number): number;
  /** A DMA of `pfn` through `domain` as the device sees it (IOTLB, then the walk): the frame it reached, or < 0 for a fault. The frame's tag counts it (a fault writes nothing, and is not counted). */
  dma(domain: number, pfn: number): number;
  /** The IOVA pfn of window page `off` (the window every domain uses: `windowPages` pages centred on IOVA 2^39). */
  pfnOf(off: number): number;
  readonly windowPages: number;
  /** The address of the race's own shared words (`RaceDef.sharedWords`), 0 when it has none. */
  readonly shared: number;
  /** Free running: the run's time is up (agents should return). Always false under the controlled scheduler. */
  stopped(): boolean;
  /** Free running: sleep `ms`. Controlled: a schedule point (time is the schedule's). */
  sleep(ms: number): void;
  /** Busy-wait `ns` (an invalidation, a hypercall). */
  busyWait(ns: number): void;
  /** Operations all device workers have completed so far. */
  deviceProgress(): number;
  /** Count a figure of this agent's into the result (`agents[name][figure]`): summed, or kept at its maximum. */
  count(figure: string, value: number, how?: 'sum' | 'max'): void;
  /** An event on the timeline and the trace (`switch`, `teardown`). */
  event(name: string, arg?: number): void;
  report(invariant: string, domain: number, pfn?: number, level?: number, expected?: number, found?: number): void;
}

export interface AgentDef {
  readonly kind: 'agent';
  readonly name: string;
  /** Act as this device (its frames, its IOTLB). */
  readonly device?: number;
  run(ctx: AgentContext): void;
}

/** A design's piece given by name (a built-in), by path (`./mine.mjs`, `./mine.mjs#exportName`), or inline. */
export type Ref<T> = string | T;

/** One variant of a race: its pieces and any run options that differ. */
export interface RaceVariant extends Partial<Omit<Config, 'driver' | 'lock' | 'allocator' | 'flush'>> {
  readonly driver?: Ref<DriverDef>;
  readonly lock?: Ref<LockDef>;
  readonly allocator?: Ref<AllocatorDef>;
  readonly flush?: Ref<FlushDef>;
  /** Agents of this variant only (in addition to the race's). */
  readonly agents?: readonly AgentDef[];
}

/** The run's memory and pieces on the main thread, before the workers start or after they stopped. */
export interface SetupContext {
  readonly mem: Mem;
  readonly config: Readonly<Config>;
  readonly domains: number;
  readonly devices: number;
  /** A driver handle for the main thread (map a block before the run, walk after it). */
  readonly driver: DriverOps;
  /** The address of the race's own shared words (`RaceDef.sharedWords`), 0 when it has none. */
  readonly shared: number;
  pfnOf(off: number): number;
  readonly windowPages: number;
  /** Frame `i` of `device`. */
  frame(device: number, i: number): number;
  /**
   * Tell the audit that after the run `pages` pages from `pfn` of `domain`
   * map frames from `frame` (mappings the race's agents or setup make,
   * outside the allocator): a missing one is `audit-lost-mapping`, and any
   * mapping the tables hold that neither a device nor the race expects is
   * `audit-stray-mapping`.
   */
  expect(domain: number, pfn: number, pages: number, frame: number): void;
  /** The opposite, for what agents unmapped (a check after the run). */
  unexpect(domain: number, pfn: number, pages: number): void;
  report(invariant: string, domain: number, pfn?: number, level?: number, expected?: number, found?: number): void;
}

/** How an outcome counts for a race, as jcstress classes them. */
export type OutcomeClass = 'acceptable' | 'interesting' | 'forbidden';

export interface RaceDef {
  readonly kind: 'race';
  readonly name: string;
  /** The wrong design, and where it comes from. */
  readonly design: string;
  /** The correct counterpart, which must run clean under the same schedules. */
  readonly counterpart: string;
  /** The commit or thread it comes from. */
  readonly source?: string;
  /** The work both variants do: devices, group size, operations, buffers in flight (small: controlled runs stay short). */
  readonly workload: Partial<Config>;
  readonly broken: RaceVariant;
  readonly correct: RaceVariant;
  /** Agents both variants run beside (or, with `deviceLoop: false`, instead of) the devices' own loop. */
  readonly agents?: readonly AgentDef[];
  /** The devices run their map / DMA / unmap loop [true]. */
  readonly deviceLoop?: boolean;
  readonly invariants?: Readonly<Record<string, InvariantDecl>>;
  /** How each outcome counts; outcomes not listed: clean acceptable; stale-window, corrupt-bookkeeping, step-limit and replay-diverged interesting; the rest forbidden. */
  readonly classes?: Readonly<Partial<Record<string, OutcomeClass>>>;
  /** Controlled runs: scheduler steps between flush-queue timer ticks [0: never]. */
  readonly timerEverySteps?: number;
  /**
   * Words of shared memory of the race's own (a flag, a counter, a
   * protocol's state beside the tables), at `ctx.shared` for its agents,
   * setup and check, zero at the start of every run; touch them through
   * `ctx.mem` so that each access is a schedule point [0; at most 65536].
   */
  readonly sharedWords?: number;
  /**
   * What its loads may read under the controlled scheduler, unless
   * `--memory-model` says otherwise: `sc` (every access in one order),
   * `tso` (store buffers, as x86), `weak` (the kernel's model: any store
   * coherence and happens-before allow) [sc].
   */
  readonly memoryModel?: 'sc' | 'tso' | 'weak';
  /** Main thread, before the run (after the built-in setup): map what the agents will work on. */
  setup?(ctx: SetupContext): void;
  /** Main thread, after the run, before the audit: the race's own checks. */
  check?(ctx: SetupContext): void;
}
