export declare const ENTRIES = 512;
/** Control line: workers at the start barrier, and the go flag. */
export declare const CTL_READY = 0;
export declare const CTL_GO = 1;
export interface TwinLayout {
    readonly words: number;
    readonly workers: number;
    readonly domains: number;
    readonly inflight: number;
    readonly windowPages: number;
    readonly iovaBasePfn: number;
    readonly domainBase: number;
    readonly bitmaps: number;
    readonly bitmapWords: number;
    readonly poolHead: number;
    readonly poolNext: number;
    readonly poolCount: number;
    readonly tables: number;
    readonly nTables: number;
    readonly tags: number;
    /** Tag words a worker: a whole line, so that two workers' frames never share one. */
    readonly framesPerWorker: number;
}
/**
 * `workers` devices, all on one domain (`shared`) or a domain each; `inflight`
 * buffers of 1 page each. The window and the pool are sized as the harness
 * sizes them for the same configuration.
 */
export declare function twinLayout(workers: number, shared: boolean, inflight: number): TwinLayout;
/** The domain worker `w` maps through. */
export declare const domainOfWorker: (L: TwinLayout, w: number) => number;
/** Main thread, once, on fresh (zeroed) memory: the pool's free list, a root table a domain. */
export declare function initTwin(sab: SharedArrayBuffer, L: TwinLayout): void;
/**
 * One device over the twin's memory. A class with readonly fields, as the
 * harness's DeviceLoop: field loads are monomorphic and every method is a
 * single shape at its call sites, so TurboFan inlines the small ones; the
 * comparison measures bookkeeping, not a style of writing JavaScript.
 */
export declare class TwinDevice {
    private readonly m;
    private readonly tables;
    private readonly poolHead;
    private readonly poolNext;
    private readonly poolCount;
    private readonly ptLock;
    private readonly allocLock;
    private readonly root;
    private readonly cursorAt;
    private readonly bitmap;
    private readonly window;
    private readonly basePfn;
    private readonly frameBase;
    private readonly tags;
    private readonly inflight;
    /** Window offset of the IOVA each ring slot holds: the driver's own handle (its dma_addr_t). */
    private readonly slotOff;
    private rng;
    constructor(sab: SharedArrayBuffer, L: TwinLayout, worker: number, seed: number);
    /** Wait at the start barrier, do `ops` operations; the times (performance.timeOrigin-based ms) around them. */
    run(ops: number): {
        startMs: number;
        endMs: number;
    };
    /** One operation: complete a random buffer once the ring is full, then issue one into its slot. */
    step(op: number): void;
    private complete;
    private issue;
    /** The device writes its page: walk with no lock, check it lands on the frame mapped, bump that frame's tag. */
    dma(pfn: number, frame: number): void;
    protected lock(l: number): void;
    protected lockSlow(l: number): void;
    protected unlock(l: number): void;
    private iovaAlloc;
    private iovaFree;
    /** First run of `pages` clear bits starting in [from, to) and ending by the window's end (src/iova.ts). */
    private findRun;
    /**
     * The hardware walk: no lock, plain reads, from the root. The frame, or -1
     * where an entry is empty. The four levels are written out: level indices
     * are plain shifts, exact for pfns below 2^31 (twinLayout checks).
     */
    walk(pfn: number): number;
    /** Map one page (under the page-table lock): install missing tables on the way down, write the leaf, count it. */
    map(pfn: number, frame: number): void;
    /** A fresh table at entry `at` of `parent`; returns the entry. Rare: once per 512 pages the cursor crosses. */
    private install;
    /**
     * Unmap one page (under the page-table lock): clear the leaf, and when its
     * table's count reaches zero free it and every table above that empties
     * in turn, never the root (tegra-smmu's as_put_pte). The descent is
     * written out, the path kept in locals: nothing allocated.
     */
    unmap(pfn: number): void;
    /** Clear the entry pointing at empty table `t` and give `t` back to the pool (Atomics.store, as src/pgtable.ts). */
    private unlink;
    private poolAlloc;
    private poolRelease;
}
/** Atomic load, exchange and store on word addresses: what TwinDeviceWasm is handed. */
export interface TwinAtomics {
    load(addr: number): number;
    exchange(addr: number, value: number): number;
    store(addr: number, value: number): void;
}
/**
 * The same twin, its locks on the atomics the harness's accessors use
 * (WebAssembly's, src/memory/shared.ts, handed in: nothing here imports
 * src/): the like-for-like figure beside the plain one, which uses
 * Atomics.* as a plain JavaScript program does.
 */
export declare class TwinDeviceWasm extends TwinDevice {
    private readonly a;
    constructor(sab: SharedArrayBuffer, L: TwinLayout, worker: number, seed: number, a: TwinAtomics);
    protected lock(l: number): void;
    protected lockSlow(l: number): void;
    protected unlock(l: number): void;
}
/** For tests: the word index of `pfn`'s leaf entry in `worker`'s domain, -1 if a table on the way is missing. */
export declare function leafWord(sab: SharedArrayBuffer, L: TwinLayout, worker: number, pfn: number): number;
/** What the main thread hands a twin worker. */
export interface TwinJob {
    kind: 'twin';
    sab: SharedArrayBuffer;
    /** The twin on the harness's atomics: the WebAssembly.Memory behind sab (null: Atomics.*, the plain twin). */
    memory: unknown;
    layout: TwinLayout;
    worker: number;
    ops: number;
    seed: number;
}
/** What a twin worker posts back once its operations are done. */
export interface TwinReply {
    worker: number;
    ops: number;
    startMs: number;
    endMs: number;
}
