/**
 * One agent's runtime: everything an agent (a device worker, a race's or
 * the live switch's agent, or the main thread's own slot) builds once over
 * the shared memory for a design, and what it makes afresh for every run
 * (the design's ops, its DMA path, its loop).
 */
import type { AgentContext, AgentDef, AllocatorOps, DriverOps, FlushOps, LockClass } from '../api/types.js';
import { type Layout } from '../memory/layout.js';
import type { Mem } from '../api/types.js';
import { Scheduler } from '../sched/scheduler.js';
import { ViolationLog } from '../checker/log.js';
import type { Design } from './design.js';
import { AgentCore } from './agent-core.js';
import { type EngineLockClass } from './lock-class.js';
import { NsHistogram } from '../results/histogram.js';
import { EngineTablePool } from './table-pool.js';
import { Iotlb, IotlbInvalidator } from './iotlb.js';
import { AllocatorByDomain, EngineAllocatorContext, EngineDriverContext, EngineFlushContext, EngineGather } from './contexts.js';
export declare class AgentRuntime {
    readonly L: Layout;
    readonly design: Design;
    readonly agent: number;
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
    /** Wait times of contended acquisitions per lock class, and sampled map and unmap latency. */
    readonly waits: NsHistogram[];
    readonly mapLatency: NsHistogram;
    readonly unmapLatency: NsHistogram;
    readonly device: number;
    private readonly counts;
    /** The ops of the current run. */
    driver: DriverOps;
    allocator: AllocatorOps;
    flush: FlushOps;
    constructor(sab: SharedArrayBuffer, L: Layout, design: Design, agent: number, 
    /** For an agent past the workers: the device it acts as (-1: none). */
    agentDevice?: number);
    /** A run starts: fresh JS state, and the design's ops made afresh. */
    begin(): void;
    /** A device worker's run: its loop through the DMA path of the run's mode. */
    runDevice(): void;
    /** What --inject hold-forever takes: the lock guarding this device's table (else its domain's allocator lock). */
    private holdForever;
    /** A race's or the live switch's agent. */
    runAgent(def: AgentDef): void;
}
/** What an agent's code is handed (api/types.ts AgentContext). */
export declare class EngineAgentContext implements AgentContext {
    private readonly rt;
    readonly mem: Mem;
    readonly worker: number;
    readonly device: number;
    readonly devices: number;
    readonly domains: number;
    readonly switchTarget: number;
    readonly config: import("../api/types.js").Config;
    readonly driver: DriverOps;
    readonly allocator: AllocatorOps;
    readonly locks: Readonly<Record<string, LockClass>>;
    readonly tableLock: LockClass | null;
    readonly windowPages: number;
    readonly shared: number;
    private readonly m;
    private readonly L;
    private readonly fig;
    constructor(rt: AgentRuntime);
    attached(device: number): number;
    defaultDomain(device: number): number;
    tableOwner(domain: number): number;
    attach(device: number, domain: number): void;
    frame(i: number): number;
    dma(domain: number, pfn: number): number;
    pfnOf(off: number): number;
    stopped(): boolean;
    sleep(ms: number): void;
    busyWait(ns: number): void;
    deviceProgress(): number;
    count(figure: string, value: number, how?: 'sum' | 'max'): void;
    event(name: string, arg?: number): void;
    report(invariant: string, domain: number, pfn?: number, level?: number, expected?: number, found?: number): void;
}
