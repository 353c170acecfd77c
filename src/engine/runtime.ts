/**
 * One agent's runtime: everything an agent (a device worker, a race's or
 * the live switch's agent, or the main thread's own slot) builds once over
 * the shared memory for a design, and what it makes afresh for every run
 * (the design's ops, its DMA path, its loop).
 */
import type { AgentContext, AgentDef, AllocatorOps, DriverOps, FlushOps, LockClass } from '../api/types.js';
import {
  CTL_SEED,
  CTL_STOP,
  C_DMAS,
  DEV_DEFAULT_DOMAIN,
  DEV_DOMAIN,
  FG_FIELDS,
  FIGURE_SLOTS,
  type Layout,
  W_PARK,
  W_PROGRESS,
  deviceAt,
  domainAt,
  DOM_OWNER,
  workerAt,
} from '../memory/layout.js';
import { ControlledMem, freeMem } from '../memory/mem.js';
import type { Mem } from '../api/types.js';
import { Scheduler } from '../sched/scheduler.js';
import { labelHash, registerLabel } from '../sched/labels.js';
import { ViolationLog } from '../checker/log.js';
import { seedState } from '../util/prng.js';
import type { Design, PieceName } from './design.js';
import { designCall } from './main-watchdog.js';
import { AgentCore } from './agent-core.js';
import { TraceRing } from './trace.js';
import { type EngineLockClass, makeLockClass } from './lock-class.js';
import { NsHistogram } from '../results/histogram.js';
import { EngineTablePool } from './table-pool.js';
import { Iotlb, IotlbInvalidator, TLB_MISS, busyWaitNs } from './iotlb.js';
import { AllocatorByDomain, EngineAllocatorContext, EngineDriverContext, EngineFlushContext, EngineGather } from './contexts.js';
import { DmaBounce, DmaIommu, RunCounts } from './dma.js';
import { DeviceLoop, type HeldForever } from './device-loop.js';
import { V } from '../checker/invariants.js';

export class AgentRuntime {
  readonly m: Int32Array;
  readonly f: Float64Array;
  readonly bytes: Uint8Array;
  readonly mem: Mem;
  readonly sched: Scheduler | null;
  readonly core: AgentCore;
  readonly log: ViolationLog;
  readonly pool: EngineTablePool;
  readonly tlb: Iotlb;
  readonly inval: IotlbInvalidator;
  readonly lockClasses: EngineLockClass[];
  readonly locks: Readonly<Record<string, LockClass>>;
  readonly driverLocks: Readonly<Record<string, LockClass>>;
  readonly allocLocks: Readonly<Record<string, LockClass>>;
  /** The driver's class guarding its tables (`guardsTables`), or null. */
  readonly tableLock: EngineLockClass | null;
  readonly dctx: EngineDriverContext;
  readonly actx: EngineAllocatorContext;
  readonly fctx: EngineFlushContext;
  readonly gather: EngineGather;
  readonly allocByDomain: AllocatorByDomain;
  /** Wait times of sampled operations' contended acquisitions per lock class, and sampled map and unmap latency. */
  readonly waits: NsHistogram[];
  readonly mapLatency = new NsHistogram();
  readonly unmapLatency = new NsHistogram();
  readonly device: number;
  private readonly counts = new RunCounts();
  /** The ops of the current run. */
  driver!: DriverOps;
  allocator!: AllocatorOps;
  flush!: FlushOps;

  /**
   * Call a function of the design: on the main thread's own slot under the
   * main-thread watchdog (engine/main-watchdog.ts), in an agent's thread as
   * it is (the engine's watchdog sees an agent that stops taking steps).
   */
  readonly call: <T>(piece: PieceName, fn: string, f: () => T) => T;

  constructor(
    sab: SharedArrayBuffer,
    readonly L: Layout,
    readonly design: Design,
    readonly agent: number,
    /** For an agent past the workers: the device it acts as (-1: none). */
    agentDevice = -1,
    /** The design's calls under the main thread's watchdog: on the main thread's slot, unless that slot is used by agent 0's batches (engine/batch.ts). */
    guarded = agent === L.mainSlot,
  ) {
    this.m = new Int32Array(sab);
    this.f = new Float64Array(sab);
    this.bytes = new Uint8Array(sab);
    this.call = guarded ? (piece, fn, f) => designCall(design, piece, fn, f) : (_piece, _fn, f) => f();
    const controlled = L.controlled && agent < L.agents;
    this.sched = controlled ? new Scheduler(this.m, L, agent) : null;
    this.mem = this.sched !== null ? new ControlledMem(this.m, L, this.sched) : freeMem(this.m);
    this.device = agent < L.workers ? Math.floor(agent / L.queues) : agentDevice;
    this.core = new AgentCore(this.m, this.f, L, agent, this.mem, this.sched, new TraceRing(this.m, L, agent));
    this.log = new ViolationLog(this.m, this.f, L, this.core.cb, this.device, this.sched, design.invariants);
    this.pool = new EngineTablePool(this.mem, L);
    this.pool.onEmpty = (level, domain) => this.log.record(V.POOL_EXHAUSTED, domain, -1, level, 0, 0);
    this.tlb = new Iotlb(this.mem, L, this.device);
    this.inval = new IotlbInvalidator(this.mem, L);
    const stats = design.config.stats === 'on' && !L.controlled;
    this.waits = L.lockClasses.map(() => new NsHistogram());
    this.lockClasses = L.lockClasses.map((lay, i) => makeLockClass(this.core, lay, i, design.lock, stats, this.waits[i]!));
    this.core.locks = this.lockClasses;
    const pick = (owner: string): Record<string, LockClass> => Object.fromEntries(L.lockClasses.flatMap((lay, i) => (lay.owner === owner ? [[lay.name, this.lockClasses[i]!]] : [])));
    this.driverLocks = pick('driver');
    this.allocLocks = pick('allocator');
    this.locks = { ...this.allocLocks, ...this.driverLocks };
    const ti = L.lockClasses.findIndex((lay) => lay.owner === 'driver' && lay.guardsTables);
    this.tableLock = ti >= 0 ? this.lockClasses[ti]! : null;
    this.gather = new EngineGather(L.iovaBasePfn);
    this.dctx = new EngineDriverContext(this.core, L, this.device, design.config, this.pool, this.driverLocks, this.gather, this.log);
    this.actx = new EngineAllocatorContext(this.core, L, design.config, this.allocLocks, this.log);
    this.allocByDomain = new AllocatorByDomain(this.m, L);
    this.fctx = new EngineFlushContext(this.core, L, design.config, this.allocByDomain, this.inval, this.tlb);
  }

  /** A run starts: fresh JS state, and the design's ops made afresh. */
  begin(): void {
    const c = this.core;
    c.clock = 0;
    c.op = 0;
    c.heldN = 0;
    c.holdTimed = false;
    c.lockHook = c.detail;
    c.rng = seedState(Atomics.load(this.m, CTL_SEED) >>> 0, this.agent);
    this.log.op = 0;
    for (const lc of this.lockClasses) lc.reset();
    for (const h of this.waits) h.reset();
    this.mapLatency.reset();
    this.unmapLatency.reset();
    this.counts.reset();
    this.sched?.begin();
    const d = this.design;
    const ops = this.call('driver', 'create', () => d.driver.create(this.dctx));
    this.driver = this.core.mem instanceof ControlledMem ? walkAsHardware(ops, this.core.mem) : ops;
    this.allocator = this.call('allocator', 'create', () => d.allocator.create(this.actx));
    this.allocByDomain.ops = this.allocator;
    this.flush = this.call('flush', 'create', () => d.flush.create(this.fctx));
    this.gather.flush = this.flush;
  }

  /** A device worker's run: its loop through the DMA path of the run's mode. */
  runDevice(): void {
    const d = this.design;
    const cfg = d.config;
    const dma =
      cfg.mode === 'pv-bounce'
        ? new DmaBounce(this.core, this.L, cfg, this.log, this.driver, this.tlb, this.counts, this.mapLatency, this.bytes, this.lockClasses[this.L.lockClasses.findIndex((l) => l.owner === 'dma')]!)
        : new DmaIommu(this.core, this.L, cfg, this.log, this.driver, this.tlb, this.counts, this.mapLatency, this.allocator, this.flush, this.dctx);
    new DeviceLoop(this.core, cfg, this.log, dma, this.counts, this.unmapLatency, this.holdForever()).run();
  }

  /** What --inject hold-forever takes: the lock guarding this device's table (else its domain's allocator lock). */
  private holdForever(): HeldForever | null {
    const inj = this.design.config.inject;
    if (!inj || inj.kind !== 'hold-forever' || inj.device !== this.device) return null;
    const domain = this.m[deviceAt(this.L, this.device) + DEV_DOMAIN]!;
    const owner = this.m[domainAt(this.L, domain) + DOM_OWNER]!;
    const lc = this.tableLock ?? this.lockClasses.find((l) => l.per === 'domain') ?? null;
    if (!lc) throw new Error('--inject hold-forever: the design has no lock to hold');
    const lock = lc.of(lc.per === 'device' ? this.device : lc.per === 'global' ? 0 : owner);
    return { lock, take: () => lc.acquire(lock) };
  }

  /** A race's or the live switch's agent. */
  runAgent(def: AgentDef): void {
    // Every lock an agent takes is on lockdep's held stack (agents are not the measured hot loop).
    this.core.lockHook = true;
    try {
      def.run(new EngineAgentContext(this));
    } finally {
      this.core.flushLocks();
    }
  }
}

/** What an agent's code is handed (api/types.ts AgentContext). */
export class EngineAgentContext implements AgentContext {
  readonly mem;
  readonly worker: number;
  readonly device: number;
  readonly devices: number;
  readonly domains: number;
  readonly switchTarget: number;
  readonly config;
  readonly driver: DriverOps;
  readonly allocator: AllocatorOps;
  readonly locks: Readonly<Record<string, LockClass>>;
  readonly tableLock: LockClass | null;
  readonly windowPages: number;
  readonly shared: number;
  private readonly m: Int32Array;
  private readonly L: Layout;
  private readonly fig: number;

  constructor(private readonly rt: AgentRuntime) {
    this.mem = rt.mem;
    this.worker = rt.agent;
    this.device = rt.device;
    this.devices = rt.L.devices;
    this.domains = rt.L.tableDomains;
    this.switchTarget = rt.L.switchDomain;
    this.config = rt.design.config;
    this.driver = rt.driver;
    this.allocator = rt.allocator;
    this.locks = rt.locks;
    this.tableLock = rt.tableLock;
    this.windowPages = rt.L.windowPages;
    this.shared = rt.L.shared;
    this.m = rt.m;
    this.L = rt.L;
    this.fig = rt.core.cb + rt.L.cFigures;
  }

  attached(device: number): number {
    return this.mem.load(deviceAt(this.L, device) + DEV_DOMAIN, 'domain-read');
  }

  defaultDomain(device: number): number {
    return this.m[deviceAt(this.L, device) + DEV_DEFAULT_DOMAIN]!;
  }

  tableOwner(domain: number): number {
    return this.m[domainAt(this.L, domain) + DOM_OWNER]!;
  }

  attach(device: number, domain: number): void {
    this.mem.store(deviceAt(this.L, device) + DEV_DOMAIN, domain, 'attach');
    this.rt.inval.device(device);
    busyWaitNs(this.config.iotlbNs);
  }

  frame(i: number): number {
    return this.L.deviceFrames + Math.max(0, this.device) * this.L.framesPerDevice + i;
  }

  dma(domain: number, pfn: number): number {
    const tag = this.m[domainAt(this.L, domain) + DOM_OWNER]!;
    const off = pfn - this.L.iovaBasePfn;
    let r = this.rt.tlb.lookup(tag, off);
    if (r === TLB_MISS) {
      r = this.driver.walk(tag, pfn);
      if (r >= 0) this.rt.tlb.fill(tag, off, r);
    }
    // A DMA that faulted wrote nothing: only one that reached a frame is counted (the audit's frame tags).
    if (r >= 0) {
      if (r < this.L.totalFrames) this.m[this.L.tags + r] = this.m[this.L.tags + r]! + 1;
      this.rt.f[this.rt.core.cb + C_DMAS]! += 1;
    }
    return r;
  }

  pfnOf(off: number): number {
    return this.L.iovaBasePfn + off;
  }

  stopped(): boolean {
    return this.rt.sched === null && Atomics.load(this.m, CTL_STOP) !== 0;
  }

  sleep(ms: number): void {
    if (this.rt.sched !== null) this.mem.point('sleep', ms);
    else if (ms > 0) Atomics.wait(this.m, workerAt(this.L, this.worker) + W_PARK, 0, ms);
  }

  busyWait(ns: number): void {
    busyWaitNs(ns);
  }

  deviceProgress(): number {
    let p = 0;
    for (let w = 0; w < this.L.workers; w++) p += Atomics.load(this.m, workerAt(this.L, w) + W_PROGRESS);
    return p;
  }

  count(figure: string, value: number, how: 'sum' | 'max' = 'sum'): void {
    const h = labelHash(figure);
    const f = this.rt.f;
    for (let i = 0; i < FIGURE_SLOTS; i++) {
      const at = this.fig + i * FG_FIELDS;
      if (f[at] === 0) {
        registerLabel(this.m, this.L, h, figure);
        f[at] = h;
        f[at + 2] = how === 'max' ? 1 : 0;
      }
      if (f[at] === h) {
        f[at + 1] = how === 'max' ? Math.max(f[at + 1]!, value) : f[at + 1]! + value;
        return;
      }
    }
    throw new Error(`count(${JSON.stringify(figure)}): an agent keeps at most ${FIGURE_SLOTS} figures`);
  }

  event(name: string, arg = 0): void {
    const h = labelHash(name);
    registerLabel(this.m, this.L, h, name);
    this.rt.core.trace(h, arg);
    this.rt.sched?.progressed();
    this.m[workerAt(this.L, this.worker) + W_PROGRESS] = this.m[workerAt(this.L, this.worker) + W_PROGRESS]! + 1;
  }

  report(invariant: string, domain: number, pfn = -1, level = -1, expected = -1, found = -1): void {
    this.rt.log.report(invariant, domain, pfn, level, expected, found);
  }
}

/**
 * Under the controlled scheduler, the driver's walk is the IOMMU's: its
 * reads, whatever accessor the walk's code calls, are recorded as the
 * hardware's (marked: a CPU's marked write never races them, a plain one
 * does unless published by what orders the CPU's own writes, as dma_wmb()
 * does), and under tso or weak it reads as an observer of its own
 * (memory/model.ts). Free running the driver's handle is called as it is.
 */
function walkAsHardware(ops: DriverOps, mem: ControlledMem): DriverOps {
  return {
    map: (domain, pfn, pages, frame) => ops.map(domain, pfn, pages, frame),
    unmap: (domain, pfn, pages) => ops.unmap(domain, pfn, pages),
    walk(domain, pfn) {
      mem.walkBegin();
      try {
        return ops.walk(domain, pfn);
      } finally {
        mem.walkEnd();
      }
    },
  };
}
