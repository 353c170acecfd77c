/**
 * The device loop: what one worker thread does, as one queue of one DMA
 * device. Every operation completes one in-flight buffer when the ring is
 * full and issues a new one, through the DMA path it was given (dma.ts):
 *
 *   complete:  unmap, hand the range to the flush policy, free the IOVA
 *   issue:     allocate an IOVA, map, DMA every page and check where it landed
 *
 * It knows no design: the driver, allocator, flush policy and lock are
 * behind the DMA path, the same objects for the worker's whole life, so V8
 * sees one shape at every call site. Hot path rules: nothing allocated, no
 * closures, no timestamps unless an operation is sampled; progress and phase
 * are plain stores the watchdog reads; the counters of a run are kept in
 * fields and written to shared memory once, at its end.
 */
import type { NsHistogram } from '../results/histogram.js';
import type { Config } from '../api/types.js';
import type { ViolationLog } from '../checker/log.js';
import type { AgentCore } from './agent-core.js';
import { type DmaIommu, type DmaBounce, type RunCounts } from './dma.js';
/** The lock a hold-forever fault takes: its address and a function that takes it. */
export interface HeldForever {
    lock: number;
    take(): void;
}
export declare class DeviceLoop {
    private readonly core;
    private readonly cfg;
    private readonly log;
    private readonly dma;
    private readonly counts;
    readonly unmapLatency: NsHistogram;
    private readonly inject;
    private readonly m;
    private readonly inflight;
    private readonly randomCompletion;
    private readonly dmaLive;
    private readonly delayNs;
    /** Time one operation in latencyMask + 1, hold times in holdMask + 1; -1: never. */
    private readonly latencyMask;
    private readonly holdMask;
    /** Operation at which an injected fault fires, -1 if none. */
    private readonly injectAt;
    constructor(core: AgentCore, cfg: Config, log: ViolationLog, dma: DmaIommu | DmaBounce, counts: RunCounts, unmapLatency: NsHistogram, inject: HeldForever | null);
    /**
     * One run: until the main thread says stop, or the run's operations are
     * done. Each operation completes a buffer if the ring is full, then issues
     * one. Written as one loop over locals: the operation's two calls (the
     * DMA path's complete and issue) may change anything as far as V8 knows,
     * so a field read after them is read again, with its checks, every time.
     */
    run(): void;
    /** --dma-live and --delay-ns: what follows an issue when either is set. */
    private afterIssue;
    /** --inject hold-forever (a harness self-test): take the table lock and never return; throw: throw. */
    private injectFault;
}
