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
/** What `FlushOps.unmapped` tells the engine to do with an unmapped IOVA range. */
export const UNMAP_KEEP = 0;
/** Free it now: no IOTLB translates it any more (the engine checks so, then frees it). */
export const UNMAP_FREE = 1;
/** Free it now although IOTLBs may still translate it (what a broken early free does; its consequences are for the DMA checks to catch). */
export const UNMAP_FREE_UNFLUSHED = 2;
//# sourceMappingURL=types.js.map