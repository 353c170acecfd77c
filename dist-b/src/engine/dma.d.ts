import type { NsHistogram } from '../results/histogram.js';
import { type AllocatorOps, type Config, type DriverOps, type FlushOps } from '../api/types.js';
import { type Layout } from '../memory/layout.js';
import type { ViolationLog } from '../checker/log.js';
import type { AgentCore } from './agent-core.js';
import type { EngineDriverContext } from './contexts.js';
import type { EngineLockClass } from './lock-class.js';
import { type Iotlb } from './iotlb.js';
/** Nanoseconds since a performance.now() reading (histograms round it, and count below 1 as 1). */
export declare function nsSince(t0: number): number;
/** Counters of a run, kept in the worker and written to shared memory at its end. */
export declare class RunCounts {
    pages: number;
    dmas: number;
    mapCalls: number;
    unmapCalls: number;
    reset(): void;
}
/** What both DMA paths share: the worker's buffers and shadows, the IOTLB, and the checked DMA itself. */
declare abstract class DmaBase {
    protected readonly core: AgentCore;
    protected readonly L: Layout;
    protected readonly cfg: Config;
    protected readonly log: ViolationLog;
    protected readonly driver: DriverOps;
    protected readonly tlb: Iotlb;
    protected readonly counts: RunCounts;
    protected readonly m: Int32Array;
    protected readonly ws: number;
    protected readonly basePfn: number;
    protected readonly pages: number;
    protected readonly inflight: number;
    protected readonly tags: number;
    protected readonly totalFrames: number;
    protected readonly tlbOn: boolean;
    /** The word naming this worker's domain: its PASID's, or its device's attached domain. */
    protected readonly domainWord: number;
    protected readonly pasid: number;
    /** The worker's free buffers, a FIFO: a completed buffer is reused last. */
    private readonly freeBuffers;
    private freeHead;
    private freeCount;
    private readonly buffer0;
    readonly mapLatency: NsHistogram;
    /** This worker's first shadow slot, and the domains' words (layout addresses, held here: no Layout lookups per operation). */
    protected readonly shadow0: number;
    protected readonly domainBase: number;
    constructor(core: AgentCore, L: Layout, cfg: Config, log: ViolationLog, driver: DriverOps, tlb: Iotlb, counts: RunCounts, mapLatency: NsHistogram);
    resetBuffers(): void;
    abstract issue(slot: number, timed: boolean): boolean;
    abstract complete(slot: number): void;
    abstract tick(): void;
    /**
     * The domain this worker's DMA goes through now (switchable by another
     * agent). A plain read, as the IOMMU reads its device table: an aligned
     * word is never torn, each operation reads it afresh, and under the
     * controlled scheduler it is a schedule point like any access.
     */
    protected currentDomain(): number;
    protected takeBuffer(): number;
    protected returnBuffer(frame: number): void;
    /**
     * Translate one page for a DMA: the IOTLB first, then the driver's walk
     * (which fills the IOTLB). IOTLB entries are tagged by the table's owner
     * domain. Returns the frame, or < 0 for a fault.
     */
    protected translate(tag: number, off: number): number;
    /** DMA into every page of a buffer through the worker's current domain; each must reach its own frame. */
    protected dma(off: number, frame: number, pages: number): void;
    /** --dma-live: the device writes one page of another buffer it has mapped (a NIC filling its RX ring). */
    dmaLive(exclude: number): void;
    protected stop(code: number): false;
}
/** The IOMMU path: the design's allocator, driver and flush policy. */
export declare class DmaIommu extends DmaBase {
    private readonly alloc;
    private readonly flush;
    private readonly dctx;
    private readonly callPages;
    private readonly hypercallNs;
    constructor(core: AgentCore, L: Layout, cfg: Config, log: ViolationLog, driver: DriverOps, tlb: Iotlb, counts: RunCounts, mapLatency: NsHistogram, alloc: AllocatorOps, flush: FlushOps, dctx: EngineDriverContext);
    tick(): void;
    issue(slot: number, timed: boolean): boolean;
    complete(slot: number): void;
}
/**
 * The paravirtual bounce pool (pv-bounce, after Joerg Roedel's 2008
 * proposal): a contiguous pool mapped for DMA once, at start; a streaming
 * map takes a pool slot behind the pool's lock and copies the buffer's bytes
 * into it, an unmap copies them back and frees the slot, as swiotlb does.
 */
export declare class DmaBounce extends DmaBase {
    private readonly lc;
    private readonly bytes;
    private readonly bits;
    private readonly slots;
    /** The pool slot each ring slot holds. */
    private readonly slotOf;
    private readonly poolLock;
    constructor(core: AgentCore, L: Layout, cfg: Config, log: ViolationLog, driver: DriverOps, tlb: Iotlb, counts: RunCounts, mapLatency: NsHistogram, bytes: Uint8Array, lc: EngineLockClass);
    tick(): void;
    /** A free pool slot (next-fit), or -1. Caller holds the pool lock. */
    private slotAlloc;
    /** Free a slot; false if it was not allocated. Caller holds the pool lock. */
    private slotFree;
    issue(slot: number, timed: boolean): boolean;
    complete(slot: number): void;
}
export {};
