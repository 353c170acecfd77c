/**
 * What the engine hands a design's pieces: the contexts of api/types.ts,
 * one object each per agent, made once. Each is a class of its own so that
 * every call a piece makes through it sees one shape.
 */
import type { AllocatorContext, AllocatorOps, Config, DriverContext, FlushContext, FlushOps, LockClass, Mem, TablePool, TlbGather } from '../api/types.js';
import { type Layout } from '../memory/layout.js';
import type { ViolationLog } from '../checker/log.js';
import type { AgentCore } from './agent-core.js';
import { type Iotlb, type IotlbInvalidator } from './iotlb.js';
/** The driver's gather, forwarded to the run's flush policy (set at the start of each run). */
export declare class EngineGather implements TlbGather {
    private readonly basePfn;
    flush: FlushOps | null;
    constructor(basePfn: number);
    invalidate(domain: number, pfn: number, pages: number): void;
}
export declare class EngineDriverContext implements DriverContext {
    readonly device: number;
    readonly config: Readonly<Config>;
    readonly tables: TablePool;
    readonly locks: Readonly<Record<string, LockClass>>;
    readonly tlb: TlbGather;
    private readonly log;
    readonly mem: Mem;
    readonly worker: number;
    readonly domains: number;
    readonly devices: number;
    /** What the unmap in progress is expected to find: its first pfn and frame (-1: no expectation, an agent's own unmap). */
    expectPfn: number;
    expectFrame: number;
    expectDomain: number;
    /** Layout addresses, held here: no Layout lookups per operation. */
    private readonly dd;
    private readonly dds;
    private readonly dv;
    private readonly dvs;
    constructor(core: AgentCore, L: Layout, device: number, config: Readonly<Config>, tables: TablePool, locks: Readonly<Record<string, LockClass>>, tlb: TlbGather, log: ViolationLog);
    domainState(domain: number): number;
    deviceState(device: number): number;
    report(invariant: string, domain: number, pfn?: number, level?: number, expected?: number, found?: number): void;
    cleared(pfn: number, frame: number, level?: number): void;
}
export declare class EngineAllocatorContext implements AllocatorContext {
    private readonly L;
    readonly config: Readonly<Config>;
    readonly locks: Readonly<Record<string, LockClass>>;
    private readonly log;
    readonly mem: Mem;
    readonly worker: number;
    readonly domains: number;
    readonly windowPages: number;
    private readonly ad;
    private readonly ads;
    constructor(core: AgentCore | {
        mem: Mem;
        agent: number;
    }, L: Layout, config: Readonly<Config>, locks: Readonly<Record<string, LockClass>>, log: ViolationLog | null);
    domainState(domain: number): number;
    workerState(domain: number): number;
    workerStateOf(worker: number, domain: number): number;
    report(invariant: string, domain: number, pfn?: number, level?: number, expected?: number, found?: number): void;
}
/** The allocator as the flush policy sees it: by attached domain (the IOVA owner is looked up). */
export declare class AllocatorByDomain implements AllocatorOps {
    private readonly m;
    private readonly L;
    ops: AllocatorOps | null;
    constructor(m: Int32Array, L: Layout);
    alloc(domain: number, pages: number): number;
    free(domain: number, off: number, pages: number): void;
}
export declare class EngineFlushContext implements FlushContext {
    private readonly core;
    private readonly L;
    readonly config: Readonly<Config>;
    readonly allocator: AllocatorOps;
    private readonly inval;
    private readonly tlb;
    readonly mem: Mem;
    readonly worker: number;
    readonly state: number;
    private readonly m;
    /** --iotlb-ns, held here (read on every strict unmap). */
    private readonly iotlbNs;
    constructor(core: AgentCore, L: Layout, config: Readonly<Config>, allocator: AllocatorOps, inval: IotlbInvalidator, tlb: Iotlb);
    tlbTag(domain: number): number;
    invalidateRange(tag: number, off: number, pages: number): void;
    invalidateAll(tag: number): void;
    waitForInvalidation(): void;
    timerTicks(): number;
    probeLate(domain: number, off: number): void;
    flushed(_ranges: number): void;
    random(): number;
}
