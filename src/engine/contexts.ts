/**
 * What the engine hands a design's pieces: the contexts of api/types.ts,
 * one object each per agent, made once. Each is a class of its own so that
 * every call a piece makes through it sees one shape.
 */
import type {
  AllocatorContext,
  AllocatorOps,
  Config,
  DriverContext,
  FlushContext,
  FlushOps,
  LockClass,
  Mem,
  TablePool,
  TlbGather,
} from '../api/types.js';
import { C_FLUSHES, C_PROBES, C_STALE, CTL_TICK, DOM_IOVA_OWNER, DOM_OWNER, type Layout, domainAt } from '../memory/layout.js';
import { V } from '../checker/invariants.js';
import type { ViolationLog } from '../checker/log.js';
import type { AgentCore } from './agent-core.js';
import { type Iotlb, type IotlbInvalidator, TLB_MISS, busyWaitNs } from './iotlb.js';

/** The driver's gather, forwarded to the run's flush policy (set at the start of each run). */
export class EngineGather implements TlbGather {
  flush: FlushOps | null = null;
  constructor(private readonly basePfn: number) {}
  invalidate(domain: number, pfn: number, pages: number): void {
    this.flush!.invalidate(domain, pfn - this.basePfn, pages);
  }
}

export class EngineDriverContext implements DriverContext {
  readonly mem: Mem;
  readonly worker: number;
  readonly domains: number;
  readonly devices: number;
  /** What the unmap in progress is expected to find: its first pfn and frame (-1: no expectation, an agent's own unmap). */
  expectPfn = -1;
  expectFrame = -1;
  expectDomain = -1;
  /** Layout addresses, held here: no Layout lookups per operation. */
  private readonly dd: number;
  private readonly dds: number;
  private readonly dv: number;
  private readonly dvs: number;

  constructor(
    core: AgentCore,
    L: Layout,
    readonly device: number,
    readonly config: Readonly<Config>,
    readonly tables: TablePool,
    readonly locks: Readonly<Record<string, LockClass>>,
    readonly tlb: TlbGather,
    private readonly log: ViolationLog,
  ) {
    this.mem = core.mem;
    this.worker = core.agent;
    this.domains = L.domains;
    this.devices = L.devices;
    this.dd = L.driverDomain;
    this.dds = L.driverDomainStride;
    this.dv = L.driverDevice;
    this.dvs = L.driverDeviceStride;
  }

  domainState(domain: number): number {
    return this.dd + domain * this.dds;
  }

  deviceState(device: number): number {
    return this.dv + device * this.dvs;
  }

  report(invariant: string, domain: number, pfn = -1, level = -1, expected = -1, found = -1): void {
    this.log.report(invariant, domain, pfn, level, expected, found);
  }

  cleared(pfn: number, frame: number, level = -1): void {
    if (this.expectFrame < 0) return;
    const want = this.expectFrame + (pfn - this.expectPfn);
    if (frame < 0) this.log.record(V.UNMAP_MISSING, this.expectDomain, pfn, level, want, -1);
    else if (frame !== want) this.log.record(V.UNMAP_WRONG, this.expectDomain, pfn, level, want, frame);
  }
}

export class EngineAllocatorContext implements AllocatorContext {
  readonly mem: Mem;
  readonly worker: number;
  readonly domains: number;
  readonly windowPages: number;
  private readonly ad: number;
  private readonly ads: number;

  constructor(
    core: AgentCore | { mem: Mem; agent: number },
    private readonly L: Layout,
    readonly config: Readonly<Config>,
    readonly locks: Readonly<Record<string, LockClass>>,
    private readonly log: ViolationLog | null,
  ) {
    this.mem = core.mem;
    this.worker = core.agent;
    this.domains = L.domains;
    this.windowPages = L.windowPages;
    this.ad = L.allocDomain;
    this.ads = L.allocDomainStride;
  }

  domainState(domain: number): number {
    return this.ad + domain * this.ads;
  }

  workerState(domain: number): number {
    return this.worker < 0 ? -1 : this.workerStateOf(this.worker, domain);
  }

  workerStateOf(worker: number, domain: number): number {
    return this.L.allocWorker + (worker * this.L.domains + domain) * this.L.allocWorkerStride;
  }

  report(invariant: string, domain: number, pfn = -1, level = -1, expected = -1, found = -1): void {
    if (this.log === null) throw new Error(`report(${invariant}) on the main thread`);
    this.log.report(invariant, domain, pfn, level, expected, found);
  }
}

/** The allocator as the flush policy sees it: by attached domain (the IOVA owner is looked up). */
export class AllocatorByDomain implements AllocatorOps {
  ops: AllocatorOps | null = null;
  constructor(
    private readonly m: Int32Array,
    private readonly L: Layout,
  ) {}
  alloc(domain: number, pages: number): number {
    return this.ops!.alloc(this.m[domainAt(this.L, domain) + DOM_IOVA_OWNER]!, pages);
  }
  free(domain: number, off: number, pages: number): void {
    this.ops!.free(this.m[domainAt(this.L, domain) + DOM_IOVA_OWNER]!, off, pages);
  }
}

export class EngineFlushContext implements FlushContext {
  readonly mem: Mem;
  readonly worker: number;
  readonly state: number;
  private readonly m: Int32Array;
  /** --iotlb-ns, held here (read on every strict unmap). */
  private readonly iotlbNs: number;

  constructor(
    private readonly core: AgentCore,
    private readonly L: Layout,
    readonly config: Readonly<Config>,
    readonly allocator: AllocatorOps,
    private readonly inval: IotlbInvalidator,
    private readonly tlb: Iotlb,
  ) {
    this.mem = core.mem;
    this.m = core.m;
    this.worker = core.agent;
    this.state = L.flushWorker + core.agent * L.flushWorkerStride;
    this.iotlbNs = config.iotlbNs;
  }

  tlbTag(domain: number): number {
    return this.m[domainAt(this.L, domain) + DOM_OWNER]!;
  }

  invalidateRange(tag: number, off: number, pages: number): void {
    this.inval.range(tag, off, pages);
  }

  invalidateAll(tag: number): void {
    this.inval.all(tag);
  }

  waitForInvalidation(): void {
    if (this.iotlbNs > 0) busyWaitNs(this.iotlbNs);
  }

  timerTicks(): number {
    return Atomics.load(this.m, CTL_TICK);
  }

  probeLate(domain: number, off: number): void {
    const f = this.core.f;
    const cb = this.core.cb;
    f[cb + C_PROBES]! += 1;
    if (this.tlb.lookup(this.tlbTag(domain), off) !== TLB_MISS) f[cb + C_STALE]! += 1;
  }

  flushed(_ranges: number): void {
    this.core.f[this.core.cb + C_FLUSHES]! += 1;
  }

  random(): number {
    return this.core.random();
  }
}
